import { keptFor } from '@gongzhi/domain';
import { Column, eq, getTableColumns, getTableName, is, type Placeholder, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgDialect, PgSession, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from './client';

const built = new WeakMap<object, Map<string, unknown>>();

/**
 * A drizzle statement built once per database handle and key (`.prepare(name)` over
 * `sql.placeholder`s), afterwards only executed. Building a select — its selection, conditions
 * and parameters — was a fifth of the API's CPU on the reads (issue 19). The key must name
 * everything that changes the statement's text, and the set of keys must be bounded.
 */
export function preparedOn<T>(db: Db, key: string, build: () => T): T {
  return builtOnce(built, db, key, build);
}

/** The statement under this owner and key, built (and its row mapping compiled) on first use. */
function builtOnce<T>(
  cache: WeakMap<object, Map<string, unknown>>,
  owner: object,
  key: string,
  build: () => T,
): T {
  return keptFor(cache, owner, key, () => {
    const statement = build();
    compileRowMapper(statement);
    return statement;
  }) as T;
}

const builtIn = new WeakMap<object, Map<string, unknown>>();

/** What a drizzle database or transaction keeps that this module needs (drizzle's own fields). */
interface Handle {
  dialect: object;
  session: { client: unknown };
}

/**
 * preparedOn for statements that also run inside transactions: built once per database (its
 * dialect, which the database and all its transactions share) and key, then run on the given
 * handle's own connection — the transaction's, so it sees and locks what the transaction does. The
 * statements of a write (issue 19: a task step, a complaint) were built by drizzle on every call,
 * which was most of their server CPU.
 */
export function preparedIn<T extends object>(db: Db | Tx, key: string, build: () => T): T {
  const handle = db as unknown as Handle;
  const statement = builtOnce(builtIn, handle.dialect, key, build);
  // Both drivers' prepared queries run on `this.client`: the same statement on this connection.
  return Object.create(statement, { client: { value: handle.session.client } }) as T;
}

/**
 * A statement written in SQL (what `db.execute(sql\`…\`)` runs), built once per database and key
 * with `sql.placeholder`s for its values, run on the handle's connection. Its values are not
 * encoded by any column: pass them as the driver takes them (strings for timestamps and uuids).
 * The answer is the driver's, as `db.execute`'s is (services read it through `rowsOf`).
 */
export function preparedSql(db: Db | Tx, key: string, build: () => SQL) {
  return preparedIn(db, `sql:${key}`, () => {
    const handle = db as unknown as { dialect: PgDialect; session: PgSession };
    return handle.session.prepareQuery(handle.dialect.sqlToQuery(build()), undefined, key, false);
  });
}

const constants = new WeakSet<SQL>();
const NULL = sql`null`;

/**
 * An SQL fragment that is the same on every call (its values, if any, are placeholders): the only
 * kind of SQL value `placeholdersOf` takes, because the shape of a statement names its keys only.
 */
export function constantSql(fragment: SQL): SQL {
  constants.add(fragment);
  return fragment;
}

/**
 * A row of values (an insert's values, an update's set) → the same row with a placeholder for each
 * plain value, the values to fill in, and the shape (the keys given, and which are null): what
 * preparedIn needs to build the statement once per shape. `undefined` leaves a key out, as drizzle
 * does; null is written as SQL NULL; an SQL value must be a constantSql.
 */
export function placeholdersOf(row: Record<string, unknown>, prefix = '') {
  const out: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const keys: string[] = [];
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    if (value === null) {
      // A placeholder's value goes through the column's encoder, which does not take null (a
      // timestamp's calls toISOString, a json column's would write the JSON text "null").
      keys.push(`${key}=null`);
      out[key] = NULL;
      continue;
    }
    keys.push(key);
    if (is(value, SQL)) {
      if (!constants.has(value)) throw new Error(`placeholdersOf: "${key}" is SQL that is not a constantSql`);
      out[key] = value;
    } else {
      out[key] = sql.placeholder(prefix + key);
      values[prefix + key] = value;
    }
  }
  return { row: out, values, shape: keys.join(',') };
}

/**
 * `INSERT … RETURNING *` of these rows, built once per key, number of rows and shape
 * (placeholdersOf), run on the handle's connection.
 */
export async function insertReturning<T extends PgTable>(
  db: Db | Tx,
  table: T,
  key: string,
  rows: T['$inferInsert'][],
): Promise<T['$inferSelect'][]> {
  const built = rows.map((row, i) => placeholdersOf(row as Record<string, unknown>, `r${i}_`));
  const statement = preparedIn(db, `insert:${key}:${built.map((b) => b.shape).join(';')}`, () =>
    db
      .insert(table as never)
      .values(built.map((b) => b.row) as never)
      .returning()
      .prepare(key),
  );
  return (await statement.execute(Object.assign({}, ...built.map((b) => b.values)))) as T['$inferSelect'][];
}

/**
 * `UPDATE … SET … WHERE id = … RETURNING *`, built once per key and shape of the SET
 * (placeholdersOf; `extra` fills the placeholders of its constantSql values), run on the handle's
 * connection.
 */
