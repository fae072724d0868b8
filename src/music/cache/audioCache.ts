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

/** How canonical keys and ISRCs are stored, shared with the PostgreSQL cache. */
export const AUDIO_KEYS = { key: (key: string) => `k:${key}`, isrc: isrcKey } as const;

/** A stored entry, or undefined when it is missing or damaged (a miss, never a crash). */
export function decodeAudio(raw: string | undefined): CachedAudio | undefined {
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
  // Read or made once per open; concurrent first calls share the one promise.
  let salt: Promise<string> | undefined;
  const loadSalt = async (): Promise<string> => {
    const stored = await space.get(SALT_KEY);
    if (stored) return stored;
    const made = randomBytes(32).toString('hex');
    await space.put(SALT_KEY, made);
    return made;
  };
  return {
    async get(key) {
      return decodeAudio(await space.get(`k:${key}`));
    },
    async getByIsrc(isrc) {
      return decodeAudio(await space.get(isrcKey(isrc)));
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
    async sealedKey(secret) {
      salt ??= loadSalt().catch((err: unknown) => {
        salt = undefined; // a failed read is tried again next time
        throw err;
      });
      return `sealed:${createHmac('sha256', await salt).update(secret).digest('hex')}`;
    },
  };
}
