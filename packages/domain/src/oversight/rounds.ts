import { z } from 'zod';
import { localDateOf } from '../calendar/zone';
import type { PersonRoles } from '../community/lookup';
import { Forbidden, Invalid } from '../errors';
import type { Actor } from '../issues/access';
import { readsAllIssues } from '../issues/access';
import { line, text, Uuid } from '../text';

/**
 * Patrol rounds and home visits (两巡两访, seed 002): a grid inspector's patrol (网格员巡查) or the
 * property company's (物业巡查), a home visit (入户走访) or a visit to people who need regular care
 * (特殊人群走访). Recorded when it found nothing as well as when it led to issues, and counted per
 * person per month. A record is never edited or deleted.
 */
export const ROUND_KINDS = ['patrol', 'home_visit'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
export const ROUND_KIND_NAMES: Record<RoundKind, string> = { patrol: '巡查', home_visit: '走访' };

export const ROUND_OUTCOMES = ['nothing_found', 'issues_filed'] as const;
export type RoundOutcome = (typeof ROUND_OUTCOMES)[number];
export const ROUND_OUTCOME_NAMES: Record<RoundOutcome, string> = {
  nothing_found: '未发现问题',
  issues_filed: '发现问题并已上报',
};

/** How long after the fact a round may still be recorded (a phone offline for a weekend). */
export const ROUND_LATE_DAYS = 7;
export const MAX_ROUND_ISSUES = 20;

export const RecordRoundBody = z.strictObject({
  community: line('请指定小区').min(1, '请指定小区').max(64, '小区标识过长'),
  kind: z.enum(ROUND_KINDS, '请选择巡查或走访'),
  zone: line('请选择区域').min(1, '请选择区域').max(32, '区域标识过长'),
  building: z.number('楼号应为数字').int('楼号应为整数').positive('楼号应为正整数').max(9999).optional(),
  place: line('地点无效').trim().max(100, '地点最多 100 个字').optional(),
  /** When the round took place (an ISO instant); the server's now when left out. */
  at: z.iso.datetime({ offset: true, message: '时间格式无效' }).optional(),
  outcome: z.enum(ROUND_OUTCOMES, '请选择结果：未发现问题或已上报问题'),
  issueIds: z
    .array(Uuid('问题编号无效'))
    .max(MAX_ROUND_ISSUES, `最多关联 ${MAX_ROUND_ISSUES} 个问题`)
    .default([]),
  note: text('备注无效').trim().max(500, '备注最多 500 个字').optional(),
});
export type RecordRoundBody = z.infer<typeof RecordRoundBody>;

export const RoundsQuery = z.strictObject({
  /** The month counted, "2026-11"; the current month when left out. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应写成 2026-11')
    .optional(),
  zone: line().max(32).optional(),
});
export type RoundsQuery = z.infer<typeof RoundsQuery>;

export const RoundView = z.object({
  id: z.string(),
  kind: z.enum(ROUND_KINDS),
  kindName: z.string(),
  person: z.string(),
  personName: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  place: z.string().nullable(),
  at: z.string(),
  outcome: z.enum(ROUND_OUTCOMES),
  outcomeName: z.string(),
  issues: z.array(z.object({ id: z.string(), code: z.string() })),
  note: z.string().nullable(),
  recordedAt: z.string(),
});
export type RoundView = z.infer<typeof RoundView>;

export const RoundCountView = z.object({
  person: z.string(),
  personName: z.string(),
  patrols: z.number().int(),
  visits: z.number().int(),
  nothingFound: z.number().int(),
  withIssues: z.number().int(),
  issuesFiled: z.number().int(),
});
export type RoundCountView = z.infer<typeof RoundCountView>;

export const ROUND_ACTIONS = ['record'] as const;
export const RoundsView = z.object({
  month: z.string(),
  monthLabel: z.string(),
  counts: z.array(RoundCountView),
  items: z.array(RoundView),
  /** Zones where the caller may record a round (the record page's choices). */
  recordZones: z.array(z.object({ key: z.string(), name: z.string() })),
  allowedActions: z.array(z.enum(ROUND_ACTIONS)),
});
export type RoundsView = z.infer<typeof RoundsView>;

/**
 * Which kinds of round a person records in a zone: grid members patrol and visit, property members
 * patrol (物业巡查), residents'-committee members visit (入户走访). Others none.
 */
export function roundKindsIn(roles: PersonRoles | null, zone: string): RoundKind[] {
  const out = new Set<RoundKind>();
  for (const m of roles?.zones ?? []) {
    if (m.zone !== zone) continue;
    if (m.org === 'grid') {
      out.add('patrol');
      out.add('home_visit');
    }
    if (m.org === 'property') out.add('patrol');
    if (m.org === 'rc') out.add('home_visit');
  }
  return ROUND_KINDS.filter((k) => out.has(k));
}

/** The zones where a person records any round. */
export const roundZones = (roles: PersonRoles | null): string[] =>
  [...new Set((roles?.zones ?? []).map((z) => z.zone))].filter((z) => roundKindsIn(roles, z).length > 0);

export function assertMayRecordRound(roles: PersonRoles | null, zone: string, kind: RoundKind): void {
  if (!roundKindsIn(roles, zone).includes(kind)) {
    throw Forbidden(
      'round_not_permitted',
      `您不能在该区域登记${ROUND_KIND_NAMES[kind]}：巡查由本区域网格员或物业人员登记，走访由网格员或居委会成员登记`,
    );
  }
}

/**
 * The checks of a round against its facts: the outcome agrees with the linked issues (none when
 * nothing was found, at least one otherwise), each linked issue is of the community and the round's
 * zone, and the time is neither in the future nor more than ROUND_LATE_DAYS ago.
 */
export function checkRound(
  round: { outcome: RoundOutcome; issueIds: readonly string[]; at: Date; zone: string },
  facts: { now: Date; issues: ReadonlyMap<string, { zone: string }> },
): void {
  const ids = [...new Set(round.issueIds.map((i) => i.toLowerCase()))];
  if (round.outcome === 'nothing_found' && ids.length > 0) {
    throw Invalid('round_outcome_mismatch', '“未发现问题”的记录不能关联问题', [
      { path: 'body.issueIds', message: '未发现问题时不关联问题' },
    ]);
  }
  if (round.outcome === 'issues_filed' && ids.length === 0) {
    throw Invalid('round_outcome_mismatch', '请关联本次上报的问题', [
      { path: 'body.issueIds', message: '发现问题时至少关联一个已上报的问题' },
    ]);
  }
  ids.forEach((id) => {
    const issue = facts.issues.get(id);
    if (!issue) {
      throw Invalid('round_issue_not_found', '关联的问题不存在', [
        { path: 'body.issueIds', message: `问题 ${id} 不存在` },
      ]);
    }
    if (issue.zone !== round.zone) {
      throw Invalid('round_issue_other_zone', '关联的问题不在本次巡查的区域', [
        { path: 'body.issueIds', message: `问题 ${id} 属于其他区域` },
      ]);
    }
  });
  if (round.at.getTime() > facts.now.getTime() + 5 * 60_000) {
    throw Invalid('round_in_future', '巡查时间不能晚于现在', [{ path: 'body.at', message: '时间晚于现在' }]);
  }
  if (round.at.getTime() < facts.now.getTime() - ROUND_LATE_DAYS * 86_400_000) {
    throw Invalid('round_too_late', `只能登记 ${ROUND_LATE_DAYS} 天内的巡查或走访`, [
      { path: 'body.at', message: `早于 ${ROUND_LATE_DAYS} 天前` },
    ]);
  }
}

/**
 * Who reads which rounds: everyone who reads all issues (the supervisory committee too) reads all;
 * a zone leader their zones'; everyone else their own.
 */
export function roundReach(actor: Actor): { all: true } | { zones: string[]; person: string | null } {
  if (readsAllIssues(actor)) return { all: true };
  return {
    zones: (actor.roles?.zones ?? []).filter((z) => z.leader).map((z) => z.zone),
    person: actor.roles?.person ?? null,
  };
}

export interface RoundFact {
  person: string;
  kind: RoundKind;
  at: Date;
  outcome: RoundOutcome;
  issueCount: number;
}

/** The month ("2026-11") of an instant in the community's time zone. */
export const roundMonthOf = (at: Date, timeZone: string) => localDateOf(at, timeZone).slice(0, 7);

/**
 * The KPI: per person, the rounds of one month (local time), patrols and visits, how many found
 * nothing and how many led to issues, and the issues filed. Sorted by most rounds, then person key.
 */
export function countRounds(
  rounds: readonly RoundFact[],
  month: string,
  timeZone: string,
  nameOf: (person: string) => string,
): RoundCountView[] {
  const by = new Map<string, RoundCountView>();
  for (const r of rounds) {
    if (roundMonthOf(r.at, timeZone) !== month) continue;
    let c = by.get(r.person);
    if (!c) {
      c = {
        person: r.person,
        personName: nameOf(r.person),
        patrols: 0,
        visits: 0,
        nothingFound: 0,
        withIssues: 0,
        issuesFiled: 0,
      };
      by.set(r.person, c);
    }
    if (r.kind === 'patrol') c.patrols++;
    else c.visits++;
    if (r.outcome === 'nothing_found') c.nothingFound++;
    else c.withIssues++;
    c.issuesFiled += r.issueCount;
  }
  return [...by.values()].sort(
    (a, b) => b.patrols + b.visits - (a.patrols + a.visits) || a.person.localeCompare(b.person),
  );
}
