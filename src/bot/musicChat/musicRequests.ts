/**
 * Starting music requests from the bot: the instant path (a cached `file_id` is re-sent
 * right away, no queue), else a queue job with its progress message and cancel button.
 *
 * A handler never waits for a job: the bot processes each user's updates one after another,
 * so waiting would hold back the user's cancel button (and every later message) until the
 * download ended. Jobs report through their own messages instead.
 */
import { randomUUID } from 'node:crypto';
import type { Api } from 'grammy';
import type { Locale } from '../../i18n/locale.ts';
import type { TranslationArgs } from '../../i18n/translate.ts';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import { cancelMarkup, WAITING_KEY } from './jobRunner.ts';
import type { MusicJob } from './musicJob.ts';
import { jobIdFor, type MusicJobs } from './musicJobs.ts';
import { ProgressMessage, type ProgressClock } from './progressMessage.ts';
import { sendCachedAudio, type ChatScope } from './telegramSink.ts';

/** Who asks, where, and how to talk to them. */
export interface RequestOrigin {
  readonly api: Api;
  readonly chatId: number;
  readonly userId: number;
  readonly locale: Locale;
  readonly t: (key: string, args?: TranslationArgs) => string;
  /** The user's message to answer (links in a message), if any. */
  readonly replyTo?: number;
}

/** Settings of {@link MusicRequests}. */
export interface MusicRequestsOptions {
  readonly service: MusicService;
  readonly jobs: MusicJobs;
  /** Minimum gap between progress edits (default 2000 ms). */
  readonly progressIntervalMs?: number;
  readonly progressClock?: ProgressClock;
}

/** A picked entry of a stored choice (an unsure match's candidate). */
export interface PickedChoice {
  readonly choiceId: string;
  readonly index: number;
}

/** See the module comment. */
export class MusicRequests {
  constructor(private readonly o: MusicRequestsOptions) {}

  /**
   * Starts one request. Resolves once it is answered from the cache, queued (its progress
   * message sent) or refused as "please wait"; the audio follows on its own.
   */
  async start(origin: RequestOrigin, link: MusicLink, picked?: PickedChoice, requestKey?: string): Promise<void> {
    const { service, jobs } = this.o;
    const scope: ChatScope = { api: origin.api, chatId: origin.chatId, t: origin.t, logger: service.logger, ...(origin.replyTo !== undefined && { replyTo: origin.replyTo }) };
    // The Cancel button names the job, so the id is chosen before the message and the job. An
    // update delivered again (see `jobIdFor`) finds its job and does nothing: no second ⏳, no
    // "please wait" for its own place in the line, no second audio from the cache it filled.
    const jobId = requestKey === undefined ? randomUUID() : jobIdFor(requestKey);
    if (requestKey !== undefined && (await jobs.has(jobId).catch(() => false))) return;
    if (!picked && !link.needsRedirect) {
      const hit = await service.cached(link.key).catch(() => undefined);
      if (hit) {
        if (await sendCachedAudio(scope, hit, link)) {
          service.metrics.cacheHit('key');
          return;
        }
        await service.forget(link.key).catch(() => undefined);
      }
    }
    const reply = scope.replyTo === undefined ? {} : { reply_parameters: { message_id: scope.replyTo, allow_sending_without_reply: true } };
    const busyText = () => origin.t('music-busy', { count: jobs.perUserLimit });
    if (!(await jobs.hasRoom(origin.userId).catch(() => true))) {
      await origin.api.sendMessage(origin.chatId, busyText(), reply).catch(() => undefined);
      return;
    }
    const progress = await ProgressMessage.send(origin.api, origin.chatId, origin.t(WAITING_KEY), cancelMarkup(origin.t, jobId), {
      intervalMs: this.o.progressIntervalMs,
      ...(origin.replyTo !== undefined && { replyTo: origin.replyTo }),
      ...(this.o.progressClock && { clock: this.o.progressClock }),
      logger: service.logger,
    });
    const job: MusicJob = {
      userId: origin.userId,
      locale: origin.locale,
      target: { kind: 'chat', chatId: origin.chatId, ...(progress && { progressMessageId: progress.messageId }), ...(origin.replyTo !== undefined && { replyTo: origin.replyTo }) },
      what: picked ?? { link: { url: link.url, original: link.original, key: link.key } },
    };
    const submitted = await jobs.submit(jobId, job, origin.api).catch((err: unknown) => {
      service.logger.error({ err }, 'music job not queued');
      return { accepted: false, reason: 'closed' } as const;
    });
    if (submitted.accepted) return;
    const text = submitted.reason === 'busy' ? busyText() : origin.t('music-error-internal');
    if (progress) await progress.finish(text);
    else await origin.api.sendMessage(origin.chatId, text, reply).catch(() => undefined);
  }
}
