/**
 * Client of the Spotify Web API for the few reads the bot makes: the profile, what plays now,
 * what played recently, one track's metadata, and the tracks of an album or playlist.
 *
 * Invariants: a 401 triggers exactly one forced refresh through `getAccessToken(userId,
 * { forceRefresh: true })` (or the app token's) and one retry, then
 * {@link SpotifyUnauthorizedError}; the client never refreshes on its own and never retries 429
 * or 5xx (the caller owns backoff); errors carry no token or body.
 */
import type { z } from 'zod';
import {
  ExternalServiceError,
  InsufficientScopeError,
  NotRegisteredError,
  OwnerPremiumRequiredError,
  SpotifyUnauthorizedError,
  type SpotifyEndpoint,
  type SpotifyError,
} from './errors.ts';
import { tellAppStatus, type SpotifyAppState } from './appHealth.ts';
import { genericFailure, httpSettings, parseBody, send, type FetchLike, type HttpSettings, type OnResponse, type RawResponse } from './http.ts';
import {
  CurrentlyPlayingBody,
  EpisodeBody,
  ProfileBody,
  RecentlyPlayedBody,
  TrackBody,
  toEpisodeSummary,
  toProfile,
  toTrackSummary,
  type EpisodeSummary,
  type SpotifyProfile,
  type TrackSummary,
} from './webApiSchemas.ts';

import { AlbumBody, AlbumTracksBody, albumTracks, PlaylistBody, PlaylistItemsBody, playlistTracks, type CollectionTrack } from './collectionSchemas.ts';

export type { EpisodeSummary, SpotifyProfile, TrackSummary } from './webApiSchemas.ts';
export type { CollectionTrack } from './collectionSchemas.ts';

/** An album's or playlist's first tracks. */
export interface SpotifyCollection {
  readonly title: string;
  /** Entries Spotify counts, episodes and unavailable ones included. */
  readonly total: number;
  /** At most the `limit` asked for, in order. */
  readonly tracks: readonly CollectionTrack[];
}

/** Items per page of `/albums/{id}/tracks` and `/playlists/{id}/items` (the spec's maximum). */
const PAGE = 50;
const SPOTIFY_ID = /^[0-9A-Za-z]{1,64}$/;

/** Options of {@link WebApiClient}. */
export interface WebApiClientOptions {
  /** `SPOTIFY_API_URL`, e.g. `https://api.spotify.com/v1`. */
  apiUrl: string;
  /** Per request, headers and body included. Default 10 000. */
  timeoutMs?: number;
  /**
   * A valid access token of the Telegram user's link (the LinkService). With `forceRefresh` it
   * must refresh even if the token looks valid: Spotify just refused it.
   */
  getAccessToken: (userId: number, opts?: { forceRefresh?: boolean }) => Promise<string>;
  /** The app's client-credentials token, for catalogue reads without a linked user. */
  appToken?: (opts?: { forceRefresh?: boolean }) => Promise<string>;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Metrics hook: status per attempt, 0 when no response arrived. */
  onResponse?: OnResponse;
  /**
   * Told what each answered call says about the app as a whole (`SpotifyAppHealth.report`):
   * `owner-premium-required` on the app owner's Premium refusal, `ok` on any other answer
   * Spotify gave as usual (2xx, or a 404 the caller expects).
   */
  appStatus?: (state: SpotifyAppState) => void;
}

/** What plays on the user's account right now, as the bot shows it. */
export type NowPlaying =
  | { kind: 'nothing' }
  | { kind: 'track'; isPlaying: boolean; progressMs: number | undefined; track: TrackSummary; contextUri: string | undefined }
  | { kind: 'episode'; isPlaying: boolean; progressMs: number | undefined; episode: EpisodeSummary }
  | { kind: 'ad'; isPlaying: boolean; progressMs: number | undefined }
  | { kind: 'unknown'; isPlaying: boolean };

/** One page of recently played tracks, newest first. */
export interface RecentlyPlayedPage {
  items: { playedAt: string; playedAtMs: number; track: TrackSummary; contextUri: string | undefined }[];
  /** Unix ms: `before` pages further back, `after` asks for newer plays later. */
  cursors: { before: number | undefined; after: number | undefined };
  /** Spotify says another (older) page exists. */
  hasMore: boolean;
}

type Auth = { kind: 'user'; userId: number } | { kind: 'app' };

/**
 * Web API client.
 *
 * @example
 * ```ts
 * const api = new WebApiClient({ apiUrl, getAccessToken: (id, o) => links.accessToken(id, o) });
 * const now = await api.currentlyPlaying(telegramUserId);
 * if (now.kind === 'track') reply(`${now.track.artists.join(', ')} – ${now.track.title}`);
 * ```
 */
export class WebApiClient {
  readonly #opts: WebApiClientOptions;
  readonly #http: HttpSettings;
  readonly #base: string;

  constructor(opts: WebApiClientOptions) {
    this.#opts = opts;
    this.#base = opts.apiUrl.replace(/\/+$/, '');
    this.#http = httpSettings(opts);
  }

