/**
 * Text search in the chat: a private message that is neither a link nor a command, or
 * `/search <words>` (`/s`) anywhere, answers with the top matches as buttons, best first,
 * each "title — artist · m:ss". The list is kept server-side in the {@link ChoiceStore} as a
 * choice of links (the buttons carry only `mu:p:<id>:<n>`, far below Telegram's 64 bytes), so
 * a tap is handled exactly like a tap on an album's track: that track's link runs through the
 * pipeline (cache first, then resolve → match → yt-dlp → `sendAudio`).
 *
 * Each search asks up to three outside catalogues, so a user gets a bounded number per
 * minute ({@link SearchChatDeps.rate}).
 */
import type { InlineKeyboardButton } from 'grammy/types';
import type { BotContext } from '../context.ts';
import { clip } from '../format.ts';
import type { UserRateLimit } from '../userRateLimit.ts';
import type { MusicService } from '../../music/musicService.ts';
import { checkQuery, MAX_QUERY_CHARS } from '../../music/textSearch/textSearch.ts';
import type { FoundTrack } from '../../music/textSearch/types.ts';
import { pickData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import { clock } from './telegramSink.ts';

/** What the search needs. */
export interface SearchChatDeps {
  readonly service: MusicService;
  readonly choices: ChoiceStore;
  /** Searches per user per window. */
  readonly rate: UserRateLimit;
}

/** A search chat context: a message from a user in a chat. */
type SearchContext = BotContext & { chat: NonNullable<BotContext['chat']>; from: NonNullable<BotContext['from']> };

/** "title — artist · m:ss", at most 60 characters (longer labels are cut by clients anyway). */
export function resultLabel(t: Pick<FoundTrack, 'title' | 'artists' | 'durationSec'>): string {
  const who = t.artists.join(', ');
  const time = clock(t.durationSec);
  const head = clip(who ? `${t.title} — ${who}` : t.title, time ? 60 - time.length - 3 : 60);
  return time ? `${head} · ${time}` : head;
}

/**
 * Answers `raw` (the message text, or the words after `/search`) in the chat of `ctx`:
 * a hint for a query it cannot search, "try again in N s" over the rate, "nothing found",
 * "try again later" when no catalogue answered, else the list of buttons.
 */
export async function answerSearch(d: SearchChatDeps, ctx: SearchContext, raw: string, replyTo?: number): Promise<void> {
  const reply = (text: string, extra: Record<string, unknown> = {}) =>
    ctx.api.sendMessage(ctx.chat.id, text, { ...extra, ...(replyTo !== undefined && { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }) });
  const verdict = checkQuery(raw);
  if (verdict.kind !== 'ok') {
    await reply(verdict.kind === 'empty' ? ctx.t('search-hint-empty') : ctx.t('search-hint-too-long', { max: MAX_QUERY_CHARS }));
    return;
  }
  const waitMs = d.rate.take(ctx.from.id);
  if (waitMs > 0) return void (await reply(ctx.t('search-too-often', { seconds: Math.ceil(waitMs / 1000) })));

  void ctx.api.sendChatAction(ctx.chat.id, 'typing').catch(() => undefined);
  const outcome = await d.service.textSearch.search(verdict.query);
  if (outcome.tracks.length === 0) {
    const allDown = outcome.asked > 0 && outcome.failed === outcome.asked;
    if (allDown) d.service.logger.warn({ asked: outcome.asked }, 'text search: no catalogue answered');
    return void (await reply(ctx.t(allDown ? 'search-unavailable' : 'search-nothing', { query: clip(verdict.query, 60) })));
  }
  const id = await d.choices.put({ kind: 'collection', links: outcome.tracks.map((t) => t.link) });
  const rows: InlineKeyboardButton[][] = outcome.tracks.map((t, i) => [{ text: resultLabel(t), callback_data: pickData(id, i) }]);
  await reply(ctx.t('search-results', { query: clip(verdict.query, 60) }), { reply_markup: { inline_keyboard: rows } });
}
