import type { Db } from '../db/client';
import {
  hitCounter,
  PURGE_EVERY_MS,
  purgeExpiredCounters,
  readCounter,
} from '../services/rate-limits/counters';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * What the plugin really passes to child(): the route's merged rate-limit settings with the route
 * under `routeInfo` (its typings say the route options themselves).
 */
interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * A store for @fastify/rate-limit whose counters live in the database, so that every API instance
 * on that database shares them (the plugin's default store is one process's memory). Fixed
 * windows, as the default store; the plugin's continueExceeding / exponentialBackoff are not
 * supported (no route uses them). The plugin constructs the class itself (`store: Class`), so
 * the database and clock are bound by this factory.
 */
export function databaseRateLimitStore(db: Db, now: () => Date) {
  let lastPurge = Number.NEGATIVE_INFINITY;

  return class DatabaseRateLimitStore {
    /** Each route counts on its own: keys are prefixed with its method and URL. */
    constructor(
      _params?: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: Callback, timeWindow: number) {
      const at = now();
      const work = async () => {
        if (at.getTime() - lastPurge >= PURGE_EVERY_MS) {
          lastPurge = at.getTime();
          await purgeExpiredCounters(db, at);
        }
        return hitCounter(db, `${this.prefix}${key}`, at, timeWindow);
      };
      work().then(
        (res) => cb(null, res),
        (err: Error) => cb(err),
      );
    }

    /** The state without counting a hit (the plugin's `increment: false`). */
    read(key: string, cb: Callback) {
      readCounter(db, `${this.prefix}${key}`, now()).then(
        (res) => cb(null, res),
        (err: Error) => cb(err),
      );
    }

    child(routeOptions: object) {
      const params = routeOptions as RouteParams;
      const method = [params.routeInfo?.method ?? ''].flat().join(',');
      return new DatabaseRateLimitStore(undefined, `${this.prefix}${method} ${params.routeInfo?.url ?? ''}|`);
    }
  };
}
