/**
 * The fake Web API under `/v1`: `GET /me`, `/me/player/currently-playing`,
 * `/me/player/recently-played`, `/tracks/{id}`, `/search?type=track`, albums and playlists
 * (fakeSpotifyCollections.ts), with Bearer checks, scope checks, the
 * "not registered" 403 for accounts off the user list, and scripted failures.
 */
import { apiErrorBody, episodeBody, trackBody, userBody } from './fakeSpotifyCatalog.ts';
import { handleAlbum, handlePlaylist } from './fakeSpotifyCollections.ts';
import { hang, reply, takeFailure, type Exchange, type FakeFailure, type FakePlay } from './fakeSpotifyState.ts';

/** Spotify's current wording; clients must match it loosely because it changes. */
export const NOT_REGISTERED_MESSAGE = 'Check settings on developer.spotify.com/dashboard, the user may not be registered.';
/**
 * Since February 2026 a development-mode app works only while its owner has Premium
 * (developer.spotify.com/documentation/web-api/tutorials/february-2026-migration-guide). The
 * wording is copied from real answers quoted in spotify2tidal/spotify_to_tidal#184 and
 * mahdi-y/Spotify2YoutubeMusic#26 (spotipy prints `error.message`, `reason: None`: the body is
 * the usual `{"error":{"status":403,"message":…}}` of test/contracts/spotify.json, no `reason`).
 */
export const OWNER_PREMIUM_MESSAGE =
  'Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.';
/** The text/plain variant Spotify has also been seen to send. */
export const NOT_REGISTERED_TEXT = 'User not registered in the Developer Dashboard';

const SCOPE_OF: Partial<Record<string, string>> = {
  'currently-playing': 'user-read-currently-playing',
  'recently-played': 'user-read-recently-played',
};

/** Routes a `/v1/...` request (endpoint already classified by the server). */
export function handleWebApi(x: Exchange): void {
  const { state: s, entry } = x;
  if (x.req.method !== 'GET') return reply(x, 405, apiErrorBody(405, 'Method not allowed'));
  const token = /^Bearer (.+)$/.exec(x.req.headers.authorization ?? '')?.[1];
  const grant = token === undefined ? undefined : s.accessTokens.get(token);
  entry.user = grant?.user;

  const failure = takeFailure(x, grant?.user);
  if (failure) return webFailure(x, failure);

  if (token === undefined) return reply(x, 401, apiErrorBody(401, 'No token provided'));
  if (!grant || grant.revoked) return reply(x, 401, apiErrorBody(401, 'Invalid access token'));
  if (grant.expiresAt <= s.now()) return reply(x, 401, apiErrorBody(401, 'The access token expired'));
  // The whole app is refused, app (client-credentials) tokens included.
  if (!s.ownerPremium) return reply(x, 403, apiErrorBody(403, OWNER_PREMIUM_MESSAGE));
  const catalogue = ['track', 'search', 'album', 'album-tracks', 'playlist', 'playlist-items'].includes(entry.endpoint);
  if (grant.user === undefined && !catalogue) {
    return reply(x, 401, apiErrorBody(401, 'Invalid access token')); // app tokens have no user
  }
  const user = grant.user === undefined ? undefined : s.users.get(grant.user);
  if (user && !user.registered) return reply(x, 403, apiErrorBody(403, NOT_REGISTERED_MESSAGE));
  const needed = SCOPE_OF[entry.endpoint];
  if (needed && !grant.scopes.includes(needed)) return reply(x, 403, apiErrorBody(403, 'Insufficient client scope'));

  const api = `${s.baseUrl}/v1`;
  switch (entry.endpoint) {
    case 'me':
      return reply(x, 200, userBody(user!, api));
    case 'track': {
      const id = x.url.pathname.slice('/v1/tracks/'.length);
      if (!/^[0-9A-Za-z]{22}$/.test(id)) return reply(x, 400, apiErrorBody(400, 'Invalid base62 id'));
      const track = s.tracks.get(id);
      return track ? reply(x, 200, trackBody(track, api)) : reply(x, 404, apiErrorBody(404, 'Resource not found'));
    }
    case 'currently-playing':
      return currentlyPlaying(x, user!.id, api);
    case 'recently-played':
      return recentlyPlayed(x, user!.id, api);
    case 'search':
      return search(x, api);
    case 'album':
    case 'album-tracks':
      return handleAlbum(x, api);
    case 'playlist':
    case 'playlist-items':
      return handlePlaylist(x, api, user?.id);
    default:
      return reply(x, 404, apiErrorBody(404, 'Service not found'));
  }
}

function currentlyPlaying(x: Exchange, userId: string, api: string): void {
  const p = x.state.players.get(userId) ?? { kind: 'nothing' };
  if (p.kind === 'nothing') return reply(x, 204);
  const types = (x.url.searchParams.get('additional_types') ?? '').split(',');
  const base = {
    timestamp: x.state.now(),
    context: null as unknown,
    progress_ms: 'progressMs' in p ? (p.progressMs ?? 0) : null,
    is_playing: p.isPlaying ?? true,
  };
  switch (p.kind) {
    case 'track': {
      const track = x.state.tracks.get(p.trackId);
      if (!track) throw new Error(`fake: unknown track ${p.trackId} in player state`);
      const context = p.contextUri ? { type: 'playlist', uri: p.contextUri, href: `${api}/playlists/x`, external_urls: { spotify: 'https://open.spotify.com/playlist/x' } } : null;
      return reply(x, 200, { ...base, context, item: trackBody(track, api), currently_playing_type: 'track' });
    }
    case 'episode': {
      const episode = x.state.episodes.get(p.episodeId);
      if (!episode) throw new Error(`fake: unknown episode ${p.episodeId} in player state`);
      // Without additional_types=episode Spotify hides the episode behind item: null.
      const item = types.includes('episode') ? episodeBody(episode, api) : null;
      return reply(x, 200, { ...base, item, currently_playing_type: 'episode' });
    }
    case 'ad':
      return reply(x, 200, { ...base, item: null, currently_playing_type: 'ad' });
    case 'unknown':
      return reply(x, 200, { ...base, progress_ms: null, item: null, currently_playing_type: 'unknown' });
    case 'no-item':
      return reply(x, 200, { ...base, progress_ms: null, item: null, currently_playing_type: 'track' });
  }
}

