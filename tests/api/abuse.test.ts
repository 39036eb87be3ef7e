import { deflateSync } from 'node:zlib';
import { ANONYMOUS_UPLOAD_PIXELS, COMPLAINT_LIMITS, LOGIN_THROTTLE } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import { loginThrottlesTable, photosTable } from '../../apps/api/src/db/schema';
import { readSettings } from '../../apps/api/src/env';
import { addressKey } from '../../apps/api/src/lib/client-address';
import { signQrTarget } from '../../apps/api/src/lib/qr-sign';
import { createAccount } from '../../apps/api/src/services/accounts/create-account';
import { buildTestApp, PASSWORD, TEST_QR_SECRET, type TestApp, testClock } from '../helpers/build-app';
import { multipartBody, type Part, pngChunk } from '../helpers/multipart';

// Abuse without collateral (issue 15, items 6 and 8): the login throttle, complaint floods against
// a neighbour's emergency, Retry-After on every 429, the pixel budget of anonymous uploads, and
// TRUST_PROXY. The clock is the test's: delays pass by moving it, never by waiting.

const clock = testClock();
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
});
afterAll(() => t.close());

type Reply = Awaited<ReturnType<TestApp['app']['inject']>>;

/** Every 429 says when to come back: a whole number of seconds, at least 1. */
function expect429(res: Reply, code: string) {
  expect(res.statusCode).toBe(429);
  expect(res.json().error.code).toBe(code);
  const retryAfter = res.headers['retry-after'];
  expect(String(retryAfter)).toMatch(/^[1-9]\d*$/);
  return Number(retryAfter);
}

let addressSeq = 0;
const nextAddress = () => {
  addressSeq++;
  return `10.66.${addressSeq >> 8}.${addressSeq & 255}`;
};
let phoneSeq = 0;
const newPhone = () => `135${String(++phoneSeq).padStart(8, '0')}`;
async function newAccount() {
  const phone = newPhone();
  await createAccount(t.db, {
    kind: 'staff',
    phone,
    password: PASSWORD,
    displayName: '杨晨怡',
    person: { community: 'xiaduoyuan', key: 'yang-chenyi' },
  });
  return phone;
}
const login = (phone: string, password: string, remoteAddress = nextAddress()) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { phone, password }, remoteAddress });
/** A refusal without its request id, to compare two refusals. */
const answer = (res: Reply) => {
  const { requestId: _id, ...error } = res.json().error;
  return { status: res.statusCode, error, retryAfter: res.headers['retry-after'] ?? null };
};

