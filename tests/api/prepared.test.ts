import { eq, sql } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { Database } from '../../apps/api/src/db/client';
import { compileRowMapper } from '../../apps/api/src/db/prepared';
import { accountsTable, peopleTable, sessionsTable } from '../../apps/api/src/db/schema';
import { openTestDatabase } from '../helpers/test-db';

/**
 * compileRowMapper (db/prepared.ts) replaces drizzle's per-row mapping of a prepared select with
 * one worked out once: the rows must be the very objects drizzle's own mapping gives.
 */
let database: Database;
let drop: () => Promise<void>;
let accountId: string;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  const { db } = database;
  const [account] = await db
    .insert(accountsTable)
    .values({ kind: 'resident', displayName: '测试居民', disabledAt: new Date('2026-01-02T03:04:05.678Z') })
    .returning();
  accountId = account!.id;
  await db.insert(sessionsTable).values([
    { accountId, expiresAt: new Date('2026-12-31T16:00:00Z') },
    { accountId, expiresAt: new Date('2027-01-31T16:00:00Z'), revokedAt: new Date('2026-06-01T00:00:00Z') },
  ]);
});
afterAll(() => drop());

type Prepared = { execute(values?: Record<string, unknown>): Promise<unknown[]> };

/** The same statement prepared twice: rows through drizzle's mapping, then through the compiled one. */
async function bothWays(name: string, build: (name: string) => Prepared) {
  const drizzleMapped = build(`${name}_drizzle`);
  const compiled = build(`${name}_compiled`);
  compileRowMapper(compiled);
  const values = { accountId };
  return {
    drizzle: await drizzleMapped.execute(values),
    compiled: await compiled.execute(values),
    isCompiled: typeof (compiled as { customResultMapper?: unknown }).customResultMapper === 'function',
  };
}

/** The account's sessions joined to the account, with this selection, prepared under `name`. */
const sessionsWith = (selection: SelectedFields) => (name: string) =>
  database.db
    .select(selection)
    .from(sessionsTable)
    .innerJoin(accountsTable, eq(accountsTable.id, sessionsTable.accountId))
    .where(eq(sessionsTable.accountId, sql.placeholder('accountId')))
    .orderBy(sessionsTable.expiresAt)
    .prepare(name);

test('plain fields: columns (timestamps, booleans, nulls), sql with mapWith, an aliased sql', async () => {
  const r = await bothWays(
    'plain',
    sessionsWith({
      id: sessionsTable.id,
      expiresAt: sessionsTable.expiresAt,
      revokedAt: sessionsTable.revokedAt,
      mustChange: accountsTable.mustChangePassword,
      disabledAt: accountsTable.disabledAt,
      phone: accountsTable.phone,
      days: sql`extract(day from ${sessionsTable.expiresAt})`.mapWith(Number),
      label: sql<string>`'会话'`.as('label'),
    }),
  );
  expect(r.isCompiled).toBe(true);
  expect(r.drizzle).toHaveLength(2);
  expect(r.compiled).toEqual(r.drizzle);
  // Same keys in the same order, and the decoders really ran (a Date, a number).
  expect(r.compiled.map((row) => Object.keys(row as object))).toEqual(
    r.drizzle.map((row) => Object.keys(row as object)),
  );
  const first = r.compiled[0] as { expiresAt: unknown; days: unknown; revokedAt: unknown };
  expect(first.expiresAt).toBeInstanceOf(Date);
  expect(first.days).toBe(31);
  expect(first.revokedAt).toBeNull();
});

test('a whole table as an object (base table and inner join): compiled, same nested objects', async () => {
  const r = await bothWays(
    'nested',
    sessionsWith({ session: sessionsTable, account: accountsTable, n: sql<number>`1`.mapWith(Number) }),
  );
  expect(r.isCompiled).toBe(true);
  expect(r.compiled).toEqual(r.drizzle);
  expect((r.compiled[0] as { account: { disabledAt: unknown } }).account.disabledAt).toEqual(
    new Date('2026-01-02T03:04:05.678Z'),
  );
});

test('a left-joined table as an object keeps drizzle mapping (a missing row is null, not an object of nulls)', async () => {
  const { db } = database;
  const r = await bothWays('left', (name) =>
    db
      .select({ id: accountsTable.id, person: peopleTable })
      .from(accountsTable)
      .leftJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
      .where(eq(accountsTable.id, sql.placeholder('accountId')))
      .prepare(name),
  );
  expect(r.isCompiled).toBe(false);
  expect(r.compiled).toEqual([{ id: accountId, person: null }]);
});
