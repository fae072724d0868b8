/**
 * What the bot needs from the music pipeline (`src/music`), so the bot's own features do
 * not depend on how links become audio, and its implementation on the music service:
 * `app.ts` calls `createMusicPort(createMusicService(…))` and hands the result to
 * `createBot`. Without it the bot still runs and says downloads are unavailable.
 *
 * @example
 * const music = createMusicService({ config, db, spotify: webApi, logger });
 * const port = createMusicPort(music);
 * const app = createBot({ config, links, spotify, music: port, logger });
 */
import type { BotContext } from '../context.ts';
import type { BotFeature, InlineContext } from '../routing.ts';
import { parseUrl } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import { UserRateLimit } from '../userRateLimit.ts';
import { MemoryChoiceStore, type ChoiceStore } from './choiceStore.ts';
import { MusicJobRunner, type JobRunnerDeps } from './jobRunner.ts';
import { musicFeature, originOf } from './musicFeature.ts';
import { LocalMusicJobs, type MusicJobs } from './musicJobs.ts';
import { MusicRequests } from './musicRequests.ts';
import { SendAll } from './sendAll.ts';
import type { SendAllRuns } from './sendAllRuns.ts';
import { answerInlineSearch, type InlineSearchDeps } from './inlineSearch.ts';

/** The music pipeline as the bot sees it. */
export interface MusicPort {
  /**
   * Messages that hold music links and the pipeline's own buttons (candidate choice,
   * cancel, "Send all"), routed with the bot's other features; what it declines reaches the fallback.
   */
  readonly feature: BotFeature;
  /** Sends a Spotify track as audio to the chat of `ctx` (the ⬇️ Download buttons). */
  downloadSpotifyTrack(ctx: BotContext, trackId: string): Promise<void>;
  /** The cached Telegram `file_id` of a Spotify track, for inline results; undefined if not sent yet. */
  cachedAudio(spotifyTrackId: string): Promise<string | undefined>;
  /** Answers a non-empty inline query with tracks found by name (`inlineSearch.ts`). */
  answerInlineSearch(ctx: InlineContext): Promise<void>;
}

/** Optional tuning of {@link createMusicPort}. */
export type MusicPortOptions = Partial<Pick<JobRunnerDeps, 'progressIntervalMs' | 'progressClock' | 'chatActionEveryMs'>> & {
  /** Where choices are kept (default: this process's memory; PostgreSQL's when instances share work). */
  readonly choices?: ChoiceStore;
  /** Who has a "Send all" run going (default: this process's memory; PostgreSQL's when instances share work). */
  readonly sendAllRuns?: SendAllRuns;
  /**
   * The download queue (default: the service's own, run in this process with the runner made
   * here). `app.ts` gives PostgreSQL's when `DATABASE_URL` is set.
   */
  readonly jobs?: MusicJobs;
  /** Text searches a user may start per minute (default {@link SEARCHES_PER_MINUTE}). */
  readonly searchesPerMinute?: number;
  /** Epoch ms for the search rate (default `Date.now`). */
  readonly now?: () => number;
  /** `STORAGE_CHAT_ID` (see `inlineSearch.ts`). */
  readonly storageChatId?: number;
};

/**
 * Each search asks up to three outside catalogues: generous for a person typing song names,
 * not for a script (Deezer's public API allows 50 requests per 5 s for the whole bot).
 */
export const SEARCHES_PER_MINUTE = 12;

/** Wires the music feature and the ⬇️ Download / inline helpers onto `service`. */
export function createMusicPort(service: MusicService, options: MusicPortOptions = {}): MusicPort {
  const choices = options.choices ?? new MemoryChoiceStore();
  const { searchesPerMinute, now, storageChatId, jobs: given, sendAllRuns, ...progressOptions } = options;
  const jobs = given ?? new LocalMusicJobs(service.queue, new MusicJobRunner({ service, choices, limits: service.limits, ...(storageChatId !== undefined && { storageChatId }), ...progressOptions }));
  const { progressIntervalMs, progressClock } = progressOptions;
  const shown = { ...(progressIntervalMs !== undefined && { progressIntervalMs }), ...(progressClock && { progressClock }) };
  const requests = new MusicRequests({ service, jobs, ...shown });
  const searchRate = new UserRateLimit(searchesPerMinute ?? SEARCHES_PER_MINUTE, 60_000, now ?? Date.now);
  const inline: InlineSearchDeps = { service, jobs, choices, rate: searchRate, limits: service.limits, ...(storageChatId !== undefined && { storageChatId }) };
  const sendAll = new SendAll({ service, jobs, maxTracks: service.collectionLimit, ...shown, ...(sendAllRuns && { runs: sendAllRuns }) });
  return {
    feature: musicFeature({ service, jobs, requests, choices, searchRate, sendAll, inline }),
    answerInlineSearch: (ctx) => answerInlineSearch(inline, ctx),
    /**
     * Queues the track for the chat of `ctx` (the user's private chat for inline messages).
     * Resolves once queued or sent from the cache; never answers the callback query.
     */
    async downloadSpotifyTrack(ctx: BotContext, trackId: string): Promise<void> {
      const verdict = parseUrl(`https://open.spotify.com/track/${trackId}`);
      const origin = originOf(ctx);
      if (verdict.type !== 'link' || !origin) return;
      await requests.start(origin, verdict.link, undefined, ctx.callbackQuery ? `c:${ctx.callbackQuery.id}` : undefined);
    },
    async cachedAudio(spotifyTrackId: string): Promise<string | undefined> {
      if (!/^[A-Za-z0-9]{22}$/.test(spotifyTrackId)) return undefined;
      return (await service.cached(`spotify:track:${spotifyTrackId}`))?.fileId;
    },
  };
}
