/**
 * Local fakes of the public music services the resolvers read, on one `node:http` server
 * (127.0.0.1, port 0), each under its own prefix, plus a local search source.
 *
 * | service | base to configure | routes |
 * | --- | --- | --- |
 * | Deezer API | `deezerApiUrl` | `/track/<id>`, `/album/<id>` (errors as 200 + `error`, like Deezer) |
 * | iTunes lookup | `itunesApiUrl` | `/lookup?id=&country=&entity=song` |
 * | Yandex Music API | `yandexApiUrl` | `/tracks/<id>`, `/albums/<id>/with-tracks` |
 * | Yandex Music pages | `yandexWebUrl` | `/album/<a>/track/<t>`, `/track/<t>` (`og:` tags) |
 * | Tidal pages | `tidalWebUrl` | `/browse/track/<id>` |
 * | Spotify pages | `spotifyWebUrl` | `/track/<id>` |
 * | Odesli | `odesliUrl` | `/links?url=` |
 * | short links | `shortBase(host)` | `/<code>` → 302 to the registered target |
 *
 * `yandexMode`: `ok`, `api-refuses` (451, then the page works) or `refuses` (both refuse).
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
  addTidal(track: FakeSourceTrack): void;
  addSpotifyPage(track: FakeSourceTrack): void;
  /** `host`/`code` redirects to `target`. */
  addShortLink(host: string, code: string, target: string): void;
  /** What Odesli answers for a page URL (a `linksByPlatform` body), or a status. */
  setOdesli(answer: Record<string, unknown> | number): void;
  yandexMode: 'ok' | 'api-refuses' | 'refuses';
  /** Paths requested so far, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown): void =>
  void res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
const html = (res: ServerResponse, status: number, meta: Record<string, string>, title = ''): void => {
  const tags = Object.entries(meta).map(([k, v]) => `<meta property="${k}" content="${v.replace(/"/g, '&quot;')}">`).join('\n');
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${title}</title>${tags}</head><body></body></html>`);
};

/** Starts the fakes. */
export async function startFakeMusicSources(): Promise<FakeMusicSources> {
  const deezer = new Map<string, FakeSourceTrack>();
  const deezerAlbums = new Map<string, { title: string; tracks: FakeSourceTrack[] }>();
  const itunes = new Map<string, FakeSourceTrack & { country?: string }>();
  const yandex = new Map<string, FakeSourceTrack>();
  const tidal = new Map<string, FakeSourceTrack>();
  const spotifyPages = new Map<string, FakeSourceTrack>();
  const shorts = new Map<string, string>();
  let odesli: Record<string, unknown> | number = 404;
  const requests: string[] = [];
  const state = { yandexMode: 'ok' as FakeMusicSources['yandexMode'] };

  const deezerTrack = (t: FakeSourceTrack) => ({
    id: Number(t.id), title: t.title, duration: t.seconds, isrc: t.isrc ?? '', explicit_lyrics: false,
    contributors: t.artists.map((name, i) => ({ id: i + 1, name, role: 'Main' })),
    artist: { id: 1, name: t.artists[0] ?? '' },
    album: { id: 1, title: t.album ?? '', cover_xl: t.coverUrl ?? null },
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    requests.push(p + url.search);
    let m: RegExpExecArray | null;
    if ((m = /^\/deezer\/track\/(\d+)$/.exec(p))) {
      const t = deezer.get(m[1]!);
      return t ? json(res, 200, deezerTrack(t)) : json(res, 200, { error: { type: 'DataException', message: 'no data', code: 800 } });
    }
    if ((m = /^\/deezer\/album\/(\d+)$/.exec(p))) {
      const a = deezerAlbums.get(m[1]!);
      if (!a) return json(res, 200, { error: { type: 'DataException', message: 'no data', code: 800 } });
      return json(res, 200, { id: Number(m[1]), title: a.title, nb_tracks: a.tracks.length, tracks: { data: a.tracks.map(deezerTrack) } });
    }
    if (p === '/itunes/lookup') {
      const t = itunes.get(url.searchParams.get('id') ?? '');
      const results = t
        ? [{ wrapperType: 'track', kind: 'song', trackId: Number(t.id), trackName: t.title, artistName: t.artists.join(' & '), collectionName: t.album ?? '', trackTimeMillis: t.seconds * 1000, artworkUrl100: t.coverUrl ?? '', trackExplicitness: 'notExplicit' }]
        : [];
      return json(res, 200, { resultCount: results.length, results });
    }
    if ((m = /^\/yandex-api\/tracks\/(\d+)$/.exec(p))) {
      if (state.yandexMode !== 'ok') return json(res, 451, { error: 'Unavailable For Legal Reasons' });
      const t = yandex.get(m[1]!);
      if (!t) return json(res, 404, { invocationInfo: {}, error: { name: 'not-found', message: 'Track not found' } });
      return json(res, 200, {
        invocationInfo: {},
        result: [{ id: t.id, title: t.title, durationMs: t.seconds * 1000, artists: t.artists.map((name) => ({ name })), albums: [{ id: 1, title: t.album ?? '' }] }],
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
      return html(res, 200, { 'og:title': t.title, 'og:description': `Listen to ${t.title} by ${t.artists.join(', ')} on TIDAL`, ...(t.coverUrl && { 'og:image': t.coverUrl }) }, `${t.title} by ${t.artists.join(', ')} on TIDAL`);
    }
    if ((m = /^\/spotify-web\/track\/([A-Za-z0-9]+)$/.exec(p))) {
      const t = spotifyPages.get(m[1]!);
      if (!t) return html(res, 404, {}, 'Page not available');
      return html(res, 200, { 'og:title': t.title, 'og:description': `${t.artists.join(', ')} · ${t.album ?? 'Single'} · Song · 2024`, 'music:duration': String(t.seconds) }, `${t.title} - song and lyrics by ${t.artists.join(', ')} | Spotify`);
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
