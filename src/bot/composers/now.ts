/**
 * `/now`: what plays on the user's Spotify.
 *
 * - a track or an episode → the cover as a photo with the card as caption (a plain message
 *   when there is no cover or Telegram cannot fetch it), with `⬇️ Download` (tracks) and
 *   `Open in Spotify`;
 * - nothing (204, or a 200 without an item) → says so and shows the last played track;
 * - an ad or an unknown item → says so;
 * - no link, Spotify's "not registered" 403, rate limits and outages → the explanations of
 *   `spotifyProblems.ts` (a Connect button, what the operator must do, "try again in N s");
 * - more than the user's Spotify reads per minute → "try again in N s", without asking Spotify.
 */
import { GrammyError, type InlineKeyboard } from 'grammy';
import type { NowPlaying } from '../../spotify/webApiClient.ts';
import type { BotContext } from '../context.ts';
import { loggableError } from '../errorHandler.ts';
import { escapeHtml, timeAgo, trackLine } from '../format.ts';
import { trackKeyboard } from '../keyboards.ts';
import { episodeCard, trackCard } from '../nowCard.ts';
import type { BotFeature } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { replySpotifyProblem } from '../spotifyProblems.ts';
import type { UserRateLimit } from '../userRateLimit.ts';

/** Sends a card: the cover with a caption, falling back to a message when Telegram refuses the photo. */
async function sendCard(ctx: BotContext, s: BotServices, html: string, coverUrl: string | undefined, keyboard: InlineKeyboard | undefined): Promise<void> {
  const markup = keyboard ? { reply_markup: keyboard } : {};
  if (coverUrl && /^https?:\/\//.test(coverUrl)) {
    try {
      await ctx.replyWithPhoto(coverUrl, { caption: html, parse_mode: 'HTML', ...markup });
      return;
    } catch (err) {
      // Telegram fetches the cover itself; a 400 means it could not, so send the text alone.
      if (!(err instanceof GrammyError && err.error_code === 400)) throw err;
      s.logger.debug({ err: loggableError(err) }, 'cover not accepted; sending /now as text');
    }
  }
  await ctx.reply(html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup });
}

/** Nothing plays: say so, and show the last played track when Spotify has one. */
async function showNothing(ctx: BotContext, s: BotServices, userId: number): Promise<void> {
  let last;
  try {
    last = (await s.spotify!.recentlyPlayed(userId, { limit: 1 })).items[0];
  } catch (err) {
    s.logger.debug({ err: loggableError(err), userId }, 'no last played track for /now');
  }
  if (!last) {
    await ctx.reply(ctx.t('now-nothing'));
    return;
  }
  const lastLine = ctx.t('now-last-played', { track: trackLine(last.track), ago: timeAgo(ctx.t, last.playedAtMs, s.now()) });
  const keyboard = trackKeyboard(ctx.t, last.track);
  await ctx.reply(`${escapeHtml(ctx.t('now-nothing'))}\n${escapeHtml(lastLine)}`, {
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(keyboard && { reply_markup: keyboard }),
  });
}

/**
 * Counts one Spotify read of `userId` against `reads`; when over the limit, says when to try
 * again and returns false. Shared by `/now` and `/recent`.
 */
export async function spotifyReadAllowed(ctx: BotContext, reads: UserRateLimit | undefined, userId: number): Promise<boolean> {
  const waitMs = reads?.take(userId) ?? 0;
  if (waitMs === 0) return true;
  const text = ctx.t('spotify-too-often', { seconds: Math.ceil(waitMs / 1000) });
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
  return false;
}

/** The `/now` answer for the sender of `ctx`; `reads` limits the user's Spotify reads. */
export async function showNow(ctx: BotContext, s: BotServices, reads?: UserRateLimit): Promise<void> {
  if (!s.spotify || !s.links) {
    await ctx.reply(ctx.t('spotify-disabled'));
    return;
  }
  if (!ctx.from) return;
  const userId = ctx.from.id;
  if (!(await spotifyReadAllowed(ctx, reads, userId))) return;
  let playing: NowPlaying;
  try {
    playing = await s.spotify.currentlyPlaying(userId);
  } catch (err) {
    return replySpotifyProblem(ctx, err);
  }
  switch (playing.kind) {
    case 'track':
      return sendCard(ctx, s, trackCard(ctx.t, playing.track, playing.progressMs, playing.isPlaying), playing.track.coverUrl, trackKeyboard(ctx.t, playing.track));
    case 'episode': {
      const { episode } = playing;
      const keyboard = trackKeyboard(ctx.t, { id: null, spotifyUrl: episode.spotifyUrl }, false);
      return sendCard(ctx, s, episodeCard(ctx.t, episode, playing.progressMs, playing.isPlaying), episode.coverUrl, keyboard);
    }
    case 'ad':
      await ctx.reply(ctx.t('now-ad'));
      return;
    case 'unknown':
      await ctx.reply(ctx.t('now-unknown'));
      return;
    case 'nothing':
      return showNothing(ctx, s, userId);
  }
}

/** `/now`, at most `reads.limit` per user per minute. */
export function nowFeature(s: BotServices, reads?: UserRateLimit): BotFeature {
  return { commands: { now: (ctx) => showNow(ctx, s, reads) } };
}
