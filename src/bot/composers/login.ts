/**
 * `/login`, the login buttons (`lg:go`, `lg:new`) and the last step of the login flow
 * (`/start <completion id>`, called from the start composer).
 *
 * `/login` works in the private chat only (in a group it answers with a button that opens the
 * private chat): the authorize URL carries the login's `state`, so it is shown to its owner
 * alone, and only in a URL button – never in message text or a log line. The screen shows the
 * link status and either `Connect Spotify` (a fresh login is started for it) or, when linked,
 * `Reconnect` and `Unlink`. Past the link service's login limit (5 per 10 minutes) the user
 * is told how long to wait instead of getting a new button.
 */
import { InlineKeyboard } from 'grammy';
import type { LinkSummary } from '../../link/summary.ts';
import { LoginRateLimitedError } from '../../link/errors.ts';
import { encodeCallbackData } from '../callbackData.ts';
import type { BotContext } from '../context.ts';
import { isNotModified } from '../errorHandler.ts';
import { deepLink, openPrivateKeyboard } from '../keyboards.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { replySpotifyProblem } from '../spotifyProblems.ts';

/** True when the summary has a link the user can use or unlink (a re-link may be under way). */
export function hasLink(status: LinkSummary): boolean {
  return status.link !== null && status.state !== 'revoked' && status.state !== 'unlinked';
}

/** The status line of a user without a working link. */
function unlinkedStatus(ctx: BotContext, status: LinkSummary): string {
  if (status.state === 'revoked') {
    return ctx.t(status.revocationReason === 'refreshTokenExpired' ? 'login-status-revoked-expired' : 'login-status-revoked');
  }
  if (status.state.startsWith('awaitingCallback')) return ctx.t('login-status-unfinished');
  return ctx.t('login-status-unlinked');
}

/** What a linked user reads: who, since when, until when, and whether a re-link waits. */
function linkedStatus(ctx: BotContext, status: LinkSummary): string {
  const link = status.link!;
  const lines = [
    ctx.t('login-status-linked', { name: link.displayName ?? link.spotifyUserId, date: new Date(link.linkedAt) }),
    ctx.t('login-status-valid-until', { date: new Date(link.refreshExpiresAt) }),
  ];
  if (status.attempt) lines.push(ctx.t('login-status-relink-waiting'));
  return lines.join('\n');
}

/**
 * Starts a login, or answers why not: past the link service's `/login` limit the user reads
 * how long to wait (the rule itself lives in the link service). Other errors are rethrown.
 */
async function startLoginOrExplain(ctx: BotContext, s: BotServices, userId: number): Promise<string | null> {
  try {
    return (await s.links!.startLogin(userId)).authorizeUrl;
  } catch (err) {
    if (!(err instanceof LoginRateLimitedError)) throw err;
    await ctx.reply(ctx.t('login-rate-limited', { minutes: Math.max(1, Math.ceil(err.retryAfterSec / 60)) }));
    return null;
  }
}

function connectButton(ctx: BotContext, authorizeUrl: string): InlineKeyboard {
  return new InlineKeyboard().url(ctx.t('login-connect-button'), authorizeUrl);
}

/** `/login` (also `/start login` and the "Connect" buttons in a private chat). */
export async function showLogin(ctx: BotContext, s: BotServices): Promise<void> {
  const { links } = s;
  if (!links) {
    await ctx.reply(ctx.t('login-disabled'));
    return;
  }
  if (!ctx.from) return;
  if (ctx.chat?.type !== 'private') {
    await ctx.reply(ctx.t('login-private-only'), { reply_markup: openPrivateKeyboard(ctx.t, ctx.me.username) });
    return;
  }
  const status = await links.status(ctx.from.id);
  if (hasLink(status)) {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('login-reconnect-button'), encodeCallbackData({ kind: 'login', step: 'new' }))
      .text(ctx.t('login-unlink-button'), encodeCallbackData({ kind: 'unlink', step: 'ask' }));
    await ctx.reply(linkedStatus(ctx, status), { reply_markup: keyboard });
    return;
  }
  const authorizeUrl = await startLoginOrExplain(ctx, s, ctx.from.id);
  if (authorizeUrl === null) return;
  await ctx.reply(`${unlinkedStatus(ctx, status)}\n\n${ctx.t('login-connect-hint')}`, {
    reply_markup: connectButton(ctx, authorizeUrl),
  });
}

/** `/start <completion id>` in the private chat: finishes the login of this user only. */
export async function confirmLogin(ctx: BotContext, s: BotServices, completionId: string): Promise<void> {
  if (!s.links || !ctx.from) {
    await ctx.reply(ctx.t('login-disabled'));
    return;
  }
  const outcome = await s.links.confirm(ctx.from.id, completionId);
  switch (outcome.kind) {
    case 'linked':
      s.logger.info({ userId: ctx.from.id }, 'Spotify linked');
      await ctx.reply(ctx.t('login-linked', { name: outcome.displayName ?? outcome.spotifyUserId }));
      return;
    case 'foreign':
      // The link service has told the owner; this is the other side of "both are told".
      s.logger.warn({ userId: ctx.from.id }, 'a completion link was opened by another Telegram user; nothing linked');
      await ctx.reply(ctx.t('login-foreign'));
      return;
    case 'expired':
      await ctx.reply(ctx.t('login-expired'));
      return;
    case 'unknown':
      await ctx.reply(ctx.t('login-unknown'));
      return;
  }
}

/** `/login` and the `lg:` buttons. */
export function loginFeature(s: BotServices): BotFeature {
  return {
    commands: { login: (ctx) => showLogin(ctx, s) },
    callbacks: {
      login: async (ctx, action) => {
        if (ctx.chat?.type !== 'private') {
          // From a group: open the private chat, where /login runs.
          await ctx.answerCallbackQuery({ url: deepLink(ctx.me.username, 'login') });
          return;
        }
        await ctx.answerCallbackQuery();
        if (action.step === 'go' || !s.links) return showLogin(ctx, s);
        // Reconnect: a fresh login in place of the status message.
        let authorizeUrl: string | null;
        try {
          authorizeUrl = await startLoginOrExplain(ctx, s, ctx.from.id);
        } catch (err) {
          return replySpotifyProblem(ctx, err);
        }
        if (authorizeUrl === null) return;
        await ctx
          .editMessageText(ctx.t('login-reconnect-hint'), { reply_markup: connectButton(ctx, authorizeUrl) })
          .catch((err: unknown) => {
            if (!isNotModified(err)) throw err;
          });
      },
    },
  };
}
