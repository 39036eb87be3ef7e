import type { Principal } from '../services/context';

/** The channel drizzle/0030_principal_changes.sql's triggers notify on. */
export const PRINCIPAL_CHANNEL = 'gongzhi_principal';

/** How many sessions' principals are kept (least recently used dropped first). */
const PRINCIPAL_CACHE_SIZE = 10_000;

interface Entry {
  principal: Readonly<Principal>;
  /** The session's expires_at, in ms (the database keeps µs: this is at most that instant). */
  expiresAtMs: number;
}

/**
 * The principal behind each session, kept between requests — only on the embedded database
 * (PGlite), where the database and its one session live in this process (the data directory is
 * locked to it: db/client.ts lockDataDir), so every change to what a principal was read from goes
 * through this process and is told to it before the change's statement resolves:
 * drizzle/0030_principal_changes.sql's triggers notify PRINCIPAL_CHANNEL for every UPDATE, DELETE
 * or TRUNCATE that can alter or end a principal, and PGlite calls the listener (a microtask queued
 * while it runs the committing statement) before that statement's promise resolves, so before the
 * request that made the change answers. On PostgreSQL several instances share the database and a
 * notification arrives whenever the connection reads it: there the session is read on every
 * request (plugins/auth.ts gets no cache).
 *
 * Exactness:
 *  - `invalidate` drops the entries a notification names ('s:<session>', 'a:<account>', '*': all);
 *  - every invalidation moves `generation`: a read that began before it (its result possibly read
 *    before the change) is not stored (`store` is given the generation its read began in);
 *  - a hit is served only while the clock is before the session's expiry (the database compares
 *    `expires_at > now`); at or after the kept instant the database is asked again, so no entry
 *    outlives its session and the answer at the edge is the database's own;
 *  - only principals are kept: a session the database refuses is asked about again each time.
 */
export class PrincipalCache {
  readonly #entries = new Map<string, Entry>();
  #generation = 0;

  constructor(readonly capacity = PRINCIPAL_CACHE_SIZE) {}

  /** Pass to `store`: taken before the read whose result is stored. */
  get generation(): number {
    return this.#generation;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The session's principal (a copy) while it is kept and the session has not expired at `nowMs`. */
  get(sessionId: string, nowMs: number): Principal | undefined {
    const entry = this.#entries.get(sessionId);
    if (!entry) return undefined;
    if (!(nowMs < entry.expiresAtMs)) {
      this.#entries.delete(sessionId);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.#entries.delete(sessionId);
    this.#entries.set(sessionId, entry);
    return { ...entry.principal };
  }

  /** Keeps a principal read in `generation`, unless something was invalidated since. */
  store(principal: Principal, expiresAt: Date, generation: number): void {
    if (generation !== this.#generation) return;
    const { sessionId } = principal;
    this.#entries.delete(sessionId);
    this.#entries.set(sessionId, {
      principal: Object.freeze({ ...principal }),
      expiresAtMs: expiresAt.getTime(),
    });
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /**
   * A notification's payload: 's:<session id>', 'a:<account id>'; anything else, or null
   * (notifications may have been lost: Database.listen), drops all.
   */
  invalidate(payload: string | null): void {
    this.#generation++;
    const id = payload?.slice(2) ?? '';
    if (payload?.startsWith('s:')) {
      this.#entries.delete(id);
    } else if (payload?.startsWith('a:')) {
      for (const [sessionId, entry] of this.#entries) {
        if (entry.principal.accountId === id) this.#entries.delete(sessionId);
      }
    } else {
      this.#entries.clear();
    }
  }
}
