/** The fake Spotify's own promises, which the link, HTTP and bot tests rely on. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccountsClient } from '../../src/spotify/accountsClient.ts';
import { createPkcePair } from '../../src/spotify/pkce.ts';
import { startFakeSpotify, type FakeSpotify } from '../helpers/fakeSpotify.ts';

const REDIRECT = 'http://127.0.0.1:8080/oauth/spotify/callback';
let fake: FakeSpotify;
const accounts = (redirectUri = REDIRECT) =>
  new AccountsClient({ accountsUrl: fake.accountsUrl, clientId: fake.clientId, clientSecret: fake.clientSecret, redirectUri });
const authorizeUrl = (a = accounts()) => a.authorizeUrl({ state: 'the-state', codeChallenge: createPkcePair().challenge, showDialog: false });

const Fake = suite('fake Spotify');
Fake.before.each(async () => {
  fake = await startFakeSpotify({ redirectUris: [REDIRECT], users: [{ id: 'alice' }, { id: 'bob', displayName: null }] });
});
Fake.after.each(() => fake.close());

Fake('a user who declines comes back with error=access_denied and the state', async () => {
  fake.setLoginOutcome({ deny: true });
  const r = await fake.login(authorizeUrl());
  assert.equal([r.error, r.state, r.code], ['access_denied', 'the-state', undefined]);
});

Fake('the login can be done as another user, and codes belong to that user', async () => {
  fake.setLoginOutcome({ as: 'bob' });
  const a = accounts();
  const pkce = createPkcePair();
  const { code } = await fake.login(a.authorizeUrl({ state: 's', codeChallenge: pkce.challenge, showDialog: false }));
  await a.exchangeCode({ code: code!, codeVerifier: pkce.verifier });
  assert.is(fake.requests.at(-1)?.user, 'bob');
});

Fake('an unregistered redirect URI is refused like Spotify does', async () => {
  try {
    await fake.login(authorizeUrl(accounts('https://elsewhere.example/cb')));
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /answered 400/);
  }
});

Fake('nextRequest resolves when a hanging request arrives, and close cuts it', async () => {
  fake.fail('token', { kind: 'hang' });
  const arrived = fake.nextRequest('token');
  const pending = accounts().clientCredentialsToken().catch((e: unknown) => e);
  const req = await arrived;
  assert.is(req.grantType, 'client_credentials');
  assert.is(req.response, undefined);
  await fake.close();
  assert.ok(await pending);
  fake = await startFakeSpotify(); // for after.each
});

Fake('failures can target one user and last until cleared', async () => {
  const alice = fake.issueTokens('alice').accessToken;
  const bob = fake.issueTokens('bob').accessToken;
  fake.fail('me', { kind: 'server-error', status: 503 }, { times: Infinity, user: 'bob' });
  const me = (t: string) => fetch(`${fake.apiUrl}/me`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
  assert.equal([await me(alice), await me(bob), await me(bob)], [200, 503, 503]);
  fake.clearFailures();
  assert.is(await me(bob), 200);
  assert.is(fake.count('me', { user: 'bob', status: 503 }), 2);
});

Fake('every issued token and code is known as a secret', async () => {
  const t = fake.issueTokens('alice');
  assert.ok(fake.secrets().includes(t.accessToken) && fake.secrets().includes(t.refreshToken));
  assert.ok(fake.secrets().includes(fake.clientSecret));
  assert.equal(fake.leaksIn(`log line with ${t.refreshToken}`), [t.refreshToken]);
  assert.equal(fake.leaksIn('clean log line'), []);
});

Fake.run();
