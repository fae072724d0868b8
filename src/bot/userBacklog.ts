/**
 * The bot's per-user queue (`perUserQueue.ts`) with what a flooding user is told: updates
 * beyond the user's backlog bound are dropped (Telegram already counts them as delivered),
 * and the user gets at most one "slow down" notice per minute, in their language, in the
 * chat they flooded (their private chat for inline queries). Each notice is logged once, so
 * the operator sees who floods without a log line per dropped update.
 */
import { BotError } from 'grammy';
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';
import { loggableError } from './errorHandler.ts';
import { createPerUserQueue, type PerUserQueue } from './perUserQueue.ts';
import { UserRateLimit } from './userRateLimit.ts';

/** How often a flooding user is told to slow down. */
export const SLOW_DOWN_NOTICE_MS = 60_000;

/** What {@link createUserBacklog} needs. */
export interface UserBacklogDeps {
  /** Handles one update (the router and what follows it). */
  readonly handle: (ctx: BotContext) => Promise<void>;
  /** Updates per user, running or waiting. */
  readonly backlog: number;
  /** `bot.catch`'s handler, for parked updates that fail after the runner moved on. */
  readonly errorHandler: (err: BotError<BotContext>) => unknown;
  readonly logger: Logger;
  /** Epoch ms (tests move it). */
  readonly now: () => number;
}

/** The bot's per-user queue of update contexts, with a fast path for updates it will drop anyway. */
export interface UserBacklog extends PerUserQueue<BotContext> {
  /**
   * True when an update of `userId` would be dropped with no notice due: the caller may
   * skip building its context (grammY's context and API client cost ten times the drop).
   * The drop is counted as if the update had reached the queue.
   */
  dropsQuietly(userId: number): boolean;
}

/** The bot's per-user queue of update contexts. */
export function createUserBacklog(deps: UserBacklogDeps): UserBacklog {
  const { logger } = deps;
  const notices = new UserRateLimit(1, SLOW_DOWN_NOTICE_MS, deps.now);
  let dropped = 0;
  const queue = createPerUserQueue<BotContext>({
    handle: deps.handle,
    maxPending: deps.backlog,
    onDrop(userId, ctx) {
      dropped += 1;
      if (notices.take(userId) > 0) return;
      logger.warn({ userId, droppedSoFar: dropped }, 'a user sends faster than the bot answers: dropping their updates');
      const chatId = ctx.chat?.id ?? ctx.from?.id;
      if (chatId === undefined) return;
      // Not awaited: the runner's slot is not held for the notice either. A user who never
      // opened the private chat (inline query) cannot be written to: Telegram answers 403.
      ctx.api.sendMessage(chatId, ctx.t('notice-slow-down')).catch((err: unknown) => {
        logger.debug({ err: loggableError(err), userId }, 'could not send the slow-down notice');
      });
    },
    onDetachedError(err, ctx) {
      Promise.resolve()
        .then(() => deps.errorHandler(err instanceof BotError ? (err as BotError<BotContext>) : new BotError<BotContext>(err, ctx)))
        .catch((handlerErr: unknown) => {
          logger.error({ err: loggableError(handlerErr), updateId: ctx.update.update_id }, 'error handler failed');
        });
    },
  });
  return Object.assign(queue, {
    dropsQuietly(userId: number): boolean {
      if (queue.size(userId) < deps.backlog || notices.peek(userId) === 0) return false;
      dropped += 1;
      return true;
    },
  });
}
