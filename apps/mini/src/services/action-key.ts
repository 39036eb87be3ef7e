/**
 * The Idempotency-Key of one user action. The same input tried again (after a lost answer, a
 * timeout, a tap on 重试) keeps its key, so the API creates the resource once; once the action
 * succeeded, or the person changed what they are sending, the next attempt is a new action.
 */
export function actionKeys(mint: () => string = newIdempotencyKey) {
  let pending: { key: string; input: string } | null = null;
  return {
    keyFor(input: unknown): string {
      const fingerprint = JSON.stringify(input ?? null);
      if (pending?.input !== fingerprint) pending = { key: mint(), input: fingerprint };
      return pending.key;
    },
    succeeded() {
      pending = null;
    },
  };
}

/** A random idempotency key (RFC 4122 v4 shape). Uniqueness matters here, not secrecy. */
export function newIdempotencyKey(): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const variant = '89ab'[Math.floor(Math.random() * 4)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
