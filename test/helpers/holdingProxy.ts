/**
 * An HTTP proxy on 127.0.0.1 in front of a local fake that can hold requests to one path until
 * the test releases them: "the request is in flight" becomes a state a test can wait for and
 * end on purpose (e.g. a token exchange still running when SIGTERM arrives).
 *
 * @example
 * const proxy = await startHoldingProxy(fakeSpotify.accountsUrl, '/api/token');
 * // SPOTIFY_ACCOUNTS_URL = proxy.url
 * const held = await proxy.nextHeld();   // the app is waiting for Spotify now
 * held.release();                        // forwarded to the fake, its answer goes back
 * await proxy.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request held at the proxy. */
export interface HeldRequest {
  readonly path: string;
  /** Forwards it to the target and sends the answer back. */
  release(): void;
}

/** A running proxy. */
export interface HoldingProxy {
  readonly url: string;
  /** Resolves with the next request to the held path (already held, or the next to arrive). */
  nextHeld(): Promise<HeldRequest>;
  /** Holding on (default) or off; off forwards at once. */
  hold(on: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy to `target` that holds every request whose path is `heldPath`. */
export async function startHoldingProxy(target: string, heldPath: string): Promise<HoldingProxy> {
  let holding = true;
  const held: HeldRequest[] = [];
  const waiters: Array<(r: HeldRequest) => void> = [];
  const responses = new Set<ServerResponse>();

  async function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const answer = await fetch(target + req.url, { method: req.method, headers, body: body.length ? body : undefined, redirect: 'manual' });
      const bytes = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = { 'content-length': String(bytes.length) };
      for (const name of ['content-type', 'location', 'retry-after']) {
        const v = answer.headers.get(name);
        if (v) out[name] = v;
      }
      if (!res.destroyed) res.writeHead(answer.status, out).end(bytes);
    } catch {
      if (!res.destroyed) res.writeHead(502).end();
    }
  }

  const server = createServer((req, res) => {
    responses.add(res);
    res.on('close', () => responses.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (!holding || path !== heldPath) return void forward(req, body, res);
      const request: HeldRequest = { path, release: () => void forward(req, body, res) };
      const waiter = waiters.shift();
      if (waiter) waiter(request);
      else held.push(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nextHeld: () => {
      const first = held.shift();
      return first ? Promise.resolve(first) : new Promise((resolve) => waiters.push(resolve));
    },
    hold(on) {
      holding = on;
    },
    async close() {
      for (const res of responses) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
