/**
 * Yandex Music metadata, best effort. Yandex blocks many non-CIS IPs (451, 403, a captcha
 * page), so: the public API (`GET /tracks/<id>`, no token) first, then the track page's
 * preview tags, and when both refuse a `MUSIC_YANDEX_REFUSED` error that says so plainly.
 * A real "no such track" from either is a dead link.
 */
import type { Logger } from 'pino';
import { MusicError, isMusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { httpGet, httpGetJson, type HttpResult } from '../net/http.ts';
import { parsePageMeta } from '../net/pageMeta.ts';
import type { CollectionItem, PlatformResolver, ResolveContext, Resolution, TrackInfo } from '../types.ts';
import { arr, DEFAULT_METADATA_TIMEOUT_MS, obj, onBase, seconds, str, trimBase, uniqueNames, type ResolverHttpSettings } from './settings.ts';

/** Options of {@link createYandexResolver}. */
export interface YandexResolverOptions extends ResolverHttpSettings {
  /** `YANDEX_MUSIC_API_URL` (default `https://api.music.yandex.net`). */
  readonly apiUrl: string;
  /** Where track pages are read from instead of the link's own host (tests, proxies). */
  readonly webUrl?: string;
  readonly collectionLimit?: number;
  readonly logger?: Logger;
}

/** An answer that means "not from your IP" rather than "no such track". */
function refused(res: HttpResult): boolean {
  return res.status === 451 || res.status === 403 || res.status === 429 || res.status >= 500 || /captcha/i.test(res.url);
}

function refusal(): MusicError {
  return new MusicError('MUSIC_YANDEX_REFUSED', 'yandex music refused this server (API and page)', { service: 'yandex' });
}

/** Creates the Yandex Music resolver (tracks; albums and users' playlists through the API). */
export function createYandexResolver(options: YandexResolverOptions): PlatformResolver {
  const api = trimBase(options.apiUrl);
  const http = (ctx: ResolveContext) => ({ timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS, signal: ctx.signal, fetch: options.fetch });

  /** The API's `result`, or undefined when Yandex refused us. Throws for a dead link. */
  async function fromApi(path: string, ctx: ResolveContext): Promise<unknown> {
    let res;
    try {
      res = await httpGetJson(`${api}${path}`, 'yandex', http(ctx));
    } catch (err) {
      if (isMusicError(err, 'MUSIC_SOURCE_UNAVAILABLE')) return undefined;
      throw err;
    }
    const body = obj(res.json);
    const errorName = str(obj(body['error'])['name']) ?? str(body['error']);
    if (res.status === 404 || errorName === 'not-found') throw new MusicError('MUSIC_DEAD_LINK', 'yandex has no such item', { service: 'yandex', status: res.status });
    if (refused(res) || res.json === undefined || errorName !== undefined || res.status !== 200) {
      options.logger?.debug({ status: res.status }, 'yandex api refused');
      return undefined;
    }
    return body['result'];
  }

  async function fromPage(link: MusicLink, ctx: ResolveContext): Promise<TrackInfo> {
    let res: HttpResult;
    try {
      res = await httpGet(options.webUrl ? onBase(link.url, options.webUrl) : link.url, 'yandex', http(ctx));
    } catch (err) {
      if (isMusicError(err, 'MUSIC_SOURCE_UNAVAILABLE')) throw refusal();
      throw err;
    }
    if (res.status === 404) throw new MusicError('MUSIC_DEAD_LINK', 'yandex page not found', { service: 'yandex', status: 404 });
    if (res.status !== 200 || refused(res)) throw refusal();
    const parsed = readPage(res.text);
    if (!parsed) throw refusal();
    return { platform: 'yandex', pageUrl: link.url, ...parsed };
  }

  return {
    async resolve(link, ctx): Promise<Resolution> {
      if (link.kind === 'track') {
        const result = await fromApi(`/tracks/${link.id}`, ctx);
        const track = result === undefined ? undefined : trackFrom(arr(result)[0], link);
        if (result !== undefined && !track) throw new MusicError('MUSIC_DEAD_LINK', 'yandex returned no track', { service: 'yandex' });
        return { kind: 'track', track: track ?? (await fromPage(link, ctx)) };
      }
      if (link.kind === 'album') {
        const result = obj(await fromApi(`/albums/${link.id}/with-tracks`, ctx));
        if (Object.keys(result).length === 0) throw refusal();
        const items: CollectionItem[] = [];
        for (const raw of arr(result['volumes']).flatMap(arr)) {
          const t = obj(raw);
          const verdict = parseUrl(`https://music.yandex.ru/album/${link.id}/track/${str(t['id']) ?? ''}`);
          const title = str(t['title']);
          if (verdict.type !== 'link' || !title) continue;
          const durationSec = seconds(t['durationMs'], 1000);
          items.push({ link: verdict.link, title, artists: artistsOf(t), ...(durationSec && { durationSec }) });
          if (items.length >= (options.collectionLimit ?? 10)) break;
        }
        return { kind: 'collection', title: str(result['title']) ?? link.url, items, total: Number(result['trackCount'] ?? items.length) };
      }
      if (link.kind === 'playlist' && link.id.includes('/')) return playlist(link, ctx);
      throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `yandex ${link.kind} links are not supported yet`, { service: 'yandex' });
    },
  };

  /**
   * A user's playlist (`/users/<owner>/playlists/<kind>`). Its entries are `TrackShort`s
   * (`id`, `albumId`; the full `track` only sometimes), so a title missing from an entry is
   * read from `/tracks/<id>`, a few at a time. Entries Yandex no longer has are skipped.
   */
  async function playlist(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
    const [owner = '', kind = ''] = link.id.split('/');
    const result = obj(await fromApi(`/users/${encodeURIComponent(owner)}/playlists/${kind}`, ctx));
    if (Object.keys(result).length === 0) throw refusal();
    const entries = arr(result['tracks']).slice(0, options.collectionLimit ?? 10).map(obj);
    const items: (CollectionItem | undefined)[] = new Array(entries.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < entries.length; i = next++) {
        const entry = entries[i]!;
        const id = String(entry['id'] ?? '').split(':')[0]!;
        if (!/^\d+$/.test(id)) continue;
        let track: unknown = entry['track'];
        if (!str(obj(track)['title'])) track = arr(
            await fromApi(`/tracks/${id}`, ctx).catch((err: unknown) => {
              if (ctx.signal.aborted) throw err;
              return undefined; // gone from Yandex: the entry is skipped
            }),
          )[0];
        const t = obj(track);
        const title = str(t['title']);
        const albumId = str(entry['albumId']) ?? str(obj(arr(t['albums'])[0])['id']);
        const verdict = parseUrl(`https://music.yandex.ru/${albumId ? `album/${albumId}/` : ''}track/${id}`);
        if (!title || verdict.type !== 'link') continue;
        const durationSec = seconds(t['durationMs'], 1000);
        items[i] = { link: verdict.link, title, artists: artistsOf(t), ...(durationSec && { durationSec }) };
      }
    };
    await Promise.all(Array.from({ length: TRACK_LOOKUPS_AT_ONCE }, worker));
    const listed = items.filter((x): x is CollectionItem => x !== undefined);
    const total = Number(result['trackCount'] ?? listed.length);
    return { kind: 'collection', title: str(result['title']) ?? link.url, items: listed, total: Number.isFinite(total) ? total : listed.length };
  }
}

