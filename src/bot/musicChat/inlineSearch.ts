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
import { GrammyError, InputFile, type Api } from 'grammy';
import type { InlineQueryResult } from 'grammy/types';
import type { TranslationArgs } from '../../i18n/translate.ts';
import type { CachedAudio } from '../../music/cache/audioCache.ts';
import type { DownloadedAudio } from '../../music/download/downloader.ts';
import { MusicError } from '../../music/errors.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import type { MusicSink } from '../../music/pipeline.ts';
import { checkQuery } from '../../music/textSearch/textSearch.ts';
import type { BotContext } from '../context.ts';
import { clip } from '../format.ts';
import type { ChosenContext, InlineContext } from '../routing.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import { pickData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import { errorMessage, type MusicLimits } from './errorText.ts';
import { resultLabel } from './searchChat.ts';
import { captionFor, clock, type ChatScope } from './telegramSink.ts';

/** Results one inline answer holds. */
export const INLINE_RESULTS = 10;
/** Seconds Telegram may reuse an answer of search results (not personal: see the module comment). */
export const INLINE_SEARCH_CACHE_SECONDS = 30;

/** What inline search needs. */
export interface InlineSearchDeps {
  readonly service: MusicService;
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
  const id = d.choices.put({ kind: 'collection', links: outcome.tracks.map((t) => t.link) });
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
  const choice = d.choices.get(parsed[1]!);
  const link = choice?.kind === 'collection' ? choice.links[Number(parsed[2])] : undefined;
  const target = new InlineTarget(ctx, inlineId, d);
  if (!link) return target.fail('music-choice-expired');
  const hit = await d.service.cached(link.key).catch(() => undefined);
  if (hit && (await target.sendCached(hit, link).catch(() => false))) return;
  const submitted = d.service.queue.submit(ctx.from.id, {
    run: async (signal) => {
      try {
        await d.service.run({ link, userId: ctx.from.id }, target, signal);
        if (!target.sent) await target.fail('music-send-all-reason-no-match');
      } catch (err) {
        await target.failWith(err);
      }
    },
    onDropped: (reason) => void target.failWith(reason),
  });
  if (!submitted.accepted) await target.fail(submitted.reason === 'busy' ? 'music-busy' : 'music-error-internal', { count: d.service.queue.perUserLimit });
}

/** The pipeline's sink for one inline message (see the module comment). */
class InlineTarget implements MusicSink {
  sent = false;
  readonly #api: Api;
  readonly #scope: ChatScope;

  constructor(
    private readonly ctx: BotContext & { from: NonNullable<BotContext['from']> },
    private readonly inlineId: string,
    private readonly d: InlineSearchDeps,
  ) {
    this.#api = ctx.api;
    this.#scope = { api: ctx.api, chatId: d.storageChatId ?? ctx.from.id, t: ctx.t, logger: d.service.logger };
  }

  stage(): void {}

  async sendCached(audio: CachedAudio, link: MusicLink): Promise<boolean> {
    try {
      await this.#edit(audio.fileId, link);
      return (this.sent = true);
    } catch (err) {
      if (err instanceof GrammyError && err.error_code === 400 && /file|identifier/i.test(err.description)) return false;
      throw err;
    }
  }

  async sendFile(file: DownloadedAudio, link: MusicLink): Promise<string | undefined> {
    const { chatId } = this.#scope;
    const message = await this.#api.sendAudio(chatId, new InputFile(file.path, file.filename), {
      title: file.title,
      ...(file.performer && { performer: file.performer }),
      duration: file.durationSec,
      ...(file.thumbnail && { thumbnail: new InputFile(file.thumbnail, 'cover.jpg') }),
      caption: captionFor(this.#scope, link),
      parse_mode: 'HTML',
      disable_notification: true,
    });
    const fileId = message.audio?.file_id;
    // The chooser's own chat only lent itself for the upload; the storage chat keeps its copy.
    if (this.d.storageChatId === undefined) await this.#api.deleteMessage(chatId, message.message_id).catch(() => undefined);
    if (!fileId) throw new MusicError('MUSIC_DOWNLOAD_FAILED', 'Telegram returned no file_id for the upload');
    await this.#edit(fileId, link);
    this.sent = true;
    return fileId;
  }

  async choose(): Promise<void> {}
  async collection(): Promise<void> {}

  /** Edits the inline message into `key`'s text; never throws (the message may be gone). */
  async fail(key: string, args?: TranslationArgs): Promise<void> {
    await this.#api.editMessageTextInline(this.inlineId, this.ctx.t(key, args)).catch((err: unknown) => this.d.service.logger.debug({ err }, 'inline message not edited'));
  }

  async failWith(err: unknown): Promise<void> {
    // The chooser never opened a private chat with the bot: there is nowhere to upload.
    if (err instanceof GrammyError && err.error_code === 403) return this.fail('inline-search-needs-start');
    const { key, args } = errorMessage(err, this.d.limits);
    if (!(err instanceof MusicError)) this.d.service.logger.warn({ err }, 'inline delivery failed');
    return this.fail(key, args);
  }

  #edit(fileId: string, link: MusicLink): Promise<unknown> {
    return this.#api.editMessageMediaInline(this.inlineId, { type: 'audio', media: fileId, caption: captionFor(this.#scope, link), parse_mode: 'HTML' });
  }
}
