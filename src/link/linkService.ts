/**
 * The link service: the only write path for Spotify links and the one object the bot, the
 * HTTP callback and the Web API client talk to. It offers the use cases of {@link LinkUseCases}
 * and nothing else; inside, the repository (load → decide → append), the login flow, the token
 * refresher and the sweeper do the work. It never touches Telegram or HTTP.
 *
 * @example
 * const links = new LinkService({ store, vault, accounts, profiles, notifier, logger });
 * links.start();                                             // sweeps now (crash recovery) and every 30 s
 * const { authorizeUrl } = await links.startLogin(userId);   // /login
 * const token = await links.accessToken(userId);             // /now
 * await links.unlink(userId);                                // /unlink
 */
import type { BatchOp, Envelope, EventLog, TokenVault } from '../../eventlog/index.ts';
import { isDomainError } from '../../machines/domainError.ts';
import type { LinkEvent } from '../../machines/spotifyLink.events.ts';
import type { Logger } from '../log.ts';
import { LoginRateLimitedError } from './errors.ts';
import { LinkRepository } from './linkRepository.ts';
import { LinkSweeper, type SweepReport } from './linkSweeper.ts';
import { openLinkTables } from './linkTables.ts';
import { LoginFlow } from './loginFlow.ts';
import { DEFAULT_LOGIN_RATE_LIMIT, LoginRateLimit, type LoginRateLimitOptions } from './loginRateLimit.ts';
import { openSummary } from './personalData.ts';
import type {
  CallbackInput,
  CallbackOutcome,
  ConfirmOutcome,
  LinkNotifier,
  LinkUseCases,
  SharedLog,
  SpotifyProfileReader,
  StartedLogin,
  TokenEndpoint,
} from './ports.ts';
import { summarizeLink, type LinkSummary } from './summary.ts';
import { TokenRefresher, type TokenRefresherDeps } from './tokenRefresher.ts';

/** Dependencies of {@link LinkService}. */
export interface LinkServiceDeps<Op = BatchOp> {
  /** The event log and the vault of one backend: the vault's key writes ride in the log's appends. */
  store: EventLog<LinkEvent, Op>;
  vault: TokenVault<Op>;
  accounts: TokenEndpoint;
  profiles: SpotifyProfileReader;
  notifier: LinkNotifier;
  logger: Logger;
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
  retry?: TokenRefresherDeps['retry'];
  sleep?: TokenRefresherDeps['sleep'];
  onRefresh?: TokenRefresherDeps['onRefresh'];
  /** Logins one user may start per window (default 5 per 10 minutes); `false` turns it off. */
  loginRateLimit?: LoginRateLimitOptions | false;
  /**
   * Set when other processes write the same log (PostgreSQL): their appends drop this
   * process's cached links as they are announced, and each token refresh runs under the
   * user's lock across processes.
   */
  shared?: SharedLog;
}

/** Per-user Spotify links: login, confirmation, tokens, unlink, and their clock. */
export class LinkService<Op = BatchOp> implements LinkUseCases {
  readonly #repo: LinkRepository<Op>;
  readonly #login: LoginFlow<Op>;
  readonly #tokens: TokenRefresher<Op>;
  readonly #sweeper: LinkSweeper<Op>;
  readonly #now: () => number;
  readonly #vault: TokenVault<Op>;
  readonly #loginLimit: LoginRateLimit | null;
  readonly #unfollow: () => void;

