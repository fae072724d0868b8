/**
 * Spotify metadata, most exact first: the Web API with the user's own token when they linked
 * Spotify, else the app's client-credentials token, else the public track page's preview
 * tags (title, artist, duration, cover; no ISRC). The page is also the answer while Spotify
 * refuses the whole app (403 "Active premium subscription required for the owner of the
 * app"). The Web API is only ever asked for one track: multi-id lookups are gone for
 * development-mode apps.
 *
 * Albums and playlists need the Web API (their pages list no tracks without JavaScript):
 * albums with the user's token or the app's; playlists show their entries only to their
 * owner and collaborators since 2026, so a playlist Spotify hides answers
 * `MUSIC_PLAYLIST_REFUSED`, which tells the user what does work.
 */
import type { Logger } from 'pino';
import { OwnerPremiumRequiredError } from '../../spotify/errors.ts';
import type { SpotifyCollection, TrackSummary } from '../../spotify/webApiClient.ts';
import { abortReason, MusicError } from '../errors.ts';
import { parseUrl, type MusicLink } from '../links/index.ts';
import { failForStatus, httpGet } from '../net/http.ts';
import { parsePageMeta } from '../net/pageMeta.ts';
import type { CollectionItem, PlatformResolver, ResolveContext, Resolution, TrackInfo } from '../types.ts';
import { DEFAULT_METADATA_TIMEOUT_MS, seconds, trimBase, type ResolverHttpSettings } from './settings.ts';

/** The part of `WebApiClient` this resolver uses. */
export interface SpotifyTrackReader {
  /** Null when Spotify has no such track. */
  track(trackId: string, opts?: { userId?: number }): Promise<TrackSummary | null>;
  /** An album's first `limit` tracks; null when Spotify has no such album. */
  album?(albumId: string, opts: { userId?: number; limit: number }): Promise<SpotifyCollection | null>;
  /** A playlist's first `limit` tracks; null (404) or `'hidden'` when Spotify will not show them. */
  playlist?(playlistId: string, opts: { userId?: number; limit: number }): Promise<SpotifyCollection | null | 'hidden'>;
}

/** Options of {@link createSpotifyResolver}. */
export interface SpotifyResolverOptions extends ResolverHttpSettings {
  /** The Web API client; without it only the public page is read. */
  readonly api?: SpotifyTrackReader;
  /** Where public track pages live (default `https://open.spotify.com`). */
  readonly webUrl?: string;
  readonly logger?: Logger;
  /** Tracks listed for an album or playlist (default 10). */
  readonly collectionLimit?: number;
}

/** Creates the Spotify resolver. Artist links answer `MUSIC_COLLECTION_UNSUPPORTED`. */
export function createSpotifyResolver(options: SpotifyResolverOptions): PlatformResolver {
  const webUrl = trimBase(options.webUrl ?? 'https://open.spotify.com');
  return {
    async resolve(link: MusicLink, ctx: ResolveContext): Promise<Resolution> {
      if ((link.kind === 'album' || link.kind === 'playlist') && options.api) {
        return viaCollection(options.api, link, ctx, options.collectionLimit ?? 10, options.logger);
      }
      if (link.kind !== 'track') {
        throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `spotify ${link.kind} links are not supported yet`, { service: 'spotify' });
      }
      const fromApi = options.api ? await viaApi(options.api, link, ctx, options.logger) : undefined;
      if (fromApi) return { kind: 'track', track: fromApi };
      if (ctx.signal.aborted) throw abortReason(ctx.signal);
      return { kind: 'track', track: await viaPage(webUrl, link, ctx, options) };
    },
  };
}

/**
 * The Web API with the user's token, then the app's. Resolves undefined when neither works
 * (not configured, not registered, rate-limited, down): the page is the next try. A 404 is
 * final: the track does not exist.
 */
async function viaApi(api: SpotifyTrackReader, link: MusicLink, ctx: ResolveContext, logger?: Logger): Promise<TrackInfo | undefined> {
  const attempts: ({ userId?: number })[] = ctx.userId === undefined ? [{}] : [{ userId: ctx.userId }, {}];
  for (const opts of attempts) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    try {
      const t = await api.track(link.id, opts);
      if (t === null) throw new MusicError('MUSIC_DEAD_LINK', 'spotify has no such track', { service: 'spotify', status: 404 });
      return fromSummary(t, link);
    } catch (err) {
      if (err instanceof MusicError) throw err;
      // The app owner's Premium lapsed: Spotify refuses every token of the app, so go straight
      // to the page (the operator is warned by SpotifyAppHealth, not once per link here).
      if (err instanceof OwnerPremiumRequiredError) return undefined;
      // A user without a link, or a grant Spotify refuses: the next token may still work.
      logger?.debug({ err, as: opts.userId === undefined ? 'app' : 'user' }, 'spotify track lookup failed');
    }
  }
  return undefined;
}

