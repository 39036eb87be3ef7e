import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ComplaintView, IssueDetail, PhotoUploadResult } from '@gongzhi/domain';
import postgres from 'postgres';
import { openDatabase } from '../../apps/api/src/db/client';
import { LocalStorage, type S3Storage } from '../../apps/api/src/lib/storage';
import { buildTestApp, PASSWORD, type TestApp } from '../helpers/build-app';
import { qrFor } from '../helpers/issue-flow';
import { multipartBody, smallJpeg } from '../helpers/multipart';
import { type S3Server, startS3Server } from '../helpers/s3-server';

/**
 * The backup and restore of docs/operations.md, done as an operator would: a database with an
 * issue and its photo is backed up, the original is lost, the backup is restored into a new
 * database and a new API serves the same issue, photo, account and tracking code.
 * PostgreSQL (CI's second pass): scripts/backup.sh (pg_dump) + a copy of the bucket, then
 * scripts/restore.sh (pg_restore) into a fresh database. PGlite: the data directory copied while
 * the API is stopped.
 */
const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const onPostgres = Boolean(process.env.DATABASE_URL);

/** What the restored instance must serve just the same. */
interface Recorded {
  issueId: string;
  trackingCode: string;
  secret: string;
  photoId: string;
  photoBytes: Buffer;
  phone: string;
  issue: IssueDetail;
}

/** A resident's complaint with a photo, and the zone leader's view of it. */
async function fileIssueWithPhoto(t: TestApp): Promise<Recorded> {
  const { payload, headers } = multipartBody([
    { filename: 'IMG_9.jpg', contentType: 'image/jpeg', data: await smallJpeg('#963') },
  ]);
  const up = await t.app.inject({ method: 'POST', url: '/api/photos', payload, headers });
  expect(up.statusCode).toBe(201);
  const [photo] = (up.json() as PhotoUploadResult).photos;
  const complaint = await t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: {
      qr: qrFor(12),
      category: 'sanitation',
      description: '12号楼门口垃圾没人清',
      photos: [{ id: photo!.id, uploadToken: photo!.uploadToken }],
    },
  });
  expect(complaint.statusCode).toBe(201);
  const { trackingCode, secret } = complaint.json() as { trackingCode: string; secret: string };
  const wu = await t.loginAs('wu-wenjie');
  const list = await t.app.inject({
    url: `/api/complaints/${trackingCode}`,
    headers: { 'x-tracking-secret': secret },
  });
  expect(list.statusCode).toBe(200);
  const issueId = (
    await t.app.inject({ url: `/api/issues?community=xiaduoyuan&q=${trackingCode}`, headers: wu.auth })
  ).json().items[0].id as string;
  const issue = (
    await t.app.inject({ url: `/api/issues/${issueId}`, headers: wu.auth })
  ).json() as IssueDetail;
  expect(issue.photos.map((p) => p.id)).toEqual([photo!.id]);
  const bytes = await t.app.inject({ url: photo!.url, headers: wu.auth });
  expect(bytes.statusCode).toBe(200);
  return {
    issueId,
    trackingCode,
    secret,
    photoId: photo!.id,
    photoBytes: bytes.rawPayload,
    phone: wu.phone,
    issue,
  };
}

/** The restored instance serves all of it: the leader logs in with the same password and sees the same. */
async function expectSameService(t: TestApp, r: Recorded) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { phone: r.phone, password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const auth = { authorization: `Bearer ${login.json().accessToken}` };
  const issue = await t.app.inject({ url: `/api/issues/${r.issueId}`, headers: auth });
  expect(issue.statusCode).toBe(200);
  expect(issue.json()).toEqual(r.issue);
  const photo = await t.app.inject({ url: `/api/photos/${r.photoId}`, headers: auth });
  expect(photo.statusCode).toBe(200);
  expect(photo.headers['content-type']).toBe('image/jpeg');
  expect(photo.rawPayload.equals(r.photoBytes)).toBe(true);
  const tracked = await t.app.inject({
    url: `/api/complaints/${r.trackingCode}`,
    headers: { 'x-tracking-secret': r.secret },
  });
  expect(tracked.statusCode).toBe(200);
  expect((tracked.json() as ComplaintView).code).toBe(r.trackingCode);
}

