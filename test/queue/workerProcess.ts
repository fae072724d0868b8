/**
 * A queue worker process for the multi-process queue tests (see test/helpers/queueFixtures.ts):
 * runs the test job until SIGTERM (graceful close) or SIGKILL (the point of some tests).
 */
import { holdJob, openTestQueue } from '../helpers/queueFixtures.ts';

const queue = await openTestQueue(process.env.DATABASE_URL!, process.env.QUEUE_NAME!, { globalConcurrency: Number(process.env.GLOBAL_CONCURRENCY ?? 4) });
queue.work(holdJob, { concurrency: Number(process.env.CONCURRENCY ?? 2) });
process.once('SIGTERM', () => {
  void queue.close({ graceMs: 1_000 }).then(() => process.exit(0));
});
process.stdout.write('ready\n');
