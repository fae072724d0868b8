/**
 * The visualizer's source for a data directory on disk (`npm run dev:viz -- --data-dir`).
 *
 * It never opens the directory itself: LevelDB allows one process per directory, and a
 * visualizer holding it – even for a moment – could make the bot fail to start. Instead it
 * polls: when the directory's files changed since the last look, it takes a consistent copy
 * (`copyLevelDir`, the same as `replay --copy`), reads the events after the last position it
 * delivered, and removes the copy. Each poll costs one copy of the LevelDB files, which is
 * fine for a development data dir; the poll interval is configurable.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { openEventStore, openLevelDb, type Envelope } from '../../../eventlog/index.ts';
import { createLinkRegistry } from '../../link/linkLog.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { copyLevelDir, removeCopy } from '../replay/copyDataDir.ts';
import { dbLocation } from '../../storage/dataDir.ts';
import type { EventSink, VizSource } from './source.ts';

/** Options of {@link dataDirSource}. */
export interface DataDirSourceOptions {
  /** How often to look for changes (default 1000 ms). */
  pollMs?: number;
  /** Told about a failed poll (the next poll tries again). */
  onError?: (err: unknown) => void;
}

/** Names, sizes and times of the LevelDB files: changes whenever anything was written. */
async function signature(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const parts = await Promise.all(
    names
      .filter((n) => n !== 'LOCK' && !n.startsWith('LOG'))
      .sort()
      .map((n) => stat(join(dir, n)).then((s) => `${n}:${s.size}:${s.mtimeMs}`, () => `${n}:gone`)),
  );
  return parts.join('|');
}

/** Reads the events after `after` from a fresh copy of `dbDir`. */
async function readNewEvents(dbDir: string, after: number): Promise<Envelope<LinkEvent>[]> {
  const copy = await copyLevelDir(dbDir);
  try {
    const db = await openLevelDb(copy);
    try {
      const store = await openEventStore<LinkEvent>({ db, registry: createLinkRegistry(), projections: [] });
      const events: Envelope<LinkEvent>[] = [];
      for await (const e of store.readAll(after + 1)) events.push(e);
      await store.close();
      return events;
    } finally {
      await db.close();
    }
  } finally {
    await removeCopy(copy);
  }
}

/**
 * Polls `dataDir` (its `db` directory) for appended events, reading copies only.
 * @example startVisualizer({ source: dataDirSource('./data', { pollMs: 500 }) })
 */
export function dataDirSource(dataDir: string, options: DataDirSourceOptions = {}): VizSource {
  const dbDir = dbLocation(dataDir);
  const pollMs = options.pollMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let seen = '';
  let last = -1;

  const poll = async (sink: EventSink): Promise<void> => {
    const now = await signature(dbDir);
    if (now === seen || !now.includes('CURRENT')) return;
    const events = await readNewEvents(dbDir, last);
    seen = now;
    if (events.length === 0) return;
    last = events.at(-1)!.meta.globalPosition;
    sink(events);
  };

  const schedule = (sink: EventSink): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll(sink)
        .catch((err: unknown) => options.onError?.(err))
        .finally(() => schedule(sink));
    }, pollMs);
  };

  return {
    label: `data dir ${dataDir} (copies, every ${pollMs} ms)`,
    async start(sink) {
      await poll(sink);
      schedule(sink);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
