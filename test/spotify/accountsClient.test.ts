import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rejects } from '../helpers/rejects.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountsClient, SPOTIFY_SCOPES, type AccountsClientOptions } from '../../src/spotify/accountsClient.ts';
import { ExternalServiceError, InvalidGrantError, RateLimitedError } from '../../src/spotify/errors.ts';
import { createPkcePair } from '../../src/spotify/pkce.ts';
import { errorDump, startFakeSpotify, type FakeFailure, type FakeSpotify } from '../helpers/fakeSpotify.ts';

const REDIRECT = 'http://127.0.0.1:8080/oauth/spotify/callback';
let fake: FakeSpotify;

function client(extra: Partial<AccountsClientOptions> = {}): AccountsClient {
  return new AccountsClient({
    accountsUrl: fake.accountsUrl,
    clientId: fake.clientId,
    clientSecret: fake.clientSecret,
    redirectUri: REDIRECT,
    ...extra,
  });
}


/** Logs in through the fake's /authorize and returns the code with its verifier. */
async function loginCode(accounts: AccountsClient): Promise<{ code: string; verifier: string }> {
  const pkce = createPkcePair();
  const { code } = await fake.login(accounts.authorizeUrl({ state: 'st4te-value-xyz', codeChallenge: pkce.challenge, showDialog: false }));
  if (!code) throw new Error('no code');
  return { code, verifier: pkce.verifier };
}

const AuthorizeUrl = suite('AccountsClient.authorizeUrl');
AuthorizeUrl.before.each(async () => {
  fake = await startFakeSpotify();
});
AuthorizeUrl.after.each(() => fake.close());

AuthorizeUrl('asks only for the two read scopes, with the state and an S256 challenge', () => {
  const url = new URL(client().authorizeUrl({ state: 'abc', codeChallenge: 'chal', showDialog: false }));
  assert.is(url.origin + url.pathname, `${fake.accountsUrl}/authorize`);
  const q = Object.fromEntries(url.searchParams);
  assert.equal(q, {
    client_id: fake.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'user-read-currently-playing user-read-recently-played',
    state: 'abc',
    code_challenge_method: 'S256',
    code_challenge: 'chal',
  });
  assert.equal([...SPOTIFY_SCOPES], ['user-read-currently-playing', 'user-read-recently-played']);
  assert.ok(url.search.includes('scope=user-read-currently-playing%20user-read-recently-played'));
});

AuthorizeUrl('re-linking forces the consent dialog with show_dialog=true', () => {
  const url = new URL(client().authorizeUrl({ state: 'abc', codeChallenge: 'chal', showDialog: true }));
  assert.is(url.searchParams.get('show_dialog'), 'true');
});

AuthorizeUrl('the fake accepts the URL and redirects back with a code and the same state', async () => {
  const pkce = createPkcePair();
  const r = await fake.login(client().authorizeUrl({ state: 'state-123', codeChallenge: pkce.challenge, showDialog: false }));
  assert.ok(r.location.startsWith(`${REDIRECT}?`));
  assert.is(r.state, 'state-123');
  assert.type(r.code, 'string');
  assert.is(r.error, undefined);
});

AuthorizeUrl.run();

const Exchange = suite('AccountsClient.exchangeCode and refresh');
Exchange.before.each(async () => {
  fake = await startFakeSpotify({ redirectUris: [REDIRECT] });
});
Exchange.after.each(() => fake.close());

Exchange('a code is exchanged with the PKCE verifier and Basic client auth', async () => {
  const accounts = client({ now: () => 1_000_000 });
  const { code, verifier } = await loginCode(accounts);
  const grant = await accounts.exchangeCode({ code, codeVerifier: verifier });
  assert.ok(grant.accessToken.startsWith('fake-at-'));
  assert.ok(grant.refreshToken?.startsWith('fake-rt-'));
  assert.is(grant.tokenType, 'Bearer');
  assert.is(grant.expiresInSec, 3600);
  assert.is(grant.expiresAt, 1_000_000 + 3_600_000);
  assert.equal(grant.scopes, ['user-read-currently-playing', 'user-read-recently-played']);
  const req = fake.requests.find((r) => r.grantType === 'authorization_code')!;
  assert.is(req.basicAuth, true);
  assert.equal(req.formKeys, ['code', 'code_verifier', 'grant_type', 'redirect_uri']);
});

