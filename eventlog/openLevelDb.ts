/**
 * Opens a LevelDB data directory through `level` (the package the product card names; in
 * Node its `Level` class is classic-level's, so the database is exactly a classic-level
 * one), turning LevelDB's lock error into a one-line {@link DataDirLockedError} an
 * operator can act on.
 *
 * @module
 */
import { Level } from 'level';
import { DataDirLockedError } from './errors.ts';
import type { RootDb } from './types.ts';

/** True when `err` (or its cause) is LevelDB's "held by another process" error. */
export function isLockedError(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'LEVEL_LOCKED' || e?.cause?.code === 'LEVEL_LOCKED';
}

/**
 * Opens (creating if missing) the LevelDB directory at `location`.
 * @throws {DataDirLockedError} when another process (or another handle in this one) holds it.
 * @example
 * const db = await openLevelDb(config.dataDir + '/eventlog');
 */
export async function openLevelDb(location: string): Promise<RootDb> {
  const db = new Level<string, string>(location, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (err) {
    if (isLockedError(err)) throw new DataDirLockedError(location, { cause: err });
    throw err;
  }
  return db;
}