/**
 * An album or playlist through the Web API, with the user's token, then the app's. A 404 or
 * a hidden playlist is final; any other failure of both tokens is the source being
 * unavailable (retryable), since no page lists the tracks instead.
 */
async function viaCollection(api: SpotifyTrackReader, link: MusicLink, ctx: ResolveContext, limit: number, logger?: Logger): Promise<Resolution> {
  const read = link.kind === 'album' ? api.album?.bind(api) : api.playlist?.bind(api);
  if (!read) throw new MusicError('MUSIC_COLLECTION_UNSUPPORTED', `spotify ${link.kind} links need the Web API`, { service: 'spotify' });
  const attempts: ({ userId?: number })[] = ctx.userId === undefined ? [{}] : [{ userId: ctx.userId }, {}];
  let answer: SpotifyCollection | null | 'hidden' | undefined;
  for (const opts of attempts) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    try {
      answer = await read(link.id, { ...opts, limit });
    } catch (err) {
      logger?.debug({ err, as: opts.userId === undefined ? 'app' : 'user', kind: link.kind }, 'spotify collection lookup failed');
      continue;
    }
    // A playlist hidden from the user's token is hidden from the app's too.
    break;
  }
  if (answer === undefined) throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `spotify ${link.kind} lookup failed`, { service: 'spotify' });
  if (link.kind === 'playlist' && (answer === null || answer === 'hidden')) {
    // Development-mode apps get 404 for Spotify's own playlists: the same answer as a deleted one.
    throw new MusicError('MUSIC_PLAYLIST_REFUSED', `spotify ${answer === null ? 'answered 404 for' : 'hides the entries of'} the playlist`, { service: 'spotify' });
  }
  if (answer === null || answer === 'hidden') throw new MusicError('MUSIC_DEAD_LINK', 'spotify has no such album', { service: 'spotify', status: 404 });
  const items: CollectionItem[] = answer.tracks.flatMap((t) => {
    const verdict = parseUrl(`https://open.spotify.com/track/${t.id}`);
    return verdict.type === 'link' ? [{ link: verdict.link, title: t.title, artists: t.artists, durationSec: Math.round(t.durationMs / 1000) }] : [];
  });
  return { kind: 'collection', title: answer.title, items, total: Math.max(answer.total, items.length) };
}

function fromSummary(t: TrackSummary, link: MusicLink): TrackInfo {
  return {
    platform: 'spotify',
    pageUrl: link.url,
    title: t.title,
    artists: t.artists,
    ...(t.album && { album: t.album }),
    durationSec: Math.round(t.durationMs / 1000),
    ...(t.isrc && { isrc: t.isrc }),
    explicit: t.explicit,
    ...(t.coverUrl && { coverUrl: t.coverUrl }),
  };
}

async function viaPage(webUrl: string, link: MusicLink, ctx: ResolveContext, options: SpotifyResolverOptions): Promise<TrackInfo> {
  const res = await httpGet(`${webUrl}/track/${link.id}`, 'spotify', {
    timeoutMs: options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS,
    signal: ctx.signal,
    fetch: options.fetch,
  });
  if (res.status !== 200) failForStatus(res.status, 'spotify');
  const meta = parsePageMeta(res.text);
  const title = meta.tags.get('og:title') ?? /^(.*?) - song(?: and lyrics)? by /i.exec(meta.title ?? '')?.[1];
  if (!title) throw new MusicError('MUSIC_DEAD_LINK', 'the spotify page names no track', { service: 'spotify' });
  // og:description "Artist · Album · Song · 2020" or the <title> "Song - song and lyrics by
  // Artist | Spotify" list every artist; `music:musician_description` is one tag per artist
  // (only the first is read), so it comes last.
  const artist =
    meta.tags.get('og:description')?.split(' · ')[0] ??
    / - song(?: and lyrics)? by (.*?) \| Spotify/i.exec(meta.title ?? '')?.[1] ??
    meta.tags.get('music:musician_description');
  const durationSec = seconds(meta.tags.get('music:duration'));
  const coverUrl = meta.tags.get('og:image');
  return {
    platform: 'spotify',
    pageUrl: link.url,
    title,
    artists: artist ? artist.split(/, | & /).map((a) => a.trim()).filter(Boolean) : [],
    ...(durationSec && { durationSec }),
    ...(coverUrl && { coverUrl }),
  };
}
