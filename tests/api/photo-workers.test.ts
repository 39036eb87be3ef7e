import { readdirSync, readFileSync } from 'node:fs';
import type { PhotoUploadResult } from '@gongzhi/domain';
import { DomainError } from '@gongzhi/domain';
import sharp from 'sharp';
import { PhotoPool, photoPool, WORKER_NICE } from '../../apps/api/src/services/photos/photo-workers';
import { encodeSizes } from '../../apps/api/src/services/photos/process-photo';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartBody } from '../helpers/multipart';

// Photos are encoded in child processes at a lower CPU priority (docs/benchmarks.md "Photos in a
// worker process"): the same bytes as in this process, and a child that dies or hangs costs its
// uploads a clear 503, never a hang, and is replaced.

/** A noisy photo big enough that encoding it takes a while (tens to hundreds of ms). */
async function bigPhoto(): Promise<Buffer> {
  const width = 3000;
  const height = 2000;
  const raw = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (seed >> 16) & 255;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

let photo: Buffer;
beforeAll(async () => {
  photo = await bigPhoto();
});

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The nice value of every thread of a process (Linux: field 19 of /proc/<pid>/task/<tid>/stat). */
const threadNice = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });

describe('the photo pool', () => {
  const pools: PhotoPool[] = [];
  const pool = (options: ConstructorParameters<typeof PhotoPool>[0]) => {
    const p = new PhotoPool(options);
    pools.push(p);
    return p;
  };
  afterAll(() => Promise.all(pools.map((p) => p.close())));

  test('encodes the same bytes as this process, in a child whose every thread runs at a lower priority', async () => {
    const p = pool({ size: 1 });
    const [inChild, here] = await Promise.all([
      p.encode({ data: photo, path: 'files[0]', hasAlpha: false }),
      encodeSizes(photo, 'files[0]', false),
    ]);
    expect(Buffer.isBuffer(inChild.original)).toBe(true);
    expect(inChild).toEqual(here);
    const [pid] = p.pids();
    expect(pid).toBeGreaterThan(0);
    if (process.platform === 'linux') {
      const ours = threadNice(process.pid)[0]!; // 0 unless the tests themselves run niced
      const nice = threadNice(pid!);
      expect(nice.length).toBeGreaterThan(3); // libuv's and libvips' threads among them
      expect(new Set(nice)).toEqual(new Set([Math.max(WORKER_NICE, ours)]));
    }
  });

  test("a refusal crosses as the domain error it is (corrupt_image with the file's path)", async () => {
    const p = pool({ size: 1 });
    const err = await p
      .encode({ data: photo.subarray(0, photo.length / 2), path: 'files[3]', hasAlpha: false })
      .catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'invalid', code: 'corrupt_image', details: [{ path: 'files[3]' }] });
  });

  test('a child that dies fails the jobs it held with a clear error, and the next job gets a new child', async () => {
    const logged: { fields: Record<string, unknown>; message: string }[] = [];
    const p = pool({ size: 1, perWorker: 2, log: (fields, message) => logged.push({ fields, message }) });
    const jobs = [1, 2].map(() =>
      p.encode({ data: photo, path: 'files[0]', hasAlpha: false }).catch((e) => e),
    );
    await until(() => p.running() === 2, 'both jobs in the child');
    const [first] = p.pids();
    process.kill(first!, 'SIGKILL');
    for (const err of await Promise.all(jobs)) {
      expect(err).toMatchObject({ kind: 'unavailable', code: 'photo_processing_unavailable' });
    }
    const again = await p.encode({ data: photo, path: 'files[0]', hasAlpha: false });
    expect(again.width).toBe(2560); // the stored original's long side
    expect(p.pids()).toHaveLength(1);
    expect(p.pids()[0]).not.toBe(first);
    // The operator reads why: one warning for the death, with the child, its signal and jobs.
    expect(logged).toEqual([
      {
        fields: { pid: first, jobs: 2, code: null, signal: 'SIGKILL' },
        message: expect.stringContaining('photo worker lost'),
      },
    ]);
  });

  test('a job not answered in time fails, and its child is replaced', async () => {
    const logged: Record<string, unknown>[] = [];
    const p = pool({ size: 1, timeoutMs: 20, log: (fields) => logged.push(fields) });
    const err = await p.encode({ data: photo, path: 'files[0]', hasAlpha: false }).catch((e) => e);
    expect(err).toMatchObject({ code: 'photo_processing_unavailable' });
    expect(p.pids()).toEqual([]);
    expect(logged).toEqual([expect.objectContaining({ stuck: true, timeoutMs: 20, jobs: 1 })]);
  });

  test('the queue is bounded: past it a job is refused at once', async () => {
    const p = pool({ size: 1, perWorker: 1, queueLimit: 1 });
    const request = { data: photo, path: 'files[0]', hasAlpha: false };
    const running = p.encode(request);
    const waiting = p.encode(request);
    await expect(p.encode(request)).rejects.toMatchObject({ code: 'photo_processing_unavailable' });
    await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
  });

  test('close fails what waits and stops the children', async () => {
    const p = pool({ size: 1, perWorker: 1 });
    const request = { data: photo, path: 'files[0]', hasAlpha: false };
    const jobs = [p.encode(request), p.encode(request)].map((j) => j.catch((e) => e));
    await until(() => p.running() === 1, 'a job in the child');
    const [pid] = p.pids();
    await p.close();
    for (const err of await Promise.all(jobs))
      expect(err).toMatchObject({ code: 'photo_processing_unavailable' });
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});

describe('an upload whose worker dies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const upload = () => {
    const { payload, headers } = multipartBody([
      { filename: 'a.jpg', contentType: 'image/jpeg', data: photo },
    ]);
    return t.app.inject({ method: 'POST', url: '/api/photos', payload, headers });
  };

  test('is answered 503 photo_processing_unavailable in Chinese, and the next upload is stored', async () => {
    const pool = photoPool();
    expect(pool).not.toBeNull(); // the default: photos are encoded in a worker
    const answer = upload();
    await until(() => pool!.running() === 1, 'the upload in the worker');
    process.kill(pool!.pids()[0]!, 'SIGKILL');
    const res = await answer;
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({
      code: 'photo_processing_unavailable',
      message: '服务器繁忙，照片暂时无法处理，请稍后重试',
    });
    const next = await upload();
    expect(next.statusCode).toBe(201);
    expect((next.json() as PhotoUploadResult).photos).toHaveLength(1);
  });
});
