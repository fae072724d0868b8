/**
 * `getAccessToken`: serving valid tokens, refreshing 60 s before expiry, rotation on and off,
 * one shared refresh for concurrent callers, `invalid_grant`, retries of 5xx and 429 honouring
 * `Retry-After`, and the 180-day refresh-token life – against the local fake accounts server.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError } from '../../eventlog/index.ts';
import { REFRESH_TOKEN_LIFETIME_MS } from '../../machines/spotifyLink.context.ts';
import { NotLinkedError, SpotifyTemporarilyUnavailableError } from '../../src/link/errors.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { InvalidGrantError } from '../../src/spotify/errors.ts';
import { errorDump } from '../helpers/fakeSpotify.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
let h: LinkHarness;

const refreshes = (status?: number) => h.spotify.count('token', { grantType: 'refresh_token', ...(status ? { status } : {}) });
const linkOf = async (userId: number) => (await h.links.status(userId)).link!;
/** Moves the clock to just past the refresh margin of the current access token. */
const expireAccessToken = async (userId: number) => {
  h.clock.t = (await linkOf(userId)).accessExpiresAt - REFRESH_MARGIN_MS;
};
/** The plaintext refresh token stored now (opened through the vault, as the service would). */
async function storedRefreshToken(userId: number): Promise<string> {
  const events = await h.events(userId);
  const sealed = events.flatMap((e) => ('refreshToken' in e.data && e.data.refreshToken ? [e.data.refreshToken] : [])).at(-1)!;
  return h.vault.open((await linkOf(userId)).keyId, sealed, String(userId));
}
const rejects = <E>(p: Promise<unknown>, check: (err: E) => void) =>
  p.then(
    () => assert.unreachable('should have thrown'),
    (err: E) => {
      assert.equal(h.spotify.leaksIn(errorDump(err)), [], 'the error carries no secret');
      check(err);
    },
  );

const Tokens = suite('tokenRefresher');

Tokens.before.each(async () => {
  h = await startLinkHarness();
  await h.link(ALICE);
});
Tokens.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Tokens('a valid token is served without asking Spotify, and it works at the Web API', async () => {
  const token = await h.links.accessToken(ALICE);
  assert.ok(token.startsWith('fake-at-'));
  assert.is(await h.links.accessToken(ALICE), token);
  assert.is(refreshes(), 0);
  assert.is((await h.webApi.me(ALICE)).id, 'alice');
});

Tokens('the token is refreshed 60 s before it expires, not earlier', async () => {
  const first = await h.links.accessToken(ALICE);
  h.clock.t = (await linkOf(ALICE)).accessExpiresAt - REFRESH_MARGIN_MS - 1;
  assert.is(await h.links.accessToken(ALICE), first);
  assert.is(refreshes(), 0);
  h.clock.advance(1);
  const second = await h.links.accessToken(ALICE);
  assert.is.not(second, first);
  assert.is(refreshes(200), 1);
  assert.is((await linkOf(ALICE)).accessExpiresAt, h.clock.now() + 3600_000);
  assert.is(await h.links.accessToken(ALICE), second, 'the new token is kept');
  assert.equal((await h.events(ALICE)).slice(-2).map((e) => e.type), ['RefreshStarted', 'TokensRefreshed']);
});

Tokens('with rotation the new refresh token is stored and the old one is spent at Spotify', async () => {
  const old = await storedRefreshToken(ALICE);
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE);
  const rotated = await storedRefreshToken(ALICE);
  assert.is.not(rotated, old);
  await h.accounts.refresh(old).then(
    () => assert.unreachable('the old refresh token is single-use'),
    (err) => assert.instance(err, InvalidGrantError),
  );
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE);
  assert.is(refreshes(200), 2, 'the next refresh uses the stored new token');
});

