import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DomainError, type ErrorDetail } from '@gongzhi/domain';

/**
 * Photo encoding in child processes at a lower CPU priority (docs/benchmarks.md "Photos in a worker
 * process"). sharp works on libuv's and libvips' threads, never on the event loop, but in the API's
 * own process those threads compete for the cores on equal terms with the event loop that answers
 * every other request. In a child that lowered its nice value (photo-worker.ts), the kernel gives the
 * API the CPU first and image work takes what is left.
 *
 * Bounded: each child has at most `perWorker` jobs at once; the rest wait in order, at most
 * QUEUE_LIMIT of them. A job not answered within `timeoutMs` of its arrival, a full queue, or a
 * child that dies (its jobs with it) answers the upload 503 photo_processing_unavailable; a dead or
 * stuck child is replaced by the next job. Idle children do not keep the process alive, and the
 * photo routes close the pool with the app.
 */

/** What a child encodes (process-photo.ts `encodeSizes`) and answers. */
export interface EncodeRequest {
  data: Buffer;
  path: string;
  hasAlpha: boolean;
}

/** A photo as stored: the original and its two encodings. */
export interface ProcessedPhoto {
  /** SHA-256 of `original`, the bytes stored: also its storage name. */
  sha256: string;
  width: number;
  height: number;
  original: Buffer;
  display: Buffer;
  thumb: Buffer;
}

export type EncodeResult = ProcessedPhoto;
/** A domain error (corrupt_image, image_too_large_pixels) as it crosses the process boundary. */
export interface EncodeFailure {
  kind: DomainError['kind'];
  code: string;
  message: string;
  details?: ErrorDetail[];
}
export type WorkerReply = { id: number } & ({ photo: EncodeResult } | { error: EncodeFailure });

const CORES = availableParallelism();
/** Default PHOTO_WORKERS: one child per two cores (one on a 2-core machine). */
export const DEFAULT_PHOTO_WORKERS = Math.max(1, Math.floor(CORES / 2));
/** The workers' nice value (lower-priority.ts): the kernel gives the API the CPU first. */
export const WORKER_NICE = 10;
/** Jobs waiting for a child beyond those running; more is refused at once. */
export const QUEUE_LIMIT = 64;
/** A job not answered this long after it arrived fails (and its child, if it had one, is replaced). */
export const JOB_TIMEOUT_MS = 120_000;

export const photoProcessingUnavailable = () =>
  new DomainError('unavailable', 'photo_processing_unavailable', '服务器繁忙，照片暂时无法处理，请稍后重试');

/**
 * The child's module: photo-worker.js next to the compiled server (apps/api/build.mjs), or the
 * TypeScript source run through tsx (tests, `pnpm dev`, the benches).
 */
function workerModule(): { file: string; execArgv: string[] } {
  const compiled = path.join(__dirname, 'photo-worker.js');
  if (existsSync(compiled)) return { file: compiled, execArgv: [] };
  return {
    file: path.join(__dirname, 'photo-worker.ts'),
    execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
  };
}

interface Job {
  id: number;
  request: EncodeRequest;
  resolve: (photo: EncodeResult) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  worker?: Worker;
}

interface Worker {
  child: ChildProcess;
  jobs: Map<number, Job>;
  gone: boolean;
}

/** Where the pool tells the operator that a child died or got stuck (the API's logger, at warn). */
export type PhotoWorkerLog = (fields: Record<string, unknown>, message: string) => void;

export interface PhotoPoolOptions {
  size: number;
  perWorker?: number;
  queueLimit?: number;
  timeoutMs?: number;
  log?: PhotoWorkerLog;
}

