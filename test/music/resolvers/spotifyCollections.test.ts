/**
 * Spotify albums and playlists through the real WebApiClient against the fake Web API
 * (shapes from the OpenAPI spec, see test/helpers/fakeSpotifyCollections.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NotLinkedError } from '../../../src/link/errors.ts';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createSpotifyResolver } from '../../../src/music/resolvers/spotifyResolver.ts';
import type { Resolution } from '../../../src/music/types.ts';
import { AccountsClient } from '../../../src/spotify/accountsClient.ts';
import { WebApiClient } from '../../../src/spotify/webApiClient.ts';
import { startFakeSpotify, type FakeSpotify } from '../../helpers/fakeSpotify.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const ctx = (userId?: number) => ({ signal: new AbortController().signal, ...(userId !== undefined && { userId }) });
const ALICE = 42;

const S = suite('Spotify albums and playlists');
let spotify: FakeSpotify;
let api: WebApiClient;
S.before(async () => {
  spotify = await startFakeSpotify();
  spotify.addUser({ id: 'alice' });
  spotify.addUser({ id: 'bob' });
  const accounts = new AccountsClient({ accountsUrl: spotify.accountsUrl, clientId: spotify.clientId, clientSecret: spotify.clientSecret, redirectUri: 'http://127.0.0.1:1/cb' });
  const alice = spotify.issueTokens('alice').accessToken;
  api = new WebApiClient({
    apiUrl: spotify.apiUrl,
    getAccessToken: async (userId) => {
      if (userId !== ALICE) throw new NotLinkedError('unlinked');
      return alice;
    },
    appToken: (o) => accounts.clientCredentialsToken(o),
  });
});
S.after(() => spotify.close());

const tracks = (n: number, album: string) =>
  Array.from({ length: n }, (_, i) => spotify.addTrack({ name: `${album} ${i + 1}`, artists: ['Aurora Lane', 'Kestrel'], album, durationMs: 180_000 + i * 1000 }));
const titles = (r: Resolution) => (r.kind === 'collection' ? r.items.map((i) => i.title) : []);

S('an album lists its tracks in order, each a Spotify track link the pipeline can send', async () => {
  const album = spotify.addAlbum({ name: 'Small Hours', trackIds: tracks(3, 'Small Hours').map((t) => t.id) });
  const r = await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/album/${album.id}`), ctx());
  assert.is(r.kind, 'collection');
  if (r.kind !== 'collection') return;
  assert.is(r.title, 'Small Hours');
  assert.equal(titles(r), ['Small Hours 1', 'Small Hours 2', 'Small Hours 3']);
  assert.equal(r.items[1]!.artists, ['Aurora Lane', 'Kestrel']);
  assert.is(r.items[1]!.durationSec, 181);
  assert.is(r.items[0]!.link.kind, 'track');
  assert.is(r.items[0]!.link.key, `spotify:track:${album.trackIds[0]}`);
  assert.is(r.total, 3);
});

S('a long album is paged up to the limit and tells its real total', async () => {
  const album = spotify.addAlbum({ name: 'Long Player', trackIds: tracks(120, 'Long Player').map((t) => t.id) });
  const before = spotify.count('album') + spotify.count('album-tracks');
  const r = await createSpotifyResolver({ api, collectionLimit: 60 }).resolve(link(`https://open.spotify.com/album/${album.id}`), ctx());
  assert.is(r.kind === 'collection' && r.items.length, 60);
  assert.is(r.kind === 'collection' && r.items[59]!.title, 'Long Player 60');
  assert.is(r.kind === 'collection' && r.total, 120);
  assert.is(spotify.count('album') + spotify.count('album-tracks') - before, 2, 'the album, then one page of /tracks');
  const small = await createSpotifyResolver({ api, collectionLimit: 5 }).resolve(link(`https://open.spotify.com/album/${album.id}`), ctx());
  assert.equal(titles(small), ['Long Player 1', 'Long Player 2', 'Long Player 3', 'Long Player 4', 'Long Player 5']);
});

S('an album Spotify does not know is a dead link', async () => {
  const err = await createSpotifyResolver({ api }).resolve(link('https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy'), ctx()).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_DEAD_LINK');
});

S("the user's own playlist is read with their token; episodes, local files and removed tracks are skipped", async () => {
  const [a, b] = tracks(2, 'Mix');
  const playlist = spotify.addPlaylist({ name: 'Road trip', owner: 'alice', entries: [{ trackId: a!.id }, { episode: true }, null, { local: 'demo.mp3' }, { trackId: b!.id }] });
  const r = await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/playlist/${playlist.id}`), ctx(ALICE));
  assert.equal(titles(r), ['Mix 1', 'Mix 2']);
  assert.is(r.kind === 'collection' && r.total, 5);
});

S("someone else's playlist, or one without a linked user, is refused with a message that says what works", async () => {
  const [a] = tracks(1, 'Bob only');
  const bobs = spotify.addPlaylist({ name: "Bob's", owner: 'bob', entries: [{ trackId: a!.id }] });
  for (const user of [ALICE, undefined]) {
    const err = await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/playlist/${bobs.id}`), ctx(user)).catch((e: unknown) => e);
    assert.is((err as { code: string }).code, 'MUSIC_PLAYLIST_REFUSED', `user ${user}`);
  }
  const shared = spotify.addPlaylist({ name: 'Shared', owner: 'bob', collaborators: ['alice'], entries: [{ trackId: a!.id }] });
  assert.equal(titles(await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/playlist/${shared.id}`), ctx(ALICE))), ['Bob only 1']);
});

S("Spotify's own playlists (404 to development-mode apps) are refused the same way", async () => {
  const [a] = tracks(1, 'Editorial');
  const hits = spotify.addPlaylist({ name: "Today's Top Hits", owner: 'spotify', editorial: true, entries: [{ trackId: a!.id }] });
  const err = await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/playlist/${hits.id}`), ctx(ALICE)).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_PLAYLIST_REFUSED');
});

S('when Spotify is down for both tokens the source is unavailable, retryable, and artists stay unsupported', async () => {
  const album = spotify.addAlbum({ name: 'Down', trackIds: tracks(1, 'Down').map((t) => t.id) });
  spotify.fail('album', { kind: 'server-error', status: 503 }, { times: 2 });
  const err = await createSpotifyResolver({ api }).resolve(link(`https://open.spotify.com/album/${album.id}`), ctx(ALICE)).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_SOURCE_UNAVAILABLE');
  const artist = await createSpotifyResolver({ api }).resolve(link('https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg'), ctx()).catch((e: unknown) => e);
  assert.is((artist as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

S.run();
