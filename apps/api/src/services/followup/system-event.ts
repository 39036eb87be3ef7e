import type { IssueStatus, NotificationMessage } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issuesTable } from '../../db/schema';
import { appendEvent } from '../issues/append-event';
import { notify, type Recipients } from '../notifications/notify';

/**
 * Lock an issue for the follow-up clock, skipping one another process holds (it is doing the same
 * work); lock it before rows of it, always in that order (the order user actions take too).
 */
export async function lockIssue(tx: Tx, id: string) {
  const [issue] = await tx
    .select()
    .from(issuesTable)
    .where(eq(issuesTable.id, id))
    .for('update', { skipLocked: true });
  return issue;
}

/**
 * What the follow-up clock notes on an issue without changing its state (a reminder, a lapse, a
 * letter), by `system`; with `tell`, the notice keyed on that event, so it goes out once however
 * often the clock comes by (the event is the record that it did). Returns the event id.
 */
export async function appendSystemEvent(
  tx: Tx,
  issue: { id: string; status: IssueStatus },
  at: Date,
  event: { action: string; note: string; data: Record<string, unknown> },
  tell?: { to: Recipients; message: NotificationMessage },
): Promise<number> {
  const eventId = await appendEvent(tx, {
    issueId: issue.id,
    action: event.action,
    fromStatus: issue.status,
    toStatus: issue.status,
    actorAccountId: null,
    actor: 'system',
    note: event.note,
    data: event.data,
    at,
  });
  if (tell) await notify(tx, at, `ev:${eventId}`, tell.to, tell.message, { issueId: issue.id });
  return eventId;
}
