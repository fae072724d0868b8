/**
 * The catalogue clients of the text search against fakes that print the real shapes: Deezer
 * and iTunes through `test/helpers/fakeMusicSources.ts`, Spotify through a small server here
 * that answers Spotify's search body around the shared fake catalogue's TrackObjects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createDeezerSearch, createItunesSearch, createSpotifySearch } from '../../../src/music/textSearch/catalogClients.ts';
import { apiErrorBody, trackBody } from '../../helpers/fakeSpotifyCatalog.ts';
import { TRACK_WITH_ISRC, TRACK_WITHOUT_ISRC } from '../../helpers/fakeSpotify.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';
import { rejects } from '../../helpers/rejects.ts';

const C = suite('text search catalogue clients');
const live = () => new AbortController().signal;
const isUnavailable = (err: unknown) => (err as { code?: unknown }).code === 'MUSIC_SOURCE_UNAVAILABLE';

/** A server answering each request with `answer` (status, body), recording the requests. */
async function scripted(answer: (req: IncomingMessage) => { status: number; body: unknown } | undefined) {
  const seen: IncomingMessage[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const a = answer(req);
    if (!a) return; // never answers
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, seen, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

let sources: FakeMusicSources;
C.before(async () => {
  sources = await startFakeMusicSources();
  sources.addDeezer({ id: '9101', title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], seconds: 215, isrc: 'QZABC2400001' });
  sources.addItunes({ id: '1440000001', title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], seconds: 215 });
});
C.after(() => sources.close());

C('Deezer: a hit becomes a Deezer track link with title, main artist and duration (its search prints no ISRC)', async () => {
  const found = await createDeezerSearch({ apiUrl: sources.deezerApiUrl }).search('night drive', 5, live());
  assert.equal(found.map((t) => ({ key: t.link.key, title: t.title, artists: t.artists, durationSec: t.durationSec, isrc: t.isrc })), [
    { key: 'deezer:track:9101', title: 'Night Drive', artists: ['Aurora Lane'], durationSec: 215, isrc: undefined },
  ]);
  assert.ok(sources.requests.includes('/deezer/search?q=night+drive&limit=5'));
  assert.equal(await createDeezerSearch({ apiUrl: sources.deezerApiUrl }).search('nothing like it', 5, live()), []);
});

C('iTunes: a hit becomes an Apple Music song link the Apple resolver can look up; artists split', async () => {
  const found = await createItunesSearch({ apiUrl: sources.itunesApiUrl }).search('night drive', 5, live());
  assert.equal(found.map((t) => ({ url: t.link.url, title: t.title, artists: t.artists, durationSec: t.durationSec })), [
    { url: found[0]!.link.url, title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], durationSec: 215 },
  ]);
  assert.match(found[0]!.link.url, /^https:\/\/music\.apple\.com\/us\/album\/1558533900\?i=1440000001$/);
  assert.equal(await createItunesSearch({ apiUrl: sources.itunesApiUrl }).search('nothing like it', 5, live()), []);
});

C('Deezer and iTunes down, silent or answering another shape: MUSIC_SOURCE_UNAVAILABLE', async () => {
  sources.searchMode = 'down';
  await rejects(createDeezerSearch({ apiUrl: sources.deezerApiUrl }).search('x', 5, live()), isUnavailable);
  sources.searchMode = 'hang';
  await rejects(createItunesSearch({ apiUrl: sources.itunesApiUrl, timeoutMs: 200 }).search('x', 5, live()), isUnavailable);
  sources.searchMode = 'ok';
  // Deezer's error answer (HTTP 200 with an `error` object, code 4 = quota; developers.deezer.com/api/errors).
  const quota = await scripted(() => ({ status: 200, body: { error: { type: 'Exception', message: 'Quota limit exceeded', code: 4 } } }));
  await rejects(createDeezerSearch({ apiUrl: quota.base }).search('x', 5, live()), isUnavailable);
  await quota.close();
  const odd = await scripted(() => ({ status: 200, body: { data: [{ id: 'nine', title: 9 }] } }));
  await rejects(createDeezerSearch({ apiUrl: odd.base }).search('x', 5, live()), isUnavailable);
  await rejects(createItunesSearch({ apiUrl: odd.base }).search('x', 5, live()), isUnavailable);
  await odd.close();
});

// Spotify's search answer (Web API OpenAPI spec, `GET /search`): `tracks` a PagingTrackObject
// (href, items, limit, next, offset, previous, total) of full TrackObjects.
const spotifyPage = (api: string, q: string) => ({
  tracks: { href: `${api}/search?q=${encodeURIComponent(q)}&type=track&offset=0&limit=5`, items: [trackBody(TRACK_WITH_ISRC, api), trackBody(TRACK_WITHOUT_ISRC, api)], limit: 5, next: null, offset: 0, previous: null, total: 2 },
});

C('Spotify: the app token, limit within 1–10, ISRC when printed; one fresh token after a 401', async () => {
  let tokens = 0;
  const server = await scripted((req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== 'Bearer fresh') return { status: 401, body: apiErrorBody(401, 'The access token expired') };
    return { status: 200, body: spotifyPage(server.base, url.searchParams.get('q') ?? '') };
  });
  const search = createSpotifySearch({ apiUrl: server.base, appToken: async (o) => (tokens++, o?.forceRefresh ? 'fresh' : 'stale') });
  const found = await search.search('night drive', 25, live());
  assert.equal(found.map((t) => ({ key: t.link.key, title: t.title, artists: t.artists, durationSec: t.durationSec, isrc: t.isrc })), [
    { key: `spotify:track:${TRACK_WITH_ISRC.id}`, title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], durationSec: 215, isrc: 'QZABC2400001' },
    { key: `spotify:track:${TRACK_WITHOUT_ISRC.id}`, title: 'Old Demo (Live)', artists: ['Basement Tapes'], durationSec: 188, isrc: undefined },
  ]);
  assert.is(tokens, 2);
  const asked = new URL(server.seen.at(-1)!.url!, 'http://x').searchParams;
  assert.equal([asked.get('type'), asked.get('limit'), asked.get('q')], ['track', '10', 'night drive']);
  await server.close();
});

C('Spotify refusing, silent or answering another shape: MUSIC_SOURCE_UNAVAILABLE, the token never in the message', async () => {
  const refusing = await scripted(() => ({ status: 429, body: apiErrorBody(429, 'API rate limit exceeded') }));
  const err = await rejects(createSpotifySearch({ apiUrl: refusing.base, appToken: async () => 'secret-token-1' }).search('x', 5, live()), isUnavailable);
  assert.not.match(String((err as Error).message), 'secret-token-1');
  await refusing.close();
  const silent = await scripted(() => undefined);
  await rejects(createSpotifySearch({ apiUrl: silent.base, appToken: async () => 't', timeoutMs: 200 }).search('x', 5, live()), isUnavailable);
  await silent.close();
  const odd = await scripted(() => ({ status: 200, body: { tracks: { items: [{ id: 1 }] } } }));
  await rejects(createSpotifySearch({ apiUrl: odd.base, appToken: async () => 't' }).search('x', 5, live()), isUnavailable);
  await odd.close();
  await rejects(createSpotifySearch({ apiUrl: odd.base, appToken: () => Promise.reject(new Error('accounts down')) }).search('x', 5, live()), isUnavailable);
});

C.run();
