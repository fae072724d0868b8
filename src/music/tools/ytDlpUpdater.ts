/**
 * One update of yt-dlp in place (`YTDLP_AUTO_UPDATE=1`), the way its installation allows:
 *
 * - **a virtualenv** (the Docker image's `/opt/yt-dlp`, a pipx venv): `<venv>/bin/python -m pip
 *   install -U "yt-dlp[default]"`. `yt-dlp -U` refuses there: a pip install is variant
 *   `unknown`, and `update.py` (`is_non_updateable`) answers "You installed yt-dlp from a
 *   manual build or with a package manager; Use that to update" with exit code 100.
 *   `[default]` matters: it pins `yt-dlp-ejs` (the YouTube challenge scripts) to the release,
 *   and a plain `-U yt-dlp` would leave the old pin behind.
 * - **anything else** (the release binary, a zipimport build): `yt-dlp -U`, its self-update.
 *   A Debian package or a root-owned file refuses or fails; that refusal is logged as the
 *   warning, with yt-dlp's own words.
 *
 * The child gets a minimal environment (`toolEnv.ts`), a time budget and the caller's abort
 * signal. Nothing here throws: a failed update is a warning, and the bot keeps the yt-dlp it has.
 */
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import type { Logger } from '../../log.ts';
import { scrubText } from '../../log.ts';
import { MusicError } from '../errors.ts';
import { runProcess } from './runProcess.ts';
import { lastLine, readYtDlpVersion, type YtDlpVersion } from './ytDlpVersion.ts';

/** How this installation is updated. */
export interface UpdateMethod {
  /** `pip`: a virtualenv's pip; `self`: `yt-dlp -U`. */
  readonly kind: 'pip' | 'self';
  readonly command: string;
  readonly args: readonly string[];
}

/** What one update did. */
export interface UpdateOutcome {
  readonly status: 'updated' | 'current' | 'failed' | 'cancelled';
  readonly method?: UpdateMethod['kind'];
  /** Versions before and after, when they could be read. */
  readonly from?: string;
  readonly to?: string;
  /** Why it failed: the tool's last output line, or what could not be done. */
  readonly reason?: string;
}

/** Options of {@link updateYtDlp}. */
export interface UpdateOptions {
  /** `YTDLP_PATH`: a path, or a name looked up on the child's `PATH`. */
  readonly path: string;
  readonly logger: Logger;
  /** The children's whole environment (see `toolEnv.ts`). */
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Budget of the update command (default {@link UPDATE_TIMEOUT_MS}). */
  readonly timeoutMs?: number;
}

/** pip downloads a few MB and unpacks them: minutes are plenty even on a slow line. */
export const UPDATE_TIMEOUT_MS = 5 * 60_000;

const PIP_ARGS = ['-m', 'pip', 'install', '--upgrade', '--no-cache-dir', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', 'yt-dlp[default]'];

const exists = (p: string) => access(p).then(() => true, () => false);
const isExecutableFile = async (p: string) =>
  (await stat(p).then((s) => s.isFile(), () => false)) && (await access(p, constants.X_OK).then(() => true, () => false));

/** Where `path` really is: a name is looked up on `PATH` (as spawn would), links are followed. */
async function locate(path: string, envPath: string | undefined): Promise<string | undefined> {
  if (path.includes('/')) return realpath(path).catch(() => undefined);
  for (const dir of (envPath ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, path);
    if (await isExecutableFile(candidate)) return realpath(candidate).catch(() => undefined);
  }
  return undefined;
}

/**
 * Tells a virtualenv install (a `pyvenv.cfg` one level above the script's folder and a
 * `python` beside it) from the rest. Resolves undefined when yt-dlp is not there at all.
 */
export async function detectUpdateMethod(path: string, env: NodeJS.ProcessEnv): Promise<UpdateMethod | undefined> {
  const real = await locate(path, env.PATH);
  if (!real) return undefined;
  const bin = dirname(real);
  // Not resolved further: a venv's python is a link to the system one, and only the link
  // (inside the venv) installs into the venv.
  const python = join(bin, 'python');
  if ((await exists(join(bin, '..', 'pyvenv.cfg'))) && (await isExecutableFile(python))) {
    return { kind: 'pip', command: python, args: PIP_ARGS };
  }
  return { kind: 'self', command: real, args: ['--ignore-config', '-U'] };
}

async function versionOrUndefined(path: string, options: UpdateOptions): Promise<YtDlpVersion | undefined> {
  return readYtDlpVersion(path, { env: options.env, ...(options.signal && { signal: options.signal }) }).catch(() => undefined);
}

/**
 * Updates yt-dlp once and logs the outcome: `yt-dlp updated` (old → new), `yt-dlp is up to
 * date`, or a warning with the last line the updater printed. Never throws.
 */
export async function updateYtDlp(options: UpdateOptions): Promise<UpdateOutcome> {
  const { logger, signal } = options;
  const method = await detectUpdateMethod(options.path, options.env);
  if (!method) {
    const reason = `yt-dlp not found at "${options.path}"`;
    logger.warn({ path: options.path, reason }, 'yt-dlp update failed: there is no yt-dlp to update (set YTDLP_PATH)');
    return { status: 'failed', reason };
  }
  const before = await versionOrUndefined(options.path, options);
  logger.debug({ method: method.kind, version: before?.text }, 'yt-dlp update: started');
  const base = { method: method.kind, ...(before && { from: before.text }) };
  try {
    const res = await runProcess(method.command, method.args, {
      tool: method.kind === 'pip' ? 'pip' : 'yt-dlp',
      timeoutMs: options.timeoutMs ?? UPDATE_TIMEOUT_MS,
      env: options.env,
      ...(signal && { signal }),
    });
    if (res.exitCode !== 0) return failed(logger, base, `exit code ${res.exitCode}: ${lastLine(res.stdout, res.stderr)}`);
  } catch (err) {
    if (signal?.aborted) {
      logger.info(base, 'yt-dlp update: cancelled by the stop');
      return { ...base, status: 'cancelled' };
    }
    const reason = err instanceof MusicError && err.code === 'MUSIC_TIMEOUT' ? `no answer within ${options.timeoutMs ?? UPDATE_TIMEOUT_MS} ms` : scrubText(err instanceof Error ? err.message : String(err));
    return failed(logger, base, reason);
  }
  const after = await versionOrUndefined(options.path, options);
  if (!after) return failed(logger, base, 'yt-dlp --version fails after the update');
  if (after.text !== before?.text) {
    logger.info({ ...base, to: after.text }, `yt-dlp updated: ${before?.text ?? 'unknown'} → ${after.text}`);
    return { ...base, status: 'updated', to: after.text };
  }
  logger.info({ ...base, to: after.text }, `yt-dlp is up to date (${after.text})`);
  return { ...base, status: 'current', to: after.text };
}

function failed(logger: Logger, base: { method: UpdateMethod['kind']; from?: string }, reason: string): UpdateOutcome {
  const fix = base.method === 'pip' ? 'check that PyPI is reachable (a proxy: HTTPS_PROXY)' : 'when yt-dlp refuses to update itself, update it the way it was installed, or install it in a virtualenv the bot\'s user owns';
  logger.warn({ ...base, reason }, `yt-dlp update failed, the bot keeps ${base.from ?? 'the installed version'}: ${reason}; ${fix} (docs/music.md, "Keeping yt-dlp working")`);
  return { ...base, status: 'failed', reason };
}
