import { isAbortedTransaction } from './errors';

/**
 * Statements of one transaction that do not need each other's answers, sent together: each is
 * started (its statement issued) before any is awaited, so on PostgreSQL postgres.js writes them to
 * the transaction's connection in one go and waits once (a pipeline), instead of a round trip each;
 * PGlite runs them one after the other. The caller starts them in the order they would have run one
 * at a time — the database runs them in that order, each seeing what the ones before it wrote.
 *
 * The answer is every result, or — after all have settled — the error of the first that failed in
 * that order, as one at a time would have answered: once a statement fails the transaction is
 * aborted, the later ones fail with `25P02` (never the answer while a cause is among the errors)
 * and the caller's transaction rolls back. A check in JavaScript between two of them (a refusal
 * on what the first read) now runs after the later ones were executed; they are rolled back with
 * the rest, so nothing of them remains.
 */
export async function together<T extends readonly unknown[]>(
  ...work: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(work);
  const failed = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  // A statement refused only because an earlier one had aborted the transaction is not the cause.
  if (failed.length) throw failed.find((e) => !isAbortedTransaction(e)) ?? failed[0];
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