export class PhotoPool {
  readonly size: number;
  readonly perWorker: number;
  private readonly queueLimit: number;
  private readonly timeoutMs: number;
  private readonly log: PhotoWorkerLog | undefined;
  private readonly workers: Worker[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(options: PhotoPoolOptions) {
    this.size = Math.max(1, options.size);
    // Together the children run as many jobs as there are cores (each job on one libvips thread).
    this.perWorker = options.perWorker ?? Math.max(1, Math.ceil(CORES / this.size));
    this.queueLimit = options.queueLimit ?? QUEUE_LIMIT;
    this.timeoutMs = options.timeoutMs ?? JOB_TIMEOUT_MS;
    this.log = options.log;
  }

  /** The children's process ids (for tests and measurements). */
  pids(): number[] {
    return this.workers.flatMap((w) => (w.gone || w.child.pid === undefined ? [] : [w.child.pid]));
  }

  /** Jobs a child is working on now. */
  running(): number {
    return this.workers.reduce((n, w) => n + w.jobs.size, 0);
  }

  encode(request: EncodeRequest): Promise<EncodeResult> {
    if (this.queue.length >= this.queueLimit) return Promise.reject(photoProcessingUnavailable());
    return new Promise<EncodeResult>((resolve, reject) => {
      const job: Job = { id: this.nextId++, request, resolve, reject, timer: undefined as never };
      job.timer = setTimeout(() => this.timedOut(job), this.timeoutMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every child; jobs still waiting or running fail. The pool can be used again after. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) this.fail(job, photoProcessingUnavailable());
    await Promise.all(this.workers.splice(0).map((w) => this.stop(w)));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.freeWorker();
      if (!worker) return;
      const job = this.queue.shift()!;
      job.worker = worker;
      worker.jobs.set(job.id, job);
      this.hold(worker, true);
      worker.child.send({ id: job.id, ...job.request });
    }
  }

  /** The least busy child with a free place, a new one if there is room for it. */
  private freeWorker(): Worker | undefined {
    let best: Worker | undefined;
    for (const w of this.workers) {
      if (w.jobs.size < this.perWorker && (!best || w.jobs.size < best.jobs.size)) best = w;
    }
    if (best && best.jobs.size === 0) return best;
    if (this.workers.length < this.size) return this.spawn();
    return best;
  }

  private spawn(): Worker {
    const { file, execArgv } = workerModule();
    const child = fork(file, [], {
      execArgv,
      // Buffers travel as V8-serialized bytes, not as JSON arrays of numbers.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // glibc's malloc keeps an arena per thread that ever allocated, and libvips' freed pixel
      // buffers stay in them: two arenas kept a worker at ~125 MB at rest instead of ~235 MB and
      // ~285 MB instead of ~430 MB while encoding (docs/benchmarks.md). Ignored by other C libraries.
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    });
    const worker: Worker = { child, jobs: new Map(), gone: false };
    child.on('message', (reply: WorkerReply) => this.answered(worker, reply));
    child.on('exit', (code, signal) => this.lost(worker, { code, signal }));
    child.on('error', (err) => this.lost(worker, { error: err.message }));
    this.workers.push(worker);
    return worker;
  }

  private answered(worker: Worker, reply: WorkerReply): void {
    const job = worker.jobs.get(reply.id);
    if (!job) return;
    worker.jobs.delete(reply.id);
    clearTimeout(job.timer);
    if ('photo' in reply) {
      const p = reply.photo;
      // The advanced serialization gives back Uint8Arrays; Buffer views of the same bytes.
      job.resolve({
        ...p,
        original: asBuffer(p.original),
        display: asBuffer(p.display),
        thumb: asBuffer(p.thumb),
      });
    } else {
      const e = reply.error;
      job.reject(new DomainError(e.kind, e.code, e.message, e.details));
    }
    if (worker.jobs.size === 0) this.hold(worker, false);
    this.dispatch();
  }

  /**
   * A child exited or could not be reached (`why`: logged, unless the pool stopped it itself): its
   * jobs fail, a later job starts a new one.
   */
  private lost(worker: Worker, why?: Record<string, unknown>): void {
    if (worker.gone) return;
    worker.gone = true;
    if (why) {
      this.log?.(
        { pid: worker.child.pid, jobs: worker.jobs.size, ...why },
        'photo worker lost: its uploads answered 503 photo_processing_unavailable, the next upload starts a new one',
      );
    }
    const at = this.workers.indexOf(worker);
    if (at >= 0) this.workers.splice(at, 1);
    for (const job of worker.jobs.values()) this.fail(job, photoProcessingUnavailable());
    worker.jobs.clear();
    this.dispatch();
  }

  private timedOut(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.fail(job, photoProcessingUnavailable());
      return;
    }
    // Running this long, the child is stuck: it goes, with whatever else it held.
    if (job.worker && !job.worker.gone) {
      const worker = job.worker;
      this.lost(worker, { stuck: true, timeoutMs: this.timeoutMs });
      void this.stop(worker);
    }
  }

  private fail(job: Job, err: Error): void {
    clearTimeout(job.timer);
    job.reject(err);
  }

  /** A child with work keeps the process alive; an idle one does not (tests and CLIs exit). */
  private hold(worker: Worker, busy: boolean): void {
    const channel = worker.child.channel as { ref(): void; unref(): void } | undefined;
    if (busy) {
      worker.child.ref();
      channel?.ref();
    } else {
      worker.child.unref();
      channel?.unref();
    }
  }

  private stop(worker: Worker): Promise<void> {
    const { child } = worker;
    this.lost(worker);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      kill.unref();
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** Bytes that crossed the process boundary (advanced serialization gives Uint8Arrays) as a Buffer, uncopied. */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

let configured = DEFAULT_PHOTO_WORKERS;
let workerLog: PhotoWorkerLog | undefined;
let pool: PhotoPool | null = null;

/**
 * PHOTO_WORKERS (env.ts): how many children encode photos; 0 = in the API's own process. `log`:
 * where a child's death or a stuck job is reported (the server's logger).
 */
export function configurePhotoWorkers(size: number, log?: PhotoWorkerLog): void {
  if (log) workerLog = log;
  if (pool && pool.size === size) return;
  const old = pool;
  pool = null;
  configured = size;
  void old?.close();
}

/** The pool photos are encoded in, or null when they are encoded in this process. */
export function photoPool(): PhotoPool | null {
  if (configured === 0) return null;
  pool ??= new PhotoPool({ size: configured, log: workerLog });
  return pool;
}

/** Stops the children (the app's onClose); the next upload starts them again. */
export async function closePhotoWorkers(): Promise<void> {
  await pool?.close();
}
