/**
 * A minimal bot for end-to-end tests of the music pipeline: the real grammY bot polling a
 * fake Bot API, a stand-in for the i18n middleware, and the music feature routed on a
 * music service that uses real yt-dlp and ffmpeg against local servers (media, metadata
 * fakes) and a local search source. Each harness has its own temp folder for job
 * directories, so a test can check that nothing was left behind.
 *
 * @example
 * const h = await startMusicHarness();
 * const alice = h.fake.createUser();
 * h.fake.sendText(alice, 'https://youtu.be/dQw4w9WgXcQ');
 * const call = await h.nextAudio(alice.id);
 * await h.close();
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bot } from 'grammy';
import * as assert from 'uvu/assert';
import { MemoryLevel } from 'memory-level';
import type { Logger } from 'pino';
import type { RootDb } from '../../eventlog/index.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { createMusicPort, type MusicPort, type MusicPortOptions } from '../../src/bot/musicChat/musicPort.ts';
import { routeFeatures } from '../../src/bot/routing.ts';
import type { Config } from '../../src/config.ts';
import type { MusicMetrics } from '../../src/metrics/musicMetrics.ts';
import { pickLocale } from '../../src/i18n/locale.ts';
import { t } from '../../src/i18n/translate.ts';
import { createMusicService, type MusicService, type MusicServiceDeps, type MusicServiceOptions } from '../../src/music/musicService.ts';
import type { SpotifyTrackReader } from '../../src/music/resolvers/spotifyResolver.ts';
import type { SearchSource } from '../../src/music/search/searchSource.ts';
import type { ApiCall } from './fakeBotApi.ts';
import { FakeBotApi } from './fakeBotApi.ts';
import { startFakeMusicSources, LocalSearchSource, type FakeMusicSources } from './fakeMusicSources.ts';
import { startMediaServer, type MediaServer } from './mediaServer.ts';
import { createMemoryLogger, type MemoryLogger } from './memoryLogger.ts';

/** Options of {@link startMusicHarness}. */
export interface MusicHarnessOptions {
  readonly music?: Partial<Config['music']>;
  readonly spotify?: SpotifyTrackReader;
  /** Spotify's search for the text search (default: only Deezer and iTunes are searched). */
  readonly spotifySearch?: MusicServiceDeps['spotifySearch'];
  readonly metrics?: MusicMetrics;
  /** A database to use (default a fresh memory-level); the harness does not close it. */
  readonly db?: RootDb;
  readonly service?: Partial<MusicServiceOptions>;
  readonly port?: MusicPortOptions;
  /** Reuse servers of an earlier harness (a restart test). */
  readonly media?: MediaServer;
  readonly sources?: FakeMusicSources;
  readonly search?: LocalSearchSource;
  /** Replaces the local search in the service (e.g. `createYtDlpSearch` on a fake yt-dlp). */
  readonly searchSource?: SearchSource;
  /** Installs more middleware before the music feature (e.g. a `dl:` button handler using the port). */
  readonly extra?: (bot: Bot<BotContext>, port: MusicPort) => void;
  /** Reuse a fake Bot API (a restart test: `file_id`s live there); the harness does not close it. */
  readonly fake?: FakeBotApi;
}

