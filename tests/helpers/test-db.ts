import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../apps/api/src/db/client';

/**
 * A fresh database for one test suite: in-memory PGlite by default; with DATABASE_URL (CI's second
 * pass) a new database on that PostgreSQL server, dropped afterwards. Suites never share state.
 */
export async function openTestDatabase(
  opts: {
    /** PostgreSQL: connect through this address instead (e.g. a test's TCP proxy). */
    via?: (url: string) => string;
    /** PostgreSQL connection bounds, as the server passes them. */
    connectTimeoutMs?: number;
    statementTimeoutMs?: number;
  } = {},
): Promise<{
  database: Database;
  drop: () => Promise<void>;
  /** PostgreSQL: the URL of this suite's database (a second instance can open it). */
  url?: string;
}> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ pgliteDir: 'memory' });
    return { database, drop: () => database.close() };
  }
  const scratch = (await emptyServerDatabase('test'))!;
  const database = await openDatabase({
    databaseUrl: opts.via ? opts.via(scratch.url) : scratch.url,
    pgliteDir: 'memory',
    connectTimeoutMs: opts.connectTimeoutMs,
    statementTimeoutMs: opts.statementTimeoutMs,
  });
  return {
    database,
    url: scratch.url,
    drop: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * On CI's PostgreSQL pass (DATABASE_URL set), a new empty database for one suite, for tests that
 * hand it to a process of their own (the server, the CLI): its URL and how to drop it. On the
 * PGlite pass, null (those tests use a data directory).
 */
export async function emptyServerDatabase(
  label: string,
): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return null;
  const name = `gongzhi_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
