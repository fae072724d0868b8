/**
 * `ALLOWED_TELEGRAM_USER_IDS`: when the operator set it, only those users get past this
 * check. A stranger gets **one** polite refusal (per process run) naming their id, so
 * they can ask the operator; after that the bot stays silent to them, apart from the answers
 * Telegram requires (a pressed button and an inline query are always answered, empty).
 *
 * Without an allowlist everyone passes.
 */
import type { Logger } from '../log.ts';
import type { BotContext } from './context.ts';

/** How many refused users are remembered, so a flood of strangers cannot grow memory. */
const MAX_REMEMBERED = 10_000;

/**
 * The allowlist check: `true` lets the update through; otherwise a promise that answers the
 * stranger (once) and resolves when done. Synchronous on the way through, so an allowed
 * update costs one set lookup. Always `true` when `allowed` is undefined.
 */
export function createAllowlist(allowed: readonly number[] | undefined, logger: Logger): (ctx: BotContext) => true | Promise<void> {
  if (allowed === undefined) return () => true;
  const ids = new Set(allowed);
  const refused = new Set<number>();
  return (ctx) => {
    const userId = ctx.from?.id;
    if (userId !== undefined && ids.has(userId)) return true;
    if (userId === undefined) return Promise.resolve(); // channel posts and the like: nobody to allow
    const first = !refused.has(userId);
    if (first) {
      if (refused.size >= MAX_REMEMBERED) refused.clear();
      refused.add(userId);
      logger.info({ userId }, 'refused a user not on ALLOWED_TELEGRAM_USER_IDS');
    }
    return refuse(ctx, userId, first);
  };
}

async function refuse(ctx: BotContext, userId: number, first: boolean): Promise<void> {
  const text = ctx.t('access-denied', { userId: String(userId) });
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery(first ? { text, show_alert: true } : undefined);
  } else if (ctx.inlineQuery) {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
  } else if (first && ctx.chat && (ctx.chat.type === 'private' || ctx.message?.text?.startsWith('/'))) {
    await ctx.reply(text);
  }
}