Exchange('a wrong verifier is refused as invalid_grant', async () => {
  const accounts = client();
  const { code } = await loginCode(accounts);
  const err = await rejects(accounts.exchangeCode({ code, codeVerifier: createPkcePair().verifier }));
  assert.instance(err, InvalidGrantError);
  assert.is((err as InvalidGrantError).code, 'SPOTIFY_INVALID_GRANT');
});

Exchange('a code used twice is refused the second time', async () => {
  const accounts = client();
  const { code, verifier } = await loginCode(accounts);
  await accounts.exchangeCode({ code, codeVerifier: verifier });
  assert.instance(await rejects(accounts.exchangeCode({ code, codeVerifier: verifier })), InvalidGrantError);
});

Exchange('a wrong client secret is an operator problem, not retryable', async () => {
  const err = await rejects(client({ clientSecret: 'wrong' }).refresh('whatever'));
  assert.instance(err, ExternalServiceError);
  assert.is((err as ExternalServiceError).failure, 'client-config');
  assert.is((err as ExternalServiceError).retryable, false);
});

Exchange('without rotation a refresh omits the refresh token and the old one keeps working', async () => {
  const accounts = client();
  const { code, verifier } = await loginCode(accounts);
  const first = await accounts.exchangeCode({ code, codeVerifier: verifier });
  const a = await accounts.refresh(first.refreshToken!);
  assert.is(a.refreshToken, undefined);
  assert.is.not(a.accessToken, first.accessToken);
  const b = await accounts.refresh(first.refreshToken!);
  assert.is.not(b.accessToken, a.accessToken);
  assert.is(fake.count('token', { grantType: 'refresh_token' }), 2);
});

Exchange('with rotation each refresh returns a new refresh token and the old one is single-use', async () => {
  fake.setRotation(true);
  const accounts = client();
  const { code, verifier } = await loginCode(accounts);
  const first = await accounts.exchangeCode({ code, codeVerifier: verifier });
  const second = await accounts.refresh(first.refreshToken!);
  assert.type(second.refreshToken, 'string');
  assert.is.not(second.refreshToken, first.refreshToken);
  assert.instance(await rejects(accounts.refresh(first.refreshToken!)), InvalidGrantError);
  const third = await accounts.refresh(second.refreshToken!);
  assert.type(third.accessToken, 'string');
});

Exchange('a refresh token past its lifetime gives invalid_grant', async () => {
  const { refreshToken } = fake.issueTokens('alice');
  fake.revokeRefreshTokens('alice');
  assert.instance(await rejects(client().refresh(refreshToken)), InvalidGrantError);
});

Exchange.run();

const AppToken = suite('AccountsClient.clientCredentialsToken');
AppToken.before.each(async () => {
  fake = await startFakeSpotify();
});
AppToken.after.each(() => fake.close());

AppToken('concurrent callers share one request and later callers get the cached token', async () => {
  const accounts = client();
  const tokens = await Promise.all(Array.from({ length: 5 }, () => accounts.clientCredentialsToken()));
  assert.is(new Set(tokens).size, 1);
  assert.is(await accounts.clientCredentialsToken(), tokens[0]);
  assert.is(fake.count('token', { grantType: 'client_credentials' }), 1);
});

AppToken('the app token is renewed 60 s before it expires', async () => {
  let now = 0;
  const accounts = client({ now: () => now });
  const first = await accounts.clientCredentialsToken();
  now = 3_540_000 - 1;
  assert.is(await accounts.clientCredentialsToken(), first);
  now = 3_540_000;
  assert.is.not(await accounts.clientCredentialsToken(), first);
  assert.is(fake.count('token', { grantType: 'client_credentials' }), 2);
});

AppToken('a failed request is not cached and forceRefresh drops a cached token', async () => {
  const accounts = client();
  fake.fail('token', { kind: 'server-error', status: 503 });
  assert.instance(await rejects(accounts.clientCredentialsToken()), ExternalServiceError);
  const a = await accounts.clientCredentialsToken();
  const b = await accounts.clientCredentialsToken({ forceRefresh: true });
  assert.is.not(a, b);
  assert.is(fake.count('token', { grantType: 'client_credentials' }), 3);
});

