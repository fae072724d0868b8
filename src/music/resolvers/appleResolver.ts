/**
 * Apple Music metadata from the public iTunes Search API: `GET /lookup?id=<id>&entity=song`
 * in the link's store country. It gives title, artist, album, duration and artwork (scaled
 * up to 600 px by rewriting its URL) but no ISRC. An empty result is a dead link (or one not
 * sold in that country).
 *
 * Playlists are not in the iTunes API. With the operator's MusicKit developer token
 * (`APPLE_MUSIC_TOKEN`) they are read from the Apple Music API: `GET
 * /v1/catalog/<storefront>/playlists/<id>`, whose `tracks` relationship is included by default
 * (developer.apple.com/documentation/applemusicapi/get_a_catalog_playlist). Without a token
 * a playlist answers `MUSIC_COLLECTION_UNSUPPORTED`.
 */
import { MusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { failForStatus, httpGetJson } from '../net/http.ts';
import type { CollectionItem, PlatformResolver, ResolveContext, Resolution } from '../types.ts';
import { arr, DEFAULT_METADATA_TIMEOUT_MS, obj, seconds, str, trimBase, type ResolverHttpSettings } from './settings.ts';

/** Options of {@link createAppleResolver}. */
export interface AppleResolverOptions extends ResolverHttpSettings {
  /** `ITUNES_API_URL` (default `https://itunes.apple.com`). */
  readonly apiUrl: string;
  /** Tracks listed for an album or playlist (default 10). */
  readonly collectionLimit?: number;
  /** The Apple Music API and a developer token, for playlists. */
  readonly appleMusic?: { readonly apiUrl: string; readonly token: string };
}

/** Apple lists several artists as "A, B & C". */
function splitArtists(name: string | undefined): string[] {
  return name ? name.split(/, | & /).map((a) => a.trim()).filter(Boolean) : [];
}

/** Creates the Apple Music resolver (songs and albums). */
export function createAppleResolver(options: AppleResolverOptions): PlatformResolver {
  const base = trimBase(options.apiUrl);
  const lookup = async (id: string, country: string, ctx: ResolveContext): Promise<Record<string, unknown>[]> => {
    const query = new URLSearchParams({ id, country, entity: 'song', limit: '200' });
    const res = await httpGetJson(`${base}/lookup?${query}`, 'itunes', {
      timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS,
      signal: ctx.signal,
      fetch: options.fetch,
    });
    if (res.status !== 200) failForStatus(res.status, 'itunes');
    if (res.json === undefined) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', 'itunes answered no JSON', { service: 'itunes' });
    return arr(obj(res.json)['results']).map(obj);
  };

  return {
    async resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
      const country = link.country ?? 'us';
      if (link.kind === 'track') {
        const results = await lookup(link.id, country, ctx);
        const t = results.find((r) => r['wrapperType'] === 'track' && String(r['trackId']) === link.id) ?? results.find((r) => r['wrapperType'] === 'track');
        const title = str(t?.['trackName']);
        if (!t || !title) throw new MusicError('MUSIC_DEAD_LINK', 'itunes has no such song', { service: 'itunes' });
        const album = str(t['collectionName']);
        const durationSec = seconds(t['trackTimeMillis'], 1000);
        const art = str(t['artworkUrl100'])?.replace(/\/\d+x\d+(bb)?\.(jpg|png)$/, '/600x600bb.jpg');
        return {
          kind: 'track',
          track: {
            platform: 'apple',
            pageUrl: link.url,
            title,
            artists: splitArtists(str(t['artistName'])),
            ...(album && { album }),
            ...(durationSec && { durationSec }),
            explicit: t['trackExplicitness'] === 'explicit',
            ...(art && { coverUrl: art }),
          },
        };
      }
      if (link.kind === 'album') {
        const results = await lookup(link.id, country, ctx);
        const collection = results.find((r) => r['wrapperType'] === 'collection');
        if (!collection) throw new MusicError('MUSIC_DEAD_LINK', 'itunes has no such album', { service: 'itunes' });
        const songs = results.filter((r) => r['wrapperType'] === 'track');
        const items: CollectionItem[] = [];
        for (const s of songs.slice(0, options.collectionLimit ?? 10)) {
          const verdict = parseUrl(`https://music.apple.com/${country}/album/${link.id}?i=${str(s['trackId']) ?? ''}`);
          const title = str(s['trackName']);
          if (verdict.type !== 'link' || !title) continue;
          const durationSec = seconds(s['trackTimeMillis'], 1000);
          items.push({ link: verdict.link, title, artists: splitArtists(str(s['artistName'])), ...(durationSec && { durationSec }) });
        }
        return { kind: 'collection', title: str(collection['collectionName']) ?? link.url, items, total: songs.length };
      }
      if (link.kind === 'playlist' && options.appleMusic) return playlist(link, country, options.appleMusic, ctx);
      throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `apple ${link.kind} links are not supported`, { service: 'itunes' });
    },
  };

  /** A catalog playlist through the Apple Music API (songs only: music videos are skipped). */
  async function playlist(link: MusicLink, country: string, am: { apiUrl: string; token: string }, ctx: ResolveContext): Promise<Resolution> {
    const url = `${trimBase(am.apiUrl)}/v1/catalog/${encodeURIComponent(country)}/playlists/${encodeURIComponent(link.id)}`;
    const res = await httpGetJson(url, 'apple-music', {
      timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS,
      signal: ctx.signal,
      fetch: options.fetch,
      headers: { authorization: `Bearer ${am.token}` },
    });
    // 401/403: the token expired or was revoked; the operator must renew it (never shown to users).
    if (res.status === 401 || res.status === 403) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `apple music refused the developer token (${res.status})`, { service: 'apple-music', status: res.status });
    if (res.status !== 200) failForStatus(res.status, 'apple-music');
    const data = obj(arr(obj(res.json)['data'])[0]);
    const songs = arr(obj(obj(data['relationships'])['tracks'])['data']).map(obj).filter((t) => t['type'] === 'songs');
    const items: CollectionItem[] = [];
    for (const song of songs) {
      const a = obj(song['attributes']);
      const verdict = parseUrl(str(a['url']) ?? '');
      const title = str(a['name']);
      if (verdict.type !== 'link' || verdict.link.kind !== 'track' || !title) continue;
      const durationSec = seconds(a['durationInMillis'], 1000);
      items.push({ link: verdict.link, title, artists: splitArtists(str(a['artistName'])), ...(durationSec && { durationSec }) });
      if (items.length >= (options.collectionLimit ?? 10)) break;
    }
    // The first page of `tracks` (up to 100) is what is known; longer playlists say "next".
    return { kind: 'collection', title: str(obj(data['attributes'])['name']) ?? link.url, items, total: songs.length };
  }
}
