import type { AuditLogger } from '../../lib/audit';
import type { Storage } from '../../lib/storage';
import type { ServiceContext } from '../context';
import { purgeExpiredIdempotencyKeys } from '../idempotency';
import { runExportJob } from '../ledger/export-jobs';
import { deliverOutbox } from '../notifications/deliver-outbox';
import type { WechatSender } from '../notifications/wechat-subscribe';
import { refreshIssueCounts } from '../rollup/refresh-issue-counts';
import { runFollowUp } from './run-follow-up';

/**
 * The background work of one API process: the follow-up clock (with the roll-up summary's refresh)
 * and the outbox worker, each on its
 * own timer, never overlapping itself. Safe with several processes (see runFollowUp and
 * deliverOutbox). Returns a stop function that waits for a pass in flight.
 */
export function startBackgroundWork(
  ctx: Pick<ServiceContext, 'db' | 'communities' | 'calendars' | 'now'>,
  opts: {
    followUpMs: number;
    outboxMs: number;
    wechat: WechatSender | null;
    /** Where export jobs write their files; without it no export job runs in this process. */
    storage?: Storage;
    log: AuditLogger & { error: (obj: object, msg: string) => void };
  },
) {
  const running = new Set<Promise<unknown>>();
  const loop = (name: string, ms: number, work: () => Promise<unknown>) => {
    if (ms <= 0) return null;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const p = work()
        .catch((err) => opts.log.error({ err }, `${name} failed`))
        .finally(() => {
          busy = false;
          running.delete(p);
        });
      running.add(p);
    }, ms);
    timer.unref();
    return timer;
  };
  const timers = [
    loop('follow-up', opts.followUpMs, async () => {
      // The clock's own steps are audited as 'system' (lib/audit.ts).
      await runFollowUp({ ...ctx, log: opts.log });
      await purgeExpiredIdempotencyKeys(ctx.db, ctx.now());
      // The district roll-up's summary: recount the months with issues written since the last pass.
      await refreshIssueCounts(ctx.db, ctx.now());
    }),
    loop('outbox', opts.outboxMs, () => deliverOutbox(ctx.db, ctx.now, opts.wechat)),
    // Export jobs (large ledgers): one job per tick, at the outbox's pace.
    opts.storage
      ? loop('exports', opts.outboxMs, () => runExportJob({ ...ctx, storage: opts.storage! }))
      : null,
  ];
  return async () => {
    for (const t of timers) if (t) clearInterval(t);
    await Promise.allSettled([...running]);
  };
}
