import { createProfileReader } from '../../src/spotify/profile.ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../helpers/rejects.ts';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import {
  ExternalServiceError,
  InsufficientScopeError,
  NotRegisteredError,
  RateLimitedError,
  SpotifyUnauthorizedError,
} from '../../src/spotify/errors.ts';
import { WebApiClient, type WebApiClientOptions } from '../../src/spotify/webApiClient.ts';
import {
  EPISODE,
  TRACK_WITHOUT_ISRC,
  TRACK_WITH_ISRC,
  errorDump,
  startFakeSpotify,
  type FakeFailure,
  type FakeSpotify,
} from '../helpers/fakeSpotify.ts';

const USER = 7; // Telegram user id linked to Spotify user 'alice'
let fake: FakeSpotify;
let accounts: AccountsClient;
let tokens: { access: string; refresh: string };
let tokenCalls: { forceRefresh: boolean }[];

/** A minimal stand-in for the LinkService: one user, refresh on demand. */
function api(extra: Partial<WebApiClientOptions> = {}): WebApiClient {
  return new WebApiClient({
    apiUrl: fake.apiUrl,
    getAccessToken: async (userId, opts) => {
      if (userId !== USER) throw new Error('not linked');
      tokenCalls.push({ forceRefresh: opts?.forceRefresh ?? false });
      if (opts?.forceRefresh) tokens.access = (await accounts.refresh(tokens.refresh)).accessToken;
      return tokens.access;
    },
    appToken: (opts) => accounts.clientCredentialsToken(opts),
    ...extra,
  });
}


async function setup(): Promise<void> {
  fake = await startFakeSpotify();
  accounts = new AccountsClient({
    accountsUrl: fake.accountsUrl,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: 'http://127.0.0.1:8080/oauth/spotify/callback',
  });
  const t = fake.issueTokens('alice');
  tokens = { access: t.accessToken, refresh: t.refreshToken };
  tokenCalls = [];
}

const Reads = suite('WebApiClient reads');
Reads.before.each(setup);
Reads.after.each(() => fake.close());

Reads('me() returns the linked account; the profile reader works before any link exists', async () => {
  const profile = await api().me(USER);
  assert.is(profile.id, 'alice');
  assert.is(profile.displayName, 'Alice');
  assert.is(profile.spotifyUrl, 'https://open.spotify.com/user/alice');
  assert.type(profile.accountId, 'string');
  assert.equal(await createProfileReader({ apiUrl: fake.apiUrl }).meWithToken(tokens.access), profile);
});

Reads('nothing playing (204) is told as nothing', async () => {
  assert.equal(await api().currentlyPlaying(USER), { kind: 'nothing' });
  const req = fake.requests.at(-1)!;
  assert.is(req.query['additional_types'], 'track,episode');
  assert.is(req.response?.status, 204);
});

Reads('a playing track gives title, artists, album, progress, cover ≤ 640 px, link, id and ISRC', async () => {
  fake.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id, progressMs: 61_000, contextUri: 'spotify:playlist:abc' });
  const now = await api().currentlyPlaying(USER);
  assert.equal(now, {
    kind: 'track',
    isPlaying: true,
    progressMs: 61_000,
    contextUri: 'spotify:playlist:abc',
    track: {
      id: TRACK_WITH_ISRC.id,
      title: 'Night Drive',
      artists: ['Aurora Lane', 'Kestrel'],
      album: 'Coastal Lights',
      releaseDate: '2024-03-15',
      durationMs: 215_000,
      isrc: 'QZABC2400001',
      coverUrl: 'https://i.scdn.test/image/night-drive-640',
      spotifyUrl: `https://open.spotify.com/track/${TRACK_WITH_ISRC.id}`,
      uri: `spotify:track:${TRACK_WITH_ISRC.id}`,
      explicit: false,
      isLocal: false,
    },
  });
});

Reads('a paused podcast episode gives its show and publisher', async () => {
  fake.setPlayer('alice', { kind: 'episode', episodeId: EPISODE.id, progressMs: 5_000, isPlaying: false });
  const now = await api().currentlyPlaying(USER);
  assert.equal(now, {
    kind: 'episode',
    isPlaying: false,
    progressMs: 5_000,
    episode: {
      id: EPISODE.id,
      title: EPISODE.name,
      show: 'Machine Talk',
      publisher: 'Fake Radio',
      durationMs: EPISODE.durationMs,
      coverUrl: 'https://i.scdn.test/image/machine-talk-640',
      spotifyUrl: `https://open.spotify.com/episode/${EPISODE.id}`,
    },
  });
});

