import { type NoticeView, periodLabel } from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ReasonDialog } from '../../../components/reason-dialog';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { isLoggedIn } from '../../../services/session';
import { getNotice, printUrl, stepNotice, withdrawNotice } from '../../services';
import '../../notices.css';

/** "2026年11月21日" in China time (weapp has no reliable Intl). */
function fullDate(iso: string) {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** One notice as residents read it; those who run notices see its steps and act on it here. */
export default function NoticeDetail() {
  const { params } = useRouter();
  const id = params.id ?? '';
  const [notice, setNotice] = useState<NoticeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      setNotice(await getNotice(id, isLoggedIn()));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useReload(load);

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!notice) return <LoadingState />;

  const act = async (run: () => Promise<NoticeView>, done: string) => {
    setBusy(true);
    try {
      setNotice(await run());
      toast(done, 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const print = () => {
    const link = printUrl(notice.printPath);
    if (process.env.TARO_ENV === 'h5') {
      window.open(link, '_blank');
    } else {
      // A mini-program cannot print: the link opens the printable page in a browser.
      void Taro.setClipboardData({ data: link }).then(() =>
        toast('打印链接已复制，请在电脑浏览器中打开打印'),
      );
    }
  };

  const can = (a: NoticeView['allowedActions'][number]) => notice.allowedActions.includes(a);
  const staff = notice.allowedActions.length > 0;

  return (
    <Page>
      <PageToast />
      <Card>
        {notice.status === 'superseded' && notice.supersededBy && (
          <Text
            className="gz-notice__banner"
            onClick={() => Taro.redirectTo({ url: `/notices/pages/detail/index?id=${notice.supersededBy}` })}
          >
            本公告已被更正，点击查看更正后的公告 ›
          </Text>
        )}
        {notice.status === 'withdrawn' && notice.withdrawn && (
          <Text className="gz-notice__banner">
            已于 {formatTime(notice.withdrawn.at)} 由 {notice.withdrawn.by} 撤回：{notice.withdrawn.reason}
          </Text>
        )}
        {(notice.status === 'draft' || notice.status === 'approved') && (
          <Text className="gz-notice__banner">{notice.statusName}，尚未发布，居民看不到</Text>
        )}
        <Text className="gz-notice__title">{notice.title}</Text>
        {notice.number && <Text className="gz-notice__number">{notice.number}</Text>}
        <View className="gz-notice__meta">
          <Text className="gz-tag gz-tag--grey">{notice.kindName}</Text>
          {notice.inNoticePeriod && (
            <Text className="gz-notice-item__live">
              {notice.kind === 'announcement' ? '有效期内' : '公示中'}
            </Text>
          )}
          {notice.zoneName && <Text className="gz-tag">{notice.zoneName}</Text>}
          {notice.supersedes && <Text className="gz-tag">更正公告</Text>}
        </View>
        <Text className="gz-notice__body">{notice.body}</Text>
        {notice.periodText && (
          <Text className="gz-notice__period">
            {periodLabel(notice.kind)}：{notice.periodText}
          </Text>
        )}
        <View className="gz-notice__sign">
          <Text>{notice.communityName}</Text>
          <Text>{fullDate(notice.publishedAt ?? notice.createdAt)}</Text>
        </View>
      </Card>
      <Button className="gz-submit" block type="primary" fill="outline" onClick={print}>
        {process.env.TARO_ENV === 'h5' ? '打印' : '复制打印链接'}
      </Button>
      {staff && (
        <Card title="审核与发布">
          <View className="gz-notice__steps">
            <Text>
              起草：{notice.drafted.by} {formatTime(notice.drafted.at)}
            </Text>
            {notice.approved && (
              <Text>
                审核：{notice.approved.by} {formatTime(notice.approved.at)}
              </Text>
            )}
            {notice.published && (
              <Text>
                发布：{notice.published.by} {formatTime(notice.published.at)}
              </Text>
            )}
          </View>
          <View className="gz-notice__actions">
            {can('edit') && (
              <Button
                block
                fill="outline"
                onClick={() => Taro.navigateTo({ url: `/notices/pages/compose/index?id=${notice.id}` })}
              >
                修改草稿
              </Button>
            )}
            {can('approve') && (
              <Button
                block
                type="primary"
                loading={busy}
                onClick={() => act(() => stepNotice(id, 'approve'), '已审核')}
              >
                审核通过
              </Button>
            )}
            {can('publish') && (
              <Button
                block
                type="primary"
                loading={busy}
                onClick={() => act(() => stepNotice(id, 'publish'), '已发布')}
              >
                发布
              </Button>
            )}
            {can('withdraw') && (
              <Button block fill="outline" type="danger" onClick={() => setWithdrawing(true)}>
                撤回
              </Button>
            )}
          </View>
        </Card>
      )}
      <ReasonDialog
        visible={withdrawing}
        title="撤回公告"
        placeholder="请填写撤回原因"
        onCancel={() => setWithdrawing(false)}
        onConfirm={(reason) => {
          setWithdrawing(false);
          void act(() => withdrawNotice(id, reason), '已撤回');
        }}
      />
    </Page>
  );
}
