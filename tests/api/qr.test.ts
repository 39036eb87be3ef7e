import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { DEV_QR_SECRET } from '../../apps/api/src/env';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import type { QrCodeList, QrTarget } from '../../packages/domain/src/qr';
import { buildTestApp, TEST_QR_SECRET, type TestApp } from '../helpers/build-app';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b12: QrTarget = { community: 'xiaduoyuan', kind: 'building', building: 12 };
const sign = (target: QrTarget, secret = TEST_QR_SECRET) => signQrTarget(secret, target);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const resolve = (code: string) => t.app.inject({ method: 'GET', url: `/api/qr/${code}` });

async function expectRefused(code: string, status = 400, errorCode = 'qr_invalid') {
  const res = await resolve(code);
  expect({ code, status: res.statusCode, error: res.json().error?.code }).toEqual({
    code,
    status,
    error: errorCode,
  });
  return res;
}

describe('GET /api/qr/:code', () => {
  it('a building code fills in community, building and zone', async () => {
    const res = await resolve(sign(b12));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      community: { key: 'xiaduoyuan', name: '夏朵园居民区' },
      building: 12,
      zone: { key: 'zone-1', name: '第一责任区域' },
      facility: null,
      category: null,
    });
  });

  it('a facility code fills in the category too', async () => {
    const res = await resolve(sign({ community: 'xiaduoyuan', kind: 'facility', facility: 'pump-room-12' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      community: { key: 'xiaduoyuan', name: '夏朵园居民区' },
      building: 12,
      zone: { key: 'zone-1', name: '第一责任区域' },
      facility: { key: 'pump-room-12', name: '12号楼水泵房' },
      category: { key: 'water_pump', name: '水泵故障' },
    });
  });

  it('a zone code (a zone without numbered buildings) fills in the zone only', async () => {
    const res = await resolve(sign({ community: 'xiaduoyuan', kind: 'zone', zone: 'commercial' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      building: null,
      zone: { key: 'commercial', name: '商业街区域' },
      facility: null,
      category: null,
    });
  });

  it('refuses every one-character edit, in the payload, the dot and the signature', async () => {
    const code = sign(b12);
    expect(code.length).toBeGreaterThan(40);
    const edits: string[] = [];
    for (let i = 0; i < code.length; i++) {
      const ch = code[i]!;
      // The next letter of the alphabet: for the last character of each part this changes the
      // spare bits only in some positions, which is exactly the lenient-decoding hole.
      const next = ch === '.' ? 'A' : B64URL[(B64URL.indexOf(ch) + 1) % 64]!;
      edits.push(code.slice(0, i) + next + code.slice(i + 1));
    }
    edits.push(code.slice(0, -1), `${code}A`, code.replace('.', '..'), code.slice(1));
    for (const edited of new Set(edits)) {
      expect(edited).not.toBe(code);
      const res = await expectRefused(edited);
      expect(res.json().error.message).toBe('二维码无效或已被篡改，请扫描楼内张贴的官方二维码');
    }
    // The original still works: the refusals were the edits, not the setup.
    expect((await resolve(code)).statusCode).toBe(200);
  });

  it('refuses a code signed with another secret, and a signature moved onto another payload', async () => {
    await expectRefused(sign(b12, 'another-secret-of-the-same-length-00000'));
    await expectRefused(sign(b12, DEV_QR_SECRET));
    const [payload13] = sign({ ...b12, building: 13 }).split('.');
    const [, mac12] = sign(b12).split('.');
    await expectRefused(`${payload13}.${mac12}`);
  });

  it.each([
    ['garbage', 'hello'],
    ['only a dot', '.'],
    ['standard base64', 'MXx4aWFkdW95dWFufGJ8MTI=.AAAAAAAAAAAAAAAAAAAAAA=='],
    ['a payload with no signature', 'MXx4aWFkdW95dWFufGJ8MTI'],
    ['percent-encoded Chinese', encodeURIComponent('楼.楼')],
  ])('refuses a malformed code: %s', async (_name, code) => {
    await expectRefused(code);
  });

  it.each<[string, QrTarget]>([
    ['a building in no zone', { ...b12, building: 999 }],
    ['a facility no longer configured', { community: 'xiaduoyuan', kind: 'facility', facility: 'lift-99' }],
    ['an unknown community', { ...b12, community: 'elsewhere' }],
  ])('a well-signed code for %s is qr_unknown_target (404)', async (_name, target) => {
    const res = await expectRefused(sign(target), 404, 'qr_unknown_target');
    expect(res.json().error.message).toContain('二维码');
  });
});

