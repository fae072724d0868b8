/**
 * A fake Apple Music API with the one call the bot makes: `GET /v1/catalog/{storefront}/
 * playlists/{id}` with `Authorization: Bearer <developer token>`, shaped after Apple's
 * documentation (developer.apple.com/documentation/applemusicapi: "Get a Catalog Playlist",
 * `PlaylistsResponse`, `Playlists`, `Songs.Attributes`): `data` holds one playlist whose
 * `tracks` relationship is included by default, each entry a `songs` (or `music-videos`)
 * resource with `name`, `artistName`, `albumName`, `durationInMillis`, `url`, `isrc`, ….
 * A wrong token answers 401 and an unknown playlist 404, both with Apple's `errors` array.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One entry of a fake playlist. */
export interface FakeAppleSong {
  readonly id: string;
  readonly albumId: string;
  readonly name: string;
  readonly artistName: string;
  readonly seconds: number;
  /** A music video instead of a song. */
  readonly video?: boolean;
}

/** The test's handle. */
export interface FakeAppleMusic {
  readonly apiUrl: string;
  readonly token: string;
  readonly requests: string[];
  addPlaylist(p: { id: string; name: string; songs: FakeAppleSong[] }): void;
  close(): Promise<void>;
}

const error = (status: number, title: string) => ({ errors: [{ id: 'FAKE0001', title, detail: title, status: String(status), code: `${status}00` }] });

/** Starts the fake on 127.0.0.1. */
export async function startFakeAppleMusic(): Promise<FakeAppleMusic> {
  const token = 'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJGQUtFIn0.c2lnbmF0dXJl';
  const playlists = new Map<string, { name: string; songs: FakeAppleSong[] }>();
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, error(401, 'Unauthorized'));
    const m = /^\/v1\/catalog\/([a-z]{2})\/playlists\/(pl\.[\w-]+)$/.exec(url.pathname);
    const p = m ? playlists.get(m[2]!) : undefined;
    if (!m || !p) return send(404, error(404, 'Resource Not Found'));
    const sf = m[1]!;
    send(200, {
      data: [{
        id: m[2], type: 'playlists', href: `/v1/catalog/${sf}/playlists/${m[2]}`,
        attributes: { name: p.name, curatorName: 'Apple Music', playlistType: 'editorial', isChart: false, lastModifiedDate: '2026-11-30T12:00:00Z', url: `https://music.apple.com/${sf}/playlist/x/${m[2]}`, playParams: { id: m[2], kind: 'playlist' } },
        relationships: {
          tracks: {
            href: `/v1/catalog/${sf}/playlists/${m[2]}/tracks`,
            data: p.songs.map((s) => ({
              id: s.id, type: s.video ? 'music-videos' : 'songs', href: `/v1/catalog/${sf}/${s.video ? 'music-videos' : 'songs'}/${s.id}`,
              attributes: {
                name: s.name, artistName: s.artistName, albumName: 'Fake Album', durationInMillis: s.seconds * 1000, genreNames: ['Pop'], releaseDate: '2024-01-01',
                url: s.video ? `https://music.apple.com/${sf}/music-video/x/${s.id}` : `https://music.apple.com/${sf}/album/x/${s.albumId}?i=${s.id}`,
                isrc: `QZFAKE${s.id.slice(-6)}`, playParams: { id: s.id, kind: s.video ? 'musicVideo' : 'song' }, previews: [], hasLyrics: false, trackNumber: 1, discNumber: 1,
              },
            })),
          },
        },
      }],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    token,
    requests,
    addPlaylist: (p) => void playlists.set(p.id, { name: p.name, songs: p.songs }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
