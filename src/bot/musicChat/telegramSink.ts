/**
 * The music pipeline's results, shown in one Telegram chat: progress edits, the audio
 * (uploaded with title, performer, duration, thumbnail and a caption linking back to the
 * source; or re-sent by `file_id`), and choice messages with buttons.
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup, Message } from 'grammy/types';
import type { Logger } from 'pino';
import type { TranslationArgs } from '../../i18n/translate.ts';
import type { CachedAudio } from '../../music/cache/audioCache.ts';
import type { DownloadedAudio } from '../../music/download/downloader.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { Candidate } from '../../music/matcher/index.ts';
import type { MusicSink, Stage, StageDetail } from '../../music/pipeline.ts';
import type { CollectionItem, TrackInfo } from '../../music/types.ts';
import { pickData, sendAllData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import type { ProgressMessage } from './progressMessage.ts';

/** Where and for whom results are shown. */
export interface ChatScope {
  readonly api: Api;
  readonly chatId: number;
  readonly t: (key: string, args?: TranslationArgs) => string;
  /** The user's message the audio answers, when there is one. */
  readonly replyTo?: number;
  readonly logger: Logger;
}

/** Escapes text for Telegram's HTML parse mode. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `Open in Spotify`, linked to the item's page. */
export function captionFor(scope: ChatScope, link: MusicLink): string {
  const platform = scope.t(`music-platform-${link.platform}`);
  return `<a href="${escapeHtml(link.url)}">${escapeHtml(scope.t('music-caption-source', { platform }))}</a>`;
}

const reply = (scope: ChatScope) =>
  scope.replyTo === undefined ? {} : { reply_parameters: { message_id: scope.replyTo, allow_sending_without_reply: true } };

/** True for Telegram's answers to a `file_id` it does not know (any more). */
export function isStaleFileId(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /file|identifier/i.test(err.description);
}

/** Re-sends an upload by `file_id`; false when Telegram no longer accepts that id. */
export async function sendCachedAudio(scope: ChatScope, audio: CachedAudio, link: MusicLink): Promise<boolean> {
  try {
    await scope.api.sendAudio(scope.chatId, audio.fileId, { caption: captionFor(scope, link), parse_mode: 'HTML', ...reply(scope) });
    return true;
  } catch (err) {
    if (isStaleFileId(err)) return false;
    throw err;
  }
}

/** `3:07` (also the search results' labels). */
export function clock(sec: number | undefined): string {
  if (sec === undefined) return '';
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A button label of at most ~60 characters. */
function label(parts: (string | undefined)[]): string {
  const text = parts.filter((p) => p && p.trim() !== '').join(' · ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Implements {@link MusicSink} for one request in one chat. */
export class TelegramSink implements MusicSink {
  /** True once the progress message became a choice message (so it is not deleted). */
  kept = false;
  /** What the request ended in, for the log. */
  outcome: 'cached' | 'uploaded' | 'choice' | 'collection' | undefined;

  /** True once the audio reached the chat (re-sent by `file_id` or uploaded). */
  get sent(): boolean {
    return this.outcome === 'cached' || this.outcome === 'uploaded';
  }

  constructor(
    private readonly scope: ChatScope,
    private readonly progress: ProgressMessage | undefined,
    private readonly cancelMarkup: InlineKeyboardMarkup,
    private readonly choices: ChoiceStore,
    private readonly chatActionEveryMs = 4500,
  ) {}

  stage(stage: Stage, detail?: StageDetail): void {
    const t = this.scope.t;
    const track = detail ? (detail.performer ? `${detail.performer} — ${detail.title}` : detail.title) : undefined;
    const text =
      stage === 'searching' ? t('music-progress-searching')
      : track ? t(`music-progress-${stage}-track`, { track })
      : t(`music-progress-${stage}`);
    this.progress?.update(text, this.cancelMarkup);
  }

  async sendCached(audio: CachedAudio, link: MusicLink): Promise<boolean> {
    const ok = await sendCachedAudio(this.scope, audio, link);
    if (ok) this.outcome = 'cached';
    return ok;
  }

  async sendFile(file: DownloadedAudio, link: MusicLink): Promise<string | undefined> {
    const { api, chatId } = this.scope;
    const act = () => void api.sendChatAction(chatId, 'upload_voice').catch(() => undefined);
    act();
    const timer = setInterval(act, this.chatActionEveryMs);
    let message: Message;
    try {
      message = await api.sendAudio(chatId, new InputFile(file.path, file.filename), {
        title: file.title,
        ...(file.performer && { performer: file.performer }),
        duration: file.durationSec,
        ...(file.thumbnail && { thumbnail: new InputFile(file.thumbnail, 'cover.jpg') }),
        caption: captionFor(this.scope, link),
        parse_mode: 'HTML',
        ...reply(this.scope),
      });
    } finally {
      clearInterval(timer);
    }
    this.outcome = 'uploaded';
    return 'audio' in message ? message.audio?.file_id : undefined;
  }

  async choose(track: TrackInfo, candidates: readonly Candidate[], link: MusicLink): Promise<void> {
    const id = await this.choices.put({ kind: 'candidates', link, track, candidates });
    // Title · uploader · length; a bare YouTube Music entry the matcher could not describe
    // has no uploader or length (and, from yt-dlp before 2024, no title: its URL stands in).
    const rows: InlineKeyboardButton[][] = candidates.map((c, i) => [
      { text: label([c.title.trim() !== '' ? c.title : c.url, c.uploader, clock(c.durationSec)]), callback_data: pickData(id, i) },
    ]);
    const name = track.artists.length > 0 ? `${track.artists.join(', ')} — ${track.title}` : track.title;
    await this.#show(this.scope.t('music-choose', { track: name }), { inline_keyboard: rows });
    this.outcome = 'choice';
  }

  async collection(title: string, items: readonly CollectionItem[], total: number | undefined, _link: MusicLink): Promise<void> {
    this.outcome = 'collection';
    if (items.length === 0) return this.#show(this.scope.t('music-collection-empty', { title }));
    const names = items.map((item) => `${item.artists.length > 0 ? `${item.artists.join(', ')} — ` : ''}${item.title}`);
    const id = await this.choices.put({ kind: 'collection', links: items.map((i) => i.link), names });
    const rows: InlineKeyboardButton[][] = items.map((item, i) => [{ text: label([`${i + 1}. ${names[i]}`, clock(item.durationSec)]), callback_data: pickData(id, i) }]);
    // "Send all" first: an album is usually wanted whole. One track needs no such button.
    if (items.length > 1) rows.unshift([{ text: this.scope.t('music-button-send-all', { count: items.length }), callback_data: sendAllData(id) }]);
    await this.#show(this.scope.t('music-collection', { title, shown: items.length, total: Math.max(total ?? items.length, items.length) }), { inline_keyboard: rows });
  }

  /** Turns the progress message into `text` (or sends it when there is none). */
  async #show(text: string, markup?: InlineKeyboardMarkup): Promise<void> {
    this.kept = true;
    if (this.progress) return this.progress.finish(text, markup);
    await this.scope.api.sendMessage(this.scope.chatId, text, { ...(markup && { reply_markup: markup }), ...reply(this.scope) });
  }
}
