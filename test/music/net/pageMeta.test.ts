import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeEntities, parsePageMeta } from '../../../src/music/net/pageMeta.ts';

const P = suite('page meta tags');

P('og: and music: tags in any attribute order and quoting, entities decoded, first one wins', () => {
  const html = `<html><head><title>Song &amp; Dance | Spotify</title>
    <meta content="Song &amp; Dance" property="og:title"/>
    <meta property='og:description' content='Band · Album · Song · 2020'>
    <meta name=music:duration content=201>
    <meta property="og:title" content="second">
  </head></html>`;
  const meta = parsePageMeta(html);
  assert.is(meta.title, 'Song & Dance | Spotify');
  assert.is(meta.tags.get('og:title'), 'Song & Dance');
  assert.is(meta.tags.get('og:description'), 'Band · Album · Song · 2020');
  assert.is(meta.tags.get('music:duration'), '201');
});

P('numeric and named entities', () => {
  assert.is(decodeEntities('&#x41;&#66;&quot;&laquo;&raquo;&unknown;'), 'AB"«»&unknown;');
});

P.run();
