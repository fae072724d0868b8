/**
 * The `file_id` cache: which Telegram file already holds a track, so it is re-sent
 * instantly instead of downloaded again. It lives in its own sublevel (`music-audio`) of a
 * database handed in (never the event log's keyspaces), so it survives restarts and can be
 * dropped without touching anything else.
 *
 * Keys: `k:<canonical key>` (`spotify:track:…`, `youtube:video:…`, the link's and the
 * downloaded source's) and `i:<ISRC>` (the same recording reached from another service).
 * A `file_id` works only for the bot that uploaded it: one cache per bot token.
 *
 * A link whose URL is itself a secret (a private SoundCloud link) is keyed by
 * {@link AudioCache.sealedKey}: an HMAC of the URL under a random salt kept in the cache, so
 * neither a public key nor a short, guessable secret can be read back from keys or logs.
 */
import { createHmac, randomBytes } from 'node:crypto';
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
  /**
   * The key of a secret (a private link's URL): `sealed:<HMAC-SHA256 under this cache's salt>`.
   * Stable across restarts, different for every secret, and the secret cannot be recovered
   * from it without the salt (SoundCloud's tokens are only 5+ letters, so a bare hash could
   * be brute-forced).
   */
  sealedKey(secret: string): Promise<string>;
}

/** The sublevel's name. */
export const AUDIO_CACHE_SUBLEVEL = 'music-audio';

/** Where the salt of {@link AudioCache.sealedKey} lives (outside the `k:`/`i:` ranges). */
const SALT_KEY = 's:salt';

const isrcKey = (isrc: string) => `i:${isrc.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;

function decode(raw: string | undefined): CachedAudio | undefined {
  if (raw === undefined || raw === null) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<CachedAudio>;
    return typeof v.fileId === 'string' && v.fileId !== '' ? (v as CachedAudio) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the cache needs from a backend: text by key and atomic multi-writes. LevelDB's sublevel
 * here, PostgreSQL's table in `postgresAudioCache.ts`; the cache's rules are written once, below.
 */
export interface AudioCacheStore {
  get(key: string): Promise<string | undefined>;
  /** Writes `puts` and `deletes` atomically. */
  write(puts: readonly (readonly [string, string])[], deletes: readonly string[]): Promise<void>;
  /** Stores `value` under `key` unless something is there; returns what is there now. */
  putIfAbsent(key: string, value: string): Promise<string>;
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
  return audioCacheOn({
    get: (key) => space.get(key),
    write: (puts, deletes) =>
      space.batch([...puts.map(([key, value]) => ({ type: 'put' as const, key, value })), ...deletes.map((key) => ({ type: 'del' as const, key }))]),
    // One process owns a LevelDB, and the cache asks once per open: a read then a put is enough.
    async putIfAbsent(key, value) {
      const there = await space.get(key);
      if (there !== undefined) return there;
      await space.put(key, value);
      return value;
    },
  });
}

/** The cache over any {@link AudioCacheStore}. */
export function audioCacheOn(store: AudioCacheStore): AudioCache {
  // Read or made once per open; concurrent first calls share the one promise. Every process
  // sharing a store ends up with the same salt (putIfAbsent), so their sealed keys agree.
  let salt: Promise<string> | undefined;
  const loadSalt = () => store.putIfAbsent(SALT_KEY, randomBytes(32).toString('hex'));
  return {
    async get(key) {
      return decode(await store.get(`k:${key}`));
    },
    async getByIsrc(isrc) {
      return decode(await store.get(isrcKey(isrc)));
    },
    async put(keys, isrc, audio) {
      const value = JSON.stringify(audio);
      const puts: (readonly [string, string])[] = keys.map((k) => [`k:${k}`, value]);
      if (isrc) puts.push([isrcKey(isrc), value]);
      if (puts.length > 0) await store.write(puts, []);
    },
    async delete(keys, isrc) {
      const deletes: string[] = keys.map((k) => `k:${k}`);
      if (isrc) deletes.push(isrcKey(isrc));
      if (deletes.length > 0) await store.write([], deletes);
    },
    async sealedKey(secret) {
      salt ??= loadSalt().catch((err: unknown) => {
        salt = undefined; // a failed read is tried again next time
        throw err;
      });
      return `sealed:${createHmac('sha256', await salt).update(secret).digest('hex')}`;
    },
  };
}
