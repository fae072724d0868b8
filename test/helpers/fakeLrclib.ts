/**
 * A fake LRCLIB on 127.0.0.1 (port 0): `GET /api/get` and `GET /api/search`, printing only
 * what LRCLIB's server prints (github.com/tranxuanthang/lrclib, read at commit de83c12):
 *
 * - `/api/get?track_name=&artist_name=&album_name=&duration=`
 *   (server/src/routes/get_lyrics_by_metadata.rs): 200 `TrackResponse`, or 404 with
 *   `ApiErrorResponse` `TrackNotFound` (server/src/errors.rs). Names match lower-cased (LRCLIB's
 *   utils.rs `prepare_input` also folds punctuation; the fake does not need to), the album only when given, the duration within ±2 s
 *   (repositories/track_repository.rs).
 * - `/api/search?q=` (server/src/routes/search_lyrics.rs): 200, an array of the same
 *   `TrackResponse` (at most 20, repositories/track_repository.rs `LIMIT 20`).
 *
 * Modes a test turns: `down` (500 `UnknownError`, errors.rs), `hang` (never answers) and
 * `garbage` (an HTML page, as a proxy in front of it might answer).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A track in the fake's database. */
export interface FakeLyricsTrack {
  readonly trackName: string;
  readonly artistName: string;
  readonly albumName: string;
  readonly duration: number;
  readonly instrumental?: boolean;
  readonly plainLyrics?: string | null;
  readonly syncedLyrics?: string | null;
}

/** A request the fake saw. */
export interface FakeLrclibRequest {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly userAgent: string | undefined;
}

export type FakeLrclibMode = 'ok' | 'down' | 'hang' | 'garbage';

export interface FakeLrclib {
  /** `LRCLIB_API_URL` for the client. */
  readonly url: string;
  readonly requests: FakeLrclibRequest[];
  add(track: FakeLyricsTrack): void;
  setMode(mode: FakeLrclibMode): void;
  close(): Promise<void>;
}

// ApiErrorResponse of server/src/errors.rs (`#[serde(rename_all = "camelCase")]`).
const NOT_FOUND = { message: 'Failed to find specified track', name: 'TrackNotFound', statusCode: 404 };
const UNKNOWN = { message: 'Something bad happened when processing your request', name: 'UnknownError', statusCode: 500 };

/** Starts the fake. */
export async function startFakeLrclib(): Promise<FakeLrclib> {
  const tracks: Array<FakeLyricsTrack & { id: number }> = [];
  const requests: FakeLrclibRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let mode: FakeLrclibMode = 'ok';

  // TrackResponse of get_lyrics_by_metadata.rs / search_lyrics.rs: `name` and `trackName` are
  // both the track's name; the lyrics fields are null when none were published.
  const response = (t: FakeLyricsTrack & { id: number }) => ({
    id: t.id,
    name: t.trackName,
    trackName: t.trackName,
    artistName: t.artistName,
    albumName: t.albumName,
    duration: t.duration,
    instrumental: t.instrumental ?? false,
    plainLyrics: t.instrumental ? null : (t.plainLyrics ?? null),
    syncedLyrics: t.instrumental ? null : (t.syncedLyrics ?? null),
  });

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    requests.push({ path: url.pathname, query, userAgent: req.headers['user-agent'] });
    if (mode === 'hang') {
      hanging.add(res);
      return;
    }
    if (mode === 'down') return send(res, 500, UNKNOWN);
    if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    const lower = (s: string | undefined) => s?.trim().toLowerCase();
    if (url.pathname === '/api/get') {
      const duration = query.duration === undefined ? undefined : Number(query.duration);
      const hit = tracks.find(
        (t) =>
          lower(t.trackName) === lower(query.track_name) &&
          lower(t.artistName) === lower(query.artist_name) &&
          (query.album_name === undefined || lower(t.albumName) === lower(query.album_name)) &&
          (duration === undefined || Math.abs(t.duration - duration) <= 2),
      );
      return hit ? send(res, 200, response(hit)) : send(res, 404, NOT_FOUND);
    }
    if (url.pathname === '/api/search') {
      const words = (lower(query.q) ?? '').split(/\s+/).filter(Boolean);
      const hits = tracks.filter((t) => {
        const hay = lower(`${t.trackName} ${t.artistName} ${t.albumName}`)!;
        return words.length > 0 && words.every((w) => hay.includes(w));
      });
      return send(res, 200, hits.slice(0, 20).map(response));
    }
    res.writeHead(404);
    res.end();
  }

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    add: (track) => void tracks.push({ ...track, id: tracks.length + 1 }),
    setMode: (m) => void (mode = m),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
