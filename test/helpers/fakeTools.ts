/**
 * Stand-ins for the yt-dlp executable, for the cases a local web page cannot provoke in the
 * real one (a live stream, a region block, a hang) and for yt-dlp searches. Each is a small
 * Node script written to a temp folder and made executable; point `YTDLP_PATH` at it.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the fake behaves. */
export interface FakeYtDlpBehaviour {
  /** Lines printed to stdout first (an info JSON line, search results). */
  readonly stdout?: readonly string[];
  /** Text printed to stderr. */
  readonly stderr?: string;
  /** Exit code (default 0). */
  readonly exitCode?: number;
  /** Sleeps this long before exiting (a hang), after printing. */
  readonly sleepMs?: number;
  /** Writes its pid here on start, and its argv as JSON to `<pidFile>.args`. */
  readonly pidFile?: string;
}

/** A fake executable and its folder. */
export interface FakeTool {
  readonly path: string;
  remove(): void;
}

/** Writes a fake yt-dlp. */
export function writeFakeYtDlp(b: FakeYtDlpBehaviour): FakeTool {
  const dir = mkdtempSync(join(tmpdir(), 'fake-ytdlp-'));
  const path = join(dir, 'yt-dlp');
  const script = `#!/usr/bin/env node
const fs = require('node:fs');
const b = ${JSON.stringify(b)};
if (b.pidFile) { fs.writeFileSync(b.pidFile, String(process.pid)); fs.writeFileSync(b.pidFile + '.args', JSON.stringify(process.argv.slice(2))); }
for (const line of b.stdout ?? []) process.stdout.write(line + '\\n');
if (b.stderr) process.stderr.write(b.stderr);
const end = () => process.exit(b.exitCode ?? 0);
if (b.sleepMs) setTimeout(end, b.sleepMs); else end();
`;
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
