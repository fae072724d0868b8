/**
 * The `file_id` cache: which Telegram file already holds a track, so it is re-sent
 * instantly instead of downloaded again. It lives in its own sublevel (`music-audio`) of a
 * database handed in (never the event log's keyspaces), so it survives restarts and can be
 * dropped without touching anything else.
 *
 * Keys: `k:<canonical key>` (`spotify:track:…`, `youtube:video:…`, the link's and the
 * downloaded source's) and `i:<ISRC>` (the same recording reached from another service).
 * A `file_id` works only for the bot that uploaded it: one cache per bot token.
 */
import type { RootDb } from '../../../eventlog/index.ts';

/** One cached upload. */
export interface CachedAudio {
  readonly fileId: string;
  readonly title?: string;
  readonly performer?: string;
  readonly durationSec?: number;
  /** When it was stored (ms since epoch). */
  readonly storedAt: number;
}

/** The cache's operations. */
export interface AudioCache {
  /** The upload stored for a canonical key. */
  get(key: string): Promise<CachedAudio | undefined>;
  /** The upload stored for an ISRC (case-insensitive). */
  getByIsrc(isrc: string): Promise<CachedAudio | undefined>;
  /** Stores one upload under several keys and an optional ISRC, in one atomic batch. */
  put(keys: readonly string[], isrc: string | undefined, audio: CachedAudio): Promise<void>;
  /** Forgets keys (a `file_id` Telegram no longer accepts). */
  delete(keys: readonly string[], isrc?: string): Promise<void>;
}

/** The sublevel's name. */
export const AUDIO_CACHE_SUBLEVEL = 'music-audio';

const isrcKey = (isrc: string) => `i:${isrc.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;

function decode(raw: string | undefined): CachedAudio | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<CachedAudio>;
    return typeof v.fileId === 'string' && v.fileId !== '' ? (v as CachedAudio) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the cache on `db` (which the caller opened and closes).
 *
 * @example
 * const cache = openAudioCache(db);
 * await cache.put(['spotify:track:4uLU6hMCjMI75M1A2tKUQC'], 'USUM71703861', { fileId, storedAt: Date.now() });
 * (await cache.get('spotify:track:4uLU6hMCjMI75M1A2tKUQC'))?.fileId;
 */
export function openAudioCache(db: RootDb, name: string = AUDIO_CACHE_SUBLEVEL): AudioCache {
  const space = db.sublevel<string, string>(name, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  return {
    async get(key) {
      return decode(await space.get(`k:${key}`));
    },
    async getByIsrc(isrc) {
      return decode(await space.get(isrcKey(isrc)));
    },
    async put(keys, isrc, audio) {
      const value = JSON.stringify(audio);
      const ops = keys.map((k) => ({ type: 'put' as const, key: `k:${k}`, value }));
      if (isrc) ops.push({ type: 'put', key: isrcKey(isrc), value });
      if (ops.length > 0) await space.batch(ops);
    },
    async delete(keys, isrc) {
      const ops = keys.map((k) => ({ type: 'del' as const, key: `k:${k}` }));
      if (isrc) ops.push({ type: 'del', key: isrcKey(isrc) });
      if (ops.length > 0) await space.batch(ops);
    },
  };
}
