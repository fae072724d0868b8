/**
 * `openPostgresEventStore`: the event log on PostgreSQL, for several bot processes sharing
 * one log. Same contract as the embedded LevelDB store (`EventLog`, checked by the shared
 * suite in `test/eventlog/contract/`): the same registry validates appends and decodes the
 * same record format, the same projections run inline – here in the append's transaction.
 *
 * Tables live in one schema (default `eventlog`), created and migrated at open
 * (`migrations.ts`). See `pgAppender.ts` for how the global order is kept, `rowTables.ts` for
 * how `evolve`'s synchronous reads are served, `subscriptions.ts` for LISTEN/NOTIFY.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { StoreClosedError } from '../errors.ts';
import { GroupCommitQueue } from '../groupCommit.ts';
import { positionKey, STREAM_NAME } from '../keys.ts';
import { checkProjections } from '../projections.ts';
import type { EventRegistry } from '../registry.ts';
import type { AnyEvent, AppendResult, Envelope, EventLog, EventLogLogger, EventLogOptions, Projection, ReadonlyTable } from '../types.ts';
import { migrate } from './migrations.ts';
import { eventIdsFor, PgAppender, type PgPendingAppend, type SqlOp } from './pgAppender.ts';
import { catchUpTables, rebuildTables, verifyTables } from './pgProjections.ts';
import { readEvents } from './reads.ts';
import { quoteIdent } from './sql.ts';
import { Subscriptions } from './subscriptions.ts';

/** Options of {@link openPostgresEventStore}. Give exactly one of `connectionString` and `pool`. */
export interface OpenPostgresEventStoreOptions<E extends AnyEvent> extends EventLogOptions<E> {
  /** `postgres://…` (e.g. `DATABASE_URL`); the store opens a pool and ends it on `close()`. */
  connectionString?: string;
  /** A pool the caller owns (and ends). */
  pool?: pg.Pool;
  /** Schema of the store's tables (default `eventlog`), lower-case identifier. */
  schema?: string;
  /** Subscriptions re-read the log this often even without a notification (default 5000 ms). */
  pollIntervalMs?: number;
}

/** The PostgreSQL event log; extra writes of an append are SQL statements ({@link SqlOp}). */
export interface PostgresEventStore<E extends AnyEvent = AnyEvent> extends EventLog<E, SqlOp> {
  /** The pool: other tables (the vault, the `file_id` cache) can be written in an append's transaction through `extraOps`. */
  readonly pool: pg.Pool;
  /** The quoted schema name, for `extraOps` written by other modules. */
  readonly schema: string;
  /** Global position of the last event, -1 when the log is empty (read from the database). */
  headPosition(): Promise<number>;
}

const silent: EventLogLogger = { info() {}, warn() {}, error() {} };

function checkStream(stream: string): void {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream)) {
    throw new TypeError(`stream name must match ${STREAM_NAME} (got ${JSON.stringify(String(stream).slice(0, 40))})`);
  }
}


/**
 * Opens the store: applies missing migrations, brings every projection to the head, and
 * starts taking appends.
 *
 * @example
 * const store = await openPostgresEventStore({ connectionString: config.databaseUrl, registry, projections: [linkState] });
 * await store.appendToStream('link-42', [LoginStarted.of({ ... })], { expectedVersion: NO_STREAM });
 */
export async function openPostgresEventStore<E extends AnyEvent>(options: OpenPostgresEventStoreOptions<E>): Promise<PostgresEventStore<E>> {
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw new TypeError('openPostgresEventStore needs exactly one of `connectionString` and `pool`');
  }
  const projections = options.projections ?? [];
  checkProjections(projections);
  const schemaName = options.schema ?? 'eventlog';
  const schema = quoteIdent(schemaName);
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: 10 });
  const logger = options.logger ?? silent;
  // An idle client that errors (server restart) must not crash the process.
  const onPoolError = (err: Error & { code?: string }) => logger.warn({ code: err.code }, 'idle PostgreSQL connection failed');
  pool.on('error', onPoolError);
  try {
    const applied = await migrate(pool, schemaName);
    if (applied.length > 0) logger.info({ schema: schemaName, migrations: applied }, 'event log migrated');
    const ctx = { schema, appendLock: `eventlog:append:${schemaName}`, registry: options.registry };
    const report = await catchUpTables(pool, ctx, projections);
    if (report) logger.info({ projections: report.projections, events: report.events, ms: report.ms }, 'projections rebuilt at open');
    // Where a subscription without `from` starts until this store learns of a later head.
    const { rows } = await pool.query<{ head: string }>(`SELECT coalesce(max(global_position), -1)::text AS head FROM ${schema}.events`);
    return createStore(options, pool, ownsPool, schemaName, schema, projections, logger, onPoolError, Number(rows[0]!.head));
  } catch (err) {
    if (ownsPool) await pool.end().catch(() => {});
    else pool.off('error', onPoolError);
    throw err;
  }
}

