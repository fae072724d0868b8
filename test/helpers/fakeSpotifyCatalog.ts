/**
 * Fixtures of the fake Spotify (users, tracks, episodes) and the builders that turn them into
 * bodies shaped like the real Web API (full objects with every field the spec requires), so
 * the contract test can check them against `test/contracts/spotify.json`.
 */

/** An image as the Web API describes it. */
export interface FakeImage {
  url: string;
  width: number | null;
  height: number | null;
}

/** A Spotify account known to the fake. */
export interface FakeUser {
  /** Spotify user id; also the key tests use (`fake.setPlayer('alice', …)`). */
  id: string;
  displayName: string | null;
  email: string;
  /**
   * False models an account missing from the app's User Management list: the login succeeds,
   * then every Web API call with its token answers 403 "not registered".
   */
  registered: boolean;
}

/** A catalogue track. `isrc: null` models a track without `external_ids.isrc`. */
export interface FakeTrack {
  id: string;
  name: string;
  artists: string[];
  album: string;
  releaseDate: string;
  durationMs: number;
  isrc: string | null;
  explicit: boolean;
  images: FakeImage[];
}

/** A podcast episode. */
export interface FakeEpisode {
  id: string;
  name: string;
  show: string;
  publisher: string;
  durationMs: number;
  images: FakeImage[];
}

/** Spotify ids are 22 base62 characters; the fake derives stable ones from a seed. */
export function fakeId(seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let h = 2166136261;
  let out = '';
  for (let i = 0; out.length < 22; i++) {
    h = Math.imul(h ^ (seed.charCodeAt(i % Math.max(1, seed.length)) + i), 16777619) >>> 0;
    out += alphabet[h % 62];
  }
  return out;
}

/** Three sizes, as Spotify serves album art: 640, 300 and 64 px. */
export function coverSet(seed: string): FakeImage[] {
  return [640, 300, 64].map((s) => ({ url: `https://i.scdn.test/image/${seed}-${s}`, width: s, height: s }));
}

/** The default track: two artists, an ISRC and the usual three covers. */
export const TRACK_WITH_ISRC: FakeTrack = {
  id: fakeId('night-drive'),
  name: 'Night Drive',
  artists: ['Aurora Lane', 'Kestrel'],
  album: 'Coastal Lights',
  releaseDate: '2024-03-15',
  durationMs: 215_000,
  isrc: 'QZABC2400001',
  explicit: false,
  images: coverSet('night-drive'),
};

/** A track without an ISRC and with only a 1000 px cover. */
export const TRACK_WITHOUT_ISRC: FakeTrack = {
  id: fakeId('old-demo'),
  name: 'Old Demo (Live)',
  artists: ['Basement Tapes'],
  album: 'Demos',
  releaseDate: '1998',
  durationMs: 187_500,
  isrc: null,
  explicit: true,
  images: [{ url: 'https://i.scdn.test/image/old-demo-1000', width: 1000, height: 1000 }],
};

/** The default podcast episode. */
export const EPISODE: FakeEpisode = {
  id: fakeId('episode-42'),
  name: 'Episode 42: Why Bots Dream',
  show: 'Machine Talk',
  publisher: 'Fake Radio',
  durationMs: 3_540_000,
  images: coverSet('machine-talk'),
};

const OPEN = 'https://open.spotify.com';

function external(kind: string, id: string): { spotify: string } {
  return { spotify: `${OPEN}/${kind}/${id}` };
}

/** A full `TrackObject` (with `SimplifiedAlbumObject` and `SimplifiedArtistObject`s). */
export function trackBody(t: FakeTrack, apiUrl: string): Record<string, unknown> {
  const artists = t.artists.map((name) => {
    const id = fakeId(`artist:${name}`);
    return { external_urls: external('artist', id), href: `${apiUrl}/artists/${id}`, id, name, type: 'artist', uri: `spotify:artist:${id}` };
  });
  const albumId = fakeId(`album:${t.album}`);
  const precision = t.releaseDate.length === 4 ? 'year' : t.releaseDate.length === 7 ? 'month' : 'day';
  return {
    album: {
      album_type: 'album',
      total_tracks: 10,
      available_markets: ['DE', 'GB', 'US'],
      external_urls: external('album', albumId),
      href: `${apiUrl}/albums/${albumId}`,
      id: albumId,
      images: t.images,
      name: t.album,
      release_date: t.releaseDate,
      release_date_precision: precision,
      type: 'album',
      uri: `spotify:album:${albumId}`,
      artists,
    },
    artists,
    available_markets: ['DE', 'GB', 'US'],
    disc_number: 1,
    duration_ms: t.durationMs,
    explicit: t.explicit,
    external_ids: t.isrc === null ? {} : { isrc: t.isrc },
    external_urls: external('track', t.id),
    href: `${apiUrl}/tracks/${t.id}`,
    id: t.id,
    is_local: false,
    is_playable: true,
    name: t.name,
    popularity: 42,
    preview_url: null,
    track_number: 1,
    type: 'track',
    uri: `spotify:track:${t.id}`,
  };
}

/** A full `EpisodeObject` with its `SimplifiedShowObject`. */
export function episodeBody(e: FakeEpisode, apiUrl: string): Record<string, unknown> {
  const showId = fakeId(`show:${e.show}`);
  return {
    audio_preview_url: null,
    description: `${e.name}.`,
    html_description: `<p>${e.name}.</p>`,
    duration_ms: e.durationMs,
    explicit: false,
    external_urls: external('episode', e.id),
    href: `${apiUrl}/episodes/${e.id}`,
    id: e.id,
    images: e.images,
    is_externally_hosted: false,
    is_playable: true,
    languages: ['en'],
    name: e.name,
    release_date: '2026-01-15',
    release_date_precision: 'day',
    type: 'episode',
    uri: `spotify:episode:${e.id}`,
    show: {
      available_markets: ['DE', 'GB', 'US'],
      copyrights: [],
      description: `${e.show}.`,
      html_description: `<p>${e.show}.</p>`,
      explicit: false,
      external_urls: external('show', showId),
      href: `${apiUrl}/shows/${showId}`,
      id: showId,
      images: e.images,
      is_externally_hosted: false,
      languages: ['en'],
      media_type: 'audio',
      name: e.show,
      publisher: e.publisher,
      total_episodes: 42,
      type: 'show',
      uri: `spotify:show:${showId}`,
    },
  };
}

/** A `PrivateUserObject` as `GET /me` returns it with the bot's minimal scopes. */
export function userBody(u: FakeUser, apiUrl: string): Record<string, unknown> {
  return {
    account_id: fakeId(`account:${u.id}`).slice(0, 10),
    display_name: u.displayName,
    external_urls: external('user', u.id),
    href: `${apiUrl}/users/${u.id}`,
    id: u.id,
    images: [],
    type: 'user',
    uri: `spotify:user:${u.id}`,
  };
}

/** The Web API's error wrapper `{ error: { status, message[, reason] } }`. */
export function apiErrorBody(status: number, message: string, reason?: string): Record<string, unknown> {
  return { error: reason ? { status, message, reason } : { status, message } };
}
