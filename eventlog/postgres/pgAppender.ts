/**
 * The writer of the PostgreSQL event log: each group of queued appends (group commit, as on
 * LevelDB) becomes one transaction holding the events, the projection rows, the checkpoints,
 * the callers' extra statements and a `NOTIFY`.
 *
 * **Global order.** A plain `bigserial` hands out numbers at insert time, but transactions
 * commit in any order: a reader could see position 8 committed while 7 is still in flight,
 * move its checkpoint past 7 and never see it. Here every appending transaction first takes
 * one transaction-scoped advisory lock (`pg_advisory_xact_lock`) and only then reads the head
 * and numbers its events head+1, head+2… The lock is released after the commit is visible, so
 * the next writer numbers from a head that includes it: positions are gap-free and become
 * visible strictly in order, and a reader that has seen position p has seen everything
 * before it. The price is one writer at a time across all processes; group commit is what
 * makes that cheap (one transaction, one WAL flush, for many users' appends). Emmett takes the
 * other road (any order of commits; each row stamped with `pg_current_xact_id()`, readers stop
 * below `pg_snapshot_xmin(pg_current_snapshot())`), which needs no lock but lets a long
 * transaction stall readers and leaves gaps; ours keeps readers to a plain
 * `WHERE global_position >= $1` over contiguous positions.
 *
 * **Expected versions.** Read under the same lock, so the check is exact; the unique
 * `(stream, stream_position)` constraint is the backstop should anything write without the
 * lock. A group that fails in the database (that constraint, an extra statement) is retried
 * one append at a time, so one caller's failure cannot sink the others.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ProjectionError, ProjectionsBehindError, VersionConflictError } from '../errors.ts';
import { Lru } from '../lru.ts';
import type { PendingTable } from '../pendingTable.ts';
import { storedEvents } from '../storedEvents.ts';
import type { EventRegistry } from '../registry.ts';
import type { AnyEvent, AppendResult, Envelope, EventLogLogger, ExpectedVersion, Projection } from '../types.ts';
import { loadMissed, MAX_PASSES, RowSource, writeRows } from './rowTables.ts';

/** One extra statement run in the append's transaction (e.g. deleting a data key). */
export interface SqlOp {
  text: string;
  values?: readonly unknown[];
}

/** An append waiting for the writer; events already validated. */
export interface PgPendingAppend<E extends AnyEvent> {
  stream: string;
  events: { type: string; v: number; data: unknown }[];
  expectedVersion: ExpectedVersion;
  correlationId: string;
  extraOps: readonly SqlOp[];
  /** Fixed before the first pass so that every pass builds the same envelopes. */
  eventIds: string[];
  resolve(result: AppendResult<E>): void;
  reject(err: unknown): void;
}

/** The outcome of one pass: rejections count only from the last pass, after the commit. */
interface Fold<E extends AnyEvent> {
  accepted: Accepted<E>[];
  rejected: Map<PgPendingAppend<E>, unknown>;
}

interface Accepted<E extends AnyEvent> {
  append: PgPendingAppend<E>;
  envelopes: Envelope<E>[];
  raws: string[];
  version: number;
}

/** What the writer shares with the rest of the store. */
export interface PgWriterContext {
  pool: pg.Pool;
  /** Quoted schema name. */
  schema: string;
  /** Key of the append lock (`hashtext` of it). */
  appendLock: string;
  channel: string;
  registry: EventRegistry<any>;
  projections: readonly Projection<any, any>[];
  now: () => Date;
  logger: EventLogLogger;
  /** Called with the new head once a group has committed. */
  committed(head: number): void;
}

/** Takes the append lock in `client`'s open transaction and returns the log head. */
export async function lockHead(client: pg.ClientBase, ctx: Pick<PgWriterContext, 'schema' | 'appendLock'>): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ctx.appendLock]);
  // A statement of its own, after the lock: under READ COMMITTED its snapshot includes the
  // transaction that held the lock before us.
  const { rows } = await client.query<{ head: string }>(`SELECT coalesce(max(global_position), -1)::text AS head FROM ${ctx.schema}.events`);
  return Number(rows[0]!.head);
}