function createStore<E extends AnyEvent>(
  options: OpenPostgresEventStoreOptions<E>,
  pool: pg.Pool,
  ownsPool: boolean,
  schemaName: string,
  schema: string,
  projections: readonly Projection<E, any>[],
  logger: EventLogLogger,
  onPoolError: (err: Error) => void,
  headAtOpen: number,
): PostgresEventStore<E> {
  const registry = options.registry;
  const appendLock = `eventlog:append:${schemaName}`;
  const channel = `eventlog_${schemaName}`;
  let closed = false;
  /** The highest head this store has seen: where a subscription without `from` starts. */
  let knownHead = headAtOpen;
  const subscriptions = new Subscriptions<E>({
    pool,
    clientConfig: (pool as unknown as { options: pg.ClientConfig }).options,
    schema,
    channel,
    registry,
    logger,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
  });
  const appender = new PgAppender<E>(
    {
      pool,
      schema,
      appendLock,
      channel,
      registry,
      projections,
      now: options.now ?? (() => new Date()),
      logger,
      committed(head) {
        knownHead = Math.max(knownHead, head);
        // Our own subscribers need not wait for the notification's round trip.
        subscriptions.wake();
      },
    },
    options.rowCacheSize ?? 10_000,
  );
  const queue = new GroupCommitQueue(appender.commitGroup, options.maxGroupSize ?? 2000);
  const foldCtx = { schema, appendLock, registry };
  const guard = (): void => {
    if (closed) throw new StoreClosedError();
  };
  const select = (names?: readonly string[]): Projection<E, any>[] =>
    names === undefined
      ? [...projections]
      : names.map((n) => {
          const p = projections.find((x) => x.name === n);
          if (!p) throw new TypeError(`unknown projection ${n}`);
          return p;
        });
  const head = async (): Promise<number> => {
    const { rows } = await pool.query<{ head: string }>(`SELECT coalesce(max(global_position), -1)::text AS head FROM ${schema}.events`);
    knownHead = Math.max(knownHead, Number(rows[0]!.head));
    return Number(rows[0]!.head);
  };

  return {
    registry,
    pool,
    schema,

    appendToStream(stream, events, opts) {
      return new Promise<AppendResult<E>>((resolve, reject) => {
        guard();
        checkStream(stream);
        const expected = opts.expectedVersion;
        if (expected !== 'any' && !(Number.isSafeInteger(expected) && expected >= -1)) {
          throw new TypeError('expectedVersion must be an integer >= -1 or "any"');
        }
        // Validated before queueing, exactly as on LevelDB: a bad event never holds up others.
        const validated = events.map((e) => registry.validate(e));
        for (const op of opts.extraOps ?? []) {
          if (typeof op?.text !== 'string') throw new TypeError('extraOps must be SQL statements { text, values? }');
        }
        const pending: PgPendingAppend<E> = {
          stream,
          events: validated,
          expectedVersion: expected,
          correlationId: opts.correlationId ?? randomUUID(),
          extraOps: opts.extraOps ?? [],
          eventIds: eventIdsFor(validated.length),
          resolve,
          reject,
        };
        queue.push(pending);
      });
    },

    async readStream(stream, range = {}) {
      guard();
      checkStream(stream);
      const { rows } = await pool.query<{ p: string; record: string }>(
        `SELECT global_position::text AS p, record FROM ${schema}.events
           WHERE stream = $1 AND stream_position >= $2 AND stream_position <= $3 ORDER BY stream_position`,
        [stream, Math.max(0, range.from ?? 0), range.to ?? 2 ** 31 - 1],
      );
      return rows.map((r) => registry.decode(r.record, positionKey(Number(r.p)), Number(r.p)) as Envelope<E>);
    },

    readAll(fromGlobalPosition = 0) {
      guard();
      return readEvents(pool, schema, registry, fromGlobalPosition);
    },

    async streamVersion(stream) {
      guard();
      checkStream(stream);
      const { rows } = await pool.query<{ v: number | null }>(`SELECT max(stream_position) AS v FROM ${schema}.events WHERE stream = $1`, [stream]);
      return rows[0]?.v ?? -1;
    },

    headPosition() {
      guard();
      return head();
    },

    subscribe(listener, opts) {
      guard();
      // Without `from`: after the last head this store knows of (at open, its own commits,
      // its reads). Every append committed after this call lies beyond it.
      return subscriptions.add(opts?.from ?? knownHead + 1, listener);
    },

    table<V>(name: string): ReadonlyTable<V> {
      select([name]);
      return {
        async get(key) {
          const { rows } = await pool.query<{ value: V }>(`SELECT value FROM ${schema}.projection_rows WHERE projection = $1 AND key = $2`, [name, key]);
          return rows[0]?.value;
        },
        async *entries(range = {}) {
          let gte = range.gte ?? '';
          let left = range.limit ?? Infinity;
          let first = true;
          while (left > 0) {
            const { rows } = await pool.query<{ key: string; value: V }>(
              `SELECT key, value FROM ${schema}.projection_rows WHERE projection = $1 AND key ${first ? '>=' : '>'} $2
                 AND ($3::text IS NULL OR key < $3) ORDER BY key LIMIT $4`,
              [name, gte, range.lt ?? null, Math.min(left, 1000)],
            );
            for (const r of rows) yield [r.key, r.value] as [string, V];
            if (rows.length < Math.min(left, 1000)) return;
            left -= rows.length;
            gte = rows.at(-1)!.key;
            first = false;
          }
        },
      };
    },

    rebuild(names) {
      guard();
      const chosen = select(names);
      return queue.exclusive(async () => {
        try {
          return await rebuildTables(pool, foldCtx, chosen);
        } finally {
          appender.dropCaches();
        }
      });
    },

    verify(names) {
      guard();
      return verifyTables(pool, foldCtx, select(names));
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.drained();
      await subscriptions.close();
      if (ownsPool) await pool.end();
      else pool.off('error', onPoolError);
    },
  };
}
