/**
 * The music service: everything `src/music` offers the bot, wired from the config. `src/app.ts`
 * creates one with {@link createMusicService} and hands it to `createMusicPort` (in
 * `src/bot/musicChat/`).
 *
 * @example
 * const music = createMusicService({ config, db, spotify: webApi, logger });
 * const port = createMusicPort(music);      // src/bot/musicChat/musicPort.ts
 * // … on shutdown:
 * await music.close();
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RootDb } from '../../eventlog/index.ts';
import type { Config } from '../config.ts';
import type { LyricsClient } from '../lyrics/lrclib.ts';
import type { MusicMetrics } from '../metrics/musicMetrics.ts';
import { openAudioCache, type AudioCache, type CachedAudio } from './cache/audioCache.ts';
import { createDownloader, type Downloader } from './download/downloader.ts';
import { sweepStaleJobDirs } from './download/tempDirs.ts';
import { canonicalHost, parseMessage, platformOfHost, type ParsedMessage, type Platform } from './links/index.ts';
import { Pipeline, type MusicRequest, type MusicSink } from './pipeline.ts';
import { DownloadQueue } from './queue/downloadQueue.ts';
import { createAppleResolver } from './resolvers/appleResolver.ts';
import { createDeezerResolver } from './resolvers/deezerResolver.ts';
import { createMediaResolver } from './resolvers/mediaResolver.ts';
import { createOdesli } from './resolvers/odesli.ts';
import { onBase } from './resolvers/settings.ts';
import { createSpotifyResolver, type SpotifyTrackReader } from './resolvers/spotifyResolver.ts';
import { createTidalResolver } from './resolvers/tidalResolver.ts';
import { createYandexResolver } from './resolvers/yandexResolver.ts';
import type { SearchSource } from './search/searchSource.ts';
import { createDeezerSearch, createItunesSearch, createSpotifySearch } from './textSearch/catalogClients.ts';
import { TextSearch } from './textSearch/textSearch.ts';
import { createYtDlpSearch } from './search/ytDlpSearch.ts';
import type { AudioFormat } from './tools/ffmpeg.ts';
import { ToolMeter } from './tools/runProcess.ts';
import type { YtDlpSettings } from './tools/ytDlp.ts';
import type { PlatformResolver } from './types.ts';

/**
 * Origins that replace the real services' in requests (tests point them at local fakes;
 * an operator could point them at a mirror). Each is optional.
 */
export interface MusicUrlOverrides {
  /** Public Spotify track pages (`/track/<id>`), the fallback without a token. */
  readonly spotifyWeb?: string;
  /** Yandex Music track pages, the fallback when the API refuses. */
  readonly yandexWeb?: string;
  /** Tidal track pages (`/browse/track/<id>`). */
  readonly tidalWeb?: string;
  /** Where YouTube pages (`/watch?v=…`) are downloaded from. */
  readonly youtube?: string;
  /** Where SoundCloud pages (`/<user>/<track>`) are downloaded from. */
  readonly soundcloud?: string;
  /** Per short-link host (`spotify.link`, `on.soundcloud.com`, …). */
  readonly shortLinks?: Readonly<Record<string, string>>;
}

/** Tuning that has no environment variable; the defaults suit production. */
export interface MusicServiceOptions {
  readonly urls?: MusicUrlOverrides;
  /** Output format (default `m4a`: AAC copied from the source when it has it). */
  readonly format?: AudioFormat;
  /** Where job directories go (default the OS temp directory). */
  readonly tempRoot?: string;
  /** Jobs a user may have waiting behind a running one (default 3). */
  readonly perUserWaiting?: number;
  /** A job's deadline (default 10 min). */
  readonly jobTimeoutMs?: number;
  /** Budget of one metadata request (default 8 s). */
  readonly metadataTimeoutMs?: number;
  /** Tracks listed for an album or playlist (default `MAX_COLLECTION_TRACKS`, else 25). */
  readonly collectionLimit?: number;
  /** Replaces the yt-dlp + ffmpeg downloader (tests of the queue). */
  readonly downloader?: Downloader;
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Lets covers be fetched from loopback, private and link-local addresses. Only tests set
   * it (their fake servers listen on 127.0.0.1); production refuses such addresses on every
   * hop, since a cover's URL comes from metadata that outsiders may write.
   */
  readonly allowPrivateAddresses?: boolean;
  readonly meter?: ToolMeter;
  readonly now?: () => number;
  /** The text search's whole budget (default 1200 ms). */
  readonly textSearchBudgetMs?: number;
}

