import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { extractMusicLinks, parseMessage, parseUrl } from '../../../src/music/links/parseMessage.ts';
import { URL_SHAPES } from './urlShapes.ts';

const Shapes = suite('parseMessage: real-world URL shapes');

Shapes('the table has at least 60 shapes', () => {
  assert.ok(URL_SHAPES.length >= 60, `only ${URL_SHAPES.length}`);
});

for (const shape of URL_SHAPES) {
  Shapes(`${shape.name} → ${shape.keys.join(', ') || 'no link'}`, () => {
    const parsed = parseMessage(shape.text);
    assert.equal(parsed.links.map((l) => l.key), [...shape.keys], shape.text);
    assert.equal(parsed.unsupported.map((u) => u.host), [...(shape.unsupported ?? [])], shape.text);
  });
}

Shapes.run();

const Links = suite('parseMessage: link details');

Links('a link keeps the text the user wrote and a clean canonical url', () => {
  const [link] = extractMusicLinks('(https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=abc&utm_source=copy).');
  assert.equal(link?.original, 'https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=abc&utm_source=copy');
  assert.equal(link?.url, 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC');
  assert.equal(link?.needsRedirect, false);
});

Links('no canonical url carries a tracking parameter', () => {
  const tracking = /[?&](?:si|utm_[a-z]+|feature|pp|ref|fbclid|igshid|context|_p|uo|ls)=/;
  for (const shape of URL_SHAPES) {
    for (const link of extractMusicLinks(shape.text)) assert.not.match(link.url, tracking, link.url);
  }
});

Links('a short link says it needs a redirect', () => {
  const [link] = extractMusicLinks('https://on.soundcloud.com/aBcD1234EfGh?utm_source=x');
  assert.equal(link?.kind, 'short');
  assert.equal(link?.needsRedirect, true);
  assert.equal(link?.url, 'https://on.soundcloud.com/aBcD1234EfGh');
});

Links("Spotify's open.spotify.com/s/ share link is a short link, tracking dropped", () => {
  const [link] = extractMusicLinks('look https://open.spotify.com/s/Xk9_a-Q2Lm?si=abc123');
  assert.equal([link?.kind, link?.key, link?.url, link?.needsRedirect], [
    'short', 'spotify:short:open.spotify.com/s/Xk9_a-Q2Lm', 'https://open.spotify.com/s/Xk9_a-Q2Lm', true,
  ]);
  // /s without a code stays a Spotify page we cannot play.
  assert.equal(parseMessage('https://open.spotify.com/s/').unsupported.length, 1);
});

Links('a youtube live link carries the live hint', () => {
  assert.equal(extractMusicLinks('https://www.youtube.com/live/dQw4w9WgXcQ')[0]?.live, true);
  assert.equal(extractMusicLinks('https://youtu.be/dQw4w9WgXcQ')[0]?.live, undefined);
});

Links('an apple track link keeps album and country', () => {
  const [link] = extractMusicLinks('https://music.apple.com/ru/album/x/1558533900?i=1558534271');
  assert.equal(link?.albumId, '1558533900');
  assert.equal(link?.country, 'ru');
  assert.equal(link?.url, 'https://music.apple.com/ru/album/1558533900?i=1558534271');
});

Links('a yandex track keeps its album and country domain', () => {
  const [link] = extractMusicLinks('music.yandex.com/album/4766/track/57703?from=x');
  assert.equal(link?.albumId, '4766');
  assert.equal(link?.url, 'https://music.yandex.com/album/4766/track/57703');
});

Links('a private soundcloud link keeps its secret in the url only; its key is not the public one', () => {
  const [link] = extractMusicLinks('https://soundcloud.com/forss/flickermood/s-AbCdEfGh123?si=1');
  assert.is(link?.key, 'soundcloud:track:forss/flickermood/private');
  assert.is(link?.private, true);
  assert.is(link?.url, 'https://soundcloud.com/forss/flickermood/s-AbCdEfGh123');
  const [set] = extractMusicLinks('https://soundcloud.com/forss/sets/soulhack/s-XyZ12');
  assert.is(set?.key, 'soundcloud:playlist:forss/soulhack/private');
  assert.is(set?.url, 'https://soundcloud.com/forss/sets/soulhack/s-XyZ12');
  const [pub] = extractMusicLinks('https://soundcloud.com/forss/flickermood');
  assert.is(pub?.private, undefined);
});

Links('a hidden text_link url is read after the visible text', () => {
  const parsed = parseMessage('this song and youtu.be/dQw4w9WgXcQ', { entityUrls: ['https://www.deezer.com/track/3135556', 'https://youtu.be/dQw4w9WgXcQ'] });
  assert.equal(parsed.links.map((l) => l.key), ['youtube:video:dQw4w9WgXcQ', 'deezer:track:3135556']);
});

Links('a message with only unsupported music links is told apart from one with no link', () => {
  assert.equal(parseMessage('https://audiomack.com/artist/song/x').unsupported.length, 1);
  assert.equal(parseMessage('hello there, no links').unsupported.length, 0);
  assert.equal(parseMessage('hello there, no links').links.length, 0);
});

Links('an unsupported link repeated is reported once', () => {
  const parsed = parseMessage('https://bandcamp.com/x?a=1 https://bandcamp.com/x?a=2');
  assert.equal(parsed.unsupported.length, 1);
});

Links('parseUrl ignores non-http schemes', () => {
  assert.equal(parseUrl('ftp://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC').type, 'other');
  assert.equal(parseUrl('javascript:alert(1)').type, 'other');
});

Links.run();