Tokens('without rotation the old refresh token is kept and still works later', async () => {
  h.spotify.setRotation(false);
  const old = await storedRefreshToken(ALICE);
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE);
  const refreshed = (await h.events(ALICE)).at(-1)!;
  assert.is(refreshed.type, 'TokensRefreshed');
  assert.is('refreshToken' in refreshed.data, false, 'nothing new to store');
  assert.is(await storedRefreshToken(ALICE), old);
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE);
  assert.is(refreshes(200), 2);
});

Tokens('1,000 concurrent callers with an expired token make exactly one token request', async () => {
  await expireAccessToken(ALICE);
  const tokens = await Promise.all(Array.from({ length: 1000 }, () => h.links.accessToken(ALICE)));
  assert.is(refreshes(), 1);
  assert.is(new Set(tokens).size, 1, 'everyone gets the same new token');
  assert.is((await h.links.status(ALICE)).state, 'linked');
});

Tokens('forced refreshes after a 401 share one request too', async () => {
  await Promise.all(Array.from({ length: 100 }, () => h.links.accessToken(ALICE, { forceRefresh: true })));
  assert.is(refreshes(), 1);
});

Tokens('invalid_grant revokes the link, shreds its key and tells the user exactly once', async () => {
  const { keyId } = await linkOf(ALICE);
  h.spotify.revokeRefreshTokens('alice');
  await expireAccessToken(ALICE);
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => h.links.accessToken(ALICE)));
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof NotLinkedError));
  assert.is(refreshes(), 1);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'revoked', reason: 'invalidGrant' }]);
  const summary = await h.links.status(ALICE);
  assert.is(summary.state, 'revoked');
  assert.is(summary.revocationReason, 'invalidGrant');
  assert.is((await h.events(ALICE)).at(-1)!.type, 'AccessRevoked');
  assert.is(await h.vault.hasDataKey(keyId), false);
  await rejects<NotLinkedError>(h.links.accessToken(ALICE), (err) => {
    assert.is(err.code, 'NOT_LINKED');
    assert.is(err.linkState, 'revoked');
    assert.is(err.revocationReason, 'invalidGrant');
  });
  assert.is(refreshes(), 1, 'a revoked link never asks Spotify again');
  assert.is(h.notices.length, 1);
});

Tokens('503s are retried with backoff and the refresh then succeeds', async () => {
  h.spotify.fail('token', { kind: 'server-error', status: 503 }, { times: 2 });
  await expireAccessToken(ALICE);
  const token = await h.links.accessToken(ALICE);
  assert.ok(token.startsWith('fake-at-'));
  assert.is(refreshes(), 3);
  assert.equal(h.sleeps, [500, 1000], 'exponential backoff between attempts');
});

Tokens('a 429 is retried after exactly the Retry-After Spotify asked for', async () => {
  h.spotify.fail('token', { kind: 'rate-limited', retryAfterSec: 7 });
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE);
  assert.equal(h.sleeps, [7000]);
  assert.is(refreshes(200), 1);
});

Tokens('Spotify down for good: a typed temporary error, and the link stays linked', async () => {
  h.spotify.fail('token', { kind: 'server-error', status: 503 }, { times: Infinity });
  await expireAccessToken(ALICE);
  await rejects<SpotifyTemporarilyUnavailableError>(h.links.accessToken(ALICE), (err) => {
    assert.instance(err, SpotifyTemporarilyUnavailableError);
    assert.is(err.code, 'SPOTIFY_TEMPORARILY_UNAVAILABLE');
    assert.is(err.reason, 'unavailable');
  });
  assert.is(refreshes(), 3);
  assert.equal(h.sleeps, [500, 1000]);
  const summary = await h.links.status(ALICE);
  assert.is(summary.state, 'linked');
  assert.is(summary.lastRefreshFailure?.reason, 'unavailable');
  assert.equal(h.notices, [], 'a temporary failure is not a revocation');
  h.spotify.clearFailures();
  assert.ok((await h.links.accessToken(ALICE)).startsWith('fake-at-'), 'the next call refreshes again');
});

