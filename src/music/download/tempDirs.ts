/**
 * Per-job temporary directories. Each job gets one directory, removed as a whole when the
 * job ends, success or failure; directories left by a crashed process are swept at start.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefix of every job directory. */
export const TEMP_PREFIX = 'music-dl-';

/** Creates a job directory under `root` (default: the OS temp directory). */
export function createJobDir(root: string = tmpdir()): Promise<string> {
  return mkdtemp(join(root, TEMP_PREFIX));
}

/** Removes a job directory and everything in it; never throws. */
export async function removeJobDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}

/**
 * Removes job directories older than `maxAgeMs` under `root` (left by a process that died
 * mid-download). Resolves with how many went.
 */
export async function sweepStaleJobDirs(root: string = tmpdir(), maxAgeMs = 6 * 3600_000, now = Date.now()): Promise<number> {
  let removed = 0;
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const path = join(root, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isDirectory() && now - info.mtimeMs > maxAgeMs) {
      await removeJobDir(path);
      removed += 1;
    }
  }
  return removed;
}
