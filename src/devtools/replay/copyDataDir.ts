/**
 * A consistent copy of a LevelDB directory that another process (the running bot) holds
 * open: what `replay --copy` reads, what the visualizer polls, and the building block of a
 * backup.
 *
 * Why copying works: LevelDB table files (`*.ldb`, `*.sst`) are immutable once written,
 * `MANIFEST-*` and the write-ahead log (`*.log`) are append-only, and `CURRENT` names the
 * manifest. A copy is therefore consistent unless LevelDB changes its *set* of files while we
 * copy (a memtable flush or a compaction adds/removes tables and appends to the manifest).
 * So the copy takes a fingerprint of that set (`CURRENT`, the manifest's size, the names of
 * tables and logs) before and after, and starts again when it changed.
 *
 * The write-ahead log may be copied in the middle of an append. Each event-log append is one
 * atomic LevelDB batch = one WAL record, and LevelDB drops a torn last record when it opens
 * the copy – exactly what a crash at that instant would leave, which the event log is built
 * to survive. The copy holds every append that was durable when the copy started, perhaps
 * plus later ones, never half of one.
 *
 * @module
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayError } from './errors.ts';

/** Files never copied: the lock (meaningless in a copy) and LevelDB's own text logs. */
const SKIPPED = new Set(['LOCK', 'LOG', 'LOG.old']);

/** The part of a LevelDB directory whose change during a copy makes the copy unusable. */
async function fingerprint(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => !SKIPPED.has(n)).sort();
  const current = (await readFile(join(dir, 'CURRENT'), 'utf8').catch(() => '')).trim();
  const manifest = current ? await stat(join(dir, current)).then((s) => s.size, () => -1) : -1;
  // Log sizes are left out on purpose: the WAL grows with every append, and a prefix of it is fine.
  return JSON.stringify({ current, manifest, names });
}

/** Options of {@link copyLevelDir}. */
export interface CopyOptions {
  /** Where to put the copy; a fresh private temp dir (mode 0700) by default. */
  into?: string;
  /** How many passes when LevelDB reorganised its files meanwhile (default 20; later passes copy only what changed). */
  attempts?: number;
  /** Told when a pass is repeated because LevelDB changed its set of files meanwhile. */
  onRetry?: (attempt: number) => void;
  /** How one file is copied (`fs.copyFile`); tests pass a wrapper to write during a copy. */
  copyFile?: (from: string, to: string) => Promise<void>;
}

/**
 * Copies the LevelDB directory `source` (held open by another process or not) and returns the
 * copy's path. The caller removes it (see {@link removeCopy}).
 *
 * @throws {ReplayError} `NO_DATA_DIR` when `source` is not a LevelDB directory, `COPY_UNSTABLE`
 *   when LevelDB kept reorganising its files during every attempt.
 * @example
 * const copy = await copyLevelDir('data/db');
 * try { const db = await openLevelDb(copy); ... } finally { await removeCopy(copy) }
 */
export async function copyLevelDir(source: string, options: CopyOptions = {}): Promise<string> {
  const attempts = options.attempts ?? 20;
  const target = options.into ?? (await mkdtemp(join(tmpdir(), 'replay-copy-')));
  if (options.into !== undefined) await mkdir(target, { recursive: true, mode: 0o700 });
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const before = await fingerprint(source);
      if (!JSON.parse(before).current) {
        throw new ReplayError('NO_DATA_DIR', `${source} is not a LevelDB directory (no CURRENT file)`);
      }
      if (await copyOnce(source, target, options.copyFile ?? copyFile)) {
        if ((await fingerprint(source)) === before) return target;
      }
      options.onRetry?.(attempt);
    }
  } catch (err) {
    if (options.into === undefined) await removeCopy(target);
    throw err;
  }
  if (options.into === undefined) await removeCopy(target);
  throw new ReplayError('COPY_UNSTABLE', `${source} kept changing while it was copied (${attempts} attempts)`, {
    hint: 'the bot is compacting its data right now: try again in a moment, or stop the bot',
  });
}

const isTable = (name: string) => name.endsWith('.ldb') || name.endsWith('.sst');

/**
 * One pass: `CURRENT` and the manifest first, then tables, logs last (so that whatever the
 * manifest names was copied after it). Table files are immutable, so one already in `target`
 * with the same size is kept: a retry copies only what changed and converges quickly even
 * while LevelDB compacts. False when a file vanished under us (a compaction).
 */
async function copyOnce(source: string, target: string, copy: (from: string, to: string) => Promise<void>): Promise<boolean> {
  const names = (await readdir(source)).filter((n) => !SKIPPED.has(n));
  const rank = (n: string) => (n === 'CURRENT' ? 0 : n.startsWith('MANIFEST-') ? 1 : n.endsWith('.log') ? 3 : 2);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const wanted = new Set(names);
  for (const stale of await readdir(target)) if (!wanted.has(stale)) await rm(join(target, stale), { force: true });
  for (const name of names) {
    try {
      if (isTable(name)) {
        const [a, b] = await Promise.all([stat(join(source, name)), stat(join(target, name)).catch(() => undefined)]);
        if (b && a.size === b.size) continue;
      }
      await copy(join(source, name), join(target, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
  return true;
}

/** Removes a copy made by {@link copyLevelDir}; never throws. */
export async function removeCopy(copy: string): Promise<void> {
  await rm(copy, { recursive: true, force: true }).catch(() => undefined);
}