describe('login throttle (per phone, in the database)', () => {
  test('wrong passwords from six addresses meet growing, capped delays; the right one after the delay works', async () => {
    clock.advance(24 * 3600_000);
    const phone = await newAccount();
    const attackers = Array.from({ length: 6 }, (_, i) => `198.51.100.${10 + i}`);
    const from = (i: number) => attackers[i % attackers.length]!;

    // The free failures are answered at once, like any wrong password.
    for (let i = 0; i < LOGIN_THROTTLE.freeFailures; i++) {
      expect(answer(await login(phone, `wrong-${i}`, from(i)))).toEqual({
        status: 401,
        error: { code: 'invalid_credentials', message: '手机号或密码不正确' },
        retryAfter: null,
      });
    }
    // Then each failure brings a delay, doubling, capped; attempts during a delay are refused
    // unchecked — the right password too — and do not extend it.
    const delays: number[] = [];
    let attempt = LOGIN_THROTTLE.freeFailures;
    while (attempt < 54) {
      expect((await login(phone, `wrong-${attempt}`, from(attempt))).statusCode).toBe(401);
      attempt++;
      const refused = await login(phone, PASSWORD, from(attempt));
      const wait = expect429(refused, 'login_throttled');
      expect(refused.json().error.message).toMatch(/^登录失败次数过多，请 \d+ (秒|分钟)后再试/);
      delays.push(wait);
      clock.advance(wait * 500);
      expect(expect429(await login(phone, 'hammering', from(attempt + 1)), 'login_throttled')).toBe(
        wait - wait / 2,
      );
      clock.advance(wait * 500);
    }
    const cap = LOGIN_THROTTLE.maxDelayMs / 1000;
    expect(delays.slice(0, 7)).toEqual([30, 60, 120, 240, 480, cap, cap]);
    expect(Math.max(...delays)).toBe(cap);

    // The owner, after the delay, from an address never seen: in at once.
    const owner = await login(phone, PASSWORD, '203.0.113.77');
    expect(owner.statusCode).toBe(200);
    // A success resets the count: the next wrong password is an ordinary 401.
    expect((await login(phone, 'wrong-again', from(0))).statusCode).toBe(401);
    expect((await login(phone, PASSWORD, '203.0.113.77')).statusCode).toBe(200);
  }, 180_000); // 54 password checks (scrypt) and twice as many refusals

  test('an unknown phone and a wrong password get identical answers, throttled alike', async () => {
    clock.advance(24 * 3600_000);
    const known = await newAccount();
    const unknown = newPhone();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_THROTTLE.freeFailures + 3; i++) {
      const a = await login(known, 'wrong-password');
      const b = await login(unknown, 'wrong-password');
      expect(answer(b)).toEqual(answer(a));
      statuses.push(a.statusCode);
    }
    // Both were throttled, at the same attempt, with the same Retry-After (compared above).
    expect(statuses).toEqual([...Array(LOGIN_THROTTLE.freeFailures + 1).fill(401), 429, 429]);
    // Nothing of either phone is stored in clear.
    const rows = await t.db.select().from(loginThrottlesTable);
    expect(JSON.stringify(rows)).not.toContain(known);
    expect(JSON.stringify(rows)).not.toContain(unknown);
  });

  test('an address the account signed in from passes the delay others cause; the owner is never locked out there', async () => {
    clock.advance(24 * 3600_000);
    const phone = await newAccount();
    const home = '203.0.113.20';
    expect((await login(phone, PASSWORD, home)).statusCode).toBe(200);
    for (let i = 0; i <= LOGIN_THROTTLE.freeFailures; i++) {
      expect((await login(phone, 'guess', nextAddress())).statusCode).toBe(401);
    }
    expect429(await login(phone, PASSWORD, nextAddress()), 'login_throttled');
    // Home is known: the right password works during the attacker's delay.
    expect((await login(phone, PASSWORD, home)).statusCode).toBe(200);
  });

  test('the throttle is shared: failures on one instance delay the phone on another', async () => {
    clock.advance(24 * 3600_000);
    const phone = await newAccount();
    for (let i = 0; i <= LOGIN_THROTTLE.freeFailures; i++) {
      expect((await login(phone, 'guess', nextAddress())).statusCode).toBe(401);
    }
    const other = await t.peer();
    try {
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { phone, password: PASSWORD },
        remoteAddress: nextAddress(),
      });
      expect(expect429(res, 'login_throttled')).toBe(30);
    } finally {
      await other.close();
    }
  });

  test('one address trying many phones: its failures in the hour are bounded too', async () => {
    clock.advance(24 * 3600_000);
    const address = '192.0.2.200';
    for (let i = 0; i < LOGIN_THROTTLE.failuresPerAddressPerHour; i++) {
      // The route's own limit is 10 a minute per address.
      if (i % 10 === 0) clock.advance(61_000);
      expect((await login(newPhone(), 'spray', address)).statusCode).toBe(401);
    }
    clock.advance(61_000);
    const wait = expect429(await login(newPhone(), 'spray', address), 'login_throttled');
    expect(wait).toBeLessThanOrEqual(3600);
    // Another address is not affected.
    expect((await login(newPhone(), 'spray', '192.0.2.201')).statusCode).toBe(401);
  }, 120_000); // 32 password checks

  test("the per-address route limit's 429 carries Retry-After too", async () => {
    clock.advance(24 * 3600_000);
    const address = '192.0.2.210';
    for (let i = 0; i < 10; i++) await login(newPhone(), 'x', address);
    expect429(await login(newPhone(), 'x', address), 'rate_limited');
  });
});

