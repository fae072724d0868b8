/**
 * A downloader stand-in for tests of what happens around a download (choices, buttons,
 * Odesli, short links): it records each request and "downloads" a generated clip at once.
 * The real yt-dlp + ffmpeg path has its own end-to-end tests.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DownloadedAudio, Downloader, DownloadRequest } from '../../src/music/download/downloader.ts';
import { generateClip } from './mediaServer.ts';

/** See the module comment. */
export class InstantDownloader implements Downloader {
  readonly requests: DownloadRequest[] = [];
  #clip: Promise<string> | undefined;

  async download(req: DownloadRequest): Promise<DownloadedAudio> {
    this.requests.push(req);
    this.#clip ??= generateClip(1, 'm4a');
    const dir = mkdtempSync(join(tmpdir(), 'instant-'));
    const path = join(dir, 'audio.m4a');
    copyFileSync(await this.#clip, path);
    const title = req.track?.title ?? 'Clip';
    const performer = req.track?.artists.join(', ');
    return {
      path,
      filename: `${title}.m4a`,
      thumbnail: undefined,
      title,
      performer,
      durationSec: req.track?.durationSec ?? 1,
      sizeBytes: 1,
      info: { id: 'clip', title, isLive: false, webpageUrl: req.url },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
}
