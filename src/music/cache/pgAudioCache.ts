/**
 * The `file_id` cache on PostgreSQL (issue 13), for bot processes that share one database:
 * an upload made by one instance is re-sent by every other. Same {@link AudioCache} contract
 * as the LevelDB cache (`audioCache.ts`; both pass `test/music/cache/audioCacheContract.ts`).
 *
 * The music module owns its table: schema `music` (by default), with its own versioned
 * migrations, applied at open and by `npm run migrate`. Keys are the LevelDB cache's keys
 * (`k:<canonical key>`, `i:<ISRC>`); the salt of {@link AudioCache.sealedKey} sits in a
 * one-row table so that every instance derives the same sealed keys.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { migrate, quoteIdent, type Migration } from '../../../eventlog/postgres/index.ts';
import { AUDIO_KEYS, decodeAudio, type AudioCache } from './audioCache.ts';

/** The music module's own migrations (schema `music` unless told otherwise). */
export const MUSIC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'file_id cache',
    sql: (s) => `
      CREATE TABLE ${s}.audio_cache (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
      CREATE TABLE ${s}.audio_cache_salt (id boolean PRIMARY KEY DEFAULT true CHECK (id), salt text NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'choices offered on buttons',
    // The worker that offers a choice and the web instance that gets the press are different
    // processes (src/bot/musicChat/pgChoiceStore.ts); rows older than the TTL are swept by age.
    sql: (s) => `
      CREATE TABLE ${s}.choices (id text COLLATE "C" PRIMARY KEY, choice jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX choices_created_at ON ${s}.choices (created_at);
    `,
  },
  {
    version: 3,
    name: 'one Send all run per user',
    // A user's two taps on "Send all" may reach two web instances (src/bot/musicChat/pgSendAllRuns.ts).
    sql: (s) => `
      CREATE TABLE ${s}.send_all_runs (user_id bigint PRIMARY KEY, run_id text NOT NULL, lease_until timestamptz NOT NULL);
    `,
  },
];

/** The schema of the music module's tables. */
export const MUSIC_SCHEMA = 'music';

/**
 * Opens the cache on `pool` (which the caller ends), migrating its schema first.
 *
 * @example
 * const cache = await openPostgresAudioCache(store.pool);
 * await cache.put(['spotify:track:4uLU6hMCjMI75M1A2tKUQC'], 'USUM71703861', { fileId, storedAt: Date.now() });
 */
export async function openPostgresAudioCache(pool: pg.Pool, schemaName: string = MUSIC_SCHEMA): Promise<AudioCache> {
  await migrate(pool, schemaName, MUSIC_MIGRATIONS);
  const s = quoteIdent(schemaName);
  const write = async (text: string, keys: string[], values?: string[]) => {
    if (keys.length > 0) await pool.query(text, values ? [keys, values] : [keys]);
  };
  let salt: Promise<string> | undefined;
  const loadSalt = async (): Promise<string> => {
    // First instance wins; the others read its salt back, so all derive the same keys.
    await pool.query(`INSERT INTO ${s}.audio_cache_salt (salt) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [randomBytes(32).toString('hex')]);
    const { rows } = await pool.query<{ salt: string }>(`SELECT salt FROM ${s}.audio_cache_salt`);
    return rows[0]!.salt;
  };
  const read = async (key: string) => decodeAudio((await pool.query<{ value: string }>(`SELECT value FROM ${s}.audio_cache WHERE key = $1`, [key])).rows[0]?.value);
  return {
    get: (key) => read(AUDIO_KEYS.key(key)),
    getByIsrc: (isrc) => read(AUDIO_KEYS.isrc(isrc)),
    async put(keys, isrc, audio) {
      const all = [...keys.map(AUDIO_KEYS.key), ...(isrc ? [AUDIO_KEYS.isrc(isrc)] : [])];
      const value = JSON.stringify(audio);
      // One statement: atomic, as the LevelDB batch.
      await write(
        `INSERT INTO ${s}.audio_cache (key, value) SELECT k, v FROM unnest($1::text[], $2::text[]) AS t(k, v)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        all,
        all.map(() => value),
      );
    },
    async delete(keys, isrc) {
      const all = [...keys.map(AUDIO_KEYS.key), ...(isrc ? [AUDIO_KEYS.isrc(isrc)] : [])];
      await write(`DELETE FROM ${s}.audio_cache WHERE key = ANY($1::text[])`, all);
    },
    async sealedKey(secret) {
      salt ??= loadSalt().catch((err: unknown) => {
        salt = undefined; // a failed read is tried again next time
        throw err;
      });
      return `sealed:${createHmac('sha256', await salt).update(secret).digest('hex')}`;
    },
  };
}
