/**
 * Benchmark: does one flooding user slow the others down? (issue 11, item 1.) The full bot
 * from `createBot` gets 100 users sending `/help` once each at random moments of a 2-second
 * window, first alone (baseline), then while one account sends 10,000 `/help` evenly over
 * the same window. Updates are fed like `@grammyjs/runner` feeds them: in arrival order, at
 * most 500 in flight (its default), a slot freed when the bot's handler (`app.handleUpdate`,
 * what polling calls) returns. Every Bot
 * API call is answered in-process after 5 ms (a Telegram round trip, roughly), so a reply
 * that waits for someone else's shows.
 *
 * Figures: the 100 users' p50/p99 reply latency (from their update's arrival to their reply
 * being answered; an update may be handed in up to 1 ms early, timers being no finer) in both runs and the p99 ratio (target ≤ 2), how many of the flooder's
 * updates were handled, and the process RSS after the flood (target < 300 MB).
 * Flood control runs with unlimited limits, as in `bench/bot.ts`: Telegram's real ones would
 * measure the limits, not the queue.
 *
 * Run: `npx tsx bench/abuse.ts` or `npm run bench -- abuse`.
 */
import { devNull, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import pino from 'pino';
import { createBot } from '../src/bot/createBot.ts';
import { loadConfig } from '../src/config.ts';
import type { Logger } from '../src/log.ts';

const TOKEN = '7000000001:AAbenchbenchbenchbenchbenchbenchbench01';
const BOT_INFO = {
  id: 7000000001, is_bot: true, first_name: 'Bench', username: 'bench_music_bot', can_join_groups: true,
  can_read_all_group_messages: false, supports_inline_queries: true,
} as UserFromGetMe;
const FLOODER = 99_999;
const RUNNER_SLOTS = 500;
const API_MS = 5;
const WINDOW_MS = 2_000;
const UNLIMITED = { globalPerSecond: Infinity, privatePerSecond: Infinity, privateBurst: Infinity, groupPerMinute: Infinity };

/** Answers every call after {@link API_MS}; tells `onReply` which chat got a message when. */
function slowTransport(onReply: (chatId: number) => void): Transformer {
  let messageId = 1;
  return async (_prev, method, payload) => {
    await new Promise((resolve) => setTimeout(resolve, API_MS));
    const p = payload as { chat_id?: number; text?: string };
    if (method !== 'sendMessage') return { ok: true, result: true } as never;
    onReply(p.chat_id!);
    return { ok: true, result: { message_id: messageId++, date: 1, chat: { id: p.chat_id, type: 'private', first_name: 'U' }, text: p.text } } as never;
  };
}

let updateId = 1;
function help(userId: number): Update {
  const from = { id: userId, is_bot: false, first_name: `User${userId}`, language_code: 'en' };
  const message = { message_id: updateId, date: 1_700_000_000, text: '/help', from, chat: { id: userId, type: 'private', first_name: from.first_name }, entities: [{ type: 'bot_command', offset: 0, length: 5 }] };
  return { update_id: updateId++, message } as Update;
}

interface Arrival {
  readonly at: number;
  readonly update: Update;
}

/**
 * Feeds the updates in arrival order, none before its time (relative to `started`), with at
 * most {@link RUNNER_SLOTS} handlers running, as the runner does.
 */
async function feed(handle: (u: Update) => Promise<void>, arrivals: readonly Arrival[], started: number): Promise<void> {
  let running = 0;
  let freed: (() => void) | undefined;
  const all: Promise<void>[] = [];
  for (const { at, update } of arrivals) {
    const early = started + at - performance.now();
    if (early >= 1) await new Promise((resolve) => setTimeout(resolve, early));
    while (running >= RUNNER_SLOTS) await new Promise<void>((resolve) => (freed = resolve));
    running++;
    all.push(
      handle(update)
        .catch(() => {})
        .finally(() => {
          running--;
          freed?.();
        }),
    );
  }
  await Promise.all(all);
}

/** Nearest-rank percentile: of 100 latencies, p99 is the second largest. */
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * xs.length) - 1)]!;

/** The users' arrival times (ms into the window), the same in both runs. */
const userTimes = Array.from({ length: 100 }, () => Math.random() * WINDOW_MS);

/** One run: `flood` updates from one account spread over the window, and one from each user. */
async function scenario(flood: number): Promise<{ p50: number; p99: number; max: number; flooderReplies: number }> {
  const users = userTimes.length;
  const replies = new Map<number, number>();
  let flooderReplies = 0;
  let started = 0;
  const app = createBot({
    config: loadConfig({ BOT_TOKEN: TOKEN, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') }),
    logger: pino({ level: 'info' }, pino.destination({ dest: devNull, sync: false })) as unknown as Logger,
    options: {
      botInfo: BOT_INFO,
      floodLimits: UNLIMITED,
      transport: slowTransport((chatId) => {
        if (chatId === FLOODER) flooderReplies++;
        else if (!replies.has(chatId)) replies.set(chatId, performance.now() - started - userTimes[chatId - 100_000]!);
      }),
    },
  });
  const arrivals: Arrival[] = [
    ...Array.from({ length: flood }, (_, i) => ({ at: (i * WINDOW_MS) / flood, update: help(FLOODER) })),
    ...userTimes.map((at, i) => ({ at, update: help(100_000 + i) })),
  ].sort((a, b) => a.at - b.at);
  started = performance.now();
  await feed((u) => app.handleUpdate(u), arrivals, started);
  while (replies.size < users) await new Promise((resolve) => setTimeout(resolve, 5));
  const latencies = [...replies.values()];
  // The flooder's parked updates run after the feed returned: count them once they stop coming.
  for (let seen = -1; seen !== flooderReplies; ) {
    seen = flooderReplies;
    await new Promise((resolve) => setTimeout(resolve, 20 * API_MS));
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), flooderReplies };
}

/** Runs the benchmark and prints the figures. */
export async function run(): Promise<void> {
  await scenario(2_000); // warm-up: JIT of both paths (handled and dropped), Fluent bundles
  const calm = await scenario(0);
  const flooded = await scenario(10_000);
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const ratio = flooded.p99 / calm.p99;
  console.log(`abuse: 100 users send /help once within ${WINDOW_MS} ms; API answers in ${API_MS} ms; ${RUNNER_SLOTS} updates in flight`);
  const row = (r: { p50: number; p99: number; max: number }) =>
    `p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   max ${r.max.toFixed(1).padStart(7)} ms`;
  console.log(`  alone                          ${row(calm)}`);
  console.log(`  with 10,000 from one user      ${row(flooded)}`);
  console.log(`  p99 ratio ${ratio.toFixed(2)} (target <= 2) ${ratio <= 2 ? 'OK' : 'ABOVE TARGET'}`);
  console.log(`  the flooder's messages answered: ${flooded.flooderReplies} (their /help replies and the slow-down notice)`);
  console.log(`  load average ${loadavg()[0]!.toFixed(1)} (the flood costs CPU: on a busy machine the users wait for it)`);
  console.log(`  RSS ${rssMb.toFixed(0)} MB (target < 300) ${rssMb < 300 ? 'OK' : 'ABOVE TARGET'}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
