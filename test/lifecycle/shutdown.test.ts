import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runShutdown, type ShutdownStep } from '../../src/lifecycle/shutdown.ts';
import { createMemoryLogger } from '../helpers/memoryLogger.ts';

const Shutdown = suite('shutdown order and grace period');

const never = () => new Promise<never>(() => {});

Shutdown('steps run in order, each after the previous one finished', async () => {
  const order: string[] = [];
  const step = (name: string, kind: ShutdownStep['kind']): ShutdownStep => ({
    name,
    kind,
    run: async () => {
      order.push(`${name}:start`);
      await new Promise((r) => setImmediate(r));
      order.push(`${name}:end`);
    },
  });
  const report = await runShutdown([step('bot', 'wait'), step('http', 'close'), step('store', 'close')], { graceMs: 1000, logger: createMemoryLogger().logger });
  assert.equal(order, ['bot:start', 'bot:end', 'http:start', 'http:end', 'store:start', 'store:end']);
  assert.equal(report, { timedOut: [], failed: [] });
});

Shutdown('work that does not finish within the grace period is cut off, and the store is still closed', async () => {
  const log = createMemoryLogger();
  let storeClosed = false;
  let remainingForClose = -1;
  let now = 0;
  const report = await runShutdown(
    [
      { name: 'downloads', kind: 'wait', run: () => ((now += 50), never()) },
      { name: 'links', kind: 'wait', run: never },
      { name: 'http', kind: 'close', run: async (remaining) => void (remainingForClose = remaining) },
      { name: 'store', kind: 'close', run: async () => void (storeClosed = true) },
    ],
    { graceMs: 50, logger: log.logger, now: () => now },
  );
  assert.equal(report.timedOut, ['downloads', 'links']);
  assert.ok(storeClosed);
  assert.is(remainingForClose, 0, 'closing steps learn that no grace is left');
  assert.match(log.text(), /gave up waiting for work in hand/);
});

Shutdown('a failing step is logged and the following steps still run', async () => {
  const log = createMemoryLogger();
  let storeClosed = false;
  const report = await runShutdown(
    [
      { name: 'bot', kind: 'wait', run: async () => Promise.reject(new Error('telegram unreachable')) },
      { name: 'store', kind: 'close', run: async () => void (storeClosed = true) },
    ],
    { graceMs: 1000, logger: log.logger },
  );
  assert.equal(report.failed, ['bot']);
  assert.ok(storeClosed);
  assert.match(log.text(), /telegram unreachable/);
});

Shutdown('a step cut off that fails later does not become an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => void unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  let fail!: (e: Error) => void;
  try {
    await runShutdown([{ name: 'late', kind: 'wait', run: () => new Promise((_, reject) => (fail = reject)) }], { graceMs: 1, logger: createMemoryLogger().logger });
    fail(new Error('too late'));
    await new Promise((r) => setImmediate(r));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

Shutdown.run();
