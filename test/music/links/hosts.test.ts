import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalHost, isShortLinkHost, isSupportedHost, platformOfHost } from '../../../src/music/links/hosts.ts';

const Hosts = suite('hosts');

Hosts('www. and m. hosts are the same service', () => {
  assert.is(canonicalHost('WWW.YouTube.com'), 'youtube.com');
  assert.is(canonicalHost('m.soundcloud.com'), 'soundcloud.com');
  assert.is(canonicalHost('open.spotify.com.'), 'open.spotify.com');
  assert.is(platformOfHost('m.youtube.com'), 'youtube');
  assert.is(platformOfHost('www.deezer.com'), 'deezer');
});

Hosts('each supported service is recognised by its hosts', () => {
  const expected = {
    'open.spotify.com': 'spotify', 'music.yandex.kz': 'yandex', 'music.youtube.com': 'youtube', 'youtu.be': 'youtube',
    'soundcloud.com': 'soundcloud', 'music.apple.com': 'apple', 'deezer.com': 'deezer', 'listen.tidal.com': 'tidal',
  };
  for (const [host, platform] of Object.entries(expected)) assert.is(platformOfHost(host), platform, host);
});

Hosts('lookalike hosts are not supported', () => {
  for (const host of ['open.spotify.com.evil.tld', 'notyoutube.com', 'youtube.com.evil.tld', 'evilsoundcloud.com', 'spotify.com', 'music.yandex.evil', 'xn--otify-3ve.com']) {
    assert.is(isSupportedHost(host), false, host);
  }
});

Hosts('share-link hosts are known as short', () => {
  for (const host of ['spotify.link', 'on.soundcloud.com', 'link.deezer.com', 'deezer.page.link']) assert.ok(isShortLinkHost(host), host);
  assert.is(isShortLinkHost('youtu.be'), false);
});

Hosts.run();
