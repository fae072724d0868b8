import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toolEnv } from '../../../src/music/tools/toolEnv.ts';
import { detectUpdateMethod, updateYtDlp } from '../../../src/music/tools/ytDlpUpdater.ts';
import { writeFakeStandaloneYtDlp, writeFakeVenv } from '../../helpers/fakeYtDlpInstall.ts';
import { createMemoryLogger } from '../../helpers/memoryLogger.ts';

const U = suite('ytDlpUpdater');

/** What `.env` would put into the bot's process: none of it may reach pip. */
const SECRETS = {
  BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  SPOTIFY_CLIENT_SECRET: 's3cr3t'.repeat(6),
  YTDLP_COOKIES: '/run/secrets/cookies.txt',
};
const dirtyEnv = { ...process.env, ...SECRETS, HTTPS_PROXY: 'http://proxy.local:3128', LC_ALL: 'C.UTF-8' };
const env = toolEnv(dirtyEnv);
const PIP_ARGS = ['-m', 'pip', 'install', '--upgrade', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', 'yt-dlp[default]'];
const warnings = (log: ReturnType<typeof createMemoryLogger>) => log.records().filter((r) => r.level === 40);

U('a venv install is updated with its own pip, "[default]" included, and the log says old → new', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20' });
  const log = createMemoryLogger();
  try {
    const outcome = await updateYtDlp({ path: venv.ytdlpPath, logger: log.logger, env });
    assert.equal(outcome, { method: 'pip', from: '2026.08.19', status: 'updated', to: '2026.11.20' });
    const pip = venv.calls().filter((c) => c.tool === 'python');
    assert.is(pip.length, 1);
    assert.equal(pip[0]!.argv, PIP_ARGS);
    assert.ok(log.records().some((r) => r.msg === 'yt-dlp updated: 2026.08.19 → 2026.11.20'), log.text());
    assert.is(warnings(log).length, 0);
  } finally {
    venv.remove();
  }
});

U('pip and yt-dlp get a minimal environment: PATH, HOME, locale and proxy, never a secret', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20' });
  try {
    await updateYtDlp({ path: venv.ytdlpPath, logger: createMemoryLogger().logger, env });
    const calls = venv.calls();
    assert.ok(calls.length >= 3, 'version, pip, version');
    for (const call of calls) {
      for (const name of Object.keys(SECRETS)) assert.is(call.env[name], undefined, `${name} reached ${call.tool}`);
      const text = JSON.stringify(call.env);
      for (const value of Object.values(SECRETS)) assert.not.ok(text.includes(value), `a secret value reached ${call.tool}`);
      assert.is(call.env.HTTPS_PROXY, 'http://proxy.local:3128');
      assert.is(call.env.LC_ALL, 'C.UTF-8');
      assert.is(call.env.PATH, process.env.PATH);
    }
  } finally {
    venv.remove();
  }
});

U('YTDLP_PATH through a link (the image\'s /usr/local/bin/yt-dlp) or a bare name on PATH still finds the venv', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.08.19' });
  const linkDir = mkdtempSync(join(tmpdir(), 'ytdlp-link-'));
  try {
    symlinkSync(venv.ytdlpPath, join(linkDir, 'yt-dlp'));
    const viaLink = await detectUpdateMethod(join(linkDir, 'yt-dlp'), env);
    assert.equal([viaLink?.kind, viaLink?.command], ['pip', join(venv.root, 'bin', 'python')]);
    const byName = await detectUpdateMethod('yt-dlp', { ...env, PATH: `${linkDir}:${env.PATH}` });
    assert.equal([byName?.kind, byName?.command], ['pip', join(venv.root, 'bin', 'python')]);
  } finally {
    venv.remove();
    rmSync(linkDir, { recursive: true, force: true });
  }
});

