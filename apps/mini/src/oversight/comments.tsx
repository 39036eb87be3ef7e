import type { OversightCommentsView, OversightSubject } from '@gongzhi/domain';
import { Button, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { Card } from '../components/page';
import { toast } from '../components/toast';
import { useAction } from '../hooks/use-action';
import { formatTime } from '../services/format';
import { addOversightComment, oversightComments } from './services';
import './oversight.css';

/**
 * The supervisory committee's comments on the record (监督意见) where they were made: on an issue's
 * page, a credit file. Everyone who reads the subject reads them; the box shows only when the
 * server offers `comment`.
 */
export function OversightComments(props: {
  community: string;
  subject: OversightSubject;
  subjectRef: string;
  title?: string;
}) {
  const { community, subject, subjectRef } = props;
  const [view, setView] = useState<OversightCommentsView | null>(null);
  const [failed, setFailed] = useState(false);
  const [text, setText] = useState('');
  const saving = useAction(addOversightComment, { done: '监督意见已记录' });

  const load = useCallback(async () => {
    setFailed(false);
    try {
      setView(await oversightComments(community, subject, subjectRef));
    } catch {
      setFailed(true);
    }
  }, [community, subject, subjectRef]);
  useEffect(() => {
    void load();
  }, [load]);

  if (failed) return null;
  if (!view || (view.items.length === 0 && !view.allowedActions.includes('comment'))) return null;
  const send = async () => {
    if (text.trim().length < 2) return toast('监督意见至少 2 个字', 'warn');
    const added = await saving.run({ community, subject, ref: subjectRef, text: text.trim() });
    if (!added) return;
    setText('');
    setView((v) => (v ? { ...v, items: [...v.items, added] } : v));
  };
  return (
    <Card title={props.title ?? '监督委员会意见'}>
      {view.items.length === 0 && <Text className="gz-muted">暂无监督意见</Text>}
      {view.items.map((c) => (
        <View key={c.id} className="gz-oversight__comment">
          <Text className="gz-oversight__text">{c.text}</Text>
          <Text className="gz-muted">
            {c.by} · {formatTime(c.at)}
          </Text>
        </View>
      ))}
      {view.allowedActions.includes('comment') && (
        <View className="gz-oversight__box">
          <TextArea
            className="gz-textarea"
            placeholder="监督意见：记录在案，不能修改或删除"
            value={text}
            onChange={setText}
            maxLength={1000}
            rows={3}
          />
          <Button className="gz-submit" block type="primary" loading={saving.busy} onClick={send}>
            提交监督意见
          </Button>
        </View>
      )}
    </Card>
  );
}
