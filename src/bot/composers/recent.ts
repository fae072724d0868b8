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
import { isNotModified } from '../errorHandler.ts';
import { renderRecent } from '../recentView.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { replySpotifyProblem, spotifyProblem } from '../spotifyProblems.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import { spotifyReadAllowed } from './now.ts';

async function history(s: BotServices, userId: number): Promise<RecentlyPlayedPage['items']> {
  return (await s.spotify!.recentlyPlayed(userId, { limit: 50 })).items;
}

/** `/recent` and the `rc:` buttons; `reads` limits the user's Spotify reads. */
export function recentFeature(s: BotServices, reads?: UserRateLimit): BotFeature {
  return {
    commands: {
      recent: async (ctx) => {
        if (!s.spotify || !s.links) {
          await ctx.reply(ctx.t('spotify-disabled'));
          return;
        }
        if (!(await spotifyReadAllowed(ctx, reads, ctx.from.id))) return;
        let items: RecentlyPlayedPage['items'];
        try {
          items = await history(s, ctx.from.id);
        } catch (err) {
          return replySpotifyProblem(ctx, err);
        }
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
        if (!s.spotify || !s.links) {
          await ctx.answerCallbackQuery({ text: ctx.t('spotify-disabled') });
          return;
        }
        if (!(await spotifyReadAllowed(ctx, reads, ctx.from.id))) return;
        let items: RecentlyPlayedPage['items'];
        try {
          items = await history(s, ctx.from.id);
        } catch (err) {
          const problem = spotifyProblem(err);
          if (!problem) throw err;
          await ctx.answerCallbackQuery({ text: ctx.t(problem.key, problem.args), show_alert: true });
          return;
        }
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
