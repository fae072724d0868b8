/**
 * `LinkSeal`: a link kept in the shared database shows its key and nothing else; any instance
 * with the same master key opens it, also after a rotation, and a box that was altered or
 * moved to another link's key does not open.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LinkSeal, SealedLinkSchema } from '../../../src/bot/musicChat/linkSeal.ts';

const Seal = suite('LinkSeal');

const key = Buffer.alloc(32, 1);
const privateLink = {
  url: 'https://soundcloud.com/artist/private-demo/s-AbCdEfGh123',
  original: 'listen: https://soundcloud.com/artist/private-demo/s-AbCdEfGh123?utm_source=clipboard',
  key: 'soundcloud:track:artist/private-demo/private',
};

Seal('the stored form holds the key and no part of the URL or of the text the user sent', () => {
  const stored = new LinkSeal([key]).seal(privateLink);
  assert.ok(SealedLinkSchema.safeParse(stored).success);
  assert.is(stored.key, privateLink.key);
  const text = JSON.stringify(stored);
  for (const secret of ['s-AbCdEfGh123', 'soundcloud.com', 'utm_source', 'listen']) assert.not.match(text, secret);
  assert.is.not(new LinkSeal([key]).seal(privateLink).sealed, stored.sealed, 'a fresh IV each time: equal links do not look equal');
});

Seal('another instance with the same master key opens it; after a rotation the old key still does', () => {
  const stored = new LinkSeal([key]).seal(privateLink);
  assert.equal(new LinkSeal([key]).open(stored), privateLink);
  const rotated = Buffer.alloc(32, 2);
  assert.equal(new LinkSeal([rotated, key]).open(stored), privateLink);
  assert.is(new LinkSeal([rotated]).open(stored), undefined, 'an unknown master key opens nothing');
});

Seal('an altered box, or a box moved to another key, does not open', () => {
  const seal = new LinkSeal([key]);
  const stored = seal.seal(privateLink);
  const flipped = Buffer.from(stored.sealed, 'base64url');
  flipped[20] = flipped[20]! ^ 1;
  assert.is(seal.open({ ...stored, sealed: flipped.toString('base64url') }), undefined);
  assert.is(seal.open({ ...stored, key: 'soundcloud:track:artist/other/private' }), undefined);
  assert.is(seal.open({ ...stored, sealed: 'AAAA' }), undefined, 'too short to be a box');
});

Seal('a link with non-ASCII text comes back exactly', () => {
  const link = { url: 'https://music.yandex.ru/album/1/track/2', original: 'Послушай 🎧 https://music.yandex.ru/album/1/track/2', key: 'yandex:track:2' };
  const seal = new LinkSeal([key]);
  assert.equal(seal.open(seal.seal(link)), link);
});

Seal.run();
