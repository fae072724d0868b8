import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { comparable, featuredArtists, normalize, stripFeaturing } from '../../../src/music/matcher/normalize.ts';

const Normalize = suite('normalize');

Normalize('case, accents and punctuation do not matter', () => {
  assert.is(normalize('Beyoncé — Déjà Vu!!!'), 'beyonce deja vu');
  assert.is(normalize('Sigur Rós'), 'sigur ros');
  assert.is(normalize('Don’t Stop Me Now'), 'dont stop me now');
  assert.is(normalize('Ｆｕｌｌ－ｗｉｄｔｈ'), 'full width');
});

Normalize('upload decorations are removed', () => {
  assert.is(normalize('The Weeknd - Blinding Lights (Official Video) [4K]'), 'the weeknd blinding lights');
  assert.is(normalize('Song (Official Audio)'), 'song');
  assert.is(normalize('Song [Official Lyric Video] HD'), 'song');
  assert.is(normalize('Song (Lyrics)'), 'song');
  assert.is(normalize('Song | Official Visualizer'), 'song');
  assert.is(normalize('BLACKPINK - \'How You Like That\' M/V'), 'blackpink how you like that');
  assert.is(normalize('[MV] IU(아이유) _ Through the Night(밤편지)'), 'iu 아이유 through the night 밤편지');
  assert.is(normalize('Земфира - Хочешь? (Премьера клипа)'), 'земфира хочешь');
});

Normalize('version words are kept so they can be penalised', () => {
  assert.is(normalize('Song (Live at Wembley) [Remix]'), 'song live at wembley remix');
  assert.is(normalize('Song (Slowed + Reverb)'), 'song slowed reverb');
});

Normalize('topic channels and VEVO are reduced to the artist', () => {
  assert.is(normalize('Adele - Topic'), 'adele');
  assert.is(normalize('AdeleVEVO'), 'adele');
  assert.is(normalize('Ed Sheeran VEVO'), 'ed sheeran');
});

Normalize('featuring spellings become one word', () => {
  assert.is(normalize('A feat. B'), 'a feat b');
  assert.is(normalize('A ft. B'), 'a feat b');
  assert.is(normalize('A Featuring B'), 'a feat b');
  assert.is(normalize('A (FT B)'), 'a feat b');
  assert.is(normalize('Баста при уч. Скриптонит'), 'баста feat скриптонит');
});

Normalize('Cyrillic lookalikes inside Latin words are repaired, and the reverse', () => {
  assert.is(normalize('DЕАD BLОNDЕ'), 'dead blonde');
  assert.is(normalize('Мaльчик'), 'мальчик');
});

Normalize('a band name that starts with "Official" keeps it', () => {
  assert.is(normalize('Official髭男dism'), 'official髭男dism');
});

Normalize('Japanese and Korean text survives', () => {
  assert.is(normalize('YOASOBI「夜に駆ける」 Official Music Video'), 'yoasobi 夜に駆ける');
  assert.is(normalize('봄날 (Spring Day)'), '봄날 spring day');
});

Normalize.run();

const Comparable = suite('comparable');

Comparable('Cyrillic is transliterated so uploads in Latin letters match', () => {
  assert.is(comparable('Кино - Группа крови'), 'kino gruppa krovi');
  assert.is(comparable('Земфира'), 'zemfira');
  assert.is(comparable('Скриптонит'), 'skriptonit');
});

Comparable.run();

const Feat = suite('stripFeaturing / featuredArtists');

Feat('featuring clauses are removed from titles', () => {
  assert.is(stripFeaturing('Get Lucky (Radio Edit) [feat. Pharrell Williams and Nile Rodgers]'), 'Get Lucky (Radio Edit)');
  assert.is(stripFeaturing('MiyaGi & Эндшпиль ft. Рем Дигга - I Got Love (Official Video)'), 'MiyaGi & Эндшпиль - I Got Love (Official Video)');
  assert.is(stripFeaturing('Perfect Duet (with Beyoncé)'), 'Perfect Duet');
  assert.is(stripFeaturing('Calvin Harris - This Is What You Came For (Official Video) ft. Rihanna'), 'Calvin Harris - This Is What You Came For (Official Video)');
  assert.is(stripFeaturing('Without Me'), 'Without Me');
});

Feat('featured artists are read from titles', () => {
  assert.equal(featuredArtists('Get Lucky [feat. Pharrell Williams and Nile Rodgers]'), ['Pharrell Williams', 'Nile Rodgers']);
  assert.equal(featuredArtists('Rihanna - Stay ft. Mikky Ekko'), ['Mikky Ekko']);
  assert.equal(featuredArtists('Perfect Duet (with Beyoncé)'), ['Beyoncé']);
  assert.equal(featuredArtists('Hello'), []);
});

Feat.run();
