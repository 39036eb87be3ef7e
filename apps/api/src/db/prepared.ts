import { getTableColumns, type Placeholder, sql } from 'drizzle-orm';
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
    statements.set(key, statement);
  }
  return statement;
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
