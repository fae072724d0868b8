/**
 * Stand-ins for a yt-dlp installation, for the updater: a virtualenv whose `python -m pip`
 * "installs" a newer yt-dlp, and a standalone yt-dlp that answers `-U`. Each is a small Node
 * script that records how it was called (argv and the whole environment) so a test can check
 * the arguments and that no secret reached it.
 *
 * What they print, and where from:
 * - `yt-dlp --version`: the version and a newline on stdout, exit 0 (optparse's `version`
 *   action, yt-dlp `options.py`); nightly versions carry the time (`2026.11.20.233402`).
 * - pip, success: last line `Successfully installed yt-dlp-<version> …` (pip
 *   `commands/install.py`); up to date: `Requirement already satisfied: …`, exit 0.
 * - pip, offline (recorded here with pip 23 and no network): on stderr
 *   `ERROR: Could not find a version that satisfies the requirement yt-dlp[default] (from versions: none)`
 *   `ERROR: No matching distribution found for yt-dlp[default]`, exit 1.
 * - `yt-dlp -U` of a pip/package-manager install (yt-dlp `update.py`, `query_update` and
 *   `is_non_updateable`; `YoutubeDL.report_error`): stdout `Current version: stable@… from
 *   yt-dlp/yt-dlp` and `Latest version: …`, stderr `ERROR: You installed yt-dlp from a manual
 *   build or with a package manager; Use that to update`, exit 100.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One recorded run of a fake. */
export interface FakeCall {
  readonly tool: 'python' | 'yt-dlp';
  readonly argv: string[];
  readonly env: Record<string, string>;
}

/** A fake installation in a temp folder. */
export interface FakeInstall {
  /** Where `YTDLP_PATH` points. */
  readonly ytdlpPath: string;
  readonly root: string;
  /** Every run so far, `--version` runs included. */
  calls(): FakeCall[];
  /** The version `--version` prints now. */
  version(): string;
  remove(): void;
}

/** How the fake updater (pip or `-U`) behaves. */
export interface FakeUpdateBehaviour {
  /** The version before. */
  readonly from: string;
  /** The version an update brings; equal to `from` for "up to date". */
  readonly to: string;
  /** Fail like pip offline (or like `-U` of a package-manager install). */
  readonly fail?: boolean;
  /** Lines the failure prints on stderr instead of the recorded ones. */
  readonly failStderr?: readonly string[];
  /** Sleep this long before answering (a hang); writes its pid to `<root>/update.pid`. */
  readonly sleepMs?: number;
}

const PIP_OFFLINE = [
  'ERROR: Could not find a version that satisfies the requirement yt-dlp[default] (from versions: none)',
  'ERROR: No matching distribution found for yt-dlp[default]',
];
const SELF_REFUSAL = ['ERROR: You installed yt-dlp from a manual build or with a package manager; Use that to update'];

/** The script both fakes share: records the call, then acts by argv. */
function script(tool: 'python' | 'yt-dlp', root: string, b: FakeUpdateBehaviour, selfUpdating: boolean): string {
  return `#!/usr/bin/env node
const fs = require('node:fs');
const root = ${JSON.stringify(root)};
const b = ${JSON.stringify(b)};
const argv = process.argv.slice(2);
fs.appendFileSync(root + '/calls.jsonl', JSON.stringify({ tool: ${JSON.stringify(tool)}, argv, env: process.env }) + '\\n');
const current = fs.readFileSync(root + '/version', 'utf8');
const updating = ${tool === 'python'} ? argv.includes('pip') : ${selfUpdating} && argv.includes('-U');
if (argv.includes('--version')) { process.stdout.write(current + '\\n'); process.exit(0); }
if (!updating) { process.stderr.write('unexpected arguments\\n'); process.exit(2); }
const answer = () => {
  if (b.fail) {
    if (${tool === 'yt-dlp'}) process.stdout.write('Current version: stable@' + current + ' from yt-dlp/yt-dlp\\nLatest version: stable@' + b.to + ' from yt-dlp/yt-dlp\\n');
    process.stderr.write((b.failStderr ?? ${JSON.stringify(tool === 'python' ? PIP_OFFLINE : SELF_REFUSAL)}).join('\\n') + '\\n');
    process.exit(${tool === 'python' ? 1 : 100});
  }
  fs.writeFileSync(root + '/version', b.to);
  if (${tool === 'python'}) process.stdout.write(b.to === current ? 'Requirement already satisfied: yt-dlp[default] in ./lib/python3.11/site-packages (' + current + ')\\n' : 'Successfully installed yt-dlp-' + b.to + '\\n');
  else process.stdout.write(b.to === current ? 'Latest version: stable@' + current + ' from yt-dlp/yt-dlp\\nyt-dlp is up to date (stable@' + current + ' from yt-dlp/yt-dlp)\\n' : 'Updated yt-dlp to stable@' + b.to + ' from yt-dlp/yt-dlp\\n');
  process.exit(0);
};
if (b.sleepMs) { fs.writeFileSync(root + '/update.pid', String(process.pid)); setTimeout(answer, b.sleepMs); } else answer();
`;
}

function writeExecutable(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

function install(root: string, ytdlpPath: string): FakeInstall {
  return {
    ytdlpPath,
    root,
    calls: () =>
      existsSync(join(root, 'calls.jsonl'))
        ? readFileSync(join(root, 'calls.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall)
        : [],
    version: () => readFileSync(join(root, 'version'), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A virtualenv as `python3 -m venv` lays it out (`pyvenv.cfg`, `bin/python`, `bin/yt-dlp`),
 * with a fake python whose `-m pip install` moves the version to `b.to`.
 */
export function writeFakeVenv(b: FakeUpdateBehaviour): FakeInstall {
  const root = mkdtempSync(join(tmpdir(), 'fake-venv-'));
  mkdirSync(join(root, 'bin'));
  // The keys python3 -m venv writes (Python 3.11).
  writeFileSync(join(root, 'pyvenv.cfg'), 'home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.2\n');
  writeFileSync(join(root, 'version'), b.from);
  writeExecutable(join(root, 'bin', 'python'), script('python', root, b, false));
  writeExecutable(join(root, 'bin', 'yt-dlp'), script('yt-dlp', root, b, false));
  return install(root, join(root, 'bin', 'yt-dlp'));
}

/** A standalone yt-dlp (no venv around it) whose `-U` updates it or refuses. */
export function writeFakeStandaloneYtDlp(b: FakeUpdateBehaviour): FakeInstall {
  const root = mkdtempSync(join(tmpdir(), 'fake-ytdlp-bin-'));
  writeFileSync(join(root, 'version'), b.from);
  writeExecutable(join(root, 'yt-dlp'), script('yt-dlp', root, b, true));
  return install(root, join(root, 'yt-dlp'));
}
