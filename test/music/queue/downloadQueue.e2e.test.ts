/**
 * The queue's limits under load, through the bot: 20 requests arrive at once from 8 users;
 * at most 2 downloads run at any moment, never 2 of one user, a user's 5th and 6th waiting
 * requests are told to wait, and every accepted request ends with its audio.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DownloadedAudio, Downloader, DownloadRequest } from '../../../src/music/download/downloader.ts';
import { abortReason } from '../../../src/music/errors.ts';
import { generateClip } from '../../helpers/mediaServer.ts';
import { startMusicHarness } from '../../helpers/musicHarness.ts';

/** A downloader whose downloads wait until the test releases them. */
class GatedDownloader implements Downloader {
  readonly active = new Map<string, () => void>();
  peak = 0;
  #watchers: { n: number; resolve: () => void }[] = [];
  constructor(private readonly clip: string) {}

  async download(req: DownloadRequest): Promise<DownloadedAudio> {
    await new Promise<void>((resolve, reject) => {
      this.active.set(req.url, resolve);
      req.signal?.addEventListener('abort', () => reject(abortReason(req.signal!)), { once: true });
      this.peak = Math.max(this.peak, this.active.size);
      for (const w of this.#watchers.filter((w) => this.active.size >= w.n)) w.resolve();
      this.#watchers = this.#watchers.filter((w) => this.active.size < w.n);
    });
    const dir = mkdtempSync(join(tmpdir(), 'gated-'));
    const path = join(dir, 'audio.m4a');
    copyFileSync(this.clip, path);
    const info = { id: 'x', title: 'Clip', isLive: false, webpageUrl: req.url };
    return { path, filename: 'Clip.m4a', thumbnail: undefined, title: 'Clip', performer: 'Test', durationSec: 1, sizeBytes: 1, info, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }

  /** Resolves once `n` downloads are running. */
  running(n: number): Promise<void> {
    if (this.active.size >= n) return Promise.resolve();
    return new Promise((resolve) => this.#watchers.push({ n, resolve }));
  }

  releaseAll(): void {
    for (const release of this.active.values()) release();
    this.active.clear();
  }
}

const Load = suite('download queue under 20 simultaneous requests');

Load('never more than 2 downloads at once, one per user, extra requests told to wait', async () => {
  const downloader = new GatedDownloader(await generateClip(1, 'm4a'));
  const h = await startMusicHarness({ service: { downloader } });
  try {
    const users = Array.from({ length: 8 }, () => h.fake.createUser());
    const owner = new Map<string, number>();
    const sends: [number, string][] = [];
    // User 0 sends 6 links in 6 messages; the others 2 each: 20 requests.
    users.forEach((u, i) => {
      for (let j = 0; j < (i === 0 ? 6 : 2); j++) sends.push([i, `u${i}x${j}`.padEnd(11, '_')]);
    });
    for (const [i, id] of sends) {
      owner.set(`${h.media.baseUrl}/watch?v=${id}`, users[i]!.id);
      h.fake.sendText(users[i]!, `https://youtu.be/${id}`);
    }
    // Accepted requests left per user: 4 for the first (1 running + 3 waiting), 2 for the others.
    const left = new Map(users.map((u, i) => [u.id, i === 0 ? 4 : 2]));
    let delivered = 0;
    while (delivered < 18) {
      const usersLeft = [...left.values()].filter((n) => n > 0).length;
      await downloader.running(Math.min(2, usersLeft));
      const owners = [...downloader.active.keys()].map((url) => owner.get(url)!);
      for (const o of owners) left.set(o, left.get(o)! - 1);
      assert.ok(downloader.active.size <= 2, 'at most 2 downloads');
      assert.is(new Set(owners).size, owners.length, 'never two downloads of one user');
      const batch = downloader.active.size;
      downloader.releaseAll();
      for (let k = 0; k < batch; k++) await h.fake.nextCall('sendAudio');
      delivered += batch;
    }
    await h.service.queue.idle();
    assert.is(downloader.peak, 2);
    assert.is(h.service.queue.stats().peakRunning, 2);
    const busy = h.fake.callsOf('sendMessage').filter((c) => /Please wait/.test(String(c.params.text)));
    assert.is(busy.length, 2, "the first user's 5th and 6th requests were told to wait");
    assert.ok(busy.every((c) => c.params.chat_id === users[0]!.id));
    assert.is(h.fake.callsOf('sendAudio').length, 18, 'every accepted request got its audio');
    assert.equal(h.leftovers(), []);
    h.fake.assertNoViolations();
  } finally {
    await h.close();
  }
});

Load.run();
