/**
 * Covers come from URLs that metadata names, so outsiders choose them: only a JPEG, PNG
 * or WebP by its first bytes is kept (whatever the `Content-Type` claims), an address that
 * is not public is never contacted unless the tests' option allows it, and a body past
 * the cap is dropped after reading no more than the cap.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeEndless } from '../../helpers/endlessBody.ts';
import { fetchCover, imageFormat } from '../../../src/music/download/fetchCover.ts';
import { generateCover } from '../../helpers/mediaServer.ts';

const C = suite('fetchCover');
let dir: string;
let server: Server;
let base: string;
let hits: string[];
let bodies: Record<string, Buffer | 'endless'>;
let written = 0;

C.before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = bodies[req.url ?? ''];
    if (body === undefined) return void res.writeHead(404).end();
    // Every answer claims to be a JPEG, as a misconfigured or hostile server may.
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    if (body !== 'endless') return void res.end(body);
    const chunk = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64 * 1024 - 4)]);
    writeEndless(res, chunk, (n) => void (written += n));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
C.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
C.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'cover-test-'));
  hits = [];
  bodies = {};
});
C.after.each(() => rmSync(dir, { recursive: true, force: true }));

const local = { timeoutMs: 10_000, allowPrivateAddresses: true };

C('a real JPEG is kept and named by its format', async () => {
  bodies['/c.jpg'] = readFileSync(await generateCover());
  const cover = await fetchCover(`${base}/c.jpg`, dir, local);
  assert.is(cover?.format, 'jpeg');
  assert.equal(readFileSync(cover!.path), bodies['/c.jpg']);
});

C('a page served as image/jpeg is not a cover', async () => {
  bodies['/c.jpg'] = Buffer.from('<!doctype html><title>Not found</title>');
  assert.is(await fetchCover(`${base}/c.jpg`, dir, local), undefined);
});

C('first bytes decide: JPEG, PNG, WebP; nothing else', () => {
  assert.is(imageFormat(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0])), 'jpeg');
  assert.is(imageFormat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'png');
  assert.is(imageFormat(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')), 'webp');
  for (const other of ['GIF89a', '<svg xmlns="http://www.w3.org/2000/svg"/>', '#EXTM3U', 'RIFF\x24\x00\x00\x00WAVEfmt ', '']) {
    assert.is(imageFormat(Buffer.from(other, 'latin1')), undefined, other);
  }
});

C('by default a cover on a loopback address is never requested', async () => {
  bodies['/c.jpg'] = readFileSync(await generateCover());
  assert.is(await fetchCover(`${base}/c.jpg`, dir, { timeoutMs: 10_000 }), undefined);
  assert.is(await fetchCover(`http://localhost:${new URL(base).port}/c.jpg`, dir, { timeoutMs: 10_000 }), undefined);
  assert.equal(hits, []);
});

C('an endless "image" is dropped at the cap, its connection closed', async () => {
  bodies['/endless.jpg'] = 'endless';
  written = 0;
  const cap = 1024 * 1024;
  assert.is(await fetchCover(`${base}/endless.jpg`, dir, { ...local, maxBytes: cap }), undefined);
  // What the server could write is what the client read plus the sockets' buffers.
  assert.ok(written < 32 * 1024 * 1024, `the server wrote ${written} bytes`);
});

C.run();
