import { parseQuarter, quarterLabel } from '../archive/quarter';
import { ORG_NAMES, type Org } from '../community/schema';
import type { Community } from '../community/validate';
import { Conflict, Invalid } from '../errors';
import type { CampaignResults } from '../evaluation/views';
import { formatRatioWithCounts } from '../kpi/formulas';
import type { KpiView } from '../kpi/views';
import { dayOf, formatInstant, type InstantLike } from '../meetings/time';
import type { NoticeKind } from './lifecycle';

/**
 * Generators draft a notice's content from what the product already records. Each is pure: the
 * API loads the facts (config, a resolution, a fund procedure) and calls one of these. The text is
 * a draft: people edit it before it is approved.
 */
export interface NoticeDraft {
  kind: NoticeKind;
  title: string;
  body: string;
  /** The zone it concerns, or null for the whole community. */
  zone: string | null;
  /** A notice period known now (an already posted fund notice)… */
  periodStart?: Date | null;
  periodEnd?: Date | null;
  /** …or its length, counted from publication. */
  periodDays?: number | null;
}

const INDENT = '\u3000\u3000';

/** "2026年11月25日" of an instant in the community's time zone. */
export const chineseDate = (t: InstantLike, tz: string) => {
  const [y, m, d] = dayOf(t, tz).split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

const dayText = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

// ── zone roster (区域责任名单) ─────────────────────────────────────────────────────────────────

/**
 * A zone's roster (docs/domain.md §10): leader, members with their organisation, and a contact only for
 * people who chose to show one. Without a zone, every zone in one notice for the whole community.
 */
export function zoneRosterNotice(
  community: Community,
  zoneKey: string | undefined,
  contactOf: (person: string) => string | null,
): NoticeDraft {
  const c = community.config;
  const zones = zoneKey === undefined ? c.zones : c.zones.filter((z) => z.key === zoneKey);
  if (zones.length === 0) {
    throw Invalid('unknown_zone', `区域 "${zoneKey}" 不存在`, [
      { path: 'body.source.zone', message: `可选区域：${c.zones.map((z) => z.key).join('、')}` },
    ]);
  }
  const name = (k: string) => community.people.get(k)?.name ?? k;
  const withContact = (k: string) => {
    const phone = contactOf(k);
    return phone ? `${name(k)}（${phone}）` : name(k);
  };
  const sections = zones.flatMap((z) => {
    const byOrg = new Map<Org, string[]>();
    for (const m of z.members) byOrg.set(m.org, [...(byOrg.get(m.org) ?? []), withContact(m.person)]);
    return [
      `${z.name}${z.buildings.length ? `（${z.buildings.join('、')} 号楼）` : ''}`,
      `${INDENT}组长：${withContact(z.leader.person)}（${ORG_NAMES[z.leader.org]}）`,
      ...[...byOrg].map(([org, people]) => `${INDENT}${ORG_NAMES[org]}：${people.join('、')}`),
      ...(z.note ? [`${INDENT}说明：${z.note}`] : []),
    ];
  });
  const lines = c.lines.filter((l) => l.leader);
  const title = zones.length === 1 ? `${zones[0]!.name}责任名单公示` : `${c.name}各责任区域责任名单公示`;
  const body = [
    `${INDENT}根据${c.name}社区分级共治工作方案${c.principle ? `（${c.principle}）` : ''}，现将${
      zones.length === 1 ? zones[0]!.name : '各责任区域'
    }的责任名单公示如下：`,
    '',
    ...sections,
    ...(zoneKey === undefined && lines.length
      ? ['', '条线负责人', ...lines.map((l) => `${INDENT}${l.name}：${withContact(l.leader!)}`)]
      : []),
    '',
    `${INDENT}居民发现问题，可扫描楼内张贴的二维码反映，或直接联系区域组长。`,
  ].join('\n');
  return { kind: 'zone_roster', title, body, zone: zones.length === 1 ? zones[0]!.key : null };
}

// ── joint-meeting decision (联席会议决议) ──────────────────────────────────────────────────────

export interface JointDecisionFacts {
  communityName: string;
  timezone: string;
  meetingAt: InstantLike;
  chairName: string;
  itemTitle: string;
  /** The vote's arithmetic as recorded, if a vote was taken. */
  voteText: string | null;
  /** Whether members were heard one by one before the meeting (个别酝酿) — said only when recorded. */
  individualConsultation: boolean;
  resolution: string;
  responsibleOrg: Org;
  responsiblePersonName: string;
  dueDate: string;
  milestones: readonly { title: string; dueDate?: string | null | undefined }[];
}

/** Major decisions are published to residents in writing (docs/domain.md §7). */
export function jointDecisionNotice(f: JointDecisionFacts): NoticeDraft {
  const body = [
    `${INDENT}${chineseDate(f.meetingAt, f.timezone)}，${f.communityName}社区联席会议（主持人：${f.chairName}）就“${f.itemTitle}”进行研究，经${f.individualConsultation ? '个别酝酿、' : ''}共同协商、民主表决，形成决议如下：`,
    `${INDENT}${f.resolution}`,
    ...(f.voteText ? [`${INDENT}表决情况：${f.voteText}`] : []),
    `${INDENT}责任单位：${ORG_NAMES[f.responsibleOrg]}（责任人：${f.responsiblePersonName}），完成时限：${dayText(f.dueDate)}。`,
    ...(f.milestones.length
      ? [
          `${INDENT}节点安排：${f.milestones
            .map((m, i) => `${i + 1}. ${m.title}${m.dueDate ? `（${dayText(m.dueDate)}前）` : ''}`)
            .join('；')}。`,
        ]
      : []),
    `${INDENT}特此公告，欢迎广大居民监督。`,
  ].join('\n');
  return { kind: 'joint_decision', title: `联席会议决议：${f.itemTitle}`, body, zone: null };
}

// ── maintenance-fund public notice (维修资金使用公示) ──────────────────────────────────────────

export interface FundNoticeFacts {
  timezone: string;
  issueCode: string;
  zone: string;
  place: string;
  description: string;
  /** The plan text recorded with the fund procedure's notice, if any. */
  plan: string | null;
  /** The owners' assembly's decision on using the fund (art. 278's summary), if taken. */
  assembly: { passed: boolean; summary: string } | null;
  noticeDays: number;
  /** When the fund procedure's notice went up, if it already did. */
  noticeStartedAt: InstantLike | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A notice period in words: fixed start and end, or so many days from publication. */
export function periodText(
  p: { start: InstantLike | null; end: InstantLike | null; days: number | null },
  tz: string,
): string | null {
  if (p.start && p.end) return `${formatInstant(p.start, tz)} 至 ${formatInstant(p.end, tz)}`;
  if (p.days) return `自发布之时起 ${p.days} 天`;
  return null;
}

/**
 * The public notice of a maintenance-fund use (seed 000: 公示、公告，并上报业委会). Its period is the
 * fund procedure's: N × 24 h from when the notice went up — known now if it is already posted,
 * otherwise counted from publication.
 */
export function fundNotice(f: FundNoticeFacts): NoticeDraft {
  if (f.assembly && !f.assembly.passed) {
    throw Invalid('assembly_not_passed', '业主大会表决未通过使用维修资金，不能公示使用方案', [
      { path: 'body.source.issue', message: f.assembly.summary },
    ]);
  }
  const start = f.noticeStartedAt ? new Date(f.noticeStartedAt) : null;
  const end = start ? new Date(start.getTime() + f.noticeDays * DAY_MS) : null;
  const period =
    start && end
      ? `自 ${formatInstant(start, f.timezone)} 起至 ${formatInstant(end, f.timezone)} 止，共 ${f.noticeDays} 天`
      : `自本公告发布之时起 ${f.noticeDays} 天`;
  const short = f.description.length > 24 ? `${f.description.slice(0, 24)}…` : f.description;
  const body = [
    `${INDENT}根据《中华人民共和国民法典》第二百七十八条及本小区维修资金使用程序，现将以下维修资金使用事项予以公示：`,
    `${INDENT}事项：${f.description}（问题编号 ${f.issueCode}）`,
    `${INDENT}位置：${f.place}`,
    ...(f.plan ? [`${INDENT}方案：${f.plan}`] : []),
    `${INDENT}业主大会表决：${f.assembly ? f.assembly.summary : '尚未表决'}`,
    `${INDENT}公示期：${period}。`,
    `${INDENT}公示期内如有异议，请向居委会或业委会书面反映。公示期满后，方案报业委会，方可动用维修资金。`,
  ].join('\n');
  return {
    kind: 'fund_notice',
    title: `维修资金使用公示：${short}`,
    body,
    zone: f.zone,
    periodStart: start,
    periodEnd: end,
    periodDays: f.noticeDays,
  };
}

// ── evaluation results (评议结果) ──────────────────────────────────────────────────────────────

const score = (x: number | null) => (x === null ? '无评分' : `${x.toFixed(2)} 分`);
const share = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * The results of a closed residents' evaluation (seed 000: 由领导小组组织居民进行评议，公布结果):
 * participation and, per zone and the property company, the mean and 满意率 (4–5 stars), then
 * each question. Aggregates only: the results never say who answered what.
 */
export function evaluationResultsNotice(communityName: string, r: CampaignResults): NoticeDraft {
  if (r.campaign.status !== 'closed' && r.campaign.status !== 'published') {
    throw Conflict('results_not_ready', `评议${r.campaign.statusName}，结束后才能公布结果`);
  }
  const targets = r.targets.flatMap((t) => [
    `${t.name}：平均 ${score(t.mean)}，满意率 ${share(t.satisfaction)}（${t.responses} 户评价）`,
    ...t.questions.map(
      (q) =>
        `${INDENT}${q.text}：平均 ${score(q.mean)}，满意率 ${share(q.satisfaction)}（${q.responses} 户评分，${q.skipped} 户不了解）`,
    ),
  ]);
  const body = [
    `${INDENT}${communityName}${quarterLabel(parseQuarter(r.campaign.quarter))}居民评议已经结束，共收到 ${r.responses} 户居民的评议（每户一份）。现将结果公布如下（评分 1–5 分，满意率为打 4 分及以上的比例）：`,
    '',
    ...targets,
    '',
    `${INDENT}评议结果将记入各责任区域和物业公司的工作档案。感谢居民的参与和监督。`,
  ].join('\n');
  return { kind: 'evaluation_results', title: `${r.campaign.title}结果公布`, body, zone: null };
}

// ── quarterly complaint-handling summary (季度投诉处理情况) ─────────────────────────────────────

/**
 * One zone's complaint-handling summary of a quarter (docs/domain.md §10: received, handled, resolved in
 * time, by category, by tier), from the KPIs of the zone's scope: every ratio with its counts.
 */
export function quarterlySummaryNotice(communityName: string, zoneKey: string, view: KpiView): NoticeDraft {
  const t = view.totals;
  const line = (name: string, f: KpiView['totals']) =>
    `${INDENT}${name}：受理 ${f.received} 件，已处理 ${f.handled} 件，按时办结 ${f.onTime} 件`;
  const categories = view.byCategory.filter((c) => c.figures.received > 0);
  const tiers = view.byTier.filter((c) => c.figures.received > 0);
  const body = [
    `${INDENT}现将${communityName}${view.scope.name}${view.period.label}（${view.period.from} 至 ${view.period.to}）居民投诉和问题处理情况公布如下：`,
    `${INDENT}受理问题 ${t.received} 件，已处理 ${t.handled} 件，调处率 ${formatRatioWithCounts(t.handlingRate)}；` +
      `处置有效率 ${formatRatioWithCounts(t.effectiveRate)}；按时办结率 ${formatRatioWithCounts(t.onTimeRate)}；` +
      `居民评价 ${t.rated} 件，满意率 ${formatRatioWithCounts(t.satisfactionRate)}。`,
    '',
    '按类别',
    ...(categories.length ? categories.map((c) => line(c.name, c.figures)) : [`${INDENT}本季度未受理问题。`]),
    '',
    '按处理层级',
    ...(tiers.length ? tiers.map((c) => line(c.name, c.figures)) : [`${INDENT}本季度未受理问题。`]),
    '',
    `${INDENT}调处率 = 已处理 ÷ 受理；处置有效率 = 处理后未被重开且评价不低于 3 分的 ÷ 已处理；满意率 = 评价 4 分及以上的 ÷ 评价数；按时办结率 = 在时限内处理的 ÷ 已处理。欢迎居民监督。`,
  ].join('\n');
  return {
    kind: 'quarterly_summary',
    title: `${view.scope.name}${view.period.label}投诉处理情况`,
    body,
    zone: zoneKey,
  };
}