describe('GET /q/:code (the URL inside the QR image)', () => {
  it('redirects a valid code to the H5 complaint page, carrying the code', async () => {
    const code = sign(b12);
    const res = await t.app.inject({ method: 'GET', url: `/q/${code}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/#/pages/complain/index?qr=${code}`);
  });

  it('answers an edited code with a small Chinese page, not a redirect', async () => {
    const code = sign(b12);
    const edited = `${code.slice(0, 5)}${code[5] === 'A' ? 'B' : 'A'}${code.slice(6)}`;
    const res = await t.app.inject({ method: 'GET', url: `/q/${edited}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="zh-CN">');
    expect(res.body).toContain('二维码无效或已被篡改，请扫描楼内张贴的官方二维码');
  });

  it('answers a well-signed code for a removed facility with 404 and a page', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/q/${sign({ community: 'xiaduoyuan', kind: 'facility', facility: 'lift-99' })}`,
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('已不在本小区登记');
  });
});

describe('codes for printing', () => {
  it('GET /api/communities/:key/buildings/:n/qr gives the URL and code of one building', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/communities/xiaduoyuan/buildings/12/qr' });
    expect(res.statusCode).toBe(200);
    const { url, code } = res.json();
    expect(code).toBe(sign(b12));
    expect(url).toBe(`http://localhost:3000/q/${code}`);
    expect((await resolve(code)).json().building).toBe(12);
  });

  it('refuses a building in no zone and an unknown community', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/communities/xiaduoyuan/buildings/142/qr' });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('building_not_found');
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: '/api/communities/elsewhere/buildings/12/qr',
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.code).toBe('community_not_found');
    const notNumber = await t.app.inject({
      method: 'GET',
      url: '/api/communities/xiaduoyuan/buildings/abc/qr',
    });
    expect(notNumber.statusCode).toBe(400);
  });

  it('GET /api/communities/:key/qr-codes lists every building, unnumbered zone and facility; each resolves to itself', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/communities/xiaduoyuan/qr-codes' });
    expect(res.statusCode).toBe(200);
    const list = res.json() as QrCodeList;
    expect(list.community).toEqual({ key: 'xiaduoyuan', name: '夏朵园居民区' });
    const count = (kind: string) => list.codes.filter((c) => c.kind === kind).length;
    expect([count('building'), count('zone'), count('facility')]).toEqual([141, 2, 3]);
    expect(new Set(list.codes.map((c) => c.code)).size).toBe(146);
    for (const entry of list.codes) {
      expect(entry.url).toBe(`http://localhost:3000/q/${entry.code}`);
      const { kind: _kind, code, url: _url, ...where } = entry;
      const resolved = await resolve(code);
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toEqual({ community: list.community, ...where });
    }
    expect(list.codes.find((c) => c.facility?.key === 'lift-50-1')).toMatchObject({
      building: 50,
      zone: { key: 'zone-2' },
      category: { key: 'elevator' },
    });
  });
});

