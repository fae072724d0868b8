/**
 * The app's storage, one of two backends chosen by `DATABASE_URL`:
 *
 * - unset: the embedded LevelDB under `DATA_DIR` – event log, projections, token vault and
 *   music `file_id` cache in one database (`dataDir.ts`);
 * - set: PostgreSQL – the event log, projections and vault in `DATABASE_SCHEMA`, the
 *   `file_id` cache in the music module's own `DATABASE_MUSIC_SCHEMA`, each migrated at start.
 *
 * Either way the link domain gets an event log and a vault of the same backend (the vault's
 * key writes ride in the log's appends), and the music pipeline a `file_id` cache.
 *
 * Several processes may share one PostgreSQL database in webhook mode (Telegram hands each
 * update to one of them): appends carry expected versions, the link service drops cached links
 * that other processes changed and refreshes a user's token under a lock across processes
 * ({@link AppStorage.shared}). Long polling allows one consumer per bot, so a polling bot holds a
 * session advisory lock while it runs, and a second polling bot on the database stops at start
 * with {@link DatabaseInUseError} – as a second process on one LevelDB data dir stops with
 * `DataDirLockedError`.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import pg from 'pg';
import { masterKey, openEventStore, openTokenVault, type EventLog, type EventStore, type TokenVault } from '../../eventlog/index.ts';
import { openPostgresEventStore, openPostgresTokenVault, redactUrl, type PostgresEventStore } from '../../eventlog/postgres/index.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import type { Config } from '../config.ts';
import { createLinkRegistry } from '../link/linkLog.ts';
import { linkProjections } from '../link/projections.ts';
import type { SharedLog } from '../link/ports.ts';
import { openPostgresUserLock } from './userLock.ts';
import type { Logger } from '../log.ts';
import { openAudioCache, type AudioCache } from '../music/cache/audioCache.ts';
import { openPostgresAudioCache } from '../music/cache/pgAudioCache.ts';
import { dbLocation } from './dataDir.ts';

/** Another bot process runs on this PostgreSQL database (schema). One line, printed as is. */
export class DatabaseInUseError extends Error {
  readonly code = 'DATABASE_IN_USE' as const;
  constructor(readonly where: string) {
    super(`database ${where} is in use by another bot in long-polling mode (Telegram allows one polling consumer per bot: stop it, or run every instance with BOT_MODE=webhook)`);
    this.name = 'DatabaseInUseError';
  }
}

/** The link domain's log and vault, of one backend. */
export interface LinkStorage {
  readonly store: EventLog<LinkEvent, unknown>;
  readonly vault: TokenVault<unknown>;
}

/** What the app runs on; see the module comment. */
export interface AppStorage {
  readonly kind: 'leveldb' | 'postgres';
  readonly links: LinkStorage;
  readonly audioCache: AudioCache;
  /** The LevelDB store, for what only LevelDB has (control-socket backups, vault compaction, checkpoints). */
  readonly level?: EventStore<LinkEvent>;
  /** The PostgreSQL store (its pool answers readiness). */
  readonly postgres?: PostgresEventStore<LinkEvent>;
  /** Set on PostgreSQL: its pool and where the music module's tables are (shared choices). */
  readonly database?: { readonly pool: pg.Pool; readonly musicSchema: string };
  /** Set on PostgreSQL: what the link service needs when other processes write the same log. */
  readonly shared?: SharedLog;
  /** The log's head position (metrics). */
  headPosition(): number | Promise<number>;
  /** The storage's parts of `/readyz`: `dataDir` (LevelDB open), and `database` (PostgreSQL answers). */
  readiness(): Promise<{ dataDir: boolean; database?: boolean }>;
  close(): Promise<void>;
}

/**
 * Opens the configured backend.
 * @throws {DataDirLockedError} / {DatabaseInUseError} when another bot holds it;
 *   `MasterKeyMismatchError` for a wrong `TOKEN_ENCRYPTION_KEY`.
 */
export async function openStorage(config: Config, logger: Logger): Promise<AppStorage> {
  const { storage } = config;
  const masterKeys = [storage.masterKey, ...storage.previousMasterKeys].map((k) => masterKey(k));
  const eventLogLogger = logger.child({ module: 'eventlog' });
  if (!storage.database) {
    await mkdir(storage.dataDir, { recursive: true, mode: 0o700 });
    const store = await openEventStore<LinkEvent>({
      location: dbLocation(storage.dataDir),
      registry: createLinkRegistry(),
      projections: [...linkProjections],
      logger: eventLogLogger,
    });
    try {
      const vault = await openTokenVault({ db: store.db, masterKeys, runExclusive: store.runExclusive });
      return {
        kind: 'leveldb',
        links: { store, vault },
        audioCache: openAudioCache(store.db),
        level: store,
        headPosition: () => store.headPosition(),
        readiness: async () => ({ dataDir: store.db.status === 'open' }),
        close: () => store.close(),
      };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  const { url, schema } = storage.database;
  const where = `${redactUrl(url)} (schema ${schema})`;
  const pool = new pg.Pool({ connectionString: url, application_name: 'spotify-link-music-bot', connectionTimeoutMillis: 10_000 });
  // A failing idle client must not crash the process; the next query reports the trouble.
  pool.on('error', (err) => logger.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'PostgreSQL connection lost'));
  let lock: pg.PoolClient | undefined;
  try {
    // Only a process that takes updates competes for getUpdates: a download worker never does.
    if (config.telegram.mode === 'polling' && config.role !== 'worker') {
      lock = await pool.connect();
      const { rows } = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`musicbot:polling:${schema}`]);
      if (!rows[0]?.ok) throw new DatabaseInUseError(where);
    }
    const store = await openPostgresEventStore<LinkEvent>({ pool, schema, registry: createLinkRegistry(), projections: [...linkProjections], logger: eventLogLogger });
    let open = true;
    const held = lock;
    const refreshLock = openPostgresUserLock({ connectionString: url, schema });
    try {
      const vault = await openPostgresTokenVault({ store, masterKeys });
      logger.info({ database: where }, 'storage: PostgreSQL');
      return {
        kind: 'postgres',
        links: { store, vault },
        audioCache: await openPostgresAudioCache(pool, storage.database.musicSchema),
        postgres: store,
        database: { pool, musicSchema: storage.database.musicSchema },
        shared: { refreshLock },
        headPosition: () => store.headPosition(),
        // DATA_DIR still holds yt-dlp's cache, but nothing the bot cannot lose: only the database counts.
        readiness: async () => ({ dataDir: true, database: open && (await answers(pool)) }),
        async close() {
          if (!open) return;
          open = false;
          await store.close();
          await refreshLock.close();
          held?.release();
          await pool.end();
        },
      };
    } catch (err) {
      await store.close();
      await refreshLock.close();
      throw err;
    }
  } catch (err) {
    lock?.release();
    await pool.end().catch(() => {});
    throw err;
  }
}

/** Whether the database answers `SELECT 1` within 2 s. */
async function answers(pool: pg.Pool): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)));
  try {
    return await Promise.race([pool.query('SELECT 1').then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
