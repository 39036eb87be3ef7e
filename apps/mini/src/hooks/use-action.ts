import { useRef, useState } from 'react';
import { toast } from '../components/toast';
import { actionKeys } from '../services/action-key';

/**
 * A person's action on a page: busy while it runs (a second tap meanwhile does nothing), one
 * Idempotency-Key per action kept across its retries (`actionKeys`), a toast with the outcome.
 * `run` resolves to the result, or to undefined when the action failed (the toast has said why).
 */
export function useAction<I, R>(call: (input: I, key: string) => Promise<R>, opts: { done?: string } = {}) {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const keys = useRef(actionKeys());
  const run = async (input: I): Promise<R | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    try {
      const result = await call(input, keys.current.keyFor(input));
      keys.current.succeeded();
      if (opts.done) toast(opts.done, 'success');
      return result;
    } catch (e) {
      toast((e as Error).message, 'fail');
      return undefined;
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { run, busy };
}
