import type { AdminCommunityList, Open311KeyIssued, Open311KeyView } from '@gongzhi/domain';
import { Button, Dialog, Input } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { listAdminCommunities } from '../../../people/services';
import { formatTime } from '../../../services/format';
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from '../../services';
import '../../accounts.css';

/**
 * Open311 接入密钥: the keys of the systems that submit issues through Open311 (区城运中心, 12345 …),
 * issued for one community or every one; the key itself is shown once, when it is issued.
 */
export default function Open311KeysPage() {
  const [keys, setKeys] = useState<Open311KeyView[] | null>(null);
  const [communities, setCommunities] = useState<AdminCommunityList>([]);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  // 0 = every community, i = communities[i - 1].
  const [scope, setScope] = useState(0);
  const [issued, setIssued] = useState<Open311KeyIssued | null>(null);
  const [revoking, setRevoking] = useState<Open311KeyView | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [k, c] = await Promise.all([listOpen311Keys(), listAdminCommunities()]);
      setKeys(k);
      setCommunities(c);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const create = useAction(
    (input: { name: string; community?: string }, key) => createOpen311Key(input, key),
    { done: '密钥已生成' },
  );
  const revoke = useAction((id: string) => revokeOpen311Key(id), { done: '密钥已吊销' });

  const communityName = (key: string | null) =>
    key === null ? '全部小区' : (communities.find((c) => c.key === key)?.name ?? key);

  const submit = async () => {
    if (name.trim().length < 2) return toast('请填写系统名称（至少 2 个字）', 'warn');
    const community = scope === 0 ? undefined : communities[scope - 1]?.key;
    const key = await create.run({ name: name.trim(), community });
    if (!key) return;
    setIssued(key);
    setName('');
    await load();
  };

  const confirmRevoke = async () => {
    const k = revoking;
    setRevoking(null);
    if (k && (await revoke.run(k.id))) await load();
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!keys) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      {issued && (
        <Card title={`${issued.name}的接入密钥`}>
          <Text className="gz-admin__secret" userSelect>
            {issued.key}
          </Text>
          <Text className="gz-admin__warn">
            密钥只显示这一次，离开本页后无法再查看。请立即复制，交给对方系统的管理人员妥善保存；遗失后只能吊销并重新生成。
          </Text>
          <Button
            className="gz-submit"
            block
            type="primary"
            onClick={() =>
              Taro.setClipboardData({ data: issued.key }).then(
                () => toast('已复制', 'success'),
                () => toast('复制失败，请手动抄写', 'fail'),
              )
            }
          >
            复制密钥
          </Button>
          <Button className="gz-submit" block fill="outline" onClick={() => setIssued(null)}>
            我已保存，关闭
          </Button>
        </Card>
      )}
      <Card title="生成密钥">
        <Text className="gz-label">对方系统名称（工作人员在其提交的问题上看到）</Text>
        <Input
          className="gz-input"
          name="name"
          placeholder="如：区城运中心平台"
          value={name}
          onChange={setName}
          maxLength={60}
        />
        <Text className="gz-label">可提交到的小区</Text>
        <Picker
          mode="selector"
          range={['全部小区', ...communities.map((c) => c.name)]}
          value={scope}
          onChange={(e) => setScope(Number(e.detail.value))}
        >
          <View className="gz-admin__picker">
            <Text>{scope === 0 ? '全部小区' : communities[scope - 1]?.name}</Text>
            <Text className="gz-muted">▾</Text>
          </View>
        </Picker>
        <Button
          className="gz-submit"
          block
          type="primary"
          loading={create.busy}
          disabled={create.busy}
          onClick={submit}
        >
          生成密钥
        </Button>
      </Card>
      <Card title={`已发放的密钥（${keys.length}）`}>
        {keys.length === 0 ? (
          <EmptyState title="还没有发放密钥" />
        ) : (
          keys.map((k) => (
            <View key={k.id} className="gz-admin__item">
              <View className="gz-row gz-admin__item-head">
                <Text className="gz-admin__name">{k.name}</Text>
                {k.revokedAt ? (
                  <Text className="gz-tag gz-accounts__off">已吊销</Text>
                ) : (
                  <Text className="gz-tag">使用中</Text>
                )}
              </View>
              <Text className="gz-muted gz-accounts__line">
                {communityName(k.community)} · 密钥 {k.keyPrefix}…
              </Text>
              <Text className="gz-muted gz-accounts__line">创建于 {formatTime(k.createdAt)}</Text>
              <Text className="gz-muted gz-accounts__line">
                {k.lastUsedAt ? `最近使用 ${formatTime(k.lastUsedAt)}` : '从未使用'}
              </Text>
              {k.revokedAt ? (
                <Text className="gz-muted gz-accounts__off gz-accounts__line">
                  吊销于 {formatTime(k.revokedAt)}
                </Text>
              ) : (
                <Button
                  className="gz-admin__act"
                  type="danger"
                  fill="outline"
                  disabled={revoke.busy}
                  onClick={() => setRevoking(k)}
                >
                  吊销
                </Button>
              )}
            </View>
          ))
        )}
      </Card>
      <Dialog
        visible={revoking !== null}
        title="吊销密钥"
        confirmText="吊销"
        cancelText="取消"
        onConfirm={() => void confirmRevoke()}
        onCancel={() => setRevoking(null)}
        onClose={() => setRevoking(null)}
      >
        <Text>
          {revoking
            ? `吊销后「${revoking.name}」用此密钥提交的请求将被拒绝，且无法恢复；如需继续接入须重新生成密钥。`
            : ''}
        </Text>
      </Dialog>
    </Page>
  );
}