/** What {@link createMusicService} needs. */
export interface MusicServiceDeps {
  /**
   * The app config; `music` is read, and `storage.dataDir` when given: yt-dlp keeps its
   * cache in `<DATA_DIR>/yt-dlp-cache` (without it, `--no-cache-dir`).
   */
  readonly config: Pick<Config, 'music'> & { readonly storage?: Pick<Config['storage'], 'dataDir'> };
  /** The `file_id` cache (the app's storage gives it: LevelDB's or PostgreSQL's). */
  readonly cache?: AudioCache;
  /** Without `cache`: a LevelDB whose `music-audio` sublevel becomes the `file_id` cache. */
  readonly db?: RootDb;
  /** The Spotify Web API client (`WebApiClient`); without it Spotify links use public pages. */
  readonly spotify?: SpotifyTrackReader;
  readonly logger: Logger;
  /** The search step (default: YouTube Music and YouTube through yt-dlp). */
  readonly search?: SearchSource;
  /** LRCLIB: found lyrics are written into the files' tags; without it, none are looked up. */
  readonly lyrics?: LyricsClient;
  /** Where jobs, cache hits and misses are counted (default: nowhere). */
  readonly metrics?: MusicMetrics;
  /**
   * Spotify's search for the text search (`SPOTIFY_API_URL` and the app's client-credentials
   * token); without it only Deezer and iTunes are searched.
   */
  readonly spotifySearch?: { readonly apiUrl: string; readonly appToken: (opts?: { forceRefresh?: boolean }) => Promise<string> };
  readonly options?: MusicServiceOptions;
}

/** Records nothing: the default when nobody measures. */
const NO_METRICS: MusicMetrics = { downloadFinished() {}, cacheHit() {}, cacheMiss() {}, queueDepth() {}, sourceTrouble() {} };

/** The music pipeline with its queue and cache. */
export interface MusicService {
  /** Music links (and unsupported music links) of a message. */
  parse(text: string, entityUrls?: readonly string[]): ParsedMessage;
  /** The cached upload of a canonical key, if any. */
  cached(key: string): Promise<CachedAudio | undefined>;
  /** Forgets a canonical key (Telegram refused its `file_id`). */
  forget(key: string): Promise<void>;
  /** Runs one request (inside a queue job). */
  run(request: MusicRequest, sink: MusicSink, signal: AbortSignal): Promise<void>;
  readonly queue: DownloadQueue;
  /** Finding songs by name (Deezer, iTunes and, when configured, Spotify). */
  readonly textSearch: TextSearch;
  /** Tracks an album's or playlist's list shows, and "Send all" sends, at most. */
  readonly collectionLimit: number;
  /** The limits users are told about. */
  readonly limits: { readonly maxTrackSeconds: number; readonly maxUploadMb: number };
  /** Time spent in yt-dlp and ffmpeg (the benchmark reads it). */
  readonly meter: ToolMeter;
  /** Where jobs and cache lookups are counted. */
  readonly metrics: MusicMetrics;
  readonly logger: Logger;
  /** Aborts every job, removes their files, waits for them. The db stays open. */
  close(): Promise<void>;
}

