import { Invalid } from '@gongzhi/domain';
import { type AnyColumn, desc, type SQL, sql } from 'drizzle-orm';

/**
 * Keyset pagination on (created_at, id), newest first: a page costs the same however deep it is,
 * and rows never shift between pages. The cursor is opaque to clients.
 */
const encodeCursor = (createdAt: Date, id: string | number) =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad');
    return { createdAt, id };
  } catch {
    throw Invalid('invalid_cursor', '分页参数无效，请从第一页重新加载', [
      { path: 'querystring.cursor', message: '无效的 cursor' },
    ]);
  }
}

export function keyset(createdAt: AnyColumn, id: AnyColumn) {
  return {
    /** The condition for rows after the cursor (undefined on the first page). */
    after(cursor: string | undefined): SQL | undefined {
      if (!cursor) return undefined;
      const c = decodeCursor(cursor);
      return sql`(${createdAt}, ${id}) < (${c.createdAt.toISOString()}::timestamptz, ${c.id}::uuid)`;
    },
    orderBy: [desc(createdAt), desc(id)] as const,
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
