import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countPhrase, detectVariants, PENALTY, remixQualifiers } from '../../../src/music/matcher/variantWords.ts';
import { normalize } from '../../../src/music/matcher/normalize.ts';

const Variants = suite('variantWords');
const detect = (original: string, candidate: string, channel = '', explicit = false) =>
  detectVariants({ original: normalize(original), originalTitle: normalize(original), candidate: normalize(candidate), channel: normalize(channel), explicit });

Variants('latin phrases count as whole words, others as substrings', () => {
  assert.is(countPhrase('alive and live', 'live'), 1);
  assert.is(countPhrase('sped up version', 'sped up'), 1);
  assert.is(countPhrase('夜に駆ける歌ってみた', '歌ってみた'), 1);
});

Variants('words absent from the original are penalised by kind', () => {
  for (const [word, label] of [['Remix', 'remix'], ['Live', 'live'], ['Cover', 'cover'], ['Slowed', 'slowed'], ['Sped Up', 'sped up'], ['Nightcore', 'nightcore'], ['Instrumental', 'instrumental'], ['Karaoke', 'karaoke'], ['8D Audio', '8d'], ['Bass Boosted', 'bass boosted']]) {
    const found = detect('Song', `Song (${word})`);
    assert.ok(found.labels.includes(label!), `${word} → ${found.labels}`);
    assert.ok(found.penalty >= PENALTY.heavy, word);
  }
  assert.equal(detect('Song', 'Song (Acoustic)'), { labels: ['acoustic'], penalty: PENALTY.medium });
  assert.equal(detect('Song', 'Song (Extended Mix)').labels, ['extended', 'mix']);
  assert.equal(detect('Song', 'Song (Remastered 2011)'), { labels: ['remaster'], penalty: PENALTY.mild });
});

Variants('lyrics and official-upload words cost nothing', () => {
  assert.equal(detect('Song', 'Song (Official Lyric Video) [HD]'), { labels: [], penalty: 0 });
  assert.equal(detect('Song', 'Song (Lyrics)'), { labels: [], penalty: 0 });
});

Variants('a word in the original is no variant, a second one is', () => {
  assert.equal(detect('Live Forever', 'Oasis - Live Forever (Official Video)').labels, []);
  assert.equal(detect('Live Forever', 'Live Forever (Live at Knebworth)').labels, ['live']);
});

Variants('channel names betray karaoke and nightcore uploads', () => {
  assert.equal(detect('Hello', 'Hello', 'Nightcore Reality').labels, ['nightcore']);
  assert.equal(detect('Hello', 'Hello', 'Sing King Karaoke').labels, ['karaoke']);
  assert.equal(detect('Hello', 'Hello', 'Live Nation').labels, []);
});

Variants('a clean edit is a variant only of an explicit original', () => {
  assert.equal(detect('Song', 'Song (Clean)', '', true).labels, ['clean']);
  assert.equal(detect('Song', 'Song (Clean)', '', false).labels, []);
});

Variants('a remix original makes a candidate without "remix" suspect', () => {
  assert.equal(detect('Cold Heart - PNAU Remix', 'Cold Heart').labels, ['no remix']);
});

Variants('Russian, Japanese and Korean version words are known', () => {
  assert.equal(detect('Хочешь', 'Хочешь (кавер)').labels, ['cover']);
  assert.equal(detect('紅蓮華', '【カラオケ】紅蓮華').labels, ['karaoke']);
  assert.equal(detect('봄날', '[MPD직캠] 봄날').labels, ['live']);
});

Variants('remixer names are read from remix segments only', () => {
  assert.equal(remixQualifiers('Cold Heart - PNAU Remix', normalize), ['pnau']);
  assert.equal(remixQualifiers('Titanium (feat. Sia) [Alesso Remix]', normalize), ['alesso']);
  assert.equal(remixQualifiers('Levels - Radio Edit', normalize), []);
  assert.equal(remixQualifiers('Song (Club Mix)', normalize), []);
});

Variants.run();
