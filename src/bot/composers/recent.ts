/**
 * `/recent` and its paging buttons (`rc:<page>:<owner>`).
 *
 * The whole history Spotify keeps for the bot (50 plays) is read once per command or press
 * and page N is cut from it; nothing is cached between presses. A page button names the user
 * whose history it shows: in a group, someone else pressing it is told the buttons are not
 * theirs instead of seeing (or paging) another person's history. The command and the presses
 * count against the user's Spotify reads per minute (shared with `/now`).
 */
import type { RecentlyPlayedPage } from '../../spotify/webApiClient.ts';
import type { BotContext } from '../context.ts';
import { isNotModified } from '../errorHandler.ts';
import { renderRecent } from '../recentView.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { replySpotifyProblem, spotifyProblem } from '../spotifyProblems.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import { spotifyReadAllowed } from './now.ts';

/**
 * The user's last 50 plays, or undefined once the user was told why not (Spotify is off,
 * too many reads this minute, a Spotify problem): in a reply to `/recent`, in the answer to
 * a press of a page button.
 */
async function history(ctx: BotContext, s: BotServices, reads: UserRateLimit | undefined, userId: number): Promise<RecentlyPlayedPage['items'] | undefined> {
  const pressed = ctx.callbackQuery !== undefined;
  if (!s.spotify || !s.links) {
    if (pressed) await ctx.answerCallbackQuery({ text: ctx.t('spotify-disabled') });
    else await ctx.reply(ctx.t('spotify-disabled'));
    return undefined;
  }
  if (!(await spotifyReadAllowed(ctx, reads, userId))) return undefined;
  try {
    return (await s.spotify.recentlyPlayed(userId, { limit: 50 })).items;
  } catch (err) {
    if (!pressed) {
      await replySpotifyProblem(ctx, err);
      return undefined;
    }
    const problem = spotifyProblem(err);
    if (!problem) throw err;
    await ctx.answerCallbackQuery({ text: ctx.t(problem.key, problem.args), show_alert: true });
    return undefined;
  }
}

/** `/recent` and the `rc:` buttons; `reads` limits the user's Spotify reads. */
export function recentFeature(s: BotServices, reads?: UserRateLimit): BotFeature {
  return {
    commands: {
      recent: async (ctx) => {
        const items = await history(ctx, s, reads, ctx.from.id);
        if (!items) return;
        const view = renderRecent(ctx.t, items, 0, ctx.from.id, s.now());
        if (!view) {
          await ctx.reply(ctx.t('recent-empty'));
          return;
        }
        await ctx.reply(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard, link_preview_options: { is_disabled: true } });
      },
    },
    callbacks: {
      recent: async (ctx, action) => {
        if (action.ownerId !== ctx.from.id) {
          await ctx.answerCallbackQuery({ text: ctx.t('button-not-yours') });
          return;
        }
        const items = await history(ctx, s, reads, ctx.from.id);
        if (!items) return;
        const view = renderRecent(ctx.t, items, action.page, ctx.from.id, s.now());
        await ctx.answerCallbackQuery();
        const edit = view
          ? ctx.editMessageText(view.text, { parse_mode: 'HTML', reply_markup: view.keyboard, link_preview_options: { is_disabled: true } })
          : ctx.editMessageText(ctx.t('recent-empty'));
        await edit.catch((err: unknown) => {
          if (!isNotModified(err)) throw err;
        });
      },
    },
  };
}
