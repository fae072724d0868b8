/**
 * A client of LRCLIB (https://lrclib.net), the free, keyless lyrics database: `/api/get` by
 * title, artist, album and length first (exact, the way LRCLIB wants to be asked), then
 * `/api/search?q=` when that misses (an album name that differs, an audio without one).
 *
 * Requests go through the resolvers' HTTP helper (`src/music/net/http.ts`): a time budget, a
 * body cap, and redirects away from the configured base only to public addresses. LRCLIB
 * asks clients to name themselves in the User-Agent, so every request does.
 *
 * @example
 * const lyrics = createLrclibClient({ baseUrl: 'https://lrclib.net' });
 * const found = await lyrics.find({ title: 'Night Drive', artist: 'Aurora Lane', durationSec: 215 });
 * if (found.kind === 'found') console.log(found.text);
 */
import { z } from 'zod';
import { MusicError } from '../music/errors.ts';
import { httpGetJson, type HttpResult } from '../music/net/http.ts';

/** What the bot knows of a track to ask for its lyrics. */
export interface LyricsQuery {
  readonly title: string;
  /** Empty or absent: only a search by title is possible (`/api/get` needs an artist). */
  readonly artist?: string;
  readonly album?: string;
  readonly durationSec?: number;
}

/** What LRCLIB knows of a track's lyrics. */
export type LyricsResult =
  | { readonly kind: 'found'; readonly title: string; readonly artist: string; readonly text: string }
  | { readonly kind: 'instrumental'; readonly title: string; readonly artist: string }
  | { readonly kind: 'missing' };

/** Why no answer came; `code` is stable (user messages are keyed by it). */
export type LyricsErrorCode =
  /** LRCLIB did not answer in time, could not be reached, or answered 5xx/429. */
  | 'LYRICS_UNAVAILABLE'
  /** LRCLIB answered with a body that is not what its source says it prints. */
  | 'LYRICS_BAD_RESPONSE';

