import { type IssueSummary, LETTER_KIND_NAMES, type LetterKind, ORG_NAMES, type Org } from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { Card, Page } from '../../../components/page';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { loadMe } from '../../../services/session';
import { findIssues, issueLetter } from '../../../services/work';

/** The four parties of 四位一体 a letter may go to. */
const PARTIES: Org[] = ['party', 'rc', 'oc', 'property'];
const KINDS: LetterKind[] = ['reminder', 'warning'];

/**
 * The leadership issues a 提示函 or 警示函 by hand (seed 001 §七.3): to which organisation, why, and
 * the issues it cites. The server decides who may; this page is reached from the letters page's
 * `issue` action.
 */
export default function NewLetterPage() {
  const [kind, setKind] = useState<LetterKind>('reminder');
  const [org, setOrg] = useState<Org>('property');
  const [reason, setReason] = useState('');
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<IssueSummary[] | null>(null);
  const [cited, setCited] = useState<IssueSummary[]>([]);
  const send = useAction(
    async (input: { kind: LetterKind; org: Org; reason: string; issues: string[] }, key) => {
      const community = (await loadMe()).person?.community;
      if (!community) throw new Error('当前账号不属于任何小区');
      return issueLetter({ community, ...input }, key);
    },
    { done: '函件已发出' },
  );

  const find = async () => {
    try {
      const community = (await loadMe()).person?.community ?? '';
      setFound((await findIssues(community, search.trim())).items);
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };
  const toggle = (i: IssueSummary) =>
    setCited((c) => (c.some((x) => x.id === i.id) ? c.filter((x) => x.id !== i.id) : [...c, i]));
  const submit = async () => {
    if (reason.trim().length < 4) {
      toast('请写明发函事由（至少 4 个字）', 'fail');
      return;
    }
    const letter = await send.run({ kind, org, reason: reason.trim(), issues: cited.map((i) => i.id) });
    if (letter) setTimeout(() => Taro.navigateBack(), 600);
  };

  return (
    <Page>
      <PageToast />
      <Card title="函件种类">
        <View className="gz-row" style={{ flexWrap: 'wrap', gap: '8px' }}>
          {KINDS.map((k) => (
            <Button key={k} size="large" type={k === kind ? 'primary' : 'default'} onClick={() => setKind(k)}>
              {LETTER_KIND_NAMES[k]}
            </Button>
          ))}
        </View>
        <Text className="gz-muted">
          {kind === 'reminder'
            ? '提示函：及时提醒，将问题解决在早期'
            : '警示函：群众反映强烈的问题，要求主动及时纠正，记入诚信档案'}
        </Text>
      </Card>
      <Card title="发往单位">
        <View className="gz-row" style={{ flexWrap: 'wrap', gap: '8px' }}>
          {PARTIES.map((o) => (
            <Button key={o} size="large" type={o === org ? 'primary' : 'default'} onClick={() => setOrg(o)}>
              {ORG_NAMES[o]}
            </Button>
          ))}
        </View>
      </Card>
      <Card title="发函事由">
        <TextArea
          className="gz-textarea"
          value={reason}
          onChange={setReason}
          placeholder="如：电梯故障群众反映强烈，屡经提醒仍未彻底修复"
          maxLength={500}
          rows={4}
        />
      </Card>
      <Card title={`引用问题（${cited.length}）`}>
        {cited.map((i) => (
          <Text key={i.id} className="gz-tag" onClick={() => toggle(i)}>
            {i.code} ✕
          </Text>
        ))}
        <View className="gz-row" style={{ gap: '8px' }}>
          <Input className="gz-input" placeholder="问题编号或描述" value={search} onChange={setSearch} />
          <Button size="large" onClick={find}>
            查找
          </Button>
        </View>
        {found?.length === 0 && <Text className="gz-muted">没有找到</Text>}
        {found?.map((i) => (
          <View
            key={i.id}
            className="gz-letter__pick"
            style={{ minHeight: '44px', padding: '8px 0' }}
            onClick={() => toggle(i)}
          >
            <Text>
              {cited.some((x) => x.id === i.id) ? '☑' : '☐'} {i.code} {i.description.slice(0, 30)}
            </Text>
          </View>
        ))}
      </Card>
      <Button className="gz-submit" block type="primary" loading={send.busy} onClick={submit}>
        发出{LETTER_KIND_NAMES[kind]}
      </Button>
    </Page>
  );
}
