/**
 * Counts the Telegram updates the bot handles and keeps the ones in flight, so that shutdown
 * can wait for them: with `@grammyjs/runner` the bot's `stop()` stops fetching, but updates
 * already handed to the concurrent sink keep running on their own.
 *
 * It listens at the bot's one door to grammY (`BotApp.onUpdate`: `createBot`'s `handleUpdate`,
 * which both the runner (polling) and the webhook route call), so nothing is wrapped or
 * replaced. Updates the bot drops before grammY (a flooding user's, see `userBacklog.ts`)
 * are not counted.
 *
 * @example
 * const tracker = trackUpdates(app.bot, (type, outcome) => metrics.updates.inc({ type, outcome }));
 * await app.bot.stop();
 * await tracker.idle();
 */
import type { Update } from 'grammy/types';
import type { UpdateListener } from '../bot/createBot.ts';

/** The update kinds the bot asks for; anything else is counted as `other`. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(['message', 'edited_message', 'callback_query', 'inline_query', 'chosen_inline_result', 'my_chat_member']);

/** The part of a `BotApp` the tracker listens to. */
export interface UpdateSource {
  onUpdate(listener: UpdateListener): void;
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

/** Listens to `source`'s updates; `onHandled` is called once per update when it settles. */
export function trackUpdates(source: UpdateSource, onHandled?: (type: string, outcome: 'ok' | 'error') => void): UpdateTracker {
  const running = new Set<Promise<unknown>>();
  source.onUpdate((update, handling) => {
    const type = updateType(update);
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
  });
  return {
    inFlight: () => running.size,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
