import type { DutyFeedView, DutyPreferencesView } from '@gongzhi/domain';
import { Button, Dialog, Input, Switch } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import {
  chinaDate,
  dutyPreferences,
  myDutyFeed,
  printRotaUrl,
  resetDutyFeed,
  setDutyPreferences,
} from '../../../services/duty';
import { loadMe } from '../../../services/session';
import '../../components/duty.css';

/**
 * Everyone on the rota: their calendar-feed URL (copy, reset), the printable month, and whether
 * 今日值班 on the residents' home page shows their phone while they are on duty.
 */
export default function DutySettingsPage() {
  const [feed, setFeed] = useState<DutyFeedView | null>(null);
  const [prefs, setPrefs] = useState<DutyPreferencesView | null>(null);
  const [community, setCommunity] = useState('');
  const [show, setShow] = useState(false);
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resetting, setResetting] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      setCommunity(me.person?.community ?? '');
      const [f, p] = await Promise.all([myDutyFeed(), dutyPreferences()]);
      setFeed(f);
      setPrefs(p);
      setShow(p.showContact);
      setPhone(p.phone ?? '');
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const copy = async () => {
    if (!feed) return;
    try {
      await Taro.setClipboardData({ data: feed.url });
      toast('订阅地址已复制，请在日历应用中添加订阅', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  const reset = async () => {
    setResetting(false);
    setBusy(true);
    try {
      setFeed(await resetDutyFeed());
      toast('已生成新地址，旧地址已失效', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setBusy(true);
    try {
      const p = await setDutyPreferences(show, phone.trim() || null);
      setPrefs(p);
      toast('已保存', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const print = async () => {
    if (!feed) return;
    const link = printRotaUrl(community, chinaDate().slice(0, 7), feed.token);
    if (process.env.TARO_ENV === 'h5') window.open(link, '_blank');
    else {
      await Taro.setClipboardData({ data: link });
      toast('打印链接已复制，请在电脑浏览器中打开打印');
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!feed || !prefs) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      <Card title="今日值班显示我的电话">
        <View className="gz-row gz-feed__switch">
          <Text>值班时在居民首页显示我的电话</Text>
          <Switch checked={show} onChange={setShow} />
        </View>
        {show && (
          <Input
            value={phone}
            onChange={setPhone}
            type="tel"
            placeholder="显示的电话（不填则用登记的电话）"
            maxLength={20}
          />
        )}
        <Text className="gz-muted gz-feed__public">
          {prefs.publicContact ? `居民现在看到：${prefs.publicContact}` : '居民现在看不到您的电话'}
        </Text>
        <Button type="primary" block disabled={busy} onClick={save}>
          保存
        </Button>
      </Card>
      <Card title="日历订阅">
        <Text className="gz-muted">在手机或电脑日历中订阅此地址，您的班次会自动出现并随调整更新。</Text>
        <Text className="gz-feed__url">{feed.url}</Text>
        <View className="gz-feed__row">
          <Button type="primary" onClick={copy}>
            复制订阅地址
          </Button>
          <Button fill="outline" disabled={busy} onClick={() => setResetting(true)}>
            重置地址
          </Button>
        </View>
      </Card>
      <Card title="打印值班表">
        <Text className="gz-muted">本月已发布的值班表，A4 排版，可张贴公示。</Text>
        <View className="gz-feed__row">
          <Button fill="outline" onClick={print}>
            打开本月值班表
          </Button>
        </View>
      </Card>
      <Dialog
        visible={resetting}
        title="重置订阅地址？"
        confirmText="重置"
        cancelText="取消"
        onConfirm={reset}
        onCancel={() => setResetting(false)}
        onClose={() => setResetting(false)}
      >
        重置后旧地址立即失效，已订阅的日历需要用新地址重新订阅。地址泄露时请重置。
      </Dialog>
    </Page>
  );
}