Reads('an ad, an unknown item and an empty item are told apart', async () => {
  fake.setPlayer('alice', { kind: 'ad', progressMs: 1_000 });
  assert.equal(await api().currentlyPlaying(USER), { kind: 'ad', isPlaying: true, progressMs: 1_000 });
  fake.setPlayer('alice', { kind: 'unknown' });
  assert.equal(await api().currentlyPlaying(USER), { kind: 'unknown', isPlaying: true });
  fake.setPlayer('alice', { kind: 'no-item' });
  assert.equal(await api().currentlyPlaying(USER), { kind: 'nothing' });
});

Reads('recently played pages back with the before cursor, newest first', async () => {
  const t0 = Date.UTC(2026, 0, 1, 12);
  fake.setRecentlyPlayed('alice', [0, 1, 2, 3, 4].map((i) => ({ trackId: i % 2 ? TRACK_WITHOUT_ISRC.id : TRACK_WITH_ISRC.id, playedAt: t0 + i * 60_000 })));
  const first = await api().recentlyPlayed(USER, { limit: 2 });
  assert.equal(first.items.map((i) => i.playedAtMs), [t0 + 240_000, t0 + 180_000]);
  assert.is(first.items[0]?.playedAt, new Date(t0 + 240_000).toISOString());
  assert.equal(first.cursors, { after: t0 + 240_000, before: t0 + 180_000 });
  assert.is(first.hasMore, true);
  const second = await api().recentlyPlayed(USER, { limit: 2, before: first.cursors.before! });
  assert.equal(second.items.map((i) => i.track.title), ['Night Drive', 'Old Demo (Live)']);
  const last = await api().recentlyPlayed(USER, { limit: 2, before: second.cursors.before! });
  assert.equal(last.items.map((i) => i.playedAtMs), [t0]);
  assert.is(last.hasMore, false);
  const newer = await api().recentlyPlayed(USER, { after: t0 + 180_000 });
  assert.equal(newer.items.map((i) => i.playedAtMs), [t0 + 240_000]);
  assert.equal(fake.requests.at(-1)?.query, { after: String(t0 + 180_000) });
});

Reads('an empty history is an empty page without cursors', async () => {
  assert.equal(await api().recentlyPlayed(USER), { items: [], cursors: { before: undefined, after: undefined }, hasMore: false });
});

Reads('a limit outside 1–50 or both cursors are refused before any request', async () => {
  for (const limit of [0, 51, 2.5]) await rejects(api().recentlyPlayed(USER, { limit })).then((e) => assert.instance(e, RangeError));
  assert.instance(await rejects(api().recentlyPlayed(USER, { before: 1, after: 2 })), TypeError);
  assert.is(fake.count('recently-played'), 0);
});

Reads('a track by id with the app token carries ISRC, duration, artists, album and cover', async () => {
  const t = await api().track(TRACK_WITH_ISRC.id);
  assert.equal(
    t && [t.isrc, t.durationMs, t.artists, t.album, t.coverUrl],
    ['QZABC2400001', 215_000, ['Aurora Lane', 'Kestrel'], 'Coastal Lights', 'https://i.scdn.test/image/night-drive-640'],
  );
  assert.is(fake.requests.at(-1)?.user, undefined); // app token, no user
  assert.is(fake.count('token', { grantType: 'client_credentials' }), 1);
});

Reads("a track with the user's token; no ISRC and only a large cover are fine", async () => {
  const t = await api().track(TRACK_WITHOUT_ISRC.id, { userId: USER });
  assert.is(fake.requests.at(-1)?.user, 'alice');
  assert.is(t?.isrc, undefined);
  assert.is(t?.coverUrl, 'https://i.scdn.test/image/old-demo-1000');
  assert.is(t?.explicit, true);
});

Reads('an unknown track is null; a malformed id never reaches Spotify', async () => {
  assert.is(await api().track('0000000000000000000000'), null);
  assert.instance(await rejects(api().track('../me')), TypeError);
  assert.is(fake.count('track'), 1);
});

Reads.run();

const Errors = suite('WebApiClient error mapping');
Errors.before.each(setup);
Errors.after.each(() => fake.close());

function expectExternal(e: unknown, failure: string, status: number | undefined, retryable: boolean): void {
  assert.instance(e, ExternalServiceError);
  const x = e as ExternalServiceError;
  assert.equal([x.failure, x.status, x.retryable, x.endpoint], [failure, status, retryable, 'currently-playing']);
}

