import type { IssueStatus } from '@gongzhi/domain';
import type { Tx } from '../../db/client';
import { insertReturning } from '../../db/prepared';
import { issueEventsTable } from '../../db/schema';
import { assertIssueQuarterOpen } from '../archive/quarter-lock';

export interface NewEvent {
  issueId: string;
  action: string;
  fromStatus: IssueStatus | null;
  toStatus: IssueStatus;
  actorAccountId: string | null;
  /** Person key, 'resident', 'admin' or 'system'. */
  actor: string;
  note?: string | null;
  data?: Record<string, unknown> | null;
  at: Date;
  /** The issue's community and submission instant, when the caller holds the row (its quarter lock). */
  issue?: { communityId: string; createdAt: Date };
}

/**
 * Append one event to an issue's record (留痕) and return its id (notifications key on it). Every
 * change to an issue appends one, so this is where an archived quarter's issues are refused.
 */
export async function appendEvent(tx: Tx, e: NewEvent): Promise<number> {
  return (await appendEventRow(tx, e)).id;
}

/** appendEvent, answering the row as written (a view built from what was just written). */
export async function appendEventRow(tx: Tx, e: NewEvent) {
  await assertIssueQuarterOpen(tx, e.issueId, e.issue);
  return insertEvent(tx, {
    issueId: e.issueId,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    actorAccountId: e.actorAccountId,
    actor: e.actor,
    note: e.note ?? null,
    data: e.data ?? null,
    createdAt: e.at,
  });
}

/**
 * Insert one event row, answering it as written: built once per set of columns given
 * (db/prepared.ts). The caller has checked the quarter lock.
 */
export async function insertEvent(tx: Tx, values: typeof issueEventsTable.$inferInsert) {
  const [written] = await insertReturning(tx, issueEventsTable, 'insert_event', [values]);
  return written!;
}