U('a venv made by the real python3 -m venv is recognised, and its failing pip is a warning with pip\'s last line', async () => {
  const root = mkdtempSync(join(tmpdir(), 'real-venv-'));
  const venv = join(root, 'venv');
  try {
    // --without-pip: fast and offline, and makes the real "python -m pip" fail for real.
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
    const ytdlp = join(venv, 'bin', 'yt-dlp');
    writeFileSync(ytdlp, '#!/bin/sh\necho 2026.08.19\n');
    chmodSync(ytdlp, 0o755);
    const method = await detectUpdateMethod(ytdlp, env);
    assert.equal([method?.kind, method?.command], ['pip', join(venv, 'bin', 'python')]);
    const log = createMemoryLogger();
    const outcome = await updateYtDlp({ path: ytdlp, logger: log.logger, env });
    assert.is(outcome.status, 'failed');
    assert.match(outcome.reason ?? '', 'No module named pip');
    const warn = warnings(log)[0];
    assert.match(String(warn?.msg), 'yt-dlp update failed, the bot keeps 2026.08.19');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

U('pip without PyPI is a warning with its last line; the version stays', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20', fail: true });
  const log = createMemoryLogger();
  try {
    const outcome = await updateYtDlp({ path: venv.ytdlpPath, logger: log.logger, env });
    assert.is(outcome.status, 'failed');
    assert.is(outcome.reason, 'exit code 1: ERROR: No matching distribution found for yt-dlp[default]');
    assert.is(venv.version(), '2026.08.19');
    assert.is(warnings(log).length, 1);
    assert.match(String(warnings(log)[0]!.msg), 'check that PyPI is reachable');
  } finally {
    venv.remove();
  }
});

U('an up-to-date yt-dlp is logged as such', async () => {
  const venv = writeFakeVenv({ from: '2026.11.20', to: '2026.11.20' });
  const log = createMemoryLogger();
  try {
    assert.is((await updateYtDlp({ path: venv.ytdlpPath, logger: log.logger, env })).status, 'current');
    assert.ok(log.records().some((r) => r.msg === 'yt-dlp is up to date (2026.11.20)'), log.text());
  } finally {
    venv.remove();
  }
});

U('a standalone yt-dlp updates itself with -U', async () => {
  const bin = writeFakeStandaloneYtDlp({ from: '2026.08.19', to: '2026.11.20' });
  const log = createMemoryLogger();
  try {
    const outcome = await updateYtDlp({ path: bin.ytdlpPath, logger: log.logger, env });
    assert.equal(outcome, { method: 'self', from: '2026.08.19', status: 'updated', to: '2026.11.20' });
    assert.equal(bin.calls().find((c) => c.argv.includes('-U'))?.argv, ['--ignore-config', '-U']);
  } finally {
    bin.remove();
  }
});

U('a yt-dlp that refuses -U (a package-manager install) is a warning in its own words', async () => {
  const bin = writeFakeStandaloneYtDlp({ from: '2026.08.19', to: '2026.11.20', fail: true });
  const log = createMemoryLogger();
  try {
    const outcome = await updateYtDlp({ path: bin.ytdlpPath, logger: log.logger, env });
    assert.is(outcome.status, 'failed');
    assert.is(outcome.reason, 'exit code 100: ERROR: You installed yt-dlp from a manual build or with a package manager; Use that to update');
    assert.match(String(warnings(log)[0]?.msg), 'update it the way it was installed');
  } finally {
    bin.remove();
  }
});

U('a hanging update is stopped by its time budget and reported, never thrown', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20', sleepMs: 60_000 });
  const log = createMemoryLogger();
  try {
    const outcome = await updateYtDlp({ path: venv.ytdlpPath, logger: log.logger, env, timeoutMs: 300 });
    assert.equal([outcome.status, outcome.reason], ['failed', 'no answer within 300 ms']);
    assert.is(venv.version(), '2026.08.19');
  } finally {
    venv.remove();
  }
});

U('no yt-dlp at YTDLP_PATH: a warning, nothing run', async () => {
  const log = createMemoryLogger();
  const outcome = await updateYtDlp({ path: '/nonexistent/bin/yt-dlp', logger: log.logger, env });
  assert.is(outcome.status, 'failed');
  assert.match(String(warnings(log)[0]?.msg), 'there is no yt-dlp to update');
});

U('a proxy password in pip\'s error never reaches the log', async () => {
  const failStderr = ["ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded (Caused by ProxyError('Cannot connect to proxy.', 'http://bob:hunter2@proxy.local:3128'))"];
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20', fail: true, failStderr });
  const log = createMemoryLogger();
  try {
    await updateYtDlp({ path: venv.ytdlpPath, logger: log.logger, env });
    assert.match(log.text(), 'Cannot connect to proxy');
    assert.not.match(log.text(), 'hunter2');
  } finally {
    venv.remove();
  }
});

U.run();
