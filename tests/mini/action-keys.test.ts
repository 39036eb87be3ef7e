import { count, eq } from 'drizzle-orm';
import { noticesTable } from '../../apps/api/src/db/schema';
import { actionKeys, newIdempotencyKey } from '../../apps/mini/src/services/action-key';
import { buildTestApp, type TestApp } from '../helpers/build-app';

// The mini-program's rule for Idempotency-Key (apps/mini/src/services/action-key.ts, used by
// useAction): one key per user action, kept across its retries.

describe('actionKeys', () => {
  let n = 0;
  const mint = () => `key-${++n}`;

  it('keeps the key while the same input is retried, and mints a new one after success or a change', () => {
    const keys = actionKeys(mint);
    const first = keys.keyFor({ topic: '路灯', answer: '已报修' });
    expect(keys.keyFor({ topic: '路灯', answer: '已报修' })).toBe(first); // a retry
    const changed = keys.keyFor({ topic: '路灯', answer: '已报修，明天修' });
    expect(changed).not.toBe(first); // the person changed what they send: another action
    expect(keys.keyFor({ topic: '路灯', answer: '已报修，明天修' })).toBe(changed);
    keys.succeeded();
    expect(keys.keyFor({ topic: '路灯', answer: '已报修，明天修' })).not.toBe(changed); // done: a new action
  });

  it('mints keys the API accepts, different each time', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(Array.from({ length: 200 }, newIdempotencyKey)).size).toBe(200);
  });
});

describe('against the real API: a lost answer retried creates the notice once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('retry → the same notice; a new action → a second one', async () => {
    const secretary = await t.loginAs('tu-zhongmei');
    const keys = actionKeys();
    const body = {
      community: 'xiaduoyuan',
      kind: 'zone_roster',
      title: '停水通知',
      body: '明日 9:00-12:00 停水',
    };
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/notices',
        headers: { ...secretary.auth, 'idempotency-key': keys.keyFor(body) },
        payload: body,
      });
    const notices = async () =>
      (await t.db.select({ n: count() }).from(noticesTable).where(eq(noticesTable.title, '停水通知')))[0]!.n;

    const lost = await send(); // created, but the phone never saw the answer
    const retried = await send();
    expect([lost.statusCode, retried.statusCode]).toEqual([201, 201]);
    expect(retried.json().id).toBe(lost.json().id);
    expect(await notices()).toBe(1);

    keys.succeeded();
    const again = await send(); // the person writes the same notice again on purpose
    expect(again.statusCode).toBe(201);
    expect(again.json().id).not.toBe(lost.json().id);
    expect(await notices()).toBe(2);
  });
});
