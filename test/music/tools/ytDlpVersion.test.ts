import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toolEnv } from '../../../src/music/tools/toolEnv.ts';
import { lastLine, parseYtDlpVersion, reportYtDlpVersion, STALE_AFTER_DAYS, versionAgeDays } from '../../../src/music/tools/ytDlpVersion.ts';
import { writeFakeYtDlp } from '../../helpers/fakeTools.ts';
import { createMemoryLogger } from '../../helpers/memoryLogger.ts';

const V = suite('ytDlpVersion');
const env = toolEnv(process.env);
const day = (y: number, m: number, d: number, h = 12) => Date.UTC(y, m - 1, d, h);

V('a release and a nightly version are read as their UTC release day', () => {
  // What `yt-dlp --version` prints: the version and a newline (optparse's version action).
  const release = parseYtDlpVersion('2023.03.04\n');
  assert.is(release?.text, '2023.03.04');
  assert.is(release?.released.toISOString(), '2023-03-04T00:00:00.000Z');
  const nightly = parseYtDlpVersion('2026.11.20.233402\n');
  assert.is(nightly?.text, '2026.11.20.233402');
  assert.is(nightly?.released.toISOString(), '2026-11-20T00:00:00.000Z');
});

V('output that is not a dated version is not taken for one', () => {
  for (const out of ['', 'yt-dlp 1.0', 'Traceback (most recent call last):', '2026.02.31', '2026.13.01', '20261120']) {
    assert.is(parseYtDlpVersion(out), undefined, out);
  }
});

V('the age counts whole days from the release day to now', () => {
  const v = parseYtDlpVersion('2026.11.20.233402')!;
  assert.is(versionAgeDays(v, day(2026, 11, 20, 23)), 0);
  assert.is(versionAgeDays(v, day(2026, 12, 2)), 12);
  assert.is(versionAgeDays(v, day(2027, 1, 19)), 60);
  assert.is(versionAgeDays(v, day(2027, 1, 20)), 61);
});

V('a fresh version is logged and not warned about', async () => {
  const fake = writeFakeYtDlp({ stdout: ['2026.11.20.233402'] });
  const log = createMemoryLogger();
  try {
    const v = await reportYtDlpVersion({ path: fake.path, logger: log.logger, env, now: () => day(2026, 12, 2) });
    assert.is(v?.text, '2026.11.20.233402');
    const info = log.records().find((r) => r.msg === 'yt-dlp version');
    assert.equal([info?.version, info?.ageDays], ['2026.11.20.233402', 12]);
    assert.is(log.records().filter((r) => r.level === 40).length, 0, log.text());
  } finally {
    fake.remove();
  }
});

V(`a version older than ${STALE_AFTER_DAYS} days is a warning that says what to do`, async () => {
  const fake = writeFakeYtDlp({ stdout: ['2026.08.19'] });
  const log = createMemoryLogger();
  try {
    await reportYtDlpVersion({ path: fake.path, logger: log.logger, env, now: () => day(2026, 10, 18) }); // 60 days: still fine
    assert.is(log.records().filter((r) => r.level === 40).length, 0, log.text());
    await reportYtDlpVersion({ path: fake.path, logger: log.logger, env, now: () => day(2026, 12, 2) });
    const warn = log.records().find((r) => r.level === 40);
    assert.ok(warn, log.text());
    assert.is(warn.ageDays, 105);
    assert.match(String(warn.msg), 'yt-dlp 2026.08.19 is 105 days old');
    assert.match(String(warn.msg), 'set YTDLP_AUTO_UPDATE=1 or update it by hand');
    assert.match(String(warn.msg), 'docs/music.md');
  } finally {
    fake.remove();
  }
});

V('with auto-update on, a version still old says the update did not help', async () => {
  const fake = writeFakeYtDlp({ stdout: ['2026.08.19'] });
  const log = createMemoryLogger();
  try {
    await reportYtDlpVersion({ path: fake.path, logger: log.logger, env, autoUpdate: true, now: () => day(2026, 12, 2) });
    assert.match(String(log.records().find((r) => r.level === 40)?.msg), 'YTDLP_AUTO_UPDATE=1 did not bring a newer one');
  } finally {
    fake.remove();
  }
});

V('the real yt-dlp from Debian is read (2023.03.04 here) and warned about today', async () => {
  const log = createMemoryLogger();
  const v = await reportYtDlpVersion({ path: 'yt-dlp', logger: log.logger, env, now: () => day(2023, 3, 10) });
  assert.is(v?.text, '2023.03.04');
  assert.is(log.records().filter((r) => r.level === 40).length, 0);
  await reportYtDlpVersion({ path: 'yt-dlp', logger: log.logger, env });
  assert.match(String(log.records().find((r) => r.level === 40)?.msg), 'yt-dlp 2023.03.04 is');
});

V('a missing yt-dlp is a clear warning, not a crash', async () => {
  const log = createMemoryLogger();
  const v = await reportYtDlpVersion({ path: '/nonexistent/yt-dlp', logger: log.logger, env });
  assert.is(v, undefined);
  const warn = log.records().find((r) => r.level === 40);
  assert.match(String(warn?.msg), 'yt-dlp not found at "/nonexistent/yt-dlp": music links cannot be downloaded');
  assert.match(String(warn?.msg), 'YTDLP_PATH');
});

V('a yt-dlp that does not run is a warning naming its last line', async () => {
  // A venv whose Python was removed under it prints a traceback ending like this.
  const fake = writeFakeYtDlp({ stderr: 'Traceback (most recent call last):\n  File "/opt/yt-dlp/bin/yt-dlp", line 5\nModuleNotFoundError: No module named \'yt_dlp\'\n', exitCode: 1 });
  const log = createMemoryLogger();
  try {
    assert.is(await reportYtDlpVersion({ path: fake.path, logger: log.logger, env }), undefined);
    const warn = log.records().find((r) => r.level === 40);
    assert.match(String(warn?.msg), 'yt-dlp does not run');
    assert.match(String(warn?.reason), "ModuleNotFoundError: No module named 'yt_dlp'");
  } finally {
    fake.remove();
  }
});

V('the last output line keeps no proxy password or token', () => {
  const line = lastLine('', "WARNING: Retrying after connection broken by 'ProxyError('Cannot connect to proxy.')': http://bob:hunter2@proxy.local:3128/simple/yt-dlp/?token=abc\n\n");
  assert.not.match(line, 'hunter2');
  assert.not.match(line, 'token=abc');
  assert.match(line, 'proxy.local:3128');
});

V.run();
