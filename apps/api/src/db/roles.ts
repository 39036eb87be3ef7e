import { sql } from 'drizzle-orm';
import type { Database } from './client';

/** Who the server is connected as, and what that role may do to the schema. */
export interface DatabaseRole {
  user: string;
  superuser: boolean;
  /** Tables of the public schema this role owns (an owner may ALTER, DROP and TRUNCATE them). */
  ownedTables: number;
}

/** PostgreSQL only: PGlite has a single all-powerful user, and nothing else to connect as. */
export async function databaseRole(database: Database): Promise<DatabaseRole | null> {
  if (database.kind !== 'postgres') return null;
  const result = await database.db.execute(sql`
    select current_user as "user",
      (select rolsuper from pg_roles where rolname = current_user) as superuser,
      (select count(*)::int from pg_tables where schemaname = 'public' and tableowner = current_user) as "ownedTables"`);
  // postgres.js answers the rows; PGlite an object holding them.
  const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as DatabaseRole[];
  return row ?? null;
}

/**
 * What to tell the operator at start in production: the records' triggers hold against a role that
 * cannot drop or disable them, which a superuser and an owner can (docs/security.md "Roles").
 */
export function databaseRoleWarning(role: DatabaseRole | null): string | null {
  if (!role) return null;
  const how =
    '请按 docs/operations.md“数据库角色”创建只能读写数据的应用角色，并用 MIGRATION_DATABASE_URL 以所有者角色运行迁移。';
  if (role.superuser) {
    return `警告：服务器以超级用户 ${role.user} 连接数据库：它可以删改任何记录、关闭保护留痕的触发器。${how}`;
  }
  if (role.ownedTables > 0) {
    return `警告：服务器连接数据库的角色 ${role.user} 拥有 ${role.ownedTables} 张表：它可以修改表结构、删除或清空表。${how}`;
  }
  return null;
}
