import { Column, getTableColumns, getTableName, is, type Placeholder, SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './client';

const built = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle statement built once per database handle and key (`.prepare(name)` over
 * `sql.placeholder`s), afterwards only executed. Building a select — its selection, conditions
 * and parameters — was a fifth of the API's CPU on the reads (issue 19). The key must name
 * everything that changes the statement's text, and the set of keys must be bounded.
 */
export function preparedOn<T>(db: Db, key: string, build: () => T): T {
  let statements = built.get(db);
  if (!statements) {
    statements = new Map();
    built.set(db, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    compileRowMapper(statement);
    statements.set(key, statement);
  }
  return statement;
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
