import { IMAGE_JOBS, imageWork } from '../../apps/api/src/lib/image-work';

// The places image work takes: never more than IMAGE_JOBS at once, first come first served, and a
// failed job gives its place back (docs/benchmarks.md "Photos" for why the bound exists).
test('image work runs at most IMAGE_JOBS at once, in order, and frees the place of a failed job', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const release: (() => void)[] = [];
  const jobs = Array.from({ length: IMAGE_JOBS + 3 }, (_, i) =>
    imageWork(async () => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => release.push(r));
      running--;
      if (i === 0) throw new Error('corrupt');
      return i;
    }),
  );
  const settle = () => new Promise((r) => setImmediate(r));
  await settle();
  expect(started).toEqual(Array.from({ length: IMAGE_JOBS }, (_, i) => i));
  while (release.length) {
    release.shift()!();
    await settle();
  }
  const results = await Promise.allSettled(jobs);
  expect(most).toBe(IMAGE_JOBS);
  expect(started).toEqual(jobs.map((_, i) => i));
  expect(results[0]!.status).toBe('rejected');
  expect(results.slice(1).map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual(
    jobs.slice(1).map((_, i) => i + 1),
  );
  // Every place is free again: IMAGE_JOBS new jobs all start at once.
  let now = 0;
  await Promise.all(
    Array.from({ length: IMAGE_JOBS }, () =>
      imageWork(async () => {
        now++;
        await settle();
        expect(now).toBe(IMAGE_JOBS);
      }),
    ),
  );
});
