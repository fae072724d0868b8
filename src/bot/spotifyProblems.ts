/**
 * Turns a failure of the link service or the Spotify client into what the user reads: a
 * localized message keyed by the error's class (never its `message`), and a "Connect" button
 * when connecting again is the cure. Unknown errors are not ours to explain: they are
 * rethrown to `bot.catch`.
 */
import { NotLinkedError, SpotifyTemporarilyUnavailableError } from '../link/errors.ts';
import {
  ExternalServiceError,
  InsufficientScopeError,
  NotRegisteredError,
  OwnerPremiumRequiredError,
  RateLimitedError,
  SpotifyUnauthorizedError,
} from '../spotify/errors.ts';
import type { BotContext } from './context.ts';
import { connectKeyboard } from './keyboards.ts';

/** The user-facing form of a Spotify problem. */
export interface SpotifyProblem {
  key: string;
  args?: Record<string, string | number>;
  /** Show the "Connect Spotify" button. */
  connect?: boolean;
}

/** Seconds to suggest when Spotify did not say how long to wait. */
const DEFAULT_WAIT_SEC = 30;

/** The message for `err`, or `null` when it is not a Spotify problem the bot can explain. */
export function spotifyProblem(err: unknown): SpotifyProblem | null {
  if (err instanceof NotLinkedError) {
    if (err.revocationReason === 'refreshTokenExpired') return { key: 'spotify-link-expired', connect: true };
    if (err.revocationReason === 'invalidGrant') return { key: 'spotify-link-revoked', connect: true };
    return { key: 'spotify-not-linked', connect: true };
  }
  if (err instanceof NotRegisteredError) return { key: 'spotify-not-registered' };
  // Only the operator can cure it (renew the app owner's Premium; SpotifyAppHealth tells them).
  if (err instanceof OwnerPremiumRequiredError) return { key: 'spotify-unavailable' };
  if (err instanceof InsufficientScopeError || err instanceof SpotifyUnauthorizedError) return { key: 'spotify-relink', connect: true };
  if (err instanceof RateLimitedError) {
    if (err.quotaExceeded) return { key: 'spotify-quota' };
    return { key: 'spotify-retry-later', args: { seconds: Math.max(1, Math.ceil(err.retryAfterSec ?? DEFAULT_WAIT_SEC)) } };
  }
  if (err instanceof SpotifyTemporarilyUnavailableError) {
    if (err.reason === 'relinkInProgress') return { key: 'spotify-relink-in-progress' };
    return { key: 'spotify-retry-later', args: { seconds: Math.max(1, Math.ceil(err.retryAfterSec)) } };
  }
  if (err instanceof ExternalServiceError) {
    return err.retryable ? { key: 'spotify-retry-later', args: { seconds: DEFAULT_WAIT_SEC } } : { key: 'spotify-broken' };
  }
  return null;
}

/** Replies with the explanation of `err`, or rethrows it when there is none. */
export async function replySpotifyProblem(ctx: BotContext, err: unknown): Promise<void> {
  const problem = spotifyProblem(err);
  if (!problem) throw err;
  await ctx.reply(ctx.t(problem.key, problem.args), problem.connect ? { reply_markup: connectKeyboard(ctx.t) } : {});
}
