/**
 * The fake accounts service: `GET /authorize` (answers at once with a redirect, as if the user
 * had approved or denied in the browser) and `POST /api/token` (authorization_code,
 * refresh_token and client_credentials grants, with Basic client auth and PKCE checks).
 */
import { createHash } from 'node:crypto';
import { hang, issueSecret, readBody, reply, takeFailure, type Exchange, type FakeFailure } from './fakeSpotifyState.ts';

/** The scope names the real authorize endpoint accepts (from the spec's security scheme). */
const KNOWN_SCOPES = new Set([
  'app-remote-control', 'playlist-read-private', 'playlist-read-collaborative', 'playlist-modify-public',
  'playlist-modify-private', 'user-library-read', 'user-library-modify', 'user-read-private', 'user-read-email',
  'user-follow-read', 'user-follow-modify', 'user-top-read', 'user-read-playback-position',
  'user-read-playback-state', 'user-read-recently-played', 'user-read-currently-playing',
  'user-modify-playback-state', 'ugc-image-upload', 'streaming',
]);

const CODE_TTL_MS = 10 * 60_000;

/** `GET /authorize`: validate like Spotify, then redirect with a code (or an error) and the state. */
export function handleAuthorize(x: Exchange): void {
  const { state: s, url } = x;
  const q = Object.fromEntries(url.searchParams);
  if (q['state']) s.secrets.add(q['state']);
  const failure = takeFailure(x, undefined);
  if (failure?.kind === 'hang') return hang(x);
  if (failure) return reply(x, failure.kind === 'server-error' ? (failure.status ?? 500) : 400, 'Something went wrong');
  if (q['client_id'] !== s.clientId) return reply(x, 400, 'INVALID_CLIENT: Invalid client');
  const redirectUri = q['redirect_uri'];
  if (!redirectUri || (s.redirectUris && !s.redirectUris.includes(redirectUri))) {
    return reply(x, 400, 'INVALID_CLIENT: Invalid redirect URI');
  }
  const back = new URL(redirectUri);
  const redirect = (params: Record<string, string>): void => {
    for (const [k, v] of Object.entries(params)) back.searchParams.set(k, v);
    if (q['state'] !== undefined) back.searchParams.set('state', q['state']);
    reply(x, 302, undefined, { location: back.toString() });
  };
  if (q['response_type'] !== 'code') return redirect({ error: 'unsupported_response_type' });
  const challenge = q['code_challenge'];
  if (challenge !== undefined && q['code_challenge_method'] !== 'S256') return redirect({ error: 'invalid_request' });
  const scopes = (q['scope'] ?? '').split(/\s+/).filter(Boolean);
  if (scopes.some((sc) => !KNOWN_SCOPES.has(sc))) return redirect({ error: 'invalid_scope' });
  const outcome = s.loginOutcome;
  if ('deny' in outcome) return redirect({ error: 'access_denied' });
  const user = outcome.as ?? s.users.keys().next().value;
  if (user === undefined || !s.users.has(user)) return reply(x, 500, 'fake: no such user to log in as');
  const code = issueSecret(s, 'fake-code');
  s.codes.set(code, {
    user,
    redirectUri,
    challenge,
    scopes: outcome.grantScopes ?? scopes,
    expiresAt: s.now() + CODE_TTL_MS,
    used: false,
  });
  x.entry.user = user;
  redirect({ code });
}

