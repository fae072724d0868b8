/**
 * Starting music requests from the bot: the instant path (a cached `file_id` is re-sent
 * right away, no queue), else a queue job with its progress message and cancel button.
 *
 * A handler never waits for a job: the bot processes each user's updates one after another,
 * so waiting would hold back the user's cancel button (and every later message) until the
 * download ended. Jobs report through their own messages instead.
 */
import type { Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { TranslationArgs } from '../../i18n/translate.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import type { MusicRequest } from '../../music/pipeline.ts';
import { cancelData } from './callbackData.ts';
import type { ChoiceStore } from './choiceStore.ts';
import { errorMessage, isOperatorProblem, type MusicLimits } from './errorText.ts';
import { ProgressMessage, type ProgressClock } from './progressMessage.ts';
import { sendCachedAudio, TelegramSink, type ChatScope } from './telegramSink.ts';

/** Who asks, where, and how to talk to them. */
export interface RequestOrigin {
  readonly api: Api;
  readonly chatId: number;
  readonly userId: number;
  readonly t: (key: string, args?: TranslationArgs) => string;
  /** The user's message to answer (links in a message), if any. */
  readonly replyTo?: number;
}

/** Settings of {@link MusicRequests}. */
export interface MusicRequestsOptions {
  readonly service: MusicService;
  readonly choices: ChoiceStore;
  readonly limits: MusicLimits;
  /** Minimum gap between progress edits (default 2000 ms). */
  readonly progressIntervalMs?: number;
  readonly progressClock?: ProgressClock;
  /** How often `upload_voice` is repeated during an upload (default 4500 ms). */
  readonly chatActionEveryMs?: number;
}

/** See the module comment. */
export class MusicRequests {
  constructor(private readonly o: MusicRequestsOptions) {}

  /**
   * Starts one request. Resolves once it is answered from the cache, queued (its progress
   * message sent) or refused as "please wait"; the audio follows on its own.
   */
  async start(origin: RequestOrigin, link: MusicLink, chosen?: MusicRequest['chosen']): Promise<void> {
    const { service } = this.o;
    const scope: ChatScope = { api: origin.api, chatId: origin.chatId, t: origin.t, logger: service.logger, ...(origin.replyTo !== undefined && { replyTo: origin.replyTo }) };
    if (!chosen && !link.needsRedirect) {
      const hit = await service.cached(link.key).catch(() => undefined);
      if (hit) {
        if (await sendCachedAudio(scope, hit, link)) {
          service.metrics.cacheHit('key');
          return;
        }
        await service.forget(link.key).catch(() => undefined);
      }
    }

    let ready!: (p: ProgressMessage | undefined) => void;
    const progress = new Promise<ProgressMessage | undefined>((resolve) => (ready = resolve));
    let markup: InlineKeyboardMarkup = { inline_keyboard: [] };
    const request: MusicRequest = { link, userId: origin.userId, ...(chosen && { chosen }) };
    const submitted = service.queue.submit(origin.userId, {
      run: async (signal) => this.#run(scope, request, await progress, markup, signal),
      onDropped: (reason) => void progress.then((p) => p?.finish(origin.t(errorMessage(reason, this.o.limits).key))),
    });
    if (!submitted.accepted) {
      ready(undefined);
      const text = submitted.reason === 'busy' ? origin.t('music-busy', { count: service.queue.perUserLimit }) : origin.t('music-error-internal');
      await origin.api.sendMessage(origin.chatId, text, scope.replyTo === undefined ? {} : { reply_parameters: { message_id: scope.replyTo, allow_sending_without_reply: true } }).catch(() => undefined);
      return;
    }
    const job = submitted.job;
    markup = { inline_keyboard: [[{ text: origin.t('music-button-cancel'), callback_data: cancelData(job.id) }]] };
    const position = job.position();
    const text = job.running || position === 0 ? origin.t('music-progress-searching') : origin.t('music-progress-queued', { position });
    ready(
      await ProgressMessage.send(origin.api, origin.chatId, text, markup, {
        intervalMs: this.o.progressIntervalMs,
        ...(origin.replyTo !== undefined && { replyTo: origin.replyTo }),
        ...(this.o.progressClock && { clock: this.o.progressClock }),
        logger: service.logger,
      }),
    );
  }

  async #run(scope: ChatScope, request: MusicRequest, progress: ProgressMessage | undefined, markup: InlineKeyboardMarkup, signal: AbortSignal): Promise<void> {
    const { service } = this.o;
    const log = service.logger.child({ key: request.link.key });
    const sink = new TelegramSink(scope, progress, markup, this.o.choices, this.o.chatActionEveryMs);
    const started = performance.now();
    progress?.update(scope.t('music-progress-searching'), markup);
    try {
      await service.run(request, sink, signal);
      if (!sink.kept) await progress?.remove();
      const ms = Math.round(performance.now() - started);
      if (sink.outcome === 'uploaded' || sink.outcome === 'cached') service.metrics.downloadFinished({ outcome: 'sent', seconds: ms / 1000 });
      log.info({ outcome: sink.outcome ?? 'none', ms }, 'music request done');
    } catch (err) {
      const { key, args } = errorMessage(err, this.o.limits);
      const text = scope.t(key, args);
      const code = (err as { code?: unknown }).code;
      service.metrics.downloadFinished({
        outcome: code === 'MUSIC_CANCELLED' ? 'cancelled' : 'failed',
        ...(typeof code === 'string' && { code }),
        seconds: (performance.now() - started) / 1000,
      });
      if (isOperatorProblem(err)) log.warn({ err }, 'music request failed');
      else log.info({ code }, 'music request refused');
      if (progress) await progress.finish(text);
      else await scope.api.sendMessage(scope.chatId, text).catch(() => undefined);
    }
  }
}
