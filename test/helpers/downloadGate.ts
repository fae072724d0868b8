/**
 * The music world for bot processes the test did not start in its own process: a fake yt-dlp
 * (point `YTDLP_PATH` at {@link DownloadGate.ytDlpPath}) whose downloads wait at a gate the
 * test holds, so a test knows which process has which download in hand and can kill it then,
 * without guessing at timing.
 *
 * The fake answers `--version` with today's date. A download (`-o <template> -- <url>`) prints
 * what yt-dlp prints for it, in its order (`YoutubeDL.process_video_result`: the
 * `--print pre_process:` template is written at the `pre_process` stage, before the match
 * filter; the `-j` info JSON in `process_info`, before the download): the `pre_process` line
 * rendered from the template the bot passes (`%(.{id,duration,is_live,live_status})j`: a video
 * that is not live has `is_live: false`, `live_status: "not_live"`), then the info JSON (id = the
 * URL's `v`, title `Song <id>`, 2 s of AAC in m4a: YouTube's format `140`), both as Python's
 * `json.dumps` writes them (`", "` and `": "` separators, as yt-dlp's `%()j` and `-j` do). It then asks
 * the gate `GET /hold?v=<id>&pid=<its parent>` – answered at once when the gate is open, else
 * when it opens – then copies a real 2 s clip (made with ffmpeg) to the output path. It exits
 * as soon as its bot is gone (its parent changes), as a real download of a killed bot is no
 * use to anyone.
 *
 * @example
 * const gate = await startDownloadGate();
 * // YTDLP_PATH=gate.ytDlpPath for every bot process
 * await eventually(() => gate.held().length >= 2, 'two downloads in hand');
 * gate.open();
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClip } from './mediaServer.ts';

/** One download that reached the gate. */
export interface GateVisit {
  /** The video id of the link. */
  readonly video: string;
  /** The bot process running it (the fake yt-dlp's parent). */
  readonly pid: number;
}

export interface DownloadGate {
  /** The fake yt-dlp executable. */
  readonly ytDlpPath: string;
  /** Every download that reached the gate, in order (a retried job comes twice). */
  readonly visits: readonly GateVisit[];
  /** Downloads waiting at the closed gate now; one whose process died is gone from here. */
  held(): GateVisit[];
  /** Lets every waiting download and every later one through. */
  open(): void;
  close(): Promise<void>;
}

/** The title the fake gives a video: what `sendAudio` carries. */
export const songTitle = (video: string) => `Song ${video}`;

/** Starts the gate (closed) and writes the fake yt-dlp. */
export async function startDownloadGate(): Promise<DownloadGate> {
  const clip = await generateClip(2, 'm4a');
  const visits: GateVisit[] = [];
  const waiting = new Map<ServerResponse, GateVisit>();
  let isOpen = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gate.invalid');
    const visit = { video: url.searchParams.get('v') ?? '', pid: Number(url.searchParams.get('pid')) };
    visits.push(visit);
    if (isOpen) return void res.end('go');
    waiting.set(res, visit);
    res.on('close', () => waiting.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const gateUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'fake-ytdlp-gate-'));
  const ytDlpPath = join(dir, 'yt-dlp');
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '.');
  writeFileSync(
    ytDlpPath,
    `#!${process.execPath}
const fs = require('node:fs');
const http = require('node:http');
const argv = process.argv.slice(2);
if (argv.includes('--version')) { process.stdout.write(${JSON.stringify(today)} + '\\n'); process.exit(0); }
const url = argv[argv.length - 1];
const video = new URL(url).searchParams.get('v') || 'unknown';
const out = argv[argv.indexOf('-o') + 1];
const parent = process.ppid;
// Gone with its bot: a killed bot's download must not finish behind the test's back.
setInterval(() => { if (process.ppid !== parent) process.exit(1); }, 50);
// Flat objects as Python's json.dumps writes them.
const dumps = (o) => '{' + Object.entries(o).map(([k, v]) => JSON.stringify(k) + ': ' + JSON.stringify(v)).join(', ') + '}';
const printAt = argv.indexOf('--print');
const template = printAt === -1 ? '' : argv[printAt + 1];
if (template.startsWith('pre_process:')) {
  const prefix = template.slice('pre_process:'.length, template.indexOf('%('));
  process.stdout.write(prefix + dumps({ id: video, duration: 2, is_live: false, live_status: 'not_live' }) + '\\n');
}
const info = { id: video, title: ${JSON.stringify(songTitle(''))} + video, track: ${JSON.stringify(songTitle(''))} + video, artist: 'Scale Test',
  duration: 2, ext: 'm4a', acodec: 'mp4a.40.2', format_id: '140', webpage_url: url };
process.stdout.write(dumps(info) + '\\n');
http.get(${JSON.stringify(gateUrl)} + '/hold?v=' + encodeURIComponent(video) + '&pid=' + parent, (res) => {
  res.resume();
  res.on('end', () => { fs.copyFileSync(${JSON.stringify(clip)}, out.replace('%(ext)s', 'm4a')); process.exit(0); });
  res.on('error', () => process.exit(1));
}).on('error', () => process.exit(1));
`,
  );
  chmodSync(ytDlpPath, 0o755);

  return {
    ytDlpPath,
    visits,
    held: () => [...waiting.values()],
    open() {
      isOpen = true;
      for (const res of waiting.keys()) res.end('go');
    },
    async close() {
      for (const res of waiting.keys()) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
