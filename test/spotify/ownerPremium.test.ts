/**
 * The app owner's lapsed Premium (issue 15 fact 8): Spotify answers every Web API call of the
 * app, client-credentials track lookups included, with 403 "Active premium subscription
 * required for the owner of the app…". The client names it; SpotifyAppHealth tells the
 * operator once and keeps a /readyz detail while it lasts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import { OWNER_PREMIUM_DETAIL, SpotifyAppHealth, type SpotifyAppState } from '../../src/spotify/appHealth.ts';
import { NotRegisteredError, OwnerPremiumRequiredError } from '../../src/spotify/errors.ts';
import { createProfileReader } from '../../src/spotify/profile.ts';
import { WebApiClient } from '../../src/spotify/webApiClient.ts';
import { spotifyProblem } from '../../src/bot/spotifyProblems.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';
import { rejects } from '../helpers/rejects.ts';
import { OWNER_PREMIUM_MESSAGE, TRACK_WITH_ISRC, errorDump, startFakeSpotify, type FakeSpotify } from '../helpers/fakeSpotify.ts';

const USER = 7;
let fake: FakeSpotify;
let states: SpotifyAppState[];
let api: WebApiClient;

const Premium = suite('Spotify app owner without Premium');
Premium.before.each(async () => {
  fake = await startFakeSpotify();
  const accounts = new AccountsClient({
    accountsUrl: fake.accountsUrl, clientId: fake.clientId, clientSecret: fake.clientSecret,
    redirectUri: 'http://127.0.0.1:8080/oauth/spotify/callback',
  });
  const access = fake.issueTokens('alice').accessToken;
  states = [];
  api = new WebApiClient({
    apiUrl: fake.apiUrl,
    getAccessToken: async () => access,
    appToken: (opts) => accounts.clientCredentialsToken(opts),
    appStatus: (s) => states.push(s),
  });
});
Premium.after.each(() => fake.close());

Premium('the fake answers with the real error body shape and wording', async () => {
  fake.setOwnerPremium(false);
  await rejects(api.me(USER));
  const res = fake.requests.find((r) => r.endpoint === 'me')!.response!;
  assert.is(res.status, 403);
  assert.equal(JSON.parse(res.body), { error: { status: 403, message: OWNER_PREMIUM_MESSAGE } });
});

Premium('user calls and app-token track lookups both become OwnerPremiumRequiredError', async () => {
  fake.setOwnerPremium(false);
  for (const call of [() => api.currentlyPlaying(USER), () => api.recentlyPlayed(USER), () => api.track(TRACK_WITH_ISRC.id)]) {
    const err = await rejects(call());
    assert.instance(err, OwnerPremiumRequiredError);
    assert.is((err as OwnerPremiumRequiredError).code, 'SPOTIFY_OWNER_PREMIUM_REQUIRED');
    assert.match((err as Error).message, /renew Premium on the app owner's account/);
    assert.equal(fake.leaksIn(errorDump(err)), []);
  }
  assert.ok(fake.count('token', { grantType: 'client_credentials' }) >= 1, 'the app token is still issued');
  assert.equal(states, ['owner-premium-required', 'owner-premium-required', 'owner-premium-required']);
});

Premium('the client reports ok again once Spotify accepts the app', async () => {
  fake.setOwnerPremium(false);
  await rejects(api.track(TRACK_WITH_ISRC.id));
  fake.setOwnerPremium(true);
  assert.is((await api.track(TRACK_WITH_ISRC.id))?.id, TRACK_WITH_ISRC.id);
  assert.equal(states, ['owner-premium-required', 'ok']);
});

Premium('the login callback\'s GET /me tells the app\'s health too: refused for the owner\'s Premium, then ok', async () => {
  const profiles = createProfileReader({ apiUrl: fake.apiUrl, appStatus: (s) => states.push(s) });
  const token = fake.issueTokens('alice').accessToken;
  fake.setOwnerPremium(false);
  assert.instance(await rejects(profiles.meWithToken(token)), OwnerPremiumRequiredError);
  fake.setOwnerPremium(true);
  assert.is((await profiles.meWithToken(token)).id, 'alice');
  assert.equal(states, ['owner-premium-required', 'ok']);
  const broken = createProfileReader({ apiUrl: fake.apiUrl, appStatus: () => { throw new Error('observer broke'); } });
  assert.is((await broken.meWithToken(token)).id, 'alice', 'a broken health observer does not break the login');
});

Premium('a "not registered" 403 is still NotRegisteredError, not the Premium refusal', async () => {
  fake.setRegistered('alice', false);
  assert.instance(await rejects(api.me(USER)), NotRegisteredError);
  assert.equal(states, []);
});

Premium('the user reads "Spotify is not available" (no Connect button): only the operator can cure it', () => {
  assert.equal(spotifyProblem(new OwnerPremiumRequiredError('currently-playing')), { key: 'spotify-unavailable' });
});

const Health = suite('SpotifyAppHealth');

Health('one warning saying what to do while the refusal lasts, one info line when it ends', () => {
  const log = createMemoryLogger('debug');
  const health = new SpotifyAppHealth({ logger: log.logger });
  health.report('ok');
  assert.equal(health.details(), {});
  for (let i = 0; i < 5; i++) health.report('owner-premium-required');
  const warnings = log.records().filter((r) => r.level === 40);
  assert.is(warnings.length, 1);
  assert.match(String(warnings[0]!.msg), /renew Spotify Premium on the account that owns the app/);
  assert.ok(health.ownerPremiumRequired);
  assert.equal(health.details(), { spotify: OWNER_PREMIUM_DETAIL });
  health.report('ok');
  health.report('ok');
  assert.equal(health.details(), {});
  assert.is(log.records().filter((r) => r.level === 30).length, 1);
  health.report('owner-premium-required');
  assert.is(log.records().filter((r) => r.level === 40).length, 2, 'a new lapse warns again');
});

Premium.run();
Health.run();
