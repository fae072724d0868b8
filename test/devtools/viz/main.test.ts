/**
 * `npm run dev:viz` (src/devtools/viz/main.ts) as a process: it refuses a non-loopback host
 * without `--i-know`, serves a data dir on 127.0.0.1 and stops cleanly on SIGINT.
 */
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateLinkLog, type GeneratedLog } from '../../helpers/replayLog.ts';

const Main = suite('dev:viz');
const root = new URL('../../..', import.meta.url).pathname;
let log: GeneratedLog;

Main.before(async () => {
  log = await generateLinkLog();
});
Main.after(async () => {
  await log.dispose();
});

function start(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/devtools/viz/main.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /visualizer on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  url.catch(() => undefined);
  return { child, exited, url, output: () => stdout + stderr };
}

Main('another host is refused without --i-know (exit 2, nothing listens)', async () => {
  const run = start(['--data-dir', log.dataDir, '--host', '0.0.0.0', '--port', '0']);
  assert.is(await run.exited, 2);
  assert.match(run.output(), /listens on 127\.0\.0\.1 only/);
  assert.match(run.output(), /--i-know/);
});

Main('serves the data dir on 127.0.0.1 and stops on Ctrl+C', async () => {
  const run = start(['--data-dir', log.dataDir, '--port', '0', '--poll-ms', '200']);
  const url = await run.url;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const overview = (await (await fetch(`${url}api/overview`)).json()) as { users: unknown[]; head: number };
  assert.is(overview.users.length, 9);
  assert.is(overview.head, 34);
  run.child.kill('SIGINT');
  assert.is(await run.exited, 0);
});

Main.run();