  constructor(deps: LinkServiceDeps<Op>) {
    const now = deps.now ?? Date.now;
    this.#now = now;
    this.#vault = deps.vault;
    this.#loginLimit = deps.loginRateLimit === false ? null : new LoginRateLimit(deps.loginRateLimit ?? DEFAULT_LOGIN_RATE_LIMIT, now);
    const logger = deps.logger.child({ module: 'link' });
    const tables = openLinkTables(deps.store);
    this.#repo = new LinkRepository<Op>(deps.store, tables, deps.vault);
    const common = { repo: this.#repo, vault: deps.vault, notifier: deps.notifier, now, logger };
    this.#login = new LoginFlow<Op>({ ...common, tables, accounts: deps.accounts, profiles: deps.profiles });
    this.#tokens = new TokenRefresher<Op>({
      ...common,
      accounts: deps.accounts,
      retry: deps.retry,
      sleep: deps.sleep,
      onRefresh: deps.onRefresh,
      ...(deps.shared && { refreshLock: deps.shared.refreshLock }),
    });
    this.#unfollow = deps.shared ? this.#repo.followOtherWriters() : () => {};
    this.#sweeper = new LinkSweeper<Op>({ ...common, tables, refresher: this.#tokens });
  }

  /**
   * What `/login` and `/start` show the user: their link state, without any secret, the
   * Spotify user id and display name opened (they are sealed in the log and tables).
   */
  async status(userId: number): Promise<LinkSummary> {
    return openSummary(this.#vault, userId, summarizeLink((await this.#repo.load(userId)).snapshot));
  }

  /**
   * `/login`: starts (or restarts) a login and returns the authorize URL. A token refresh in
   * flight for the user (a few hundred ms) is waited for rather than refused, and one left
   * open by a crash is recovered first, so `/login` never fails with `REFRESH_IN_FLIGHT`
   * for a user who merely used `/now` a moment ago.
   *
   * Throws {@link LoginRateLimitedError} (nothing started) past the user's login rate limit.
   */
  async startLogin(userId: number): Promise<StartedLogin> {
    const waitSec = this.#loginLimit?.take(userId) ?? 0;
    if (waitSec > 0) throw new LoginRateLimitedError(waitSec);
    for (let attempt = 0; ; attempt++) {
      await this.#tokens.settled(userId);
      try {
        return await this.#login.start(userId);
      } catch (err) {
        if (!isDomainError(err, 'REFRESH_IN_FLIGHT') || attempt >= 2) throw err;
        // Stuck in `refreshing` with nothing running here: a crash left it; close it first.
        if (!this.#tokens.isRefreshing(userId)) await this.#tokens.recover(userId).catch(() => undefined);
      }
    }
  }

  /** `GET /oauth/spotify/callback` (see {@link LoginFlow.handleCallback}). */
  handleCallback(input: CallbackInput, ctx: { readonly correlationId: string }): Promise<CallbackOutcome> {
    return this.#login.handleCallback(input, ctx);
  }

  /** `/start <completion id>` from `actingUserId`. */
  confirm(actingUserId: number, completionId: string): Promise<ConfirmOutcome> {
    return this.#login.confirm(actingUserId, completionId);
  }

  /**
   * `/unlink`: ends the link and any login in progress and shreds every data key of the
   * user in the same write. Returns false when there was nothing to unlink.
   */
  async unlink(userId: number): Promise<boolean> {
    const result = await this.#repo.execute(userId, async (snapshot) =>
      snapshot.matches('unlinked') || snapshot.matches('revoked') ? null : { command: { type: 'unlink', now: this.#now() } },
    );
    return Boolean(result && result.decision.events.length > 0);
  }

  /** A valid access token (see {@link TokenRefresher.accessToken}). */
  accessToken(userId: number, options?: { forceRefresh?: boolean }): Promise<string> {
    return this.#tokens.accessToken(userId, options);
  }

  /** Runs the clock-driven transitions once (start-up and tests). */
  sweep(): Promise<SweepReport> {
    return this.#sweeper.sweep();
  }

  /** Tells `listener` of the appends this process makes (metrics); returns the unsubscribe function. */
  onAppended(listener: (events: readonly Envelope<LinkEvent>[]) => void): () => void {
    return this.#repo.onAppended(listener);
  }

  /** Starts the periodic sweep (which also recovers refreshes interrupted by a crash). */
  start(intervalMs?: number): void {
    this.#sweeper.start(intervalMs);
  }

  /** Stops the sweep and waits for every queued command to be written. */
  async stop(): Promise<void> {
    await this.#sweeper.stop();
    await this.#repo.whenIdle();
    this.#unfollow();
  }
}
