import type { LetterListAction, LetterProposalView, LetterView } from '@gongzhi/domain';
import { Button, Dialog, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { loadMe } from '../../../services/session';
import {
  acknowledgeLetter,
  decideLetterProposal,
  listLetterProposals,
  listLetters,
} from '../../../services/work';

/** Reminder and warning letters (提示函 / 警示函) to an organisation, each acknowledged in writing. */
export default function LettersPage() {
  const [items, setItems] = useState<LetterView[] | null>(null);
  const [actions, setActions] = useState<LetterListAction[]>([]);
  const [proposals, setProposals] = useState<LetterProposalView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [acking, setAcking] = useState<LetterView | null>(null);
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const community = me.person?.community ?? '';
      const page = await listLetters(community);
      setItems(page.items);
      setActions(page.allowedActions);
      // The clock's proposals are for those who issue letters (the leadership).
      setProposals(page.allowedActions.includes('issue') ? (await listLetterProposals(community)).items : []);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  const decide = async (p: LetterProposalView, decision: 'confirm' | 'dismiss') => {
    try {
      await decideLetterProposal(p.id, decision);
      toast(decision === 'confirm' ? '已发函' : '已决定不发函', 'success');
      await load();
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };
  return (
    <Page>
      <PageToast />
      {actions.includes('issue') && (
        <Button
          className="gz-submit"
          block
          type="primary"
          onClick={() => Taro.navigateTo({ url: '/staff/pages/letter-new/index' })}
        >
          发出提示函 / 警示函
        </Button>
      )}
      {proposals.map((p) => (
        <Card
          key={p.id}
          title={`建议发出${p.kindName}：${p.orgName}`}
          extra={<Text className="gz-status gz-status--reopened">{p.statusName}</Text>}
        >
          <Text>{p.reason}</Text>
          {p.issues.length > 0 && (
            <View className="gz-row" style={{ flexWrap: 'wrap', marginTop: '6px' }}>
              {p.issues.map((i) => (
                <Text key={i.id} className="gz-tag">
                  {i.code}
                </Text>
              ))}
            </View>
          )}
          <Text className="gz-muted">系统于 {formatTime(p.createdAt)} 提出，发函与否由领导小组决定</Text>
          <View className="gz-row" style={{ gap: '8px', marginTop: '8px' }}>
            {p.allowedActions.includes('confirm') && (
              <Button size="large" type="primary" onClick={() => decide(p, 'confirm')}>
                确认发函
              </Button>
            )}
            {p.allowedActions.includes('dismiss') && (
              <Button size="large" onClick={() => decide(p, 'dismiss')}>
                不发函
              </Button>
            )}
          </View>
        </Card>
      ))}
      {items.length === 0 ? (
        <EmptyState title="暂无提示函或警示函" />
      ) : (
        items.map((l) => (
          <Card
            key={l.id}
            title={`${l.kindName} ${l.number}`}
            extra={
              <Text className={`gz-status ${l.acknowledgedAt ? 'gz-status--closed' : 'gz-status--reopened'}`}>
                {l.acknowledgedAt ? '已签收' : '待签收'}
              </Text>
            }
          >
            <Text className="gz-muted">
              致 {l.orgName} · {formatTime(l.createdAt)}
            </Text>
            <View>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{l.text}</Text>
            </View>
            {l.issues.length > 0 && (
              <View className="gz-row" style={{ flexWrap: 'wrap', marginTop: '6px' }}>
                {l.issues.map((i) => (
                  <Text
                    key={i.id}
                    className="gz-tag"
                    onClick={() => Taro.navigateTo({ url: `/inspector/pages/issue/index?id=${i.id}` })}
                  >
                    {i.code}
                  </Text>
                ))}
              </View>
            )}
            {l.acknowledgedAt ? (
              <Text className="gz-muted">
                {l.acknowledgedBy} 于 {formatTime(l.acknowledgedAt)} 签收
                {l.acknowledgeNote ? `：${l.acknowledgeNote}` : ''}
              </Text>
            ) : l.allowedActions.includes('acknowledge') ? (
              <Button className="gz-submit" size="small" type="primary" onClick={() => setAcking(l)}>
                签收
              </Button>
            ) : (
              <Text className="gz-muted">等待{l.orgName}签收</Text>
            )}
          </Card>
        ))
      )}
      <Dialog
        visible={acking !== null}
        title="签收并回复"
        confirmText="签收"
        cancelText="取消"
        onCancel={() => setAcking(null)}
        onClose={() => setAcking(null)}
        onConfirm={async () => {
          const l = acking!;
          setAcking(null);
          try {
            await acknowledgeLetter(l.id, note.trim() || undefined);
            setNote('');
            toast('已签收', 'success');
            await load();
          } catch (e) {
            toast((e as Error).message, 'fail');
          }
        }}
      >
        <TextArea
          value={note}
          onChange={setNote}
          placeholder="整改措施或说明（选填）"
          maxLength={1000}
          rows={3}
        />
      </Dialog>
    </Page>
  );
}
