/**
 * "Send all" under an album's or playlist's list: its tracks sent in order as audio, through
 * the same pipeline and queue as single requests, with one progress message for the whole
 * run ("3/12 · Artist — Title") and one Stop button, then a one-line summary of what was not
 * sent and why.
 *
 * Fair to other users: each track is its own queue job, submitted only when the previous one
 * has finished, so a run holds at most one of the user's queue places and one download slot
 * at a time, and other users' requests start between its tracks. One run per user, on any
 * instance (a lease, `sendAllRuns.ts`): a second "Send all" while one runs is answered, not
 * started.
 *
 * An unsure match (the pipeline's `choose`) is not sent and counted as "no sure match": a
 * run must not leave a choice message per track behind, and guessing would send wrong songs.
 */
import { randomUUID } from 'node:crypto';
import type { MusicLink } from '../../music/links/index.ts';
import type { MusicService } from '../../music/musicService.ts';
import type { MusicErrorCode } from '../../music/errors.ts';
import { stopAllData } from './callbackData.ts';
import type { RequestOrigin } from './musicRequests.ts';
import type { JobEnd, MusicJobs } from './musicJobs.ts';
import { ProgressMessage, type ProgressClock } from './progressMessage.ts';
import { MemorySendAllRuns, type SendAllRuns } from './sendAllRuns.ts';
import { sendCachedAudio, type ChatScope } from './telegramSink.ts';

/** One track of a run, as listed. */
export interface SendAllTrack {
  readonly link: MusicLink;
  readonly name: string;
}

/** What {@link SendAll} needs. */
export interface SendAllDeps {
  readonly service: MusicService;
  readonly jobs: MusicJobs;
  /** Most tracks one run sends (`MAX_COLLECTION_TRACKS`). */
  readonly maxTracks: number;
  readonly progressIntervalMs?: number;
  readonly progressClock?: ProgressClock;
  /** Who has a run going, for every instance (default: this process's memory). */
  readonly runs?: SendAllRuns;
}

/** The short reason a track was not sent, as the summary names it. */
const REASON: Partial<Record<MusicErrorCode, string>> = {
  MUSIC_NO_MATCH: 'no-match',
  MUSIC_TOO_LONG: 'too-long',
  MUSIC_TOO_LARGE: 'too-large',
  MUSIC_DEAD_LINK: 'unavailable',
  MUSIC_REGION_BLOCKED: 'unavailable',
  MUSIC_SOURCE_REFUSED: 'unavailable',
  MUSIC_PREVIEW_ONLY: 'unavailable',
  MUSIC_LIVE_STREAM: 'unavailable',
};

/** How long a track waits for a free place in the user's queue, and how often it looks. */
const BUSY_WAIT_MS = 10 * 60_000;
const BUSY_POLL_MS = 1000;

/**
 * A run's lease lasts this long and is renewed every third of it: an instance that dies
 * mid-run keeps its user from starting another for at most a minute.
 */
const LEASE_MS = 60_000;

interface Run {
  readonly id: string;
  stopped: boolean;
  jobId?: string;
}

/** See the module comment. */
export class SendAll {
  /** This instance's runs (another instance's are known only by their lease). */
  readonly #runs = new Map<number, Run>();
  readonly #leases: SendAllRuns;

  constructor(private readonly d: SendAllDeps) {
    this.#leases = d.runs ?? new MemorySendAllRuns();
  }

