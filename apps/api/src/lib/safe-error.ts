import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * An error as the log may show it. Database errors carry the values of the failed statement —
 * drizzle's message lists every parameter, postgres.js and PGlite keep them on the error, and
 * PostgreSQL's `detail` repeats a conflicting key — which are residents' phones, names and
 * descriptions. Those are dropped: a database error is logged with the statement text (with its
 * $n placeholders), the SQLSTATE and the names of the table, column and constraint, never a value.
 * Used as the logger's `err` serializer, so every `log.x({ err })` goes through it.
 */
export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [key: string]: unknown;
}

export function serializeError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: typeof err, message: '(not an Error)', stack: '' };
  if (err instanceof DrizzleQueryError) {
    return {
      type: 'DrizzleQueryError',
      message: 'Failed query',
      query: err.query,
      stack: frames(err.stack),
      ...(err.cause !== undefined && depth < 5 ? { cause: serializeError(err.cause, depth + 1) } : {}),
    };
  }
  if (isDatabaseError(err)) return databaseError(err);
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  return {
    type: err.constructor?.name ?? 'Error',
    message: err.message,
    stack: err.stack ?? '',
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(err.cause !== undefined && depth < 5 ? { cause: serializeError(err.cause, depth + 1) } : {}),
  };
}

/** postgres.js's PostgresError and PGlite's DatabaseError both carry PostgreSQL's `severity`. */
function isDatabaseError(err: Error): boolean {
  const e = err as { severity?: unknown; code?: unknown };
  return typeof e.severity === 'string' && typeof e.code === 'string';
}

function databaseError(err: Error): LoggedError {
  const e = err as unknown as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.map((k) => e[k]).find((v) => typeof v === 'string');
  return {
    type: err.constructor?.name ?? 'DatabaseError',
    // PostgreSQL quotes the offending value in some messages (`invalid input syntax for type
    // uuid: "…"`); identifiers lose nothing that table/column/constraint do not say.
    message: err.message.replace(/"[^"]*"/g, '"…"'),
    code: e.code,
    severity: e.severity,
    routine: pick('routine'),
    table: pick('table_name', 'table'),
    column: pick('column_name', 'column'),
    constraint: pick('constraint_name', 'constraint'),
    stack: frames(err.stack),
  };
}

/** The call frames of a stack, without its first line (which repeats the message). */
const frames = (stack: string | undefined) =>
  (stack ?? '')
    .split('\n')
    .filter((l) => l.startsWith('    at '))
    .join('\n');
