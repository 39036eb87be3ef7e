import { buildTestApp, type TestApp } from '../helpers/build-app';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

test('health and ready', async () => {
  expect((await t.app.inject('/health')).json()).toEqual({ status: 'ok' });
  const ready = await t.app.inject('/ready');
  expect(ready.statusCode).toBe(200);
  expect(ready.json().database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
});
