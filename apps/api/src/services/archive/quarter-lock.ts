import { type ArchivedPeriod, archivedPeriodOf, parseQuarter, quarterArchived } from '@gongzhi/domain';
import { eq, type SQL, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../db/client';
import { preparedIn } from '../../db/prepared';
import { communitiesTable, issuesTable, quarterArchivesTable } from '../../db/schema';
import { together } from '../../db/together';

/**
 * The quarter lock (docs/domain.md §13: an archived quarter is read-only). Every service that changes
 * a record calls `assertQuarterOpen` inside its transaction, before or alongside its writes, with the
 * instant the record belongs to (an issue: when it was submitted; a meeting: when it is held; a
 * duty-log entry: when it was recorded). A refusal is 409 `quarter_archived` naming the quarter, and
 * the transaction rolls back, so nothing changes. The database enforces the same lock with triggers
 * (drizzle/0011_quarter_lock_in_database.sql) for any writer that forgets this call; checking here
 * first keeps the refusal ahead of a state error.
 *
 * It takes a KEY SHARE lock on the community row: edits do not block each other, but archiving
 * (which takes the row FOR UPDATE) waits for edits in flight and they wait for it, so no edit can
 * slip in between the package's snapshot and the lock taking effect.
 */
export async function assertQuarterOpen(tx: Db | Tx, communityId: string, instant: Date): Promise<void> {
  const hit = archivedPeriodOf(await quarterLockTaken(tx, communityId), instant);
  if (hit) throw quarterArchived(parseQuarter(hit.quarter));
}

/**
 * What a transaction learnt of a community's archived quarters, with the KEY SHARE lock it took:
 * while the transaction lasts it holds that lock, so no archive of the community can commit and
 * the list cannot change — one look serves every check of the transaction (an issue step checks
 * its issue's quarter for the step, the issue row and the event). Only for transactions: on the
 * pool each statement commits alone and the lock ends with it. A transaction that archives a
 * quarter (archive/create-archive.ts) checks nothing after it.
 */
const heldPeriods = new WeakMap<object, Map<string, Promise<ArchivedPeriod[]>>>();

/**
 * Starts taking the quarter lock of a community in this transaction (the KEY SHARE and the read of
 * its archived quarters) and answers the archived quarters; a later assertQuarterOpen of the same
 * community in the transaction checks against them without a statement. A step that knows the
 * community before it has its record (a task step: the task's community) starts it alongside its
 * other reads, which go to the database together with it (db/together.ts).
 */
export function quarterLockTaken(tx: Db | Tx, communityId: string): Promise<ArchivedPeriod[]> {
  const memo = tx instanceof PgTransaction ? heldPeriods.get(tx) : undefined;
  const known = memo?.get(communityId);
  if (known) return known;
  // Two statements, built once (db/prepared.ts): the lock, then the read. One statement joining
  // them would not do: having waited for an archiving transaction, it re-checks only the locked
  // row and would not see the archive that transaction committed. They are sent together (one
  // round trip on PostgreSQL): the read is still a statement of its own, run after the lock is
  // granted, with a snapshot taken then.
  const lock = () =>
    preparedIn(tx, 'quarter_lock_key_share', () =>
      tx
        .select({ id: communitiesTable.id })
        .from(communitiesTable)
        .where(eq(communitiesTable.id, sql.placeholder('communityId')))
        .for('key share')
        .prepare('quarter_lock_key_share'),
    ).execute({ communityId });
  const read = () =>
    preparedIn(tx, 'quarter_lock_archived', () =>
      tx
        .select({
          quarter: quarterArchivesTable.quarter,
          start: quarterArchivesTable.startsAt,
          end: quarterArchivesTable.endsAt,
        })
        .from(quarterArchivesTable)
        .where(eq(quarterArchivesTable.communityId, sql.placeholder('communityId')))
        .prepare('quarter_lock_archived'),
    ).execute({ communityId });
  // On the pool (not a transaction) the two could run on two connections at once, the read
  // before the lock is granted: one after the other there.
  const periods: Promise<ArchivedPeriod[]> =
    tx instanceof PgTransaction
      ? together(lock(), read()).then(([, archived]) => archived)
      : lock().then(read);
  if (tx instanceof PgTransaction) {
    if (memo) memo.set(communityId, periods);
    else heldPeriods.set(tx, new Map([[communityId, periods]]));
    // A failed lock is not remembered (the transaction is aborted anyway).
    periods.catch(() => heldPeriods.get(tx)?.delete(communityId));
  }
  return periods;
}

/**
 * The lock for an issue and everything hanging off it: the quarter it was submitted in. A caller
 * that holds the issue row passes it (`known`) and spares the look-up.
 */
export async function assertIssueQuarterOpen(
  tx: Db | Tx,
  issueId: string,
  known?: { communityId: string; createdAt: Date },
): Promise<void> {
  if (known) return assertQuarterOpen(tx, known.communityId, known.createdAt);
  const [issue] = await tx
    .select({ communityId: issuesTable.communityId, createdAt: issuesTable.createdAt })
    .from(issuesTable)
    .where(eq(issuesTable.id, issueId));
  if (issue) await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
}

/**
 * The same rule as a condition on `issues`, for the background clocks' selections: an issue of an
 * archived quarter has no reminders, letters, lapses or automatic closing any more (they would be
 * refused, and a refused unit would come back on every pass).
 */
export const issueNotArchived: SQL = sql`not exists (select 1 from ${quarterArchivesTable} qa
  where qa.community_id = ${issuesTable.communityId}
    and ${issuesTable.createdAt} >= qa.starts_at and ${issuesTable.createdAt} < qa.ends_at)`;
