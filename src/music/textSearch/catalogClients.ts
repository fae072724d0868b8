/**
 * The catalogues the text search asks, each a {@link CatalogSearch} over one public search
 * endpoint. Every body is checked with zod against the fields used (the rest is ignored, so
 * a catalogue adding fields never breaks a search); a body of another shape is a failure of
 * that catalogue only.
 *
 * - Deezer `GET /search?q=&limit=` (developers.deezer.com/api/search): `{ data: [track], total }`,
 *   each track with numeric `id` and `duration`, `title`, one `artist` object; errors come as
 *   HTTP 200 with `{ error: { type, message, code } }`. No ISRC, no contributors.
 * - iTunes `GET /search?term=&entity=song&limit=` (Apple's iTunes Search API):
 *   `{ resultCount, results: [{ wrapperType: "track", kind: "song", trackId, collectionId,
 *   trackName, artistName, trackTimeMillis }] }`, served as text/javascript. No ISRC.
 * - Spotify `GET /search?q=&type=track&limit=` (the Web API OpenAPI spec: `limit` 1–10,
 *   default 5) with the app's client-credentials token: `{ tracks: { items: [TrackObject] } }`,
 *   ISRC in `external_ids.isrc` when Spotify prints it.
 */
import { z } from 'zod';
import { MusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { httpGetJson } from '../net/http.ts';
import { trimBase, uniqueNames } from '../resolvers/settings.ts';
import type { CatalogSearch, FoundTrack } from './types.ts';

/** Settings every client takes. */
export interface CatalogClientOptions {
  /** The API base (`DEEZER_API_URL`, `ITUNES_API_URL`, `SPOTIFY_API_URL`). */
  readonly apiUrl: string;
  /** Budget of one request (default 3000 ms; the search's own budget is usually shorter). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

const DeezerBody = z.union([
  z.object({ error: z.object({ code: z.number().optional(), message: z.string().optional() }) }),
  z.object({
    data: z.array(z.object({ id: z.number(), title: z.string(), duration: z.number().optional(), artist: z.object({ name: z.string() }) })),
  }),
]);

const ItunesBody = z.object({
  results: z.array(
    z.object({
      wrapperType: z.string().optional(),
      kind: z.string().optional(),
      trackId: z.number().optional(),
      collectionId: z.number().optional(),
      trackName: z.string().optional(),
      artistName: z.string().optional(),
      trackTimeMillis: z.number().optional(),
    }),
  ),
});

const SpotifyBody = z.object({
  tracks: z.object({
    items: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          duration_ms: z.number(),
          artists: z.array(z.object({ name: z.string() })),
          external_ids: z.object({ isrc: z.string().nullish() }).nullish(),
        })
        .nullable(),
    ),
  }),
});

const DEFAULT_TIMEOUT_MS = 3000;

function linkOf(url: string): MusicLink | undefined {
  const verdict = parseUrl(url);
  return verdict.type === 'link' ? verdict.link : undefined;
}

function secondsOf(value: number | undefined, divisor = 1): number | undefined {
  return value !== undefined && value > 0 ? Math.round(value / divisor) : undefined;
}

function parsed<T extends z.ZodType>(service: string, json: unknown, schema: T): z.output<T> {
  const result = schema.safeParse(json);
  if (!result.success) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `${service} search answered an unexpected body`, { service });
  return result.data;
}

/** Any other status than 200 means no answer from this catalogue (a 404 is not a dead link here). */
function refused(status: number, service: string): never {
  throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `${service} search answered ${status}`, { service, status });
}

async function getJson(url: string, service: string, o: CatalogClientOptions, signal: AbortSignal, headers?: Record<string, string>) {
  const res = await httpGetJson(url, service, { timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal, fetch: o.fetch, maxBytes: 512 * 1024, ...(headers && { headers }) });
  if (res.status !== 200) refused(res.status, service);
  return res.json;
}

/** Deezer's public search (no key). */
export function createDeezerSearch(o: CatalogClientOptions): CatalogSearch {
  const base = trimBase(o.apiUrl);
  return {
    name: 'deezer',
    async search(query, limit, signal) {
      const json = await getJson(`${base}/search?${new URLSearchParams({ q: query, limit: String(limit) })}`, 'deezer', o, signal);
      const body = parsed('deezer', json, DeezerBody);
      // Code 4 is Deezer's quota; any error object means no answer from this catalogue.
      if ('error' in body) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `deezer search error ${body.error.code ?? '?'}`, { service: 'deezer' });
      return body.data.flatMap((t): FoundTrack[] => {
        const link = linkOf(`https://www.deezer.com/track/${t.id}`);
        const durationSec = secondsOf(t.duration);
        return link && t.title.trim() ? [{ link, title: t.title.trim(), artists: uniqueNames([t.artist.name]), ...(durationSec && { durationSec }) }] : [];
      });
    },
  };
}

