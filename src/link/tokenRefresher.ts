/**
 * `accessToken(userId)`: a valid Spotify access token for a linked user, refreshed 60 s
 * before it expires.
 *
 * - Concurrent callers for one user share **one** refresh (a per-user in-flight promise), and
 *   the refresh itself is recorded as events: `RefreshStarted`, then `TokensRefreshed`,
 *   `RefreshFailed` or `AccessRevoked`. The HTTP call happens between them, outside the
 *   user's lane, so `/unlink` is never stuck behind a slow Spotify.
 * - A new refresh token is stored when Spotify sends one (PKCE tokens are single-use); the
 *   old one is kept when the response omits it.
 * - `invalid_grant` revokes the link, shreds its key and tells the user once. 5xx, timeouts
 *   and 429 are retried with exponential backoff honouring `Retry-After`, then surface as
 *   {@link SpotifyTemporarilyUnavailableError}; the link stays. A `Retry-After` too long to
 *   wait for in a request is honoured by every later caller: until it has passed nobody asks
 *   Spotify again (recorded in `RefreshFailed.retryAfterSec`, so it survives a restart).
 * - A refresh whose link ends meanwhile (an `/unlink`) drops the new tokens unsealed and
 *   answers {@link NotLinkedError}; a refresh left open by a crash is closed as `interrupted`
 *   and redone by {@link TokenRefresher.recover} (the sweeper at start-up) or the next caller.
 * - A refresh token past its 180-day life is not even tried: the link is revoked.
 */
import { randomUUID } from 'node:crypto';
import { DataKeyShreddedError, type BatchOp, type TokenVault } from '../../eventlog/index.ts';
import { asSealed } from '../../machines/spotifyLink.events.ts';
import { linkStateName, type LinkSnapshot } from '../../machines/spotifyLink.machine.ts';
import type { Logger } from '../log.ts';
import type { TokenGrant } from '../spotify/accountsClient.ts';
import { ExternalServiceError, InvalidGrantError, RateLimitedError } from '../spotify/errors.ts';
import { NotLinkedError, SpotifyTemporarilyUnavailableError } from './errors.ts';
import type { LinkRepository } from './linkRepository.ts';
import type { TokenRow } from './linkTables.ts';
import type { LinkNotifier, TokenEndpoint, UserLock } from './ports.ts';

/** Tokens are refreshed this long before Spotify's expiry. */
export const REFRESH_MARGIN_MS = 60_000;

/** How hard a refresh is retried before it is reported as temporary trouble. */
export interface RetryPolicy {
  /** Total calls to the token endpoint per refresh (default 3). */
  attempts: number;
  /** First backoff; doubled after each failure (default 500 ms). */
  baseDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the caller is told to come back. */
  maxDelayMs: number;
}

/** Dependencies of {@link TokenRefresher}. */
export interface TokenRefresherDeps<Op = BatchOp> {
  repo: LinkRepository<Op>;
  vault: Pick<TokenVault<Op>, 'seal' | 'open'>;
  accounts: TokenEndpoint;
  notifier: LinkNotifier;
  now: () => number;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Counts outcomes (for metrics). */
  onRefresh?: (outcome: 'refreshed' | 'failed' | 'revoked', reason?: string) => void;
  /** With other processes on the same log: held around each refresh (see {@link UserLock}). */
  refreshLock?: UserLock;
}

type Attempted =
  | { kind: 'ok'; grant: TokenGrant }
  | { kind: 'revoked' }
  | { kind: 'failed'; reason: 'unavailable' | 'rateLimited' | 'timeout'; retryAfterSec: number };

