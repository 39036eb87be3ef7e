import { BAN_KIND_NAMES, type BanInput, type BanKind, type BanView } from '@gongzhi/domain';
import { Button, Dialog, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { addBan, listBans, removeBan } from '../../services';
import '../../accounts.css';

/** The phone first: what a person usually has in hand. */
const KINDS: readonly BanKind[] = ['phone', 'openid'];

const PLACEHOLDERS: Record<BanKind, string> = {
  phone: '请输入手机号码',
  openid: '请输入微信 openid',
};

/**
 * 封禁名单: reporters (a phone or a WeChat account) whose complaints are kept but hidden and never
 * dispatched; the reporter is not told. Add with a reason; lift with a confirmation.
 */
export default function BansPage() {
  const [bans, setBans] = useState<BanView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<BanKind>('phone');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [lifting, setLifting] = useState<BanView | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setBans(await listBans());
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const adding = useAction((input: BanInput) => addBan(input), { done: '已加入封禁名单' });
  const removing = useAction((id: string) => removeBan(id), { done: '已解除封禁' });

  const submit = async () => {
    if (!value.trim()) return toast(kind === 'phone' ? '请输入手机号码' : '请输入 openid', 'warn');
    if (reason.trim().length < 2) return toast('请填写原因', 'warn');
    if (!(await adding.run({ kind, value: value.trim(), reason: reason.trim() }))) return;
    setValue('');
    setReason('');
    await load();
  };

  const confirmLift = async () => {
    const b = lifting;
    setLifting(null);
    if (b && (await removing.run(b.id)) !== undefined) await load();
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!bans) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      <Card title="加入封禁名单">
        <Text className="gz-muted gz-accounts__line">
          被封禁者提交的投诉仍会保存，但不显示在列表中、不派单，本人不会收到提示。仅用于恶意、骚扰性投诉。
        </Text>
        <View className="gz-row gz-accounts__filters">
          {KINDS.map((k) => (
            <Button key={k} size="small" type={kind === k ? 'primary' : 'default'} onClick={() => setKind(k)}>
              {BAN_KIND_NAMES[k]}
            </Button>
          ))}
        </View>
        <Input
          className="gz-input"
          name="value"
          type={kind === 'phone' ? 'tel' : 'text'}
          placeholder={PLACEHOLDERS[kind]}
          value={value}
          onChange={setValue}
          maxLength={128}
        />
        <Text className="gz-label">原因</Text>
        <TextArea
          className="gz-textarea"
          placeholder="请填写封禁原因（至少 2 个字）"
          value={reason}
          onChange={setReason}
          maxLength={500}
          rows={3}
        />
        <Button
          className="gz-submit"
          block
          type="primary"
          loading={adding.busy}
          disabled={adding.busy}
          onClick={submit}
        >
          加入封禁名单
        </Button>
      </Card>
      <Card title={`封禁中（${bans.length}）`}>
        {bans.length === 0 ? (
          <EmptyState title="封禁名单为空" />
        ) : (
          bans.map((b) => (
            <View key={b.id} className="gz-admin__item">
              <View className="gz-row gz-admin__item-head">
                <Text className="gz-admin__name">{b.value}</Text>
                <Text className="gz-tag">{BAN_KIND_NAMES[b.kind]}</Text>
              </View>
              <Text className="gz-accounts__line">原因：{b.reason}</Text>
              <Text className="gz-muted gz-accounts__line">封禁于 {formatTime(b.createdAt)}</Text>
              <Button
                className="gz-admin__act"
                fill="outline"
                disabled={removing.busy}
                onClick={() => setLifting(b)}
              >
                解除封禁
              </Button>
            </View>
          ))
        )}
      </Card>
      <Dialog
        visible={lifting !== null}
        title="解除封禁"
        confirmText="解除"
        cancelText="取消"
        onConfirm={() => void confirmLift()}
        onCancel={() => setLifting(null)}
        onClose={() => setLifting(null)}
      >
        <Text>
          {lifting ? `解除后 ${lifting.value} 之后提交的投诉将照常显示和派单（已隐藏的投诉不会恢复）。` : ''}
        </Text>
      </Dialog>
    </Page>
  );
}