/** Writes groups of appends; see the module comment. */
export class PgAppender<E extends AnyEvent> {
  readonly #caches: Lru<string, unknown>[];
  /** The head this process committed last (-2: unknown): the row caches are true only at it. */
  #cacheHead = -2;

  constructor(
    private readonly ctx: PgWriterContext,
    rowCacheSize: number,
  ) {
    this.#caches = ctx.projections.map(() => new Lru(rowCacheSize));
  }

  /** Forgets cached rows (after a rebuild). */
  dropCaches(): void {
    this.#cacheHead = -2;
    for (const c of this.#caches) c.clear();
  }

  /** Writes one group; settles every append in it and never throws. */
  readonly commitGroup = async (group: PgPendingAppend<E>[]): Promise<void> => {
    try {
      await this.#commit(group);
    } catch (err) {
      if (group.length > 1) {
        // Isolate the append that broke the transaction: each alone.
        for (const append of group) await this.commitGroup([append]);
        return;
      }
      const pgErr = err as { code?: string; constraint?: string };
      if (pgErr.code === '23505' && pgErr.constraint === 'events_stream_position') {
        const a = group[0]!;
        const actual = await this.#streamVersion(a.stream).catch(() => -1);
        a.reject(new VersionConflictError(a.stream, a.expectedVersion === 'any' ? actual : a.expectedVersion, actual));
        return;
      }
      // Only the code: a PostgreSQL error's detail may quote the values of a failed row.
      if (err instanceof ProjectionsBehindError) this.ctx.logger.error({ code: err.code, projections: err.projections }, 'event append refused');
      else this.ctx.logger.error({ code: pgErr.code, appends: group.length }, 'event append transaction failed');
      for (const append of group) append.reject(err);
    }
  };

  async #streamVersion(stream: string): Promise<number> {
    const { rows } = await this.ctx.pool.query<{ v: number | null }>(`SELECT max(stream_position) AS v FROM ${this.ctx.schema}.events WHERE stream = $1`, [stream]);
    return rows[0]?.v ?? -1;
  }

