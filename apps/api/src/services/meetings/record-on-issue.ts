import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { issuesTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { appendEvent } from '../issues/append-event';

/**
 * Put a meeting's decision about an issue into the issue's record (留痕) without changing its state:
 * a zone plan, a zone resolution, a joint resolution on a re-deliberation, progress, a vote of the
 * owners. The row is locked so the event sits in order with the issue's transitions.
 */
export async function recordOnIssue(
  ctx: ServiceContext,
  tx: Tx,
  issueId: string,
  e: { action: string; actor: string; note: string | null; data: Record<string, unknown> },
) {
  const [issue] = await tx.select().from(issuesTable).where(eq(issuesTable.id, issueId)).for('update');
  if (!issue) throw new Error(`issue ${issueId} of a meeting is missing`);
  const eventId = await appendEvent(tx, {
    issueId,
    action: e.action,
    fromStatus: issue.status,
    toStatus: issue.status,
    actorAccountId: ctx.principal?.accountId ?? null,
    actor: e.actor,
    note: e.note,
    data: e.data,
    at: ctx.now(),
  });
  return { issue, eventId };
}
