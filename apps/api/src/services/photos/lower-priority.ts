import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { WORKER_NICE } from './photo-workers';

/**
 * Lowers the photo worker's nice value (photo-worker.ts imports this first, before sharp starts a
 * thread; nothing else may import it, or it lowers that process's priority).
 * On Linux the nice value belongs to each thread and new threads inherit their creator's, so every
 * thread that exists now (the main thread, V8's helpers) is lowered; libuv's and libvips' threads,
 * made later, inherit it. Elsewhere the process's priority is lowered.
 */
try {
  for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), WORKER_NICE);
} catch {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // Not permitted here: the worker still runs, only at the API's priority.
  }
}