function recentlyPlayed(x: Exchange, userId: string, api: string): void {
  const q = x.url.searchParams;
  const limit = Number(q.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) return reply(x, 400, apiErrorBody(400, 'Invalid limit'));
  const before = q.get('before');
  const after = q.get('after');
  if (before !== null && after !== null) return reply(x, 400, apiErrorBody(400, 'Only one of before and after'));
  const all = [...(x.state.plays.get(userId) ?? [])].sort((a, b) => b.playedAt - a.playedAt); // newest first
  let page: FakePlay[];
  let more: boolean;
  if (after !== null) {
    // The plays right after the cursor (so paging forward leaves no gap), shown newest first.
    const newer = all.filter((p) => p.playedAt > Number(after)).reverse();
    page = newer.slice(0, limit).reverse();
    more = newer.length > limit;
  } else {
    const older = before === null ? all : all.filter((p) => p.playedAt < Number(before));
    page = older.slice(0, limit);
    more = older.length > limit;
  }
  const newest = page[0];
  const oldest = page[page.length - 1];
  const self = `${api}/me/player/recently-played${x.url.search}`;
  let next: string | null = null;
  if (more && oldest && newest) {
    next = after !== null
      ? `${api}/me/player/recently-played?after=${newest.playedAt}&limit=${limit}`
      : `${api}/me/player/recently-played?before=${oldest.playedAt}&limit=${limit}`;
  }
  const items = page.map((p) => {
    const track = x.state.tracks.get(p.trackId);
    if (!track) throw new Error(`fake: unknown track ${p.trackId} in recently played`);
    const context = p.contextUri ? { type: 'playlist', uri: p.contextUri, href: `${api}/playlists/x`, external_urls: { spotify: 'https://open.spotify.com/playlist/x' } } : null;
    return { track: trackBody(track, api), played_at: new Date(p.playedAt).toISOString(), context };
  });
  const cursors = newest && oldest ? { after: String(newest.playedAt), before: String(oldest.playedAt) } : null;
  reply(x, 200, { items, next, cursors, limit, href: self });
}

/**
 * `GET /search?q=&type=track&limit=`: the Web API OpenAPI spec's `SearchResponse`, `tracks` a
 * paging object of full TrackObjects; `limit` 1–10, default 5, since the February 2026 changes
 * (larger limits are refused with 400, microsoft/TypeAgent#1923). Only `type=track` is modelled.
 * A track is found when its name and artists hold every word of `q` (lower case).
 */
function search(x: Exchange, api: string): void {
  const p = x.url.searchParams;
  const q = p.get('q') ?? '';
  if (q.trim() === '') return reply(x, 400, apiErrorBody(400, 'No search query'));
  if (p.get('type') !== 'track') return reply(x, 400, apiErrorBody(400, 'fake: only type=track is modelled'));
  const limit = Number(p.get('limit') ?? 5);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10) return reply(x, 400, apiErrorBody(400, 'Invalid limit'));
  const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const wanted = words(q);
  const hits = [...x.state.tracks.values()].filter((t) => {
    const have = new Set(words(`${t.name} ${t.artists.join(' ')}`));
    return wanted.every((w) => have.has(w));
  });
  const href = `${api}/search?query=${encodeURIComponent(q)}&type=track&offset=0&limit=${limit}`;
  reply(x, 200, { tracks: { href, items: hits.slice(0, limit).map((t) => trackBody(t, api)), limit, next: null, offset: 0, previous: null, total: hits.length } });
}

function webFailure(x: Exchange, f: FakeFailure): void {
  switch (f.kind) {
    case 'hang':
      return hang(x);
    case 'server-error': {
      const status = f.status ?? 500;
      return reply(x, status, apiErrorBody(status, status === 503 ? 'Service unavailable' : 'Server error'));
    }
    case 'rate-limited':
      return reply(
        x,
        429,
        apiErrorBody(429, 'API rate limit exceeded', f.quotaExceeded ? 'QUOTA_EXCEEDED' : undefined),
        { 'retry-after': String(f.retryAfterSec ?? 3) },
      );
    case 'not-registered':
      return f.plainText ? reply(x, 403, NOT_REGISTERED_TEXT) : reply(x, 403, apiErrorBody(403, NOT_REGISTERED_MESSAGE));
    case 'insufficient-scope':
      return reply(x, 403, apiErrorBody(403, 'Insufficient client scope'));
    case 'forbidden':
      return reply(x, 403, apiErrorBody(403, f.message ?? 'Forbidden'));
    case 'unauthorized':
      return reply(x, 401, apiErrorBody(401, 'The access token expired'));
    case 'malformed':
      return reply(x, 200, { unexpected: true });
    default:
      return reply(x, 400, apiErrorBody(400, `fake: ${f.kind} does not apply to the Web API`));
  }
}
