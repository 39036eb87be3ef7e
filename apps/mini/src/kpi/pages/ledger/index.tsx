import {
  type ExportJobView,
  ISSUE_STATUSES,
  monthOf,
  type PublicCommunity,
  STATUS_NAMES,
  stepPeriod,
} from '@gongzhi/domain';
import { Button } from '@nutui/nutui-react-taro';
import { Picker, Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { chinaDate } from '../../../services/duty';
import { downloadLedger, downloadTable, readExportJob, startLedgerJob } from '../../../services/kpi';
import { loadMe } from '../../../services/session';
import '../../kpi.css';

interface Option {
  value: string;
  title: string;
}

/** One filter as a full-width row that opens the system picker (a finger-sized target). */
function Filter({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: Option[];
  value: string;
  onChange: (v: string) => void;
}) {
  const idx = Math.max(
    0,
    options.findIndex((o) => o.value === value),
  );
  return (
    <Picker
      mode="selector"
      range={options.map((o) => o.title)}
      value={idx}
      onChange={(e) => onChange(options[Number(e.detail.value)]!.value)}
    >
      <View className="gz-ledger__filter">
        <Text className="gz-ledger__filter-label">{label}</Text>
        <Text className="gz-ledger__filter-value">{options[idx]!.title} ›</Text>
      </View>
    </Picker>
  );
}

/**
 * The issue ledger (工单台账) for the 居委会's monthly reporting: a month and optional filters, then
 * Excel (H5 and weapp) or CSV (H5). The server decides which issues the caller may see.
 */
export default function LedgerPage() {
  const today = chinaDate();
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [period, setPeriod] = useState(() => monthOf(today));
  const [zone, setZone] = useState('');
  const [category, setCategory] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<ExportJobView | null>(null);

  // A running export job: its progress every two seconds until it is done or failed.
  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const timer = setTimeout(() => {
      readExportJob(job.id).then(setJob, (e) => toast((e as Error).message, 'fail'));
    }, 2000);
    return () => clearTimeout(timer);
  }, [job]);

  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setCommunity(await loadCommunity(key));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!community) return <LoadingState />;

  const all = (title: string): Option[] => [{ value: '', title }];
  const download = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      await downloadLedger(
        community.key,
        {
          period: period.key,
          ...(zone ? { zone } : {}),
          ...(category ? { category } : {}),
          ...(status ? { status } : {}),
        },
        format,
      );
      toast('已导出', 'success');
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const year = period.from.slice(0, 4);
  const startYearJob = async () => {
    setBusy(true);
    try {
      setJob(
        await startLedgerJob(
          community.key,
          {
            from: `${year}-01-01`,
            to: `${year}-12-31`,
            ...(zone ? { zone } : {}),
            ...(category ? { category } : {}),
            ...(status ? { status } : {}),
          },
          'xlsx',
        ),
      );
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(false);
    }
  };
  const downloadJob = async () => {
    if (!job?.downloadUrl) return;
    try {
      await downloadTable(job.downloadUrl, 'xlsx', 'ledger');
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  return (
    <Page>
      <PageToast />
      <View className="gz-kpi__period">
        <Button size="small" fill="outline" onClick={() => setPeriod(stepPeriod(period, -1))}>
          上一月
        </Button>
        <Text className="gz-kpi__period-label">{period.label}</Text>
        <Button
          size="small"
          fill="outline"
          disabled={stepPeriod(period, 1).from > today}
          onClick={() => setPeriod(stepPeriod(period, 1))}
        >
          下一月
        </Button>
      </View>
      <Card title="筛选">
        <Filter
          label="区域"
          options={all('全部区域').concat(community.zones.map((z) => ({ value: z.key, title: z.name })))}
          value={zone}
          onChange={setZone}
        />
        <Filter
          label="类别"
          options={all('全部类别').concat(community.categories.map((c) => ({ value: c.key, title: c.name })))}
          value={category}
          onChange={setCategory}
        />
        <Filter
          label="状态"
          options={all('全部状态').concat(ISSUE_STATUSES.map((s) => ({ value: s, title: STATUS_NAMES[s] })))}
          value={status}
          onChange={setStatus}
        />
        <Text className="gz-muted">台账按提交时间排列，只包含您有权查看的问题；文件可直接用于月度报送。</Text>
      </Card>
      <View className="gz-kpi__export">
        <Button type="primary" loading={busy} onClick={() => download('xlsx')}>
          导出 Excel
        </Button>
        {process.env.TARO_ENV === 'h5' && (
          <Button fill="outline" loading={busy} onClick={() => download('csv')}>
            导出 CSV
          </Button>
        )}
      </View>
      <Card title={`${year}年全年台账（后台导出）`}>
        {!job && (
          <Button fill="outline" loading={busy} onClick={startYearJob}>
            后台导出全年 Excel
          </Button>
        )}
        {job && job.status !== 'done' && job.status !== 'failed' && (
          <Text className="gz-muted">
            进度：{job.status === 'queued' ? '排队中' : `${job.done} / ${job.total ?? '…'} 条`}
          </Text>
        )}
        {job?.status === 'done' && (
          <Button type="primary" onClick={downloadJob}>
            下载（{job.total} 条）
          </Button>
        )}
        {job?.status === 'failed' && <Text className="gz-muted">导出失败：{job.error}</Text>}
      </Card>
    </Page>
  );
}