/** A running harness. */
export interface MusicHarness {
  readonly fake: FakeBotApi;
  readonly bot: Bot<BotContext>;
  readonly media: MediaServer;
  readonly sources: FakeMusicSources;
  readonly search: LocalSearchSource;
  readonly service: MusicService;
  readonly port: MusicPort;
  /** The database the cache lives in. */
  readonly db: RootDb;
  readonly tempRoot: string;
  readonly log: MemoryLogger;
  readonly config: Config['music'];
  /** The next `sendAudio` to a chat (default timeout 90 s: real downloads under load). */
  nextAudio(chatId: number, timeoutMs?: number): Promise<ApiCall>;
  /** The next `sendMessage`/`editMessageText` whose text matches. */
  nextText(chatId: number, pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Job directories still on disk. */
  leftovers(): string[];
  /** Stops the bot and the service; closes servers this harness started. */
  close(opts?: { keepServers?: boolean }): Promise<void>;
}

/** The stand-in for the bot's i18n middleware: `ctx.locale` and `ctx.t` from the sender's language. */
export function useStandInI18n(bot: Bot<BotContext>): void {
  bot.use((ctx, next) => {
    const locale = pickLocale(ctx.from?.language_code);
    ctx.locale = locale;
    ctx.t = (key, args) => t(locale, key, args);
    return next();
  });
}

/** Starts a harness. */
export async function startMusicHarness(o: MusicHarnessOptions = {}): Promise<MusicHarness> {
  const fake = o.fake ?? (await FakeBotApi.start());
  const media = o.media ?? (await startMediaServer());
  const sources = o.sources ?? (await startFakeMusicSources());
  const search = o.search ?? new LocalSearchSource();
  const tempRoot = mkdtempSync(join(tmpdir(), 'music-harness-'));
  const log = createMemoryLogger('debug');
  const db = o.db ?? (new MemoryLevel() as unknown as RootDb);
  const config: Config['music'] = {
    ytdlpPath: 'yt-dlp',
    ffmpegPath: 'ffmpeg',
    deezerApiUrl: sources.deezerApiUrl,
    itunesApiUrl: sources.itunesApiUrl,
    yandexMusicApiUrl: sources.yandexApiUrl,
    maxTrackSeconds: 1200,
    maxUploadMb: 50,
    downloadConcurrency: 2,
    ...o.music,
  };
  const service = createMusicService({
    config: { music: config },
    db,
    ...(o.spotify && { spotify: o.spotify }),
    ...(o.spotifySearch && { spotifySearch: o.spotifySearch }),
    ...(o.metrics && { metrics: o.metrics }),
    logger: log.logger as Logger,
    search: o.searchSource ?? search,
    options: {
      tempRoot,
      urls: {
        spotifyWeb: sources.spotifyWebUrl,
        yandexWeb: sources.yandexWebUrl,
        tidalWeb: sources.tidalWebUrl,
        youtube: media.baseUrl,
        soundcloud: media.baseUrl,
        shortLinks: Object.fromEntries(['spotify.link', 'on.soundcloud.com', 'link.deezer.com'].map((h) => [h, sources.shortBase(h)])),
      },
      metadataTimeoutMs: 5000,
      // Covers come from the local media server on 127.0.0.1, which production refuses.
      allowPrivateAddresses: true,
      ...o.service,
    },
  });
  const port = createMusicPort(service, { progressIntervalMs: 0, ...o.port });
  const bot = new Bot<BotContext>(fake.token, { client: { apiRoot: fake.apiRoot } });
  useStandInI18n(bot);
  o.extra?.(bot, port);
  bot.use(routeFeatures([port.feature]));
  bot.catch((err) => log.logger.error({ err: err.error }, 'bot error'));
  const running = bot.start({ drop_pending_updates: false });
  await fake.whenPolling();

  const textOf = (c: ApiCall): string => String(c.params.text ?? '');
  return {
    fake, bot, media, sources, search, service, port, db, tempRoot, log, config,
    nextAudio: (chatId, timeoutMs = 90_000) => fake.nextCall('sendAudio', (c) => c.params.chat_id === chatId, timeoutMs),
    async nextText(chatId, pattern, timeoutMs = 90_000) {
      const call = await Promise.any(
        ['sendMessage', 'editMessageText'].map((m) => fake.nextCall(m, (c) => c.params.chat_id === chatId && pattern.test(textOf(c)), timeoutMs)),
      );
      return textOf(call);
    },
    leftovers: () => readdirSync(tempRoot),
    async close(c = {}) {
      await service.close();
      await bot.stop();
      await running;
      if (!o.fake) await fake.close();
      rmSync(tempRoot, { recursive: true, force: true });
      if (!c.keepServers) {
        if (!o.media) await media.close();
        if (!o.sources) await sources.close();
      }
    },
  };
}

/**
 * Runs `body` on a fresh harness, then checks what every music request promises: the queue
 * drains, no job directory stays behind, every Bot API call was valid. Closes the harness.
 */
export async function withMusicHarness(o: MusicHarnessOptions, body: (h: MusicHarness) => Promise<void>): Promise<void> {
  const h = await startMusicHarness(o);
  try {
    await body(h);
    await h.service.queue.idle();
    assert.equal(h.leftovers(), [], 'no job directory stays behind');
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
}
