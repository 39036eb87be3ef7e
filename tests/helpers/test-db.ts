import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, MIGRATIONS_DIR, openDatabase } from '../../apps/api/src/db/client';

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
    const database = await openDatabase({ pgliteDir: 'memory', pgliteFrom: await migratedPglite() });
    return { database, drop: () => database.close() };
  }
  const scratch = (await serverDatabase('test', { migrated: true }))!;
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
 * On CI's PostgreSQL pass (DATABASE_URL set), a new database for one suite — empty, or with
 * `migrated` a copy of one with every migration applied (`migratedServerTemplate`) — for tests that
 * hand it to a process of their own (the server, the CLI): its URL and how to drop it. On the
 * PGlite pass, null (those tests use a data directory).
 */
export async function serverDatabase(
  label: string,
  opts: { migrated?: boolean } = {},
): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return null;
  const name = `gongzhi_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const template = opts.migrated ? await migratedServerTemplate(admin, serverUrl) : null;
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  return {
    url: databaseUrlFor(serverUrl, name),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * What the migrations (and, for PGlite, the installed PGlite) are: a changed migration or PGlite
 * makes a new template, so a suite never starts from a stale one.
 */
function templateKey(extra: string): string {
  const hash = createHash('sha256').update(extra);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else hash.update(`${path.relative(MIGRATIONS_DIR, file)}\0`).update(readFileSync(file));
    }
  };
  walk(MIGRATIONS_DIR);
  return hash.digest('hex').slice(0, 24);
}

/** Any constant: held while a worker makes the PostgreSQL template, so only one does. */
const TEMPLATE_LOCK_KEY = 727_002;

/**
 * A database on the server with every migration applied, made once per set of migrations (kept
 * on the server for later runs) and copied by `create database … template` for each suite: ~0.1 s
 * instead of ~0.6 s of migrations. `openDatabase` still runs the migrations on the copy and finds
 * nothing to do.
 */
async function migratedServerTemplate(admin: postgres.Sql, serverUrl: string): Promise<string> {
  const name = `gongzhi_template_${templateKey('postgres')}`;
  await admin`select pg_advisory_lock(${TEMPLATE_LOCK_KEY})`;
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) {
      // Made under another name and renamed when complete: a half-made template is never copied.
      const partial = `${name}_partial`;
      await admin.unsafe(`drop database if exists ${partial} with (force)`);
      await admin.unsafe(`create database ${partial}`);
      const database = await openDatabase({
        databaseUrl: databaseUrlFor(serverUrl, partial),
        pgliteDir: 'memory',
      });
      await database.close();
      await admin.unsafe(`alter database ${partial} rename to ${name}`);
    }
  } finally {
    await admin`select pg_advisory_unlock(${TEMPLATE_LOCK_KEY})`;
  }
  return name;
}

/**
 * The data directory of an in-memory PGlite with every migration applied, made once per set of
 * migrations and PGlite version and kept as a file (each jest worker and test file has its own
 * module registry, so a file is what they share): a suite's fresh database starts from it instead
 * of running initdb and the migrations, ~2.5 s a database on CI's machine. The file is named by
 * `templateKey`; `openDatabase` still runs the migrations on top and finds nothing to do.
 */
async function migratedPglite(): Promise<Blob> {
  // The PGlite the API pins (an exact version, installed from the lockfile), not its path: every
  // checkout on the machine (a CI clone, a worktree) shares the template.
  const api = JSON.parse(readFileSync(path.resolve(__dirname, '../../apps/api/package.json'), 'utf8'));
  const pglite = `pglite ${api.dependencies['@electric-sql/pglite']}`;
  const dir = path.join(tmpdir(), 'gongzhi-test-pglite');
  const file = path.join(dir, `${templateKey(pglite)}.tar`);
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    const database = await openDatabase({ pgliteDir: 'memory' });
    const tarball = await database.dumpDataDir!();
    await database.close();
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a worker reading it never sees half a file.
    const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, Buffer.from(await tarball.arrayBuffer()));
    renameSync(partial, file);
    // Templates of other migrations or PGlite versions (~44 MB each) are not kept: a run that still
    // wants one makes it again.
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.tar') && path.join(dir, name) !== file)
        rmSync(path.join(dir, name), { force: true });
    }
    return tarball;
  }
}
