/**
 * One music request from link to sent audio: follow a share link, re-send from the
 * `file_id` cache when possible, resolve metadata, search and match, download, send, and
 * remember the upload. Presentation (progress, buttons, the upload itself) is the
 * {@link MusicSink}'s job, so the same pipeline serves link messages, candidate choices,
 * album buttons and the ⬇️ Download buttons of `/now` and `/recent`.
 */
import type { Logger } from 'pino';
import type { CacheHitKind, MusicMetrics } from '../metrics/musicMetrics.ts';
import type { AudioCache, CachedAudio } from './cache/audioCache.ts';
import type { DownloadedAudio, Downloader } from './download/downloader.ts';
import { abortReason, isMusicError, MusicError, type MusicErrorCode } from './errors.ts';
import { parseUrl, resolveShortLink, ShortLinkError, type MusicLink, type Platform, type ResolveShortLinkOptions } from './links/index.ts';
import type { Candidate } from './matcher/index.ts';
import type { Odesli, OdesliAnswer } from './resolvers/odesli.ts';
import { findMatch } from './search/findMatch.ts';
import type { SearchSource } from './search/searchSource.ts';
import { SourceTroubleLog } from './sourceTrouble.ts';
import type { CollectionItem, PlatformResolver, Resolution, TrackInfo } from './types.ts';

/** The steps a user is shown. */
export type Stage = 'searching' | 'downloading' | 'sending';

/** What the user sees of a track while it is being fetched. */
export interface StageDetail {
  readonly title: string;
  readonly performer?: string;
}

/** Where the pipeline's results go (the bot implements it). */
export interface MusicSink {
  /** The request entered a new step. */
  stage(stage: Stage, detail?: StageDetail): void;
  /** Sends an earlier upload by `file_id`; false when Telegram no longer accepts it. */
  sendCached(audio: CachedAudio, link: MusicLink): Promise<boolean>;
  /** Uploads a downloaded file; resolves the new `file_id` (undefined: nothing to cache). */
  sendFile(file: DownloadedAudio, link: MusicLink): Promise<string | undefined>;
  /** The matcher was unsure: offer these (best first) to the user. */
  choose(track: TrackInfo, candidates: readonly Candidate[], link: MusicLink): Promise<void>;
  /** An album or playlist: offer its first tracks. */
  collection(title: string, items: readonly CollectionItem[], total: number | undefined, link: MusicLink): Promise<void>;
}

/** A request. */
export interface MusicRequest {
  readonly link: MusicLink;
  /** The Telegram user asking (their Spotify link gives exact metadata). */
  readonly userId?: number;
  /** A candidate the user picked from a `choose` list: download it, no search. */
  readonly chosen?: { readonly candidate: Candidate; readonly track?: TrackInfo };
}

/** What the pipeline is built from. */
export interface PipelineDeps {
  readonly resolvers: Readonly<Record<Platform, PlatformResolver>>;
  readonly search: SearchSource;
  readonly downloader: Downloader;
  readonly cache: AudioCache;
  readonly odesli?: Odesli;
  readonly shortLinks: ResolveShortLinkOptions;
  /** Maps a media page URL to where it is fetched from. */
  readonly mediaUrl: (url: string) => string;
  readonly maxSeconds: number;
  readonly logger: Logger;
  readonly metrics: MusicMetrics;
  readonly now: () => number;
}

/** Uploads tried for one track at most: the match and its alternates, best first. */
const MAX_UPLOADS = 3;

/**
 * Failures of one upload that another upload of the same track may not share: blocked here,
 * age-gated, removed, refused right now, or only a preview. Limits, cancellation and the
 * job's deadline end the request instead.
 */
const TRY_NEXT: readonly MusicErrorCode[] = [
  'MUSIC_REGION_BLOCKED',
  'MUSIC_SOURCE_REFUSED',
  'MUSIC_DEAD_LINK',
  'MUSIC_SOURCE_THROTTLED',
  'MUSIC_SOURCE_BROKEN',
  'MUSIC_PREVIEW_ONLY',
];

/** One upload to download: where from, and the cache key of that upload. */
interface Upload {
  readonly url: string;
  readonly sourceKey?: string;
}

/** Runs requests (see the module comment). */
export class Pipeline {
  readonly #trouble: SourceTroubleLog;

  constructor(private readonly d: PipelineDeps) {
    this.#trouble = new SourceTroubleLog({ logger: d.logger, metrics: d.metrics, now: d.now });
  }

  /**
   * Runs one request to its end: a sent audio, a choice or a collection shown.
   *
   * @throws {MusicError} every failure the user should hear about.
   */
  async run(req: MusicRequest, sink: MusicSink, signal: AbortSignal): Promise<void> {
    try {
      await this.#run(req, sink, signal);
    } catch (err) {
      this.#trouble.notice(err);
      throw err;
    }
  }

