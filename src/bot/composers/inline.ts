/**
 * Inline mode (`@bot` in any chat): what the user plays now and played recently, as results
 * to share. A track the bot has already sent as audio comes as cached audio (its `file_id`
 * from the music pipeline), anything else as an article with a link to Spotify. Results are
 * always `is_personal` with `cache_time: 0`: they are one user's listening, right now.
 * A user without a link gets no results and the button "Connect Spotify", which opens the
 * private chat with `/start login`. A query text searches music by name
 * (`../musicChat/inlineSearch.ts`); without the music pipeline it filters the results by
 * title and artist.
 *
 * Clients send a query per keystroke, and the same query again when the user reopens the
 * inline panel: the Spotify reads of a user's last query are reused for `reuseMs` (5 s), so
 * a burst of queries costs two Spotify calls, not two per query. Only complete reads are
 * kept; after a failure the next query asks Spotify again.
 */
import { InlineKeyboard } from 'grammy';
import type { InlineQueryResult } from 'grammy/types';
import type { EpisodeSummary, NowPlaying, RecentlyPlayedPage, TrackSummary } from '../../spotify/webApiClient.ts';
import type { BotContext } from '../context.ts';
import { loggableError } from '../errorHandler.ts';
import { clip, timeAgo, trackLine } from '../format.ts';
import type { BotFeature, InlineContext } from '../routing.ts';
import type { BotServices } from '../services.ts';
import { spotifyProblem } from '../spotifyProblems.ts';

/** Recent plays asked for: enough to choose from, few enough to answer fast. */
const RECENT_LIMIT = 20;
const ANSWER = { cache_time: 0, is_personal: true } as const;
/** Users whose last reads are kept; the least recently asking are forgotten first. */
const READS_KEPT = 10_000;

type Reads = [PromiseSettledResult<NowPlaying>, PromiseSettledResult<RecentlyPlayedPage>];

/** Reads a user's current and recent plays, reusing the last complete reads for `reuseMs`. */
function spotifyReader(s: BotServices, reuseMs: number): (userId: number) => Promise<Reads> {
  const kept = new Map<number, { at: number; reads: Reads }>();
  return async (userId) => {
    const asked = s.now();
    const last = kept.get(userId);
    if (last && asked >= last.at && asked - last.at < reuseMs) return last.reads;
    const reads: Reads = await Promise.allSettled([
      s.spotify!.currentlyPlaying(userId),
      s.spotify!.recentlyPlayed(userId, { limit: RECENT_LIMIT }),
    ]);
    kept.delete(userId);
    if (reads.every((r) => r.status === 'fulfilled')) {
      kept.set(userId, { at: asked, reads });
      if (kept.size > READS_KEPT) kept.delete(kept.keys().next().value!);
    }
    return reads;
  };
}

function openButton(ctx: BotContext, url: string | undefined): { reply_markup?: InlineKeyboard } {
  return url && /^https:\/\//.test(url) ? { reply_markup: new InlineKeyboard().url(ctx.t('button-open-spotify'), url) } : {};
}

function shareText(ctx: BotContext, line: string, url: string | undefined): string {
  return clip(`${ctx.t('inline-share', { track: line })}${url ? `\n${url}` : ''}`, 4000);
}

async function trackResult(ctx: BotContext, s: BotServices, id: string, track: TrackSummary, title: string, description: string): Promise<InlineQueryResult> {
  const fileId = track.id && s.music ? await s.music.cachedAudio(track.id).catch(() => undefined) : undefined;
  if (fileId) return { type: 'audio', id, audio_file_id: fileId, ...openButton(ctx, track.spotifyUrl) };
  return {
    type: 'article',
    id,
    title: clip(title, 100),
    description: clip(description, 200),
    ...(track.coverUrl && { thumbnail_url: track.coverUrl }),
    input_message_content: { message_text: shareText(ctx, trackLine(track), track.spotifyUrl) },
    ...openButton(ctx, track.spotifyUrl),
  };
}

function episodeResult(ctx: BotContext, episode: EpisodeSummary): InlineQueryResult {
  const line = `${episode.show ? `${episode.show} – ` : ''}${episode.title}`;
  return {
    type: 'article',
    id: `n-${episode.id}`.slice(0, 64),
    title: clip(ctx.t('inline-now-title', { title: episode.title }), 100),
    description: clip(episode.show ?? '', 200),
    ...(episode.coverUrl && { thumbnail_url: episode.coverUrl }),
    input_message_content: { message_text: shareText(ctx, clip(line, 200), episode.spotifyUrl) },
    ...openButton(ctx, episode.spotifyUrl),
  };
}

/** The inline-query handler; a user's Spotify reads are reused for `reuseMs` (default 5 s). */
export function inlineFeature(s: BotServices, reuseMs = 5_000): BotFeature {
  const read = spotifyReader(s, reuseMs);
  return { inlineQuery: (ctx) => answerInline(ctx, s, read) };
}

async function answerInline(ctx: InlineContext, s: BotServices, read: (userId: number) => Promise<Reads>): Promise<void> {
  // Words search music by name when downloads are on; an empty query is the user's listening.
  if (s.music && ctx.inlineQuery.query.trim() !== '') return s.music.answerInlineSearch(ctx);
  if (!s.spotify || !s.links) {
    await ctx.answerInlineQuery([], ANSWER);
    return;
  }
  const userId = ctx.inlineQuery.from.id;
  const [nowResult, recentResult] = await read(userId);
  const failures = [nowResult, recentResult].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  for (const err of failures) {
    if (spotifyProblem(err)?.connect) {
      await ctx.answerInlineQuery([], { ...ANSWER, button: { text: ctx.t('inline-connect-button'), start_parameter: 'login' } });
      return;
    }
    if (!spotifyProblem(err)) throw err;
    s.logger.debug({ err: loggableError(err), userId }, 'inline query answered without part of the results');
  }

  const query = ctx.inlineQuery.query.trim().toLowerCase();
  const wanted = (line: string) => query === '' || line.toLowerCase().includes(query);
  const results: InlineQueryResult[] = [];
  const seen = new Set<string>();
  const now = nowResult.status === 'fulfilled' ? nowResult.value : undefined;
  if (now?.kind === 'track' && wanted(trackLine(now.track, 500))) {
    seen.add(now.track.id ?? '');
    const title = ctx.t('inline-now-title', { title: now.track.title });
    results.push(await trackResult(ctx, s, `n-${now.track.id ?? 'local'}`, now.track, title, now.track.artists.join(', ')));
  } else if (now?.kind === 'episode' && wanted(`${now.episode.show ?? ''} ${now.episode.title}`)) {
    results.push(episodeResult(ctx, now.episode));
  }
  const recent = recentResult.status === 'fulfilled' ? recentResult.value.items : [];
  for (const [i, item] of recent.entries()) {
    const { track } = item;
    if (!track.id || seen.has(track.id) || !wanted(trackLine(track, 500))) continue;
    seen.add(track.id);
    const description = `${track.artists.join(', ')} · ${timeAgo(ctx.t, item.playedAtMs, s.now())}`;
    results.push(await trackResult(ctx, s, `r${i}-${track.id}`, track, track.title, description));
  }
  await ctx.answerInlineQuery(results, ANSWER);
}
