/**
 * Rebuild, verify and the open-time catch-up of inline projections on PostgreSQL.
 *
 * A rebuild is one transaction that holds the append lock: the chosen tables are cleared,
 * the whole log is folded into memory and the rows and checkpoints written, then it commits.
 * Appends of every process wait meanwhile, and a crash or error leaves the old tables as they
 * were – no "rebuild in progress" marker is needed, unlike on LevelDB. The rows of the chosen
 * tables are held in memory until the end (fine for this bot's tables; a log whose tables
 * outgrow memory would need flushing into the transaction as LevelDB's rebuild does).
 *
 * `verify` folds the log the same way inside a REPEATABLE READ transaction, so the events and
 * the live rows it compares come from one snapshot, and takes no lock: appends go on.
 *
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { ProjectionError } from '../errors.ts';
import { PendingTable } from '../pendingTable.ts';
import type { EventRegistry } from '../registry.ts';
import type { Envelope, Projection, RebuildReport, TableDifference } from '../types.ts';
import { lockHead } from './pgAppender.ts';
import { writeRows } from './rowTables.ts';
import { readEvents } from './reads.ts';
import { inTransaction } from './sql.ts';

/** What a fold needs: the quoted schema, the append lock's name and the registry. */
export interface FoldContext {
  schema: string;
  appendLock: string;
  registry: EventRegistry<any>;
}

/** Folds events `0..head` into fresh in-memory tables, one per projection. */
async function foldLog(client: pg.ClientBase, ctx: FoldContext, chosen: readonly Projection<any, any>[], head: number, check: 'trusted' | 'full'): Promise<{ tables: PendingTable[]; events: number }> {
  const tables = chosen.map(() => new PendingTable(() => undefined));
  let events = 0;
  for await (const env of readEvents(client, ctx.schema, ctx.registry, 0, head, check)) {
    chosen.forEach((p, i) => {
      try {
        p.evolve(env as Envelope, tables[i]!);
      } catch (err) {
        throw new ProjectionError(p.name, env.type, env.meta.globalPosition, { cause: err });
      }
    });
    events++;
  }
  return { tables, events };
}

/**
 * Clears the chosen tables and replays the whole log into them inside the caller's open
 * transaction on `client` (taking the append lock, which a transaction may hold twice). For a
 * caller whose own writes must commit together with the rebuilt tables – an import of a
 * whole log – so that no reader ever sees the log without its tables.
 */
export async function rebuildTablesIn(client: pg.ClientBase, ctx: FoldContext, chosen: readonly Projection<any, any>[]): Promise<RebuildReport> {
  const started = performance.now();
  const head = await lockHead(client, ctx);
  const names = chosen.map((p) => p.name);
  await client.query(`DELETE FROM ${ctx.schema}.projection_rows WHERE projection = ANY($1::text[])`, [names]);
  const { tables, events } = await foldLog(client, ctx, chosen, head, 'trusted');
  for (const [i, p] of chosen.entries()) await writeRows(client, ctx.schema, p.name, tables[i]!.writes);
  await client.query(
    `INSERT INTO ${ctx.schema}.checkpoints (projection, version, position)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
     ON CONFLICT (projection) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position`,
    [names, chosen.map((p) => p.version), chosen.map(() => String(head))],
  );
  return { projections: names, events, ms: performance.now() - started };
}

/** Clears the chosen tables and replays the whole log into them, in one transaction. */
export function rebuildTables(pool: pg.Pool, ctx: FoldContext, chosen: readonly Projection<any, any>[]): Promise<RebuildReport> {
  return inTransaction(pool, (client) => rebuildTablesIn(client, ctx, chosen));
}

/** Replays the log in memory and compares the result with the live rows of one snapshot. */
export function verifyTables(pool: pg.Pool, ctx: FoldContext, chosen: readonly Projection<any, any>[]): Promise<TableDifference[]> {
  return inTransaction(
    pool,
    async (client) => {
      const { rows: h } = await client.query<{ head: string }>(`SELECT coalesce(max(global_position), -1)::text AS head FROM ${ctx.schema}.events`);
      // Every record through zod: verify is what catches a record rewritten on purpose.
      const { tables } = await foldLog(client, ctx, chosen, Number(h[0]!.head), 'full');
      const out: TableDifference[] = [];
      for (const [i, p] of chosen.entries()) {
        const rebuilt = new Map([...tables[i]!.writes].filter(([, v]) => v !== null));
        const { rows } = await client.query<{ key: string; value: unknown }>(`SELECT key, value FROM ${ctx.schema}.projection_rows WHERE projection = $1 ORDER BY key`, [p.name]);
        for (const r of rows) {
          if (!rebuilt.has(r.key)) out.push({ projection: p.name, key: r.key, kind: 'extra' });
          // Compared as JSON values: jsonb keeps no key order, and the rows are plain JSON.
          else if (!isDeepStrictEqual(r.value, JSON.parse(JSON.stringify(rebuilt.get(r.key))))) out.push({ projection: p.name, key: r.key, kind: 'different' });
          rebuilt.delete(r.key);
        }
        for (const key of [...rebuilt.keys()].sort()) out.push({ projection: p.name, key, kind: 'missing' });
      }
      return out;
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/**
 * At open: a projection without checkpoint, of another version, or behind the head (another
 * instance without it appended) is rebuilt. Rows are written with the events, so a table
 * whose checkpoint is at the head is complete.
 */
export async function catchUpTables(pool: pg.Pool, ctx: FoldContext, projections: readonly Projection<any, any>[]): Promise<RebuildReport | null> {
  if (projections.length === 0) return null;
  const { rows } = await pool.query<{ projection: string; version: number; position: string; head: string }>(
    `SELECT c.projection, c.version, c.position::text, (SELECT coalesce(max(global_position), -1) FROM ${ctx.schema}.events)::text AS head
       FROM ${ctx.schema}.checkpoints c WHERE c.projection = ANY($1::text[])`,
    [projections.map((p) => p.name)],
  );
  const byName = new Map(rows.map((r) => [r.projection, r]));
  const stale = projections.filter((p) => {
    const cp = byName.get(p.name);
    return !cp || cp.version !== p.version || cp.position !== cp.head;
  });
  return stale.length > 0 ? rebuildTables(pool, ctx, stale) : null;
}
