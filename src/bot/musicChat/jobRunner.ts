/**
 * Runs one {@link MusicJob} where the download happens: in the bot's own process with the
 * embedded queue, or in a download worker with PostgreSQL's. Everything the user sees of a job
 * once it has started comes from here: the progress edits, the audio, a choice or album list,
 * and the error text. The instance that took the update only sent the first progress message.
 *
 * - `chat`: the progress message is taken over and edited; the audio answers the user's message.
 * - `inline`: the inline message becomes the audio (see `inlineTarget.ts`).
 * - `batch`: one track of a "Send all" run: the audio or nothing; the run's own message shows
 *   progress and the summary, so the run learns the outcome from the job's end: this throws
 *   the track's {@link MusicError} (an unsure match is `MUSIC_NO_MATCH`: a run sends no choices).
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { MusicError, isMusicError } from '../../music/errors.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import type { MusicRequest, MusicSink } from '../../music/pipeline.ts';
import { translatorFor } from '../i18nMiddleware.ts';
import { cancelData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import { errorMessage, isOperatorProblem, type MusicLimits } from './errorText.ts';
import { InlineTarget } from './inlineTarget.ts';
import type { JobTarget, MusicJob } from './musicJob.ts';
import { reparseLink, type PlainLink } from './linkSeal.ts';
import { ProgressMessage, type ProgressClock } from './progressMessage.ts';
import { TelegramSink, type ChatScope } from './telegramSink.ts';

/** What {@link MusicJobRunner} needs. */
export interface JobRunnerDeps {
  /**
   * The Bot API of this process (the bot's, with its flood control and retries), read when a
   * job runs; a job submitted in this process may bring the submitting update's instead.
   */
  readonly api?: () => Api;
  readonly service: MusicService;
  readonly choices: ChoiceStore;
  readonly limits: MusicLimits;
  /** `STORAGE_CHAT_ID`: where uploads for inline messages go. */
  readonly storageChatId?: number;
  /** Minimum gap between progress edits (default 2000 ms). */
  readonly progressIntervalMs?: number;
  readonly progressClock?: ProgressClock;
  /** How often `upload_voice` is repeated during an upload (default 4500 ms). */
  readonly chatActionEveryMs?: number;
}

/** The first text of a queued job's progress message (the web instance sends it). */
export const WAITING_KEY = 'music-progress-waiting';

/** The Cancel button of job `jobId`, in the user's language. */
export function cancelMarkup(t: (key: string) => string, jobId: string): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text: t('music-button-cancel'), callback_data: cancelData(jobId) }]] };
}

/** See the module comment. */
export class MusicJobRunner {
  constructor(private readonly d: JobRunnerDeps) {}

