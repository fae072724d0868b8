/**
 * Projection checkpoints: the last global position folded into a table and the
 * projection version that did it. Written in the same batch as the table rows, so the
 * checkpoint never runs ahead of or behind its table.
 *
 * A position of -1 means "empty or being cleared": the table must be rebuilt from scratch.
 *
 * @module
 */
import type { BatchOp, Keyspace } from './types.ts';

/** A stored checkpoint. */
export interface Checkpoint {
  version: number;
  position: number;
}

/** The put that records `checkpoint` for projection `name`. */
export function checkpointOp(checkpoints: Keyspace, name: string, checkpoint: Checkpoint): BatchOp {
  return {
    type: 'put',
    sublevel: checkpoints,
    key: name,
    value: JSON.stringify({ version: checkpoint.version, position: checkpoint.position }),
  };
}

/** Reads the checkpoint of `name`; undefined when there is none or it is unreadable. */
export async function readCheckpoint(checkpoints: Keyspace, name: string): Promise<Checkpoint | undefined> {
  const raw = await checkpoints.get(name);
  if (raw === undefined) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<Checkpoint>;
    if (Number.isSafeInteger(c.version) && Number.isSafeInteger(c.position)) {
      return { version: c.version!, position: c.position! };
    }
  } catch {
    // An unreadable checkpoint is treated like a missing one: the table gets rebuilt.
  }
  return undefined;
}
