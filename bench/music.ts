/**
 * Benchmark of the music pipeline, against local servers only (fake Bot API, media server,
 * metadata fakes), everything measured in the same run:
 *
 * 1. Cache hit: link messages answered with `sendAudio` by `file_id` (parse, LevelDB lookup,
 *    send) per second, against a bare grammY bot that echoes the same messages with
 *    `sendMessage`. Target ratio ≥ 0.3.
 * 2. Cache miss: Deezer links resolved against the local fake, matched through a local
 *    search source, downloaded by real yt-dlp, tagged by real ffmpeg and uploaded; the share
 *    of wall time spent outside yt-dlp and ffmpeg. Target ≤ 15%.
 * 3. Cache miss against a naive flow (`musicMissVsNaive.ts`): p50 and p95 from a link
 *    message to its audio, searches answered in the real yt-dlp's shape. Target ≤ 1.25×.
 *
 * Run: `npx tsx bench/music.ts` or `npm run bench -- music`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bot, InputFile } from 'grammy';
import { MemoryLevel } from 'memory-level';
import pino from 'pino';
import type { RootDb } from '../eventlog/index.ts';
import type { BotContext } from '../src/bot/context.ts';
import { createMusicPort } from '../src/bot/musicChat/musicPort.ts';
import { routeFeatures } from '../src/bot/routing.ts';
import { openAudioCache } from '../src/music/cache/audioCache.ts';
import { createMusicService } from '../src/music/musicService.ts';
import { FakeBotApi } from '../test/helpers/fakeBotApi.ts';
import { LocalSearchSource, startFakeMusicSources } from '../test/helpers/fakeMusicSources.ts';
import { generateClip, startMediaServer } from '../test/helpers/mediaServer.ts';
import { useStandInI18n } from '../test/helpers/musicHarness.ts';
import { missVsNaive } from './musicMissVsNaive.ts';

/** Options of {@link run}; the defaults are what the report quotes. */
export interface MusicBenchOptions {
  /** Messages per measured round of the cache-hit comparison. */
  readonly messages?: number;
  /** Rounds per side, alternating; medians are reported. */
  readonly rounds?: number;
  /** Cache-miss requests (each a real yt-dlp + ffmpeg run). */
  readonly misses?: number;
  /** Requests per side of the comparison with the naive flow. */
  readonly naiveRequests?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const silent = pino({ level: 'silent' });

/** Resolves once the fake has answered `count` calls of `method` (polled: no per-call waiters). */
async function callsReach(fake: FakeBotApi, method: string, count: number): Promise<void> {
  while (fake.callsOf(method).length < count) await new Promise((r) => setTimeout(r, 2));
}

/** Messages/s of one bot: `messages` link messages from 10 users, until `method` was called as often. */
async function throughput(fake: FakeBotApi, method: string, messages: number, text: string): Promise<number> {
  const users = Array.from({ length: 10 }, () => fake.createUser());
  const before = fake.callsOf(method).length;
  const started = performance.now();
  for (let i = 0; i < messages; i++) fake.sendText(users[i % users.length]!, text);
  await callsReach(fake, method, before + messages);
  return messages / ((performance.now() - started) / 1000);
}

async function cacheHit(o: Required<MusicBenchOptions>): Promise<void> {
  const fake = await FakeBotApi.start();
  const db = new MemoryLevel() as unknown as RootDb;
  const config = {
    music: {
      ytdlpPath: 'yt-dlp', ffmpegPath: 'ffmpeg', deezerApiUrl: 'http://127.0.0.1:9', itunesApiUrl: 'http://127.0.0.1:9',
      yandexMusicApiUrl: 'http://127.0.0.1:9', maxTrackSeconds: 1200, maxUploadMb: 50, downloadConcurrency: 2,
    },
  };
  const service = createMusicService({ config, db, logger: silent, search: new LocalSearchSource() });
  const ours = new Bot<BotContext>(fake.token, { client: { apiRoot: fake.apiRoot } });
  useStandInI18n(ours);
  ours.use(routeFeatures([createMusicPort(service).feature]));
  const bare = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
  bare.on('message:text', (ctx) => ctx.reply(ctx.message.text));
  try {
    // Seed: one real upload to the fake gives a file_id it accepts, stored under the link's key.
    const seedUser = fake.createUser();
    const sent = await ours.api.sendAudio(seedUser.id, new InputFile(await generateClip(1, 'm4a'), 'seed.m4a'));
    await openAudioCache(db).put(['youtube:video:dQw4w9WgXcQ'], undefined, { fileId: sent.audio.file_id, title: 'Seed', storedAt: Date.now() });
    const text = 'listen to this https://youtu.be/dQw4w9WgXcQ?si=bench';
    const bareRates: number[] = [];
    const ourRates: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      for (const [bot, method, rates] of [[bare, 'sendMessage', bareRates], [ours, 'sendAudio', ourRates]] as const) {
        const running = (bot as Bot).start();
        await fake.whenPolling();
        rates.push(await throughput(fake, method, o.messages, text));
        await (bot as Bot).stop();
        await running;
      }
    }
    const ratio = median(ourRates) / median(bareRates);
    console.log(`music cache hit: ${o.messages} link messages x ${o.rounds} rounds (medians)`);
    console.log(`  bare grammY echo (sendMessage)     ${median(bareRates).toFixed(0).padStart(7)} msg/s`);
    console.log(`  link -> sendAudio by file_id        ${median(ourRates).toFixed(0).padStart(7)} msg/s`);
    console.log(`  ratio ${ratio.toFixed(2)} (target >= 0.30) ${ratio >= 0.3 ? 'OK' : 'BELOW TARGET'}`);
    fake.assertNoViolations();
  } finally {
    await service.close();
    await fake.close();
  }
}

