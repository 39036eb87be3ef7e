import { z } from 'zod';
import type { Community } from '../community/validate';
import { Conflict, Forbidden } from '../errors';
import type { Actor } from '../issues/access';
import { isFinal } from '../issues/lifecycle';
import type { IssueStatus } from '../issues/schema';
import { line } from '../text';

/**
 * Duplicates at intake and the monthly topic (每月一题, docs/domain.md §9).
 *
 * At intake a resident is shown the open issues of the same building and category, with only what
 * is safe to show anyone (no description, no spot, no reporter: those may name people); "这也是我的
 * 问题" makes them a follower, told what the reporter is told, and counted as interest.
 *
 * Once a month the most frequent building × category clusters are proposed to the joint meeting;
 * the leadership or the secretary picks one as the month's topic, which goes on the joint meeting's
 * agenda; afterwards the monthly counts of new complaints of that kind show whether they fell.
 */

/** GET /api/complaints/similar: a QR code, or the community and building or zone; and the category. */
export const SimilarQuery = z
  .strictObject({
    qr: line().min(1).max(200).optional(),
    community: line().min(1).max(50).optional(),
    building: z.coerce.number().int('楼号必须是整数').positive('楼号必须大于 0').optional(),
    zone: line().min(1).max(50).optional(),
    category: line().min(1, '请选择问题类别').max(50),
  })
  .refine((v) => v.qr !== undefined || v.community !== undefined, { message: '缺少二维码', path: ['qr'] });
export type SimilarQuery = z.infer<typeof SimilarQuery>;

/** One open issue like the resident's: safe fields only. */
export const SimilarIssue = z.object({
  id: z.string(),
  categoryName: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  statusName: z.string(),
  /** The day it was filed (YYYY-MM-DD, the community's time zone). */
  filedOn: z.string(),
  /** Residents who said "这也是我的问题", the reporter not counted. */
  interest: z.number(),
});
export type SimilarIssue = z.infer<typeof SimilarIssue>;
export const SimilarIssues = z.object({ items: z.array(SimilarIssue) });
export type SimilarIssues = z.infer<typeof SimilarIssues>;

/** At most this many are offered: the most recent open ones. */
export const SIMILAR_LIMIT = 5;

/**
 * May this account follow this issue? Residents only (staff have their own ways to an issue), not
 * the reporter (it is theirs already), only while it is open. 403 before 409.
 */
export function checkFollow(
  caller: { kind: 'staff' | 'resident' | 'admin'; accountId: string },
  issue: { status: IssueStatus; reporterAccountId: string | null },
): void {
  if (caller.kind !== 'resident') throw Forbidden('residents_only', '只有居民可以关注他人反映的问题');
  if (issue.reporterAccountId === caller.accountId)
    throw Conflict('own_issue', '这是您自己反映的问题，无需再关注', [
      { path: 'action', message: 'reporter', allowed: [] },
    ]);
  if (isFinal(issue.status))
    throw Conflict('issue_finished', '该问题已结束，不能再关注', [
      { path: 'action', message: `state=${issue.status}`, state: issue.status, allowed: [] },
    ]);
}

/** One building × category cluster of a month. */
export interface Cluster {
  zone: string;
  building: number | null;
  category: string;
  count: number;
}

/** Fewer complaints than this in a month are not a pattern: no topic is proposed from them. */
export const TOPIC_MIN_COUNT = 2;
export const TOPIC_PROPOSALS = 5;

/**
 * The clusters proposed as the month's topic: at least TOPIC_MIN_COUNT complaints, most first; ties
 * by building number (no number last), then category key, so the list is stable.
 */
export function proposeTopics(clusters: readonly Cluster[], limit = TOPIC_PROPOSALS): Cluster[] {
  return clusters
    .filter((c) => c.count >= TOPIC_MIN_COUNT)
    .sort(
      (a, b) =>
        b.count - a.count ||
        (a.building ?? Number.MAX_SAFE_INTEGER) - (b.building ?? Number.MAX_SAFE_INTEGER) ||
        a.zone.localeCompare(b.zone) ||
        a.category.localeCompare(b.category),
    )
    .slice(0, limit);
}

/** "2026-11" shifted by n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The months of a topic's trend: `before` months before the topic's month, it, then up to `current`. */
export function trendMonths(topicMonth: string, current: string, before = 3, after = 6): string[] {
  const out: string[] = [];
  for (let n = -before; n <= after; n++) {
    const m = addMonths(topicMonth, n);
    if (m > current) break;
    out.push(m);
  }
  return out;
}

/**
 * The trend of a topic: monthly counts before the month it was picked in and after it, and the
 * averages of each side (null where a side has no months yet). The picked month itself counts
 * before: the resolution comes out of it.
 */
export function topicTrend(topicMonth: string, counts: readonly { month: string; count: number }[]) {
  const before = counts.filter((c) => c.month <= topicMonth);
  const after = counts.filter((c) => c.month > topicMonth);
  const avg = (xs: readonly { count: number }[]) =>
    xs.length ? Math.round((xs.reduce((n, x) => n + x.count, 0) / xs.length) * 10) / 10 : null;
  return { months: [...counts], beforeAverage: avg(before), afterAverage: avg(after) };
}

/** Who picks the month's topic: the leadership group and the secretary (and administrators). */
export function picksTopics(actor: Actor): boolean {
  return actor.admin || !!(actor.roles && (actor.roles.leadership || actor.roles.secretary));
}
export function assertPicksTopics(actor: Actor): void {
  if (!picksTopics(actor)) throw Forbidden('not_topic_picker', '只有领导小组成员和社区秘书可以确定每月一题');
}

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 2026-11');

export const TopicsQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  /** The month proposals are drawn from; without it, the previous month. */
  month: Month.optional(),
});
export type TopicsQuery = z.infer<typeof TopicsQuery>;

export const PickTopicInput = z.strictObject({
  community: line().min(1, '请指定小区').max(50),
  month: Month,
  zone: line().min(1).max(50),
  building: z.number().int().positive().optional(),
  category: line().min(1).max(50),
  note: line().trim().max(500, '说明最多 500 字').optional(),
});
export type PickTopicInput = z.infer<typeof PickTopicInput>;

export const TopicClusterView = z.object({
  zone: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  category: z.string(),
  categoryName: z.string(),
  count: z.number(),
  /** A plain title: "12号楼 · 环境卫生（3 件）". */
  title: z.string(),
});
export type TopicClusterView = z.infer<typeof TopicClusterView>;

export const MonthlyTopicView = TopicClusterView.extend({
  id: z.string(),
  month: z.string(),
  note: z.string().nullable(),
  trend: z.object({
    months: z.array(z.object({ month: z.string(), count: z.number() })),
    beforeAverage: z.number().nullable(),
    afterAverage: z.number().nullable(),
  }),
});
export type MonthlyTopicView = z.infer<typeof MonthlyTopicView>;

export const MonthlyTopicsPage = z.object({
  month: z.string(),
  proposals: z.array(TopicClusterView),
  /** Topics already picked, newest first, each with its trend. */
  topics: z.array(MonthlyTopicView),
  canPick: z.boolean(),
});
export type MonthlyTopicsPage = z.infer<typeof MonthlyTopicsPage>;

/** "12号楼 · 环境卫生（3 件）", or the zone for a place without a number. */
export function clusterTitle(community: Community, c: Cluster): string {
  const where = c.building !== null ? `${c.building}号楼` : (community.zones.get(c.zone)?.name ?? c.zone);
  return `${where} · ${community.categories.get(c.category)?.name ?? c.category}（${c.count} 件）`;
}
