import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { IssueDetail, PhotoUploadResult, PhotoView } from '@gongzhi/domain';
import { count, eq, sql } from 'drizzle-orm';
import ExifReader from 'exifreader';
import sharp from 'sharp';
import { issuesTable, photosTable } from '../../apps/api/src/db/schema';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { type PhotoContext, photoKeys } from '../../apps/api/src/services/photos/photo-files';
import { HEIC_DECODABLE } from '../../apps/api/src/services/photos/process-photo';
import { sweepOrphanPhotos } from '../../apps/api/src/services/photos/sweep-orphan-photos';
import { buildTestApp, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import { multipartBody, type Part, pngChunk } from '../helpers/multipart';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

const clock = testClock();
let t: TestApp;
let yang: Session; // zone-1 grid inspector: building 12 is hers
let zhuang: Session; // grid in zones 2 and 3: cannot read zone-1 issues

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  yang = await t.loginAs('yang-chenyi');
  zhuang = await t.loginAs('zhuang-yongliang');
});
afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------
// Anonymous uploads are rate-limited per address; each call comes from its own address unless a
// test says otherwise, so the limit is only met where it is tested.
let addressSeq = 0;
const nextAddress = () => {
  addressSeq++;
  return `10.77.${addressSeq >> 8}.${addressSeq & 255}`;
};

function upload(parts: Part[], opts: { auth?: Record<string, string>; remoteAddress?: string } = {}) {
  const { payload, headers } = multipartBody(parts);
  return t.app.inject({
    method: 'POST',
    url: '/api/photos',
    payload,
    headers: { ...headers, ...opts.auth },
    remoteAddress: opts.remoteAddress ?? nextAddress(),
  });
}

const jpegPart = (data: Buffer, filename = 'IMG_0001.jpg'): Part => ({
  filename,
  contentType: 'image/jpeg',
  data,
});

async function uploadOk(parts: Part[], auth?: Record<string, string>): Promise<PhotoView[]> {
  const res = await upload(parts, auth ? { auth } : {});
  if (res.statusCode !== 201) throw new Error(`upload failed ${res.statusCode}: ${res.body}`);
  return (res.json() as PhotoUploadResult).photos;
}

const getPhoto = (url: string, auth?: Record<string, string>) =>
  t.app.inject({ method: 'GET', url, ...(auth ? { headers: auth } : {}) });

// ---------------------------------------------------------------------------------------------
// What is stored: rows in the database and files in the upload directory.