AppToken.run();

const Errors = suite('AccountsClient error mapping');
Errors.before.each(async () => {
  fake = await startFakeSpotify();
});
Errors.after.each(() => fake.close());

const rows: [string, FakeFailure, (e: unknown) => void][] = [
  ['400 invalid_grant → InvalidGrantError', { kind: 'invalid_grant' }, (e) => assert.instance(e, InvalidGrantError)],
  ['500 → retryable ExternalServiceError', { kind: 'server-error', status: 500 }, (e) => expectExternal(e, 'server', 500, true)],
  ['503 → retryable ExternalServiceError', { kind: 'server-error', status: 503 }, (e) => expectExternal(e, 'server', 503, true)],
  ['429 → RateLimitedError with Retry-After', { kind: 'rate-limited', retryAfterSec: 7 }, (e) => expectRate(e, 7, false)],
  ['429 QUOTA_EXCEEDED → quotaExceeded', { kind: 'rate-limited', retryAfterSec: 60, quotaExceeded: true }, (e) => expectRate(e, 60, true)],
  ['400 invalid_client → not retryable', { kind: 'invalid_client' }, (e) => expectExternal(e, 'client-config', 400, false)],
  ['a body without access_token → bad-body, not retryable', { kind: 'malformed' }, (e) => expectExternal(e, 'bad-body', 200, false)],
  ['a hang → timeout, retryable', { kind: 'hang' }, (e) => expectExternal(e, 'timeout', undefined, true)],
];

function expectExternal(e: unknown, failure: string, status: number | undefined, retryable: boolean): void {
  assert.instance(e, ExternalServiceError);
  const x = e as ExternalServiceError;
  assert.equal([x.code, x.failure, x.status, x.retryable, x.endpoint], ['EXTERNAL_SERVICE_ERROR', failure, status, retryable, 'token']);
}

function expectRate(e: unknown, retryAfterSec: number, quotaExceeded: boolean): void {
  assert.instance(e, RateLimitedError);
  const x = e as RateLimitedError;
  assert.equal([x.code, x.retryAfterSec, x.quotaExceeded], ['SPOTIFY_RATE_LIMITED', retryAfterSec, quotaExceeded]);
}

for (const [name, failure, check] of rows) {
  Errors(`refresh: ${name}, and the error shows no secret`, async () => {
    const { refreshToken } = fake.issueTokens('alice');
    fake.fail('token', failure);
    const err = await rejects(client({ timeoutMs: 150 }).refresh(refreshToken));
    check(err);
    assert.equal(fake.leaksIn(errorDump(err)), []);
  });
}

Errors('code exchange failures show neither the code nor the verifier', async () => {
  const accounts = client();
  const { code, verifier } = await loginCode(accounts);
  fake.fail('token', { kind: 'invalid_grant' });
  const err = await rejects(accounts.exchangeCode({ code, codeVerifier: verifier }));
  assert.instance(err, InvalidGrantError);
  const dump = errorDump(err);
  assert.equal(fake.leaksIn(dump), []);
  assert.not.ok(dump.includes(verifier));
});

Errors('an unreachable accounts service is a retryable network error', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((r) => closed.close(() => r()));
  const statuses: number[] = [];
  const err = await rejects(client({ accountsUrl: `http://127.0.0.1:${port}`, onResponse: (s) => statuses.push(s) }).refresh('x'));
  assert.instance(err, ExternalServiceError);
  assert.equal([(err as ExternalServiceError).failure, (err as ExternalServiceError).retryable], ['network', true]);
  assert.equal(statuses, [0]);
});

Errors('the metrics hook sees each status with the endpoint name', async () => {
  const seen: string[] = [];
  const accounts = client({ onResponse: (s, e) => seen.push(`${e}:${s}`) });
  fake.fail('token', { kind: 'server-error', status: 502 });
  await rejects(accounts.clientCredentialsToken());
  await accounts.clientCredentialsToken();
  assert.equal(seen, ['token:502', 'token:200']);
});

Errors.run();