export async function updateByIdReturning<T extends PgTable & { id: PgColumn }>(
  db: Db | Tx,
  table: T,
  key: string,
  id: string,
  set: Partial<Record<keyof T['$inferInsert'], unknown>>,
  extra: Record<string, unknown> = {},
): Promise<T['$inferSelect'][]> {
  const built = placeholdersOf(set, 'set_');
  const statement = preparedIn(db, `update:${key}:${built.shape}`, () =>
    db
      .update(table as never)
      .set(built.row as never)
      .where(eq(table.id, sql.placeholder('id')))
      .returning()
      .prepare(key),
  );
  return (await statement.execute({ ...built.values, ...extra, id })) as T['$inferSelect'][];
}

/** What a drizzle prepared select carries (both drivers' PgPreparedQuery; not in its types). */
interface PreparedSelect {
  fields?: { path: string[]; field: unknown }[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/** The decoder drizzle's own row mapping (`mapResultRow`) picks for a selected field. */
function decoderOf(field: unknown): Decoder {
  // `decoder` is internal to drizzle's SQL (`.mapWith()` sets it).
  type WithDecoder = { decoder: Decoder };
  if (is(field, Column)) return field;
  if (is(field, SQL)) return (field as unknown as WithDecoder).decoder;
  if (is(field, SQL.Aliased)) return (field.sql as unknown as WithDecoder).decoder;
  return (field as { _: { sql: WithDecoder } })._.sql.decoder; // a subquery
}

/**
 * Gives a prepared select the row mapping drizzle's `mapResultRow` does, worked out once instead
 * of on every row: drizzle resolves each field's decoder (`is()` checks) and walks its path anew
 * for every value of every row, a tenth of the list's server time. Same objects: the same keys in
 * the same order, each value through the same decoder, null as null. Only selections of plain
 * fields and objects one level deep whose table cannot be missing (the base table or an inner
 * join) are compiled; drizzle turns a left-joined object whose columns are all null into null,
 * so a selection with such an object keeps drizzle's own mapping.
 */
export function compileRowMapper(statement: unknown): void {
  const query = statement as PreparedSelect;
  const fields = query.fields;
  if (!Array.isArray(fields) || query.customResultMapper) return;
  for (const { path, field } of fields) {
    if (path.length > 2) return;
    if (path.length === 2 && is(field, Column) && !query.joinsNotNullableMap?.[getTableName(field.table)])
      return;
  }
  const columns = fields.map(({ path, field }) => ({
    object: path.length === 2 ? path[0]! : null,
    key: path[path.length - 1]!,
    decoder: decoderOf(field),
  }));
  query.customResultMapper = (rows) =>
    rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const { object, key, decoder } = columns[i]!;
        const raw = row[i];
        const value = raw === null ? null : decoder.mapFromDriverValue(raw);
        if (object === null) {
          out[key] = value;
          continue;
        }
        let node = out[object] as Record<string, unknown> | undefined;
        if (!node) {
          node = {};
          out[object] = node;
        }
        node[key] = value;
      }
      return out;
    });
}

/**
 * The placeholders of a statement whose shape depends on the request (which filters are given):
 * `bind(name, value)` records the value and stands for it in the conditions, and `shape` names
 * the statement for preparedOn.
 */
export function binder() {
  const values: Record<string, unknown> = {};
  const names: string[] = [];
  return {
    values,
    bind: <T>(name: string, value: T): T | Placeholder => {
      values[name] = value;
      names.push(name);
      return sql.placeholder(name);
    },
    /** A condition without a value that changes the statement (e.g. "not hidden"). */
    mark: (name: string) => {
      names.push(`!${name}`);
    },
    shape: () => names.join(','),
  };
}
export type Binder = ReturnType<typeof binder>;

/**
 * A LIMIT written into a prepared statement's text, for `.limit()` (drizzle sends a number as a
 * parameter). PostgreSQL cannot see a parameter when it costs the plan it keeps for a prepared
 * statement (the generic plan) and takes `LIMIT $n` for a tenth of the rows, so beside a plan
 * made for the actual values (which stops after n rows) the generic plan looks dear and is never
 * kept: every execution was planned again (docs/benchmarks.md, "Plans of the prepared reads").
 * Written as a literal, it is costed as what it is. The statement's key must name n, and n must
 * come from a small bounded set (a validated page size).
 */
export function limitLiteral(n: number): Placeholder {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`limitLiteral: ${n} is not a row count`);
  // drizzle writes an object given to .limit() into the text as it is (an SQL chunk here); its type
  // names only numbers and placeholders.
  return sql.raw(String(n)) as unknown as Placeholder;
}

/** How a condition written for both uses takes a value: as itself, or as a placeholder. */
export type Bind = <T>(name: string, value: T) => T | Placeholder;
export const literal: Bind = (_name, value) => value;

/**
 * A table's rows as `to_json` / `json_agg` wrote them (keys are column names) → the objects a
 * drizzle select gives: each value through its column's own decoder (timestamps to Date, arrays,
 * numbers); json and jsonb values arrive parsed and stay as they are.
 */
export function jsonRows<T extends PgTable>(table: T) {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const json = column.columnType === 'PgJson' || column.columnType === 'PgJsonb';
    return { key, name: column.name, decode: json ? null : (v: unknown) => column.mapFromDriverValue(v) };
  });
  return (value: unknown): T['$inferSelect'][] => {
    const rows = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as Record<string, unknown>[];
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const { key, name, decode } of columns) {
        const v = row[name] ?? null;
        out[key] = v === null || !decode ? v : decode(v);
      }
      return out as T['$inferSelect'];
    });
  };
}
