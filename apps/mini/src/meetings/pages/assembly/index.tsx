import {
  ART278_MATTER_NAMES,
  type Art278Matter,
  type FundUseView,
  IssueDetail,
  type OwnersAssemblyList,
} from '@gongzhi/domain';
import { Button, Input } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useReload } from '../../../hooks/use-reload';
import { newIdempotencyKey } from '../../../services/action-key';
import { formatTime } from '../../../services/format';
import { api } from '../../../services/http';
import { Segmented } from '../../parts';
import {
  acknowledgeFundOcReport,
  draftFundNotice,
  listOwnersAssemblies,
  recordOwnersAssembly,
  reportFundUseToOc,
} from '../../services';

/** The matters an issue's assembly decides: the fund's use, and what shared parts usually need. */
const MATTERS: Art278Matter[] = ['use_fund', 'rebuild', 'change_use', 'other'];
const SHORT: Partial<Record<Art278Matter, string>> = {
  use_fund: '使用维修资金',
  rebuild: '改建重建',
  change_use: '改变用途',
  other: '其他重大事项',
};

const FIELDS = [
  ['totalOwners', '业主总人数'],
  ['totalArea', '专有部分总面积（m²）'],
  ['participatingOwners', '参与表决人数'],
  ['participatingArea', '参与表决面积（m²）'],
  ['consentingOwners', '同意人数'],
  ['consentingArea', '同意面积（m²）'],
] as const;
type Field = (typeof FIELDS)[number][0];

const pad = (n: number) => String(n).padStart(2, '0');
const today = () => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/**
 * 业主大会与维修资金: every vote of the owners' assembly on an issue (append-only, numbered, each with
 * art. 278's arithmetic), the maintenance fund's procedure step by step, and the controls the
 * server offers the caller (the 业委会 enters votes and receives the report; the issue's owner drafts
 * the 公示 and reports).
 */
