/**
 * `/lyrics`: the words of a song, from LRCLIB (`src/lyrics/lrclib.ts`).
 *
 * - sent as a reply to an audio message → that audio's title, performer and length;
 * - otherwise → the track playing on the user's Spotify (as `/now` reads it, counted against
 *   the same per-minute Spotify reads);
 * - found → the lyrics as plain text, on as many messages as they need: pages are separate
 *   messages rather than one message with page buttons, so a song can be read (and copied)
 *   top to bottom without pressing anything, and nothing has to be kept for later presses;
 * - an instrumental, a miss, LRCLIB down → one plain sentence each.
 */
import { LyricsError, type LyricsClient, type LyricsQuery, type LyricsResult } from '../../lyrics/lrclib.ts';
import { splitLines, TELEGRAM_TEXT_LIMIT } from '../../lyrics/pages.ts';
import type { NowPlaying } from '../../spotify/webApiClient.ts';
import type { BotContext } from '../context.ts';
import { loggableError } from '../errorHandler.ts';
import type { BotFeature, CommandContext } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { replySpotifyProblem } from '../spotifyProblems.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import { spotifyReadAllowed } from './now.ts';

/** Messages one `/lyrics` sends at most; LRCLIB's longest songs fit, a runaway body does not flood the chat. */
export const MAX_LYRICS_PAGES = 5;

/** "Artist – Title", or the title alone. */
function songLabel(title: string, artist: string | undefined): string {
  return artist?.trim() ? `${artist.trim()} – ${title.trim()}` : title.trim();
}

/** The track of an audio message: its tags, else its file name `Artist - Title.ext`. */
export function queryOfAudio(audio: { title?: string; performer?: string; duration?: number; file_name?: string }): LyricsQuery | undefined {
  const duration = audio.duration ? { durationSec: audio.duration } : {};
  if (audio.title?.trim()) return { title: audio.title, ...(audio.performer && { artist: audio.performer }), ...duration };
  const name = audio.file_name?.replace(/\.[a-z0-9]{2,4}$/i, '').trim();
  if (!name) return undefined;
  const dash = /^(.+?)\s+[-–—]\s+(.+)$/.exec(name);
  return dash ? { title: dash[2]!, artist: dash[1]!, ...duration } : { title: name, ...duration };
}

/** The query for the user's Spotify track, or undefined once the user was told why there is none. */
async function queryOfSpotify(ctx: BotContext, s: BotServices, reads: UserRateLimit | undefined, userId: number): Promise<LyricsQuery | undefined> {
  if (!s.spotify || !s.links) {
    await ctx.reply(ctx.t('lyrics-how-no-spotify'));
    return undefined;
  }
  if (!(await spotifyReadAllowed(ctx, reads, userId))) return undefined;
  let playing: NowPlaying;
  try {
    playing = await s.spotify.currentlyPlaying(userId);
  } catch (err) {
    await replySpotifyProblem(ctx, err);
    return undefined;
  }
  if (playing.kind !== 'track') {
    await ctx.reply(ctx.t('lyrics-nothing-playing'));
    return undefined;
  }
  const { track } = playing;
  return {
    title: track.title,
    ...(track.artists[0] && { artist: track.artists[0] }),
    ...(track.album && { album: track.album }),
    durationSec: track.durationMs / 1000,
  };
}

/** Sends found lyrics: a heading on every page (`(2/3)` when there are several), then the words. */
async function sendLyrics(ctx: BotContext, found: Extract<LyricsResult, { kind: 'found' }>): Promise<void> {
  const heading = (page: number, pages: number) =>
    ctx.t(pages > 1 ? 'lyrics-heading-page' : 'lyrics-heading', { song: songLabel(found.title, found.artist), page, pages });
  // Room for the longest heading ("(5/5)") and the blank line after it.
  const room = TELEGRAM_TEXT_LIMIT - heading(MAX_LYRICS_PAGES, MAX_LYRICS_PAGES).length - 2;
  let pages = splitLines(found.text, room);
  if (pages.length > MAX_LYRICS_PAGES) {
    pages = pages.slice(0, MAX_LYRICS_PAGES);
    pages[MAX_LYRICS_PAGES - 1] = splitLines(pages[MAX_LYRICS_PAGES - 1]!, room - 2)[0]! + '\n…';
  }
  for (const [i, words] of pages.entries()) {
    await ctx.reply(`${heading(i + 1, pages.length)}\n\n${words}`, { link_preview_options: { is_disabled: true } });
  }
}

/** Answers `/lyrics` for `ctx`. */
export async function showLyrics(ctx: CommandContext, s: BotServices, reads?: UserRateLimit): Promise<void> {
  const lyrics: LyricsClient | undefined = s.lyrics;
  if (!lyrics) {
    await ctx.reply(ctx.t('lyrics-disabled'));
    return;
  }
  const audio = ctx.message.reply_to_message?.audio;
  let query: LyricsQuery | undefined;
  if (audio) {
    query = queryOfAudio(audio);
    if (!query) return void (await ctx.reply(ctx.t('lyrics-audio-untitled')));
  } else {
    query = await queryOfSpotify(ctx, s, reads, ctx.from.id);
    if (!query) return;
  }
  let result: LyricsResult;
  try {
    result = await lyrics.find(query);
  } catch (err) {
    if (!(err instanceof LyricsError)) throw err;
    s.logger.warn({ err: loggableError(err), code: err.code }, 'LRCLIB lookup failed');
    await ctx.reply(ctx.t('lyrics-unavailable'));
    return;
  }
  const song = { song: songLabel(query.title, query.artist) };
  switch (result.kind) {
    case 'found':
      return sendLyrics(ctx, result);
    case 'instrumental':
      await ctx.reply(ctx.t('lyrics-instrumental', song));
      return;
    case 'missing':
      await ctx.reply(ctx.t('lyrics-missing', song));
      return;
  }
}

/** `/lyrics`; its Spotify reads count against `reads` (shared with `/now` and `/recent`). */
export function lyricsFeature(s: BotServices, reads?: UserRateLimit): BotFeature {
  return { commands: { lyrics: (ctx) => showLyrics(ctx, s, reads) } };
}
