/**
 * Inline search: `@bot <words>` in any chat answers up to 10 tracks found by name (the same
 * text search as the chat's), and choosing one turns the inline message into that audio.
 *
 * - A track the bot has sent before comes as cached audio (`InlineQueryResultCachedAudio`):
 *   the chat gets the audio at once.
 * - Any other comes as an article "title — artist" whose message carries a small keyboard,
 *   because Telegram only sends `chosen_inline_result` with an `inline_message_id` for inline
 *   messages with one (and only with BotFather's inline feedback on). When it arrives the
 *   track runs through the pipeline like any request (cache first, the same queue limits);
 *   the file is uploaded where the bot can get a `file_id` – `STORAGE_CHAT_ID` when set, else
 *   the chooser's private chat with the bot (that copy is deleted afterwards) – and the
 *   inline message is edited into the audio with `editMessageMedia`. A failure edits it into
 *   a short explanation. The keyboard's button is a normal track button: pressed, it sends
 *   the track to the presser's private chat.
 *
 * Search results are not personal (the same words give the same tracks to everyone), so they
 * are answered with `is_personal: false` and a short `cache_time`: Telegram may reuse them
 * for another user's identical query for 30 s, which spares the catalogues a client's
 * repeated queries. The result ids point into the bounded {@link ChoiceStore}, so a result
 * chosen after it was forgotten is answered with the "expired" text.
 */
import { randomUUID } from 'node:crypto';
import type { InlineQueryResult } from 'grammy/types';
import type { MusicService } from '../../music/musicService.ts';
import { checkQuery } from '../../music/textSearch/textSearch.ts';
import { clip } from '../format.ts';
import type { ChosenContext, InlineContext } from '../routing.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import { pickData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import type { MusicLimits } from './errorText.ts';
import { InlineTarget } from './inlineTarget.ts';
import { jobIdFor, type MusicJobs } from './musicJobs.ts';
import { resultLabel } from './searchChat.ts';
import { clock } from './telegramSink.ts';

/** Results one inline answer holds. */
export const INLINE_RESULTS = 10;
/** Seconds Telegram may reuse an answer of search results (not personal: see the module comment). */
export const INLINE_SEARCH_CACHE_SECONDS = 30;

/** What inline search needs. */
export interface InlineSearchDeps {
  readonly service: MusicService;
  readonly jobs: MusicJobs;
  readonly choices: ChoiceStore;
  /** The text-search rate, shared with the chat's searches. */
  readonly rate: UserRateLimit;
  readonly limits: MusicLimits;
  /** `STORAGE_CHAT_ID`: where uploads for inline messages go; unset, the chooser's private chat. */
  readonly storageChatId?: number;
}

/** `s:<choiceId>:<n>`: a search result's id (at most 15 bytes of Telegram's 64). */
const RESULT_ID = /^s:([A-Za-z0-9_-]{10}):(\d{1,2})$/;

/**
 * Answers a non-empty inline query with search results. Over the rate, or for a query that
 * cannot be searched, the answer is empty (an inline panel has no room for a hint) and says
 * so in its personal, uncached form.
 */
export async function answerInlineSearch(d: InlineSearchDeps, ctx: InlineContext): Promise<void> {
  const verdict = checkQuery(ctx.inlineQuery.query);
  if (verdict.kind !== 'ok' || d.rate.take(ctx.from.id) > 0) {
    await ctx.answerInlineQuery([], { cache_time: 0, is_personal: true });
    return;
  }
  const outcome = await d.service.textSearch.search(verdict.query, undefined, INLINE_RESULTS);
  const id = await d.choices.put({ kind: 'collection', links: outcome.tracks.map((t) => t.link) });
  const results: InlineQueryResult[] = [];
  for (const [i, track] of outcome.tracks.entries()) {
    const resultId = `s:${id}:${i}`;
    const cached = await d.service.cached(track.link.key).catch(() => undefined);
    if (cached) {
      results.push({ type: 'audio', id: resultId, audio_file_id: cached.fileId });
      continue;
    }
    const who = track.artists.join(', ');
    results.push({
      type: 'article',
      id: resultId,
      title: clip(track.title, 100),
      description: clip([who, clock(track.durationSec)].filter(Boolean).join(' · '), 200),
      input_message_content: { message_text: clip(`🎵 ${who ? `${who} — ` : ''}${track.title}`, 4000) },
      reply_markup: { inline_keyboard: [[{ text: ctx.t('inline-search-getting', { track: resultLabel(track) }), callback_data: pickData(id, i) }]] },
    });
  }
  // Empty when nothing was found or no catalogue answered: the panel shows "no results".
  await ctx.answerInlineQuery(results, { cache_time: outcome.failed > 0 ? 0 : INLINE_SEARCH_CACHE_SECONDS, is_personal: false });
}

/** A chosen search result: the inline message becomes the audio. Other results are not ours. */
export async function deliverChosen(d: InlineSearchDeps, ctx: ChosenContext): Promise<void> {
  const chosen = ctx.chosenInlineResult;
  const parsed = RESULT_ID.exec(chosen.result_id);
  const inlineId = chosen.inline_message_id;
  if (!parsed || inlineId === undefined) return;
  const choice = await d.choices.get(parsed[1]!);
  const link = choice?.kind === 'collection' ? choice.links[Number(parsed[2])] : undefined;
  const uploadChatId = d.storageChatId ?? ctx.from.id;
  const target = new InlineTarget({ api: ctx.api, t: ctx.t, inlineId, uploadChatId, keepUpload: d.storageChatId !== undefined, logger: d.service.logger });
  if (!link) return target.fail('music-choice-expired');
  const jobId = jobIdFor(`i:${inlineId}`);
  if (await d.jobs.has(jobId).catch(() => false)) return; // delivered again: already queued
  const hit = await d.service.cached(link.key).catch(() => undefined);
  if (hit && (await target.sendCached(hit, link).catch(() => false))) return;
  const submitted = await d.jobs
    .submit(jobId, {
      userId: ctx.from.id,
      locale: ctx.locale,
      target: { kind: 'inline', inlineMessageId: inlineId, uploadChatId },
      what: { link: { url: link.url, original: link.original, key: link.key } },
    }, ctx.api)
    .catch(() => ({ accepted: false, reason: 'closed' }) as const);
  if (!submitted.accepted) await target.fail(submitted.reason === 'busy' ? 'music-busy' : 'music-error-internal', { count: d.jobs.perUserLimit });
}
