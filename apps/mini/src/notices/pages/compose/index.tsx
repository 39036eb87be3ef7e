import {
  type CampaignView,
  type CreateNoticeBody,
  type EditNoticeBody,
  formatQuarter,
  type IssueSummary,
  NOTICE_KIND_NAMES,
  NOTICE_KINDS,
  type NoticeKind,
  type NoticeSource,
  type PublicCommunity,
  previousQuarter,
  quarterLabel,
  quarterOf,
  type ResolutionView,
} from '@gongzhi/domain';
import { Button, Input, TextArea } from '@nutui/nutui-react-taro';
import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Card, Page } from '../../../components/page';
import { ErrorState, LoadingState } from '../../../components/states';
import { PageToast, toast } from '../../../components/toast';
import { useAction } from '../../../hooks/use-action';
import { useReload } from '../../../hooks/use-reload';
import { loadCommunity } from '../../../services/community';
import { loadMe } from '../../../services/session';
import {
  createNotice,
  editNotice,
  finishedCampaigns,
  getNotice,
  resolutions,
  searchIssues,
} from '../../services';
import '../../notices.css';

type Mode =
  | 'zone_roster'
  | 'joint_decision'
  | 'fund_notice'
  | 'quarterly_summary'
  | 'evaluation_results'
  | 'announcement'
  | 'write';
const MODES: { value: Mode; title: string }[] = [
  { value: 'announcement', title: '通知公告' },
  { value: 'zone_roster', title: '区域责任名单' },
  { value: 'joint_decision', title: '联席会议决议' },
  { value: 'fund_notice', title: '维修资金公示' },
  { value: 'quarterly_summary', title: '季度投诉处理情况' },
  { value: 'evaluation_results', title: '评议结果' },
  { value: 'write', title: '手写公告' },
];

function Chips<T extends string>({
  options,
  value,
  onChange,
}: {
  options: { value: T; title: string }[];
  value: T | undefined;
  onChange: (v: T) => void;
}) {
  return (
    <View className="gz-notice__chips">
      {options.map((o) => (
        <Text
          key={o.value}
          className={`gz-notice__chip ${value === o.value ? 'gz-notice__chip--on' : ''}`}
          onClick={() => onChange(o.value)}
        >
          {o.title}
        </Text>
      ))}
    </View>
  );
}

/**
 * Draft a notice: generated from a source (a zone's roster, a joint-meeting resolution, a
 * maintenance-fund use) or written by hand; with `?id=` it edits a draft's title and text.
 */
type SaveNotice = { edit: string; body: EditNoticeBody } | { edit?: undefined; body: CreateNoticeBody };

/** A draft is written by hand, generated from a source, or an existing draft edited. */
const saveNotice = (input: SaveNotice, idempotencyKey: string) =>
  input.edit !== undefined ? editNotice(input.edit, input.body) : createNotice(input.body, idempotencyKey);

