import { type DomainError, parseQuarter, quarterArchived } from '@gongzhi/domain';

/** The SQLSTATE the database's quarter lock raises (drizzle/0011_quarter_lock_in_database.sql), the quarter in its DETAIL. */
export const QUARTER_ARCHIVED_SQLSTATE = 'GZ409';

/** The error and the errors it wraps (Drizzle and the drivers put the server's error in `cause`). */
function* errorChain(err: unknown): Generator<{ code?: unknown; detail?: unknown }> {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    yield e as { code?: unknown; detail?: unknown };
    e = (e as { cause?: unknown }).cause;
  }
}

/** A unique constraint refused the row (two requests raced for the same phone or openid). */
export const isUniqueViolation = (err: unknown) => [...errorChain(err)].some((e) => e.code === '23505');

/** The statement was refused because an earlier one had already aborted the transaction (`25P02`). */
export const isAbortedTransaction = (err: unknown) => [...errorChain(err)].some((e) => e.code === '25P02');

/**
 * A refusal the database makes on the domain's behalf, as the domain error the services would have
 * thrown: the triggers guard what a writer forgot, and the caller gets the same 409. Drivers and
 * Drizzle wrap the server's error (`cause`), so the chain is walked.
 */
export function domainErrorFromDatabase(err: unknown): DomainError | null {
  for (const { code, detail } of errorChain(err)) {
    if (code === QUARTER_ARCHIVED_SQLSTATE && typeof detail === 'string') {
      return quarterArchived(parseQuarter(detail));
    }
  }
  return null;
}
