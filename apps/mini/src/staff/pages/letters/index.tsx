import type { LetterView } from '@gongzhi/domain';
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
import { acknowledgeLetter, listLetters } from '../../../services/work';

/** Reminder and warning letters (提示函 / 警示函) to an organisation, each acknowledged in writing. */
export default function LettersPage() {
  const [items, setItems] = useState<LetterView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acking, setAcking] = useState<LetterView | null>(null);
  const [note, setNote] = useState('');

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      setItems((await listLetters(me.person?.community ?? '')).items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!items) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      {items.length === 0 ? (
        <EmptyState title="没有收到提示函或警示函" />
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
            ) : (
              <Button className="gz-submit" size="small" type="primary" onClick={() => setAcking(l)}>
                签收
              </Button>
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
