import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { PhotoUploadResult } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { photosTable } from '../../apps/api/src/db/schema';
import { createStorage, LocalStorage, S3Storage } from '../../apps/api/src/lib/storage';
import { PHOTO_CONTENT_TYPES, photoKey, photoKeys } from '../../apps/api/src/services/photos/photo-files';
import { sweepOrphanPhotos } from '../../apps/api/src/services/photos/sweep-orphan-photos';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { multipartBody, smallJpeg } from '../helpers/multipart';
import { type S3Server, startS3Server } from '../helpers/s3-server';

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.close());

/** The object as anyone reading the bucket over HTTP sees it (s3rver serves unsigned GETs). */
const objectOverHttp = (key: string, bucket = s3.bucket) => fetch(`${s3.endpoint}/${bucket}/${key}`);

describe('S3Storage against an S3-compatible server', () => {
  test('put then get gives the same bytes, stored under the key with its content type', async () => {
    const storage = s3.storage();
    const data = randomBytes(70_000);
    await storage.put('photos/abc123.jpg', data, 'image/jpeg');
    expect((await storage.get('photos/abc123.jpg'))?.equals(data)).toBe(true);
    const res = await objectOverHttp('photos/abc123.jpg');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
  });

  test('a missing key reads as null; delete removes an object and deleting again is fine', async () => {
    const storage = s3.storage();
    expect(await storage.get('photos/never-stored.webp')).toBeNull();
    await storage.put('photos/to-delete-display.webp', Buffer.from('x'), 'image/webp');
    expect(await storage.get('photos/to-delete-display.webp')).not.toBeNull();
    await storage.delete('photos/to-delete-display.webp');
    expect(await storage.get('photos/to-delete-display.webp')).toBeNull();
    expect((await objectOverHttp('photos/to-delete-display.webp')).status).toBe(404);
    await expect(storage.delete('photos/to-delete-display.webp')).resolves.toBeUndefined();
  });

  test('a prefix keeps one deployment apart from another in the same bucket', async () => {
    const a = s3.storage({ prefix: 'site-a' });
    const b = s3.storage({ prefix: 'site-b/' });
    await a.put('photos/same.jpg', Buffer.from('A'), 'image/jpeg');
    await b.put('photos/same.jpg', Buffer.from('B'), 'image/jpeg');
    expect((await a.get('photos/same.jpg'))?.toString()).toBe('A');
    expect((await b.get('photos/same.jpg'))?.toString()).toBe('B');
    expect(await (await objectOverHttp('site-a/photos/same.jpg')).text()).toBe('A');
    expect(await (await objectOverHttp('site-b/photos/same.jpg')).text()).toBe('B');
  });

  test('keys that could leave the prefix are refused before any request', async () => {
    const storage = s3.storage({ prefix: 'site-a' });
    await s3.storage({ prefix: 'site-b' }).put('photos/kept.jpg', Buffer.from('B'), 'image/jpeg');
    for (const key of ['../site-b/photos/kept.jpg', '/photos/x.jpg', 'Photos/X.JPG', 'photos/../../x']) {
      await expect(storage.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow('unsafe storage key');
      await expect(storage.get(key)).rejects.toThrow('unsafe storage key');
      await expect(storage.delete(key)).rejects.toThrow('unsafe storage key');
    }
    expect((await s3.storage({ prefix: 'site-b' }).get('photos/kept.jpg'))?.toString()).toBe('B');
  });

  test('a refused request is an error, never read as "missing" (s3rver checks the access key id)', async () => {
    await s3.storage().put('photos/exists.jpg', Buffer.from('x'), 'image/jpeg');
    const wrong = new S3Storage({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      bucket: s3.bucket,
      accessKeyId: 'NOT-A-KEY',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
      requestTimeoutMs: 5000,
    });
    try {
      await expect(wrong.get('photos/exists.jpg')).rejects.toThrow();
      await expect(wrong.get('photos/never-stored.jpg')).rejects.toThrow();
      await expect(wrong.put('photos/forged.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow();
      expect((await objectOverHttp('photos/forged.jpg')).status).toBe(404);
    } finally {
      wrong.close();
    }
  });

  test('createStorage: S3_BUCKET picks the object store and checks the bucket; without it, the local directory', async () => {
    const local = await createStorage({ S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false }, '/tmp/gz-x');
    expect(local).toBeInstanceOf(LocalStorage);

    const remote = await createStorage(s3.settings, '/tmp/gz-x');
    expect(remote).toBeInstanceOf(S3Storage);
    await remote.put('photos/via-factory.jpg', Buffer.from('f'), 'image/jpeg');
    expect((await s3.storage().get('photos/via-factory.jpg'))?.toString()).toBe('f');
    (remote as S3Storage).close();

    await expect(createStorage({ ...s3.settings, S3_BUCKET: 'no-such-bucket' }, '/tmp/gz-x')).rejects.toThrow(
      '对象存储不可用：存储桶 no-such-bucket（HTTP 404）',
    );
    await expect(
      createStorage({ ...s3.settings, S3_SECRET_ACCESS_KEY: undefined }, '/tmp/gz-x'),
    ).rejects.toThrow('S3_ACCESS_KEY_ID 与 S3_SECRET_ACCESS_KEY 须同时设置');
  });
});

describe('photos through the API on the object store', () => {
  const clock = testClock();
  let t: TestApp;
  let bucketPrefix: string;
  beforeAll(async () => {
    // Its own prefix, so what this suite finds in the bucket is its own.
    bucketPrefix = `api-${randomBytes(4).toString('hex')}`;
    t = await buildTestApp({ now: clock.now, storage: s3.storage({ prefix: bucketPrefix }) });
  });
  afterAll(() => t.close());

  test('an upload lands in the bucket (not on local disk) and every size is read back through the API', async () => {
    const yang = await t.loginAs('yang-chenyi');
    const jpeg = await smallJpeg('#c33');
    const { payload, headers } = multipartBody([
      { filename: 'a.jpg', contentType: 'image/jpeg', data: jpeg },
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...yang.auth },
    });
    expect(up.statusCode).toBe(201);
    const [photo] = (up.json() as PhotoUploadResult).photos;
    const [row] = await t.db.select().from(photosTable).where(eq(photosTable.id, photo!.id));

    for (const size of ['original', 'display', 'thumb'] as const) {
      const key = photoKey(row!.sha256, size);
      const stored = await objectOverHttp(`${bucketPrefix}/${key}`);
      expect(stored.status).toBe(200);
      expect(stored.headers.get('content-type')).toBe(PHOTO_CONTENT_TYPES[size]);
      const url = size === 'original' ? photo!.url : size === 'display' ? photo!.displayUrl : photo!.thumbUrl;
      const res = await t.app.inject({ url, headers: yang.auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(PHOTO_CONTENT_TYPES[size]);
      expect(res.rawPayload.equals(Buffer.from(await stored.arrayBuffer()))).toBe(true);
    }
    expect(readdirSync(t.uploadsDir)).toEqual([]);

    // An object gone from the bucket reads as the known 404, not a 500.
    await s3.storage({ prefix: bucketPrefix }).delete(photoKey(row!.sha256, 'thumb'));
    const gone = await t.app.inject({ url: photo!.thumbUrl, headers: yang.auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('photo_file_missing');
  });

  test('the orphan sweep deletes the objects of a photo never attached', async () => {
    const yang = await t.loginAs('yang-chenyi');
    const { payload, headers } = multipartBody([
      { filename: 'b.jpg', contentType: 'image/jpeg', data: await smallJpeg('#3c3') },
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...yang.auth },
    });
    expect(up.statusCode).toBe(201);
    const [row] = await t.db
      .select()
      .from(photosTable)
      .where(eq(photosTable.id, (up.json() as PhotoUploadResult).photos[0]!.id));
    for (const key of photoKeys(row!.sha256))
      expect((await objectOverHttp(`${bucketPrefix}/${key}`)).status).toBe(200);

    clock.advance(2 * 24 * 3600_000);
    const ctx = {
      db: t.db,
      communities: t.communities,
      calendars: t.calendars,
      now: clock.now,
      principal: null,
      storage: t.storage,
    };
    const { deleted } = await sweepOrphanPhotos(ctx, new Date(clock.now().getTime() - 24 * 3600_000));
    expect(deleted).toBeGreaterThanOrEqual(1);
    for (const key of photoKeys(row!.sha256))
      expect((await objectOverHttp(`${bucketPrefix}/${key}`)).status).toBe(404);
  });
});
