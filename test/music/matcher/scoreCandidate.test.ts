import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SCORING, scoreCandidate } from '../../../src/music/matcher/scoreCandidate.ts';
import { yt, ytm } from './cases/caseKit.ts';

const Score = suite('scoreCandidate');
const hello = { title: 'Hello', artists: ['Adele'], durationSec: 295 };

Score('a duration gap over 15 s rejects the candidate whatever else matches', () => {
  const s = scoreCandidate(hello, ytm('t', 'Hello', 'Adele - Topic', 295 + 16));
  assert.is(s.breakdown.rejected, 'duration');
  assert.is(s.score, 0);
  assert.is(scoreCandidate(hello, ytm('t', 'Hello', 'Adele - Topic', 295 - 15)).breakdown.rejected, undefined);
});

Score('within 15 s, the closer duration scores higher', () => {
  const near = scoreCandidate(hello, yt('a', 'Adele - Hello', 'x', 296)).score;
  const mid = scoreCandidate(hello, yt('a', 'Adele - Hello', 'x', 303)).score;
  const far = scoreCandidate(hello, yt('a', 'Adele - Hello', 'x', 309)).score;
  assert.ok(near > mid && mid > far, `${near} ${mid} ${far}`);
});

Score('an unknown duration neither rejects nor drags the score down', () => {
  const s = scoreCandidate(hello, yt('a', 'Adele - Hello', 'x', undefined));
  assert.is(s.breakdown.duration, null);
  assert.ok(s.score > 90);
});

Score('an equal ISRC scores 100 even with another title and duration', () => {
  const s = scoreCandidate({ ...hello, isrc: 'GBBKS1500214' }, yt('a', 'totally different', 'x', 100, { isrc: 'gb-bks-15-00214' }));
  assert.equal([s.score, s.breakdown.isrcMatch], [100, true]);
});

Score('the artist may be found in the channel, the artist list or the title', () => {
  assert.is(scoreCandidate(hello, yt('a', 'Hello', 'AdeleVEVO', 295)).breakdown.artist, 100);
  assert.is(scoreCandidate(hello, yt('a', 'Hello', 'label', 295, { artists: ['Adele'] })).breakdown.artist, 100);
  assert.is(scoreCandidate(hello, yt('a', 'Adele - Hello (Lyrics)', '7clouds', 295)).breakdown.artist, 100);
  assert.ok(scoreCandidate(hello, yt('a', 'Hello', 'Lionel Richie', 295)).breakdown.artist < 40);
});

Score('a topic channel outranks an equally good re-upload', () => {
  const topic = scoreCandidate(hello, ytm('t', 'Hello', 'Adele - Topic', 295)).score;
  const reupload = scoreCandidate(hello, yt('r', 'Adele - Hello', 'music uploads', 295, { views: 1_000_000 })).score;
  assert.ok(topic > reupload);
  assert.ok(topic <= 100);
});

Score('a featured artist missing from the candidate costs little', () => {
  const original = { title: 'Stay (feat. Mikky Ekko)', artists: ['Rihanna', 'Mikky Ekko'], durationSec: 240 };
  assert.ok(scoreCandidate(original, yt('a', 'Rihanna - Stay', 'RihannaVEVO', 240)).score > 85);
});

Score('version words cost points and are named in the breakdown', () => {
  const s = scoreCandidate(hello, yt('a', 'Adele - Hello (Live at the BBC)', 'x', 295));
  assert.equal(s.breakdown.variants, ['live']);
  assert.ok(s.score <= 100 - s.breakdown.penalty);
});

Score('another remixer than the original is penalised', () => {
  const original = { title: 'Cold Heart - PNAU Remix', artists: ['Elton John', 'Dua Lipa'], durationSec: 202 };
  const s = scoreCandidate(original, yt('a', 'Elton John, Dua Lipa - Cold Heart (Claptone Remix)', 'x', 202));
  assert.ok(s.breakdown.variants.includes('other remix'));
  assert.ok(s.breakdown.penalty >= SCORING.otherRemixPenalty);
});

Score('a Latin re-upload of a Cyrillic song matches by transliteration', () => {
  const s = scoreCandidate({ title: 'Группа крови', artists: ['Кино'], durationSec: 285 }, yt('a', 'Kino - Gruppa Krovi', 'x', 285));
  assert.ok(s.breakdown.title >= 90 && s.breakdown.artist >= 90, JSON.stringify(s.breakdown));
});

Score('a title that is only part of the original title scores low', () => {
  const s = scoreCandidate({ title: 'Paper Lanterns Over Tallinn', artists: ['Tiny Harbor'] }, yt('a', 'Lanterns', 'x', undefined));
  assert.ok(s.breakdown.title < 50, JSON.stringify(s.breakdown));
});

Score.run();
