/**
 * How the replay CLI opens a data directory, so that reading never writes.
 *
 * `openEventStore` with the link projections would bring every projection up to the log head
 * at open (a catch-up or a full rebuild is a write). The reader therefore opens the store
 * with **no projections** – it can read streams and the whole log and writes nothing – and
 * reads projection tables and checkpoints straight from their keyspaces. Only `rebuild`
 * opens a {@link openLogWriter writer}, which is the normal store with the link projections.
 *
 * LevelDB itself does some housekeeping on every open (it may turn its write-ahead log into
 * a table file and start a new MANIFEST): the data stays the same, the files do not. `--copy`
 * leaves the directory untouched byte for byte and works while the bot holds it.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import {
  DataDirLockedError,
  openEventStore,
  openLevelDb,
  type EventLog,
  type EventStore,
  type ReadonlyTable,
  type RootDb,
} from '../../../eventlog/index.ts';
import { readCheckpoint, type Checkpoint } from '../../../eventlog/checkpoint.ts';
import { keyspaces, type Keyspaces } from '../../../eventlog/keys.ts';
import { createLinkRegistry } from '../../link/linkLog.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { linkProjections } from '../../link/projections.ts';
import { dbLocation } from '../../storage/dataDir.ts';
import { copyLevelDir, removeCopy } from './copyDataDir.ts';
import { ReplayError } from './errors.ts';
import { levelSnapshot, type LogSnapshot } from './logSnapshot.ts';

/** A read-only view of a data directory's event log and projection tables. */
export interface LogReader {
  /** The `DATA_DIR` given. */
  readonly dataDir: string;
  /** The LevelDB directory inside it (`<DATA_DIR>/db`). */
  readonly dbDir: string;
  /** The temp copy being read (with `--copy`), removed on {@link LogReader.close}. */
  readonly copy: string | undefined;
  /** The event log opened without projections: reads only (LevelDB, or PostgreSQL with `--database-url`). */
  readonly store: EventLog<LinkEvent, unknown> & { headPosition(): number | Promise<number> };
  /** A projection's table as stored (JSON rows), whatever its checkpoint says. */
  table<V>(projection: string): ReadonlyTable<V>;
  /** A projection's rows exactly as stored (key and JSON text), in key order. */
  rows(projection: string): AsyncIterable<[string, string]>;
  /** A projection's stored checkpoint, undefined when it has none. */
  checkpoint(projection: string): Promise<Checkpoint | undefined>;
  /** Runs `fn` on the raw records and vault keys of one consistent state (for `export`). */
  withSnapshot<T>(fn: (snapshot: LogSnapshot) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `--data-dir`'s default: `DATA_DIR`, else the `DATA_DIR` line of `./.env` (as `npm start` loads it), else `./data`. */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>, cwd = process.cwd()): string {
  if (env['DATA_DIR']?.trim()) return env['DATA_DIR'];
  const dotenv = join(cwd, '.env');
  // Only DATA_DIR is taken from the file: the CLI has no use for the secrets next to it.
  const fromFile = existsSync(dotenv) ? parseEnv(readFileSync(dotenv, 'utf8'))['DATA_DIR']?.trim() : undefined;
  return fromFile || './data';
}

/** The message and ways out for a data dir held by the running bot. */
export function lockedError(dataDir: string, err: unknown, copyAllowed: boolean): ReplayError {
  const hint = copyAllowed
    ? 'two ways out:\n  1. stop the bot, then run this command again; or\n  2. add --copy to work on a consistent copy of the data dir (the bot keeps running).'
    : 'stop the bot, then run this command again (--copy cannot help here: it would change only a throwaway copy).';
  return new ReplayError('DATA_DIR_LOCKED', `data dir ${dataDir} is in use by another process (the running bot?)`, { hint, cause: err });
}

/** Refuses a data dir without an event log instead of letting LevelDB create an empty one. */
function requireLog(dataDir: string): string {
  const dbDir = dbLocation(dataDir);
  if (!existsSync(join(dbDir, 'CURRENT'))) {
    throw new ReplayError('NO_DATA_DIR', `no event log in ${dataDir} (expected a LevelDB directory at ${dbDir})`, {
      hint: 'pass --data-dir <dir> or set DATA_DIR to the bot\'s data directory',
    });
  }
  return dbDir;
}

function readonlyTable<V>(ks: Keyspaces, name: string): ReadonlyTable<V> {
  const table = ks.table(name);
  return {
    async get(key) {
      const raw = await table.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as V);
    },
    async *entries(range = {}) {
      for await (const [key, raw] of table.iterator({ ...range })) yield [key, JSON.parse(raw) as V];
    },
  };
}

/**
 * Opens `dataDir` for reading; with `copy`, reads a consistent temp copy instead.
 * @throws {ReplayError} `NO_DATA_DIR`, `DATA_DIR_LOCKED` (with the two ways out), `COPY_UNSTABLE`.
 */
export async function openLogReader(dataDir: string, options: { copy: boolean }): Promise<LogReader> {
  const dbDir = requireLog(dataDir);
  const copy = options.copy ? await copyLevelDir(dbDir) : undefined;
  let db: RootDb | undefined;
  try {
    db = await openLevelDb(copy ?? dbDir);
    const ks = keyspaces(db);
    const store = await openEventStore<LinkEvent>({ db, registry: createLinkRegistry(), projections: [] });
    const opened = db;
    return {
      dataDir,
      dbDir,
      copy,
      store,
      table: (name) => readonlyTable(ks, name),
      rows: (name) => ks.table(name).iterator(),
      checkpoint: (name) => readCheckpoint(ks.checkpoints, name),
      withSnapshot: async (fn) => fn(levelSnapshot(opened, await store.headPosition())),
      async close() {
        await store.close();
        await opened.close();
        if (copy) await removeCopy(copy);
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    if (copy) await removeCopy(copy);
    if (err instanceof DataDirLockedError) throw lockedError(dataDir, err, true);
    throw err;
  }
}

/**
 * Opens `dataDir` as the bot does (the link projections, caught up at open) for `rebuild`.
 * Needs the bot stopped: a held directory is a `DATA_DIR_LOCKED` error.
 */
export async function openLogWriter(dataDir: string): Promise<EventStore<LinkEvent>> {
  const dbDir = requireLog(dataDir);
  try {
    return await openEventStore<LinkEvent>({ location: dbDir, registry: createLinkRegistry(), projections: [...linkProjections] });
  } catch (err) {
    if (err instanceof DataDirLockedError) throw lockedError(dataDir, err, false);
    throw err;
  }
}