/** `POST /api/token`. */
export async function handleToken(x: Exchange): Promise<void> {
  const { state: s } = x;
  if (x.req.method !== 'POST') return reply(x, 405, { error: 'invalid_request', error_description: 'POST only' });
  const form = new URLSearchParams(await readBody(x.req));
  const grantType = form.get('grant_type') ?? '';
  x.entry.grantType = grantType;
  x.entry.formKeys = [...new Set(form.keys())].sort();
  x.announce();
  for (const key of ['code', 'refresh_token', 'code_verifier', 'client_secret']) {
    const v = form.get(key);
    if (v) s.secrets.add(v);
  }
  const failure = takeFailure(x, undefined);
  if (failure) return tokenFailure(x, failure);

  const auth = clientAuth(x, form);
  if (auth === 'invalid') return tokenError(x, 400, 'invalid_client', 'Invalid client');
  const confidential = auth === 'basic' || auth === 'secret-in-body';

  if (grantType === 'authorization_code') {
    const code = s.codes.get(form.get('code') ?? '');
    if (!code || code.used || code.expiresAt <= s.now()) return tokenError(x, 400, 'invalid_grant', 'Invalid authorization code');
    x.entry.user = code.user;
    if (form.get('redirect_uri') !== code.redirectUri) return tokenError(x, 400, 'invalid_grant', 'Invalid redirect URI');
    const verifier = form.get('code_verifier');
    if (code.challenge !== undefined || !confidential) {
      const ok = verifier !== null && createHash('sha256').update(verifier, 'ascii').digest('base64url') === code.challenge;
      if (!ok) return tokenError(x, 400, 'invalid_grant', 'code_verifier was incorrect');
    }
    code.used = true;
    return reply(x, 200, issue(x, code.user, code.scopes, true));
  }
  if (grantType === 'refresh_token') {
    const token = form.get('refresh_token') ?? '';
    const grant = s.refreshTokens.get(token);
    if (!grant || !grant.valid) return tokenError(x, 400, 'invalid_grant', 'Invalid refresh token');
    x.entry.user = grant.user;
    // Rotation models the PKCE behaviour: the old refresh token is single-use.
    if (s.rotation) grant.valid = false;
    return reply(x, 200, issue(x, grant.user, grant.scopes, s.rotation));
  }
  if (grantType === 'client_credentials') {
    if (!confidential) return tokenError(x, 400, 'invalid_client', 'Invalid client');
    const accessToken = issueSecret(s, 'fake-app');
    s.accessTokens.set(accessToken, { user: undefined, scopes: [], expiresAt: s.now() + s.accessTokenTtlSec * 1000, revoked: false });
    return reply(x, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: s.accessTokenTtlSec });
  }
  return tokenError(x, 400, 'unsupported_grant_type', 'grant_type parameter is missing');
}

/** Issues an access token (and a refresh token when `withRefresh`) for a user. */
export function issue(x: Pick<Exchange, 'state'>, user: string, scopes: string[], withRefresh: boolean): Record<string, unknown> {
  const s = x.state;
  const accessToken = issueSecret(s, 'fake-at');
  s.accessTokens.set(accessToken, { user, scopes, expiresAt: s.now() + s.accessTokenTtlSec * 1000, revoked: false });
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: s.accessTokenTtlSec,
    scope: scopes.join(' '),
  };
  if (withRefresh) {
    const refreshToken = issueSecret(s, 'fake-rt');
    s.refreshTokens.set(refreshToken, { user, scopes, valid: true });
    body['refresh_token'] = refreshToken;
  }
  return body;
}

function clientAuth(x: Exchange, form: URLSearchParams): 'basic' | 'secret-in-body' | 'public' | 'invalid' {
  const { state: s } = x;
  const header = x.req.headers.authorization;
  x.entry.basicAuth = header?.startsWith('Basic ') ?? false;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    return decoded.slice(0, sep) === s.clientId && decoded.slice(sep + 1) === s.clientSecret ? 'basic' : 'invalid';
  }
  if (form.get('client_id') !== s.clientId) return 'invalid';
  const secret = form.get('client_secret');
  if (secret === null) return 'public';
  return secret === s.clientSecret ? 'secret-in-body' : 'invalid';
}

function tokenError(x: Exchange, status: number, error: string, description: string): void {
  reply(x, status, { error, error_description: description });
}

function tokenFailure(x: Exchange, f: FakeFailure): void {
  switch (f.kind) {
    case 'hang':
      return hang(x);
    case 'invalid_grant':
      return tokenError(x, 400, 'invalid_grant', 'Refresh token revoked');
    case 'invalid_client':
      return tokenError(x, 400, 'invalid_client', 'Invalid client secret');
    case 'rate-limited':
      return reply(
        x,
        429,
        { error: 'rate_limited', error_description: f.quotaExceeded ? 'QUOTA_EXCEEDED' : 'API rate limit exceeded' },
        { 'retry-after': String(f.retryAfterSec ?? 3) },
      );
    case 'malformed':
      return reply(x, 200, { token: 'nope' });
    case 'server-error':
      return tokenError(x, f.status ?? 500, 'server_error', 'Server error');
    default:
      return tokenError(x, 400, 'invalid_request', `fake: ${f.kind} does not apply to the token endpoint`);
  }
}
