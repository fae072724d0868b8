/**
 * Counts the Telegram updates the bot handles and keeps the ones in flight, so that shutdown
 * can wait for them: with `@grammyjs/runner` the bot's `stop()` stops fetching, but updates
 * already handed to the concurrent sink keep running on their own.
 *
 * It wraps `bot.handleUpdate`, the one entry both the runner (polling) and the webhook route
 * call. (A hook in `createBot` would be cleaner; until it exists this keeps src/bot untouched.)
 *
 * @example
 * const tracker = trackUpdates(app.bot.bot, (type, outcome) => metrics.updates.inc({ type, outcome }));
 * await app.bot.stop();
 * await tracker.idle();
 */
import type { Update } from 'grammy/types';

/** The update kinds the bot asks for; anything else is counted as `other`. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(['message', 'edited_message', 'callback_query', 'inline_query', 'chosen_inline_result', 'my_chat_member']);

/** The part of a grammY `Bot` the tracker wraps. */
export interface UpdateHandler {
  handleUpdate(update: Update, ...rest: any[]): Promise<void>;
}

/** What {@link trackUpdates} returns. */
export interface UpdateTracker {
  /** Updates being handled right now. */
  inFlight(): number;
  /** Resolves when no update is being handled (also those that start while waiting). */
  idle(): Promise<void>;
}

/** The update's kind: its one field besides `update_id`. */
export function updateType(update: Update): string {
  for (const key of Object.keys(update)) {
    if (key !== 'update_id') return KNOWN_TYPES.has(key) ? key : 'other';
  }
  return 'other';
}

/** Wraps `bot.handleUpdate`; `onHandled` is called once per update when it settles. */
export function trackUpdates(bot: UpdateHandler, onHandled?: (type: string, outcome: 'ok' | 'error') => void): UpdateTracker {
  const running = new Set<Promise<unknown>>();
  const original = bot.handleUpdate.bind(bot);
  bot.handleUpdate = (update: Update, ...rest: any[]) => {
    const type = updateType(update);
    const handling = original(update, ...rest);
    const report = (outcome: 'ok' | 'error') => {
      try {
        onHandled?.(type, outcome);
      } catch {
        // A broken metrics hook must not turn into an unhandled rejection.
      }
    };
    const settled = handling.then(
      () => report('ok'),
      () => report('error'),
    );
    running.add(settled);
    void settled.finally(() => running.delete(settled));
    return handling;
  };
  return {
    inFlight: () => running.size,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
