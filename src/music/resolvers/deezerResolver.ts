/**
 * Deezer metadata from its public API (no key): `GET /track/<id>` gives the title, every
 * contributor, the album, the duration, the cover and the ISRC; `/album/<id>` and
 * `/playlist/<id>` list tracks. Deezer answers errors with HTTP 200 and an `error` object:
 * code 800 ("no data") is a dead link, 4 a quota hit.
 */
import { MusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { failForStatus, httpGetJson } from '../net/http.ts';
import type { CollectionItem, PlatformResolver, ResolveContext, Resolution } from '../types.ts';
import { arr, DEFAULT_METADATA_TIMEOUT_MS, obj, seconds, str, trimBase, uniqueNames, type ResolverHttpSettings } from './settings.ts';

/** Options of {@link createDeezerResolver}. */
export interface DeezerResolverOptions extends ResolverHttpSettings {
  /** `DEEZER_API_URL` (default `https://api.deezer.com`). */
  readonly apiUrl: string;
  /** Tracks listed for an album or playlist (default 10). */
  readonly collectionLimit?: number;
}

/** Creates the Deezer resolver (tracks, albums, playlists). */
export function createDeezerResolver(options: DeezerResolverOptions): PlatformResolver {
  const base = trimBase(options.apiUrl);
  const get = async (path: string, ctx: ResolveContext): Promise<Record<string, unknown>> => {
    const res = await httpGetJson(`${base}${path}`, 'deezer', {
      timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS,
      signal: ctx.signal,
      fetch: options.fetch,
    });
    if (res.status !== 200) failForStatus(res.status, 'deezer');
    const body = obj(res.json);
    if (res.json === undefined) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', 'deezer answered no JSON', { service: 'deezer' });
    const error = obj(body['error']);
    if (Object.keys(error).length > 0) {
      const code = Number(error['code']);
      if (code === 800) throw new MusicError('MUSIC_DEAD_LINK', 'deezer has no such item', { service: 'deezer' });
      throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `deezer error ${Number.isFinite(code) ? code : '?'}`, { service: 'deezer' });
    }
    return body;
  };

  return {
    async resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
      if (link.kind === 'track') {
        const t = await get(`/track/${link.id}`, ctx);
        const album = obj(t['album']);
        const artists = uniqueNames([...arr(t['contributors']).map((c) => str(obj(c)['name'])), str(obj(t['artist'])['name'])]);
        const title = str(t['title']);
        if (!title) throw new MusicError('MUSIC_DEAD_LINK', 'deezer track has no title', { service: 'deezer' });
        const cover = str(album['cover_xl']) ?? str(album['cover_big']) ?? str(album['cover_medium']);
        const isrc = str(t['isrc']);
        const albumTitle = str(album['title']);
        const durationSec = seconds(t['duration']);
        return {
          kind: 'track',
          track: {
            platform: 'deezer',
            pageUrl: link.url,
            title,
            artists,
            ...(albumTitle && { album: albumTitle }),
            ...(durationSec && { durationSec }),
            ...(isrc && { isrc }),
            explicit: t['explicit_lyrics'] === true,
            ...(cover && { coverUrl: cover }),
          },
        };
      }
      if (link.kind === 'album' || link.kind === 'playlist') {
        const body = await get(`/${link.kind}/${link.id}`, ctx);
        const tracks = arr(obj(body['tracks'])['data']);
        const items: CollectionItem[] = [];
        for (const raw of tracks) {
          const t = obj(raw);
          const verdict = parseUrl(`https://www.deezer.com/track/${str(t['id']) ?? ''}`);
          const title = str(t['title']);
          if (verdict.type !== 'link' || !title) continue;
          const durationSec = seconds(t['duration']);
          items.push({ link: verdict.link, title, artists: uniqueNames([str(obj(t['artist'])['name'])]), ...(durationSec && { durationSec }) });
          if (items.length >= (options.collectionLimit ?? 10)) break;
        }
        const total = Number(body['nb_tracks'] ?? tracks.length);
        return { kind: 'collection', title: str(body['title']) ?? link.url, items, total: Number.isFinite(total) ? total : items.length };
      }
      throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `deezer ${link.kind} links are not supported`, { service: 'deezer' });
    },
  };
}
