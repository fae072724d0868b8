import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildQueries, searchTitle } from '../../../src/music/matcher/buildQueries.ts';

const Queries = suite('buildQueries');

Queries('the ISRC comes first, then "artist1, artist2 - title"', () => {
  const q = buildQueries({ title: 'Levitating (feat. DaBaby)', artists: ['Dua Lipa', 'DaBaby'], isrc: 'gb-aht-20-00942' });
  assert.is(q[0], 'GBAHT2000942');
  assert.is(q[1], 'Dua Lipa, DaBaby - Levitating (feat. DaBaby)');
  assert.ok(q.includes('Dua Lipa - Levitating'));
});

Queries('without an ISRC the spotDL query comes first', () => {
  assert.is(buildQueries({ title: 'Blinding Lights', artists: ['The Weeknd'] })[0], 'The Weeknd - Blinding Lights');
});

Queries('an invalid ISRC is not searched', () => {
  assert.not.ok(buildQueries({ title: 'X', artists: ['Y'], isrc: 'nope' }).includes('NOPE'));
});

Queries('a remaster note is dropped in a fallback query', () => {
  const q = buildQueries({ title: 'Bohemian Rhapsody - Remastered 2011', artists: ['Queen'] });
  assert.equal(q.slice(0, 2), ['Queen - Bohemian Rhapsody - Remastered 2011', 'Queen - Bohemian Rhapsody']);
});

Queries('Cyrillic names also get a transliterated query', () => {
  assert.ok(buildQueries({ title: 'Группа крови', artists: ['Кино'] }).includes('kino - gruppa krovi'));
});

Queries('queries are unique regardless of case and extra spaces', () => {
  const q = buildQueries({ title: '  Hello  ', artists: ['Adele', ' '] });
  assert.equal(q, [...new Set(q.map((s) => s.toLowerCase()))].map((s) => q.find((x) => x.toLowerCase() === s)!));
  assert.is(q[0], 'Adele - Hello');
});

Queries('a title without artists is searched alone', () => {
  assert.equal(buildQueries({ title: 'Hey Jude (Remastered 2015)', artists: [] }), ['Hey Jude (Remastered 2015)', 'Hey Jude']);
});

Queries.run();

const SearchTitle = suite('searchTitle');

SearchTitle('featuring and remaster notes go, other versions stay', () => {
  assert.is(searchTitle('Hey Jude - Remastered 2015'), 'Hey Jude');
  assert.is(searchTitle('Hotel California (2013 Remaster)'), 'Hotel California');
  assert.is(searchTitle('Levels - Radio Edit'), 'Levels - Radio Edit');
  assert.is(searchTitle('Sunflower (feat. Swae Lee)'), 'Sunflower');
});

SearchTitle.run();
