/**
 * The one place the event log writes a batch. `sync: true` makes LevelDB fsync its log
 * before the promise resolves (classic-level; memory-level ignores it), which is what
 * "durable" means for every append.
 *
 * @module
 */
import type { BatchOp, RootDb } from './types.ts';

/** Writes `ops` as one atomic batch; `sync` waits for the disk. */
export function writeBatch(db: RootDb, ops: readonly BatchOp[], sync: boolean): Promise<void> {
  // `sync` is a classic-level option that abstract-level's types do not list.
  return db.batch(ops as never, { sync } as never);
}
