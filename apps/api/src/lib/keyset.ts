import { Invalid } from '@gongzhi/domain';
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { type Bind, literal } from '../db/prepared';

/**
 * Keyset pagination on (created_at, id), newest first: a page costs the same however deep it is,
 * and rows never shift between pages. The cursor is opaque to clients.
 */
const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

/** Exactly what encodeCursor writes: an ISO instant in milliseconds and a lower-case uuid or a serial. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Far beyond any row and well inside what PostgreSQL's timestamptz and JavaScript's Date hold. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

const invalidCursor = () =>
  Invalid('invalid_cursor', '分页参数无效，请从第一页重新加载', [
    { path: 'querystring.cursor', message: '分页位置无效' },
  ]);

/**
 * A cursor back into its instant and id, strictly: anything encodeCursor could not have written
 * (another shape, a bad date, an id that is not a uuid) is a 400, never a database error.
 */
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || !INSTANT.test(at) || typeof id !== 'string' || !UUID.test(id)) {
    throw invalidCursor();
  }
  const createdAt = new Date(at);
  const time = createdAt.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST || createdAt.toISOString() !== at) {
    throw invalidCursor();
  }
  return { createdAt, id };
}

export function keyset(createdAt: AnyColumn, id: AnyColumn) {
  return {
    /**
     * The condition for rows after the cursor (undefined on the first page). `bind` lets a
     * prepared statement take the cursor's values as placeholders (db/prepared.ts).
     */
    after(cursor: string | undefined, bind: Bind = literal): SQL | undefined {
      return this.afterLater(cursor, bind)?.();
    },
    /**
     * `after` for a statement prepared once (db/prepared.ts): the cursor is checked and its values
     * bound now; the SQL is written only when the returned function is called, which a request
     * whose statement is already built never does.
     */
    afterLater(cursor: string | undefined, bind: Bind = literal): (() => SQL) | undefined {
      if (!cursor) return undefined;
      const c = decodeCursor(cursor);
      const at = bind('afterAt', c.createdAt.toISOString());
      const after = bind('afterId', c.id);
      return () => sql`(${createdAt}, ${id}) < (${at}::timestamptz, ${after}::uuid)`;
    },
    /**
     * NULLS LAST, as the indexes are declared (drizzle's `.desc()` in an index writes DESC NULLS
     * LAST, while `desc()` in ORDER BY leaves PostgreSQL's default for DESC, NULLS FIRST): only an
     * ORDER BY that matches the index exactly lets the planner walk it and stop after a page.
     */
    orderBy: [sql`${createdAt} desc nulls last`, sql`${id} desc nulls last`] as const,
    /** Fetch limit + 1 rows; this cuts the page and makes the next cursor. */
    page<T extends { createdAt: Date; id: string }>(rows: T[], limit: number) {
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
      };
    },
  };
}