function storedFiles(): string[] {
  return (readdirSync(t.uploadsDir, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => statSync(path.join(t.uploadsDir, f)).isFile())
    .sort();
}

async function photoRows() {
  const [row] = await t.db.select({ n: count() }).from(photosTable);
  return row!.n;
}

async function snapshot() {
  return { rows: await photoRows(), files: storedFiles() };
}

const rowOf = async (id: string) => {
  const [row] = await t.db.select().from(photosTable).where(eq(photosTable.id, id));
  if (!row) throw new Error(`no photo row ${id}`);
  return row;
};

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file belongs to a row and every row has its three files: nothing half-done anywhere. */
async function expectFilesMatchRows() {
  const rows = await t.db.select({ sha256: photosTable.sha256 }).from(photosTable);
  const expected = [...new Set(rows.flatMap((r) => photoKeys(r.sha256)))].sort();
  expect(storedFiles()).toEqual(expected);
}

// ---------------------------------------------------------------------------------------------
// Fixtures, made here with sharp (and by hand where sharp refuses to make something broken).

/** Metadata as an independent EXIF reader sees it ({} when the file has none at all). */
function metadataOf(data: Buffer): Record<string, unknown> {
  try {
    return ExifReader.load(data, { expanded: true }) as Record<string, unknown>;
  } catch (err) {
    if ((err as Error).name === 'MetadataMissingError') return {};
    throw err;
  }
}

const GPS_EXIF = {
  IFD0: { Make: 'GongzhiTestCam', Model: 'Phone 1' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '31/1 14/1 0/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '121/1 28/1 0/1',
  },
};

/** 400×200: left half red, right half blue; EXIF orientation 6 (turn 90° clockwise) and a GPS fix. */
async function jpegWithGpsAndOrientation() {
  const [w, h] = [400, 200];
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (y * w + x) * 3;
      raw.set(x < w / 2 ? [220, 20, 20] : [20, 20, 220], at);
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .withMetadata({ orientation: 6 })
    .withExif(GPS_EXIF)
    .jpeg({ quality: 90 })
    .toBuffer();
}

const solid = (r: number, g: number, b: number, width = 64, height = 48) =>
  sharp({ create: { width, height, channels: 3, background: { r, g, b } } });

/** Distinct pictures (and so distinct content hashes) from a seed. */
const jpegOf = (seed: number) =>
  solid(seed % 256, (seed * 7) % 256, (seed * 13) % 256)
    .jpeg()
    .toBuffer();

/** Large and noisy, so half of it still has a whole header but only part of the pixels. */
const noisyJpeg = () =>
  sharp({
    create: {
      width: 1200,
      height: 900,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();

/** A tiny PNG whose header declares 20000×20000 (400 megapixels): a decompression bomb. */
function pngBomb() {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20_000, 0);
  ihdr.writeUInt32BE(20_000, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale, deflate, adaptive filter, no interlace
  const rows = Buffer.alloc((1 + 20_000 / 8) * 4); // four rows of zeros: what a bomb compresses to
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ISO-BMFF file with the iPhone's HEIC brands (the contents do not matter: it is refused first). */
function heicHeader() {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.writeUInt32BE(0, 12);
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, randomBytes(2000)]);
}

// ---------------------------------------------------------------------------------------------

describe('an anonymous resident uploads a phone photo', () => {
  let fixture: Buffer;
  let photo: PhotoView;

  beforeAll(async () => {
    fixture = await jpegWithGpsAndOrientation();
    // The fixture really carries what must be removed, as an independent reader sees it.
    const before = metadataOf(fixture) as {
      gps?: { Latitude: number };
      exif?: { Orientation?: { value: number } };
    };
    expect(before.gps?.Latitude).toBeCloseTo(31.2333, 3);
    expect(before.exif?.Orientation?.value).toBe(6);
    expect(await sharp(fixture).metadata()).toEqual(expect.objectContaining({ width: 400, height: 200 }));

    [photo] = (await uploadOk([jpegPart(fixture)])) as [PhotoView];
  });

  test('201 with the stored size, upright, a JPEG, URLs and a one-time upload token', async () => {
    expect(photo).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      width: 200,
      height: 400,
      bytes: expect.any(Number),
      mime: 'image/jpeg',
      url: `/api/photos/${photo.id}`,
      displayUrl: `/api/photos/${photo.id}/display`,
      thumbUrl: `/api/photos/${photo.id}/thumb`,
      uploadToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const row = await rowOf(photo.id);
    expect(row.uploaderAccountId).toBeNull();
    expect(row.issueId).toBeNull();
    // Only the token's hash is kept.
    expect(row.uploadTokenHash).toBe(sha256(Buffer.from(photo.uploadToken!)));
    expect(JSON.stringify(row)).not.toContain(photo.uploadToken);
  });

  test('three sizes are stored under the content hash of the stored original', async () => {
    const row = await rowOf(photo.id);
    const original = readFileSync(path.join(t.uploadsDir, `photos/${row.sha256}.jpg`));
    expect(sha256(original)).toBe(row.sha256);
    expect(original.length).toBe(photo.bytes);
    const display = await sharp(path.join(t.uploadsDir, `photos/${row.sha256}-display.webp`)).metadata();
    const thumb = await sharp(path.join(t.uploadsDir, `photos/${row.sha256}-thumb.webp`)).metadata();
    expect([display.format, display.width, display.height]).toEqual(['webp', 200, 400]);
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 160, 320]);
  });

  test('the orientation was applied to the pixels: the left (red) half is now on top', async () => {
    const res = await getPhoto(`${photo.url}?uploadToken=${photo.uploadToken}`);
    const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    const [top, bottom] = [pixel(100, 50), pixel(100, 350)];
    expect(top[0]).toBeGreaterThan(150);
    expect(top[2]).toBeLessThan(100);
    expect(bottom[2]).toBeGreaterThan(150);
    expect(bottom[0]).toBeLessThan(100);
  });

  test.each(['', '/display', '/thumb'])(
    'no GPS, no EXIF, no metadata at all in the stored %s',
    async (size) => {
      const res = await getPhoto(`${photo.url}${size}?uploadToken=${photo.uploadToken}`);
      expect(res.statusCode).toBe(200);
      const tags = metadataOf(res.rawPayload);
      expect(tags.gps).toBeUndefined();
      expect(tags.exif).toBeUndefined();
      expect(tags.xmp).toBeUndefined();
      expect(tags.iptc).toBeUndefined();
      expect(res.rawPayload.includes(Buffer.from('GongzhiTestCam'))).toBe(false);
      expect((await sharp(res.rawPayload).metadata()).exif).toBeUndefined();
    },
  );

  test('served with the right content type and a long private cache', async () => {
    const token = `?uploadToken=${photo.uploadToken}`;
    const original = await getPhoto(photo.url + token);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(original.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(original.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    for (const url of [photo.displayUrl, photo.thumbUrl]) {
      const res = await getPhoto(url + token);
      expect(res.headers['content-type']).toBe('image/webp');
      expect(res.rawPayload.toString('latin1', 8, 12)).toBe('WEBP');
    }
  });

  test('without its token, with a wrong one, or as someone else: 404', async () => {
    for (const [url, auth] of [
      [photo.url, undefined],
      [`${photo.url}?uploadToken=${'A'.repeat(43)}`, undefined],
      [photo.thumbUrl, yang.auth],
    ] as const) {
      const res = await getPhoto(url, auth);
      expect({ url, status: res.statusCode, code: res.json().error.code }).toEqual({
        url,
        status: 404,
        code: 'photo_not_found',
      });
    }
  });
});

describe('a logged-in upload', () => {
  test('belongs to the account: no token, readable by the uploader only', async () => {
    const photos = await uploadOk([jpegPart(await jpegOf(1))], yang.auth);
    const photo = photos[0]!;
    expect(photo.uploadToken).toBeUndefined();
    const row = await rowOf(photo.id);
    expect(row.uploaderAccountId).toBe(yang.accountId);
    expect(row.uploadTokenHash).toBeNull();
    expect((await getPhoto(photo.url, yang.auth)).statusCode).toBe(200);
    expect((await getPhoto(photo.url, zhuang.auth)).statusCode).toBe(404);
    expect((await getPhoto(photo.url)).statusCode).toBe(404);
  });

  test('a bad bearer token is refused, not treated as anonymous', async () => {
    const res = await upload([jpegPart(await jpegOf(2))], { auth: { authorization: 'Bearer nonsense' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('token_invalid');
  });

  test('JPEG, PNG with transparency and WebP together; every one is stored as JPEG', async () => {
    const png = await sharp({
      create: { width: 30, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const webp = await solid(10, 200, 10, 50, 40).webp().toBuffer();
    const photos = await uploadOk(
      [
        jpegPart(await jpegOf(3)),
        { filename: 'a.png', contentType: 'image/png', data: png },
        { filename: 'b.webp', contentType: 'image/webp', data: webp },
      ],
      yang.auth,
    );
    expect(photos.map((p) => [p.mime, p.width, p.height])).toEqual([
      ['image/jpeg', 64, 48],
      ['image/jpeg', 30, 20],
      ['image/jpeg', 50, 40],
    ]);
    // The transparent PNG is flattened on white, not JPEG's black.
    const res = await getPhoto(photos[1]!.url, yang.auth);
    const { data } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
  });

  test('the type comes from the bytes: a PNG named .jpg and sent as text/plain is a PNG', async () => {
    const png = await solid(1, 2, 3).png().toBuffer();
    const photos = await uploadOk(
      [{ filename: 'photo.jpg', contentType: 'text/plain', data: png }],
      yang.auth,
    );
    expect(photos).toHaveLength(1);
  });

  test('large photos are scaled to 2560 px on the long side', async () => {
    const photos = await uploadOk([jpegPart(await solid(9, 9, 9, 4000, 1000).jpeg().toBuffer())], yang.auth);
    expect([photos[0]!.width, photos[0]!.height]).toEqual([2560, 640]);
  });
});

describe('refused uploads store nothing', () => {
  let good: Buffer;
  let truncated: Buffer;

  beforeAll(async () => {
    good = await jpegOf(50);
    const whole = await noisyJpeg();
    truncated = whole.subarray(0, Math.floor(whole.length / 2));
    // The cut file still has a readable header, so it is the pixels that must be found wanting.
    expect(await sharp(truncated).metadata()).toEqual(
      expect.objectContaining({ format: 'jpeg', width: 1200 }),
    );
    // And the bomb declares what it should.
    expect(await sharp(pngBomb(), { limitInputPixels: false }).metadata()).toEqual(
      expect.objectContaining({ format: 'png', width: 20_000, height: 20_000 }),
    );
  });

  const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  const refusals: [string, number, string, string, () => Part[]][] = [
    [
      'an SVG with a script',
      400,
      'unsupported_image_type',
      'files[0]',
      () => [{ filename: 'x.svg', contentType: 'image/svg+xml', data: svg }],
    ],
    [
      'a text file named evil.jpg, sent as image/jpeg',
      400,
      'unsupported_image_type',
      'files[0]',
      () => [{ filename: 'evil.jpg', contentType: 'image/jpeg', data: 'this is not a photo\n' }],
    ],
    ['a zero-byte file', 400, 'empty_file', 'files[0]', () => [jpegPart(Buffer.alloc(0))]],
    ['a JPEG cut in half', 400, 'corrupt_image', 'files[0]', () => [jpegPart(truncated)]],
    [
      'a PNG declaring 20000×20000',
      400,
      'image_too_large_pixels',
      'files[0]',
      () => [{ filename: 'bomb.png', contentType: 'image/png', data: pngBomb() }],
    ],
    [
      'an 11 MB file after a good one',
      413,
      'file_too_large',
      'files[1]',
      () => [
        jpegPart(good),
        jpegPart(Buffer.concat([good.subarray(0, 20), randomBytes(11 * 1024 * 1024)]), 'huge.jpg'),
      ],
    ],
    ['ten files', 400, 'too_many_files', 'files[9]', () => Array.from({ length: 10 }, () => jpegPart(good))],
    [
      'five files of which the third is broken',
      400,
      'corrupt_image',
      'files[2]',
      () => [jpegPart(good), jpegPart(good), jpegPart(truncated), jpegPart(good), jpegPart(good)],
    ],
    [
      'a HEIC photo',
      400,
      HEIC_DECODABLE ? 'corrupt_image' : 'heic_not_supported',
      'files[0]',
      () => [{ filename: 'IMG_0002.HEIC', contentType: 'image/heic', data: heicHeader() }],
    ],
    [
      'a text field besides the files',
      400,
      'unexpected_field',
      'note',
      () => [jpegPart(good), { field: 'note', data: 'hello' }],
    ],
    [
      'a file under another field name',
      400,
      'unexpected_field',
      'photo',
      () => [{ ...jpegPart(good), field: 'photo' }],
    ],
    ['no file at all', 400, 'no_files', 'files', () => []],
  ];

  test.each(refusals)('%s → %i %s', async (_name, status, code, detailPath, parts) => {
    const before = await snapshot();
    const res = await upload(parts());
    expect(res.statusCode).toBe(status);
    const error = res.json().error;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(error.details?.[0]?.path).toBe(detailPath);
    expect(await snapshot()).toEqual(before);
  });

  // Only where this machine's sharp cannot decode HEIC (the prebuilt one reads AVIF only).
  (HEIC_DECODABLE ? test.skip : test)('HEIC is refused with advice on what to do instead', async () => {
    const res = await upload([{ filename: 'IMG_0002.HEIC', data: heicHeader() }]);
    expect(res.json().error.message).toBe('HEIC 格式暂不支持，请在手机设置中选择"兼容性最佳"或上传 JPEG');
  });

  test('a JSON body is not an upload', async () => {
    const before = await snapshot();
    const res = await t.app.inject({ method: 'POST', url: '/api/photos', payload: { files: ['x'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('multipart_required');
    expect(await snapshot()).toEqual(before);
  });

  test('nine files are fine (the limit is nine, not fewer)', async () => {
    const photos = await uploadOk(Array.from({ length: 9 }, () => jpegPart(good)));
    expect(photos).toHaveLength(9);
    // One picture, one set of files, nine rows.
    expect(new Set(photos.map((p) => p.uploadToken)).size).toBe(9);
  });
});

describe('file names from the client are never used', () => {
  test.each([
    ['../../etc/passwd.jpg', 100],
    ['..\\..\\windows\\win.ini', 101],
    ['/etc/cron.d/evil.jpg', 102],
  ])('%s has no effect on where anything is written', async (filename, seed) => {
    const before = storedFiles();
    const data = await jpegOf(seed);
    const [photo] = await uploadOk([jpegPart(data, filename)]);
    const row = await rowOf(photo!.id);
    const added = storedFiles().filter((f) => !before.includes(f));
    expect(added).toEqual(photoKeys(row.sha256).sort());
    for (const f of added) expect(f).toMatch(/^photos\/[0-9a-f]{64}(\.jpg|-display\.webp|-thumb\.webp)$/);
    expect(existsSync(path.resolve(t.uploadsDir, filename))).toBe(false);
    expect(existsSync(path.resolve(t.uploadsDir, 'photos', filename))).toBe(false);
  });
});

describe('attaching to an issue', () => {
  const issueBody = (photoIds: string[]) => ({
    community: 'xiaduoyuan',
    building: 12,
    category: 'sanitation',
    description: '楼道堆放杂物，附照片',
    photoIds,
  });

  test('yang uploads, files an issue in building 12 with it: the photo belongs to the issue', async () => {
    const [photo] = await uploadOk([jpegPart(await jpegOf(60))], yang.auth);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: yang.auth,
      payload: issueBody([photo!.id]),
    });
    expect(res.statusCode).toBe(201);
    const issue = res.json() as IssueDetail;
    expect((await rowOf(photo!.id)).issueId).toBe(issue.id);
    // The issue shows it, with the same URLs the upload returned.
    expect(issue.photos).toEqual([
      expect.objectContaining({ id: photo!.id, url: photo!.url, thumbUrl: photo!.thumbUrl }),
    ]);

    // Readable by whoever reads the issue; zhuang (other zones) cannot read either.
    expect((await getPhoto(photo!.thumbUrl, yang.auth)).statusCode).toBe(200);
    const other = await t.app.inject({ method: 'GET', url: `/api/issues/${issue.id}`, headers: zhuang.auth });
    expect(other.statusCode).toBe(404);
    const asZhuang = await getPhoto(photo!.url, zhuang.auth);
    expect([asZhuang.statusCode, asZhuang.json().error.code]).toEqual([404, 'photo_not_found']);
    const anonymous = await getPhoto(photo!.url);
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'token_missing']);
  });

  test("another user's photo, or an anonymous one, is refused: 400 photo_not_found", async () => {
    const [zhuangs] = await uploadOk([jpegPart(await jpegOf(61))], zhuang.auth);
    const [anonymous] = await uploadOk([jpegPart(await jpegOf(62))]);
    for (const id of [zhuangs!.id, anonymous!.id]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/issues',
        headers: yang.auth,
        payload: issueBody([id]),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('photo_not_found');
      expect((await rowOf(id)).issueId).toBeNull();
    }
  });
});

describe('only the uploader attaches an unattached photo to a complaint', () => {
  const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
  const complain = (photos: { id: string; uploadToken?: string }[], auth?: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: auth ?? {},
      remoteAddress: nextAddress(),
      payload: { qr, category: 'sanitation', description: '楼道堆放杂物', photos },
    });
  const issueCount = async () => {
    const [row] = await t.db.select({ n: count() }).from(issuesTable);
    return row!.n;
  };
  /** Refused with photo_not_found at body.photos, no issue written, the photo still unattached. */
  async function expectRefused(photos: { id: string; uploadToken?: string }[], victim: string) {
    const before = await issueCount();
    const res = await complain(photos);
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'photo_not_found']);
    expect(res.json().error.details).toEqual([{ path: 'body.photos', message: '照片无效' }]);
    expect(await issueCount()).toBe(before);
    expect((await rowOf(victim)).issueId).toBeNull();
    // Still nobody's but its uploader's: another zone's inspector cannot read it.
    expect((await getPhoto(`/api/photos/${victim}`, zhuang.auth)).statusCode).toBe(404);
  }

  test("an account's upload, by id without any token: refused (no ownership is not anyone's)", async () => {
    const [yangs] = await uploadOk([jpegPart(await jpegOf(70))], yang.auth);
    await expectRefused([{ id: yangs!.id }], yangs!.id);
  });

  test("someone's anonymous upload, by id without its token: refused", async () => {
    const [theirs] = await uploadOk([jpegPart(await jpegOf(71))]);
    await expectRefused([{ id: theirs!.id }], theirs!.id);
  });

  test("someone's anonymous upload with another upload's token: refused, nothing of either attached", async () => {
    const [theirs] = await uploadOk([jpegPart(await jpegOf(72))]);
    const [mine] = await uploadOk([jpegPart(await jpegOf(73))]);
    await expectRefused([{ id: theirs!.id, uploadToken: mine!.uploadToken! }], theirs!.id);
    await expectRefused(
      [
        { id: mine!.id, uploadToken: mine!.uploadToken! },
        { id: theirs!.id, uploadToken: mine!.uploadToken! },
      ],
      theirs!.id,
    );
    expect((await rowOf(mine!.id)).issueId).toBeNull();
  });

  test('the uploader with its token attaches it; then the zone reads it and another zone does not', async () => {
    const [mine] = await uploadOk([jpegPart(await jpegOf(74))]);
    const res = await complain([{ id: mine!.id, uploadToken: mine!.uploadToken! }]);
    expect(res.statusCode).toBe(201);
    const issueId = (await rowOf(mine!.id)).issueId;
    expect(issueId).not.toBeNull();
    expect((await getPhoto(`/api/photos/${mine!.id}`, yang.auth)).statusCode).toBe(200);
    expect((await getPhoto(`/api/photos/${mine!.id}`, zhuang.auth)).statusCode).toBe(404);
    // Attached once: the same photo cannot be attached again, even by its uploader.
    const again = await complain([{ id: mine!.id, uploadToken: mine!.uploadToken! }]);
    expect([again.statusCode, again.json().error.code]).toEqual([400, 'photo_not_found']);
  });
});

describe('the reporter reads the photos of their complaint with its tracking secret', () => {
  const qr = signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building: 12 });
  const complainWith = async (seed: number) => {
    const [photo] = await uploadOk([jpegPart(await jpegOf(seed))]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      remoteAddress: nextAddress(),
      payload: {
        qr,
        category: 'sanitation',
        description: '楼道堆放杂物，附照片',
        photos: [{ id: photo!.id, uploadToken: photo!.uploadToken! }],
      },
    });
    expect(res.statusCode).toBe(201);
    return { photo: photo!, code: res.json().trackingCode as string, secret: res.json().secret as string };
  };
  const bySecret = (url: string, secret: string) =>
    t.app.inject({ method: 'GET', url, headers: { 'x-tracking-secret': secret } });

  test('the tracking view links each photo through the complaint; the secret opens every size', async () => {
    const mine = await complainWith(110);
    const view = await bySecret(`/api/complaints/${mine.code}`, mine.secret);
    const photos = view.json().photos as PhotoView[];
    const base = `/api/complaints/${mine.code}/photos/${mine.photo.id}`;
    expect(photos).toEqual([
      expect.objectContaining({
        id: mine.photo.id,
        url: base,
        displayUrl: `${base}/display`,
        thumbUrl: `${base}/thumb`,
      }),
    ]);
    const types = {
      [base]: 'image/jpeg',
      [`${base}/display`]: 'image/webp',
      [`${base}/thumb`]: 'image/webp',
    };
    for (const [url, type] of Object.entries(types)) {
      const res = await bySecret(url, mine.secret);
      expect([res.statusCode, res.headers['content-type']]).toEqual([200, type]);
      expect((await sharp(res.rawPayload).metadata()).width).toBeGreaterThan(0);
    }
  });

  test("a wrong secret, another complaint's secret or a photo of another issue: 404, nothing told", async () => {
    const mine = await complainWith(111);
    const theirs = await complainWith(112);
    const mineUrl = `/api/complaints/${mine.code}/photos/${mine.photo.id}/thumb`;
    for (const [url, secret] of [
      [mineUrl, 'not-the-secret-0000000000'],
      [mineUrl, theirs.secret],
      // My code and secret do not open their photo, though both are real.
      [`/api/complaints/${mine.code}/photos/${theirs.photo.id}/thumb`, mine.secret],
      [`/api/complaints/NOSUCH00/photos/${mine.photo.id}`, mine.secret],
    ] as const) {
      const res = await bySecret(url, secret);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(mine.photo.id);
    }
  });

  test('malformed: no secret 400 at headers, a bad id or size 400 with its path', async () => {
    const mine = await complainWith(113);
    const noSecret = await t.app.inject({ url: `/api/complaints/${mine.code}/photos/${mine.photo.id}` });
    expect(noSecret.statusCode).toBe(400);
    expect(JSON.stringify(noSecret.json().error.details)).toContain('x-tracking-secret');
    const badId = await bySecret(`/api/complaints/${mine.code}/photos/not-a-uuid`, mine.secret);
    expect([badId.statusCode, badId.json().error.details[0].path]).toEqual([400, 'params.id']);
    const badSize = await bySecret(`/api/complaints/${mine.code}/photos/${mine.photo.id}/huge`, mine.secret);
    expect([badSize.statusCode, badSize.json().error.details[0].path]).toEqual([400, 'params.size']);
  });
});

describe('when the row cannot be written', () => {
  const refuse = async (on: boolean) => {
    if (on) {
      await t.db.execute(
        sql.raw(`create or replace function gz_test_refuse_photo() returns trigger language plpgsql as $$
          begin raise exception 'refused by the test'; end $$`),
      );
      await t.db.execute(
        sql.raw(
          'create trigger gz_test_refuse_photo before insert on photos for each row execute function gz_test_refuse_photo()',
        ),
      );
    } else {
      await t.db.execute(sql.raw('drop trigger if exists gz_test_refuse_photo on photos'));
    }
  };
  afterEach(() => refuse(false));

  test('the files written for it are deleted again (500, nothing left)', async () => {
    const data = await jpegOf(70);
    const before = await snapshot();
    await refuse(true);
    const res = await upload([jpegPart(data)]);
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
    expect(await snapshot()).toEqual(before);
    await refuse(false);
    // The same file goes through once the database takes it: the refusal was the trigger's.
    expect(await uploadOk([jpegPart(data)])).toHaveLength(1);
  });

  test('but files another row already uses stay', async () => {
    const shared = await jpegOf(71);
    const [kept] = await uploadOk([jpegPart(shared)]);
    const before = await snapshot();
    await refuse(true);
    const res = await upload([jpegPart(shared), jpegPart(await jpegOf(72))]);
    expect(res.statusCode).toBe(500);
    expect(await snapshot()).toEqual(before);
    await refuse(false);
    const still = await getPhoto(`${kept!.url}?uploadToken=${kept!.uploadToken}`);
    expect(still.statusCode).toBe(200);
  });
});

describe('sweepOrphanPhotos', () => {
  const ctx = (): PhotoContext => ({
    db: t.db,
    communities: t.communities,
    calendars: t.calendars,
    now: clock.now,
    principal: null,
    storage: t.app.deps.storage,
  });
  const DAY = 24 * 60 * 60 * 1000;

  test('deletes unattached photos older than the cutoff, and only the files nobody else uses', async () => {
    clock.advance(2 * DAY);
    const shared = await jpegOf(80);
    const [oldAlone] = await uploadOk([jpegPart(await jpegOf(81))]);
    const [oldShared] = await uploadOk([jpegPart(shared)]);
    const [attached] = await uploadOk([jpegPart(shared)], yang.auth);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/issues',
      headers: yang.auth,
      payload: {
        community: 'xiaduoyuan',
        building: 12,
        category: 'sanitation',
        description: '清扫',
        photoIds: [attached!.id],
      },
    });
    expect(created.statusCode).toBe(201);
    clock.advance(DAY + 60_000);
    const [recent] = await uploadOk([jpegPart(await jpegOf(82))]);
    const cutoff = new Date(clock.now().getTime() - DAY);

    const oldOrphans = await t.db
      .select({ n: count() })
      .from(photosTable)
      .where(sql`${photosTable.issueId} is null and ${photosTable.createdAt} < ${cutoff.toISOString()}`);
    const aloneSha = (await rowOf(oldAlone!.id)).sha256;
    const sharedSha = (await rowOf(oldShared!.id)).sha256;

    const result = await sweepOrphanPhotos(ctx(), cutoff);
    expect(result.deleted).toBe(oldOrphans[0]!.n);
    expect(result.deleted).toBeGreaterThanOrEqual(2);

    const remaining = new Set((await t.db.select({ id: photosTable.id }).from(photosTable)).map((r) => r.id));
    expect(remaining.has(oldAlone!.id)).toBe(false);
    expect(remaining.has(oldShared!.id)).toBe(false);
    expect(remaining.has(attached!.id)).toBe(true);
    expect(remaining.has(recent!.id)).toBe(true);
    const files = storedFiles();
    for (const key of photoKeys(aloneSha)) expect(files).not.toContain(key);
    for (const key of photoKeys(sharedSha)) expect(files).toContain(key);
    expect((await getPhoto(attached!.url, yang.auth)).statusCode).toBe(200);
    await expectFilesMatchRows();

    // Nothing more to do the second time.
    expect(await sweepOrphanPhotos(ctx(), cutoff)).toEqual({ deleted: 0 });
  });
});

describe('rate limit', () => {
  test('31 anonymous uploads a minute from one address: the 31st is refused; accounts are counted apart', async () => {
    const remoteAddress = '198.51.100.7';
    const empty = [jpegPart(Buffer.alloc(0))];
    for (let i = 0; i < 30; i++) {
      const res = await upload(empty, { remoteAddress });
      expect(res.statusCode).toBe(400);
    }
    const limited = await upload(empty, { remoteAddress });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    const asYang = await upload(empty, { remoteAddress, auth: yang.auth });
    expect(asYang.statusCode).toBe(400);
    const elsewhere = await upload(empty);
    expect(elsewhere.statusCode).toBe(400);
  });
});

describe('over a real socket', () => {
  let base: string;
  let agent: http.Agent;
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // One keep-alive socket: the second request can only go once the first has been fully sent.
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(() => agent.destroy());

  function send(method: string, url: string, body?: { payload: Buffer; headers: Record<string, string> }) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${base}${url}`, { method, agent, headers: body?.headers ?? {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body?.payload);
    });
  }

  test('an 11 MB file is 413 file_too_large here too (streamed, the limit falls differently)', async () => {
    const huge = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(11 * 1024 * 1024)]);
    const before = await snapshot();
    const res = await send('POST', '/api/photos', multipartBody([jpegPart(huge)]));
    expect([res.status, JSON.parse(res.body).error.code]).toEqual([413, 'file_too_large']);
    expect(await snapshot()).toEqual(before);
  });

  test('refused at the first file, the unread rest of the body does not stall the connection', async () => {
    const parts = [jpegPart(Buffer.from('not a photo')), jpegPart(randomBytes(5 * 1024 * 1024))];
    const refused = await send('POST', '/api/photos', multipartBody(parts));
    expect(refused.status).toBe(400);
    // Same socket: this only gets an answer if the server read the rest of the refused body.
    const next = await send('GET', '/health');
    expect(next.status).toBe(200);
  });

  test('multipart is accepted by the photo route only', async () => {
    const body = multipartBody([jpegPart(await jpegOf(90))]);
    const res = await send('POST', '/api/issues', { ...body, headers: { ...body.headers, ...yang.auth } });
    expect([res.status, JSON.parse(res.body).error.code]).toEqual([415, 'unsupported_media_type']);
  });
});

describe('after everything', () => {
  test('every stored file belongs to a row and every row has its files', async () => {
    // Not vacuous: the attached photos and the recent orphan outlived the sweep.
    expect(await photoRows()).toBeGreaterThanOrEqual(3);
    await expectFilesMatchRows();
  });
});