/** A failed lookup. The message names no secret (LRCLIB has none). */
export class LyricsError extends Error {
  override readonly name = 'LyricsError';
  constructor(readonly code: LyricsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Options of {@link createLrclibClient}. */
export interface LrclibOptions {
  /** `LRCLIB_API_URL` without a trailing slash. */
  readonly baseUrl: string;
  /** Budget of one request (default 8 s). */
  readonly timeoutMs?: number;
  /** Test transport (see `HttpGetOptions.fetch`). */
  readonly fetch?: typeof globalThis.fetch;
}

/** Looks lyrics up. */
export interface LyricsClient {
  /** @throws {LyricsError} when LRCLIB is down or answers nonsense; the signal's reason when aborted. */
  find(query: LyricsQuery, options?: { readonly signal?: AbortSignal; readonly timeoutMs?: number }): Promise<LyricsResult>;
}

/** LRCLIB asks for a User-Agent naming the app and where it lives (its API docs). */
export const LRCLIB_USER_AGENT = 'spotify-link-music-bot/0.1.0 (self-hosted Telegram music bot)';

// The fields this client reads of `TrackResponse` in LRCLIB's server/src/routes/get_lyrics_by_metadata.rs
// and search_lyrics.rs (both `#[serde(rename_all = "camelCase")]`; names are Option<String>,
// plain/synced lyrics Option<String>, instrumental bool, duration Option<f64>).
const trackSchema = z.object({
  id: z.number(),
  trackName: z.string().nullable(),
  artistName: z.string().nullable(),
  duration: z.number().nullable(),
  instrumental: z.boolean(),
  plainLyrics: z.string().nullable(),
  syncedLyrics: z.string().nullable(),
});
type LrclibTrack = z.infer<typeof trackSchema>;

/** `[mm:ss.xx]` time tags of LRC lines (and `[ar:…]`-style header lines, dropped whole). */
const LRC_TIME = /\[\d{1,3}:\d{2}(?:[.:]\d{1,3})?\]/g;
const LRC_HEADER = /^\[[a-z]+:[^\]]*\]$/i;

/** The words of synced lyrics without their time tags. */
export function plainFromSynced(synced: string): string {
  return synced
    .split(/\r?\n/)
    .filter((line) => !LRC_HEADER.test(line.trim()))
    .map((line) => line.replace(LRC_TIME, '').trim())
    .join('\n')
    .trim();
}

/** Seconds LRCLIB's own `/api/get` tolerates between the asked and the stored length (track_repository.rs). */
const DURATION_SLACK_SEC = 2;

/** Lower case, letters and digits only: "Night Drive (Remastered)" and "night drive" share "nightdrive". */
const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** A search hit is the asked track only when one title contains the other (search ranks loosely). */
function sameTitle(found: string, asked: string): boolean {
  const a = squash(found);
  const b = squash(asked);
  return a !== '' && b !== '' && (a.includes(b) || b.includes(a));
}

/** Creates the client. */
export function createLrclibClient(o: LrclibOptions): LyricsClient {
  const base = o.baseUrl.replace(/\/+$/, '');

  async function get(path: string, params: Record<string, string | undefined>, signal: AbortSignal | undefined, timeoutMs: number): Promise<HttpResult & { json: unknown }> {
    const url = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    try {
      return await httpGetJson(url.href, 'LRCLIB', {
        timeoutMs,
        ...(signal && { signal }),
        maxBytes: 1024 * 1024,
        headers: { 'user-agent': LRCLIB_USER_AGENT },
        ...(o.fetch && { fetch: o.fetch }),
      });
    } catch (err) {
      if (err instanceof MusicError) throw new LyricsError('LYRICS_UNAVAILABLE', err.message, { cause: err });
      throw err;
    }
  }

  function unavailable(path: string, status: number): never {
    throw new LyricsError('LYRICS_UNAVAILABLE', `LRCLIB ${path} answered ${status}`);
  }

  function parse<T>(schema: z.ZodType<T>, json: unknown, path: string): T {
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new LyricsError('LYRICS_BAD_RESPONSE', `LRCLIB ${path} answered an unexpected body`);
    return parsed.data;
  }

  return {
    async find(q, options = {}) {
      const timeoutMs = options.timeoutMs ?? o.timeoutMs ?? 8000;
      const title = q.title.trim();
      const artist = q.artist?.trim() ?? '';
      // get_lyrics_by_metadata.rs validates duration to 1..=3600 s and refuses empty names.
      const duration = q.durationSec !== undefined && q.durationSec >= 1 && q.durationSec <= 3600 ? Math.round(q.durationSec) : undefined;
      if (title === '') return { kind: 'missing' };
      if (artist !== '') {
        const res = await get('/api/get', { track_name: title, artist_name: artist, album_name: q.album?.trim() || undefined, duration: duration?.toString() }, options.signal, timeoutMs);
        if (res.status === 200) return resultOf(parse(trackSchema, res.json, '/api/get'));
        if (res.status !== 404) unavailable('/api/get', res.status);
      }
      const words = artist ? `${artist} ${title}` : title;
      const res = await get('/api/search', { q: words }, options.signal, timeoutMs);
      if (res.status !== 200) unavailable('/api/search', res.status);
      const tracks = parse(z.array(trackSchema), res.json, '/api/search');
      const fits = (t: LrclibTrack) =>
        sameTitle(t.trackName ?? '', title) &&
        (duration === undefined || t.duration === null || Math.abs(t.duration - duration) <= DURATION_SLACK_SEC) &&
        (t.instrumental || t.plainLyrics !== null || t.syncedLyrics !== null);
      const best = tracks.find(fits);
      return best ? resultOf(best) : { kind: 'missing' };
    },
  };

  function resultOf(t: LrclibTrack): LyricsResult {
    const names = { title: t.trackName ?? '', artist: t.artistName ?? '' };
    if (t.instrumental) return { kind: 'instrumental', ...names };
    const text = (t.plainLyrics?.trim() || (t.syncedLyrics ? plainFromSynced(t.syncedLyrics) : '')).replace(/\r\n/g, '\n');
    return text ? { kind: 'found', ...names, text } : { kind: 'missing' };
  }
}
