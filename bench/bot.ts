/**
 * Benchmark: updates/s of the full bot from `createBot` (i18n, allowlist check, per-user
 * sequentialize, every composer, the fallback, the flood-control and auto-retry transformers,
 * logging at info level to the null device) against a bare grammY bot with one reply
 * handler, in the same run, on the same 10,000 updates (`/help` and plain text from 100
 * users, 64 in flight). Both bots talk to an in-process API transformer that answers every
 * call locally, so no HTTP is measured. Target ratio: ≥ 0.5.
 *
 * Flood control runs with unlimited limits: Telegram's real ones (30 msg/s) would measure the
 * limit, not the bot.
 *
 * Run: `npx tsx bench/bot.ts` or `npm run bench -- bot`.
 */
import { devNull } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Bot, type Transformer } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import pino from 'pino';
import { createBot } from '../src/bot/createBot.ts';
import { loadConfig } from '../src/config.ts';
import type { Logger } from '../src/log.ts';

/** Options of {@link run}; the defaults are what the figures in the report use. */
export interface BotBenchOptions {
  readonly updates?: number;
  readonly users?: number;
  readonly inFlight?: number;
  /** Measured rounds per bot, alternating; medians are reported. */
  readonly rounds?: number;
}

const TOKEN = '7000000001:AAbenchbenchbenchbenchbenchbenchbench01';
const BOT_INFO: UserFromGetMe = {
  id: 7000000001, is_bot: true, first_name: 'Bench', username: 'bench_music_bot', can_join_groups: true,
  can_read_all_group_messages: false, supports_inline_queries: true, can_connect_to_business: false,
  has_main_web_app: false, has_topics_enabled: false, allows_users_to_create_topics: false,
  can_manage_bots: false, supports_join_request_queries: false,
} as UserFromGetMe;

/** Answers every call in-process; counts the calls so both bots can be checked to reply. */
function localTransport(): { transport: Transformer; calls: () => number } {
  let calls = 0;
  let messageId = 1;
  const transport: Transformer = async (_prev, method, payload) => {
    calls++;
    const p = payload as { chat_id?: number; text?: string };
    const result =
      method === 'sendMessage'
        ? { message_id: messageId++, date: 1, chat: { id: p.chat_id, type: 'private', first_name: 'U' }, text: p.text }
        : true;
    return { ok: true, result } as never;
  };
  return { transport, calls: () => calls };
}

function makeUpdates(count: number, users: number): Update[] {
  return Array.from({ length: count }, (_, i) => {
    const id = 100_000 + (i % users);
    const text = i % 2 === 0 ? '/help' : 'hello, what can you do?';
    const message = {
      message_id: i + 1, date: 1_700_000_000, text,
      from: { id, is_bot: false, first_name: `User${id}`, language_code: i % 4 < 2 ? 'en' : 'ru' },
      chat: { id, type: 'private', first_name: `User${id}` },
      ...(text.startsWith('/') && { entities: [{ type: 'bot_command', offset: 0, length: text.length }] }),
    };
    return { update_id: i + 1, message } as Update;
  });
}

/** Feeds `updates` with at most `inFlight` in flight; resolves with updates/s. */
async function measure(handle: (u: Update) => Promise<void>, updates: Update[], inFlight: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < updates.length) await handle(updates[next++]!);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return updates.length / ((performance.now() - started) / 1000);
}

/** Flood control stays in the pipeline, with limits that never hold a call back. */
const UNLIMITED = { globalPerSecond: Infinity, privatePerSecond: Infinity, privateBurst: Infinity, groupPerMinute: Infinity };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the benchmark and prints both figures and their ratio. */
export async function run(options: BotBenchOptions = {}): Promise<void> {
  const { updates: count = 10_000, users = 100, inFlight = 64, rounds = 7 } = options;
  const destination = pino.destination({ dest: devNull, sync: false });
  const logger = pino({ level: 'info' }, destination) as unknown as Logger;
  const updates = makeUpdates(count, users);

  const full = localTransport();
  const config = loadConfig({ BOT_TOKEN: TOKEN, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') });
  const app = createBot({
    config,
    logger,
    options: { botInfo: BOT_INFO, transport: full.transport, floodLimits: process.env.BENCH_FLOOD === 'off' ? false : UNLIMITED },
  });

  const bare = localTransport();
  const bareBot = new Bot(TOKEN, { botInfo: BOT_INFO });
  bareBot.api.config.use(bare.transport);
  bareBot.on('message', (ctx) => ctx.reply('ok'));

  // Warm-up: JIT, Bottleneck groups, Fluent bundles.
  await measure((u) => app.bot.handleUpdate(u), updates.slice(0, 2_000), inFlight);
  await measure((u) => bareBot.handleUpdate(u), updates.slice(0, 2_000), inFlight);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    theirs.push(await measure((u) => bareBot.handleUpdate(u), updates, inFlight));
    ours.push(await measure((u) => app.bot.handleUpdate(u), updates, inFlight));
  }
  const expected = 2_000 + rounds * count;
  if (full.calls() !== expected || bare.calls() !== expected) {
    throw new Error(`every update should get one reply: full ${full.calls()}, bare ${bare.calls()}, expected ${expected}`);
  }
  const [oursMedian, bareMedian] = [median(ours), median(theirs)];
  const ratio = oursMedian / bareMedian;
  console.log(`bot: ${count} updates (/help and text, ${users} users, ${inFlight} in flight) x ${rounds} rounds (medians)`);
  console.log(`  bare grammY, one reply handler  ${bareMedian.toFixed(0).padStart(8)} updates/s`);
  console.log(`  full bot (createBot)            ${oursMedian.toFixed(0).padStart(8)} updates/s`);
  console.log(`  ratio ${ratio.toFixed(2)} (target >= 0.50) ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`);
  destination.flush();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
