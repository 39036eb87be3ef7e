import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { MIGRATIONS_DIR } from '../lib/paths';
import { namedStatements } from './pglite-named';
import * as schema from './schema';

export { MIGRATIONS_DIR };

/** One type for both drivers: services never know which database they talk to. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * PGlite only: LISTEN on a channel of the one in-process session. A notification from a
   * committed change reaches `onPayload` before the committing statement's promise resolves:
   * PGlite reads the backend's answer (NotificationResponse included) while it runs the statement
   * and queues each listener as a microtask then, ahead of the statement's own resolution
   * (@electric-sql/pglite, PGlite#parse). Resolves to the function that stops listening.
   * `onPayload(null)`: notifications may have been lost — PGlite drops every message after the
   * first error of one call, so a multi-statement `exec` that committed and then failed is not
   * told (one statement per call, as drizzle sends them, cannot commit after its error).
   * Absent on PostgreSQL, where notifications arrive when a connection happens to read them.
   */
  listen?: (channel: string, onPayload: (payload: string | null) => void) => Promise<() => Promise<void>>;
  /**
   * PGlite only: the whole data directory as an uncompressed tarball (PGlite's `dumpDataDir`), for
   * `OpenOptions.pgliteFrom`. The test suites migrate one such copy and start every in-memory
   * database of a run from it instead of running initdb and the migrations anew.
   */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

/** Any constant works; it only has to be the same for every instance of the API. */
const MIGRATION_LOCK_KEY = 727_001;

export interface OpenOptions {
  /** postgres://… — PostgreSQL. Without it, embedded PGlite. */
  databaseUrl?: string | undefined;
  /**
   * PostgreSQL: run the migrations as this URL's role (the schema's owner) rather than as
   * databaseUrl's, which then needs no right to change the schema. Default: databaseUrl.
   */
  migrationUrl?: string | undefined;
  /** PGlite data directory; 'memory' for an in-memory database (tests). */
  pgliteDir: string;
  /**
   * In-memory PGlite only: start from this data directory (a `Database.dumpDataDir` tarball) instead
   * of an empty one made by initdb. The migrations still run and apply whatever it lacks.
   */
  pgliteFrom?: Blob | undefined;
  /** PostgreSQL: give up opening one connection after this long (default 3 s). */
  connectTimeoutMs?: number;
  /** PostgreSQL: statement_timeout of every session (default 15 s; 0 = none). */
  statementTimeoutMs?: number;
  /** PostgreSQL: at start, keep retrying an unreachable server this long (default 0: fail at once). */
  waitSeconds?: number;
  /**
   * PostgreSQL: reuse server-side prepared statements (parse and plan once per connection, not on
   * every execution). Default true; false behind a pooler in transaction mode (PgBouncer < 1.21).
   */
  prepare?: boolean;
  /** Where start-up messages (waiting for the database) go. */
  log?: (message: string) => void;
}

/** host:port/database of a DATABASE_URL, without user or password: safe to log. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '（无法解析的 DATABASE_URL）';
  }
}

/**
 * Waits for PostgreSQL to accept a connection: retries connection failures with backoff (0.5 s,
 * doubling, at most 5 s apart) until waitSeconds have passed. Any other failure (wrong password,
 * no such database) is reported at once.
 */
async function waitForPostgres(url: string, opts: OpenOptions) {
  const where = describeDatabaseUrl(url);
  const deadline = Date.now() + (opts.waitSeconds ?? 0) * 1000;
  const log = opts.log ?? ((m: string) => console.warn(m));
  for (let attempt = 0, delay = 500; ; attempt++, delay = Math.min(delay * 2, 5_000)) {
    const probe = postgres(url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: (opts.connectTimeoutMs ?? 3_000) / 1000,
    });
    try {
      await probe`select 1`;
      if (attempt > 0) log(`数据库 ${where} 已可连接`);
      return;
    } catch (err) {
      const failure = databaseFailure(err);
      if (failure !== 'unavailable') {
        throw new Error(`无法使用数据库 ${where}：${(err as Error).message}`);
      }
      if (Date.now() + delay > deadline) {
        throw new Error(
          `无法连接数据库 ${where}（已等待 ${opts.waitSeconds ?? 0} 秒，可用 DATABASE_WAIT_SECONDS 调整）：${errorText(err)}`,
        );
      }
      log(`正在等待数据库 ${where}（${errorText(err)}），${(delay / 1000).toFixed(1)} 秒后重试…`);
      await sleep(delay);
    } finally {
      await probe.end({ timeout: 0 }).catch(() => {});
    }
  }
}

