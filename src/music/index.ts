/**
 * The music pipeline: links → metadata → match → yt-dlp/ffmpeg → Telegram audio, with a
 * `file_id` cache and a bounded queue. `src/app.ts` needs only {@link createMusicService} (and
 * `createMusicPort` from `src/bot/musicChat/musicPort.ts`); the rest is exported for tools and
 * tests.
 *
 * @example
 * import { createMusicService } from './music/index.ts';
 * import { createMusicPort } from './bot/musicChat/musicPort.ts';
 * const music = createMusicService({ config, db, spotify: webApi, logger });
 * const app = createBot({ …, music: createMusicPort(music) });
 * // shutdown: await music.close() before closing db
 */
export { createMusicService, type MusicService, type MusicServiceDeps, type MusicServiceOptions, type MusicUrlOverrides } from './musicService.ts';
export { MusicError, isMusicError, type MusicErrorCode } from './errors.ts';
export type { MusicRequest, MusicSink, Stage, StageDetail } from './pipeline.ts';
export type { SearchSource, SearchOptions } from './search/searchSource.ts';
export { createYtDlpSearch } from './search/ytDlpSearch.ts';
export type { SpotifyTrackReader } from './resolvers/spotifyResolver.ts';
export type { CachedAudio, AudioCache } from './cache/audioCache.ts';
export { AUDIO_CACHE_SUBLEVEL, openAudioCache } from './cache/audioCache.ts';
export type { TrackInfo, Resolution, CollectionItem } from './types.ts';
export { ToolMeter } from './tools/runProcess.ts';