describe('complaints: a flood from a few addresses cannot shut a building for its residents', () => {
  const qr = (building: number) =>
    signQrTarget(TEST_QR_SECRET, { community: 'xiaduoyuan', kind: 'building', building });
  const complain = (payload: object, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/complaints', payload, remoteAddress });

  test('30 junk complaints from 3 addresses shut only those addresses out; a neighbour complains, an emergency always gets in', async () => {
    clock.advance(24 * 3600_000);
    const building = qr(33);
    const flooders = ['198.18.0.1', '198.18.0.2', '198.18.0.3'];
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      if (i % 10 === 0) clock.advance(61_000); // the per-minute route limit is not what is tested
      const res = await complain(
        { qr: building, category: 'other', description: `垃圾投诉${i}` },
        flooders[i % 3]!,
      );
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect429(res, 'too_many_complaints');
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(3 * COMPLAINT_LIMITS.perQrPerAddressPerHour);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - 3 * COMPLAINT_LIMITS.perQrPerAddressPerHour);

    // A neighbour in the same building: an ordinary complaint and an emergency both get in.
    const neighbour = await complain(
      { qr: building, category: 'other', description: '楼道灯坏了' },
      '203.0.113.50',
    );
    expect(neighbour.statusCode).toBe(201);
    const emergency = await complain(
      { qr: building, category: 'other', urgency: 'emergency', description: '电梯困人' },
      '203.0.113.51',
    );
    expect(emergency.statusCode).toBe(201);
    // Even from a flooding address (a shared network): an emergency is not the one refused.
    const shared = await complain(
      { qr: building, category: 'other', urgency: 'emergency', description: '楼道有煤气味' },
      flooders[0]!,
    );
    expect(shared.statusCode).toBe(201);
    // The flooders' ordinary complaints still are.
    expect429(
      await complain({ qr: building, category: 'other', description: '继续刷' }, flooders[0]!),
      'too_many_complaints',
    );
  });

  test('a flood of ordinary complaints in a minute does not use up the emergency allowance of that address', async () => {
    clock.advance(24 * 3600_000);
    const address = '198.18.1.1';
    for (let i = 0; i < COMPLAINT_LIMITS.perAddressPerMinute; i++) {
      await complain({ qr: qr(40 + i), category: 'other', description: `刷屏${i}` }, address);
    }
    expect429(
      await complain({ qr: qr(51), category: 'other', description: '再刷' }, address),
      'rate_limited',
    );
    const emergency = await complain(
      { qr: qr(52), category: 'other', urgency: 'emergency', description: '水管爆裂' },
      address,
    );
    expect(emergency.statusCode).toBe(201);
  });

  test('false emergencies are one address’s problem: bounded per address, with Retry-After', async () => {
    clock.advance(24 * 3600_000);
    const address = '198.18.2.1';
    const emergency = (i: number) =>
      complain(
        { qr: qr(60 + (i % 5)), category: 'other', urgency: 'emergency', description: `假应急${i}` },
        address,
      );
    for (let i = 0; i < COMPLAINT_LIMITS.emergenciesPerAddressPerHour; i++) {
      if (i % COMPLAINT_LIMITS.emergenciesPerAddressPerMinute === 0) clock.advance(61_000);
      expect((await emergency(i)).statusCode).toBe(201);
    }
    clock.advance(61_000);
    expect429(await emergency(99), 'too_many_complaints');
    clock.advance(61_000);
    // Within the minute, its own per-minute allowance.
    const other = '198.18.2.2';
    for (let i = 0; i < COMPLAINT_LIMITS.emergenciesPerAddressPerMinute; i++) {
      await complain({ qr: qr(70), category: 'other', urgency: 'emergency', description: `应急${i}` }, other);
    }
    expect429(
      await complain({ qr: qr(70), category: 'other', urgency: 'emergency', description: '再一个' }, other),
      'rate_limited',
    );
  });
});

// ---------------------------------------------------------------------------------------------
/**
 * A PNG of a few hundred bytes whose header declares side×side pixels, with only four rows of
 * data: a header read is fine, any decoding fails (corrupt_image). So a refusal for its pixels
 * proves nothing was decoded.
 */
function pngDeclaring(side: number): Part {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8); // 1-bit greyscale
  const rows = Buffer.alloc((1 + Math.ceil(side / 8)) * 4);
  const data = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return { filename: 'bomb.png', contentType: 'image/png', data };
}