describe('pnpm gongzhi posters', () => {
  const PUBLIC_URL = 'https://gongzhi.example.cn';
  /** Run the CLI; an `undefined` in `env` removes that variable. */
  const posters = (env: Record<string, string | undefined>, ...args: string[]) =>
    spawnSync(TSX, ['apps/api/src/cli/main.ts', 'posters', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: Object.fromEntries(
        Object.entries({
          ...process.env,
          INIT_CWD: ROOT,
          NODE_ENV: 'development',
          PUBLIC_URL,
          ...env,
        }).filter(([, v]) => v !== undefined),
      ),
    });

  /** The text of the QR code in a poster, read back from its pixels. */
  async function decodeQr(file: string) {
    const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)
      ?.data;
  }

  it('writes one A4 PNG per numbered building, unnumbered zone and facility; the QR reads back as the signed URL', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'gz-posters-'));
    try {
      const r = posters({ QR_SECRET: TEST_QR_SECRET }, 'xiaduoyuan', '--out', out, '--pdf');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('已生成 146 张海报（141 栋楼，2 个无楼号区域，3 个设施）');

      const files = readdirSync(out).sort();
      const pngs = [
        ...Array.from({ length: 141 }, (_, i) => `building-${String(i + 1).padStart(3, '0')}.png`),
        'facility-commercial-hydrant.png',
        'facility-lift-50-1.png',
        'facility-pump-room-12.png',
        'zone-commercial.png',
        'zone-zone-4.png',
      ];
      const pdfs = ['commercial', 'zone-1', 'zone-2', 'zone-3', 'zone-4'].map((z) => `print-${z}.pdf`);
      expect(files).toEqual([...pngs, ...pdfs].sort());
      // A4 at 300 dpi, and the file says so: printed at "actual size" it is A4.
      for (const f of pngs) {
        expect({ f, ...(await sharp(path.join(out, f)).metadata()) }).toMatchObject({
          f,
          format: 'png',
          width: 2480,
          height: 3508,
          density: 300,
        });
      }
      // One PDF per zone for the print shop: one A4 page per poster of the zone, every poster once.
      let pages = 0;
      for (const f of pdfs) {
        const pdf = readFileSync(path.join(out, f)).toString('latin1');
        expect(pdf.startsWith('%PDF-')).toBe(true);
        const n = pdf.match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
        expect(r.stdout).toContain(`${f}：`);
        expect(r.stdout).toContain(`，${n} 页`);
        expect(pdf.match(/\/MediaBox \[0 0 595\.28 841\.89\]/g)?.length).toBe(n);
        pages += n;
      }
      expect(pages).toBe(146);

      const code12 = sign(b12);
      expect(await decodeQr(path.join(out, 'building-012.png'))).toBe(`${PUBLIC_URL}/q/${code12}`);
      const pump = await decodeQr(path.join(out, 'facility-pump-room-12.png'));
      const res = await resolve(pump!.replace(`${PUBLIC_URL}/q/`, ''));
      expect(res.json().category).toEqual({ key: 'water_pump', name: '水泵故障' });
      // Different posters carry different pictures (not one image written 146 times).
      expect(readFileSync(path.join(out, 'building-012.png'))).not.toEqual(
        readFileSync(path.join(out, 'building-013.png')),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('outside production, without QR_SECRET, signs with the development secret and says so', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'gz-posters-'));
    try {
      const r = posters({ QR_SECRET: undefined }, 'xiaduoyuan', '--out', out, '--building', '12');
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('未设置 QR_SECRET');
      expect(readdirSync(out)).toEqual(['building-012.png']);
      expect(await decodeQr(path.join(out, 'building-012.png'))).toBe(
        `${PUBLIC_URL}/q/${sign(b12, DEV_QR_SECRET)}`,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('in production, refuses to run without QR_SECRET; refuses a missing --out and a building in no zone', () => {
    const prod = posters(
      { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), QR_SECRET: undefined },
      'xiaduoyuan',
      '--out',
      tmpdir(),
    );
    expect(prod.status).toBe(1);
    expect(prod.stderr).toContain('QR_SECRET');
    const noOut = posters({}, 'xiaduoyuan');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('--out');
    const none = posters({}, 'xiaduoyuan', '--out', tmpdir(), '--building', '999');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('999 号楼不属于任何责任区域');
  }, 60_000);
});
