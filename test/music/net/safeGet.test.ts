/**
 * Fetches of URLs outsiders influence: a redirect hop to loopback, private, link-local or
 * cloud-metadata addresses is refused before a connection is made (the metadata APIs'
 * own, operator-chosen origin stays reachable), and an endless body stops at the cap.
 * Servers here are plain node:http on 127.0.0.1 answering as any web server would
 * (RFC 9110 §15.4 redirects with `Location`, chunked bodies without `Content-Length`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeEndless } from '../../helpers/endlessBody.ts';
import { isBlockedAddress } from '../../../src/music/net/addressGuard.ts';
import { httpGet } from '../../../src/music/net/http.ts';
import { safeGet } from '../../../src/music/net/safeGet.ts';

const G = suite('guarded fetches');

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, hits };
}

const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));

G('a redirect from the metadata origin to loopback, private, link-local, metadata or [::1] is refused', async () => {
  const inner = await serve((_req, res) => res.end('internal secrets'));
  const inner6 = await serve((_req, res) => res.end('internal secrets'), '::1').catch(() => undefined);
  const port = new URL(inner.base).port;
  const targets = [
    `${inner.base}/admin`,
    `http://localhost:${port}/admin`,
    'http://10.0.0.7/admin',
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    `http://[::1]:${inner6 ? new URL(inner6.base).port : port}/admin`,
    `http://[::ffff:127.0.0.1]:${port}/admin`,
  ];
  const api = await serve((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to');
    if (to) res.writeHead(302, { location: to }).end();
    else res.end('{"ok":true}');
  });
  try {
    for (const to of targets) {
      const err = await httpGet(`${api.base}/r?to=${encodeURIComponent(to)}`, 'deezer', { timeoutMs: 3000 }).then(
        () => undefined,
        (e: unknown) => e as { code: string; cause?: { code?: string } },
      );
      assert.is(err?.code, 'MUSIC_SOURCE_UNAVAILABLE', `followed to ${to}`);
      assert.is(err?.cause?.code, 'ADDRESS_BLOCKED', to);
    }
    assert.equal(inner.hits, [], 'no hop reached the internal server');
    assert.equal(inner6?.hits ?? [], []);
    const same = await httpGet(`${api.base}/r?to=${encodeURIComponent('/ok')}`, 'deezer', { timeoutMs: 3000 });
    assert.is(same.text, '{"ok":true}', 'a redirect within the configured origin is followed');
  } finally {
    await Promise.all([close(inner.server), close(api.server), inner6 && close(inner6.server)]);
  }
});

G('the address table: private and special ranges refused, public ones allowed', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '::1', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe']) {
    assert.ok(isBlockedAddress(a), a);
  }
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.not.ok(isBlockedAddress(a), a);
});

G('an endless chunked body stops at the cap: bytes read stay within the cap plus one chunk', async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  let written = 0;
  const endless = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    writeEndless(res, chunk, (n) => void (written += n));
  });
  try {
    const cap = 1024 * 1024;
    const res = await safeGet(`${endless.base}/cover.jpg`, { signal: AbortSignal.timeout(10_000), maxBytes: cap, allowPrivateAddresses: true });
    assert.ok(res.truncated);
    assert.is(res.body.length, cap);
    assert.ok(res.bytesRead <= cap + chunk.length, `read ${res.bytesRead}`);
    const text = await httpGet(`${endless.base}/page`, 'tidal', { timeoutMs: 10_000, maxBytes: cap });
    assert.is(text.text.length, cap, 'pages are capped the same way');
    assert.ok(written < 64 * 1024 * 1024, `the server could write only ${written} bytes before the connection closed`);
  } finally {
    await close(endless.server);
  }
});

G.run();