async function cacheMiss(o: Required<MusicBenchOptions>): Promise<void> {
  const fake = await FakeBotApi.start();
  const media = await startMediaServer();
  const sources = await startFakeMusicSources();
  const search = new LocalSearchSource();
  const tempRoot = mkdtempSync(join(tmpdir(), 'music-bench-'));
  const config = {
    music: {
      ytdlpPath: 'yt-dlp', ffmpegPath: 'ffmpeg', deezerApiUrl: sources.deezerApiUrl, itunesApiUrl: sources.itunesApiUrl,
      yandexMusicApiUrl: sources.yandexApiUrl, maxTrackSeconds: 1200, maxUploadMb: 50, downloadConcurrency: 1,
    },
  };
  const service = createMusicService({ config, db: new MemoryLevel() as unknown as RootDb, logger: silent, search, options: { tempRoot, allowPrivateAddresses: true } });
  const bot = new Bot<BotContext>(fake.token, { client: { apiRoot: fake.apiRoot } });
  useStandInI18n(bot);
  bot.use(routeFeatures([createMusicPort(service).feature]));
  const running = bot.start();
  await fake.whenPolling();
  try {
    const shares: number[] = [];
    const walls: number[] = [];
    const user = fake.createUser();
    for (let i = 0; i < o.misses; i++) {
      const id = String(7000 + i);
      const title = `Bench Song ${i}`;
      sources.addDeezer({ id, title, artists: ['Bench Band'], seconds: 8, isrc: `QZBEN24${String(i).padStart(5, '0')}`, coverUrl: media.coverUrl });
      const page = await media.addPage(`/songs/bench-${i}`, { title, artist: 'Bench Band', seconds: 8, freq: 300 + i * 20 });
      search.add({ id: `b${i}`, title, uploader: 'Bench Band - Topic', durationSec: 8, source: 'youtube-music', url: page });
      service.meter.reset();
      const started = performance.now();
      fake.sendText(user, `https://www.deezer.com/track/${id}`);
      await fake.nextCall('sendAudio', (c) => c.params.chat_id === user.id, 120_000);
      await service.queue.idle();
      const wall = performance.now() - started;
      walls.push(wall);
      shares.push(1 - service.meter.total() / wall);
    }
    const share = median(shares);
    console.log(`music cache miss: ${o.misses} Deezer links, 8 s clips, real yt-dlp + ffmpeg (medians)`);
    console.log(`  wall time per request              ${median(walls).toFixed(0).padStart(7)} ms`);
    console.log(`  inside yt-dlp and ffmpeg            ${(100 * (1 - share)).toFixed(1).padStart(6)} %`);
    console.log(`  outside (parse, resolve, match, send) ${(100 * share).toFixed(1).padStart(4)} % (target <= 15%) ${share <= 0.15 ? 'OK' : 'ABOVE TARGET'}`);
    fake.assertNoViolations();
  } finally {
    await service.close();
    await bot.stop();
    await running;
    await fake.close();
    await media.close();
    await sources.close();
    rmSync(tempRoot, { recursive: true, force: true });
  }
}

/** Runs both measurements and prints their figures. */
export async function run(options: MusicBenchOptions = {}): Promise<void> {
  const o: Required<MusicBenchOptions> = { messages: 500, rounds: 3, misses: 5, naiveRequests: 16, ...options };
  await cacheHit(o);
  await cacheMiss(o);
  await missVsNaive(o.naiveRequests);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