/** `/tracks/<id>` lookups of one playlist in flight at once: polite to a rate-limited API. */
const TRACK_LOOKUPS_AT_ONCE = 4;

function artistsOf(t: Record<string, unknown>): string[] {
  return uniqueNames(arr(t['artists']).map((a) => str(obj(a)['name'])));
}

function trackFrom(raw: unknown, link: MusicLink): TrackInfo | undefined {
  const t = obj(raw);
  const name = str(t['title']);
  if (!name) return undefined;
  const version = str(t['version']);
  const album = obj(arr(t['albums'])[0]);
  const albumTitle = str(album['title']);
  const durationSec = seconds(t['durationMs'], 1000);
  const cover = str(t['coverUri']) ?? str(album['coverUri']);
  return {
    platform: 'yandex',
    pageUrl: link.url,
    title: version ? `${name} (${version})` : name,
    artists: artistsOf(t),
    ...(albumTitle && { album: albumTitle }),
    ...(durationSec && { durationSec }),
    explicit: t['contentWarning'] === 'explicit',
    // Yandex gives `avatars.yandex.net/get-music-content/…/%%`: the size goes where %% is.
    ...(cover && { coverUrl: `https://${cover.replace(/^https?:\/\//, '').replace('%%', '400x400')}` }),
  };
}

const SUFFIX = /\s*[.|—–-]?\s*(?:слушать онлайн|listen online|tinglash|тыңдау).*$/iu;

/**
 * Title and artist from a track page's `og:title` ("Title — Artist", suffix "слушать онлайн
 * на Яндекс Музыке" removed). The description's first part, when it is one of the two
 * halves, tells which half is the artist.
 */
function readPage(html: string): Pick<TrackInfo, 'title' | 'artists' | 'coverUrl' | 'durationSec'> | undefined {
  const meta = parsePageMeta(html);
  const raw = (meta.tags.get('og:title') ?? meta.title ?? '').replace(SUFFIX, '').trim();
  if (!raw || /captcha|ой!|oops/i.test(raw)) return undefined;
  const halves = raw.split(/\s+[—–-]\s+/);
  let title = raw;
  let artist: string | undefined;
  if (halves.length >= 2) {
    const first = halves[0]!;
    const rest = halves.slice(1).join(' — ');
    const described = meta.tags.get('og:description')?.split(/\s+[•·]\s+/)[0]?.trim();
    if (described && described.toLowerCase() === first.toLowerCase()) [artist, title] = [first, rest];
    else [title, artist] = [first, rest];
  }
  const image = meta.tags.get('og:image');
  const durationSec = seconds(meta.tags.get('music:duration'));
  return {
    title,
    artists: artist ? artist.split(/, | & /).map((a) => a.trim()).filter(Boolean) : [],
    ...(image && { coverUrl: image.startsWith('//') ? `https:${image}` : image }),
    ...(durationSec && { durationSec }),
  };
}
