import type { ArchiveList, ArchiveView } from '@gongzhi/domain';
import { Button, Dialog } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { EmptyState, ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { formatTime } from '../../../services/format';
import { ApiError, url } from '../../../services/http';
import { loadMe } from '../../../services/session';
import { archiveLink, createArchive, listArchives } from '../../services';
import '../../archive.css';

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** Confirming an archive: what it asks, and for which quarter (a second time when work is still open). */
interface Asking {
  quarter: string;
  label: string;
  openIssues: string | null;
}

/**
 * 季度归档 (secretary, leadership group): the archived quarters with their package (size, SHA-256,
 * who and when), archiving a finished quarter — which makes it read-only — and downloading. The
 * buttons are the server's offer (`ArchiveList.allowedActions`, each package's `allowedActions`).
 */
export default function ArchivePage() {
  const [community, setCommunity] = useState('');
  const [data, setData] = useState<ArchiveList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const me = await loadMe();
      const key = me.person?.community ?? '';
      setCommunity(key);
      setData(await listArchives(key));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load);

  const archive = async (a: Asking) => {
    setAsking(null);
    setBusy(true);
    try {
      await createArchive(community, a.quarter, a.openIssues !== null);
      toast(`${a.label}已归档`, 'success');
      await load();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'quarter_has_open_issues') {
        setAsking({ ...a, openIssues: e.message });
      } else toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const download = async (a: ArchiveView) => {
    try {
      const link = await archiveLink(a.id);
      if (process.env.TARO_ENV === 'h5') {
        // Same origin as the page (the API serves the H5 build): the browser downloads the zip.
        const u = new URL(link.url);
        window.location.assign(url(u.pathname + u.search));
      } else {
        // A mini-program cannot save a zip where a person can open it: the secretary opens the
        // link on a computer instead (it works for ten minutes, without signing in).
        await Taro.setClipboardData({ data: link.url });
        toast('下载链接已复制，请在 10 分钟内用电脑浏览器打开', 'success');
      }
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;
  return (
    <Page>
      <PageToast />
      {data.allowedActions.includes('create') && (
        <Card title="归档已结束的季度">
          <Text className="gz-muted gz-archive__line">
            归档包含该季度的全部问题及处理记录和照片、会议纪要与表决、值班记录、函件，并附 PDF 摘要和 SHA-256
            校验清单。归档后该季度的记录只读。
          </Text>
          {data.archivable.length === 0 ? (
            <Text className="gz-muted">最近四个季度都已归档</Text>
          ) : (
            <View className="gz-row gz-archive__quarters">
              {data.archivable.map((q) => (
                <Button
                  key={q.quarter}
                  size="small"
                  type="primary"
                  fill="outline"
                  loading={busy}
                  disabled={busy}
                  onClick={() => setAsking({ quarter: q.quarter, label: q.label, openIssues: null })}
                >
                  归档{q.label}
                </Button>
              ))}
            </View>
          )}
        </Card>
      )}
      {data.items.length === 0 ? (
        <EmptyState title="还没有归档的季度" />
      ) : (
        data.items.map((a) => (
          <Card key={a.id} title={a.label} extra={<Text className="gz-tag">{size(a.bytes)}</Text>}>
            <Text className="gz-archive__line">
              {formatTime(a.createdAt)} 由 {a.createdBy.name} 归档 · {a.fileCount} 个文件
            </Text>
            <Text className="gz-muted gz-archive__line">
              问题 {a.counts.issues} 件（归档时未办结 {a.counts.openIssues} 件）· 照片 {a.counts.photos} 张 ·
              区域会议 {a.counts.zoneMeetings} 次 · 联席会议 {a.counts.jointMeetings} 次 · 值班接待{' '}
              {a.counts.dutyLogEntries} 条 · 函件 {a.counts.letters} 份
            </Text>
            <Text className="gz-muted gz-archive__line">{a.fileName} 的 SHA-256：</Text>
            <Text className="gz-archive__sha" userSelect>
              {a.sha256}
            </Text>
            {a.allowedActions.includes('download') && (
              <Button className="gz-submit" size="small" type="primary" onClick={() => download(a)}>
                {process.env.TARO_ENV === 'h5' ? '下载归档包' : '复制下载链接'}
              </Button>
            )}
          </Card>
        ))
      )}
      <Dialog
        visible={asking !== null}
        title={asking?.openIssues ? '仍有未办结的问题' : `归档${asking?.label ?? ''}`}
        confirmText={asking?.openIssues ? '仍要归档' : '归档'}
        cancelText="取消"
        onCancel={() => setAsking(null)}
        onClose={() => setAsking(null)}
        onConfirm={() => {
          if (asking) void archive(asking);
        }}
      >
        <Text>
          {asking?.openIssues ??
            '归档后，该季度的问题、会议、值班接待记录和函件都将只读，任何修改都会被拒绝。确定归档吗？'}
        </Text>
      </Dialog>
    </Page>
  );
}
