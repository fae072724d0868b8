/**
 * The visualizer's server without a browser: loopback only unless told otherwise, a `Host`
 * check, Mermaid served from node_modules under a strict CSP, the JSON endpoints, and the
 * event stream that announces appends.
 */
import { readFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkListenHost, hostHeaderAllowed, VizHostRefusedError } from '../../../src/devtools/viz/hostGuard.ts';
import { withoutGuards } from '../../../src/devtools/viz/server.ts';
import { startVisualizer, type RunningVisualizer } from '../../../src/devtools/viz/startVisualizer.ts';
import { toMermaid } from '../../../machines/spotifyLink.diagram.ts';
import { linkMachine } from '../../../machines/spotifyLink.machine.ts';
import { startLinkHarness, type LinkHarness } from '../../helpers/linkHarness.ts';

const Viz = suite('visualizer server');
let h: LinkHarness;
let viz: RunningVisualizer;

Viz.before(async () => {
  h = await startLinkHarness();
  await h.link(1);
  await h.links.startLogin(2);
  viz = await startVisualizer({ store: h.store, port: 0, coalesceMs: 5 });
});
Viz.after(async () => {
  await viz.close();
  await h.close();
});

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function get(path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: viz.port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${viz.port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

Viz('listens on 127.0.0.1 only: another host is refused unless explicitly told', async () => {
  assert.match(viz.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  for (const host of ['0.0.0.0', '192.168.1.20', '::']) {
    assert.throws(() => checkListenHost(host, false), (err: unknown) => err instanceof VizHostRefusedError && err.code === 'VIZ_HOST_REFUSED');
    checkListenHost(host, true);
  }
  for (const host of ['127.0.0.1', '::1', 'localhost']) checkListenHost(host, false);
  await startVisualizer({ store: h.store, host: '0.0.0.0', port: 0 }).then(
    () => assert.unreachable('should refuse'),
    (err: unknown) => assert.instance(err, VizHostRefusedError),
  );
});

Viz('requests for another Host name are refused (DNS rebinding)', async () => {
  assert.is((await get('/api/overview', { host: 'evil.example' })).status, 403);
  assert.is((await get('/api/overview', { host: `evil.example:${viz.port}` })).status, 403);
  assert.is((await get('/api/overview', { host: `localhost:${viz.port}` })).status, 200);
  assert.is(hostHeaderAllowed(`[::1]:${viz.port}`, '127.0.0.1', viz.port), true);
  assert.is(hostHeaderAllowed(`127.0.0.1:${viz.port + 1}`, '127.0.0.1', viz.port), false);
});

Viz('the page and Mermaid come from this server (node_modules), under a CSP that allows nothing else', async () => {
  const page = await get('/');
  assert.is(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  const html = page.body.toString();
  assert.match(html, /<script src="\/vendor\/mermaid\.min\.js"><\/script>/);
  assert.not.match(html, /https?:\/\//, 'no CDN or other origin');
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.not.match(csp, /https?:|unsafe-eval/);
  const mermaid = await get('/vendor/mermaid.min.js');
  assert.is(mermaid.status, 200);
  assert.match(String(mermaid.headers['content-type']), /^text\/javascript/);
  const file = readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'));
  assert.ok(mermaid.body.equals(file));
  for (const path of ['/viz.js', '/viz.css']) assert.is((await get(path)).status, 200);
});

Viz('the machine endpoint carries the generated diagram and where each state is drawn', async () => {
  const machine = JSON.parse((await get('/api/machine')).body.toString());
  assert.is(machine.mermaid, toMermaid(linkMachine));
  assert.equal(machine.states, ['unlinked', 'awaitingCallback.pending', 'awaitingCallback.confirming', 'linked', 'refreshing', 'revoked']);
  assert.is(machine.stateIds['awaitingCallback.pending'], 'pending');
  const arrows = (src: string) => src.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
  const full = new Set(arrows(machine.mermaid).map((l: string) => l.replace(/ \[.*\]$/, '')));
  assert.equal(new Set(arrows(machine.mermaidCompact)), full, 'the compact diagram has every arrow, without guard text');
  assert.is(withoutGuards(machine.mermaid), machine.mermaidCompact);
});

Viz('overview and user endpoints; bad input is a clear 4xx', async () => {
  const overview = JSON.parse((await get('/api/overview')).body.toString());
  assert.is(overview.counts.linked, 1);
  assert.is(overview.counts['awaitingCallback.pending'], 1);
  const user = JSON.parse((await get('/api/user?id=1')).body.toString());
  assert.equal(user.path.map((s: { to: string }) => s.to), ['awaitingCallback.pending', 'awaitingCallback.confirming', 'linked']);
  assert.is((await get('/api/user?id=abc')).status, 400);
  assert.is((await get('/api/user?id=424242')).status, 404);
  assert.is((await get('/nope')).status, 404);
  const post = await get('/api/overview', { method: 'POST' });
  assert.is(post.status, 405);
  assert.is(post.headers['allow'], 'GET, HEAD');
});

/** Reads SSE messages from `/events` until `until` returns true for one. */
function readEvents(until: (event: string, data: any) => boolean, onOpen: () => void): Promise<Array<[string, any]>> {
  return new Promise((resolve, reject) => {
    const seen: Array<[string, any]> = [];
    const req = request({ host: '127.0.0.1', port: viz.port, path: '/events', headers: { host: `127.0.0.1:${viz.port}` } }, (res) => {
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || !data) continue;
          seen.push([event, JSON.parse(data)]);
          if (seen.length === 1) onOpen();
          if (until(event, JSON.parse(data))) {
            req.destroy();
            resolve(seen);
          }
        }
      });
    });
    req.on('error', (err) => (seen.length ? undefined : reject(err)));
    req.end();
  });
}

Viz('the event stream sends the picture on connect, then every append as a change', async () => {
  const seen = await readEvents(
    (event, data) => event === 'change' && data.changed.some((u: { userId: number; state: string }) => u.userId === 3),
    () => void h.links.startLogin(3),
  );
  assert.is(seen[0]![0], 'overview');
  const change = seen.at(-1)![1];
  assert.is(change.counts['awaitingCallback.pending'], 2);
  const three = change.changed.find((u: { userId: number }) => u.userId === 3);
  assert.equal(three.path.map((s: { type: string }) => s.type), ['LoginStarted']);
  assert.is(change.head, (await h.store.headPosition()));
});

Viz.run();