  async #commit(group: PgPendingAppend<E>[]): Promise<void> {
    const { schema, projections } = this.ctx;
    const client = await this.ctx.pool.connect();
    let fold: Fold<E> = { accepted: [], rejected: new Map() };
    let head: number;
    let sources: RowSource[] = [];
    let tables: PendingTable[] = [];
    try {
      await client.query('BEGIN');
      head = await lockHead(client, this.ctx);
      if (head !== this.#cacheHead) for (const c of this.#caches) c.clear();
      const streams = [...new Set(group.map((a) => a.stream))];
      const { rows } = await client.query<{ stream: string; version: number }>(
        `SELECT stream, max(stream_position) AS version FROM ${schema}.events WHERE stream = ANY($1::text[]) GROUP BY stream`,
        [streams],
      );
      const committedVersions = new Map(rows.map((r) => [r.stream, r.version]));
      const time = this.ctx.now().toISOString();
      sources = this.#caches.map((c) => new RowSource(c));
      for (let pass = 1; ; pass++) {
        tables = sources.map((s) => s.table());
        fold = this.#fold(group, head, committedVersions, tables, time);
        if (!(await loadMissed(client, schema, projections.map((p) => p.name), sources))) break;
        if (pass >= MAX_PASSES) throw new Error(`projections kept asking for new rows after ${MAX_PASSES} passes`);
      }
      if (fold.accepted.length === 0) {
        await client.query('ROLLBACK');
        for (const [append, err] of fold.rejected) append.reject(err);
        return;
      }
      const positions: string[] = [];
      const streamCol: string[] = [];
      const streamPositions: number[] = [];
      const records: string[] = [];
      const ends: boolean[] = [];
      for (const a of fold.accepted) {
        a.envelopes.forEach((env, i) => {
          positions.push(String(env.meta.globalPosition));
          streamCol.push(env.meta.stream);
          streamPositions.push(env.meta.streamPosition);
          records.push(a.raws[i]!);
          ends.push(i === a.envelopes.length - 1);
        });
      }
      const newHead = head + records.length;
      if (records.length > 0) {
        await client.query(
          `INSERT INTO ${schema}.events (global_position, stream, stream_position, record, append_end)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::boolean[])`,
          [positions, streamCol, streamPositions, records, ends],
        );
      }
      for (const [i, p] of projections.entries()) await writeRows(client, schema, p.name, tables[i]!.writes);
      if (projections.length > 0 && newHead !== head) {
        // Our rows are only right if every one of our tables was at the head we folded from:
        // an instance running other projections may have appended without them.
        const { rows: moved } = await client.query<{ projection: string }>(
          `UPDATE ${schema}.checkpoints c SET position = $3
             FROM unnest($1::text[], $2::int[]) AS p(name, version)
            WHERE c.projection = p.name AND c.version = p.version AND c.position = $4
          RETURNING c.projection`,
          [projections.map((p) => p.name), projections.map((p) => p.version), String(newHead), String(head)],
        );
        if (moved.length !== projections.length) {
          const ok = new Set(moved.map((r) => r.projection));
          throw new ProjectionsBehindError(projections.filter((p) => !ok.has(p.name)).map((p) => p.name));
        }
      }
      for (const a of fold.accepted) for (const op of a.append.extraOps) await client.query(op.text, op.values as unknown[] | undefined);
      // Delivered at commit, to every listening process: they then read from their position.
      if (newHead !== head) await client.query('SELECT pg_notify($1, $2)', [this.ctx.channel, String(newHead)]);
      await client.query('COMMIT');
      head = newHead;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    // Committed: the caches learn what was read and written, and are true at this head.
    sources.forEach((s, i) => {
      for (const [k, v] of s.loaded) s.cache.set(k, v);
      for (const [k, v] of tables[i]!.writes) s.cache.set(k, v);
    });
    this.#cacheHead = head;
    this.ctx.committed(head);
    for (const [append, err] of fold.rejected) append.reject(err);
    for (const a of fold.accepted) {
      a.append.resolve({ nextExpectedVersion: a.version, lastGlobalPosition: a.envelopes.at(-1)?.meta.globalPosition ?? head, events: a.envelopes });
    }
  }

  /**
   * One pass over the group: version checks, envelopes, projections. Rejections are only
   * recorded here (a later pass may decide differently once missing rows are loaded).
   */
  #fold(group: PgPendingAppend<E>[], head: number, committed: Map<string, number>, tables: PendingTable[], time: string): Fold<E> {
    const versions = new Map<string, number>();
    const accepted: Accepted<E>[] = [];
    const rejected = new Map<PgPendingAppend<E>, unknown>();
    let position = head;
    for (const append of group) {
      const current = versions.get(append.stream) ?? committed.get(append.stream) ?? -1;
      const expected = append.expectedVersion;
      if (expected !== 'any' && expected !== current) {
        rejected.set(append, new VersionConflictError(append.stream, expected, current));
        continue;
      }
      try {
        const stored = this.#envelopes(append, current, position, time);
        for (const t of tables) t.stage();
        for (const { env } of stored) this.#evolve(env, tables);
        for (const t of tables) t.commitStage();
        const version = current + stored.length;
        position += stored.length;
        versions.set(append.stream, version);
        accepted.push({ append, envelopes: stored.map((s) => s.env), raws: stored.map((s) => s.raw), version });
      } catch (err) {
        for (const t of tables) t.dropStage();
        rejected.set(append, err);
      }
    }
    return { accepted, rejected };
  }

  #envelopes(append: PgPendingAppend<E>, version: number, position: number, time: string): { raw: string; env: Envelope<E> }[] {
    return storedEvents<E>(this.ctx.registry, append, version, position, time, append.eventIds);
  }

  #evolve(env: Envelope<E>, tables: PendingTable[]): void {
    this.ctx.projections.forEach((p, i) => {
      try {
        p.evolve(env, tables[i]!);
      } catch (err) {
        throw new ProjectionError(p.name, env.type, env.meta.globalPosition, { cause: err });
      }
    });
  }
}

/** Fresh ids for an append's events. */
export const eventIdsFor = (n: number): string[] => Array.from({ length: n }, () => randomUUID());
