/**
 * What the operator must know about the Spotify app itself (not one user's link): today, whether
 * Spotify refuses the whole app because its owner's Premium lapsed. The {@link WebApiClient}
 * reports every call's outcome here; the operator reads one log warning when the refusal starts,
 * one info line when it ends, and a `/readyz` detail while it lasts.
 *
 * @example
 * const health = new SpotifyAppHealth({ logger });
 * const api = new WebApiClient({ apiUrl, getAccessToken, appStatus: (s) => health.report(s) });
 * createHealthRoutes({ readiness, details: () => health.details() });
 */
import type { Logger } from 'pino';

/** What a Web API call says about the app: it works, or the owner's Premium lapsed. */
export type SpotifyAppState = 'ok' | 'owner-premium-required';

/** Tells `observer` (if any) what a Spotify answer says about the app; a broken observer must not break a Spotify call. */
export function tellAppStatus(observer: ((state: SpotifyAppState) => void) | undefined, state: SpotifyAppState): void {
  try {
    observer?.(state);
  } catch {
    // The call's own outcome matters more than the report.
  }
}

/** The `/readyz` detail while Spotify refuses the app (no secret, no id: safe to expose to probes). */
export const OWNER_PREMIUM_DETAIL =
  "Spotify refuses the app: the account that owns it has no active Premium subscription; renew Premium on the app owner's account (Spotify may take a few hours to allow requests again)";

/** Options of {@link SpotifyAppHealth}. */
export interface SpotifyAppHealthOptions {
  readonly logger?: Logger;
  /** Clock in ms (default `Date.now`). */
  readonly now?: () => number;
}

/** Tracks the app-wide Spotify state from the outcomes the Web API client reports. */
export class SpotifyAppHealth {
  readonly #logger: Logger | undefined;
  readonly #now: () => number;
  #refusedSince: number | undefined;

  constructor(options: SpotifyAppHealthOptions = {}) {
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records one call's outcome. Logs only on a change, so a bot answering many links while
   * the subscription is lapsed writes one warning, not one per request.
   */
  report(state: SpotifyAppState): void {
    if (state === 'owner-premium-required') {
      if (this.#refusedSince !== undefined) return;
      this.#refusedSince = this.#now();
      this.#logger?.warn(
        { spotify: 'owner-premium-required' },
        "Spotify refuses every Web API call (403 \"Active premium subscription required for the owner of the app\"): renew Spotify Premium on the account that owns the app in the Spotify developer dashboard. Until then /now and /recent answer \"Spotify is not available\" and Spotify links use the public track page.",
      );
      return;
    }
    if (this.#refusedSince === undefined) return;
    this.#refusedSince = undefined;
    this.#logger?.info({ spotify: 'ok' }, 'Spotify accepts the app again (the owner’s Premium is active)');
  }

  /** True while the last word from Spotify was the Premium refusal. */
  get ownerPremiumRequired(): boolean {
    return this.#refusedSince !== undefined;
  }

  /** Details for `/readyz`: empty while the app works. They describe, they do not make it unready. */
  details(): Record<string, string> {
    return this.#refusedSince === undefined ? {} : { spotify: OWNER_PREMIUM_DETAIL };
  }
}
