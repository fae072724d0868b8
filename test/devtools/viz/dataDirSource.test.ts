/**
 * The visualizer on a data dir: it delivers the whole log, then what the bot appends, and
 * never holds the directory – the bot can start (and keep running) while it polls.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Envelope } from '../../../eventlog/index.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';
import { dataDirSource } from '../../../src/devtools/viz/dataDirSource.ts';
import type { LinkEvent } from '../../../machines/spotifyLink.events.ts';
import { startLinkHarness } from '../../helpers/linkHarness.ts';
import { generateLinkLog, LOG_USERS } from '../../helpers/replayLog.ts';

const Source = suite('dataDirSource');

Source('delivers the log, then the bot’s appends, without ever locking the bot out', async () => {
  const log = await generateLinkLog();
  const received: Envelope<LinkEvent>[] = [];
  let waiter: { until: (e: Envelope<LinkEvent>) => boolean; resolve: () => void } | undefined;
  const errors: unknown[] = [];
  const source = dataDirSource(log.dataDir, { pollMs: 100, onError: (err) => errors.push(err) });
  await source.start((events) => {
    received.push(...events);
    if (waiter && events.some(waiter.until)) waiter.resolve();
  });
  try {
    assert.is(received.length, 35, 'the backlog');
    assert.equal(received.map((e) => e.meta.globalPosition), [...Array(35).keys()]);
    // The bot starts while the source keeps polling: it must get the lock every time.
    const bot = await startLinkHarness({ location: dbLocation(log.dataDir) });
    try {
      const appended = new Promise<void>((resolve) => (waiter = { until: (e) => e.type === 'Unlinked' && e.meta.stream === `link-${LOG_USERS.pending}`, resolve }));
      await bot.links.unlink(LOG_USERS.pending);
      await appended;
      assert.is(received.at(-1)!.meta.globalPosition, 35);
      assert.is(received.length, 36, 'nothing delivered twice');
    } finally {
      await bot.close();
    }
    assert.equal(errors, []);
  } finally {
    await source.stop();
    await log.dispose();
  }
});

Source.run();
