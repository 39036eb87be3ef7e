import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../../apps/api/src/db/client';
import { namedStatements } from '../../apps/api/src/db/pglite-named';

/**
 * PGlite runs drizzle's parameterised statements as named prepared statements (db/pglite-named.ts):
 * parsed and planned once per text, with PGlite's own locks, errors, notifications and results.
 * PGlite only (whatever DATABASE_URL says).
 */
let d: Database;
beforeAll(async () => {
  d = await openDatabase({ pgliteDir: 'memory' });
  await d.db.execute(sql.raw('create table named_t (id int primary key, note text)'));
});
afterAll(() => d.close());

const rows = async (q: ReturnType<typeof sql>) =>
  (await d.db.execute(q)) as unknown as { rows: Record<string, unknown>[] };
/** Named statements of the one PGlite session whose text contains `needle`. */
const prepared = async (needle: string) =>
  (
    await rows(
      sql.raw(`select statement, (generic_plans + custom_plans)::int as runs from pg_prepared_statements
         where statement like '%${needle}%' and statement not like '%pg_prepared_statements%'`),
    )
  ).rows;

test('a repeated statement is parsed once and runs as one named statement', async () => {
  for (let i = 0; i < 7; i++) {
    expect((await rows(sql`select ${i}::int as n, 'named-probe' as probe`)).rows).toEqual([
      { n: i, probe: 'named-probe' },
    ]);
  }
  expect(await prepared('named-probe')).toEqual([
    { statement: "select $1::int as n, 'named-probe' as probe", runs: 7 },
  ]);
});

test('a unique violation keeps its code and PGlite’s shape, and the session goes on', async () => {
  await d.db.execute(sql`insert into named_t values (${1}, ${'a'})`);
  const err = await d.db.execute(sql`insert into named_t values (${1}, ${'b'})`).then(
    () => null,
    (e: unknown) => e,
  );
  const cause = (err as { cause?: Record<string, unknown> }).cause;
  expect(cause?.code).toBe('23505');
  expect(cause?.constraint).toBe('named_t_pkey');
  expect(cause?.query).toBe('insert into named_t values ($1, $2)');
  expect(cause?.params).toEqual([1, 'b']);
  expect((await rows(sql`select note from named_t where id = ${1}`)).rows).toEqual([{ note: 'a' }]);
});

test('inside a transaction a statement sees its writes; a rollback undoes them', async () => {
  const seen = await d.db.transaction(async (tx) => {
    await tx.execute(sql`insert into named_t values (${2}, ${'tx'})`);
    return (await tx.execute(sql`select note from named_t where id = ${2}`)) as unknown as {
      rows: unknown[];
    };
  });
  expect(seen.rows).toEqual([{ note: 'tx' }]);
  await expect(
    d.db.transaction(async (tx) => {
      await tx.execute(sql`insert into named_t values (${3}, ${'gone'})`);
      expect(
        ((await tx.execute(sql`select note from named_t where id = ${3}`)) as never as { rows: unknown[] })
          .rows,
      ).toHaveLength(1);
      // a failing statement aborts the transaction: the next one is refused, as PGlite refuses it
      await tx.execute(sql`insert into named_t values (${3}, ${'again'})`).catch(() => {});
      await tx.execute(sql`select note from named_t where id = ${3}`);
    }),
  ).rejects.toMatchObject({ cause: { code: '25P02' } });
  expect((await rows(sql`select note from named_t where id = ${3}`)).rows).toEqual([]);
});

test('a notification reaches the listener before the notifying statement resolves', async () => {
  const heard: (string | null)[] = [];
  const stop = await d.listen!('named_probe', (p) => heard.push(p));
  await d.db.execute(sql`select pg_notify('named_probe', ${'x'})`);
  expect(heard).toEqual(['x']);
  await stop();
});

test('a statement whose table changed shape is parsed anew', async () => {
  const read = () => rows(sql`select * from named_t where id = ${1}`);
  expect((await read()).rows).toEqual([{ id: 1, note: 'a' }]);
  await d.db.execute(sql.raw('alter table named_t add column extra int default 7'));
  expect((await read()).rows).toEqual([{ id: 1, note: 'a', extra: 7 }]);
});

test('at most `max` texts are kept; the least recently used is closed', async () => {
  // another PGlite of the same class (the API's package), its named statements bounded to two
  type Client = Parameters<typeof namedStatements>[0];
  const PGlite = (d.db as unknown as { $client: Client }).$client.constructor as new () => Client;
  const client = namedStatements(new PGlite(), 2);
  await client.waitReady;
  for (const n of [1, 2, 1, 3]) await client.query(`select $1::int + $1::int as lru_probe -- ${n}`, [n]);
  const left = await client.query<{ statement: string }>(
    "select statement from pg_prepared_statements where statement like '%lru_probe%' and statement not like '%pg_prepared%' order by statement",
  );
  expect(left.rows.map((r) => r.statement.slice(-4))).toEqual(['-- 1', '-- 3']);
  await client.close();
}, 60_000);
