/**
 * Local fakes of the public music services the resolvers read, on one `node:http` server
 * (127.0.0.1, port 0), each under its own prefix, plus a local search source.
 *
 * | service | base to configure | routes |
 * | --- | --- | --- |
 * | Deezer API | `deezerApiUrl` | `/track/<id>`, `/album/<id>`, `/search?q=&limit=` (errors as 200 + `error`, like Deezer) |
 * | iTunes Search API | `itunesApiUrl` | `/lookup?id=&country=&entity=song`, `/search?term=&entity=song&limit=` |
 * | Yandex Music API | `yandexApiUrl` | `/tracks/<id>`, `/users/<owner>/playlists/<kind>` |
 * | Yandex Music pages | `yandexWebUrl` | `/album/<a>/track/<t>`, `/track/<t>` (`og:` tags) |
 * | Tidal pages | `tidalWebUrl` | `/browse/track/<id>` |
 * | Spotify pages | `spotifyWebUrl` | `/track/<id>` |
 * | Odesli | `odesliUrl` | `/links?url=` |
 * | short links | `shortBase(host)` | `/<code>` → 302 to the registered target |
 *
 * `yandexMode`: `ok`, `api-refuses` (451, then the page works) or `refuses` (both refuse).
 * `searchMode` (Deezer and iTunes search only): `ok`, `down` (HTTP 503) or `hang` (no answer).
 * The searches find a track whose title and artists hold every word of the query (lower
 * case, no transliteration: the real services' ranking is theirs, not modelled here).
 *
 * Each body prints only fields the real service prints (a subset), in the real types; the
 * source of each shape is named beside it. Covers appear only when a test gives a (local)
 * URL, so nothing here points a download at the internet.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candidate } from '../../src/music/matcher/index.ts';
import type { SearchOptions, SearchSource } from '../../src/music/search/searchSource.ts';

/** A track as the fakes describe it. */
export interface FakeSourceTrack {
  readonly id: string;
  readonly title: string;
  readonly artists: readonly string[];
  readonly album?: string;
  readonly seconds: number;
  readonly isrc?: string;
  readonly coverUrl?: string;
}