/** The SQLSTATE of a database error, through Drizzle's wrapper. */
const sqlstateOf = (err: unknown): string | undefined => {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
};

const errorText = (err: unknown) => {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  return e.code ?? e.errors?.[0]?.code ?? e.message ?? String(err);
};

/**
 * A postgres.js client whose every query — in transactions and savepoints too — is a named,
 * per-connection prepared statement (`prepare` true), or none is (false: behind a pooler in
 * transaction mode). Drizzle passes `prepare: false` to postgres.js for any query not built with
 * `.prepare(name)`, so without this every statement was parsed and planned anew; and `true` for
 * one built with it (db/prepared.ts, the session check in plugins/auth.ts), which the pooler could not take. postgres.js keys its
 * statements by the query text (our SQL is parameterised: a bounded set of texts), and
 * re-prepares one whose plan a schema change invalidated.
 */
export function preparing(client: postgres.Sql, prepare = true): postgres.Sql {
  type Run = (sql: postgres.Sql) => unknown;
  const wrapCallback = (args: unknown[]) =>
    args.map((a) =>
      typeof a === 'function' ? (sql: postgres.Sql) => (a as Run)(preparing(sql, prepare)) : a,
    );
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], options?: object) =>
          target.unsafe(query, params as never[], { ...options, prepare });
      if (prop === 'begin' || prop === 'savepoint') {
        const original = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        return (...args: unknown[]) => original.apply(target, wrapCallback(args));
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const options = {
      onnotice: () => {},
      connect_timeout: (opts.connectTimeoutMs ?? 3_000) / 1000,
      connection: {
        statement_timeout: opts.statementTimeoutMs ?? 15_000,
        // A transaction left open by a vanished client does not hold its locks for ever.
        idle_in_transaction_session_timeout: 60_000,
      },
    } as const;
    await waitForPostgres(opts.databaseUrl, opts);
    // Migrations on a dedicated single connection that holds a session advisory lock, so two
    // instances starting together run them one after the other (the second finds nothing to do).
    // No statement timeout here: a long migration must not be cut off half-way. With a migration
    // URL, they run as the schema's owner and the pool below connects as the application's role.
    if (opts.migrationUrl) await waitForPostgres(opts.migrationUrl, opts);
    const migrator = postgres(opts.migrationUrl ?? opts.databaseUrl, {
      ...options,
      max: 1,
      connection: { statement_timeout: 0 },
    });
    try {
      await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
      await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder: MIGRATIONS_DIR });
      await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    } catch (err) {
      if (!opts.migrationUrl && sqlstateOf(err) === '42501') {
        throw new Error(
          `数据库迁移被拒绝（${errorText(err)}）：DATABASE_URL 的角色无权修改表结构。` +
            '请用 MIGRATION_DATABASE_URL 指定拥有表结构的角色来运行迁移（见 docs/operations.md“数据库角色”）',
          { cause: err },
        );
      }
      throw err;
    } finally {
      await migrator.end();
    }
    const pool = postgres(opts.databaseUrl, { ...options, max: 10 });
    const client = preparing(pool, opts.prepare !== false);
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    return { db, kind: 'postgres', close: () => pool.end({ timeout: 5 }) };
  }

  let releaseLock = () => {};
  let dataDir: string | undefined;
  if (opts.pgliteDir !== 'memory') {
    dataDir = path.resolve(opts.pgliteDir);
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  try {
    if (opts.pgliteFrom && dataDir) throw new Error('pgliteFrom is for an in-memory database only');
    const client = new PGlite({ dataDir, ...(opts.pgliteFrom ? { loadDataDir: opts.pgliteFrom } : {}) });
    await client.waitReady;
    // Listeners told when a failed multi-statement exec may have dropped notifications (listen).
    const lost = new Set<(payload: null) => void>();
    const exec = client.exec.bind(client);
    client.exec = async (...args) => {
      try {
        return await exec(...args);
      } catch (err) {
        for (const onLost of lost) onLost(null);
        throw err;
      }
    };
    // Parameterised statements as named prepared statements: parsed and planned once per text.
    namedStatements(client);
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
    return {
      db,
      kind: 'pglite',
      listen: async (channel, onPayload) => {
        lost.add(onPayload);
        const unlisten = await client.listen(channel, onPayload);
        return async () => {
          lost.delete(onPayload);
          await unlisten();
        };
      },
      dumpDataDir: async () => await client.dumpDataDir('none'),
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

export class DataDirLockedError extends Error {}

/** Who holds a PGlite data directory: written into its lock file. */
export interface LockOwner {
  pid: number;
  /** /proc/sys/kernel/random/boot_id: changes at every boot of the machine (or VM). */
  bootId: string | null;
  /** Field 22 of /proc/<pid>/stat: the process's start time in clock ticks since boot. */
  startTime: string | null;
}

/** Directories this process has locked: a lock naming our pid but not listed here is not ours. */
const lockedHere = new Set<string>();

const readOr = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
};

/** The start time of a live process, or null (not Linux, or no such process). */
export function processStartTime(pid: number): string | null {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null; // field 22 overall = index 19 after "pid (comm)"
}

export const currentLockOwner = (): LockOwner => ({
  pid: process.pid,
  bootId: readOr('/proc/sys/kernel/random/boot_id'),
  startTime: processStartTime(process.pid),
});

/** A lock file's owner; a lock from an older version holds only the pid. */
function parseLock(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o === 'object' && o && Number.isInteger(o.pid)) {
      return { pid: o.pid as number, bootId: o.bootId ?? null, startTime: o.startTime ?? null };
    }
  } catch {
    // not JSON: the old format
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) ? { pid, bootId: null, startTime: null } : null;
}