const rows: [string, FakeFailure, (e: unknown) => void][] = [
  ['403 "may not be registered" → NotRegisteredError', { kind: 'not-registered' }, (e) => assert.instance(e, NotRegisteredError)],
  ['403 text/plain "not registered" → NotRegisteredError', { kind: 'not-registered', plainText: true }, (e) => assert.instance(e, NotRegisteredError)],
  ['403 insufficient scope → InsufficientScopeError', { kind: 'insufficient-scope' }, (e) => assert.instance(e, InsufficientScopeError)],
  ['403 anything else → forbidden, not retryable', { kind: 'forbidden', message: 'Player command failed' }, (e) => expectExternal(e, 'forbidden', 403, false)],
  ['429 → RateLimitedError with Retry-After', { kind: 'rate-limited', retryAfterSec: 7 }, (e) => {
    assert.instance(e, RateLimitedError);
    assert.equal([(e as RateLimitedError).retryAfterSec, (e as RateLimitedError).quotaExceeded], [7, false]);
  }],
  ['429 QUOTA_EXCEEDED → quotaExceeded', { kind: 'rate-limited', retryAfterSec: 3600, quotaExceeded: true }, (e) => {
    assert.instance(e, RateLimitedError);
    assert.equal([(e as RateLimitedError).retryAfterSec, (e as RateLimitedError).quotaExceeded], [3600, true]);
  }],
  ['500 → retryable', { kind: 'server-error', status: 500 }, (e) => expectExternal(e, 'server', 500, true)],
  ['503 → retryable', { kind: 'server-error', status: 503 }, (e) => expectExternal(e, 'server', 503, true)],
  ['a body that fails its schema → not retryable', { kind: 'malformed' }, (e) => expectExternal(e, 'bad-body', 200, false)],
  ['a hang → timeout, retryable', { kind: 'hang' }, (e) => expectExternal(e, 'timeout', undefined, true)],
];

for (const [name, failure, check] of rows) {
  Errors(`${name}, and the error shows no token`, async () => {
    fake.fail('currently-playing', failure);
    const err = await rejects(api({ timeoutMs: 150 }).currentlyPlaying(USER));
    check(err);
    assert.equal(fake.leaksIn(errorDump(err)), []);
    assert.is(fake.count('token'), 0); // none of these is a reason to refresh
  });
}

Errors('an account missing from User Management gets NotRegisteredError with what the operator must do', async () => {
  fake.setRegistered('alice', false);
  const err = await rejects(api().me(USER));
  assert.instance(err, NotRegisteredError);
  assert.is((err as NotRegisteredError).code, 'SPOTIFY_NOT_REGISTERED');
  assert.match((err as Error).message, /User Management/);
  assert.match((err as Error).message, /at most 5 users/);
});

Errors('a grant without the currently-playing scope gets InsufficientScopeError', async () => {
  tokens.access = fake.issueTokens('alice', ['user-read-recently-played']).accessToken;
  assert.instance(await rejects(api().currentlyPlaying(USER)), InsufficientScopeError);
  assert.ok(await api().recentlyPlayed(USER));
});

Errors('a 401 forces exactly one refresh and the retry succeeds', async () => {
  const old = tokens.access;
  fake.expireAccessTokens('alice');
  fake.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id });
  const now = await api().currentlyPlaying(USER);
  assert.is(now.kind, 'track');
  assert.equal(tokenCalls, [{ forceRefresh: false }, { forceRefresh: true }]);
  assert.is(fake.count('token', { grantType: 'refresh_token' }), 1);
  assert.is.not(tokens.access, old);
});

Errors('a second 401 after the refresh is SpotifyUnauthorizedError, without more refreshes', async () => {
  fake.fail('me', { kind: 'unauthorized' }, { times: 2 });
  const err = await rejects(api().me(USER));
  assert.instance(err, SpotifyUnauthorizedError);
  assert.is((err as SpotifyUnauthorizedError).code, 'SPOTIFY_UNAUTHORIZED');
  assert.is(fake.count('token', { grantType: 'refresh_token' }), 1);
  assert.is(fake.count('me'), 2);
  assert.equal(fake.leaksIn(errorDump(err)), []);
});

Errors('a 401 on the profile reader is final: there is no link to refresh', async () => {
  const err = await rejects(createProfileReader({ apiUrl: fake.apiUrl }).meWithToken('not-a-token'));
  assert.instance(err, SpotifyUnauthorizedError);
  assert.equal(tokenCalls, []);
  assert.is(fake.count('me'), 1);
});

Errors('a 401 on the app token renews the app token once', async () => {
  const client = api();
  await client.track(TRACK_WITH_ISRC.id);
  fake.expireAccessTokens();
  assert.ok(await client.track(TRACK_WITH_ISRC.id));
  assert.is(fake.count('token', { grantType: 'client_credentials' }), 2);
});

Errors('a failing refresh during the 401 retry surfaces as is (invalid_grant)', async () => {
  fake.expireAccessTokens('alice');
  fake.revokeRefreshTokens('alice');
  const err = await rejects(api().currentlyPlaying(USER));
  assert.is((err as { code?: string }).code, 'SPOTIFY_INVALID_GRANT');
});

Errors('the metrics hook sees each attempt', async () => {
  const seen: string[] = [];
  fake.fail('recently-played', { kind: 'unauthorized' });
  await api({ onResponse: (s, e) => seen.push(`${e}:${s}`) }).recentlyPlayed(USER);
  assert.equal(seen, ['recently-played:401', 'recently-played:200']);
});

Errors.run();