/** Wires the music service from the config. */
export function createMusicService(deps: MusicServiceDeps): MusicService {
  const m = deps.config.music;
  const o = deps.options ?? {};
  const urls = o.urls ?? {};
  const logger = deps.logger.child({ module: 'music' });
  const metrics = deps.metrics ?? NO_METRICS;
  const meter = o.meter ?? new ToolMeter();
  const dataDir = deps.config.storage?.dataDir;
  const ytdlp: YtDlpSettings = {
    path: m.ytdlpPath,
    ...(m.ytdlpCookies && { cookies: m.ytdlpCookies }),
    ...(m.ytdlpProxy && { proxy: m.ytdlpProxy }),
    ...(dataDir && { cacheDir: join(dataDir, 'yt-dlp-cache') }),
    ...(o.tempRoot && { tempRoot: o.tempRoot }),
    meter,
  };
  const http = { timeoutMs: o.metadataTimeoutMs, fetch: o.fetch };
  const limit = o.collectionLimit ?? m.maxCollectionTracks ?? 25;
  // SPOTIFY_WEB_URL serves both the track-page fallback and `open.spotify.com/s/<code>` share links.
  const spotifyWeb = urls.spotifyWeb ?? m.spotifyWebUrl;
  const shortLinkBases = { ...(spotifyWeb && { 'open.spotify.com': spotifyWeb }), ...urls.shortLinks };

  const mediaUrl = (url: string): string => {
    let platform: Platform | undefined;
    try {
      platform = platformOfHost(canonicalHost(new URL(url).hostname));
    } catch {
      return url;
    }
    const base = platform === 'youtube' ? urls.youtube : platform === 'soundcloud' ? urls.soundcloud : undefined;
    return base ? onBase(url, base) : url;
  };
  const media = createMediaResolver({ ytdlp, mediaUrl, collectionLimit: limit });
  const resolvers: Record<Platform, PlatformResolver> = {
    spotify: createSpotifyResolver({ ...http, api: deps.spotify, webUrl: spotifyWeb, logger, collectionLimit: limit }),
    yandex: createYandexResolver({ ...http, apiUrl: m.yandexMusicApiUrl, webUrl: urls.yandexWeb, collectionLimit: limit, logger }),
    deezer: createDeezerResolver({ ...http, apiUrl: m.deezerApiUrl, collectionLimit: limit }),
    apple: createAppleResolver({ ...http, apiUrl: m.itunesApiUrl, collectionLimit: limit, ...(m.appleMusic && { appleMusic: m.appleMusic }) }),
    tidal: createTidalResolver({ ...http, webUrl: urls.tidalWeb }),
    youtube: media,
    soundcloud: media,
  };
  const maxBytes = m.maxUploadMb * 1024 * 1024;
  const downloader =
    o.downloader ??
    createDownloader({ ytdlp, ffmpegPath: m.ffmpegPath, format: o.format, maxSeconds: m.maxTrackSeconds, maxBytes, tempRoot: o.tempRoot, meter, allowPrivateAddresses: o.allowPrivateAddresses, lyrics: deps.lyrics, logger });
  const cache = cacheOf(deps);
  const queue = new DownloadQueue({ concurrency: m.downloadConcurrency, perUserWaiting: o.perUserWaiting, jobTimeoutMs: o.jobTimeoutMs });
  const odesli = m.odesli ? createOdesli({ apiUrl: m.odesli.apiUrl, apiKey: m.odesli.apiKey, fetch: o.fetch, logger }) : undefined;
  const pipeline = new Pipeline({
    resolvers,
    search: deps.search ?? createYtDlpSearch({ ytdlp }),
    downloader,
    cache,
    ...(odesli && { odesli }),
    shortLinks: { baseUrls: shortLinkBases, ...(o.fetch && { fetch: o.fetch }) },
    mediaUrl,
    maxSeconds: m.maxTrackSeconds,
    logger,
    metrics,
    now: o.now ?? Date.now,
  });
  const catalog = { fetch: o.fetch };
  const textSearch = new TextSearch({
    sources: [
      createDeezerSearch({ ...catalog, apiUrl: m.deezerApiUrl }),
      createItunesSearch({ ...catalog, apiUrl: m.itunesApiUrl }),
      ...(deps.spotifySearch ? [createSpotifySearch({ ...catalog, ...deps.spotifySearch })] : []),
    ],
    budgetMs: o.textSearchBudgetMs,
    onSourceFailed: (source, err) => logger.debug({ source, code: (err as { code?: unknown }).code }, 'text search: a catalogue did not answer'),
  });
  void sweepStaleJobDirs(o.tempRoot).then((n) => n > 0 && logger.info({ removed: n }, 'removed stale download directories'));

  return {
    parse: (text, entityUrls) => parseMessage(text, entityUrls ? { entityUrls } : {}),
    cached: (key) => cache.get(key),
    forget: (key) => cache.delete([key]),
    run: (request, sink, signal) => pipeline.run(request, sink, signal),
    queue,
    textSearch,
    collectionLimit: limit,
    limits: { maxTrackSeconds: m.maxTrackSeconds, maxUploadMb: m.maxUploadMb },
    meter,
    metrics,
    logger,
    close: () => queue.close(),
  };
}

function cacheOf(deps: Pick<MusicServiceDeps, 'cache' | 'db'>): AudioCache {
  if (deps.cache) return deps.cache;
  if (deps.db) return openAudioCache(deps.db);
  throw new TypeError('createMusicService needs a file_id cache or a LevelDB to keep one in');
}
