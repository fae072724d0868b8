/**
 * End to end, one per platform: a user's message with a link becomes an audio upload
 * through the real grammY bot, the fake Bot API, real yt-dlp and ffmpeg downloading from the
 * local media server, with metadata from local fakes (Spotify, Deezer, iTunes, Yandex,
 * Tidal) or from yt-dlp itself (YouTube, SoundCloud).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startFakeSpotify, type FakeSpotify } from '../helpers/fakeSpotify.ts';
import { candidate, jpegSize, unlinkedWebApi } from '../helpers/musicFixtures.ts';
import { startMusicHarness, type MusicHarness } from '../helpers/musicHarness.ts';

const E2E = suite('music link to audio, per platform');
let h: MusicHarness;
let spotify: FakeSpotify;

E2E.before(async () => {
  spotify = await startFakeSpotify();
  h = await startMusicHarness({ spotify: unlinkedWebApi(spotify) });
});
E2E.after(async () => {
  await h.close();
  await spotify.close();
});
E2E.after.each(() => {
  h.fake.assertNoViolations();
});

/** Sends `text` as a new user and resolves the upload, after the job has cleaned up. */
async function roundTrip(text: string, languageCode = 'en') {
  const user = h.fake.createUser({ languageCode });
  h.fake.sendText(user, text);
  const call = await h.nextAudio(user.id);
  await h.service.queue.idle();
  const sent = h.fake.sentFiles.find((f) => f.fileId === call.result?.audio?.file_id);
  assert.ok(sent, 'the upload was recorded');
  assert.is(sent.via, 'upload');
  assert.ok((sent.bytes?.length ?? 0) > 1000, 'audio bytes were uploaded');
  assert.equal(h.leftovers(), [], 'no job directory stays behind');
  return { user, call, sent };
}

function assertThumbnail(thumb: Buffer | undefined): void {
  assert.ok(thumb, 'a thumbnail was uploaded');
  assert.ok(thumb.length <= 200 * 1024, 'thumbnail under 200 kB');
  assert.equal(jpegSize(thumb), { width: 320, height: 320 });
}

E2E('a Spotify link uses Web API metadata (ISRC, artists, cover) and the matched upload', async () => {
  const track = spotify.addTrack({
    name: 'Night Drive',
    artists: ['Aurora Lane', 'Kestrel'],
    album: 'Coastal Lights',
    durationMs: 3000,
    isrc: 'QZABC2400001',
    images: [{ url: h.media.coverUrl, width: 640, height: 640 }],
  });
  const page = await h.media.addPage('/songs/night-drive', { title: 'Night Drive', artist: 'Aurora Lane', seconds: 3 });
  h.search.add(candidate('nd1', page, 'Night Drive', 'Aurora Lane - Topic', 3));
  const { call, sent } = await roundTrip(`check this https://open.spotify.com/intl-de/track/${track.id}?si=xyz !`);
  assert.is(call.params.title, 'Night Drive');
  assert.is(call.params.performer, 'Aurora Lane, Kestrel');
  assert.is(call.params.duration, 3);
  assert.match(String(call.params.caption), `href="https://open.spotify.com/track/${track.id}"`);
  assert.is(call.params.parse_mode, 'HTML');
  assertThumbnail(sent.thumbnail?.bytes);
  assert.ok(sent.bytes!.includes(Buffer.from('QZABC2400001')), 'the ISRC is tagged in the file');
  assert.ok(sent.bytes!.includes(Buffer.from('Coastal Lights')), 'the album is tagged');
  assert.is(h.search.queries[0], 'QZABC2400001', 'the ISRC is searched first');
  assert.match(sent.filename ?? '', /^Aurora Lane, Kestrel - Night Drive\.m4a$/);
});

E2E('a Yandex Music link is matched from the page when the API refuses this server', async () => {
  h.sources.yandexMode = 'api-refuses';
  h.sources.addYandex({ id: '10994777', title: 'Gruppa Krovi', artists: ['Kino'], seconds: 3 });
  const page = await h.media.addPage('/songs/gruppa-krovi', { title: 'Gruppa Krovi', artist: 'Kino', seconds: 3, freq: 330 });
  h.search.add(candidate('gk1', page, 'Gruppa Krovi', 'Kino', 3));
  const { call } = await roundTrip('https://music.yandex.ru/album/1193829/track/10994777', 'ru');
  assert.is(call.params.title, 'Gruppa Krovi');
  assert.is(call.params.performer, 'Kino');
  assert.match(String(call.params.caption), 'Открыть в Яндекс Музыке');
  h.sources.yandexMode = 'ok';
});