/** Apple lists several artists as "A, B & C" (as the Apple resolver reads them). */
const splitArtists = (name: string): string[] => uniqueNames(name.split(/, | & /));

/** Apple's iTunes Search API, songs only, in `country` (default `us`). */
export function createItunesSearch(o: CatalogClientOptions & { readonly country?: string }): CatalogSearch {
  const base = trimBase(o.apiUrl);
  const country = o.country ?? 'us';
  return {
    name: 'itunes',
    async search(query, limit, signal) {
      const params = new URLSearchParams({ term: query, entity: 'song', limit: String(limit), country });
      const body = parsed('itunes', await getJson(`${base}/search?${params}`, 'itunes', o, signal), ItunesBody);
      return body.results.flatMap((r): FoundTrack[] => {
        if (r.kind !== 'song' || r.trackId === undefined || r.collectionId === undefined || !r.trackName?.trim()) return [];
        // The same link form the Apple resolver builds for album entries: it looks the song up by `i`.
        const link = linkOf(`https://music.apple.com/${country}/album/${r.collectionId}?i=${r.trackId}`);
        const durationSec = secondsOf(r.trackTimeMillis, 1000);
        return link ? [{ link, title: r.trackName.trim(), artists: splitArtists(r.artistName ?? ''), ...(durationSec && { durationSec }) }] : [];
      });
    },
  };
}

/** Spotify's search with the app's token; a 401 gets one fresh token and one more try. */
export function createSpotifySearch(o: CatalogClientOptions & { readonly appToken: (opts?: { forceRefresh?: boolean }) => Promise<string> }): CatalogSearch {
  const base = trimBase(o.apiUrl);
  return {
    name: 'spotify',
    async search(query, limit, signal) {
      const url = `${base}/search?${new URLSearchParams({ q: query, type: 'track', limit: String(Math.min(10, Math.max(1, limit))) })}`;
      const ask = async (forceRefresh: boolean) => {
        const token = await o.appToken(forceRefresh ? { forceRefresh } : undefined).catch((err: unknown) => {
          throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', 'spotify gave the app no token', { service: 'spotify', cause: err });
        });
        return httpGetJson(url, 'spotify', { timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal, fetch: o.fetch, maxBytes: 1024 * 1024, headers: { authorization: `Bearer ${token}` } });
      };
      let res = await ask(false);
      if (res.status === 401) res = await ask(true);
      if (res.status !== 200) refused(res.status, 'spotify');
      return parsed('spotify', res.json, SpotifyBody).tracks.items.flatMap((t): FoundTrack[] => {
        const link = t && linkOf(`https://open.spotify.com/track/${t.id}`);
        if (!t || !link) return [];
        const isrc = t.external_ids?.isrc ?? undefined;
        const durationSec = secondsOf(t.duration_ms, 1000);
        return [{ link, title: t.name, artists: uniqueNames(t.artists.map((a) => a.name)), ...(durationSec && { durationSec }), ...(isrc && { isrc }) }];
      });
    },
  };
}