/**
 * Is the process named by a lock still the one that wrote it? A pid alone is not enough: after a
 * reboot, or in a container's fresh pid namespace, another process (often this one) gets the same
 * pid. The boot id and the process start time tell them apart.
 */
function ownerAlive(owner: LockOwner, me: LockOwner): boolean {
  if (owner.bootId && me.bootId && owner.bootId !== me.bootId) return false; // written before a reboot
  if (owner.pid === me.pid) return false; // ours would be in lockedHere: a namesake from an earlier life
  if (!isAlive(owner.pid)) return false;
  if (owner.startTime) {
    const now = processStartTime(owner.pid);
    if (now && now !== owner.startTime) return false; // the pid was reused by a later process
  }
  return true;
}

/**
 * PGlite is a single-process database: two processes writing one data directory corrupt it.
 * A lock file naming the owner (pid, boot id, process start time) refuses a second opener; a lock
 * whose owner is gone — exited, killed, from before a reboot or a container restart that reused
 * the pid — is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'gongzhi.lock');
  if (lockedHere.has(lockPath)) {
    throw new DataDirLockedError(`数据目录 ${dataDir} 已在本进程中打开，不能重复打开。`);
  }
  const me = currentLockOwner();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      lockedHere.add(lockPath);
      return () => {
        lockedHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = parseLock(readOr(lockPath) ?? '');
      if (owner && ownerAlive(owner, me)) {
        throw new DataDirLockedError(
          `数据目录 ${dataDir} 正被另一个进程（pid ${owner.pid}）使用。嵌入式数据库只能由一个进程打开：` +
            `请先停止该进程，或用 DATA_DIR 指定另一个目录，或设置 DATABASE_URL 使用 PostgreSQL。`,
        );
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`无法锁定数据目录 ${dataDir}：另一个进程正在同时打开它`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // postgres.js
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/**
 * Why a database call failed, when it is the database's state and not the request: 'unavailable'
 * (cannot connect, connection lost, server shutting down, statement timeout), 'disk_full', or null.
 * Looks through wrappers (drizzle's query error keeps the driver's error as its cause).
 */
export function databaseFailure(err: unknown): 'unavailable' | 'disk_full' | null {
  for (
    let e = err as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code)) return 'unavailable';
    // SQLSTATE: 08 connection exception, 57P0x shutdown / cannot connect now, 53300 too many
    // connections, 57014 canceled (statement_timeout), 53100 disk full, ENOSPC from the file system.
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300' || code === '57014') {
      return 'unavailable';
    }
    if (code === '53100' || code === 'ENOSPC') return 'disk_full';
    const inner = Array.isArray(e.errors) ? e.errors.find((x) => databaseFailure(x)) : undefined;
    if (inner) return databaseFailure(inner);
    e = e.cause as typeof e;
  }
  return null;
}

export async function ping(db: Db, timeoutMs = 1_500): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('database ping timed out'), { code: 'CONNECT_TIMEOUT' })),
      timeoutMs,
    );
  });
  try {
    await Promise.race([db.execute(sql`select 1`), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
