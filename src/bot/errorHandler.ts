/**
 * The edge of the bot (`bot.catch`): one bad update is logged and, where Telegram lets us,
 * answered with a generic "something went wrong" in the user's language; it never stops the
 * bot. {@link loggableError} is how every file of the bot puts an error into a log line.
 */
import { BotError, GrammyError, HttpError } from 'grammy';
import { pickLocale } from '../i18n/locale.ts';
import { t } from '../i18n/translate.ts';
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';

/**
 * What may be logged of an error. A `GrammyError` carries the call's whole `payload` (texts,
 * buttons with the authorize URL): only the method, code and description are kept. Other
 * errors go to the logger as they are, which redacts secrets on its own.
 */
export function loggableError(err: unknown): unknown {
  if (err instanceof BotError) return loggableError(err.error);
  if (err instanceof GrammyError) {
    return { type: 'GrammyError', method: err.method, error_code: err.error_code, description: err.description };
  }
  if (err instanceof HttpError) {
    const inner = err.error instanceof Error ? `${err.error.name}: ${err.error.message}` : String(err.error);
    return { type: 'HttpError', message: err.message, cause: inner };
  }
  return err;
}

/** True for Telegram's "message is not modified" answer to an edit that changes nothing. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
}

/** The `bot.catch` handler: logs `{ err }` and tells the user, best effort. */
export function createErrorHandler(logger: Logger): (err: BotError<BotContext>) => Promise<void> {
  return async (err) => {
    const ctx = err.ctx;
    logger.error(
      { err: loggableError(err.error), updateId: ctx.update.update_id, userId: ctx.from?.id },
      'update failed',
    );
    const translate = typeof ctx.t === 'function' ? ctx.t : (key: string) => t(pickLocale(ctx.from?.language_code), key);
    const text = translate('error-generic');
    try {
      if (ctx.inlineQuery) {
        await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
      } else if (ctx.callbackQuery) {
        // The query may have been answered already; then say it in the chat instead.
        const answered = await ctx.answerCallbackQuery({ text }).then(() => true, () => false);
        if (!answered && ctx.chat) await ctx.api.sendMessage(ctx.chat.id, text);
      } else if (ctx.chat && (ctx.chat.type === 'private' || ctx.message?.text?.startsWith('/'))) {
        await ctx.api.sendMessage(ctx.chat.id, text);
      }
    } catch (answerErr) {
      logger.warn({ err: loggableError(answerErr), updateId: ctx.update.update_id }, 'could not tell the user about a failed update');
    }
  };
}
