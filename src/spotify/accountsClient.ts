/**
 * Client of Spotify's accounts service: the authorize URL, the code exchange, refreshes and the
 * app's client-credentials token. Every token request uses Basic client authentication (the
 * client-secret flow), plus the PKCE verifier for the code exchange.
 *
 * Invariants: tokens, codes, verifiers and the secret travel only in request bodies and headers,
 * never in errors; a refresh whose response omits `refresh_token` returns `refreshToken:
 * undefined` (the caller keeps the old one); concurrent `clientCredentialsToken()` callers share
 * one request.
 */
import { z } from 'zod';
import { ExternalServiceError, InvalidGrantError } from './errors.ts';
import { genericFailure, httpSettings, parseBody, send, type FetchLike, type HttpSettings, type OnResponse, type RawResponse } from './http.ts';

/** The scopes the bot asks for: read what plays now and what played recently, nothing more. */
export const SPOTIFY_SCOPES = ['user-read-currently-playing', 'user-read-recently-played'] as const;

/** Options of {@link AccountsClient}. Base URL and secrets come from config. */
export interface AccountsClientOptions {
  /** `SPOTIFY_ACCOUNTS_URL`, e.g. `https://accounts.spotify.com` (no trailing path). */
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
  /** Must match one registered in the Spotify dashboard exactly. */
  redirectUri: string;
  /** Per request, headers and body included. Default 10 000. */
  timeoutMs?: number;
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Metrics hook: status per attempt, 0 when no response arrived. */
  onResponse?: OnResponse;
  /** Clock for the app-token cache (ms). Default `Date.now`. */
  now?: () => number;
  /** Scopes to request. Default {@link SPOTIFY_SCOPES}. */
  scopes?: readonly string[];
}

/** A token response, already validated. Times are absolute ms from the client's clock. */
export interface TokenGrant {
  accessToken: string;
  tokenType: string;
  /** Lifetime Spotify announced, in seconds (3600 today). */
  expiresInSec: number;
  /** Clock time at request start + lifetime: a conservative expiry. */
  expiresAt: number;
  /** Present on the code exchange; on refresh only when Spotify rotated it. */
  refreshToken: string | undefined;
  /** Granted scopes, or undefined when the response omits `scope`. */
  scopes: string[] | undefined;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  expires_in: z.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

const TokenError = z.object({ error: z.string() });

/** The app token is renewed this long before it expires. */
const APP_TOKEN_MARGIN_MS = 60_000;

/**
 * Accounts service client.
 *
 * @example
 * ```ts
 * const accounts = new AccountsClient({ accountsUrl, clientId, clientSecret, redirectUri });
 * const url = accounts.authorizeUrl({ state, codeChallenge, showDialog: false });
 * const grant = await accounts.exchangeCode({ code, codeVerifier });
 * const next = await accounts.refresh(grant.refreshToken!);
 * const stored = next.refreshToken ?? grant.refreshToken; // keep the old one when omitted
 * ```
 */
export class AccountsClient {
  readonly #opts: AccountsClientOptions;
  readonly #http: HttpSettings;
  readonly #now: () => number;
  #appToken: { token: string; expiresAt: number } | undefined;
  #appTokenInFlight: Promise<string> | undefined;

  constructor(opts: AccountsClientOptions) {
    this.#opts = { ...opts, accountsUrl: opts.accountsUrl.replace(/\/+$/, '') };
    this.#http = httpSettings(opts);
    this.#now = opts.now ?? Date.now;
  }

  /**
   * The URL of Spotify's consent page. `showDialog: true` makes Spotify ask again even when the
   * user approved before (use it when re-linking, so another account can be chosen).
   */
  authorizeUrl(args: { state: string; codeChallenge: string; showDialog: boolean }): string {
    const params = new URLSearchParams({
      client_id: this.#opts.clientId,
      response_type: 'code',
      redirect_uri: this.#opts.redirectUri,
      scope: (this.#opts.scopes ?? SPOTIFY_SCOPES).join(' '),
      state: args.state,
      code_challenge_method: 'S256',
      code_challenge: args.codeChallenge,
    });
    if (args.showDialog) params.set('show_dialog', 'true');
    // URLSearchParams writes spaces as '+'; %20 is the unambiguous form for the scope list.
    return `${this.#opts.accountsUrl}/authorize?${params.toString().replace(/\+/g, '%20')}`;
  }

  /**
   * Trades the callback's `code` (with the PKCE verifier) for tokens. Throws
   * {@link InvalidGrantError} for a used, expired or foreign code.
   */
  async exchangeCode(args: { code: string; codeVerifier: string }): Promise<TokenGrant> {
    return this.#token({
      grant_type: 'authorization_code',
      code: args.code,
      redirect_uri: this.#opts.redirectUri,
      code_verifier: args.codeVerifier,
    });
  }

  /**
   * Gets a new access token. `refreshToken` in the result is the rotated token or undefined
   * (keep the old one). Throws {@link InvalidGrantError} when the refresh token is expired,
   * already used or revoked. Never call twice at once for one user.
   */
  async refresh(refreshToken: string): Promise<TokenGrant> {
    return this.#token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * The app's own token (client credentials) for catalogue calls such as `GET /tracks/{id}`.
   * Cached until 60 s before expiry; concurrent callers share one request; a failure is not
   * cached. `forceRefresh` drops the cache (after a 401).
   */
  async clientCredentialsToken(opts: { forceRefresh?: boolean } = {}): Promise<string> {
    if (opts.forceRefresh) this.#appToken = undefined;
    const cached = this.#appToken;
    if (cached && this.#now() < cached.expiresAt - APP_TOKEN_MARGIN_MS) return cached.token;
    this.#appTokenInFlight ??= this.#token({ grant_type: 'client_credentials' })
      .then((grant) => {
        this.#appToken = { token: grant.accessToken, expiresAt: grant.expiresAt };
        return grant.accessToken;
      })
      .finally(() => {
        this.#appTokenInFlight = undefined;
      });
    return this.#appTokenInFlight;
  }

  async #token(form: Record<string, string>): Promise<TokenGrant> {
    const startedAt = this.#now();
    const basic = Buffer.from(`${this.#opts.clientId}:${this.#opts.clientSecret}`).toString('base64');
    const res = await send(this.#http, 'token', `${this.#opts.accountsUrl}/api/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
    if (res.status !== 200) throw tokenFailure(res);
    const body = parseBody('token', res, TokenResponse);
    return {
      accessToken: body.access_token,
      tokenType: body.token_type,
      expiresInSec: body.expires_in,
      expiresAt: startedAt + body.expires_in * 1000,
      refreshToken: body.refresh_token,
      scopes: body.scope === undefined ? undefined : body.scope.split(/\s+/).filter(Boolean),
    };
  }
}

function tokenFailure(res: RawResponse): Error {
  if (res.status === 400 || res.status === 401) {
    const error = oauthError(res.text);
    if (error === 'invalid_grant') return new InvalidGrantError();
    if (error === 'invalid_client' || error === 'unauthorized_client' || res.status === 401) {
      // Wrong client id/secret or redirect URI: an operator problem, retrying will not help.
      return new ExternalServiceError('token', 'client-config', { status: res.status, retryable: false });
    }
  }
  return genericFailure('token', res);
}

function oauthError(text: string): string | undefined {
  try {
    const parsed = TokenError.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}
