import type { IssueStatus } from '@gongzhi/domain';
import type { Tx } from '../../db/client';
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
}

/**
 * Append one event to an issue's record (留痕) and return its id (notifications key on it). Every
 * change to an issue appends one, so this is where an archived quarter's issues are refused.
 */
export async function appendEvent(tx: Tx, e: NewEvent): Promise<number> {
  await assertIssueQuarterOpen(tx, e.issueId);
  const [row] = await tx
    .insert(issueEventsTable)
    .values({
      issueId: e.issueId,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorAccountId: e.actorAccountId,
      actor: e.actor,
      note: e.note ?? null,
      data: e.data ?? null,
      createdAt: e.at,
    })
    .returning({ id: issueEventsTable.id });
  return row!.id;
}