  /** The linked user's Spotify profile. */
  async me(userId: number): Promise<SpotifyProfile> {
    return this.#profile({ kind: 'user', userId });
  }

  /** What plays now: 204 and an empty `item` are `nothing`; ads and unknown items are told apart. */
  async currentlyPlaying(userId: number): Promise<NowPlaying> {
    const endpoint = 'currently-playing';
    const res = await this.#get(endpoint, '/me/player/currently-playing', { additional_types: 'track,episode' }, { kind: 'user', userId });
    if (res.status === 204 || res.text.trim() === '') return { kind: 'nothing' };
    const body = parseBody(endpoint, res, CurrentlyPlayingBody);
    const isPlaying = body.is_playing;
    const progressMs = body.progress_ms ?? undefined;
    const type = body.item?.type ?? body.currently_playing_type;
    if (body.currently_playing_type === 'ad') return { kind: 'ad', isPlaying, progressMs };
    if (!body.item) return body.currently_playing_type === 'unknown' ? { kind: 'unknown', isPlaying } : { kind: 'nothing' };
    if (type === 'track') {
      const track = toTrackSummary(parseWith(endpoint, res, TrackBody, body.item));
      return { kind: 'track', isPlaying, progressMs, track, contextUri: body.context?.uri ?? undefined };
    }
    if (type === 'episode') {
      return { kind: 'episode', isPlaying, progressMs, episode: toEpisodeSummary(parseWith(endpoint, res, EpisodeBody, body.item)) };
    }
    return { kind: 'unknown', isPlaying };
  }

