import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startYtDlpUpkeep, UPKEEP_INTERVAL_MS, type UpkeepTimers } from '../../../src/music/tools/ytDlpUpkeep.ts';
import { isAlive } from '../../helpers/fakeTools.ts';
import { writeFakeVenv } from '../../helpers/fakeYtDlpInstall.ts';
import { createMemoryLogger } from '../../helpers/memoryLogger.ts';

const K = suite('ytDlpUpkeep');

/** Timers that never fire by themselves: the test fires them (no real waiting). */
function fakeTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  const cleared: number[] = [];
  let next = 1;
  const timers: UpkeepTimers = {
    setTimeout: (run, ms) => {
      pending.set(next, { run, ms });
      return next++;
    },
    clearTimeout: (handle) => {
      cleared.push(handle as number);
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    pending,
    cleared,
    /** Fires the one pending timer. */
    fire() {
      assert.is(pending.size, 1, 'one timer pending');
      const [id, t] = [...pending][0]!;
      pending.delete(id);
      t.run();
    },
  };
}

const sourceEnv = { ...process.env, BOT_TOKEN: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
const NOW = () => Date.UTC(2026, 11, 2);
const pipCalls = (venv: ReturnType<typeof writeFakeVenv>) => venv.calls().filter((c) => c.tool === 'python');

K('with YTDLP_AUTO_UPDATE=1 it updates at once, logs the new version, and again every week', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20' });
  const log = createMemoryLogger();
  const t = fakeTimers();
  const upkeep = startYtDlpUpkeep({ path: venv.ytdlpPath, autoUpdate: true, logger: log.logger, sourceEnv, timers: t.timers, now: NOW });
  try {
    await upkeep.idle();
    assert.is(pipCalls(venv).length, 1);
    assert.ok(log.records().some((r) => r.msg === 'yt-dlp updated: 2026.08.19 → 2026.11.20'), log.text());
    assert.ok(log.records().some((r) => r.msg === 'yt-dlp version' && r.version === '2026.11.20'));
    assert.is(log.records().filter((r) => r.level === 40).length, 0, 'fresh after the update: no warning');
    assert.equal([...t.pending.values()].map((p) => p.ms), [UPKEEP_INTERVAL_MS]);

    t.fire();
    await upkeep.idle();
    assert.is(pipCalls(venv).length, 2, 'the weekly run updated again');
    assert.is(t.pending.size, 1, 'and scheduled the next week');
    for (const call of venv.calls()) {
      assert.is(call.env.BOT_TOKEN, undefined);
      assert.is(call.env.TOKEN_ENCRYPTION_KEY, undefined);
    }
  } finally {
    await upkeep.stop();
    venv.remove();
  }
});

K('without YTDLP_AUTO_UPDATE nothing is installed; an old version is warned about at start and weekly', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20' });
  const log = createMemoryLogger();
  const t = fakeTimers();
  const upkeep = startYtDlpUpkeep({ path: venv.ytdlpPath, autoUpdate: false, logger: log.logger, sourceEnv, timers: t.timers, now: NOW });
  try {
    await upkeep.idle();
    assert.is(pipCalls(venv).length, 0);
    const stale = () => log.records().filter((r) => r.level === 40 && String(r.msg).includes('set YTDLP_AUTO_UPDATE=1'));
    assert.is(stale().length, 1, log.text());
    t.fire();
    await upkeep.idle();
    assert.is(stale().length, 2);
    assert.is(pipCalls(venv).length, 0);
  } finally {
    await upkeep.stop();
    venv.remove();
  }
});

K('a failing update is a warning; the bot keeps its yt-dlp and the schedule goes on', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20', fail: true });
  const log = createMemoryLogger();
  const t = fakeTimers();
  const upkeep = startYtDlpUpkeep({ path: venv.ytdlpPath, autoUpdate: true, logger: log.logger, sourceEnv, timers: t.timers, now: NOW });
  try {
    await upkeep.idle();
    const warns = log.records().filter((r) => r.level === 40).map((r) => String(r.msg));
    assert.ok(warns.some((m) => m.startsWith('yt-dlp update failed, the bot keeps 2026.08.19')), warns.join('\n'));
    assert.ok(warns.some((m) => m.includes('YTDLP_AUTO_UPDATE=1 did not bring a newer one')), 'and it is still too old');
    assert.is(log.records().filter((r) => Number(r.level) >= 50).length, 0, 'nothing worse than a warning');
    assert.is(t.pending.size, 1);
  } finally {
    await upkeep.stop();
    venv.remove();
  }
});

K('stop cancels the weekly timer: no run after it', async () => {
  const venv = writeFakeVenv({ from: '2026.11.20', to: '2026.11.20' });
  const t = fakeTimers();
  const upkeep = startYtDlpUpkeep({ path: venv.ytdlpPath, autoUpdate: true, logger: createMemoryLogger().logger, sourceEnv, timers: t.timers, now: NOW });
  try {
    await upkeep.idle();
    const [id] = [...t.pending.keys()];
    await upkeep.stop();
    assert.equal(t.cleared, [id]);
    assert.is(t.pending.size, 0);
    const calls = venv.calls().length;
    await upkeep.stop(); // idempotent
    assert.is(venv.calls().length, calls);
  } finally {
    venv.remove();
  }
});

K('start-up does not wait for an update; stop kills one still running and schedules nothing', async () => {
  const venv = writeFakeVenv({ from: '2026.08.19', to: '2026.11.20', sleepMs: 60_000 });
  const log = createMemoryLogger();
  const t = fakeTimers();
  const upkeep = startYtDlpUpkeep({ path: venv.ytdlpPath, autoUpdate: true, logger: log.logger, sourceEnv, timers: t.timers, now: NOW });
  try {
    // The start returned while pip "runs"; wait until it is really running.
    let pid = 0;
    for (let i = 0; i < 500 && !pid; i++) {
      await new Promise((r) => setTimeout(r, 10));
      try {
        pid = Number(readFileSync(join(venv.root, 'update.pid'), 'utf8'));
      } catch {
        /* not yet */
      }
    }
    assert.ok(pid > 0, 'pip started');
    await upkeep.stop(0);
    assert.is(isAlive(pid), false, 'pip was stopped');
    assert.is(venv.version(), '2026.08.19');
    assert.is(t.pending.size, 0, 'no next run');
    assert.ok(log.records().some((r) => r.msg === 'yt-dlp update: cancelled by the stop'), log.text());
  } finally {
    venv.remove();
  }
});

K.run();
