import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractMusicLinks } from '../../../src/music/links/parseMessage.ts';
import { resolveShortLink } from '../../../src/music/links/resolveShortLink.ts';
import { ShortLinkError } from '../../../src/music/links/ShortLinkError.ts';
import type { MusicLink } from '../../../src/music/links/types.ts';

const SP = '4uLU6hMCjMI75M1A2tKUQC';
const SP2 = '7ouMYWpwJ422jRcDASZB7P';
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const redirect = (to: string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location: to }).end();
};
const ROUTES: Record<string, Handler> = {
  '/sp1': redirect('https://spotify.app.link/sp2?_p=c11', 307),
  '/sp2': redirect(`https://open.spotify.com/track/${SP}?si=abc&utm_source=copy-link`, 307),
  '/sc1': redirect('https://soundcloud.com/forss/flickermood?ref=clipboard&p=i&c=1'),
  '/s/dz1': redirect('/s/dz2'),
  '/s/dz2': redirect('https://www.deezer.com/fr/track/3135556?utm_campaign=share'),
  '/page': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><head><meta property="og:url" content="https://open.spotify.com/track/${SP}"></head></html>`);
  },
  '/blank': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>nothing here</html>'),
  '/evil': redirect('https://evil.example/track'),
  '/loop': redirect('https://spotify.link/loop'),
  '/gone': (_req, res) => res.writeHead(404).end(),
  '/busy': (_req, res) => res.writeHead(503).end(),
  '/hang': () => undefined,
  '/podcast': redirect(`https://open.spotify.com/episode/${SP}`),
  // Spotify's 2026 mobile share links `open.spotify.com/s/<code>` (issue 15, fact 6): a
  // redirect to the track, or a page whose og:url names it.
  '/s/Tr4ckShare': redirect(`https://open.spotify.com/track/${SP}?si=0a1b2c&context=x`),
  '/s/OgOnly': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // A recommendation link first: og:url names the shared item, not the first link of the page.
    res.end(`<html><head><meta property="og:url" content="https://open.spotify.com/track/${SP2}"></head>` +
      `<body><a href="https://open.spotify.com/track/${SP}">more like this</a></body></html>`);
  },
  '/s/Offsite': redirect('https://evil.example/track/x'),
  '/s/Gone404': (_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><title>Page not found</title></html>'),
};

let server: Server;
let base = '';
const seen: string[] = [];

const Resolve = suite('resolveShortLink');