/** The running fakes. */
export interface FakeMusicSources {
  readonly baseUrl: string;
  readonly deezerApiUrl: string;
  readonly itunesApiUrl: string;
  readonly yandexApiUrl: string;
  readonly yandexWebUrl: string;
  readonly tidalWebUrl: string;
  readonly spotifyWebUrl: string;
  readonly odesliUrl: string;
  /** The base to configure for one short-link host. */
  shortBase(host: string): string;
  addDeezer(track: FakeSourceTrack): void;
  addDeezerAlbum(album: { id: string; title: string; tracks: FakeSourceTrack[] }): void;
  addItunes(track: FakeSourceTrack & { country?: string }): void;
  addYandex(track: FakeSourceTrack): void;
  /** A user's Yandex playlist (`/users/<owner>/playlists/<kind>`) of tracks added with `addYandex`. */
  addYandexPlaylist(playlist: { owner: string; kind: string; title: string; trackIds: string[] }): void;
  /**
   * A Tidal share page. `form` picks the `og:title` shape (issue 15 fact 9): `by` "Title by
   * Artist" (default), `dash` "Artist - Title", `plain` the title alone with og:description
   * "Song by Artist". `sentence: false` leaves out the og:description / <title> sentence.
   */
  addTidal(track: FakeSourceTrack & { form?: 'by' | 'dash' | 'plain'; sentence?: boolean }): void;
  addSpotifyPage(track: FakeSourceTrack): void;
  /** `host`/`code` redirects to `target`. */
  addShortLink(host: string, code: string, target: string): void;
  /** What Odesli answers for a page URL (a `linksByPlatform` body), or a status. */
  setOdesli(answer: Record<string, unknown> | number): void;
  yandexMode: 'ok' | 'api-refuses' | 'refuses';
  searchMode: 'ok' | 'down' | 'hang';
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void =>
  void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
const html = (res: ServerResponse, status: number, meta: Record<string, string>, title = ''): void => {
  // A `name:` prefix writes `<meta name=…>` (Spotify's music:* tags), the rest `property=`.
  const tags = Object.entries(meta)
    .map(([k, v]) => `<meta ${k.startsWith('name:') ? `name="${k.slice(5)}"` : `property="${k}"`} content="${v.replace(/"/g, '&quot;')}">`)
    .join('\n');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${title}</title>${tags}</head><body></body></html>`);
};

/** Starts the fakes. */
export async function startFakeMusicSources(): Promise<FakeMusicSources> {
  const deezer = new Map<string, FakeSourceTrack>();
  const deezerAlbums = new Map<string, { title: string; tracks: FakeSourceTrack[] }>();
  const itunes = new Map<string, FakeSourceTrack & { country?: string }>();
  const yandex = new Map<string, FakeSourceTrack>();
  const yandexPlaylists = new Map<string, { title: string; trackIds: string[] }>();
  const tidal = new Map<string, FakeSourceTrack & { form?: 'by' | 'dash' | 'plain'; sentence?: boolean }>();
  const spotifyPages = new Map<string, FakeSourceTrack>();
  const shorts = new Map<string, string>();
  let odesli: Record<string, unknown> | number = 404;
  const requests: string[] = [];
  const state = { yandexMode: 'ok' as FakeMusicSources['yandexMode'], searchMode: 'ok' as FakeMusicSources['searchMode'] };
  const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const found = <T extends FakeSourceTrack>(all: Iterable<T>, query: string, limit: number): T[] => {
    const wanted = words(query);
    const hits = [...all].filter((t) => {
      const have = new Set(words(`${t.title} ${t.artists.join(' ')}`));
      return wanted.length > 0 && wanted.every((w) => have.has(w));
    });
    return hits.slice(0, limit);
  };
  const limitOf = (url: URL, fallback: number) => Math.max(1, Number(url.searchParams.get('limit') ?? fallback) || fallback);

  // Deezer's track object (developers.deezer.com/api/track): numeric `id` and `duration`
  // (seconds), `isrc` a string, `explicit_lyrics` a boolean, `contributors` artist objects with
  // `role` "Main" or "Featured", `artist` and `album` objects whose cover fields are URL strings.
  // A subset: `readable`, `rank`, `preview`, `md5_image`… are left out, nothing is added.
  const deezerArtist = (name: string, i: number) => ({ id: 1000 + i, name, link: `https://www.deezer.com/artist/${1000 + i}`, type: 'artist' });
  // Cover URLs only when the test gives one (a local URL): nothing may reach the internet.
  const deezerAlbumRef = (t: FakeSourceTrack) => ({
    id: 302127, title: t.album ?? t.title, link: 'https://www.deezer.com/album/302127',
    ...(t.coverUrl && { cover_medium: t.coverUrl, cover_big: t.coverUrl, cover_xl: t.coverUrl }), type: 'album',
  });
  const deezerTrack = (t: FakeSourceTrack) => ({
    id: Number(t.id), title: t.title, link: `https://www.deezer.com/track/${t.id}`, duration: t.seconds,
    ...(t.isrc !== undefined && { isrc: t.isrc }), explicit_lyrics: false,
    contributors: t.artists.map((name, i) => ({ ...deezerArtist(name, i), role: i === 0 ? 'Main' : 'Featured' })),
    artist: deezerArtist(t.artists[0] ?? '', 0),
    album: deezerAlbumRef(t),
    type: 'track',
  });
  // The entries of an album's `tracks.data` (developers.deezer.com/api/album) are shorter than
  // /track/<id>: no `isrc`, no `contributors`, only the main `artist`.
  const deezerAlbumEntry = (t: FakeSourceTrack) => ({
    id: Number(t.id), title: t.title, link: `https://www.deezer.com/track/${t.id}`, duration: t.seconds, explicit_lyrics: false,
    artist: { id: 1000, name: t.artists[0] ?? '', type: 'artist' }, type: 'track',
  });

  // An entry of Deezer's `/search` `data` (developers.deezer.com/api/search; recorded answers in
  // HornRyRy/Groove-Project client/notes.md and LauraVZuluaga/music-app src/common/fakes/songs.ts):
  // shorter than /track/<id>: `title_short`, `title_version`, `rank`, the main `artist` only, no
  // `isrc`, no `contributors`. `preview`, `md5_image` and the pictures are left out.
  const deezerSearchEntry = (t: FakeSourceTrack) => ({
    id: Number(t.id), readable: true, title: t.title, title_short: t.title, title_version: '', link: `https://www.deezer.com/track/${t.id}`,
    duration: t.seconds, rank: 500000, explicit_lyrics: false, explicit_content_lyrics: 0, explicit_content_cover: 0,
    artist: { ...deezerArtist(t.artists[0] ?? '', 0), tracklist: `https://api.deezer.com/artist/1000/top?limit=50` },
    album: { id: 302127, title: t.album ?? t.title, tracklist: 'https://api.deezer.com/album/302127/tracks', type: 'album' },
    type: 'track',
  });
  // Apple's iTunes Search API result for a song: the same fields as a lookup (see /itunes/lookup).
  const itunesSong = (t: FakeSourceTrack) => ({
    wrapperType: 'track', kind: 'song', trackId: Number(t.id), collectionId: 1558533900, trackName: t.title, artistName: t.artists.join(' & '),
    collectionName: t.album ?? t.title, trackViewUrl: `https://music.apple.com/us/album/x/1558533900?i=${t.id}&uo=4`, ...(t.coverUrl && { artworkUrl100: t.coverUrl }),
    trackTimeMillis: t.seconds * 1000, trackExplicitness: 'notExplicit', country: 'USA', isStreamable: true,
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    requests.push(p + url.search);
    let m: RegExpExecArray | null;
    if (p === '/deezer/search' || p === '/itunes/search') {
      if (state.searchMode === 'hang') return; // never answers: the client's budget must end it
      if (state.searchMode === 'down') return html(res, 503, {}, 'Service Unavailable');
      if (p === '/deezer/search') {
        const hits = found(deezer.values(), url.searchParams.get('q') ?? '', limitOf(url, 25));
        return json(res, 200, { data: hits.map(deezerSearchEntry), total: hits.length });
      }
      // Apple's search serves text/javascript like the lookup; `entity=song` gives only songs.
      const hits = found(itunes.values(), url.searchParams.get('term') ?? '', limitOf(url, 50));
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(JSON.stringify({ resultCount: hits.length, results: hits.map(itunesSong) }));
      return;
    }
    if ((m = /^\/deezer\/track\/(\d+)$/.exec(p))) {
      const t = deezer.get(m[1]!);
      return t ? json(res, 200, deezerTrack(t)) : json(res, 200, { error: { type: 'DataException', message: 'no data', code: 800 } });
    }
    if ((m = /^\/deezer\/album\/(\d+)$/.exec(p))) {
      const a = deezerAlbums.get(m[1]!);
      if (!a) return json(res, 200, { error: { type: 'DataException', message: 'no data', code: 800 } });
      return json(res, 200, { id: Number(m[1]), title: a.title, nb_tracks: a.tracks.length, type: 'album', tracks: { data: a.tracks.map(deezerAlbumEntry) } });
    }
    if (p === '/itunes/lookup') {
      // Apple's iTunes Search API "lookup" (performance-partners.apple.com/search-api): a song
      // result has numeric `trackId`/`collectionId`/`trackTimeMillis`, one `artistName` string
      // ("A & B"), `artworkUrl100` always set (a mzstatic URL ending in 100x100bb.jpg), and
      // `trackExplicitness`; Apple serves it as text/javascript. An unknown id: resultCount 0.
      // The artwork is left out unless the test gives a (local, …/100x100bb.jpg) URL.
      const t = itunes.get(url.searchParams.get('id') ?? '');
      const results = t ? [itunesSong(t)] : [];
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(JSON.stringify({ resultCount: results.length, results }));
      return;
    }
    if ((m = /^\/yandex-api\/users\/([\w.-]+)\/playlists\/(\d+)$/.exec(p))) {
      if (state.yandexMode !== 'ok') return json(res, 451, { error: 'Unavailable For Legal Reasons' });
      const list = yandexPlaylists.get(`${m[1]}/${m[2]}`);
      if (!list) return json(res, 404, { invocationInfo: {}, error: { name: 'not-found', message: 'Playlist not found' } });
      // A Playlist as MarshalX/yandex-music-api reads it (`users_playlists`, `Playlist`,
      // `TrackShort`): `title`, `trackCount`, and `tracks` of TrackShort – `id`, `timestamp`,
      // `albumId` – without the full `track`, which that library documents only for charts.
      return json(res, 200, {
        invocationInfo: { hostname: 'music-backend-fake', 'req-id': '1700000000000-1', 'exec-duration-millis': 4 },
        result: {
          owner: { uid: 100500, login: m[1] }, kind: Number(m[2]), title: list.title, trackCount: list.trackIds.length, visibility: 'public',
          tracks: list.trackIds.map((id, i) => ({ id: Number(id), timestamp: `2026-01-0${1 + (i % 9)}T00:00:00+00:00`, albumId: 4766 })),
        },
      });
    }
    if ((m = /^\/yandex-api\/tracks\/(\d+)$/.exec(p))) {
      if (state.yandexMode !== 'ok') return json(res, 451, { error: 'Unavailable For Legal Reasons' });
      const t = yandex.get(m[1]!);
      if (!t) return json(res, 404, { invocationInfo: {}, error: { name: 'not-found', message: 'Track not found' } });
      // Yandex's track object as yt-dlp's yandexmusic extractor reads it (`id`, `title`,
      // `durationMs`, `artists[].name`, `albums[0].title/coverUri/year/trackPosition`): the
      // track id a string (yt-dlp wraps it in compat_str), artist and album ids numbers,
      // `coverUri` host/path with `%%` where the size goes.
      return json(res, 200, {
        invocationInfo: { hostname: 'music-backend-fake', 'req-id': '1700000000000-0', 'exec-duration-millis': 3 },
        result: [{
          id: t.id, realId: t.id, title: t.title, durationMs: t.seconds * 1000,
          artists: t.artists.map((name, i) => ({ id: 9000 + i, name })),
          albums: [{ id: 4766, title: t.album ?? t.title, year: 2024, trackPosition: { volume: 1, index: 1 } }], // coverUri left out: no internet
        }],
      });
    }
    if ((m = /^\/yandex-web\/(?:album\/\d+\/)?track\/(\d+)$/.exec(p))) {
      if (state.yandexMode === 'refuses') {
        res.writeHead(302, { location: `${baseUrl}/yandex-web/showcaptcha?retpath=x` }).end();
        return;
      }
      const t = yandex.get(m[1]!);
      if (!t) return html(res, 404, {}, 'Not found');
      return html(res, 200, { 'og:title': `${t.title} — ${t.artists.join(', ')}. Слушать онлайн на Яндекс Музыке`, 'og:description': `${t.artists[0]} • Трек • 2024` });
    }
    if (p === '/yandex-web/showcaptcha') return html(res, 200, {}, 'Ой!');
    if ((m = /^\/tidal\/browse\/track\/(\d+)$/.exec(p))) {
      const t = tidal.get(m[1]!);
      if (!t) return html(res, 404, {}, 'Page not found');
      // The three og:title forms of issue 15 fact 9 ("Artist - Title" is what idonthavespotify's
      // Tidal parser splits, src/parsers/tidal.ts); og:type music.song and og:image as there.
      const who = t.artists.join(', ');
      const form = t.form ?? 'by';
      const ogTitle = form === 'by' ? `${t.title} by ${who}` : form === 'dash' ? `${who} - ${t.title}` : t.title;
      const sentence: Record<string, string> = t.sentence === false ? {} : { 'og:description': form === 'plain' ? `Song by ${who}` : `Listen to ${t.title} by ${who} on TIDAL` };
      const pageTitle = t.sentence === false ? 'TIDAL' : `${t.title} by ${who} on TIDAL`;
      return html(res, 200, { 'og:title': ogTitle, ...sentence, 'og:type': 'music.song', ...(t.coverUrl && { 'og:image': t.coverUrl }) }, pageTitle);
    }
    if ((m = /^\/spotify-web\/track\/([A-Za-z0-9]+)$/.exec(p))) {
      const t = spotifyPages.get(m[1]!);
      if (!t) return html(res, 404, {}, 'Page not available');
      // The meta tags of a recorded track page (idonthavespotify, tests/mocks/head/spotify-track-
      // 3AhXZa8sUQht0UEdBJgpGc.html): og:* as `property`, music:* as `name`, og:description
      // "Artist · Album · Song · Year", <title> "Title - song and lyrics by Artist | Spotify".
      return html(res, 200, {
        'og:title': t.title, 'og:description': `${t.artists.join(', ')} · ${t.album ?? t.title} · Song · 2024`,
        'og:url': `https://open.spotify.com/track/${t.id}`, 'og:type': 'music.song', ...(t.coverUrl && { 'og:image': t.coverUrl }),
        'name:music:duration': String(t.seconds), 'name:music:musician_description': t.artists[0] ?? '',
      }, `${t.title} - song and lyrics by ${t.artists.join(', ')} | Spotify`);
    }
    if (p === '/odesli/links') return typeof odesli === 'number' ? json(res, odesli, { statusCode: odesli }) : json(res, 200, odesli);
    if ((m = /^\/short\/([^/]+)(\/.*)$/.exec(p))) {
      const target = shorts.get(`${m[1]}${m[2]}`);
      if (!target) return html(res, 404, {}, 'Not found');
      res.writeHead(302, { location: target }).end();
      return;
    }
    html(res, 404, {}, 'Not found');
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    deezerApiUrl: `${baseUrl}/deezer`,
    itunesApiUrl: `${baseUrl}/itunes`,
    yandexApiUrl: `${baseUrl}/yandex-api`,
    yandexWebUrl: `${baseUrl}/yandex-web`,
    tidalWebUrl: `${baseUrl}/tidal`,
    spotifyWebUrl: `${baseUrl}/spotify-web`,
    odesliUrl: `${baseUrl}/odesli`,
    shortBase: (host) => `${baseUrl}/short/${host}`,
    addDeezer: (t) => void deezer.set(t.id, t),
    addDeezerAlbum: (a) => void deezerAlbums.set(a.id, { title: a.title, tracks: a.tracks }),
    addItunes: (t) => void itunes.set(t.id, t),
    addYandex: (t) => void yandex.set(t.id, t),
    addYandexPlaylist: (p) => void yandexPlaylists.set(`${p.owner}/${p.kind}`, { title: p.title, trackIds: p.trackIds }),
    addTidal: (t) => void tidal.set(t.id, t),
    addSpotifyPage: (t) => void spotifyPages.set(t.id, t),
    addShortLink: (host, code, target) => void shorts.set(`${host}/${code.replace(/^\//, '')}`, target),
    setOdesli: (a) => void (odesli = a),
    get yandexMode() {
      return state.yandexMode;
    },
    set yandexMode(v) {
      state.yandexMode = v;
    },
    get searchMode() {
      return state.searchMode;
    },
    set searchMode(v) {
      state.searchMode = v;
    },
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A {@link SearchSource} over a fixed list: a candidate is found by a query that holds every
 * word of its title (or by its ISRC). Records the queries it was asked.
 */
export class LocalSearchSource implements SearchSource {
  readonly queries: string[] = [];
  readonly #entries: (Candidate & { readonly isrc?: string })[] = [];

  add(candidate: Candidate): this {
    this.#entries.push(candidate);
    return this;
  }

  async search(queries: readonly string[], o: SearchOptions): Promise<Candidate[]> {
    this.queries.push(...queries);
    const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const out: Candidate[] = [];
    for (const q of queries) {
      const qw = new Set(words(q));
      for (const c of this.#entries) {
        const hit = (c.isrc !== undefined && q === c.isrc) || words(c.title.replace(/\(.*?\)/g, '')).every((w) => qw.has(w));
        if (hit && !out.includes(c) && out.length < o.limit * queries.length) out.push(c);
      }
    }
    return out;
  }
}
