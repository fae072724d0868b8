/**
 * The bot's side of the per-user queue (`src/bot/userBacklog.ts`): a parked update does not
 * keep its caller (the runner's slot) waiting, a failing parked update still reaches the
 * bot's error handler, a user's backlog beyond its bound is dropped with one "slow down"
 * notice a minute, and updates without a user are handled at once. (The queue itself is
 * tested in test/perUser/serialQueue.test.ts; the flood end to end in backlog.test.ts.)
 */
import type { BotError } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BotContext } from '../../src/bot/context.ts';
import { createUserBacklog, SLOW_DOWN_NOTICE_MS } from '../../src/bot/userBacklog.ts';
import { createLogger } from '../../src/log.ts';

const Backlog = suite('user backlog');

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/**
 * The part of a grammY context the backlog touches: the chat and sender, the update id, the
 * translation and `api.sendMessage` (recorded). `name` stands for the update's text.
 */
function ctxOf(userId: number, name: string, sent: string[]): BotContext {
  return {
    name,
    chat: { id: userId, type: 'private' },
    from: { id: userId, is_bot: false, first_name: 'U' },
    update: { update_id: 1 },
    t: (key: string) => key,
    api: { sendMessage: async (chatId: number, text: string) => void sent.push(`${chatId}:${text}`) },
  } as unknown as BotContext;
}
const nameOf = (ctx: BotContext) => (ctx as unknown as { name: string }).name;

function backlogWithLog(opts: { backlog?: number; fail?: string } = {}) {
  const log: string[] = [];
  const sent: string[] = [];
  const caught: string[] = [];
  let now = 0;
  const gates = new Map<string, Promise<void>>();
  const backlog = createUserBacklog({
    handle: async (ctx) => {
      log.push(`${nameOf(ctx)} start`);
      await gates.get(nameOf(ctx));
      if (nameOf(ctx) === opts.fail) throw new Error(`${opts.fail} failed`);
      log.push(`${nameOf(ctx)} end`);
    },
    backlog: opts.backlog ?? 20,
    errorHandler: (err: BotError<BotContext>) => void caught.push(`${nameOf(err.ctx)}: ${(err.error as Error).message}`),
    logger: createLogger({ level: 'silent' }),
    now: () => now,
  });
  const push = (userId: number | undefined, name: string) => backlog.push(userId, ctxOf(userId ?? 0, name, sent));
  return { backlog, push, log, sent, caught, gates, advance: (ms: number) => void (now += ms) };
}

Backlog('a parked update frees its caller at once and runs after the running one; another user’s runs meanwhile', async () => {
  const { backlog, push, log, gates } = backlogWithLog();
  const first = gate();
  gates.set('a1', first.opened);
  const a1 = push(1, 'a1');
  await push(1, 'a2');
  assert.equal(log, ['a1 start'], 'push of a parked update resolved before it ran');
  await push(2, 'b1');
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end']);
  first.open();
  await a1;
  await backlog.idle();
  assert.equal(log, ['a1 start', 'b1 start', 'b1 end', 'a1 end', 'a2 start', 'a2 end']);
});

Backlog('a failing running update rejects its caller; a failing parked one reaches the error handler; the next still runs', async () => {
  const first = backlogWithLog({ fail: 'x1' });
  const holdX1 = gate();
  first.gates.set('x1', holdX1.opened);
  const failing = first.push(7, 'x1');
  holdX1.open();
  await failing.then(() => assert.unreachable('the runner hears of it'), (e: Error) => assert.is(e.message, 'x1 failed'));

  const parked = backlogWithLog({ fail: 'y2' });
  const holdY1 = gate();
  parked.gates.set('y1', holdY1.opened);
  const y1 = parked.push(7, 'y1');
  await parked.push(7, 'y2');
  await parked.push(7, 'y3');
  holdY1.open();
  await y1;
  await parked.backlog.idle();
  await new Promise((r) => setImmediate(r));
  assert.equal(parked.caught, ['y2: y2 failed']);
  assert.is(parked.log.at(-1), 'y3 end');
});

Backlog('beyond the backlog updates are dropped, with one slow-down notice a minute; then they drop quietly', async () => {
  const { backlog, push, log, sent, gates, advance } = backlogWithLog({ backlog: 3 });
  const first = gate();
  gates.set('f0', first.opened);
  const running = push(5, 'f0');
  for (let i = 1; i < 10; i++) await push(5, `f${i}`);
  assert.equal(sent, ['5:notice-slow-down'], 'one notice for the whole burst');
  assert.ok(backlog.dropsQuietly(5), 'with the notice sent, the next drop needs no context');
  advance(SLOW_DOWN_NOTICE_MS);
  assert.not.ok(backlog.dropsQuietly(5), 'a minute later a notice is due again');
  await push(5, 'f10');
  assert.equal(sent, ['5:notice-slow-down', '5:notice-slow-down']);
  first.open();
  await running;
  await backlog.idle();
  assert.equal(log.filter((l) => l.endsWith('end')), ['f0 end', 'f1 end', 'f2 end'], 'the backlog’s 3 were handled');
  assert.not.ok(backlog.dropsQuietly(5), 'an idle user is not dropped');
});

Backlog('updates without a user are handled at once, and an idle backlog is idle at once', async () => {
  const { backlog, push, log } = backlogWithLog();
  await backlog.idle();
  await push(undefined, 'anon');
  assert.equal(log, ['anon start', 'anon end']);
});

Backlog.run();
