import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MusicError } from '../../../src/music/errors.ts';
import { runProcess, ToolMeter } from '../../../src/music/tools/runProcess.ts';
import { isAlive } from '../../helpers/fakeTools.ts';

const R = suite('runProcess');
const node = process.execPath;

R('captures output and exit code, and meters the time', async () => {
  const meter = new ToolMeter();
  const res = await runProcess(node, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], { tool: 'node', timeoutMs: 10_000, meter });
  assert.equal(res, { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  assert.ok(meter.total('node') > 0);
  assert.is(meter.total(), meter.total('node'));
});

R('a process over its time budget is killed with its children and fails with MUSIC_TIMEOUT', async () => {
  // The child starts a grandchild that would outlive it if only the child were killed.
  const script = 'const c = require("node:child_process").spawn(process.execPath, ["-e", "setTimeout(()=>{}, 60000)"], { stdio: "ignore" }); console.log(c.pid); setTimeout(()=>{}, 60000);';
  let grandchild = 0;
  const err = await runProcess(node, ['-e', script], {
    tool: 'node',
    timeoutMs: 1500,
    onStdoutLine: (line) => void (grandchild = Number(line)),
  }).catch((e: unknown) => e);
  assert.instance(err, MusicError);
  assert.is((err as MusicError).code, 'MUSIC_TIMEOUT');
  for (let i = 0; i < 100 && isAlive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
  assert.is(isAlive(grandchild), false, 'the grandchild is gone too');
});

R('a tool sees none of the bot\'s secrets, only PATH, HOME, locale and proxy', async () => {
  const secrets = { BOT_TOKEN: '123:bot-secret', TOKEN_ENCRYPTION_KEY: 'k3y', SPOTIFY_CLIENT_SECRET: 'spotify-secret', WEBHOOK_SECRET: 'hook' };
  const saved = { ...process.env };
  Object.assign(process.env, secrets, { HTTPS_PROXY: 'http://proxy.local:3128', LC_ALL: 'C.UTF-8' });
  try {
    const res = await runProcess(node, ['-e', 'console.log(JSON.stringify(process.env))'], { tool: 'node', timeoutMs: 10_000 });
    const seen = JSON.parse(res.stdout) as Record<string, string>;
    for (const name of Object.keys(secrets)) assert.is(seen[name], undefined, `${name} reached the tool`);
    assert.not.match(res.stdout, /bot-secret|spotify-secret|k3y/);
    assert.is(seen['HTTPS_PROXY'], 'http://proxy.local:3128');
    assert.is(seen['LC_ALL'], 'C.UTF-8');
    assert.is(seen['PATH'], process.env['PATH']);
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
});

R('a cancelled run fails with the abort reason', async () => {
  const controller = new AbortController();
  const pending = runProcess(node, ['-e', 'setTimeout(()=>{}, 60000)'], { tool: 'node', timeoutMs: 60_000, signal: controller.signal });
  controller.abort(new MusicError('MUSIC_CANCELLED', 'by test'));
  const err = (await pending.catch((e: unknown) => e)) as MusicError;
  assert.is(err.code, 'MUSIC_CANCELLED');
});

R('an error returned by the line watcher stops the process and becomes the failure', async () => {
  const err = (await runProcess(node, ['-e', 'console.log("{\\"is_live\\":true}"); setTimeout(()=>{}, 60000)'], {
    tool: 'node',
    timeoutMs: 60_000,
    onStdoutLine: (line) => (line.includes('is_live') ? new MusicError('MUSIC_LIVE_STREAM', 'live') : undefined),
  }).catch((e: unknown) => e)) as MusicError;
  assert.is(err.code, 'MUSIC_LIVE_STREAM');
});

R('a missing executable is MUSIC_TOOL_MISSING', async () => {
  const err = (await runProcess('/nonexistent/yt-dlp', [], { tool: 'yt-dlp', timeoutMs: 1000 }).catch((e: unknown) => e)) as MusicError;
  assert.is(err.code, 'MUSIC_TOOL_MISSING');
  assert.match(err.message, 'check its path');
});

R.run();