  async #run(req: MusicRequest, sink: MusicSink, signal: AbortSignal): Promise<void> {
    const keys = new Set<string>([await this.#cacheKey(req.link)]);
    const link = req.link.needsRedirect ? await this.#follow(req.link, signal) : req.link;
    const linkKey = await this.#cacheKey(link);
    keys.add(linkKey);
    // A pick from buttons is this user's answer for this link, not everyone's: it is kept
    // under keys of their own, never under the link's, the ISRC's or the upload's key.
    const userId = req.userId;
    const picked = userId === undefined ? [] : [...keys].map((k) => pickKey(userId, k));
    if (!req.chosen) {
      if (await this.#sendCached(await this.d.cache.get(linkKey), 'key', [...keys], undefined, link, sink)) return;
      if (userId !== undefined && (await this.#sendCached(await this.d.cache.get(pickKey(userId, linkKey)), 'key', picked, undefined, link, sink))) return;
    }
    check(signal);
    sink.stage('searching');

    let track: TrackInfo | undefined;
    let uploads: Upload[];
    if (req.chosen) {
      track = req.chosen.track;
      uploads = [this.#upload(req.chosen.candidate)];
    } else {
      const resolution = await this.#resolve(link, req.userId, signal);
      if (resolution.kind === 'collection') {
        await sink.collection(resolution.title, resolution.items, resolution.total, link);
        return;
      }
      if (resolution.kind === 'media') uploads = [{ url: resolution.url }];
      else {
        track = resolution.track;
        if (track.durationSec !== undefined && track.durationSec > this.d.maxSeconds) {
          throw new MusicError('MUSIC_TOO_LONG', `the track is ${track.durationSec} s long, the limit is ${this.d.maxSeconds} s`);
        }
        const byIsrc = track.isrc ? await this.d.cache.getByIsrc(track.isrc) : undefined;
        if (await this.#sendCached(byIsrc, 'isrc', [...keys], track.isrc, link, sink)) return;
        const verdict = await findMatch(track, this.d.search, { signal, extra: resolution.candidates, maxSeconds: this.d.maxSeconds });
        this.d.logger.debug({ key: link.key, verdict: verdict.kind }, 'match');
        if (verdict.kind === 'none') throw new MusicError('MUSIC_NO_MATCH', `no upload matches (${verdict.reason})`);
        if (verdict.kind === 'ambiguous') {
          await sink.choose(track, verdict.top, link);
          return;
        }
        uploads = [verdict.candidate, ...verdict.alternates].slice(0, MAX_UPLOADS).map((c) => this.#upload(c));
        const bySource = await this.d.cache.get(uploads[0]!.sourceKey!);
        if (await this.#sendCached(bySource, 'source', [...keys], track.isrc, link, sink)) return;
      }
    }

    check(signal);
    this.d.metrics.cacheMiss();
    sink.stage('downloading', track && detail(track));
    const { file, sourceKey } = await this.#download(uploads, track, signal);
    try {
      check(signal);
      sink.stage('sending', { title: file.title, ...(file.performer && { performer: file.performer }) });
      const fileId = await sink.sendFile(file, link);
      if (fileId) {
        const audio: CachedAudio = { fileId, title: file.title, ...(file.performer && { performer: file.performer }), durationSec: file.durationSec, storedAt: this.d.now() };
        // Keys anyone may reach (the ISRC, the upload's page) only for a match the pipeline
        // made itself from a public link.
        const shared = !req.chosen && !link.private;
        const all = req.chosen ? picked : sourceKey && shared ? [...keys, sourceKey] : [...keys];
        await this.d.cache.put(all, shared ? track?.isrc : undefined, audio).catch((err: unknown) => this.d.logger.warn({ err }, 'file_id not cached'));
      }
    } finally {
      await file.dispose();
    }
  }

  /**
   * Downloads the first of `uploads` that can be downloaded. A failure another upload may
   * not share ({@link TRY_NEXT}) moves on to the next; when all fail, the first failure is
   * the one the user reads (it concerns the best match).
   */
  async #download(uploads: readonly Upload[], track: TrackInfo | undefined, signal: AbortSignal): Promise<{ file: DownloadedAudio; sourceKey: string | undefined }> {
    let first: unknown;
    for (const [i, upload] of uploads.entries()) {
      try {
        const file = await this.d.downloader.download({ url: upload.url, ...(track && { track }), signal });
        return { file, sourceKey: upload.sourceKey };
      } catch (err) {
        if (signal.aborted || !isMusicError(err, ...TRY_NEXT)) throw err;
        this.#trouble.notice(err);
        first ??= err;
        if (i + 1 < uploads.length) this.d.logger.info({ code: err.code, failed: upload.sourceKey, next: uploads[i + 1]!.sourceKey }, 'upload not downloadable, trying the next candidate');
      }
    }
    throw first;
  }

  /** A link's cache key: its canonical key, or a sealed one when its URL is a secret. */
  #cacheKey(link: MusicLink): Promise<string> {
    return link.private ? this.d.cache.sealedKey(link.url) : Promise.resolve(link.key);
  }

  #upload(c: Candidate): Upload {
    return { url: this.d.mediaUrl(c.url), sourceKey: candidateKey(c) };
  }

  /** Re-sends `hit` and stores it under all `keys`; false (and the stale entry forgotten) when Telegram refuses it. */
  async #sendCached(hit: CachedAudio | undefined, by: CacheHitKind, keys: string[], isrc: string | undefined, link: MusicLink, sink: MusicSink): Promise<boolean> {
    if (!hit) return false;
    if (await sink.sendCached(hit, link)) {
      this.d.metrics.cacheHit(by);
      await this.d.cache.put(keys, isrc, hit).catch((err: unknown) => this.d.logger.warn({ err }, 'file_id not cached'));
      return true;
    }
    await this.d.cache.delete(keys, isrc).catch(() => undefined);
    return false;
  }

  async #follow(link: MusicLink, signal: AbortSignal): Promise<MusicLink> {
    try {
      return await resolveShortLink(link, { ...this.d.shortLinks, signal });
    } catch (err) {
      if (signal.aborted) throw abortReason(signal);
      if (!(err instanceof ShortLinkError)) throw err;
      const code =
        err.code === 'SHORT_LINK_OFF_PLATFORM' ? 'MUSIC_UNSUPPORTED_LINK'
        : err.retryable ? 'MUSIC_SOURCE_UNAVAILABLE'
        : 'MUSIC_DEAD_LINK';
      throw new MusicError(code, `short link: ${err.code}`, { service: link.platform, ...(err.status !== undefined && { status: err.status }), cause: err });
    }
  }

  /** The platform's resolver, with Odesli alongside for single tracks (soft: it never fails the request). */
  async #resolve(link: MusicLink, userId: number | undefined, signal: AbortSignal): Promise<Resolution> {
    const resolver = this.d.resolvers[link.platform];
    const ctx = { signal, ...(userId !== undefined && { userId }) };
    const odesli = this.d.odesli && link.kind === 'track' ? this.d.odesli.lookup(link.url, signal) : undefined;
    odesli?.catch(() => undefined);
    let resolution: Resolution;
    try {
      resolution = await resolver.resolve(link, ctx);
    } catch (err) {
      const rescuable = isMusicError(err, 'MUSIC_SOURCE_UNAVAILABLE', 'MUSIC_TIMEOUT', 'MUSIC_YANDEX_REFUSED', 'MUSIC_REGION_BLOCKED');
      const rescued = odesli && rescuable ? fromOdesli(await odesli, link) : undefined;
      if (!rescued) throw err;
      this.d.logger.info({ key: link.key, code: (err as MusicError).code }, 'metadata from odesli after the resolver failed');
      return rescued;
    }
    if (resolution.kind !== 'track' || !odesli) return resolution;
    const extra = (await odesli).candidates;
    return extra.length === 0 ? resolution : { ...resolution, candidates: [...(resolution.candidates ?? []), ...extra] };
  }
}

function fromOdesli(answer: OdesliAnswer, link: MusicLink): Resolution | undefined {
  if (!answer.title) return undefined;
  const track: TrackInfo = {
    platform: link.platform,
    pageUrl: link.url,
    title: answer.title,
    artists: answer.artists ?? [],
    ...(answer.coverUrl && { coverUrl: answer.coverUrl }),
  };
  return { kind: 'track', track, candidates: answer.candidates };
}

function check(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

function detail(track: TrackInfo): StageDetail {
  return { title: track.title, ...(track.artists.length > 0 && { performer: track.artists.join(', ') }) };
}

/** The key of one user's pick from buttons for a link's cache key. */
function pickKey(userId: number, key: string): string {
  return `pick:${userId}:${key}`;
}

/** The cache key of a downloaded candidate: the canonical key of its page when it has one. */
export function candidateKey(c: Candidate): string {
  const verdict = parseUrl(c.url);
  if (verdict.type === 'link') return verdict.link.key;
  return `${c.source === 'youtube-music' ? 'youtube' : c.source}:candidate:${c.id}`;
}