Resolve.before(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    (ROUTES[path] ?? ((_q, r) => r.writeHead(500).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

Resolve.after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function short(text: string): MusicLink {
  const [link] = extractMusicLinks(text);
  if (!link?.needsRedirect) throw new Error(`not a short link: ${text}`);
  return link;
}

const hosts = ['spotify.link', 'spotify.app.link', 'on.soundcloud.com', 'link.deezer.com', 'open.spotify.com'];
const options = () => ({ baseUrls: Object.fromEntries(hosts.map((h) => [h, base])), timeoutMs: 5000 });

async function failure(link: MusicLink, extra: object = {}): Promise<ShortLinkError> {
  try {
    await resolveShortLink(link, { ...options(), ...extra });
  } catch (err) {
    assert.instance(err, ShortLinkError);
    return err as ShortLinkError;
  }
  throw new Error('expected a ShortLinkError');
}

Resolve('a spotify.link share link becomes the track through two redirects', async () => {
  const link = await resolveShortLink(short('https://spotify.link/sp1'), options());
  assert.equal(link.key, `spotify:track:${SP}`);
  assert.equal(link.url, `https://open.spotify.com/track/${SP}`);
  assert.equal(link.original, 'https://spotify.link/sp1');
  assert.equal(link.needsRedirect, false);
});

Resolve('an on.soundcloud.com link becomes the track without tracking parameters', async () => {
  const link = await resolveShortLink(short('https://on.soundcloud.com/sc1'), options());
  assert.equal(link.key, 'soundcloud:track:forss/flickermood');
  assert.equal(link.url, 'https://soundcloud.com/forss/flickermood');
});

Resolve('a relative redirect is read against the real short-link host', async () => {
  const link = await resolveShortLink(short('https://link.deezer.com/s/dz1'), options());
  assert.equal(link.key, 'deezer:track:3135556');
});

Resolve('an interstitial page is searched for the target link', async () => {
  const link = await resolveShortLink(short('https://spotify.app.link/page'), options());
  assert.equal(link.key, `spotify:track:${SP}`);
});

Resolve('a page with no target link is unresolved', async () => {
  assert.equal((await failure(short('https://spotify.link/blank'))).code, 'SHORT_LINK_UNRESOLVED');
});

Resolve('a redirect off the platform is refused and never requested', async () => {
  seen.length = 0;
  const err = await failure(short('https://spotify.link/evil'));
  assert.equal(err.code, 'SHORT_LINK_OFF_PLATFORM');
  assert.equal(seen, ['/evil']);
});

Resolve('a redirect to a podcast on the same platform is refused', async () => {
  assert.equal((await failure(short('https://spotify.link/podcast'))).code, 'SHORT_LINK_OFF_PLATFORM');
});

Resolve('a redirect loop stops after maxRedirects', async () => {
  seen.length = 0;
  const err = await failure(short('https://spotify.link/loop'), { maxRedirects: 3 });
  assert.equal(err.code, 'SHORT_LINK_TOO_MANY_REDIRECTS');
  assert.equal(seen.length, 4);
});

Resolve('a dead link is reported as dead and not retryable', async () => {
  const err = await failure(short('https://spotify.link/gone'));
  assert.equal([err.code, err.status, err.retryable], ['SHORT_LINK_DEAD', 404, false]);
});

Resolve('a 503 is dead for now but retryable', async () => {
  const err = await failure(short('https://spotify.link/busy'));
  assert.equal([err.code, err.status, err.retryable], ['SHORT_LINK_DEAD', 503, true]);
});

Resolve('a host that never answers times out', async () => {
  const err = await failure(short('https://spotify.link/hang'), { timeoutMs: 50 });
  assert.equal([err.code, err.retryable], ['SHORT_LINK_TIMEOUT', true]);
});

Resolve('an unreachable host is a network failure', async () => {
  const err = await failure(short('https://spotify.link/x'), { baseUrls: { 'spotify.link': 'http://127.0.0.1:1' } });
  assert.equal(err.code, 'SHORT_LINK_NETWORK');
});

Resolve('the caller can abort, and its reason is thrown', async () => {
  const controller = new AbortController();
  const reason = new Error('user cancelled');
  const pending = resolveShortLink(short('https://spotify.link/hang'), { ...options(), signal: controller.signal });
  controller.abort(reason);
  try {
    await pending;
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.is(err, reason);
  }
});

Resolve('an open.spotify.com/s/ share link that redirects becomes the track', async () => {
  seen.length = 0;
  const link = await resolveShortLink(short('https://open.spotify.com/s/Tr4ckShare?si=abc'), options());
  assert.equal([link.key, link.url], [`spotify:track:${SP}`, `https://open.spotify.com/track/${SP}`]);
  // The track page itself is parsed, never fetched (a hung request of an earlier test may land late).
  assert.equal(seen.filter((p) => p !== '/hang'), ['/s/Tr4ckShare']);
});

Resolve('an open.spotify.com/s/ page that only names the track in og:url gives that track', async () => {
  const link = await resolveShortLink(short('https://open.spotify.com/s/OgOnly'), options());
  assert.equal(link.key, `spotify:track:${SP2}`);
});

Resolve('an open.spotify.com/s/ link that leads off Spotify is refused', async () => {
  seen.length = 0;
  assert.equal((await failure(short('https://open.spotify.com/s/Offsite'))).code, 'SHORT_LINK_OFF_PLATFORM');
  assert.equal(seen.filter((p) => p !== '/hang'), ['/s/Offsite']);
});

Resolve('a dead open.spotify.com/s/ link is dead', async () => {
  const err = await failure(short('https://open.spotify.com/s/Gone404'));
  assert.equal([err.code, err.status, err.retryable], ['SHORT_LINK_DEAD', 404, false]);
});

Resolve('a link that is not short is returned unchanged, with no request', async () => {
  seen.length = 0;
  const [link] = extractMusicLinks(`https://open.spotify.com/track/${SP}`);
  assert.is(await resolveShortLink(link!, options()), link);
  assert.equal(seen, []);
});

Resolve.run();
