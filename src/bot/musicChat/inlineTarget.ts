/**
 * The pipeline's sink for one chosen inline result (see `inlineSearch.ts`): the file is
 * uploaded where the bot can get a `file_id` (`STORAGE_CHAT_ID`, else the chooser's private
 * chat, whose copy is deleted afterwards), and the inline message is edited into that audio.
 * A failure edits the inline message into a short explanation.
 */
import { GrammyError, InputFile, type Api } from 'grammy';
import type { Logger } from 'pino';
import type { TranslationArgs } from '../../i18n/translate.ts';
import type { CachedAudio } from '../../music/cache/audioCache.ts';
import type { DownloadedAudio } from '../../music/download/downloader.ts';
import { MusicError } from '../../music/errors.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicSink } from '../../music/pipeline.ts';
import { errorMessage, type MusicLimits } from './errorText.ts';
import { captionFor, isStaleFileId, type ChatScope } from './telegramSink.ts';

/** Where an inline message's audio comes from. */
export interface InlineTargetOptions {
  readonly api: Api;
  /** The chooser's language. */
  readonly t: ChatScope['t'];
  readonly inlineId: string;
  /** `STORAGE_CHAT_ID`, else the chooser's private chat. */
  readonly uploadChatId: number;
  /** True with `STORAGE_CHAT_ID`: the storage chat keeps its copy of the upload. */
  readonly keepUpload: boolean;
  readonly logger: Logger;
}

/** See the module comment. */
export class InlineTarget implements MusicSink {
  sent = false;
  readonly #scope: ChatScope;

  constructor(private readonly o: InlineTargetOptions) {
    this.#scope = { api: o.api, chatId: o.uploadChatId, t: o.t, logger: o.logger };
  }

  stage(): void {}

  async sendCached(audio: CachedAudio, link: MusicLink): Promise<boolean> {
    try {
      await this.#edit(audio.fileId, link);
      return (this.sent = true);
    } catch (err) {
      if (isStaleFileId(err)) return false;
      throw err;
    }
  }

  async sendFile(file: DownloadedAudio, link: MusicLink): Promise<string | undefined> {
    const { api, uploadChatId } = this.o;
    const message = await api.sendAudio(uploadChatId, new InputFile(file.path, file.filename), {
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
    if (!this.o.keepUpload) await api.deleteMessage(uploadChatId, message.message_id).catch(() => undefined);
    if (!fileId) throw new MusicError('MUSIC_DOWNLOAD_FAILED', 'Telegram returned no file_id for the upload');
    await this.#edit(fileId, link);
    this.sent = true;
    return fileId;
  }

  async choose(): Promise<void> {}
  async collection(): Promise<void> {}

  /** Edits the inline message into `key`'s text; never throws (the message may be gone). */
  async fail(key: string, args?: TranslationArgs): Promise<void> {
    await this.o.api.editMessageTextInline(this.o.inlineId, this.o.t(key, args)).catch((err: unknown) => this.o.logger.debug({ err }, 'inline message not edited'));
  }

  /** Edits the inline message into what `err` means for the user. */
  async failWith(err: unknown, limits: MusicLimits): Promise<void> {
    // The chooser never opened a private chat with the bot: there is nowhere to upload.
    if (err instanceof GrammyError && err.error_code === 403) return this.fail('inline-search-needs-start');
    const { key, args } = errorMessage(err, limits);
    if (!(err instanceof MusicError)) this.o.logger.warn({ err }, 'inline delivery failed');
    return this.fail(key, args);
  }

  #edit(fileId: string, link: MusicLink): Promise<unknown> {
    return this.o.api.editMessageMediaInline(this.o.inlineId, { type: 'audio', media: fileId, caption: captionFor(this.#scope, link), parse_mode: 'HTML' });
  }
}