export default function NoticeCompose() {
  const { params } = useRouter();
  const editing = params.id;
  const [community, setCommunity] = useState<PublicCommunity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>(() =>
    MODES.some((m) => m.value === params.mode) ? (params.mode as Mode) : 'zone_roster',
  );
  /** An announcement's validity in days from publication; empty: none. */
  const [validDays, setValidDays] = useState('');
  const [zone, setZone] = useState<string>('');
  const [kind, setKind] = useState<NoticeKind>('quarterly_summary');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [days, setDays] = useState('7');
  const [resolutionList, setResolutionList] = useState<ResolutionView[] | null>(null);
  const [resolution, setResolution] = useState<string>('');
  const [search, setSearch] = useState('');
  const [issues, setIssues] = useState<IssueSummary[] | null>(null);
  const [issue, setIssue] = useState<string>('');
  const [campaigns, setCampaigns] = useState<CampaignView[] | null>(null);
  const [campaign, setCampaign] = useState<string>('');
  const [quarter, setQuarter] = useState(() =>
    formatQuarter(previousQuarter(quarterOf(new Date(), 'Asia/Shanghai'))),
  );
  const saving = useAction(saveNotice, { done: '已保存为草稿' });

  const load = useCallback(async () => {
    setError(null);
    try {
      const key = (await loadMe()).person?.community;
      if (!key) throw new Error('当前账号不属于任何小区');
      setCommunity(await loadCommunity(key));
      if (editing) {
        const n = await getNotice(editing, true);
        setTitle(n.title);
        setBody(n.body);
      }
    } catch (e) {
      setError((e as Error).message);
    }
  }, [editing]);
  useReload(load, 'mount');

  if (error) return <ErrorState message={error} onRetry={load} />;
  if (!community) return <LoadingState />;

  const pickMode = (m: Mode) => {
    setMode(m);
    if (m === 'joint_decision' && !resolutionList)
      resolutions(community.key).then(
        (p) => setResolutionList(p.items.filter((r) => !r.supersededBy)),
        (e: Error) => toast(e.message, 'fail'),
      );
    if (m === 'evaluation_results' && !campaigns)
      finishedCampaigns(community.key).then(setCampaigns, (e: Error) => toast(e.message, 'fail'));
  };

  const find = async () => {
    if (search.trim().length < 2) return toast('请输入问题编号或至少 2 个字', 'warn');
    try {
      setIssues((await searchIssues(community.key, search.trim())).items);
    } catch (e) {
      toast((e as Error).message, 'fail');
    }
  };

  /** What to send, or a message saying what is missing. */
  const draft = (): SaveNotice | string => {
    if (editing) return { edit: editing, body: { title: title.trim(), body } };
    if (mode === 'announcement') {
      const d = validDays.trim();
      if (d && !/^\d{1,2}$/.test(d)) return '有效期请填写 1–90 的天数，或不填';
      return {
        body: {
          community: community.key,
          kind: 'announcement',
          title: title.trim(),
          body,
          ...(zone ? { zone } : {}),
          ...(d ? { periodDays: Number(d) } : {}),
        },
      };
    }
    if (mode === 'write') {
      return {
        body: {
          community: community.key,
          kind,
          title: title.trim(),
          body,
          ...(zone ? { zone } : {}),
          ...(kind === 'fund_notice' ? { periodDays: Number(days) } : {}),
        },
      };
    }
    {
      let source: NoticeSource;
      if (mode === 'zone_roster') source = { kind: 'zone_roster', ...(zone ? { zone } : {}) };
      else if (mode === 'joint_decision') {
        if (!resolution) return '请选择一项决议';
        source = { kind: 'joint_decision', resolution };
      } else if (mode === 'quarterly_summary') {
        if (!zone) return '请选择区域：季度投诉处理情况按区域公布';
        source = { kind: 'quarterly_summary', quarter, zone };
      } else if (mode === 'evaluation_results') {
        if (!campaign) return '请选择一次已结束的评议';
        source = { kind: 'evaluation_results', campaign };
      } else {
        if (!issue) return '请选择动用维修资金的问题';
        source = { kind: 'fund_notice', issue };
      }
      return { body: { community: community.key, source } };
    }
  };

  const save = async () => {
    const input = draft();
    if (typeof input === 'string') return toast(input, 'warn');
    const saved = await saving.run(input);
    if (saved) await Taro.redirectTo({ url: `/notices/pages/detail/index?id=${saved.id}` });
  };

  const zoneOptions = [{ value: '', title: mode === 'zone_roster' ? '全部区域' : '全小区' }].concat(
    community.zones.map((z) => ({ value: z.key, title: z.name })),
  );

  return (
    <Page>
      <PageToast />
      {!editing && (
        <Card title="生成方式">
          <Chips options={MODES} value={mode} onChange={pickMode} />
          <Text className="gz-muted">
            {mode === 'announcement'
              ? '停水停电、消杀、社区活动等通知，经领导小组或秘书审核后发布到居民首页。'
              : mode === 'write'
                ? '也可手写任何类别的公告。'
                : '按系统记录自动生成草稿，保存后可修改，经领导小组或秘书审核后发布。'}
          </Text>
        </Card>
      )}
      {!editing && mode === 'quarterly_summary' && (
        <Card title="季度">
          <Chips
            options={[1, 0].map((back) => {
              let q = quarterOf(new Date(), 'Asia/Shanghai');
              for (let i = 0; i < back; i++) q = previousQuarter(q);
              return { value: formatQuarter(q), title: quarterLabel(q) };
            })}
            value={quarter}
            onChange={setQuarter}
          />
          <Text className="gz-muted">按该区域本季度的考核指标生成：受理、处理、按时办结，分类别和层级。</Text>
        </Card>
      )}
      {!editing &&
        (mode === 'zone_roster' ||
          mode === 'write' ||
          mode === 'announcement' ||
          mode === 'quarterly_summary') && (
          <Card title="区域">
            <Chips options={zoneOptions} value={zone} onChange={setZone} />
          </Card>
        )}
      {!editing && mode === 'joint_decision' && (
        <Card title="选择决议">
          {!resolutionList ? (
            <LoadingState />
          ) : resolutionList.length === 0 ? (
            <Text className="gz-muted">暂无联席会议决议</Text>
          ) : (
            resolutionList.map((r) => (
              <Text
                key={r.id}
                className={`gz-notice__pick ${resolution === r.id ? 'gz-notice__pick--on' : ''}`}
                onClick={() => setResolution(r.id)}
              >
                {resolution === r.id ? '✓ ' : ''}
                {r.title}：{r.text}
                {'\n'}
              </Text>
            ))
          )}
        </Card>
      )}
      {!editing && mode === 'evaluation_results' && (
        <Card title="选择评议">
          {!campaigns ? (
            <LoadingState />
          ) : campaigns.length === 0 ? (
            <Text className="gz-muted">暂无已结束的居民评议</Text>
          ) : (
            campaigns.map((c) => (
              <Text
                key={c.id}
                className={`gz-notice__pick ${campaign === c.id ? 'gz-notice__pick--on' : ''}`}
                onClick={() => setCampaign(c.id)}
              >
                {campaign === c.id ? '✓ ' : ''}
                {c.title}（{c.statusName}）{'\n'}
              </Text>
            ))
          )}
        </Card>
      )}
      {!editing && mode === 'fund_notice' && (
        <Card title="选择动用维修资金的问题">
          <Input className="gz-input" placeholder="问题编号或描述" value={search} onChange={setSearch} />
          <Button size="small" onClick={find}>
            查找
          </Button>
          {issues?.length === 0 && <Text className="gz-muted">没有找到</Text>}
          {issues?.map((i) => (
            <Text
              key={i.id}
              className={`gz-notice__pick ${issue === i.id ? 'gz-notice__pick--on' : ''}`}
              onClick={() => setIssue(i.id)}
            >
              {issue === i.id ? '✓ ' : ''}
              {i.code} {i.description}
              {'\n'}
            </Text>
          ))}
        </Card>
      )}
      {(editing || mode === 'write' || mode === 'announcement') && (
        <Card title="公告内容">
          {!editing && mode === 'write' && (
            <Chips
              options={NOTICE_KINDS.filter((k) => k !== 'honor_roll' && k !== 'announcement').map((k) => ({
                value: k,
                title: NOTICE_KIND_NAMES[k],
              }))}
              value={kind}
              onChange={setKind}
            />
          )}
          <Text className="gz-label">标题</Text>
          <Input className="gz-input" value={title} onChange={setTitle} maxLength={100} />
          <Text className="gz-label">正文</Text>
          <TextArea className="gz-textarea" value={body} onChange={setBody} maxLength={10000} rows={12} />
          {!editing && mode === 'announcement' && (
            <>
              <Text className="gz-label">有效期（天，自发布起，可不填）</Text>
              <Input
                className="gz-input"
                type="number"
                placeholder="如 3"
                value={validDays}
                onChange={setValidDays}
              />
            </>
          )}
          {!editing && mode === 'write' && kind === 'fund_notice' && (
            <>
              <Text className="gz-label">公示天数（自发布起）</Text>
              <Input className="gz-input" type="number" value={days} onChange={setDays} />
            </>
          )}
        </Card>
      )}
      <Button className="gz-submit" block type="primary" loading={saving.busy} onClick={save}>
        {editing ? '保存修改（需重新审核）' : '保存草稿'}
      </Button>
    </Page>
  );
}
