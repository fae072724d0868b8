/**
 * The downloader: a media URL in, a tagged audio file with its thumbnail out, inside a job
 * directory that {@link DownloadedAudio.dispose} removes (and that a failure removes before
 * the error leaves). Limits are enforced twice: before the download from what the source
 * claims, and after it from what ffmpeg actually counted and the file's real size.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LyricsClient, LyricsQuery } from '../../lyrics/lrclib.ts';
import { MusicError } from '../errors.ts';
import type { TrackInfo } from '../types.ts';
import { ffmpegFinalize, type AudioFormat, type AudioTags } from '../tools/ffmpeg.ts';
import type { ToolMeter } from '../tools/runProcess.ts';
import { ytDlpDownload, type MediaInfo, type YtDlpSettings } from '../tools/ytDlp.ts';
import { fetchCover } from './fetchCover.ts';
import { addId3Lyrics } from './id3Lyrics.ts';
import { addMp4FreeformTag } from './mp4Freeform.ts';
import { audioTagsFrom } from './tagsFromInfo.ts';
import { createJobDir, removeJobDir } from './tempDirs.ts';

/** Options of {@link createDownloader}. */
export interface DownloaderOptions {
  readonly ytdlp: YtDlpSettings;
  readonly ffmpegPath: string;
  /** Output format (default m4a: AAC copied when the source has it). */
  readonly format?: AudioFormat;
  /** `MAX_TRACK_SECONDS`. */
  readonly maxSeconds: number;
  /** `MAX_UPLOAD_MB` in bytes. */
  readonly maxBytes: number;
  /** yt-dlp's budget (default 5 min). */
  readonly downloadTimeoutMs?: number;
  /** ffmpeg's budget (default 2 min). */
  readonly ffmpegTimeoutMs?: number;
  /** Where job directories go (default the OS temp directory). */
  readonly tempRoot?: string;
  readonly meter?: ToolMeter;
  /** Lets covers come from private addresses (tests' local servers; see `fetchCover`). */
  readonly allowPrivateAddresses?: boolean;
  /** LRCLIB: found lyrics go into the file's tags (best effort, see {@link LYRICS_BUDGET_MS}). */
  readonly lyrics?: LyricsClient;
  /** The lyrics lookup's budget (default {@link LYRICS_BUDGET_MS}). */
  readonly lyricsTimeoutMs?: number;
  readonly logger?: Logger;
}

/**
 * How long a download waits for LRCLIB. Short: the lookup runs beside yt-dlp or the cover
 * fetch, and lyrics are a nicety that never delays an audio by much nor fails it.
 */
export const LYRICS_BUDGET_MS = 3000;

/** Characters of lyrics written at most (they travel in ffmpeg's argv; songs are far shorter). */
const MAX_LYRICS_CHARS = 30_000;

/** One download request. */
export interface DownloadRequest {
  /** A page yt-dlp understands. */
  readonly url: string;
  /** Metadata from the link's own service: tags and cover come from here when present. */
  readonly track?: TrackInfo;
  readonly signal?: AbortSignal;
}

/** A finished file, ready to send. Call {@link dispose} when done with it. */
export interface DownloadedAudio {
  readonly path: string;
  /** A readable file name for Telegram (`Artist - Title.m4a`). */
  readonly filename: string;
  readonly thumbnail: string | undefined;
  readonly title: string;
  readonly performer: string | undefined;
  readonly durationSec: number;
  readonly sizeBytes: number;
  /** What yt-dlp said about the source. */
  readonly info: MediaInfo;
  /** Removes the job directory. Safe to call twice. */
  dispose(): Promise<void>;
}

/** Downloads media as tagged audio. */
export interface Downloader {
  download(request: DownloadRequest): Promise<DownloadedAudio>;
}

/** Seconds a source may run over the limit before the real count refuses it (rounding, padding). */
const DURATION_SLACK_SEC = 5;

/**
 * A file shorter than this share of the length its source states is a preview, not the
 * track: SoundCloud hands anonymous clients a ~30 s clip of Go+ tracks while the info's
 * `duration` is the whole track's, and yt-dlp downloads it without complaint.
 */
const PREVIEW_SHARE = 0.8;

