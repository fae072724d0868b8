/**
 * The LRCLIB client against the fake LRCLIB (shapes from LRCLIB's server source): hits by
 * metadata and by search, misses, instrumentals, synced-only lyrics, and the failures a user
 * would see as "try again later".
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createLrclibClient, LRCLIB_USER_AGENT, LyricsError, plainFromSynced } from '../../src/lyrics/lrclib.ts';
import { startFakeLrclib, type FakeLrclib } from '../helpers/fakeLrclib.ts';
import { rejects } from '../helpers/rejects.ts';

const L = suite('LRCLIB client');
let fake: FakeLrclib;

L.before.each(async () => {
  fake = await startFakeLrclib();
  fake.add({ trackName: 'Night Drive', artistName: 'Aurora Lane', albumName: 'Coastal Lights', duration: 215, plainLyrics: 'Headlights on the water\nWe drive until the morning' });
  fake.add({ trackName: 'Tide Engine', artistName: 'Aurora Lane', albumName: 'Coastal Lights', duration: 180, instrumental: true });
  fake.add({ trackName: 'Звезда', artistName: 'Кино Тест', albumName: 'Альбом', duration: 200, syncedLyrics: '[ar:Кино Тест]\n[00:12.30]Первая строка\n[00:15.00] Вторая строка' });
});
L.after.each(async () => {
  await fake.close();
});

L('a hit by title, artist, album and length gives the plain lyrics, with a User-Agent naming the app', async () => {
  const client = createLrclibClient({ baseUrl: fake.url });
  const r = await client.find({ title: 'Night Drive', artist: 'Aurora Lane', album: 'Coastal Lights', durationSec: 214.6 });
  assert.equal(r, { kind: 'found', title: 'Night Drive', artist: 'Aurora Lane', text: 'Headlights on the water\nWe drive until the morning' });
  assert.equal(fake.requests.map((q) => q.path), ['/api/get']);
  assert.equal(fake.requests[0]!.query, { track_name: 'Night Drive', artist_name: 'Aurora Lane', album_name: 'Coastal Lights', duration: '215' });
  assert.is(fake.requests[0]!.userAgent, LRCLIB_USER_AGENT);
});

L('a 404 from /api/get falls back to search, which finds the track under another album', async () => {
  const client = createLrclibClient({ baseUrl: fake.url });
  const r = await client.find({ title: 'Night Drive', artist: 'Aurora Lane', album: 'Greatest Hits', durationSec: 215 });
  assert.is(r.kind, 'found');
  assert.equal(fake.requests.map((q) => q.path), ['/api/get', '/api/search']);
  assert.is(fake.requests[1]!.query.q, 'Aurora Lane Night Drive');
});

L('a miss in both is "missing"; a search hit of another length is not taken', async () => {
  const client = createLrclibClient({ baseUrl: fake.url });
  assert.equal(await client.find({ title: 'Unknown Song', artist: 'Nobody' }), { kind: 'missing' });
  assert.equal(await client.find({ title: 'Night Drive', artist: 'Aurora Lane', album: 'Other', durationSec: 300 }), { kind: 'missing' });
});

L('an instrumental track is named as such', async () => {
  const client = createLrclibClient({ baseUrl: fake.url });
  assert.equal(await client.find({ title: 'Tide Engine', artist: 'Aurora Lane', durationSec: 180 }), { kind: 'instrumental', title: 'Tide Engine', artist: 'Aurora Lane' });
});

L('synced-only lyrics come without their time tags; no artist means a search by title', async () => {
  const client = createLrclibClient({ baseUrl: fake.url });
  const r = await client.find({ title: 'Звезда' });
  assert.equal(r, { kind: 'found', title: 'Звезда', artist: 'Кино Тест', text: 'Первая строка\nВторая строка' });
  assert.equal(fake.requests.map((q) => q.path), ['/api/search']);
  assert.is(plainFromSynced('[01:02.345]a\n[01:03]b'), 'a\nb');
});

L('an HTML page instead of JSON is LYRICS_BAD_RESPONSE', async () => {
  fake.setMode('garbage');
  const err = await rejects(createLrclibClient({ baseUrl: fake.url }).find({ title: 'Night Drive', artist: 'Aurora Lane' }));
  assert.instance(err, LyricsError);
  assert.is((err as LyricsError).code, 'LYRICS_BAD_RESPONSE');
});

L('a 500 and no answer within the budget are LYRICS_UNAVAILABLE', async () => {
  fake.setMode('down');
  const client = createLrclibClient({ baseUrl: fake.url, timeoutMs: 200 });
  const down = await rejects(client.find({ title: 'Night Drive', artist: 'Aurora Lane' }));
  assert.is((down as LyricsError).code, 'LYRICS_UNAVAILABLE');
  fake.setMode('hang');
  const slow = await rejects(client.find({ title: 'Night Drive', artist: 'Aurora Lane' }));
  assert.is((slow as LyricsError).code, 'LYRICS_UNAVAILABLE');
  assert.match((slow as LyricsError).message, 'did not answer in time');
});

L.run();
