/**
 * `replay import <file> <data-dir>`: an export into a new LevelDB data dir. The data dir must
 * hold no `db/` (or an empty one), as for `restore`; one held by a running bot is refused
 * with the usual "stop the bot" message.
 *
 * **Atomicity by rename.** Everything is written into `<data-dir>/db.importing-<random>`: the
 * records, the `streams` index and `heads`, the wrapped data keys and key check values; the
 * store is then opened once with the link projections (which rebuilds them, as at any open
 * without checkpoints) and the directory renamed to `db` only when all of that succeeded. An
 * import that fails is removed; one that is killed leaves only the `db.importing-*` directory
 * – the data dir still has no `db`, so nobody takes it for a complete store (delete it).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLockedError, levelVaultStorage, openEventStore, openLevelDb, type BatchOp, type EventRegistry, type RootDb } from '../../../eventlog/index.ts';
import { keyspaces, positionKey, streamKey } from '../../../eventlog/keys.ts';
import { writeBatch } from '../../../eventlog/writeBatch.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { fsyncDir, makePrivate } from '../../backup/backup.ts';
import { linkProjections } from '../../link/projections.ts';
import { dbLocation } from '../../storage/dataDir.ts';
import { lockedError } from './dataDir.ts';
import { asOneLine, ReplayError } from './errors.ts';
import { readExport } from './exportReader.ts';
import type { ImportCounts } from './importCheck.ts';

const CHUNK = 1000;

const notEmpty = (dbDir: string) =>
  new ReplayError('TARGET_NOT_EMPTY', `${dbDir} already holds data; nothing was imported`, {
    hint: 'import only into a new data dir (or one without db/): move the old one away first',
  });

/** Refuses a data dir whose `db/` holds anything; a held one gets the running-bot message. */
async function requireEmpty(dataDir: string, dbDir: string): Promise<void> {
  if (!existsSync(dbDir) || (await readdir(dbDir)).length === 0) return;
  if (existsSync(join(dbDir, 'CURRENT'))) {
    // Only to tell a running bot apart: the store is closed again at once, nothing written.
    let db: RootDb | undefined;
    try {
      db = await openLevelDb(dbDir);
    } catch (err) {
      if (err instanceof DataDirLockedError) throw lockedError(dataDir, err, false);
      throw err;
    }
    await db.close();
  }
  throw notEmpty(dbDir);
}

/** Writes the file's records, index, heads and vault entries into the new LevelDB at `location`. */
async function writeAll(file: string, location: string, registry: EventRegistry<any>): Promise<ImportCounts> {
  const db = await openLevelDb(location);
  try {
    const ks = keyspaces(db);
    const vault = levelVaultStorage(db, (fn) => fn());
    const counts: ImportCounts = { streams: 0, events: 0, dataKeys: 0, keyChecks: 0, sha256: '', masterKeys: [] };
    const heads = new Map<string, number>();
    const masterKeys = new Set<string>();
    let ops: BatchOp[] = [];
    for await (const item of readExport(file, registry)) {
      if (item.kind === 'event') {
        const { position, stream, streamPosition } = item.line;
        ops.push({ type: 'put', sublevel: ks.log, key: positionKey(position), value: item.record });
        ops.push({ type: 'put', sublevel: ks.streams, key: streamKey(stream, streamPosition), value: positionKey(position) });
        heads.set(stream, streamPosition);
        counts.events++;
      } else if (item.kind === 'dataKey') {
        ops.push(vault.putOp(item.linkId, item.wrapped));
        masterKeys.add(item.masterKeyId);
        counts.dataKeys++;
      } else if (item.kind === 'keyCheck') {
        await vault.putKeyCheckValue(item.masterKeyId, item.kcv);
        counts.keyChecks++;
      } else if (item.kind === 'end') {
        counts.sha256 = item.end.sha256;
      }
      // Unsynced: the last batch is synced, and nothing is visible before the rename anyway.
      if (ops.length >= CHUNK) await writeBatch(db, ops.splice(0), false);
    }
    for (const [stream, version] of heads) ops.push({ type: 'put', sublevel: ks.heads, key: stream, value: String(version) });
    await writeBatch(db, ops, true);
    return { ...counts, streams: heads.size, masterKeys: [...masterKeys].sort() };
  } finally {
    await db.close();
  }
}

/**
 * Imports `file` into the new data dir `dataDir`; the store appears as `<dataDir>/db` only once
 * complete, its projections rebuilt.
 * @throws {ReplayError} `TARGET_NOT_EMPTY`, `DATA_DIR_LOCKED`, `EXPORT_INVALID`.
 */
export async function importIntoDataDir(file: string, dataDir: string, registry: EventRegistry<any>): Promise<ImportCounts> {
  const dbDir = dbLocation(dataDir);
  await requireEmpty(dataDir, dbDir);
  const temp = `${dbDir}.importing-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const counts = await writeAll(file, temp, registry);
    // Opening with the projections rebuilds them from the log (no checkpoints yet).
    const store = await openEventStore<LinkEvent>({ location: temp, registry, projections: [...linkProjections] });
    await store.close();
    await makePrivate(temp);
    if (existsSync(dbDir)) await rmdir(dbDir).catch(() => Promise.reject(notEmpty(dbDir))); // empty, or someone wrote meanwhile
    await rename(temp, dbDir).catch((err: NodeJS.ErrnoException) => Promise.reject(err.code === 'ENOTEMPTY' || err.code === 'EEXIST' ? notEmpty(dbDir) : err));
    await fsyncDir(dataDir);
    return counts;
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw asOneLine(err, 'IMPORT_FAILED', `the import into ${dataDir} failed; nothing was imported`);
  }
}