/** Creates the yt-dlp + ffmpeg downloader. */
export function createDownloader(o: DownloaderOptions): Downloader {
  const format = o.format ?? 'm4a';
  return {
    async download(req: DownloadRequest): Promise<DownloadedAudio> {
      const dir = await createJobDir(o.tempRoot);
      try {
        return await run(req, dir);
      } catch (err) {
        await removeJobDir(dir);
        throw err;
      }
    },
  };

  async function run(req: DownloadRequest, dir: string): Promise<DownloadedAudio> {
    if (req.track?.durationSec !== undefined && req.track.durationSec > o.maxSeconds) {
      throw new MusicError('MUSIC_TOO_LONG', `the track is ${req.track.durationSec} s long, the limit is ${o.maxSeconds} s`);
    }
    const coverOptions = { timeoutMs: 8000, signal: req.signal, allowPrivateAddresses: o.allowPrivateAddresses, logger: o.logger };
    // The service's cover is fetched while yt-dlp works; yt-dlp's thumbnail only if needed.
    const early = req.track?.coverUrl ? fetchCover(req.track.coverUrl, dir, coverOptions) : undefined;
    early?.catch(() => undefined);
    // With the service's metadata the tags are known already: look the lyrics up meanwhile too.
    const t = req.track;
    const earlyLyrics = t ? findLyrics({ title: t.title, artist: t.artists[0], album: t.album, durationSec: t.durationSec }, req.signal) : undefined;
    const { info, file } = await ytDlpDownload(o.ytdlp, req.url, dir, {
      maxSeconds: o.maxSeconds,
      maxBytes: o.maxBytes,
      timeoutMs: o.downloadTimeoutMs ?? 5 * 60_000,
      signal: req.signal,
    });
    const cover = (await early) ?? (await fetchCover(info.thumbnail, dir, coverOptions));
    const named = audioTagsFrom(req.track, info);
    const found = await (earlyLyrics ?? findLyrics({ ...named, durationSec: info.durationSec }, req.signal));
    const tags: AudioTags = { ...named, ...(found && { lyrics: found }) };
    const output = join(dir, `audio.${format}`);
    const base = { ffmpegPath: o.ffmpegPath, source: file, cover, output, thumbnail: join(dir, 'thumb.jpg'), format, tags, signal: req.signal, meter: o.meter };
    const timeoutMs = o.ffmpegTimeoutMs ?? 2 * 60_000;
    const copy = canCopy(file, info, format);
    let result;
    try {
      result = await ffmpegFinalize({ ...base, copy, timeoutMs });
    } catch (err) {
      // A container that lied about its codec: encode instead of copying.
      if (!copy || !(err instanceof MusicError) || err.code !== 'MUSIC_DOWNLOAD_FAILED') throw err;
      result = await ffmpegFinalize({ ...base, copy: false, timeoutMs });
    }
    if (format === 'm4a' && tags.isrc) {
      await addMp4FreeformTag(output, 'ISRC', tags.isrc).catch((err: unknown) => o.logger?.debug({ err }, 'ISRC tag not written'));
    }
    if (format === 'mp3' && tags.lyrics) {
      await addId3Lyrics(output, tags.lyrics).catch((err: unknown) => o.logger?.debug({ err }, 'lyrics tag not written'));
    }
    const sizeBytes = (await stat(output)).size;
    if (sizeBytes > o.maxBytes) throw new MusicError('MUSIC_TOO_LARGE', `the file is ${sizeBytes} bytes, the limit is ${o.maxBytes}`);
    // The upload's own stated length first: a matched upload may be an edit a little shorter
    // than the service's track, which is no reason to refuse it.
    const stated = info.durationSec ?? req.track?.durationSec;
    if (result.durationSec !== undefined && stated !== undefined && result.durationSec < stated * PREVIEW_SHARE) {
      throw new MusicError('MUSIC_PREVIEW_ONLY', `the file is ${result.durationSec} s long, the source states ${stated} s: a preview`);
    }
    const durationSec = result.durationSec ?? info.durationSec ?? req.track?.durationSec ?? 0;
    if (durationSec > o.maxSeconds + DURATION_SLACK_SEC) {
      throw new MusicError('MUSIC_TOO_LONG', `the audio is ${durationSec} s long, the limit is ${o.maxSeconds} s`);
    }
    let disposed = false;
    return {
      path: output,
      filename: audioFileName(tags, format),
      thumbnail: result.thumbnail,
      title: tags.title,
      performer: tags.artist,
      durationSec,
      sizeBytes,
      info,
      async dispose() {
        if (disposed) return;
        disposed = true;
        await removeJobDir(dir);
      },
    };
  }

  /** The plain lyrics of a track, or undefined: no client, a miss, an instrumental, or any failure. */
  async function findLyrics(q: Partial<LyricsQuery> & { title: string }, signal: AbortSignal | undefined): Promise<string | undefined> {
    // Without an artist a title alone matches too loosely to write into someone's file.
    if (!o.lyrics || !q.artist) return undefined;
    try {
      const result = await o.lyrics.find(
        { title: q.title, artist: q.artist, ...(q.album && { album: q.album }), ...(q.durationSec !== undefined && { durationSec: q.durationSec }) },
        { timeoutMs: o.lyricsTimeoutMs ?? LYRICS_BUDGET_MS, ...(signal && { signal }) },
      );
      return result.kind === 'found' ? result.text.slice(0, MAX_LYRICS_CHARS) : undefined;
    } catch (err) {
      o.logger?.debug({ err }, 'no lyrics for the tags');
      return undefined;
    }
  }
}

/** True when the source's audio can go into `format` untouched. */
function canCopy(file: string, info: MediaInfo, format: AudioFormat): boolean {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  const codec = (info.acodec ?? '').toLowerCase();
  if (format === 'm4a') return /^(mp4a|aac|alac)/.test(codec) || ((codec === '' || codec === 'none') && ['m4a', 'mp4', 'aac', 'm4b'].includes(ext));
  return codec.startsWith('mp3') || ((codec === '' || codec === 'none') && ext === 'mp3');
}

/**
 * `Artist - Title.m4a`, without characters file systems or Telegram dislike: Telegram's
 * multipart parser cuts a file name at the first `;`, so `;` goes too.
 */
export function audioFileName(tags: Pick<AudioTags, 'artist' | 'title'>, format: AudioFormat): string {
  const raw = tags.artist ? `${tags.artist} - ${tags.title}` : tags.title;
  const clean = raw.replace(/[\u0000-\u001f\u007f/\\:;*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${clean || 'audio'}.${format}`;
}