  /**
   * Recently played tracks, newest first. `limit` 1–50 (Spotify's default 20); `before` and
   * `after` are Unix ms cursors and exclude each other.
   */
  async recentlyPlayed(userId: number, opts: { limit?: number; before?: number; after?: number } = {}): Promise<RecentlyPlayedPage> {
    const { limit, before, after } = opts;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 50)) {
      throw new RangeError('recentlyPlayed: limit must be an integer from 1 to 50');
    }
    if (before !== undefined && after !== undefined) {
      throw new TypeError('recentlyPlayed: pass either before or after, not both');
    }
    const query: Record<string, string> = {};
    if (limit !== undefined) query['limit'] = String(limit);
    if (before !== undefined) query['before'] = String(Math.trunc(before));
    if (after !== undefined) query['after'] = String(Math.trunc(after));
    const endpoint = 'recently-played';
    const res = await this.#get(endpoint, '/me/player/recently-played', query, { kind: 'user', userId });
    const body = parseBody(endpoint, res, RecentlyPlayedBody);
    return {
      items: body.items.map((i) => ({
        playedAt: i.played_at,
        playedAtMs: Date.parse(i.played_at),
        track: toTrackSummary(i.track),
        contextUri: i.context?.uri ?? undefined,
      })),
      cursors: { before: cursor(body.cursors?.before), after: cursor(body.cursors?.after) },
      hasMore: typeof body.next === 'string' && body.next.length > 0,
    };
  }

  /**
   * One track's metadata (ISRC, duration, artists, album, cover) with the user's token when
   * `userId` is given, else the app token. Resolves null when Spotify has no such track (404).
   */
  async track(trackId: string, opts: { userId?: number } = {}): Promise<TrackSummary | null> {
    if (!/^[0-9A-Za-z]{1,64}$/.test(trackId)) throw new TypeError('track: not a Spotify track id');
    let auth: Auth;
    if (opts.userId !== undefined) auth = { kind: 'user', userId: opts.userId };
    else if (this.#opts.appToken) auth = { kind: 'app' };
    else throw new TypeError('track: without userId the WebApiClient needs the appToken option');
    const res = await this.#get('track', `/tracks/${trackId}`, {}, auth, [404]);
    if (res.status === 404) return null;
    return toTrackSummary(parseBody('track', res, TrackBody));
  }

  /**
   * An album's name and first `limit` tracks (the user's token when `userId` is given, else
   * the app token). Resolves null when Spotify has no such album (404).
   */
  async album(albumId: string, opts: { userId?: number; limit: number }): Promise<SpotifyCollection | null> {
    if (!SPOTIFY_ID.test(albumId)) throw new TypeError('album: not a Spotify id');
    const auth = this.#catalogAuth(opts.userId, 'album');
    const res = await this.#get('album', `/albums/${albumId}`, {}, auth, [404]);
    if (res.status === 404) return null;
    const body = parseBody('album', res, AlbumBody);
    const tracks = albumTracks(body.tracks.items);
    let next = body.tracks.next;
    for (let offset = body.tracks.items.length; next && tracks.length < opts.limit && offset < body.tracks.total; offset += PAGE) {
      const page = parseBody('album', await this.#get('album', `/albums/${albumId}/tracks`, { limit: String(PAGE), offset: String(offset) }, auth), AlbumTracksBody);
      tracks.push(...albumTracks(page.items));
      next = page.next;
    }
    return { title: body.name, total: body.tracks.total, tracks: tracks.slice(0, opts.limit) };
  }

  /**
   * A playlist's name and first `limit` tracks. Resolves null when Spotify says it does not
   * exist (404: also what development-mode apps get for Spotify's own playlists), `'hidden'`
   * when Spotify shows the playlist but not its entries: since 2026 only to its owner and
   * collaborators, so never to an app token.
   */
  async playlist(playlistId: string, opts: { userId?: number; limit: number }): Promise<SpotifyCollection | null | 'hidden'> {
    if (!SPOTIFY_ID.test(playlistId)) throw new TypeError('playlist: not a Spotify id');
    const auth = this.#catalogAuth(opts.userId, 'playlist');
    const res = await this.#get('playlist', `/playlists/${playlistId}`, {}, auth, [404]);
    if (res.status === 404) return null;
    const body = parseBody('playlist', res, PlaylistBody);
    if (!body.items) return 'hidden';
    const tracks = playlistTracks(body.items.items);
    let next = body.items.next;
    for (let offset = body.items.items.length; next && tracks.length < opts.limit && offset < body.items.total; offset += PAGE) {
      const more = await this.#get('playlist', `/playlists/${playlistId}/items`, { limit: String(PAGE), offset: String(offset) }, auth, [403]);
      if (more.status === 403) break; // access withdrawn between the two calls: keep what was shown
      const page = parseBody('playlist', more, PlaylistItemsBody);
      tracks.push(...playlistTracks(page.items));
      next = page.next;
    }
    return { title: body.name, total: body.items.total, tracks: tracks.slice(0, opts.limit) };
  }

  #catalogAuth(userId: number | undefined, what: string): Auth {
    if (userId !== undefined) return { kind: 'user', userId };
    if (this.#opts.appToken) return { kind: 'app' };
    throw new TypeError(`${what}: without userId the WebApiClient needs the appToken option`);
  }

  async #profile(auth: Auth): Promise<SpotifyProfile> {
    const res = await this.#get('me', '/me', {}, auth);
    return toProfile(parseBody('me', res, ProfileBody));
  }

  /** GET with Bearer auth, the one-time forced refresh on 401 and the error mapping. */
  async #get(
    endpoint: SpotifyEndpoint,
    path: string,
    query: Record<string, string>,
    auth: Auth,
    passStatuses: readonly number[] = [],
  ): Promise<RawResponse> {
    const qs = new URLSearchParams(query).toString();
    const url = `${this.#base}${path}${qs ? `?${qs}` : ''}`;
    const attempt = async (forceRefresh: boolean): Promise<RawResponse> =>
      send(this.#http, endpoint, url, {
        method: 'GET',
        headers: { authorization: `Bearer ${await this.#token(auth, forceRefresh)}`, accept: 'application/json' },
      });
    let res = await attempt(false);
    if (res.status === 401) res = await attempt(true);
    if (res.status === 401) throw new SpotifyUnauthorizedError(endpoint);
    if ((res.status >= 200 && res.status < 300) || passStatuses.includes(res.status)) {
      this.#appStatus('ok');
      return res;
    }
    const failure = apiFailure(endpoint, res);
    if (failure instanceof OwnerPremiumRequiredError) this.#appStatus('owner-premium-required');
    throw failure;
  }

  #appStatus(state: SpotifyAppState): void {
    tellAppStatus(this.#opts.appStatus, state);
  }

  async #token(auth: Auth, forceRefresh: boolean): Promise<string> {
    const opts = forceRefresh ? { forceRefresh: true } : undefined;
    if (auth.kind === 'user') return this.#opts.getAccessToken(auth.userId, opts);
    return this.#opts.appToken!(opts);
  }
}

/**
 * Maps a failed Web API response. 403 is told apart by its text (the wording changes, so the
 * match is loose): the app owner's lapsed Premium → {@link OwnerPremiumRequiredError}, "not
 * registered" / "may not be registered" → {@link NotRegisteredError}, a scope complaint →
 * {@link InsufficientScopeError}, else a non-retryable forbidden error.
 */
export function apiFailure(endpoint: SpotifyEndpoint, res: RawResponse): SpotifyError {
  if (res.status === 403) {
    if (/premium subscription required for the owner/i.test(res.text)) return new OwnerPremiumRequiredError(endpoint);
    if (/\bnot\s+(?:be\s+)?registered\b/i.test(res.text)) return new NotRegisteredError(endpoint);
    if (/scope/i.test(res.text)) return new InsufficientScopeError(endpoint);
    return new ExternalServiceError(endpoint, 'forbidden', { status: 403, retryable: false });
  }
  return genericFailure(endpoint, res);
}

function parseWith<T extends z.ZodType>(endpoint: SpotifyEndpoint, res: RawResponse, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ExternalServiceError(endpoint, 'bad-body', { status: res.status, retryable: false });
  return parsed.data;
}

function cursor(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
