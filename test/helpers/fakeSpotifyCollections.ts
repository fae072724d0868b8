/**
 * The fake Web API's albums and playlists, shaped after the Web API OpenAPI spec 2026.5.31
 * (`../shared/specs/spotify/fixed-spotify-open-api.yml`; the fields the bot reads are checked
 * against the committed excerpt in test/contracts):
 *
 * - `GET /albums/{id}` → `AlbumObject`, its `tracks` a `PagingSimplifiedTrackObject` of the
 *   first 50; `GET /albums/{id}/tracks?limit=1..50&offset=` → the same paging object.
 * - `GET /playlists/{id}` → `PlaylistObject`. Its `items` (a `PagingPlaylistTrackObject`, each
 *   entry with `item` and the deprecated `track`) "is only available for playlists owned by
 *   the current user or playlists the user is a collaborator of": absent for anyone else and
 *   for app tokens. `GET /playlists/{id}/items` answers 403 to them instead.
 * - Development-mode apps get 404 for Spotify-owned (editorial, algorithmic) playlists since
 *   November 2024 (developer.spotify.com/blog/2024-11-27-changes-to-the-web-api): `editorial`.
 */
import { apiErrorBody, EPISODE, episodeBody, trackBody } from './fakeSpotifyCatalog.ts';
import { reply, type Exchange } from './fakeSpotifyState.ts';

/** An album: its name and track ids in order (tracks added with `addTrack`). */
export interface FakeAlbum {
  id: string;
  name: string;
  trackIds: string[];
}

/** One playlist entry: a catalogue track, an episode, a local file, or a track gone from Spotify (null). */
export type FakePlaylistEntry = { trackId: string } | { episode: true } | { local: string } | null;

/** A playlist of a fake user. */
export interface FakePlaylist {
  id: string;
  name: string;
  /** The Spotify user id of the owner. */
  owner: string;
  collaborators: string[];
  /** Spotify's own playlist: development-mode apps get 404. */
  editorial: boolean;
  entries: FakePlaylistEntry[];
}

const MAX_PAGE = 50;

function pageParams(x: Exchange): { limit: number; offset: number } | undefined {
  const q = x.url.searchParams;
  const limit = Number(q.get('limit') ?? 20);
  const offset = Number(q.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE || !Number.isInteger(offset) || offset < 0) {
    reply(x, 400, apiErrorBody(400, 'Invalid limit or offset'));
    return undefined;
  }
  return { limit, offset };
}

/** A `PagingObject` over `all` (the spec's href/limit/next/offset/previous/total). */
function paging(href: string, all: unknown[], limit: number, offset: number): Record<string, unknown> {
  const at = (o: number) => `${href}?offset=${o}&limit=${limit}`;
  return {
    href: at(offset),
    items: all.slice(offset, offset + limit),
    limit,
    next: offset + limit < all.length ? at(offset + limit) : null,
    offset,
    previous: offset > 0 ? at(Math.max(0, offset - limit)) : null,
    total: all.length,
  };
}

/** A `SimplifiedTrackObject`: a `TrackObject` without `album`, `external_ids` and `popularity`. */
function simplified(full: Record<string, unknown>): Record<string, unknown> {
  const { album: _a, external_ids: _e, popularity: _p, ...rest } = full;
  return rest;
}

/** `GET /albums/{id}` and `/albums/{id}/tracks` (app and user tokens alike). */
export function handleAlbum(x: Exchange, api: string): void {
  const [, , , id, sub] = x.url.pathname.split('/'); // '', 'v1', 'albums', id, 'tracks'?
  const album = id === undefined ? undefined : x.state.albums.get(id);
  if (!album) return reply(x, 404, apiErrorBody(404, 'Resource not found'));
  const tracks = album.trackIds.map((t) => {
    const track = x.state.tracks.get(t);
    if (!track) throw new Error(`fake: unknown track ${t} on album ${album.id}`);
    return simplified(trackBody(track, api));
  });
  const href = `${api}/albums/${album.id}/tracks`;
  if (sub === 'tracks') {
    const p = pageParams(x);
    return p && reply(x, 200, paging(href, tracks, p.limit, p.offset));
  }
  reply(x, 200, {
    album_type: 'album',
    total_tracks: tracks.length,
    available_markets: ['DE', 'GB', 'US'],
    external_urls: { spotify: `https://open.spotify.com/album/${album.id}` },
    href: `${api}/albums/${album.id}`,
    id: album.id,
    images: [],
    name: album.name,
    release_date: '2020',
    release_date_precision: 'year',
    type: 'album',
    uri: `spotify:album:${album.id}`,
    artists: [],
    tracks: paging(href, tracks, MAX_PAGE, 0),
    copyrights: [],
    external_ids: {},
    genres: [],
    label: '',
    popularity: 0,
  });
}

/** `GET /playlists/{id}` and `/playlists/{id}/items`; `user` is the token's Spotify user (none for app tokens). */
export function handlePlaylist(x: Exchange, api: string, user: string | undefined): void {
  const [, , , id, sub] = x.url.pathname.split('/');
  const playlist = id === undefined ? undefined : x.state.playlists.get(id);
  if (!playlist || playlist.editorial) return reply(x, 404, apiErrorBody(404, 'Resource not found'));
  const member = user !== undefined && (playlist.owner === user || playlist.collaborators.includes(user));
  const entries = playlist.entries.map((e) => entryBody(x, e, api, playlist.owner));
  const href = `${api}/playlists/${playlist.id}/items`;
  if (sub === 'items') {
    if (!member) return reply(x, 403, apiErrorBody(403, 'Forbidden'));
    const p = pageParams(x);
    return p && reply(x, 200, paging(href, entries, p.limit, p.offset));
  }
  reply(x, 200, {
    collaborative: playlist.collaborators.length > 0,
    description: null,
    external_urls: { spotify: `https://open.spotify.com/playlist/${playlist.id}` },
    href: `${api}/playlists/${playlist.id}`,
    id: playlist.id,
    images: [],
    name: playlist.name,
    owner: { id: playlist.owner, type: 'user', uri: `spotify:user:${playlist.owner}`, display_name: playlist.owner },
    public: true,
    snapshot_id: 'MSw0ZmFrZQ==',
    ...(member && { items: paging(href, entries, 100, 0) }),
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
  });
}

/** A `PlaylistTrackObject`: the same object under `item` and the deprecated `track`. */
function entryBody(x: Exchange, e: FakePlaylistEntry, api: string, owner: string): Record<string, unknown> {
  const addedBy = { external_urls: { spotify: `https://open.spotify.com/user/${owner}` }, href: `${api}/users/${owner}`, id: owner, type: 'user', uri: `spotify:user:${owner}` };
  const base = { added_at: '2026-01-01T00:00:00Z', added_by: addedBy };
  if (e === null) return { ...base, is_local: false, item: null, track: null };
  if ('episode' in e) {
    const episode = episodeBody(EPISODE, api);
    return { ...base, is_local: false, item: episode, track: episode };
  }
  if ('local' in e) {
    // Local files have no id and `is_local: true` (Web API concepts: playlists, local files).
    const local = { type: 'track', id: null, name: e.local, duration_ms: 180_000, is_local: true, artists: [{ name: 'Local', id: null }], uri: `spotify:local:::${encodeURIComponent(e.local)}:180` };
    return { ...base, is_local: true, item: local, track: local };
  }
  const track = x.state.tracks.get(e.trackId);
  if (!track) throw new Error(`fake: unknown track ${e.trackId} in a playlist`);
  const body = trackBody(track, api);
  return { ...base, is_local: false, item: body, track: body };
}
