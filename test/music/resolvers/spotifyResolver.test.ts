import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseUrl, type MusicLink } from '../../../src/music/links/index.ts';
import { createSpotifyResolver } from '../../../src/music/resolvers/spotifyResolver.ts';
import type { TrackSummary } from '../../../src/spotify/webApiClient.ts';
import { NotLinkedError } from '../../../src/link/errors.ts';
import { startFakeMusicSources, type FakeMusicSources } from '../../helpers/fakeMusicSources.ts';
import { AccountsClient } from '../../../src/spotify/accountsClient.ts';
import { WebApiClient } from '../../../src/spotify/webApiClient.ts';
import { TRACK_WITH_ISRC, startFakeSpotify } from '../../helpers/fakeSpotify.ts';

const link = (url: string): MusicLink => {
  const v = parseUrl(url);
  if (v.type !== 'link') throw new Error(url);
  return v.link;
};
const summary = (over: Partial<TrackSummary> = {}): TrackSummary => ({
  id: '0VjIjW4GlUZAMYd2vXMi3b', title: 'Blinding Lights', artists: ['The Weeknd'], album: 'After Hours', releaseDate: '2020', durationMs: 200_040,
  isrc: 'USUG11904206', coverUrl: 'https://i.scdn.co/x', spotifyUrl: undefined, uri: undefined, explicit: false, isLocal: false, ...over,
});
const ctx = (userId?: number) => ({ signal: new AbortController().signal, ...(userId !== undefined && { userId }) });

const S = suite('Spotify resolver');
let sources: FakeMusicSources;
S.before(async () => {
  sources = await startFakeMusicSources();
});
S.after(() => sources.close());

S("uses the user's token first and the app token when the user has no link", async () => {
  const calls: (number | undefined)[] = [];
  const api = {
    async track(_id: string, o: { userId?: number } = {}) {
      calls.push(o.userId);
      if (o.userId !== undefined) throw new NotLinkedError('unlinked');
      return summary();
    },
  };
  const r = await createSpotifyResolver({ api, webUrl: sources.spotifyWebUrl }).resolve(link('https://open.spotify.com/track/0VjIjW4GlUZAMYd2vXMi3b'), ctx(42));
  assert.equal(calls, [42, undefined]);
  assert.ok(r.kind === 'track');
  if (r.kind === 'track') {
    assert.is(r.track.isrc, 'USUG11904206');
    assert.is(r.track.durationSec, 200);
    assert.equal(r.track.artists, ['The Weeknd']);
  }
});

S('a track Spotify does not know is a dead link', async () => {
  const err = await createSpotifyResolver({ api: { track: async () => null } }).resolve(link('https://open.spotify.com/track/0VjIjW4GlUZAMYd2vXMi3b'), ctx()).catch((e: unknown) => e);
  assert.is((err as { code: string }).code, 'MUSIC_DEAD_LINK');
});

S('when the API fails, the public page gives title, artist and duration', async () => {
  sources.addSpotifyPage({ id: '3n3Ppam7vgaVa1iaRUc9Lp', title: 'Mr. Brightside', artists: ['The Killers'], album: 'Hot Fuss', seconds: 222 });
  const api = { track: async () => Promise.reject(new Error('rate limited')) };
  const r = await createSpotifyResolver({ api, webUrl: sources.spotifyWebUrl }).resolve(link('https://open.spotify.com/track/3n3Ppam7vgaVa1iaRUc9Lp'), ctx());
  assert.equal(r.kind === 'track' && [r.track.title, r.track.artists, r.track.durationSec, r.track.isrc], ['Mr. Brightside', ['The Killers'], 222, undefined]);
});

S("when Spotify refuses the app (owner without Premium), the page answers, and the app token is not tried after the user's", async () => {
  const spotify = await startFakeSpotify();
  try {
    const accounts = new AccountsClient({ accountsUrl: spotify.accountsUrl, clientId: spotify.clientId, clientSecret: spotify.clientSecret, redirectUri: 'http://127.0.0.1:1/cb' });
    const access = spotify.issueTokens('alice').accessToken;
    const api = new WebApiClient({ apiUrl: spotify.apiUrl, getAccessToken: async () => access, appToken: (o) => accounts.clientCredentialsToken(o) });
    sources.addSpotifyPage({ id: TRACK_WITH_ISRC.id, title: 'Night Drive', artists: ['Aurora Lane', 'Kestrel'], seconds: 215 });
    spotify.setOwnerPremium(false);
    const r = await createSpotifyResolver({ api, webUrl: sources.spotifyWebUrl }).resolve(link(`https://open.spotify.com/track/${TRACK_WITH_ISRC.id}`), ctx(42));
    assert.equal(r.kind === 'track' && [r.track.title, r.track.artists, r.track.durationSec], ['Night Drive', ['Aurora Lane', 'Kestrel'], 215]);
    assert.is(spotify.count('track'), 1);
    assert.ok(sources.requests.includes(`/spotify-web/track/${TRACK_WITH_ISRC.id}`));
  } finally {
    await spotify.close();
  }
});

S('a page that does not exist is a dead link; without the Web API albums cannot be listed', async () => {
  const resolver = createSpotifyResolver({ webUrl: sources.spotifyWebUrl });
  const dead = await resolver.resolve(link('https://open.spotify.com/track/7ouMYWpwJ422jRcDASZB7P'), ctx()).catch((e: unknown) => e);
  assert.is((dead as { code: string }).code, 'MUSIC_DEAD_LINK');
  const album = await resolver.resolve(link('https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy'), ctx()).catch((e: unknown) => e);
  assert.is((album as { code: string }).code, 'MUSIC_COLLECTION_UNSUPPORTED');
});

S.run();
