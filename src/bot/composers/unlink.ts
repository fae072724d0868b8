/**
 * `/unlink` and its `ul:` buttons: asks for confirmation; on "yes" the link service ends the
 * link and shreds its data keys (the tokens become unreadable everywhere, the event log
 * included), and the message says where to remove the app's access on Spotify's side – there
 * is no revocation API. Private chat only, like `/login`: in a private chat whoever presses a
 * button is the user the link belongs to.
 */
import { InlineKeyboard } from 'grammy';
import { encodeCallbackData } from '../callbackData.ts';
import type { BotContext } from '../context.ts';
import { isNotModified } from '../errorHandler.ts';
import { deepLink } from '../keyboards.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';

function confirmKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('unlink-yes-button'), encodeCallbackData({ kind: 'unlink', step: 'yes' }))
    .text(ctx.t('unlink-no-button'), encodeCallbackData({ kind: 'unlink', step: 'no' }));
}

/** Whether the link service has anything to end for this user (a link or a login under way). */
async function somethingToUnlink(s: BotServices, userId: number): Promise<boolean> {
  const status = await s.links!.status(userId);
  return status.state !== 'unlinked' && status.state !== 'revoked';
}

/** `/unlink` (and `/start unlink`): the question with Yes / Cancel buttons. */
export async function askUnlink(ctx: BotContext, s: BotServices): Promise<void> {
  if (!s.links) {
    await ctx.reply(ctx.t('login-disabled'));
    return;
  }
  if (!ctx.from) return;
  if (ctx.chat?.type !== 'private') {
    const keyboard = new InlineKeyboard().url(ctx.t('login-open-private-button'), deepLink(ctx.me.username, 'unlink'));
    await ctx.reply(ctx.t('unlink-private-only'), { reply_markup: keyboard });
    return;
  }
  if (!(await somethingToUnlink(s, ctx.from.id))) {
    await ctx.reply(ctx.t('unlink-nothing'));
    return;
  }
  await ctx.reply(ctx.t('unlink-confirm'), { reply_markup: confirmKeyboard(ctx) });
}

/** Edits the question message; an edit that changes nothing (a double press) is fine. */
async function edit(ctx: BotContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  await ctx
    .editMessageText(text, { link_preview_options: { is_disabled: true }, ...(keyboard && { reply_markup: keyboard }) })
    .catch((err: unknown) => {
      if (!isNotModified(err)) throw err;
    });
}

/** `/unlink` and the `ul:` buttons. */
export function unlinkFeature(s: BotServices): BotFeature {
  return {
    commands: { unlink: (ctx) => askUnlink(ctx, s) },
    callbacks: {
      unlink: async (ctx, action) => {
        if (ctx.chat?.type !== 'private' || !s.links) {
          await ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
          return;
        }
        await ctx.answerCallbackQuery();
        switch (action.step) {
          case 'ask':
            return edit(ctx, ctx.t('unlink-confirm'), confirmKeyboard(ctx));
          case 'no':
            return edit(ctx, ctx.t('unlink-cancelled'));
          case 'yes': {
            const ended = await s.links.unlink(ctx.from.id);
            if (ended) s.logger.info({ userId: ctx.from.id }, 'Spotify unlinked');
            return edit(ctx, ctx.t(ended ? 'unlink-done' : 'unlink-nothing'));
          }
        }
      },
    },
  };
}
