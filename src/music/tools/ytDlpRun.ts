/**
 * What one yt-dlp run needs on disk: its own copy of the cookies file. yt-dlp writes the
 * cookie jar back to `--cookies FILE` when it exits (`YoutubeDL.__exit__` →
 * `cookiejar.save()`), so pointing every run at the operator's file would rewrite it from
 * parallel runs at once, and a read-only file (a Docker `:ro` mount) makes the run fail after
 * the download (yt-dlp issue #5977). Each run therefore reads a private, writable copy, which
 * goes away with the run's directory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createJobDir, removeJobDir } from '../download/tempDirs.ts';
import { MusicError } from '../errors.ts';
import type { YtDlpSettings } from './ytDlp.ts';

/** A prepared run: the cookies path to pass (if any) and how to clean up after it. */
export interface YtDlpRunFiles {
  /** The per-run copy of `YTDLP_COOKIES`, undefined without cookies. */
  readonly cookies: string | undefined;
  /** Removes what {@link prepareRunFiles} created (not a directory it was given). */
  dispose(): Promise<void>;
}

/**
 * Copies the cookies of `s` into `dir` (a job directory the caller removes), or into a new
 * private directory under `s.tempRoot` that {@link YtDlpRunFiles.dispose} removes.
 *
 * @throws {MusicError} `MUSIC_DOWNLOAD_FAILED` when the cookies file cannot be read (an
 *   operator problem: the message names the path, never the content).
 */
export async function prepareRunFiles(s: YtDlpSettings, dir?: string): Promise<YtDlpRunFiles> {
  if (!s.cookies) return { cookies: undefined, dispose: async () => undefined };
  const own = dir === undefined ? await createJobDir(s.tempRoot) : undefined;
  const target = join(dir ?? own!, 'cookies.txt');
  try {
    const jar = await readFile(s.cookies);
    // 0600: the copy holds a logged-in session; only the bot's user may read it.
    await writeFile(target, jar, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if (own) await removeJobDir(own);
    throw new MusicError('MUSIC_DOWNLOAD_FAILED', `YTDLP_COOKIES (${s.cookies}) could not be copied for a yt-dlp run: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { service: 'yt-dlp' });
  }
  return { cookies: target, dispose: async () => (own ? removeJobDir(own) : undefined) };
}
