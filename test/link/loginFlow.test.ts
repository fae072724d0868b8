/**
 * The login flow (`/login` → Spotify → callback → `/start <completion id>`) against the local
 * fake Spotify: the happy path, every way an attempt ends early at the callback,
 * and confirmation by `/start <completion id>` (only by the user who started the login).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COMPLETION_TTL_MS, LOGIN_TTL_MS } from '../../machines/spotifyLink.context.ts';
import { startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
const MALLORY = 6666;
const ctx = { locale: 'en' as const, correlationId: 'test' };

let h: LinkHarness;

/** `/login` and a browser that goes through Spotify's page; returns the redirect. */
async function startAndAuthorize(userId: number) {
  const started = await h.links.startLogin(userId);
  const keyId = (await h.links.status(userId)).attempt!.keyId;
  const redirect = await h.spotify.login(started.authorizeUrl);
  return { ...started, keyId, state: redirect.state!, code: redirect.code, error: redirect.error };
}

const Login = suite('loginFlow');

Login.before.each(async () => {
  h = await startLinkHarness({ timeoutMs: 300 });
});
Login.after.each(async () => {
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Login('the whole login links the user, with a truthful status at every step', async () => {
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  const started = await h.links.startLogin(ALICE);
  const url = new URL(started.authorizeUrl);
  assert.is(url.origin + url.pathname, `${h.spotify.accountsUrl}/authorize`);
  assert.is(url.searchParams.get('scope'), 'user-read-currently-playing user-read-recently-played');
  assert.is(url.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(/^[A-Za-z0-9_-]{43}$/.test(url.searchParams.get('code_challenge')!));
  assert.ok(url.searchParams.get('state')!.length >= 22, 'state carries at least 128 bits');
  assert.is(url.searchParams.get('show_dialog'), null, 'a first login does not force the dialog');
  assert.is(started.relink, false);
  assert.is(started.expiresAt, h.clock.now() + LOGIN_TTL_MS);
  const pending = await h.links.status(ALICE);
  assert.is(pending.state, 'awaitingCallback.pending');
  assert.is(pending.attempt?.grantReceived, false);

  const redirect = await h.spotify.login(started.authorizeUrl);
  const outcome = await h.links.handleCallback({ state: redirect.state!, code: redirect.code! }, ctx);
  assert.is(outcome.kind, 'completed');
  const completionId = outcome.kind === 'completed' ? outcome.completionId : '';
  assert.ok(/^[A-Za-z0-9_-]{1,64}$/.test(completionId), 'fits a t.me ?start= parameter');
  const confirming = await h.links.status(ALICE);
  assert.is(confirming.state, 'awaitingCallback.confirming');
  assert.is(confirming.attempt?.spotifyUserId, 'alice');
  assert.is(h.spotify.count('token', { grantType: 'authorization_code', status: 200 }), 1);
  assert.is(h.spotify.count('me', { status: 200 }), 1);

  const confirmed = await h.links.confirm(ALICE, completionId);
  assert.equal(confirmed, { kind: 'linked', displayName: 'Alice', spotifyUserId: 'alice' });
  const linked = await h.links.status(ALICE);
  assert.is(linked.state, 'linked');
  assert.is(linked.link?.spotifyUserId, 'alice');
  assert.equal(linked.link?.scopes, ['user-read-currently-playing', 'user-read-recently-played']);
  assert.equal(
    (await h.events(ALICE)).map((e) => e.type),
    ['LoginStarted', 'GrantReceived', 'LinkConfirmed'],
  );
  assert.equal(h.notices, [], 'a successful login needs no extra notice');
});

Login('a re-link asks Spotify to show the dialog again', async () => {
  await h.link(ALICE);
  const again = await h.links.startLogin(ALICE);
  assert.is(again.relink, true);
  assert.is(new URL(again.authorizeUrl).searchParams.get('show_dialog'), 'true');
});

Login('a second /login supersedes the first: its callback is unknown and its key is shredded', async () => {
  const first = await startAndAuthorize(ALICE);
  const second = await startAndAuthorize(ALICE);
  assert.is.not(first.keyId, second.keyId);
  assert.is(await h.vault.hasDataKey(first.keyId), false, 'the superseded attempt key is gone');
  assert.is(await h.vault.hasDataKey(second.keyId), true);
  const late = await h.links.handleCallback({ state: first.state, code: first.code! }, ctx);
  assert.equal(late, { kind: 'unknownState' });
  assert.is(h.spotify.count('token'), 0, 'the superseded code is never exchanged');
  const now = await h.links.handleCallback({ state: second.state, code: second.code! }, ctx);
  assert.is(now.kind, 'completed');
});

Login('the same callback twice: the second is refused as used and spends nothing', async () => {
  const a = await startAndAuthorize(ALICE);
  assert.is((await h.links.handleCallback({ state: a.state, code: a.code! }, ctx)).kind, 'completed');
  assert.equal(await h.links.handleCallback({ state: a.state, code: a.code! }, ctx), { kind: 'used' });
  assert.is(h.spotify.count('token'), 1);
  assert.is((await h.links.status(ALICE)).state, 'awaitingCallback.confirming');
});

Login('two parallel callbacks with one state: one completes, the other is used', async () => {
  const a = await startAndAuthorize(ALICE);
  const both = await Promise.all([
    h.links.handleCallback({ state: a.state, code: a.code! }, ctx),
    h.links.handleCallback({ state: a.state, code: a.code! }, ctx),
  ]);
  assert.equal(both.map((o) => o.kind).sort(), ['completed', 'used']);
  assert.is(h.spotify.count('token'), 1, 'the code is exchanged once');
});

Login('a callback after the 10-minute expiry is refused, ends the attempt and shreds its key', async () => {
  const a = await startAndAuthorize(ALICE);
  h.clock.advance(LOGIN_TTL_MS);
  assert.equal(await h.links.handleCallback({ state: a.state, code: a.code! }, ctx), { kind: 'expired' });
  assert.is(h.spotify.count('token'), 0, 'an expired attempt does not spend the code');
  assert.equal((await h.events(ALICE)).map((e) => e.type), ['LoginStarted', 'LoginExpired']);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  assert.is(await h.vault.hasDataKey(a.keyId), false);
  assert.equal(await h.links.handleCallback({ state: a.state, code: a.code! }, ctx), { kind: 'unknownState' });
});

Login('Cancel at Spotify (access_denied) ends the attempt and tells the user once', async () => {
  h.spotify.setLoginOutcome({ deny: true });
  const a = await startAndAuthorize(ALICE);
  assert.is(a.error, 'access_denied');
  assert.equal(await h.links.handleCallback({ state: a.state, error: 'access_denied' }, ctx), { kind: 'denied' });
  assert.equal(await h.links.handleCallback({ state: a.state, error: 'access_denied' }, ctx), { kind: 'used' });
  assert.equal(h.noticesOf(ALICE), [{ kind: 'loginDenied' }]);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  assert.is(await h.vault.hasDataKey(a.keyId), false);
  assert.equal((await h.events(ALICE)).map((e) => e.type), ['LoginStarted', 'LoginDenied']);
});

const exchangeFailures = [
  { name: '400 invalid_grant', failure: { kind: 'invalid_grant' as const }, reason: 'rejectedBySpotify', retryable: false },
  { name: '500', failure: { kind: 'server-error' as const }, reason: 'spotifyUnavailable', retryable: true },
  { name: 'a hang (timeout)', failure: { kind: 'hang' as const }, reason: 'spotifyUnavailable', retryable: true },
];
for (const f of exchangeFailures) {
  Login(`a token endpoint answering ${f.name} ends the attempt, tells the user and links nothing`, async () => {
    const a = await startAndAuthorize(ALICE);
    h.spotify.fail('token', f.failure);
    const outcome = await h.links.handleCallback({ state: a.state, code: a.code! }, ctx);
    assert.equal(outcome, { kind: 'spotifyFailed', retryable: f.retryable, reason: f.reason });
    assert.equal(h.noticesOf(ALICE), [{ kind: 'loginFailed', reason: f.reason }]);
    assert.is((await h.links.status(ALICE)).state, 'unlinked');
    assert.is(await h.vault.hasDataKey(a.keyId), false, 'the attempt key is shredded');
    assert.equal((await h.events(ALICE)).map((e) => e.type), ['LoginStarted', 'LoginDenied']);
    assert.equal(await h.links.handleCallback({ state: a.state, code: a.code! }, ctx), { kind: 'used' });
  });
}

Login('a Spotify account not on the app user list gets loginFailed notRegistered', async () => {
  h.spotify.setRegistered('alice', false);
  const a = await startAndAuthorize(ALICE);
  const outcome = await h.links.handleCallback({ state: a.state, code: a.code! }, ctx);
  assert.equal(outcome, { kind: 'spotifyFailed', retryable: false, reason: 'notRegistered' });
  assert.is(h.spotify.count('me', { status: 403 }), 1);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'loginFailed', reason: 'notRegistered' }]);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  assert.is(await h.vault.hasDataKey(a.keyId), false);
});

