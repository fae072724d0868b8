import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createOdesli } from '../../../src/music/resolvers/odesli.ts';
import { startFakeMusicSources } from '../../helpers/fakeMusicSources.ts';
import { createMemoryLogger } from '../../helpers/memoryLogger.ts';

const O = suite('Odesli (optional, soft)');
const signal = new AbortController().signal;

O('YouTube and SoundCloud links become candidates with the song’s title', async () => {
  const sources = await startFakeMusicSources();
  try {
    sources.setOdesli({
      entityUniqueId: 'SPOTIFY_SONG::x',
      entitiesByUniqueId: { 'SPOTIFY_SONG::x': { title: 'Song', artistName: 'Band', thumbnailUrl: 'https://t/x.jpg' }, 'YOUTUBE_VIDEO::abcdefghijk': { id: 'abcdefghijk', title: 'Song (Official)', artistName: 'BandVEVO' } },
      linksByPlatform: { youtube: { url: 'https://www.youtube.com/watch?v=abcdefghijk', entityUniqueId: 'YOUTUBE_VIDEO::abcdefghijk' }, soundcloud: { url: 'https://soundcloud.com/band/song' } },
    });
    const a = await createOdesli({ apiUrl: sources.odesliUrl }).lookup('https://open.spotify.com/track/x', signal);
    assert.equal([a.title, a.artists, a.coverUrl], ['Song', ['Band'], 'https://t/x.jpg']);
    assert.equal(a.candidates.map((c) => [c.source, c.id, c.title]), [['youtube', 'abcdefghijk', 'Song (Official)'], ['soundcloud', 'https://soundcloud.com/band/song', 'Song']]);
  } finally {
    await sources.close();
  }
});

O('an error, garbage, an unreachable or a hanging service all give an empty answer; the key is never logged', async () => {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/garbage')) res.end('<html>oops');
    else if (req.url?.startsWith('/err')) res.writeHead(500).end();
    // '/hang': never answers
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const log = createMemoryLogger('debug');
  try {
    for (const apiUrl of [`${base}/garbage`, `${base}/err`, 'http://127.0.0.1:9', `${base}/hang`]) {
      const a = await createOdesli({ apiUrl, apiKey: 'secret-odesli-key', timeoutMs: 500, logger: log.logger }).lookup('https://x', signal);
      assert.equal(a.candidates, [], apiUrl);
    }
    assert.not.ok(log.text().includes('secret-odesli-key'));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

O.run();
