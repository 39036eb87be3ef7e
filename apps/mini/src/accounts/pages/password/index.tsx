import { PASSWORD_MIN_LENGTH, passwordProblems } from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { PageToast, toast } from '../../../components/toast';
import { forgetMe, loadMe } from '../../../services/session';
import { changeOwnPassword } from '../../services';
import '../../accounts.css';

/**
 * 修改密码, for every signed-in person. After a reset it is where the login sends them: the
 * one-time password opens nothing else until it is replaced (the server refuses the rest).
 */
export default function ChangePasswordPage() {
  const [forced, setForced] = useState(false);
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    loadMe().then(
      (me) => setForced(me.passwordChangeRequired),
      () => undefined,
    );
  }, []);

  // The same rule the server applies (which also checks the phone), shown before sending.
  const problems = newPassword ? passwordProblems(newPassword, { previous: oldPassword }) : [];

  const submit = async () => {
    if (!oldPassword) return toast(forced ? '请输入一次性密码' : '请输入原密码', 'warn');
    if (problems.length > 0) return toast(problems[0]!.message, 'warn');
    if (newPassword !== repeat) return toast('两次输入的新密码不一致', 'warn');
    setBusy(true);
    try {
      await changeOwnPassword(oldPassword, newPassword);
      forgetMe();
      toast('密码已修改，其他设备上的登录已退出', 'success');
      setTimeout(() => void Taro.switchTab({ url: '/pages/work/index' }), 1200);
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page>
      <PageToast />
      {forced && (
        <Card title="请先设置新密码">
          <Text className="gz-accounts__line">
            您正在使用管理员提供的一次性密码。设置自己的新密码后才能继续使用。
          </Text>
        </Card>
      )}
      <Card>
        <Text className="gz-label">{forced ? '一次性密码' : '原密码'}</Text>
        <Input
          className="gz-input"
          name="oldPassword"
          type="password"
          placeholder={forced ? '请输入一次性密码' : '请输入原密码'}
          value={oldPassword}
          onChange={setOld}
        />
        <Text className="gz-label">新密码</Text>
        <Input
          className="gz-input"
          name="newPassword"
          type="password"
          placeholder="请输入新密码"
          value={newPassword}
          onChange={setNew}
        />
        <Text className="gz-label">再次输入新密码</Text>
        <Input
          className="gz-input"
          name="repeat"
          type="password"
          placeholder="请再次输入新密码"
          value={repeat}
          onChange={setRepeat}
        />
        {problems.map((p) => (
          <Text key={p.code} className="gz-accounts__off gz-accounts__line">
            {p.message}
          </Text>
        ))}
        <Text className="gz-muted gz-accounts__line">
          至少 {PASSWORD_MIN_LENGTH}{' '}
          位，含字母、数字、符号中的至少两种；不要用手机号或常见密码。修改后其他设备上的登录会退出。
        </Text>
        <Button className="gz-submit" block type="primary" loading={busy} disabled={busy} onClick={submit}>
          确认修改
        </Button>
      </Card>
    </Page>
  );
}
