/**
 * The bot's per-user queue: one user's updates are handled one after another in arrival
 * order (a {@link SerialQueue} lane per user), different users in parallel, each user's
 * backlog is bounded, and a waiting update holds none of the runner's concurrency slots.
 * That is what keeps one flooding account from stalling everyone else (issue 11: 530 `/help`
 * in a burst from one user made another user's `/help` wait 28 s, because each waiting
 * update of the flooder kept one of the runner's 500 slots).
 *
 * - A user with nothing running: the update is handled at once and `push` settles with it,
 *   so the runner (or the webhook answer) waits for exactly that one.
 * - A user with an update running: the new one waits in the user's lane and `push` resolves
 *   at once, so the runner's handler returns and its slot is free. Its failure goes to
 *   `bot.catch`'s handler, since nobody awaits it any more.
 * - A user with `backlog` updates running or waiting, or a bot with {@link MAX_PARKED_TOTAL}
 *   waiting over all users: the update is dropped. It was still received, so Telegram counts
 *   it as delivered and does not send it again. The user gets at most one "slow down" notice
 *   per minute, in their language, in the chat they flooded (their private chat for inline
 *   queries). Each notice is logged once, so the operator sees who floods without a log line
 *   per dropped update.
 */
import { BotError } from 'grammy';
import type { Logger } from '../log.ts';
import { SerialQueue } from '../perUser/serialQueue.ts';
import type { BotContext } from './context.ts';
import { loggableError } from './errorHandler.ts';
import { UserRateLimit } from './userRateLimit.ts';

/** How often a flooding user is told to slow down. */
export const SLOW_DOWN_NOTICE_MS = 60_000;

/** Updates waiting over all users, beyond which new ones are dropped. */
export const MAX_PARKED_TOTAL = 10_000;

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

/** The bot's per-user queue of update contexts. */
export interface UserBacklog {
  /**
   * Handles `ctx` now (the promise settles with it), parks it behind the user's running
   * update or drops it (the promise resolves at once). Without a key it is handled at once.
   */
  push(key: number | undefined, ctx: BotContext): Promise<void>;
  /**
   * True when an update of `userId` would be dropped with no notice due: the caller may
   * skip building its context (grammY's context and API client cost ten times the drop).
   * The drop is counted as if the update had reached the queue.
   */
  dropsQuietly(userId: number): boolean;
  /** Resolves once no update is running or parked. */
  idle(): Promise<void>;
}

/** The bot's per-user queue of update contexts. */
export function createUserBacklog(deps: UserBacklogDeps): UserBacklog {
  const { handle, logger } = deps;
  const notices = new UserRateLimit(1, SLOW_DOWN_NOTICE_MS, deps.now);
  const lanes = new SerialQueue<number>({ maxPending: deps.backlog, maxWaitingTotal: MAX_PARKED_TOTAL });
  let dropped = 0;

  function onDrop(userId: number, ctx: BotContext): void {
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
  }

  /** A parked update failed after the runner moved on: `bot.catch`'s handler hears of it. */
  function onDetachedError(err: unknown, ctx: BotContext): void {
    Promise.resolve()
      .then(() => deps.errorHandler(err instanceof BotError ? (err as BotError<BotContext>) : new BotError<BotContext>(err, ctx)))
      .catch((handlerErr: unknown) => {
        logger.error({ err: loggableError(handlerErr), updateId: ctx.update.update_id }, 'error handler failed');
      });
  }

  return {
    push(key, ctx) {
      if (key === undefined) return handle(ctx);
      const parks = lanes.size(key) > 0;
      const handling = lanes.tryRun(key, () => handle(ctx));
      if (handling === undefined) onDrop(key, ctx);
      else if (parks) handling.catch((err: unknown) => onDetachedError(err, ctx));
      else return handling;
      return Promise.resolve();
    },
    dropsQuietly(userId) {
      if (lanes.size(userId) < deps.backlog || notices.peek(userId) === 0) return false;
      dropped += 1;
      return true;
    },
    idle: () => lanes.whenIdle(),
  };
}