describe('anonymous uploads are bounded in pixels, checked from the headers before decoding', () => {
  const upload = (parts: Part[], remoteAddress: string, auth: Record<string, string> = {}) => {
    const { payload, headers } = multipartBody(parts);
    return t.app.inject({
      method: 'POST',
      url: '/api/photos',
      payload,
      headers: { ...headers, ...auth },
      remoteAddress,
    });
  };
  /** 49 megapixels each: a photo of that size alone is allowed. */
  const SIDE = 7000;

  test('nine 49-megapixel PNGs of 100 bytes in one anonymous request: 413 upload_too_many_pixels, nothing decoded or stored', async () => {
    clock.advance(24 * 3600_000);
    const before = await t.db.select({ n: sql<number>`count(*)::int` }).from(photosTable);
    const parts = Array.from({ length: 9 }, () => pngDeclaring(SIDE));
    expect(parts[0]!.data.length).toBeLessThan(200);
    const res = await upload(parts, '198.18.5.1');
    expect(res.statusCode).toBe(413);
    const error = res.json().error;
    expect(error.code).toBe('upload_too_many_pixels');
    expect(error.message).toContain('120 百万像素');
    // The third file crosses 120 megapixels; had the first been decoded it would be corrupt_image.
    expect(error.details).toEqual([{ path: 'files[2]', message: '像素总量过多' }]);
    const after = await t.db.select({ n: sql<number>`count(*)::int` }).from(photosTable);
    expect(after).toEqual(before);
  });

  test('a signed-in uploader is not held to the anonymous budget (the same files reach decoding)', async () => {
    const yang = await t.loginAs('yang-chenyi');
    const res = await upload(
      Array.from({ length: 3 }, () => pngDeclaring(SIDE)),
      '198.18.5.2',
      yang.auth,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('corrupt_image');
  });

  test(`per address: ${ANONYMOUS_UPLOAD_PIXELS.perAddressPerHour / 1e6} megapixels an hour, in the shared store; 429 with Retry-After`, async () => {
    clock.advance(24 * 3600_000);
    const address = '198.18.6.1';
    const perRequest = Math.floor(ANONYMOUS_UPLOAD_PIXELS.perRequest / (SIDE * SIDE));
    const requests = Math.floor(ANONYMOUS_UPLOAD_PIXELS.perAddressPerHour / (perRequest * SIDE * SIDE));
    for (let i = 0; i < requests; i++) {
      // Within the budget: the files are decoded (and, being truncated, refused as corrupt).
      const res = await upload(
        Array.from({ length: perRequest }, () => pngDeclaring(SIDE)),
        address,
      );
      expect(res.json().error.code).toBe('corrupt_image');
    }
    const refused = await upload([pngDeclaring(SIDE)], address);
    const wait = expect429(refused, 'upload_pixels_exhausted');
    expect(wait).toBeLessThanOrEqual(3600);
    // Another address has its own budget; the hour over, this one has again.
    expect((await upload([pngDeclaring(SIDE)], '198.18.6.2')).json().error.code).toBe('corrupt_image');
    clock.advance(wait * 1000);
    expect((await upload([pngDeclaring(SIDE)], address)).json().error.code).toBe('corrupt_image');
  });
});

describe('client addresses', () => {
  test.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('TRUST_PROXY', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-production-secret-that-is-long-enough-1234',
    QR_SECRET: 'a-production-qr-secret-that-is-long-enough-12',
  };

  test('true (trust every client) is refused in production, and allowed elsewhere', () => {
    expect(() => readSettings({ ...production, TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true/);
    expect(() => readSettings({ ...production, TRUST_PROXY: ' TRUE ' })).toThrow(/TRUST_PROXY=true/);
    expect(readSettings({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  });

  test.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', '127.0.0.1'],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8, 127.0.0.1'],
  ])('TRUST_PROXY=%p → %p', (value, parsed) => {
    expect(readSettings({ ...production, TRUST_PROXY: value }).trustProxy).toEqual(parsed);
  });

  test('a hop count outside 1–10 is refused', () => {
    expect(() => readSettings({ TRUST_PROXY: '0' })).toThrow(/TRUST_PROXY/);
    expect(() => readSettings({ TRUST_PROXY: '11' })).toThrow(/TRUST_PROXY/);
  });

  test('one trusted hop: the address the proxy saw counts, whatever the client wrote before it', async () => {
    const behind = await buildTestApp({ now: clock.now, trustProxy: 1 });
    try {
      const attempt = (forged: string) =>
        behind.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { phone: '13400000000', password: 'x' },
          remoteAddress: '127.0.0.1', // the proxy
          headers: { 'x-forwarded-for': `${forged}, 203.0.113.200` },
        });
      for (let i = 0; i < 10; i++) {
        // Another phone each time: the per-address route limit is what is tested.
        const res = await behind.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { phone: `1340000${String(i).padStart(4, '0')}`, password: 'x' },
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.200` },
        });
        expect(res.statusCode).toBe(401);
      }
      expect429(await attempt('10.0.0.99'), 'rate_limited');
    } finally {
      await behind.close();
    }
  }, 120_000); // a second app on its own database
});
