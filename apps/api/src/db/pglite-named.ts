import { messages, type PGlite, parse, protocol, type Transaction } from '@electric-sql/pglite';

type QueryOptions = NonNullable<Parameters<PGlite['query']>[2]>;
type Results = Awaited<ReturnType<PGlite['query']>>;

const { serialize } = protocol;

/**
 * One statement text: its name on the PGlite session ('' for one planned on every call) and its
 * parameters' type OIDs.
 */
interface Named {
  name: string;
  types: number[];
}

/**
 * A statement whose LIMIT is a parameter is planned for its values on every call: the convention
 * of the issue list with a filter (services/issues/list-issues.ts), whose best plan depends on the
 * filter's value — kept as a named statement, PGlite kept a generic plan for it after five calls
 * that walks the whole zone for a rare status.
 */
const plannedPerCall = (text: string) => /\blimit \$\d+/i.test(text);

/** What PGlite's own query does to an error of the backend (it names the statement that failed). */
const blame = (err: unknown, query: string, params: unknown[], options: QueryOptions | undefined) => {
  if (err instanceof messages.DatabaseError) {
    Object.assign(err, { query, params, queryOptions: options });
  }
  return err;
};

/**
 * Makes every parameterised `query` of a PGlite client — the one drizzle is given, in and outside
 * transactions — run as a NAMED prepared statement, parsed once per SQL text: PGlite's own query
 * parses (and PostgreSQL plans) the text anew on every call, in six separate round trips into
 * WASM (Parse, Describe S, Bind, Describe P, Execute, Sync). Here the first call of a text sends
 * Parse(name) + Describe S + Sync to learn the parameter types; every call then sends one message
 * batch Bind(name) + Describe P + Execute + Sync. Everything else is PGlite's: the same locks
 * (the transaction lock, then the query lock; inside a transaction only the query lock, as its
 * `tx.query` does), the parameter serializers, `syncToFs` after a statement outside a transaction,
 * `parseResults` with the caller's options, notifications (PGlite's message reader hands them to
 * listeners while the batch runs, before the statement resolves) and the error (PGlite's
 * `DatabaseError`, with `query`, `params` and `queryOptions` set as PGlite sets them).
 *
 * Queries without parameters (drizzle's `sql.raw`, migrations, `exec`), with a blob, and
 * multi-statement text keep PGlite's own path. At most `max` texts are kept (least recently used
 * closed first). A statement whose plan a schema change invalidated is re-planned by PostgreSQL;
 * one whose result columns changed (`cached plan must not change result type`) is dropped and,
 * outside a transaction, run again once.
 */
export function namedStatements(client: PGlite, max = 300): PGlite {
  const cache = new Map<string, Named>();
  let serial = 0;
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);

  /** Closes a named statement of the session (evicted, or its plan no longer usable). */
  const close = (name: string) =>
    client.execProtocol(Buffer.concat([serialize.close({ type: 'S', name }), serialize.sync()]), {
      syncToFs: false,
    });

  const prepare = async (text: string, options: QueryOptions | undefined): Promise<Named> => {
    const name = plannedPerCall(text) ? '' : `gz_${++serial}`;
    const { messages: described } = await client.execProtocol(
      Buffer.concat([
        serialize.parse({ name, text, ...(options?.paramTypes ? { types: options.paramTypes } : {}) }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const named = { name, types: parse.parseDescribeStatementResults(described) };
    cache.set(text, named);
    if (cache.size > max) {
      const [oldText, old] = cache.entries().next().value as [string, Named];
      cache.delete(oldText);
      if (old.name) await close(old.name);
    }
    return named;
  };

  /** Runs under the query lock. */
  const run = async (text: string, params: unknown[], options: QueryOptions | undefined, inTx: boolean) => {
    let named = cache.get(text);
    if (named) {
      cache.delete(text); // most recently used last
      cache.set(text, named);
    } else {
      named = await prepare(text, options);
    }
    const types = named.types;
    const values = params.map((value, i) => {
      if (value == null) return null;
      const type = types[i] as number;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      return serializer ? serializer(value) : (value as { toString(): string }).toString();
    });
    const { messages: answer } = await client.execProtocol(
      Buffer.concat([
        // planned per call: the unnamed statement, parsed with the types its first Describe gave
        ...(named.name ? [] : [serialize.parse({ text, types })]),
        serialize.bind({ statement: named.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false, ...(options?.onNotice ? { onNotice: options.onNotice } : {}) },
    );
    if (!inTx) await client.syncToFs();
    return parse.parseResults(answer, client.parsers, options)[0] as Results;
  };

  const fast = async (
    text: string,
    params: unknown[],
    options: QueryOptions | undefined,
    inTx: boolean,
  ): Promise<Results> => {
    try {
      return await run(text, params, options, inTx);
    } catch (err) {
      const { code, message } = err as { code?: string; message?: string };
      if (code === '26000' || (code === '0A000' && /cached plan/.test(message ?? ''))) {
        // cached plan must not change result type / the statement is gone: parse it anew
        const named = cache.get(text);
        cache.delete(text);
        if (named?.name) await close(named.name).catch(() => {});
        if (!inTx) {
          try {
            return await run(text, params, options, inTx);
          } catch (again) {
            throw blame(again, text, params, options);
          }
        }
      }
      throw blame(err, text, params, options);
    }
  };

  const usable = (params: unknown[] | undefined, options: QueryOptions | undefined): params is unknown[] =>
    !!params && params.length > 0 && !options?.blob;

  client.query = (async (text: string, params?: unknown[], options?: QueryOptions) => {
    if (!usable(params, options)) return query(text, params, options);
    await client._checkReady();
    return client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(() => fast(text, params, options, false)),
    );
  }) as PGlite['query'];

  client.transaction = (async <T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const own = tx.query.bind(tx);
      const named: Transaction = Object.create(tx, {
        query: {
          value: async (text: string, params?: unknown[], options?: QueryOptions) => {
            if (!usable(params, options)) return own(text, params, options);
            if (tx.closed) throw new Error('Transaction is closed');
            return client._runExclusiveQuery(() => fast(text, params, options, true));
          },
        },
      });
      return callback(named);
    })) as PGlite['transaction'];

  return client;
}
