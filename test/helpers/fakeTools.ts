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
  /**
   * Writes `<recordDir>/<pid>.json` on start: `{ args, cookies }`, where `cookies` is the text
   * of the file passed as `--cookies` (what the real yt-dlp would read), or null. Parallel
   * runs each leave their own record.
   */
  readonly recordDir?: string;
  /** After printing, copies this file to the `-o` template's path (`%(ext)s` → its extension), as a download would. */
  readonly writeFile?: string;
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
const argv = process.argv.slice(2);
if (b.pidFile) { fs.writeFileSync(b.pidFile, String(process.pid)); fs.writeFileSync(b.pidFile + '.args', JSON.stringify(argv)); }
if (b.recordDir) {
  const at = argv.indexOf('--cookies');
  const cookies = at === -1 ? null : fs.readFileSync(argv[at + 1], 'utf8');
  fs.writeFileSync(require('node:path').join(b.recordDir, process.pid + '.json'), JSON.stringify({ args: argv, cookies }));
}
for (const line of b.stdout ?? []) process.stdout.write(line + '\\n');
if (b.writeFile) {
  const out = argv[argv.indexOf('-o') + 1];
  fs.copyFileSync(b.writeFile, out.replace('%(ext)s', b.writeFile.slice(b.writeFile.lastIndexOf('.') + 1)));
}
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
