import { availableParallelism } from 'node:os';
import sharp from 'sharp';

/**
 * How much of the machine image work may take. sharp decodes and encodes on libuv's threads, never
 * on the event loop — but each operation spreads over libvips threads, and several uploads at once
 * used to keep every core busy (8 at a time on 2 cores: up to 4 operations × 2 threads), so the
 * event loop waited for a core and every other request slowed (duty-now p99 ×7, docs/benchmarks.md).
 * One core is left to the event loop: photos are processed N − 1 at a time (at least one), each on
 * N − 1 libvips threads; the rest wait their turn in order. That also bounds the memory decoding
 * takes (a 12-megapixel photo needs ~100 MB while it is processed) to IMAGE_JOBS photos at once.
 */
const CORES = availableParallelism();
export const IMAGE_JOBS = Math.max(1, CORES - 1);
export const IMAGE_THREADS = Math.max(1, CORES - 1);
sharp.concurrency(IMAGE_THREADS);
// Uploads are never read twice: libvips' operation cache would only hold their pixels longer.
sharp.cache(false);

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when one of the IMAGE_JOBS places is free (first come, first served). */
export async function imageWork<T>(work: () => Promise<T>): Promise<T> {
  if (running < IMAGE_JOBS) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    // The place passes straight to the next in line, so `running` never drops and rises again.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