  /**
   * Starts a run for `origin`'s user; false (nothing started) when one is already going here
   * or on another instance. Resolves once started: the tracks follow on their own, like
   * single requests.
   */
  async start(origin: RequestOrigin, tracks: readonly SendAllTrack[]): Promise<boolean> {
    const { userId } = origin;
    if (this.#runs.has(userId)) return false;
    const run: Run = { id: randomUUID(), stopped: false };
    this.#runs.set(userId, run); // before the await: a second tap on this instance waits for nothing
    let claimed = false;
    try {
      claimed = await this.#leases.claim(userId, run.id, LEASE_MS);
    } finally {
      if (!claimed) this.#runs.delete(userId);
    }
    if (!claimed) return false;
    const renew = setInterval(() => void this.#leases.claim(userId, run.id, LEASE_MS).catch(() => undefined), LEASE_MS / 3);
    renew.unref(); // never what keeps a stopping process alive
    void this.#go(origin, tracks.slice(0, this.d.maxTracks), run)
      .catch((err: unknown) => this.d.service.logger.warn({ err }, 'send all failed'))
      .finally(() => {
        clearInterval(renew);
        this.#runs.delete(userId);
        void this.#leases.release(userId, run.id).catch(() => undefined);
      });
    return true;
  }

  /**
   * Stops `userId`'s run: the current track is cancelled, the rest not started. The run may be
   * another instance's (the Stop press reached this one): cancelling its current track, a
   * `batch` job, ends it there. False when none runs.
   */
  async stop(userId: number): Promise<boolean> {
    const run = this.#runs.get(userId);
    if (run && !run.stopped) {
      run.stopped = true;
      if (run.jobId) await this.d.jobs.cancel(run.jobId, userId);
      return true;
    }
    return this.d.jobs.cancelBatch(userId);
  }

  async #go(origin: RequestOrigin, tracks: readonly SendAllTrack[], run: Run): Promise<void> {
    const { service } = this.d;
    const t = origin.t;
    const scope: ChatScope = { api: origin.api, chatId: origin.chatId, t, logger: service.logger };
    const markup = { inline_keyboard: [[{ text: t('music-button-stop-all'), callback_data: stopAllData() }]] };
    const line = (i: number, track: SendAllTrack) => t('music-send-all-progress', { n: i + 1, count: tracks.length, track: track.name });
    const progress = await ProgressMessage.send(origin.api, origin.chatId, line(0, tracks[0]!), markup, {
      intervalMs: this.d.progressIntervalMs,
      ...(this.d.progressClock && { clock: this.d.progressClock }),
      logger: service.logger,
    });
    const failed: { name: string; reason: string }[] = [];
    let sent = 0;
    for (const [i, track] of tracks.entries()) {
      if (run.stopped) break;
      progress?.update(line(i, track), markup);
      const outcome = await this.#one(scope, origin, track.link, run);
      if (outcome === 'sent') sent++;
      else if (outcome !== 'stopped') failed.push({ name: track.name, reason: t(`music-send-all-reason-${outcome}`) });
    }
    const head = run.stopped
      ? t('music-send-all-stopped', { sent, count: tracks.length })
      : t('music-send-all-done', { sent, count: tracks.length });
    const tail = failed.length === 0 ? '' : ` ${t('music-send-all-failed', { list: failed.map((f) => `${f.name} (${f.reason})`).join(', ') })}`;
    const summary = `${head}${tail}`;
    if (progress) await progress.finish(summary.length > 4000 ? `${summary.slice(0, 3999)}…` : summary);
    else await origin.api.sendMessage(origin.chatId, summary.slice(0, 4000)).catch(() => undefined);
  }

  /** One track: from the cache, else as a queue job; what became of it. */
  async #one(scope: ChatScope, origin: RequestOrigin, link: MusicLink, run: Run): Promise<'sent' | 'stopped' | string> {
    const { service, jobs } = this.d;
    const hit = link.needsRedirect ? undefined : await service.cached(link.key).catch(() => undefined);
    if (hit && (await sendCachedAudio(scope, hit, link).catch(() => false))) {
      service.metrics.cacheHit('key');
      return 'sent';
    }
    const jobId = randomUUID();
    const job = {
      userId: origin.userId,
      locale: origin.locale,
      target: { kind: 'batch', chatId: origin.chatId },
      what: { link: { url: link.url, original: link.original, key: link.key } },
    } as const;
    const submit = () => jobs.submit(jobId, job, origin.api).catch(() => ({ accepted: false, reason: 'closed' }) as const);
    let submitted = await submit();
    // The user's other requests fill their queue places: wait for one to end, as a person would.
    for (let waited = 0; !submitted.accepted && submitted.reason === 'busy' && !run.stopped && waited < BUSY_WAIT_MS; waited += BUSY_POLL_MS) {
      await new Promise((r) => setTimeout(r, BUSY_POLL_MS));
      submitted = await submit();
    }
    if (run.stopped && !submitted.accepted) return 'stopped';
    if (!submitted.accepted) {
      if (submitted.reason === 'closed') run.stopped = true; // shutting down: the rest would fail too
      return 'failed';
    }
    run.jobId = jobId;
    if (run.stopped) await jobs.cancel(jobId, origin.userId);
    const end = await jobs.ended(jobId).catch((): JobEnd => ({ status: 'failed', code: 'MUSIC_UNKNOWN_JOB' }));
    run.jobId = undefined;
    return outcomeOf(end, run);
  }
}

/** What the summary says of a track's job end; a cancelled one (Stop, on any instance) stops the run. */
function outcomeOf(end: JobEnd, run: Run): string {
  if (end.status === 'done') return 'sent';
  if (end.status === 'cancelled' || end.code === 'MUSIC_CANCELLED') {
    run.stopped = true;
    return 'stopped';
  }
  return REASON[end.code as MusicErrorCode] ?? 'failed';
}
