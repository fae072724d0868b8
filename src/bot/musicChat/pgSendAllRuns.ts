/**
 * {@link SendAllRuns} on PostgreSQL, for instances that share one database: one row per user
 * with a run going (`send_all_runs`, migration 3 of `src/music/cache/pgAudioCache.ts`). Taking
 * and renewing a lease is one upsert that only wins over a lapsed lease or its own, so two
 * instances racing for one user get one `true` between them.
 */
import type pg from 'pg';
import { quoteIdent } from '../../../eventlog/postgres/index.ts';
import type { SendAllRuns } from './sendAllRuns.ts';

/** See the module comment. */
export class PgSendAllRuns implements SendAllRuns {
  readonly #table: string;

  /** @param schema the music module's schema (`DATABASE_MUSIC_SCHEMA`), migrated by the `file_id` cache. */
  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.#table = `${quoteIdent(schema)}.send_all_runs`;
  }

  async claim(userId: number, runId: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.#table} AS r (user_id, run_id, lease_until) VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))
       ON CONFLICT (user_id) DO UPDATE SET run_id = EXCLUDED.run_id, lease_until = EXCLUDED.lease_until
        WHERE r.run_id = EXCLUDED.run_id OR r.lease_until < now()`,
      [userId, runId, ttlMs],
    );
    return rowCount === 1;
  }

  async release(userId: number, runId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.#table} WHERE user_id = $1 AND run_id = $2`, [userId, runId]);
  }
}
