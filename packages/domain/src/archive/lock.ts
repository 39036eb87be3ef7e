import { Conflict, Forbidden } from '../errors';
import type { Actor } from '../issues/access';
import { type Quarter, quarterBounds, quarterLabel, quarterOf } from './quarter';

/**
 * The archive's rules. An archived quarter is read-only (docs/domain.md §13): a record belongs to the
 * quarter of its own instant (an issue: when it was submitted; a meeting: when it is held; a duty-log
 * entry: when it was recorded), and no change to it is accepted once that quarter is archived.
 */
export interface ArchivedPeriod {
  quarter: string;
  start: Date;
  end: Date;
}

/** The archived quarter an instant falls in, if any (start inclusive, end exclusive). */
export function archivedPeriodOf(archived: readonly ArchivedPeriod[], instant: Date): ArchivedPeriod | null {
  const t = instant.getTime();
  return archived.find((a) => a.start.getTime() <= t && t < a.end.getTime()) ?? null;
}

/** 409 quarter_archived, naming the quarter: the one refusal for every edit of an archived record. */
export function quarterArchived(quarter: Quarter) {
  const label = quarterLabel(quarter);
  return Conflict('quarter_archived', `${label}已归档，该季度的记录只读，不能再修改`, [
    { path: 'quarter', message: `${label}已归档`, quarter: `${quarter.year}Q${quarter.q}` },
  ]);
}

/** Throws quarter_archived when the instant lies in an archived quarter. */
export function assertInstantOpen(
  archived: readonly ArchivedPeriod[],
  instant: Date,
  timeZone: string,
): void {
  if (archivedPeriodOf(archived, instant)) throw quarterArchived(quarterOf(instant, timeZone));
}

/**
 * May this quarter be archived now? Only once it is over (its end has passed in the community's
 * time), and only once: a second package for the same quarter would be a second truth. Issues of
 * the quarter still being worked on would be frozen by the lock (their tasks could not be accepted,
 * resolved or verified any more), so they are listed and refused unless the archivist confirms.
 */
export function checkArchivable(
  quarter: Quarter,
  now: Date,
  timeZone: string,
  alreadyArchived: readonly string[],
  open: { issues: readonly { code: string; status: string }[]; confirmed: boolean } = {
    issues: [],
    confirmed: false,
  },
): { start: Date; end: Date } {
  const bounds = quarterBounds(quarter, timeZone);
  const key = `${quarter.year}Q${quarter.q}`;
  const label = quarterLabel(quarter);
  if (now.getTime() < bounds.end.getTime()) {
    throw Conflict('quarter_not_over', `${label}尚未结束，结束后才能归档`, [
      { path: 'body.quarter', message: '季度尚未结束', quarter: key, endsAt: bounds.end.toISOString() },
    ]);
  }
  if (alreadyArchived.includes(key)) {
    throw Conflict('quarter_already_archived', `${label}已经归档过，不能重复归档`, [
      { path: 'body.quarter', message: '已归档', quarter: key },
    ]);
  }
  if (open.issues.length && !open.confirmed) {
    throw Conflict(
      'quarter_has_open_issues',
      `${label}还有 ${open.issues.length} 件问题未办结；归档后它们将不能再办理。请先办结，或确认仍要归档（allowOpenIssues）`,
      open.issues.slice(0, 50).map((i) => ({
        path: 'body.allowOpenIssues',
        message: `${i.code} 未办结`,
        code: i.code,
        status: i.status,
      })),
    );
  }
  return bounds;
}

/** Who creates, lists and downloads archives (docs/domain.md §12): the secretary, the leadership group, administrators. */
export const mayManageArchives = (actor: Actor) =>
  actor.admin || !!(actor.roles && (actor.roles.secretary || actor.roles.leadership));

export function assertMayManageArchives(actor: Actor): void {
  if (!mayManageArchives(actor)) {
    throw Forbidden('archive_manager_only', '只有四位一体秘书、领导小组成员或管理员可以管理季度归档');
  }
}

export const ARCHIVE_ACTIONS = ['create', 'download'] as const;
export type ArchiveAction = (typeof ARCHIVE_ACTIONS)[number];

/**
 * What the caller may do with archives (the archive list's and each package's `allowedActions`):
 * archive a finished quarter and download a package — both the archive managers' (`mayManageArchives`).
 */
export const archiveActions = (actor: Actor, what: 'list' | 'package'): ArchiveAction[] =>
  mayManageArchives(actor) ? [what === 'list' ? 'create' : 'download'] : [];