Login('a callback with a state nobody issued is unknown and touches nothing', async () => {
  assert.equal(await h.links.handleCallback({ state: 'x'.repeat(43), code: 'whatever' }, ctx), { kind: 'unknownState' });
  assert.is(h.spotify.requests.length, 0);
});

Login('/start by another Telegram user links nothing, shreds the grant and tells the owner', async () => {
  const completionId = await h.loginThroughCallback(ALICE);
  const keyId = (await h.links.status(ALICE)).attempt!.keyId;
  assert.equal(await h.links.confirm(MALLORY, completionId), { kind: 'foreign' });
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  assert.is((await h.links.status(MALLORY)).state, 'unlinked');
  assert.is(await h.vault.hasDataKey(keyId), false);
  assert.equal(h.noticesOf(ALICE), [{ kind: 'foreignCompletion' }]);
  const last = (await h.events(ALICE)).at(-1)!;
  assert.is(last.type, 'LinkRejected');
  assert.is(last.type === 'LinkRejected' && last.data.byUserId, MALLORY);
  assert.equal(await h.links.confirm(ALICE, completionId), { kind: 'unknown' }, 'the owner cannot use it afterwards either');
});

Login('/start after the completion expiry is refused and ends the attempt', async () => {
  const completionId = await h.loginThroughCallback(ALICE);
  const keyId = (await h.links.status(ALICE)).attempt!.keyId;
  h.clock.advance(COMPLETION_TTL_MS);
  assert.equal(await h.links.confirm(ALICE, completionId), { kind: 'expired' });
  assert.is((await h.events(ALICE)).at(-1)!.type, 'LoginExpired');
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  assert.is(await h.vault.hasDataKey(keyId), false);
});

Login('a completion id is single use', async () => {
  const completionId = await h.loginThroughCallback(ALICE);
  assert.is((await h.links.confirm(ALICE, completionId)).kind, 'linked');
  assert.equal(await h.links.confirm(ALICE, completionId), { kind: 'unknown' });
});

Login('unknown or malformed completion ids are unknown and change nothing', async () => {
  await h.loginThroughCallback(ALICE);
  for (const id of ['A'.repeat(43), '', 'a'.repeat(65), '../../etc/passwd', 'привет', 'x y']) {
    assert.equal(await h.links.confirm(ALICE, id), { kind: 'unknown' }, JSON.stringify(id));
  }
  assert.is((await h.links.status(ALICE)).state, 'awaitingCallback.confirming');
});

Login.run();
