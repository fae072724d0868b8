/**
 * The `file_id` cache on PostgreSQL: the table `<schema>.music_audio` (migration 3 of the
 * shared database, `eventlog/postgres/migrations.ts`), so every bot instance and worker sees
 * an upload as soon as one of them has made it. The cache's rules are `audioCache.ts`'s.
 *
 * @module
 */
import type pg from 'pg';
import { audioCacheOn, type AudioCache } from './audioCache.ts';

/** The cache in the schema of a PostgreSQL event store (its pool and quoted schema, migrated). */
export function openPostgresAudioCache(store: { readonly pool: pg.Pool; readonly schema: string }): AudioCache {
  const { pool, schema: s } = store;
  return audioCacheOn({
    async get(key) {
      const { rows } = await pool.query<{ value: string }>(`SELECT value FROM ${s}.music_audio WHERE key = $1`, [key]);
      return rows[0]?.value;
    },
    async write(puts, deletes) {
      // One statement each way, so the writes are atomic without an explicit transaction.
      if (puts.length > 0) {
        await pool.query(
          `INSERT INTO ${s}.music_audio (key, value) SELECT * FROM unnest($1::text[], $2::text[])
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [puts.map(([k]) => k), puts.map(([, v]) => v)],
        );
      }
      if (deletes.length > 0) await pool.query(`DELETE FROM ${s}.music_audio WHERE key = ANY($1::text[])`, [deletes]);
    },
    async putIfAbsent(key, value) {
      // The first instance's value wins. The read is its own statement: one statement's
      // snapshot would not see a row another instance committed while it ran.
      const inserted = await pool.query(`INSERT INTO ${s}.music_audio (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, value]);
      if (inserted.rowCount === 1) return value;
      const { rows } = await pool.query<{ value: string }>(`SELECT value FROM ${s}.music_audio WHERE key = $1`, [key]);
      return rows[0]?.value ?? value;
    },
  });
}