/** Copies every object of one bucket to another store, as `mc mirror` / `ossutil cp -r` would. */
async function mirrorBucket(from: S3Server, to: S3Storage) {
  const listing = await (await fetch(`${from.endpoint}/${from.bucket}?list-type=2&max-keys=1000`)).text();
  expect(listing).not.toContain('<IsTruncated>true</IsTruncated>');
  const keys = [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!);
  const source = from.storage();
  for (const key of keys) {
    const res = await fetch(`${from.endpoint}/${from.bucket}/${key}`);
    await to.put(
      key,
      Buffer.from((await source.get(key))!),
      res.headers.get('content-type') ?? 'application/octet-stream',
    );
  }
  return keys;
}

(onPostgres ? describe : describe.skip)(
  'PostgreSQL: pg_dump and the bucket, restored into a fresh database',
  () => {
    const admin = postgres(process.env.DATABASE_URL ?? 'postgres://unused', { max: 1, onnotice: () => {} });
    const restoredName = `gongzhi_restored_${process.pid}_${randomBytes(4).toString('hex')}`;
    const backupDir = mkdtempSync(path.join(tmpdir(), 'gz-backup-'));
    afterAll(async () => {
      await admin.unsafe(`drop database if exists ${restoredName} with (force)`);
      await admin.end();
      rmSync(backupDir, { recursive: true, force: true });
    });

    test('the restored database and the bucket copy serve the same issue, photo, account and tracking code', async () => {
      const store = await startS3Server({ bucket: 'gongzhi-live' });
      const original = await buildTestApp({ storage: store.storage() });
      let recorded: Recorded;
      let dumpFile: string;
      const backupStore = await startS3Server({ bucket: 'gongzhi-backup' });
      try {
        recorded = await fileIssueWithPhoto(original);
        // 1. The database, while the API runs.
        const backup = await run('bash', [path.join(ROOT, 'scripts/backup.sh'), backupDir], {
          env: { ...process.env, DATABASE_URL: original.databaseUrl },
        });
        dumpFile = backup.stdout.trim();
        expect(readdirSync(backupDir)).toEqual([path.basename(dumpFile)]);
        // 2. Then the bucket, to another store.
        const copied = await mirrorBucket(store, backupStore.storage());
        expect(copied.length).toBeGreaterThanOrEqual(3); // the photo's three sizes
      } finally {
        // The original is lost: its database dropped, its object store gone.
        await original.close();
        await store.close();
      }

      try {
        await admin.unsafe(`create database ${restoredName}`);
        const url = new URL(process.env.DATABASE_URL!);
        url.pathname = `/${restoredName}`;
        const restore = await run('bash', [path.join(ROOT, 'scripts/restore.sh'), dumpFile], {
          env: { ...process.env, DATABASE_URL: url.toString() },
        });
        expect(restore.stdout).toContain('restored');
        // Restoring twice into the same database is refused before anything is written.
        await expect(
          run('bash', [path.join(ROOT, 'scripts/restore.sh'), dumpFile], {
            env: { ...process.env, DATABASE_URL: url.toString() },
          }),
        ).rejects.toMatchObject({ code: 3, stderr: expect.stringContaining('refusing to restore') });

        const database = await openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory' });
        const restored = await buildTestApp({ existingDatabase: database, storage: backupStore.storage() });
        try {
          await expectSameService(restored, recorded);
        } finally {
          await restored.close();
          await database.close();
        }
      } finally {
        await backupStore.close();
      }
    }, 180_000); // real pg_dump and pg_restore, two object stores
  },
);

(onPostgres ? describe.skip : describe)('PGlite: the data directory copied while the API is stopped', () => {
  test('a copy of DATA_DIR (database and uploads) serves the same issue, photo, account and tracking code', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gz-data-'));
    const copyDir = mkdtempSync(path.join(tmpdir(), 'gz-data-copy-'));
    try {
      const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      const original = await buildTestApp({
        existingDatabase: database,
        storage: new LocalStorage(path.join(dataDir, 'uploads')),
      });
      const recorded = await fileIssueWithPhoto(original);
      // Stop: the app, then the database (the lock file goes with it).
      await original.close();
      await database.close();
      cpSync(dataDir, copyDir, { recursive: true });
      rmSync(dataDir, { recursive: true, force: true });

      const copy = await openDatabase({ pgliteDir: path.join(copyDir, 'pglite') });
      const restored = await buildTestApp({
        existingDatabase: copy,
        storage: new LocalStorage(path.join(copyDir, 'uploads')),
      });
      try {
        await expectSameService(restored, recorded);
      } finally {
        await restored.close();
        await copy.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(copyDir, { recursive: true, force: true });
    }
  }, 180_000); // an on-disk PGlite opened twice, on a shared machine
});
