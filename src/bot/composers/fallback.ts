/**
 * The last middleware: what nobody else handled.
 * - a button press (ours with stale or forged data, or an old button of the music pipeline)
 *   → a polite "this button is out of date" answer, so the client's spinner stops;
 * - a text in the private chat (a command we do not know, or a message without a music link)
 *   → a short hint pointing to `/help`;
 * - everything in groups stays unanswered: the bot does not chatter there.
 */
import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context.ts';

/** The fallback; install after every other middleware. */
export const fallback: MiddlewareFn<BotContext> = async (ctx) => {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    return;
  }
  const text = ctx.message?.text;
  if (text !== undefined && ctx.chat?.type === 'private') {
    await ctx.reply(ctx.t(text.startsWith('/') ? 'fallback-unknown-command' : 'fallback-hint'));
  }
};