export default function AssemblyPage() {
  const { params } = useRouter();
  const issue = params.issue ?? '';
  const [data, setData] = useState<OwnersAssemblyList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [matter, setMatter] = useState<Art278Matter>('use_fund');
  const [heldOn, setHeldOn] = useState(today());
  const [form, setForm] = useState<Record<Field, string>>({
    totalOwners: '',
    totalArea: '',
    participatingOwners: '',
    participatingArea: '',
    consentingOwners: '',
    consentingArea: '',
  });
  const [key, setKey] = useState(newIdempotencyKey);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await listOwnersAssemblies(issue));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [issue]);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!data) return <LoadingState />;
  const fund: FundUseView | null = data.fundUse;
  const can = (a: FundUseView['allowedActions'][number]) => fund?.allowedActions.includes(a) ?? false;

  const step = async (name: string, run: () => Promise<unknown>, done: string) => {
    setBusy(name);
    try {
      await run();
      toast(done, 'success');
      await load();
    } catch (e) {
      toast((e as Error).message, 'fail');
    } finally {
      setBusy(null);
    }
  };

  const submitVote = () => {
    const n = Object.fromEntries(FIELDS.map(([k]) => [k, Number(form[k])])) as Record<Field, number>;
    if (FIELDS.some(([k]) => form[k].trim() === '' || !Number.isFinite(n[k])))
      return toast('请填写全部人数和面积', 'warn');
    return step(
      'vote',
      async () => {
        await recordOwnersAssembly(
          issue,
          {
            matter,
            heldOn,
            totalOwners: n.totalOwners,
            totalArea: n.totalArea,
            totals: {
              participatingOwners: n.participatingOwners,
              participatingArea: n.participatingArea,
              consentingOwners: n.consentingOwners,
              consentingArea: n.consentingArea,
            },
          },
          key,
        );
        setKey(newIdempotencyKey());
      },
      '表决结果已录入',
    );
  };

  return (
    <Page>
      <PageToast />
      {fund && (
        <Card
          title="维修资金使用程序"
          extra={
            <Text className={fund.canStart ? 'gz-ok' : 'gz-bad'}>
              {fund.canStart ? '可以施工' : '未完成'}
            </Text>
          }
        >
          {fund.steps.map((s) => (
            <View key={s.step} className="gz-row gz-check-line">
              <Text className={s.done ? 'gz-ok' : 'gz-bad'}>{s.done ? '✓' : '○'}</Text>
              <Text className="gz-item__line">{s.text}</Text>
            </View>
          ))}
          {fund.notice && (
            <Text className="gz-item__line gz-muted">公示公告：{fund.notice.number ?? '已发布'}</Text>
          )}
          {fund.reportedBy && fund.reportedToOcAt && (
            <Text className="gz-item__line gz-muted">
              {formatTime(fund.reportedToOcAt)} 由{fund.reportedBy.name}上报业委会
            </Text>
          )}
          {fund.ocAcknowledgedBy && fund.ocAcknowledgedAt && (
            <Text className="gz-item__line gz-muted">
              {formatTime(fund.ocAcknowledgedAt)} 业委会成员{fund.ocAcknowledgedBy.name}签收
            </Text>
          )}
          <View className="gz-item__actions">
            {can('draft_notice') && (
              <Button
                type="primary"
                loading={busy === 'notice'}
                onClick={() =>
                  step(
                    'notice',
                    async () => {
                      const detail = await api(IssueDetail, `/api/issues/${issue}`, { auth: true });
                      const n = await draftFundNotice(detail.community, issue, newIdempotencyKey());
                      void Taro.navigateTo({ url: `/notices/pages/detail/index?id=${n.id}` });
                    },
                    '公示草稿已生成，审核发布后开始公示',
                  )
                }
              >
                起草维修资金公示
              </Button>
            )}
            {can('report_to_oc') && (
              <Button
                type="primary"
                loading={busy === 'report'}
                onClick={() =>
                  step('report', () => reportFundUseToOc(issue), '已上报业委会，等待业委会成员签收')
                }
              >
                上报业委会
              </Button>
            )}
            {can('acknowledge_oc_report') && (
              <Button
                type="primary"
                loading={busy === 'ack'}
                onClick={() => step('ack', () => acknowledgeFundOcReport(issue, '业委会已收悉'), '已签收')}
              >
                业委会签收
              </Button>
            )}
          </View>
        </Card>
      )}

      {data.mayRecord && (
        <Card title="录入业主大会表决结果">
          <Text className="gz-item__line gz-muted">
            每次业主大会只录入一次，录入后不能修改；再次表决须另行召开业主大会。
          </Text>
          <Text className="gz-label">表决事项</Text>
          <Segmented
            options={MATTERS.map((m) => ({ key: m, label: SHORT[m] ?? ART278_MATTER_NAMES[m] }))}
            value={matter}
            onChange={setMatter}
          />
          <Text className="gz-label">召开日期</Text>
          <Input className="gz-input" placeholder="召开日期 YYYY-MM-DD" value={heldOn} onChange={setHeldOn} />
          {FIELDS.map(([k, label]) => (
            <View key={k}>
              <Text className="gz-label">{label}</Text>
              <Input
                className="gz-input"
                type="digit"
                placeholder={label}
                value={form[k]}
                onChange={(v) => setForm((f) => ({ ...f, [k]: v }))}
              />
            </View>
          ))}
          <Button className="gz-submit" block type="primary" loading={busy === 'vote'} onClick={submitVote}>
            录入表决结果
          </Button>
        </Card>
      )}

      {data.items.length === 0 && (
        <Card title="业主大会表决">
          <Text className="gz-muted">这个问题还没有业主大会表决</Text>
        </Card>
      )}
      {[...data.items].reverse().map((a) => (
        <Card
          key={a.id}
          title={`第 ${a.attempt} 次表决 · ${a.result.matterName}`}
          extra={
            <Text className={a.passed ? 'gz-ok' : 'gz-bad'}>{a.passed ? '表决通过' : '表决未通过'}</Text>
          }
        >
          <Text className="gz-item__line gz-muted">
            {a.heldOn ? `${a.heldOn} 召开 · ` : ''}《民法典》第二百七十八条 ·{' '}
            {a.result.rule === 'three_quarters' ? '双四分之三' : '双过半'} · {formatTime(a.createdAt)} 由
            {a.recordedBy.name}录入
          </Text>
          {a.result.checks.map((c) => (
            <View key={c.key} className="gz-row gz-check-line">
              <Text className={c.met ? 'gz-ok' : 'gz-bad'}>{c.met ? '✓' : '✗'}</Text>
              <Text className="gz-item__line">{c.text}</Text>
            </View>
          ))}
          <Text className="gz-item__line">{a.result.summary}</Text>
        </Card>
      ))}
    </Page>
  );
}