  /**
   * Runs `job` (id `jobId`) to its end. Throws only for `batch` jobs (see the module comment).
   * `requeued()` true when the signal aborted means the job goes back to the queue (a worker
   * stopping): its message says it waits again instead of showing an error.
   */
  async run(job: MusicJob, jobId: string, signal: AbortSignal, options: { readonly api?: Api; readonly requeued?: () => boolean } = {}): Promise<void> {
    const { service } = this.d;
    const api = this.#api(options.api);
    const t = translatorFor(job.locale);
    const started = performance.now();
    const log = service.logger.child({ job: jobId });
    const chat = job.target.kind === 'chat' ? this.#chat(api, job.target, t, jobId) : undefined;
    const inline = job.target.kind === 'inline' ? new InlineTarget({ api, t, inlineId: job.target.inlineMessageId, uploadChatId: job.target.uploadChatId, keepUpload: this.d.storageChatId !== undefined, logger: service.logger }) : undefined;
    const batch = job.target.kind === 'batch' ? new BatchSink(new TelegramSink(this.#scope(api, job.target.chatId, t), undefined, { inline_keyboard: [] }, this.d.choices)) : undefined;
    const sink: MusicSink = chat?.sink ?? inline ?? batch!;
    try {
      const request = await this.#request(job);
      if (!request) throw new MusicError('MUSIC_CHOICE_EXPIRED', 'the choice behind this job is gone');
      chat?.progress?.update(t('music-progress-searching'), chat.markup);
      await service.run(request, sink, signal);
      if (chat && !chat.sink.kept) await chat.progress?.remove();
      const sent = chat ? chat.sink.sent : (inline ?? batch!).sent;
      const seconds = (performance.now() - started) / 1000;
      if (sent) service.metrics.downloadFinished({ outcome: 'sent', seconds });
      log.info({ outcome: chat?.sink.outcome ?? (sent ? 'uploaded' : 'none'), ms: Math.round(seconds * 1000) }, 'music request done');
      if (inline && !inline.sent) await inline.fail('music-send-all-reason-no-match');
      if (batch && !batch.sent) throw new MusicError('MUSIC_NO_MATCH', 'a run sends no choices');
    } catch (err) {
      if (options.requeued?.()) {
        log.info('music request handed back to the queue');
        return chat?.progress?.finish(t(WAITING_KEY), chat.markup);
      }
      const code = (err as { code?: unknown }).code;
      service.metrics.downloadFinished({
        outcome: code === 'MUSIC_CANCELLED' ? 'cancelled' : 'failed',
        ...(typeof code === 'string' && { code }),
        seconds: (performance.now() - started) / 1000,
      });
      if (isOperatorProblem(err) && !isMusicError(err, 'MUSIC_CHOICE_EXPIRED')) log.warn({ err }, 'music request failed');
      else log.info({ code }, 'music request refused');
      if (batch) throw err;
      if (chat) await this.#showChat(api, chat.progress, chat.target, t, err);
      if (inline) await inline.failWith(err, this.d.limits);
    }
  }

  /**
   * Shows why `job` never ran (cancelled while waiting, the bot stopping, two workers lost):
   * the progress message or inline message says so. A `batch` job's run reports it instead.
   */
  async dropped(job: Pick<MusicJob, 'locale' | 'target'>, reason: unknown, via?: Api): Promise<void> {
    const t = translatorFor(job.locale);
    const api = this.#api(via);
    if (job.target.kind === 'chat') {
      const progress = job.target.progressMessageId === undefined ? undefined : this.#attach(api, job.target.chatId, job.target.progressMessageId, t, undefined);
      await this.#showChat(api, progress, job.target, t, reason);
    } else if (job.target.kind === 'inline') {
      await new InlineTarget({ api, t, inlineId: job.target.inlineMessageId, uploadChatId: job.target.uploadChatId, keepUpload: true, logger: this.d.service.logger }).failWith(reason, this.d.limits);
    }
  }

  /** The request `job` stands for; undefined when its choice expired. Throws for a link that no longer parses. */
  async #request(job: MusicJob): Promise<MusicRequest | undefined> {
    const { what } = job;
    if ('link' in what) return { link: reparse(what.link), userId: job.userId };
    const choice = await this.d.choices.get(what.choiceId);
    if (choice?.kind === 'candidates') {
      const candidate = choice.candidates[what.index];
      return candidate && { link: choice.link, userId: job.userId, chosen: { candidate, track: choice.track } };
    }
    const link = choice?.links[what.index];
    return link && { link, userId: job.userId };
  }

  #api(given: Api | undefined): Api {
    const api = given ?? this.d.api?.();
    if (!api) throw new TypeError('MusicJobRunner: no Bot API to run the job with');
    return api;
  }

  #scope(api: Api, chatId: number, t: ChatScope['t'], replyTo?: number): ChatScope {
    return { api, chatId, t, logger: this.d.service.logger, ...(replyTo !== undefined && { replyTo }) };
  }

  #attach(api: Api, chatId: number, messageId: number, t: ChatScope['t'], markup: InlineKeyboardMarkup | undefined): ProgressMessage {
    return ProgressMessage.attach(api, chatId, messageId, t(WAITING_KEY), markup, {
      intervalMs: this.d.progressIntervalMs,
      ...(this.d.progressClock && { clock: this.d.progressClock }),
      logger: this.d.service.logger,
    });
  }

  #chat(api: Api, target: JobTarget & { kind: 'chat' }, t: ChatScope['t'], jobId: string) {
    const markup = cancelMarkup(t, jobId);
    const progress = target.progressMessageId === undefined ? undefined : this.#attach(api, target.chatId, target.progressMessageId, t, markup);
    const sink = new TelegramSink(this.#scope(api, target.chatId, t, target.replyTo), progress, markup, this.d.choices, this.d.chatActionEveryMs);
    return { target, progress, markup, sink };
  }

  /** Ends the progress message with the error's text (or sends the text when there is none). */
  async #showChat(api: Api, progress: ProgressMessage | undefined, target: JobTarget & { kind: 'chat' }, t: ChatScope['t'], err: unknown): Promise<void> {
    const { key, args } = errorMessage(err, this.d.limits);
    const text = t(key, args);
    if (progress) await progress.finish(text);
    else await api.sendMessage(target.chatId, text).catch(() => undefined);
  }
}

/** `link` parsed again where the job runs; the key must be the one the bot parsed. */
function reparse(link: PlainLink): MusicLink {
  const parsed = reparseLink(link);
  if (!parsed) throw new MusicError('MUSIC_UNSUPPORTED_LINK', 'the queued link no longer parses to its key');
  return parsed;
}

/**
 * The chat's sink without its choice messages: an unsure match or a nested collection is
 * not sent (see the module comment), the rest is shown as for a single request.
 */
class BatchSink implements MusicSink {
  constructor(private readonly chat: TelegramSink) {}
  get sent(): boolean {
    return this.chat.sent;
  }
  stage(): void {}
  sendCached(...args: Parameters<MusicSink['sendCached']>): Promise<boolean> {
    return this.chat.sendCached(...args);
  }
  sendFile(...args: Parameters<MusicSink['sendFile']>): Promise<string | undefined> {
    return this.chat.sendFile(...args);
  }
  async choose(): Promise<void> {}
  async collection(): Promise<void> {}
}
