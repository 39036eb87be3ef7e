import {
  CONTACT_MEANS,
  CONTACT_MEANS_NAMES,
  type ContactMeans,
  type IssueDetail,
  PhoneCallbackInput,
  SATISFACTION_LABELS,
} from '@gongzhi/domain';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { useAction } from '../hooks/use-action';
import { formatTime } from '../services/format';
import { contactReporter, recordCallback } from '../services/issues';
import { Card } from './page';
import './reporter-contact-card.css';

const SCORES = [5, 4, 3, 2, 1] as const;

/**
 * 联系反映人 and 电话回访 on a staff issue page (issue 17 item 6): the contact deadline and the first
 * contact; 已联系 buttons when the server says the caller may record one; the callback's two
 * questions when the issue is closed and awaits its callback. Shows nothing when there is nothing
 * to show (staff found the problem themselves and nobody may record a callback).
 */
export function ReporterContactCard({
  issue,
  onChanged,
}: {
  issue: IssueDetail;
  onChanged: (issue: IssueDetail) => void;
}) {
  const c = issue.reporterContact;
  const [solved, setSolved] = useState<boolean | null>(null);
  const [score, setScore] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const contact = useAction((means: ContactMeans) => contactReporter(issue.id, { means }), {
    done: '已记录联系',
  });
  const callback = useAction((input: PhoneCallbackInput) => recordCallback(issue.id, input), {
    done: '已记录回访',
  });
  if (!c.dueAt && !c.canRecord && !c.canCallback) return null;

  const submitCallback = async () => {
    const parsed = PhoneCallbackInput.safeParse({
      ...(solved === null ? {} : { solved }),
      ...(score === null ? {} : { score }),
      ...(note.trim() ? { note } : {}),
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写内容');
      return;
    }
    setProblem(null);
    const done = await callback.run(parsed.data);
    if (done) onChanged(done);
  };

  const late = c.dueAt !== null && (c.firstAt ?? null) !== null && c.firstAt! > c.dueAt;
  return (
    <Card title="联系反映人与回访">
      {c.dueAt && <Text className="gz-contact__line">应于 {formatTime(c.dueAt)} 前联系反映人</Text>}
      <Text className="gz-contact__line">
        {c.firstAt ? `首次联系：${formatTime(c.firstAt)}${late ? '（超时）' : ''}` : '尚未联系反映人'}
      </Text>
      {c.canRecord && (
        <>
          <Text className="gz-label">已联系反映人？点选联系方式记录</Text>
          <View className="gz-row gz-contact__means">
            {CONTACT_MEANS.map((m) => (
              <Button
                key={m}
                size="small"
                fill="outline"
                type="primary"
                disabled={contact.busy}
                onClick={async () => {
                  const done = await contact.run(m);
                  if (done) onChanged(done);
                }}
              >
                {CONTACT_MEANS_NAMES[m]}
              </Button>
            ))}
          </View>
        </>
      )}
      {c.canCallback && (
        <View className="gz-contact__callback">
          <Text className="gz-contact__title">电话回访（问题已结案）</Text>
          <Text className="gz-label">问题解决了吗？</Text>
          <View className="gz-row gz-contact__answers">
            <Button
              size="small"
              type={solved === true ? 'primary' : 'default'}
              onClick={() => {
                setSolved(true);
                setProblem(null);
              }}
            >
              已解决
            </Button>
            <Button
              size="small"
              type={solved === false ? 'primary' : 'default'}
              onClick={() => {
                setSolved(false);
                setProblem(null);
              }}
            >
              未解决
            </Button>
          </View>
          <Text className="gz-label">您对处理满意吗？</Text>
          <View className="gz-row gz-contact__answers">
            {SCORES.map((s) => (
              <Button
                key={s}
                size="small"
                type={score === s ? 'primary' : 'default'}
                onClick={() => {
                  setScore(s);
                  setProblem(null);
                }}
              >
                {SATISFACTION_LABELS[s]}
              </Button>
            ))}
          </View>
          <TextArea
            className="gz-textarea"
            value={note}
            onChange={setNote}
            placeholder="回访记录（选填），例如反映人的原话"
            maxLength={500}
            rows={2}
          />
          {problem && <Text className="gz-contact__problem">{problem}</Text>}
          <Button className="gz-submit" block type="primary" loading={callback.busy} onClick={submitCallback}>
            提交回访结果
          </Button>
        </View>
      )}
    </Card>
  );
}
