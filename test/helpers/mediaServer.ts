/**
 * A local stand-in for the media sites yt-dlp downloads from: audio clips generated with
 * ffmpeg, served as pages whose JSON-LD `AudioObject` yt-dlp's generic extractor reads
 * (`name`, `duration`, `byArtist`, `author`, `contentUrl`, `thumbnailUrl`), plus cover images.
 * Pages can sit at YouTube-like (`/watch?v=<id>`) or SoundCloud-like (`/<user>/<slug>`)
 * paths, so a service whose `youtube`/`soundcloud` base points here downloads real links.
 *
 * Clips are generated once per spec and machine (in the OS temp folder) and reused.
 *
 * `delayMs` (or `setDelay`) holds every page and media answer back that long, so a download
 * waits on the "network" as a real one does (the scale benchmark); unset, answers go at once.
 *
 * @example
 * const media = await startMediaServer();
 * const page = await media.addPage('/watch?v=dQw4w9WgXcQ', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
 * media.downloads('/watch?v=dQw4w9WgXcQ'); // audio fetches so far
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Formats a clip can be generated in (what real sites serve). */
export type ClipFormat = 'm4a' | 'mp3' | 'webm' | 'wav';

const MIME: Record<ClipFormat, string> = { m4a: 'audio/mp4', mp3: 'audio/mpeg', webm: 'audio/webm', wav: 'audio/wav' };
const CODEC: Record<ClipFormat, string[]> = {
  m4a: ['-c:a', 'aac', '-b:a', '48k'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k'],
  webm: ['-c:a', 'libopus', '-b:a', '32k'],
  wav: ['-c:a', 'pcm_s16le'],
};

const CACHE_DIR = join(tmpdir(), 'music-test-media');

/** Generates (once) a sine clip and resolves its path. */
export async function generateClip(seconds: number, format: ClipFormat, ffmpeg = 'ffmpeg', freq = 440): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, `sine-${freq}-${seconds}s.${format}`);
  if (existsSync(path)) return path;
  // Written aside and renamed: test files run in parallel processes.
  const temp = join(CACHE_DIR, `tmp-${randomBytes(6).toString('hex')}.${format}`);
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${freq}:duration=${seconds}`, '-ac', '2', ...CODEC[format], temp]);
  renameSync(temp, path);
  return path;
}

/** Generates (once) a 640×640 JPEG test card. */
export async function generateCover(ffmpeg = 'ffmpeg'): Promise<string> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const path = join(CACHE_DIR, 'cover-640.jpg');
  if (existsSync(path)) return path;
  const temp = join(CACHE_DIR, `tmp-${randomBytes(6).toString('hex')}.jpg`);
  await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=640x640:rate=1', '-frames:v', '1', '-q:v', '3', temp]);
  renameSync(temp, path);
  return path;
}

/** A page to serve. */
export interface PageSpec {
  readonly title: string;
  readonly artist?: string;
  /** The uploader/channel (JSON-LD `author`). */
  readonly uploader?: string;
  /** Real length of the clip. */
  readonly seconds: number;
  /** What the page claims (default the real length). */
  readonly claimedSeconds?: number;
  readonly format?: ClipFormat;
  /** Adds a `thumbnailUrl` pointing at the server's cover. */
  readonly thumbnail?: boolean;
  /** A different tone, so two clips differ in bytes. */
  readonly freq?: number;
}

/** The running server. */
export interface MediaServer {
  readonly baseUrl: string;
  /** The cover image's URL. */
  readonly coverUrl: string;
  /** Serves a page at `path` (with its query, e.g. `/watch?v=…`); resolves its URL. */
  addPage(path: string, spec: PageSpec): Promise<string>;
  /** Audio fetches of the page at `path` (all pages when omitted). */
  downloads(path?: string): number;
  /** Cover fetches so far. */
  coverFetches(): number;
  /** Requests answered so far (pages, media, covers, 404s). */
  requests(): number;
  /** Holds page and media answers back `ms` from now on (0: at once). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

function iso(seconds: number): string {
  return `PT${Math.floor(seconds / 60)}M${seconds % 60}S`;
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startMediaServer(options: { ffmpeg?: string; delayMs?: number } = {}): Promise<MediaServer> {
  const ffmpeg = options.ffmpeg ?? 'ffmpeg';
  let delayMs = options.delayMs ?? 0;
  let requests = 0;
  const pages = new Map<string, string>();
  const media = new Map<string, { file: string; mime: string; page: string }>();
  const fetches = new Map<string, number>();
  let covers = 0;
  const cover = readFileSync(await generateCover(ffmpeg));

  // Every answer but the cover's and a 404's waits `delayMs`: the site is slow, not missing.
  const later = (send: () => void): void => {
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    requests += 1;
    const url = req.url ?? '/';
    if (url === '/cover.jpg') {
      covers += 1;
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': cover.length }).end(cover);
      return;
    }
    const page = pages.get(url);
    if (page !== undefined) {
      later(() => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
      return;
    }
    const clip = media.get(url.split('?')[0]!);
    if (clip) {
      fetches.set(clip.page, (fetches.get(clip.page) ?? 0) + 1);
      const bytes = readFileSync(clip.file);
      later(() => {
        res.writeHead(200, { 'content-type': clip.mime, 'content-length': bytes.length });
        res.end(req.method === 'HEAD' ? undefined : bytes);
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><head><title>Not found</title></head><body>404</body></html>');
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    coverUrl: `${baseUrl}/cover.jpg`,
    async addPage(path, spec) {
      const format = spec.format ?? 'm4a';
      const file = await generateClip(spec.seconds, format, ffmpeg, spec.freq);
      const mediaPath = `/media/${createHash('sha1').update(path).digest('hex').slice(0, 12)}.${format}`;
      media.set(mediaPath, { file, mime: MIME[format], page: path });
      const ld = {
        '@context': 'https://schema.org',
        '@type': 'AudioObject',
        name: spec.title,
        duration: iso(spec.claimedSeconds ?? spec.seconds),
        ...(spec.artist && { byArtist: { '@type': 'MusicGroup', name: spec.artist } }),
        ...(spec.uploader && { author: { '@type': 'Person', name: spec.uploader } }),
        contentUrl: `${baseUrl}${mediaPath}`,
        encodingFormat: MIME[format],
        ...(spec.thumbnail && { thumbnailUrl: `${baseUrl}/cover.jpg` }),
      };
      pages.set(path, `<!doctype html><html><head><title>${spec.title}</title><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body></body></html>`);
      return `${baseUrl}${path}`;
    },
    downloads(path) {
      if (path !== undefined) return fetches.get(path) ?? 0;
      let n = 0;
      for (const v of fetches.values()) n += v;
      return n;
    },
    coverFetches: () => covers,
    requests: () => requests,
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