E2E('a YouTube link is downloaded directly, metadata and thumbnail from the page', async () => {
  await h.media.addPage('/watch?v=dQw4w9WgXcQ', { title: 'Night Drive (Official Video)', artist: 'Aurora Lane', uploader: 'Aurora Lane - Topic', seconds: 3, thumbnail: true, freq: 550 });
  const { user, call, sent } = await roundTrip('https://youtu.be/dQw4w9WgXcQ?si=abc');
  assert.is(call.params.title, 'Night Drive');
  assert.is(call.params.performer, 'Aurora Lane');
  assert.is(call.params.duration, 3);
  assertThumbnail(sent.thumbnail?.bytes);
  assert.is(h.media.downloads('/watch?v=dQw4w9WgXcQ'), 1);
  // Progress: one message, sent as ⏳ (queued), edited (🔎 →) ⬇️ → 📤, then deleted once the audio is there.
  const progress = h.fake.callsOf('sendMessage').find((c) => c.params.chat_id === user.id)!;
  const id = progress.result.message_id;
  assert.match(String(progress.params.text), '⏳');
  const edits = h.fake.callsOf('editMessageText').filter((c) => c.params.message_id === id && c.params.chat_id === user.id).map((c) => String(c.params.text));
  assert.ok(edits.some((e) => e.startsWith('⬇️')) && edits.some((e) => e.startsWith('📤 Sending: Aurora Lane — Night Drive')), edits.join(' | '));
  assert.ok(h.fake.callsOf('deleteMessage').some((c) => c.params.message_id === id));
  assert.ok(h.fake.callsOf('sendChatAction').some((c) => c.params.chat_id === user.id && c.params.action === 'upload_voice'));
});

E2E('a SoundCloud link with Opus audio is re-encoded to AAC in M4A', async () => {
  await h.media.addPage('/kestrel/tidewater', { title: 'Tidewater', artist: 'Kestrel', seconds: 3, format: 'webm' });
  const { call, sent } = await roundTrip('https://soundcloud.com/Kestrel/tidewater?in=playlist');
  assert.is(call.params.title, 'Tidewater');
  assert.is(call.params.performer, 'Kestrel');
  assert.is(sent.bytes!.subarray(4, 8).toString('latin1'), 'ftyp', 'an MP4 container');
  assert.ok(sent.bytes!.includes(Buffer.from('mp4a')), 'AAC audio');
});

E2E('an Apple Music link is described by the iTunes lookup and matched', async () => {
  h.sources.addItunes({ id: '1440833060', title: 'Paper Lanterns', artists: ['Mira Solen'], album: 'Harbour', seconds: 4, coverUrl: h.media.coverUrl });
  const page = await h.media.addPage('/songs/paper-lanterns', { title: 'Paper Lanterns', artist: 'Mira Solen', seconds: 4, freq: 660 });
  h.search.add(candidate('pl1', page, 'Paper Lanterns', 'Mira Solen - Topic', 4));
  const { call } = await roundTrip('https://music.apple.com/us/album/harbour/1440833000?i=1440833060');
  assert.is(call.params.title, 'Paper Lanterns');
  assert.is(call.params.performer, 'Mira Solen');
  assert.is(call.params.duration, 4);
});

E2E('a Deezer link is described by the Deezer API (with ISRC) and matched', async () => {
  h.sources.addDeezer({ id: '3135556', title: 'Harbour Lights', artists: ['Mira Solen', 'Kestrel'], album: 'Harbour', seconds: 3, isrc: 'QZABC2400002', coverUrl: h.media.coverUrl });
  const page = await h.media.addPage('/songs/harbour-lights', { title: 'Harbour Lights', artist: 'Mira Solen', seconds: 3, freq: 770 });
  h.search.add(candidate('hl1', page, 'Harbour Lights', 'Mira Solen - Topic', 3));
  const { call, sent } = await roundTrip('https://www.deezer.com/fr/track/3135556?utm_source=share');
  assert.is(call.params.title, 'Harbour Lights');
  assert.is(call.params.performer, 'Mira Solen, Kestrel');
  assert.ok(sent.bytes!.includes(Buffer.from('QZABC2400002')));
  assertThumbnail(sent.thumbnail?.bytes);
});

E2E('a cover that is not an image by its first bytes never reaches ffmpeg: the audio goes out without one', async () => {
  // A server that labels a page image/jpeg (as a misconfigured CDN or a hostile page may).
  const fakeCdn = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<!doctype html><title>Login</title>'));
  await new Promise<void>((resolve) => fakeCdn.listen(0, '127.0.0.1', resolve));
  try {
    const coverUrl = `http://127.0.0.1:${(fakeCdn.address() as AddressInfo).port}/cover.jpg`;
    h.sources.addDeezer({ id: '3135599', title: 'Paper Moon', artists: ['Kestrel'], album: 'Moons', seconds: 3, coverUrl });
    const page = await h.media.addPage('/songs/paper-moon', { title: 'Paper Moon', artist: 'Kestrel', seconds: 3, freq: 660 });
    h.search.add(candidate('pm1', page, 'Paper Moon', 'Kestrel - Topic', 3));
    const { call, sent } = await roundTrip('https://www.deezer.com/track/3135599');
    assert.is(call.params.title, 'Paper Moon');
    assert.is(sent.thumbnail, undefined, 'no thumbnail from a non-image');
  } finally {
    fakeCdn.close();
  }
});

E2E('a Tidal link is described by its page and matched; an MP3 source becomes M4A', async () => {
  h.sources.addTidal({ id: '77646170', title: 'Salt Roads', artists: ['Kestrel'], seconds: 3 });
  const page = await h.media.addPage('/songs/salt-roads', { title: 'Salt Roads', artist: 'Kestrel', seconds: 3, format: 'mp3', freq: 880 });
  h.search.add(candidate('sr1', page, 'Salt Roads', 'Kestrel', 3));
  const { call, sent } = await roundTrip('https://tidal.com/browse/track/77646170/u');
  assert.is(call.params.title, 'Salt Roads');
  assert.is(call.params.performer, 'Kestrel');
  assert.match(sent.filename ?? '', /\.m4a$/);
});

E2E.run();
