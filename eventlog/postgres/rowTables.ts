/**
 * How inline projections get their rows on PostgreSQL.
 *
 * `Projection.evolve(event, table)` reads rows synchronously (`table.get`), but rows live in
 * the database. The appender therefore folds a group of appends in *passes*: a pass runs
 * every `evolve` against the rows known so far (a per-store row cache plus the rows loaded
 * for this group) and notes each key it asked for and did not know. If there were such
 * keys, they are loaded in one query inside the append's transaction and the pass runs
 * again from the start; a pass that asked for nothing unknown is the result. `evolve` is
 * deterministic (a function of the event and the table), so re-running it is harmless, and a
 * warm append needs no read at all. Most projections read the keys of the event's own stream,
 * so a cold append takes two passes; the number of passes is bounded.
 *
 * The row cache belongs to one process while other processes append too. It is only
 * trusted when the log head read under the append lock is the head this process itself
 * committed last: then nobody else has written rows since (every writer takes that lock).
 *
 * @module
 */
import type pg from 'pg';
import { Lru } from '../lru.ts';
import { decodeRow, PendingTable } from '../pendingTable.ts';

/** A pass stops after this many reloads; a projection that keeps asking for new keys is a bug. */
export const MAX_PASSES = 20;

/** Rows of one projection known to the current group: cache first, then this group's loads. */
export class RowSource {
  readonly loaded = new Map<string, unknown>();
  readonly missed = new Set<string>();

  constructor(readonly cache: Lru<string, unknown>) {}

  /** A fresh table for one pass. */
  table(): PendingTable {
    this.missed.clear();
    return new PendingTable((key) => {
      if (this.loaded.has(key)) return this.loaded.get(key) ?? undefined;
      if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
      this.missed.add(key);
      return undefined;
    });
  }
}

/** Loads the keys each source missed (one query for all projections); `false` when none were. */
export async function loadMissed(client: pg.ClientBase, schema: string, names: readonly string[], sources: readonly RowSource[]): Promise<boolean> {
  const projections: string[] = [];
  const keys: string[] = [];
  sources.forEach((s, i) => {
    for (const k of s.missed) {
      projections.push(names[i]!);
      keys.push(k);
    }
  });
  if (keys.length === 0) return false;
  const { rows } = await client.query<{ projection: string; key: string; value: string }>(
    `SELECT r.projection, r.key, r.value::text AS value FROM ${schema}.projection_rows r
       JOIN unnest($1::text[], $2::text[]) AS k(projection, key) ON r.projection = k.projection AND r.key = k.key`,
    [projections, keys],
  );
  const found = new Map(rows.map((r) => [`${r.projection}\u0000${r.key}`, r.value]));
  sources.forEach((s, i) => {
    for (const k of s.missed) {
      const raw = found.get(`${names[i]}\u0000${k}`);
      s.loaded.set(k, raw === undefined ? null : decodeRow(raw));
    }
  });
  return true;
}

/**
 * Writes pending rows of projection `name` (frozen row, or null for a delete) in two
 * statements: one upsert, one delete.
 */
export async function writeRows(client: pg.ClientBase, schema: string, name: string, writes: ReadonlyMap<string, unknown>): Promise<void> {
  const putKeys: string[] = [];
  const putValues: string[] = [];
  const delKeys: string[] = [];
  for (const [k, v] of writes) {
    if (v === null) delKeys.push(k);
    else {
      putKeys.push(k);
      putValues.push(JSON.stringify(v));
    }
  }
  for (let i = 0; i < putKeys.length; i += 5000) {
    await client.query(
      `INSERT INTO ${schema}.projection_rows (projection, key, value)
         SELECT $1, k, v::jsonb FROM unnest($2::text[], $3::text[]) AS t(k, v)
       ON CONFLICT (projection, key) DO UPDATE SET value = EXCLUDED.value`,
      [name, putKeys.slice(i, i + 5000), putValues.slice(i, i + 5000)],
    );
  }
  if (delKeys.length > 0) {
    await client.query(`DELETE FROM ${schema}.projection_rows WHERE projection = $1 AND key = ANY($2::text[])`, [name, delKeys]);
  }
}

