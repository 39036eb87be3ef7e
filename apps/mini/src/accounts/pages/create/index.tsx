import type { AccountPeople, OneTimePasswordView } from '@gongzhi/domain';
import { Button, Cell, CellGroup, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { OneTimePasswordCard } from '../../parts';
import { createStaffAccount, listAccountPeople } from '../../services';
import '../../accounts.css';

/**
 * 新建账号: pick a person of the community's config (those with a working account are marked), give
 * the phone they sign in with; the one-time password is shown once, to hand over.
 */
export default function CreateAccountPage() {
  const [data, setData] = useState<AccountPeople | null>(null);
  const [community, setCommunity] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [person, setPerson] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<OneTimePasswordView | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await listAccountPeople(community));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [community]);
  useReload(load, 'mount');

  const submit = async () => {
    if (!data) return;
    if (!person) return toast('请选择人员', 'warn');
    if (!/^1\d{10}$/.test(phone)) return toast('请输入 11 位手机号码', 'warn');
    setBusy(true);
    try {
      setCreated(await createStaffAccount({ community: data.community.key, person, phone }));
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;
  if (created)
    return (
      <Page>
        <PageToast />
        <Card title="账号已创建">
          <Text className="gz-accounts__line">
            {created.account.person?.name ?? created.account.displayName} · {created.account.phone}
          </Text>
        </Card>
        <OneTimePasswordCard
          name={created.account.person?.name ?? created.account.displayName}
          password={created.oneTimePassword}
        />
        <Button
          className="gz-submit"
          block
          type="primary"
          onClick={() => Taro.redirectTo({ url: `/accounts/pages/detail/index?id=${created.account.id}` })}
        >
          查看账号
        </Button>
      </Page>
    );

  const chosen = data.people.find((p) => p.key === person);
  return (
    <Page>
      <PageToast />
      {data.communities.length > 1 && (
        <View className="gz-row gz-accounts__filters">
          {data.communities.map((c) => (
            <Button
              key={c.key}
              size="small"
              type={c.key === data.community.key ? 'primary' : 'default'}
              onClick={() => {
                setPerson('');
                setCommunity(c.key);
              }}
            >
              {c.name}
            </Button>
          ))}
        </View>
      )}
      <Card title="手机号（登录用）">
        <Input
          className="gz-input"
          name="phone"
          type="tel"
          placeholder="请输入本人手机号"
          value={phone}
          onChange={setPhone}
          maxLength={11}
        />
        <Text className="gz-muted gz-accounts__line">
          {chosen ? `为 ${chosen.name} 创建账号` : '请在下方选择人员'}
        </Text>
        <Button className="gz-submit" block type="primary" loading={busy} disabled={busy} onClick={submit}>
          创建账号
        </Button>
      </Card>
      <CellGroup title={`${data.community.name}的人员`}>
        {data.people.map((p) => {
          const working = p.accounts.find((a) => !a.disabled);
          return (
            <Cell
              key={p.key}
              title={`${person === p.key ? '✓ ' : ''}${p.name}`}
              description={
                working ? `已有账号 ${working.phone ?? ''}` : p.accounts.length ? '账号已停用' : '尚无账号'
              }
              clickable={!working}
              className={person === p.key ? 'gz-accounts__chosen' : undefined}
              onClick={() => {
                if (working) return toast(`${p.name}已有账号`, 'warn');
                setPerson(p.key);
                if (p.phone && !phone) setPhone(p.phone);
                void Taro.pageScrollTo({ scrollTop: 0, duration: 200 });
              }}
            />
          );
        })}
      </CellGroup>
    </Page>
  );
}
