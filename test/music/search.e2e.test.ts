/**
 * Links to audio with search output of the real shape: the bot searches through a fake
 * yt-dlp that prints what the real one prints for YouTube Music and YouTube searches
 * (bare song entries, `test/helpers/fakeYtDlpSearch.ts`) and `-J` of watch pages, and
 * downloads through the real yt-dlp (the same fake passes those runs on) from local pages.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createYtDlpSearch } from '../../src/music/search/ytDlpSearch.ts';
import { startFakeSpotify } from '../helpers/fakeSpotify.ts';
import { writeFakeYtDlpSearch, type WorldVideo } from '../helpers/fakeYtDlpSearch.ts';
import { unlinkedWebApi } from '../helpers/musicFixtures.ts';
import { startMusicHarness, type MusicHarness, type MusicHarnessOptions } from '../helpers/musicHarness.ts';

const E = suite('search end to end, real-shaped yt-dlp output');

async function withWorld(world: WorldVideo[], o: MusicHarnessOptions, body: (h: MusicHarness) => Promise<void>): Promise<void> {
  const fake = writeFakeYtDlpSearch(world);
  const h = await startMusicHarness({ ...o, music: { ytdlpPath: fake.path }, searchSource: createYtDlpSearch({ ytdlp: { path: fake.path } }) });
  try {
    // Every video of the world has a local page; only the right one may be downloaded.
    for (const v of world) await h.media.addPage(`/watch?v=${v.id}`, { title: v.title, artist: v.channel, seconds: Math.min(v.seconds, 4), freq: 300 + v.seconds });
    await body(h);
    await h.service.queue.idle();
    const searches = fake.runs().filter((r) => r.some((a) => a.startsWith('https://music.youtube.com/search') || a.startsWith('ytsearch')));
    assert.ok(searches.length > 0 && searches.every((r) => r.includes('-I')), 'every search run is bounded with -I');
    h.fake.assertNoViolations();
  } finally {
    await h.close();
    fake.remove();
  }
}

const downloaded = (h: MusicHarness, world: WorldVideo[]) => world.filter((v) => h.media.downloads(`/watch?v=${v.id}`) > 0).map((v) => v.id);

const HARBOUR: WorldVideo[] = [
  { id: 'spedRelease', title: 'Midnight Train (Sped Up)', channel: 'Mira Solen - Topic', seconds: 2, kind: 'release', artists: ['Mira Solen'] },
  { id: 'karaokeRel1', title: 'Midnight Train (Karaoke Version)', channel: 'Karaoke Hits Band - Topic', seconds: 3, kind: 'release', artists: ['Karaoke Hits Band'] },
  { id: 'topicMidnig', title: 'Midnight Train', channel: 'Mira Solen - Topic', seconds: 3, kind: 'song', artists: ['Mira Solen'], album: 'Harbour' },
  { id: 'videoMidnig', title: 'Mira Solen - Midnight Train (Official Music Video)', channel: 'Mira Solen', seconds: 4, kind: 'video', views: 4_000_000 },
];

E('a Deezer link (ISRC and length known) becomes the Topic song, not the sped-up, karaoke or video upload', () =>
  withWorld(HARBOUR, {}, async (h) => {
    h.sources.addDeezer({ id: '7001', title: 'Midnight Train', artists: ['Mira Solen'], album: 'Harbour', seconds: 3, isrc: 'FRZ202400111' });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://www.deezer.com/track/7001');
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Midnight Train');
    assert.equal(downloaded(h, HARBOUR), ['topicMidnig']);
  }));

E('an Apple Music link becomes the Topic song', () =>
  withWorld(HARBOUR, {}, async (h) => {
    h.sources.addItunes({ id: '1440833099', title: 'Midnight Train', artists: ['Mira Solen'], album: 'Harbour', seconds: 3 });
    const alice = h.fake.createUser();
    h.fake.sendText(alice, 'https://music.apple.com/us/album/harbour/1440833000?i=1440833099');
    const audio = await h.nextAudio(alice.id);
    assert.is(audio.params.title, 'Midnight Train');
    assert.equal(downloaded(h, HARBOUR), ['topicMidnig']);
  }));

const AFTERGLOW: WorldVideo[] = [
  // A label re-release of the extended cut under the plain title, 95 s longer than the track.
  { id: 'extReupload', title: 'Afterglow', channel: 'Club Night Records - Topic', seconds: 98, kind: 'release', artists: ['Kestrel'] },
  { id: 'topicAfterg', title: 'Afterglow', channel: 'Kestrel - Topic', seconds: 3, kind: 'song', artists: ['Kestrel'] },
];

E('a Spotify link does not get the extended re-release 95 s longer', async () => {
  const spotify = await startFakeSpotify();
  try {
    await withWorld(AFTERGLOW, { spotify: unlinkedWebApi(spotify) }, async (h) => {
      const track = spotify.addTrack({ name: 'Afterglow', artists: ['Kestrel'], durationMs: 3_000, isrc: 'QZABC2400321' });
      const alice = h.fake.createUser();
      h.fake.sendText(alice, `https://open.spotify.com/track/${track.id}`);
      const audio = await h.nextAudio(alice.id);
      assert.is(audio.params.title, 'Afterglow');
      assert.equal(downloaded(h, AFTERGLOW), ['topicAfterg']);
    });
  } finally {
    await spotify.close();
  }
});

E.run();
