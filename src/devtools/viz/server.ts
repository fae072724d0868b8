/**
 * The visualizer's HTTP server: the page, its script and style, Mermaid from
 * `node_modules/mermaid/dist` (no CDN: it works offline), three JSON endpoints and the
 * server-sent event stream.
 *
 * It is a plain `node:http` server rather than the bot's `createHttpServer`: that one answers
 * each request with one complete response (an event stream never completes) and its CSP
 * allows no script at all. What it shares with the bot's server: the security headers (with
 * a CSP that allows our own scripts, Mermaid's inline styles, and nothing from elsewhere),
 * GET/HEAD only, no query string or body in any log.
 *
 * | path | answer |
 * | --- | --- |
 * | `/` | the page |
 * | `/viz.js`, `/viz.css` | its script and style |
 * | `/vendor/mermaid.min.js` | Mermaid's browser bundle from `node_modules` |
 * | `/api/machine` | the generated `stateDiagram-v2` (with and without guards) and the state ids |
 * | `/api/overview` | users per state and the list of users |
 * | `/api/user?id=<userId>` | one user's path of states |
 * | `/events` | SSE: `overview` on connect, `change` after appends |
 * | `/favicon.ico` | 204 (keeps the browser console clean) |
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { leafStates, mermaidStateIds, toMermaid } from '../../../machines/spotifyLink.diagram.ts';
import { linkMachine } from '../../../machines/spotifyLink.machine.ts';
import { SECURITY_HEADERS } from '../../http/securityHeaders.ts';
import { checkListenHost, hostHeaderAllowed } from './hostGuard.ts';
import type { LinkModel } from './linkModel.ts';
import { sseMessage, type SseHub } from './sse.ts';

/** The page's CSP: own scripts and styles, Mermaid's inline SVG styles; nothing from elsewhere. */
export const VIZ_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = { ...SECURITY_HEADERS, 'content-security-policy': VIZ_CSP };

/** The diagram without `[guard]` text on the arrows: far easier to read; guards stay one click away. */
export function withoutGuards(mermaid: string): string {
  const seen = new Set<string>();
  return mermaid
    .split('\n')
    .map((line) => line.replace(/^(\s+\S+ --> \S+ : \S+) \[.*\]$/, '$1'))
    .filter((line) => !line.includes(' --> ') || (!seen.has(line) && seen.add(line)))
    .join('\n');
}

/** What `/api/machine` answers: everything the page needs to draw and find states. */
export function machinePayload(label: string) {
  const mermaid = toMermaid(linkMachine);
  return {
    label,
    mermaid,
    mermaidCompact: withoutGuards(mermaid),
    states: leafStates(linkMachine),
    stateIds: Object.fromEntries(mermaidStateIds(linkMachine)),
  };
}

type Asset = { type: string; body: () => Buffer };

function fileAsset(url: URL, type: string): Asset {
  let cached: Buffer | undefined;
  return { type, body: () => (cached ??= readFileSync(url)) };
}

const ASSETS: Record<string, Asset> = {
  '/': fileAsset(new URL('./assets/index.html', import.meta.url), 'text/html; charset=utf-8'),
  '/viz.js': fileAsset(new URL('./assets/viz.js', import.meta.url), 'text/javascript; charset=utf-8'),
  '/viz.css': fileAsset(new URL('./assets/viz.css', import.meta.url), 'text/css; charset=utf-8'),
  '/vendor/mermaid.min.js': fileAsset(
    pathToFileURL(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')),
    'text/javascript; charset=utf-8',
  ),
};

/** Options of {@link createVizServer}. */
export interface VizServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Listen on a non-loopback host (the `--i-know` override). */
  allowNonLoopback?: boolean;
  model: LinkModel;
  hub: SseHub;
  /** What is shown (the source's label). */
  label: string;
}

/** A created visualizer server. */
export interface VizServer {
  listen(): Promise<{ port: number }>;
  /** Ends the event streams and closes the server. */
  close(): Promise<void>;
}

/**
 * Builds the server; nothing listens until {@link VizServer.listen}.
 * @throws {VizHostRefusedError} for a non-loopback host without `allowNonLoopback`.
 */
export function createVizServer(options: VizServerOptions): VizServer {
  checkListenHost(options.host, options.allowNonLoopback === true);
  const { model, hub } = options;
  const machine = Buffer.from(JSON.stringify(machinePayload(options.label)));
  let port = options.port;

  const send = (req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer | string) => {
    const buffer = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...HEADERS, 'content-type': type, 'content-length': buffer.length });
    res.end(req.method === 'HEAD' ? undefined : buffer);
  };
  const json = (req: IncomingMessage, res: ServerResponse, status: number, value: unknown) =>
    send(req, res, status, 'application/json; charset=utf-8', JSON.stringify(value));

  const server = createServer((req, res) => {
    res.on('error', () => {});
    if (!hostHeaderAllowed(req.headers.host, options.host, port)) return json(req, res, 403, { error: 'unexpected Host header' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return json(req, res, 405, { error: 'GET only' });
    }
    const url = new URL(req.url ?? '/', 'http://viz.invalid');
    const asset = ASSETS[url.pathname];
    if (asset) return send(req, res, 200, asset.type, asset.body());
    switch (url.pathname) {
      case '/favicon.ico':
        return send(req, res, 204, 'text/plain; charset=utf-8', '');
      case '/api/machine':
        return send(req, res, 200, 'application/json; charset=utf-8', machine);
      case '/api/overview':
        return json(req, res, 200, model.overview());
      case '/api/user': {
        const id = url.searchParams.get('id') ?? '';
        if (!/^\d{1,15}$/.test(id) || Number(id) < 1) return json(req, res, 400, { error: 'id must be a Telegram user id' });
        const user = model.user(Number(id));
        return user ? json(req, res, 200, user) : json(req, res, 404, { error: 'no events for this user' });
      }
      case '/events':
        if (req.method === 'HEAD') return send(req, res, 200, 'text/event-stream; charset=utf-8', '');
        return hub.add(res, HEADERS, sseMessage('overview', model.overview()));
      default:
        return json(req, res, 404, { error: 'not found' });
    }
  });

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          const address = server.address();
          port = typeof address === 'object' && address ? address.port : options.port;
          resolve({ port });
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        hub.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
