import { availableParallelism } from 'node:os';
import sharp from 'sharp';

/**
 * How much of the machine image work may take. sharp decodes and encodes on libuv's threads, never
 * on the event loop — but by default each operation spreads over one libvips thread per core, and
 * several uploads at once kept more threads busy than there are cores (8 at a time on 2 cores: 4
 * operations × 2 threads), so the event loop queued for a core and every other request slowed
 * (duty-now p99 ×7 during uploads, docs/benchmarks.md). Here image work never has more threads
 * than the machine has cores: photos are processed IMAGE_JOBS (= cores) at a time, each one sharp
 * operation after another (services/photos/process-photo.ts) on one libvips thread, the rest wait
 * their turn in order; the event loop competes with at most that many threads. It also bounds the memory decoding takes (a 12-megapixel photo needs ~100 MB while it is
 * processed) to IMAGE_JOBS photos at once, however many uploads arrive together.
 */
const CORES = availableParallelism();
export const IMAGE_JOBS = CORES;
export const IMAGE_THREADS = 1;
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