const noop = (): void => undefined;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Access tokens per user, refreshed on demand. */
export class TokenRefresher<Op = BatchOp> {
  readonly #inFlight = new Map<number, Promise<string>>();
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: TokenRefresherDeps<Op>) {
    this.#retry = { attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000, ...deps.retry };
    this.#sleep = deps.sleep ?? defaultSleep;
  }

  /**
   * A valid access token for `userId`. With `forceRefresh` (after a 401) the token is
   * refreshed even if it looks valid; concurrent callers still share one refresh.
   *
   * @throws {NotLinkedError} when the user has no usable link (or it was just revoked).
   * @throws {SpotifyTemporarilyUnavailableError} when Spotify cannot refresh right now.
   */
  accessToken(userId: number, options: { forceRefresh?: boolean } = {}): Promise<string> {
    // The hot path: a warm user with a valid token costs two map lookups and one decrypt, with
    // no extra promise hops (see bench/link.ts).
    const { repo } = this.deps;
    const shared = this.#inFlight.get(userId);
    if (shared) return shared;
    const cached = repo.peek(userId);
    const tokens = repo.peekTokens(userId);
    if (cached && tokens !== undefined) return this.#serve(userId, cached.snapshot, tokens, options);
    return Promise.all([repo.load(userId), repo.tokens(userId)]).then(([{ snapshot }, row]) => this.#serve(userId, snapshot, row, options));
  }

  /**
   * Serves the sealed token of the user's `tokens` row while the machine's `snapshot` says it
   * is usable, or joins / starts the one refresh of the user.
   */
  #serve(userId: number, snapshot: LinkSnapshot, link: TokenRow | null, options: { forceRefresh?: boolean }): Promise<string> {
    const state = linkStateName(snapshot);
    if (!link || state === 'revoked' || state === 'unlinked') {
      return Promise.reject(new NotLinkedError(state, snapshot.context.revocationReason));
    }
    const now = this.deps.now();
    const fresh = link.accessExpiresAt - now > REFRESH_MARGIN_MS;
    if (state === 'linked' && fresh && !options.forceRefresh) {
      return this.deps.vault.open(link.keyId, link.accessToken, String(userId));
    }
    if (state.startsWith('awaitingCallback')) {
      // A re-link is under way: the old link is read-only until it is confirmed or abandoned.
      if (fresh) return this.deps.vault.open(link.keyId, link.accessToken, String(userId));
      return Promise.reject(new SpotifyTemporarilyUnavailableError('relinkInProgress', 60));
    }
    // Spotify said when to come back: until then nobody asks again (a 429 storm would only grow).
    const failure = snapshot.context.lastRefreshFailure;
    if (state === 'linked' && failure?.reason === 'rateLimited' && failure.retryAfterSec !== null) {
      const waitMs = failure.at + failure.retryAfterSec * 1000 - now;
      if (waitMs > 0) return Promise.reject(new SpotifyTemporarilyUnavailableError('rateLimited', Math.ceil(waitMs / 1000)));
    }
    return this.#shared(userId, link.accessToken);
  }

  /** True while this process refreshes `userId`'s token. */
  isRefreshing(userId: number): boolean {
    return this.#inFlight.has(userId);
  }

  /** Resolves once no refresh of `userId` runs in this process (whatever its outcome). */
  settled(userId: number): Promise<void> {
    const running = this.#inFlight.get(userId);
    return running ? running.then(noop, noop) : Promise.resolve();
  }

  /**
   * Finishes a refresh that a crash left open (state `refreshing` with no refresh running in
   * this process): closes it as `RefreshFailed { reason: 'interrupted' }` and refreshes again.
   * Resolves with the new token, or `null` when the user is not stuck in `refreshing` (any more).
   */
  recover(userId: number): Promise<string | null> {
    const shared = this.#inFlight.get(userId);
    if (shared) return shared;
    return this.deps.repo.load(userId).then(({ snapshot }) => (snapshot.matches('refreshing') ? this.#shared(userId) : null));
  }

  /** `seen`: the sealed access token the caller found too old (or refused by Spotify), if any. */
  #shared(userId: number, seen?: string): Promise<string> {
    const existing = this.#inFlight.get(userId);
    if (existing) return existing;
    const lock = this.deps.refreshLock;
    const run = lock ? lock.run(userId, () => this.#refreshUnlessDone(userId, seen)) : this.#refresh(userId);
    const refresh = run.finally(() => this.#inFlight.delete(userId));
    this.#inFlight.set(userId, refresh);
    return refresh;
  }

  /**
   * Under the user's lock (other processes): another process may have refreshed while this one
   * waited, so the tokens are read again; a new, valid token is served as it is. A state still
   * `refreshing` here was left by a process that died (a live one holds the lock while it
   * refreshes), so {@link #refresh} recovers it.
   */
  async #refreshUnlessDone(userId: number, seen: string | undefined): Promise<string> {
    const { repo, vault, now } = this.deps;
    repo.forget(userId);
    const [{ snapshot }, row] = await Promise.all([repo.load(userId), repo.tokens(userId)]);
    const renewed = row !== null && row.accessToken !== seen && row.accessExpiresAt - now() > REFRESH_MARGIN_MS;
    if (renewed && snapshot.matches('linked')) return vault.open(row.keyId, row.accessToken, String(userId));
    return this.#refresh(userId);
  }

  async #refresh(userId: number): Promise<string> {
    const { repo, vault, now } = this.deps;
    const refreshId = randomUUID();
    const started = await repo.execute(userId, async (snapshot) => {
      const link = snapshot.context.link;
      // Past its 180-day life the refresh token cannot work: do not even ask Spotify.
      if (link && (snapshot.matches('linked') || snapshot.matches('refreshing')) && now() >= link.refreshExpiresAt) {
        return { command: { type: 'revokeAccess', now: now(), reason: 'refreshTokenExpired' } };
      }
      return { command: { type: 'startRefresh', now: now(), refreshId, recover: snapshot.matches('refreshing') } };
    });
    const refused = started?.decision.error;
    if (!started || refused) throw this.#notUsable(started?.before, refused?.code);
    if (started.decision.events.some((e) => e.type === 'AccessRevoked')) {
      await this.#revoked(userId, 'refreshTokenExpired', false);
      throw new NotLinkedError('revoked', 'refreshTokenExpired');
    }
    // The decision's own snapshot holds the link it just marked refreshing: no table read here.
    const link = started.after.context.link!;
    const aad = String(userId);
    const refreshToken = await vault.open(link.keyId, link.refreshToken, aad).catch(async (err: unknown) => {
      // Shredded: the link ended between RefreshStarted and here. Anything else (a wrong master
      // key, a corrupt value) must not leave the user in `refreshing`: close the refresh first.
      if (err instanceof DataKeyShreddedError) throw await this.#endedMeanwhile(userId);
      await repo.execute(userId, async (snapshot) =>
        snapshot.context.refreshId === refreshId ? { command: { type: 'failRefresh', now: now(), refreshId, reason: 'unavailable', retryAfterSec: 60 } } : null,
      );
      throw err;
    });
    const outcome = await this.#callSpotify(refreshToken);

    if (outcome.kind === 'revoked') {
      if (await this.#revoked(userId, 'invalidGrant', true)) throw new NotLinkedError('revoked', 'invalidGrant');
      throw await this.#endedMeanwhile(userId);
    }
    if (outcome.kind === 'failed') {
      const failed = await repo.execute(userId, async (snapshot) =>
        snapshot.context.refreshId === refreshId
          ? { command: { type: 'failRefresh', now: now(), refreshId, reason: outcome.reason, retryAfterSec: outcome.retryAfterSec } }
          : null,
      );
      // Unlinked (or revoked) while Spotify was failing: that, not the outage, is the answer.
      if (!failed) throw await this.#endedMeanwhile(userId);
      this.deps.onRefresh?.('failed', outcome.reason);
      throw new SpotifyTemporarilyUnavailableError(outcome.reason, outcome.retryAfterSec);
    }
    const { grant } = outcome;
    const done = await repo.execute(userId, async (snapshot) => {
      // Unlinked (or otherwise moved on) meanwhile: the new tokens are dropped unsealed.
      if (snapshot.context.refreshId !== refreshId) return null;
      return {
        command: {
          type: 'completeRefresh',
          now: now(),
          refreshId,
          accessToken: asSealed(await vault.seal(link.keyId, grant.accessToken, aad)),
          ...(grant.refreshToken ? { refreshToken: asSealed(await vault.seal(link.keyId, grant.refreshToken, aad)) } : {}),
          accessExpiresAt: grant.expiresAt,
          ...(grant.scopes ? { scopes: grant.scopes } : {}),
        },
      };
    });
    if (!done || done.decision.error) throw await this.#endedMeanwhile(userId);
    this.deps.onRefresh?.('refreshed');
    return grant.accessToken;
  }

  /** Calls the token endpoint with retries; never throws for Spotify's answers. */
  async #callSpotify(refreshToken: string): Promise<Attempted> {
    const { attempts, baseDelayMs, maxDelayMs } = this.#retry;
    let last: Attempted = { kind: 'failed', reason: 'unavailable', retryAfterSec: 30 };
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return { kind: 'ok', grant: await this.deps.accounts.refresh(refreshToken) };
      } catch (err) {
        if (err instanceof InvalidGrantError) return { kind: 'revoked' };
        let waitMs: number;
        if (err instanceof RateLimitedError) {
          const retryAfterSec = err.retryAfterSec ?? 5;
          last = { kind: 'failed', reason: 'rateLimited', retryAfterSec };
          waitMs = retryAfterSec * 1000;
        } else if (err instanceof ExternalServiceError && err.retryable) {
          last = { kind: 'failed', reason: err.failure === 'timeout' ? 'timeout' : 'unavailable', retryAfterSec: 30 };
          waitMs = baseDelayMs * 2 ** attempt;
        } else {
          this.deps.logger.error({ err }, 'token refresh failed and is not retryable');
          return { kind: 'failed', reason: 'unavailable', retryAfterSec: 60 };
        }
        this.deps.logger.warn({ err, attempt: attempt + 1 }, 'token refresh failed');
        if (attempt === attempts - 1 || waitMs > maxDelayMs) return last;
        await this.#sleep(waitMs);
      }
    }
    return last;
  }

  /** Records the revocation (unless already ended) and tells the user; false when nothing was recorded. */
  async #revoked(userId: number, reason: 'invalidGrant' | 'refreshTokenExpired', append: boolean): Promise<boolean> {
    const { repo, now, notifier, logger } = this.deps;
    if (append) {
      const result = await repo.execute(userId, async (snapshot) =>
        snapshot.matches('refreshing') || snapshot.matches('linked') ? { command: { type: 'revokeAccess', now: now(), reason } } : null,
      );
      if (!result || result.decision.events.length === 0) return false; // already ended: nobody to tell
    }
    this.deps.onRefresh?.('revoked', reason);
    try {
      await notifier.notify(userId, { kind: 'revoked', reason });
    } catch (err) {
      logger.warn({ err, userId }, 'could not tell the user about the revoked link');
    }
    return true;
  }

  /** The error for a refresh whose link ended while Spotify was being asked (an unlink, mostly). */
  async #endedMeanwhile(userId: number): Promise<Error> {
    const { snapshot } = await this.deps.repo.load(userId);
    return this.#notUsable(snapshot, undefined);
  }

  #notUsable(snapshot: LinkSnapshot | undefined, code: string | undefined): Error {
    if (code === 'RELINK_IN_PROGRESS') return new SpotifyTemporarilyUnavailableError('relinkInProgress', 60);
    const state = snapshot ? linkStateName(snapshot) : 'unlinked';
    return new NotLinkedError(state === 'refreshing' || state === 'linked' ? 'unlinked' : state, snapshot?.context.revocationReason ?? null);
  }
}