Tokens('a token endpoint that hangs times out, is retried and surfaces as a temporary timeout', async () => {
  await h.close();
  h = await startLinkHarness({ timeoutMs: 200 });
  await h.link(ALICE);
  h.spotify.fail('token', { kind: 'hang' }, { times: Infinity });
  await expireAccessToken(ALICE);
  await rejects<SpotifyTemporarilyUnavailableError>(h.links.accessToken(ALICE), (err) => assert.is(err.reason, 'timeout'));
  assert.is(refreshes(), 3);
  assert.is((await h.links.status(ALICE)).state, 'linked', 'nothing is left in refreshing');
});

Tokens('a Retry-After too long to wait is passed to the caller, and honoured by later calls', async () => {
  h.spotify.fail('token', { kind: 'rate-limited', retryAfterSec: 120 });
  await expireAccessToken(ALICE);
  await rejects<SpotifyTemporarilyUnavailableError>(h.links.accessToken(ALICE), (err) => {
    assert.is(err.reason, 'rateLimited');
    assert.is(err.retryAfterSec, 120);
  });
  assert.equal(h.sleeps, [], 'not waited for in the request');
  h.clock.advance(60_000);
  await rejects<SpotifyTemporarilyUnavailableError>(h.links.accessToken(ALICE), (err) => assert.is(err.retryAfterSec, 60));
  assert.is(refreshes(), 1, 'Spotify is not asked again before Retry-After has passed');
  h.clock.advance(60_000);
  assert.ok((await h.links.accessToken(ALICE)).startsWith('fake-at-'));
  assert.is(refreshes(200), 1);
  assert.is((await h.links.status(ALICE)).state, 'linked');
});

Tokens('a refresh token past its 180-day life revokes the link without calling Spotify', async () => {
  const { keyId } = await linkOf(ALICE);
  h.clock.advance(REFRESH_TOKEN_LIFETIME_MS);
  await rejects<NotLinkedError>(h.links.accessToken(ALICE), (err) => {
    assert.is(err.linkState, 'revoked');
    assert.is(err.revocationReason, 'refreshTokenExpired');
  });
  assert.is(refreshes(), 0);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'revoked', reason: 'refreshTokenExpired' }]);
  assert.is(await h.vault.hasDataKey(keyId), false);
  await h.vault.open(keyId, ((await h.events(ALICE))[1]!.data as { accessToken: string }).accessToken, String(ALICE)).then(
    () => assert.unreachable('shredded'),
    (err) => assert.instance(err, DataKeyShreddedError),
  );
});

Tokens('a revoked user can /login again and gets a fresh link', async () => {
  h.spotify.revokeRefreshTokens('alice');
  await expireAccessToken(ALICE);
  await h.links.accessToken(ALICE).catch(() => undefined);
  const started = await h.links.startLogin(ALICE);
  assert.is(started.relink, false, 'nothing to re-link: the old link is gone');
  assert.is((await h.links.status(ALICE)).revocationReason, null);
  await h.link(ALICE);
  assert.ok((await h.links.accessToken(ALICE)).startsWith('fake-at-'));
});

Tokens('a notifier that fails does not undo the revocation', async () => {
  await h.close();
  h = await startLinkHarness({
    deps: { notifier: { notify: async () => Promise.reject(new Error('telegram is down')) } },
  });
  await h.link(ALICE);
  h.spotify.revokeRefreshTokens('alice');
  await expireAccessToken(ALICE);
  await rejects<NotLinkedError>(h.links.accessToken(ALICE), (err) => assert.is(err.linkState, 'revoked'));
  assert.is((await h.links.status(ALICE)).state, 'revoked');
  assert.ok(h.logs().includes('could not tell the user'), 'the failure is logged for the operator');
});

Tokens('a user who never linked gets NotLinkedError', async () => {
  await rejects<NotLinkedError>(h.links.accessToken(4242), (err) => assert.is(err.linkState, 'unlinked'));
  assert.is(refreshes(), 0);
});

Tokens.run();
