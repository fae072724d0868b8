/**
 * A small loopback HTTP load balancer for multi-instance tests, behaving as nginx in front of
 * an upstream group does by default (`deploy/nginx-scale.conf`): every request goes to the
 * target `route` picks (round robin over the live targets by default), body and headers
 * passed through as they are, the answer passed back.
 *
 * Passive health, as nginx's `max_fails=1 fail_timeout=…`: a target that refuses the
 * connection is marked down for `downForMs` and the request goes to the next live target –
 * safe for any method, because nothing was sent. A target that fails after the request went
 * out (an instance SIGKILLed while handling it) answers 502 and is not retried: a POST is not
 * idempotent, and nginx's `proxy_next_upstream` does not resend it either. Telegram then
 * delivers the update again, as it does after any answer but 2xx. No live target: 502.
 *
 * @example
 * const lb = await startLoadBalancer([`http://127.0.0.1:${a}`, `http://127.0.0.1:${b}`]);
 * // PUBLIC_BASE_URL=lb.url for both instances
 * const victim = lb.inFlight.find((r) => r.updateId === update.update_id)?.target;
 */
import { createServer, request, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request being proxied now. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  /** The target it was last sent to. */
  target: string;
  /** The Telegram update's `update_id`, for a webhook POST whose body has one. */
  readonly updateId?: number;
}

export interface LoadBalancer {
  /** `http://127.0.0.1:<port>`: the public address the instances share. */
  readonly url: string;
  /** The instances' base URLs; change it to add or drop one. */
  targets: string[];
  /** Which target a request goes to first (default: the next live one in turn). */
  route: (req: IncomingMessage, liveTargets: readonly string[]) => string;
  /** Requests being proxied now, oldest first. */
  readonly inFlight: readonly ProxiedRequest[];
  /** Connections refused so far, by target: what made the balancer skip a dead instance. */
  readonly refused: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** Options of {@link startLoadBalancer}. */
export interface LoadBalancerOptions {
  /** How long a target that refused a connection is skipped (nginx's `fail_timeout`, default 10 s). */
  downForMs?: number;
}

export async function startLoadBalancer(targets: string[] = [], options: LoadBalancerOptions = {}): Promise<LoadBalancer> {
  const downForMs = options.downForMs ?? 10_000;
  const downUntil = new Map<string, number>();
  const inFlight: ProxiedRequest[] = [];
  const refused = new Map<string, number>();
  let next = 0;
  const lb: LoadBalancer = {
    url: '',
    targets,
    route: (_req, live) => live[next++ % live.length]!,
    inFlight,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const isLive = (t: string) => (downUntil.get(t) ?? 0) <= Date.now();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void proxy(req, Buffer.concat(chunks), res));
  });

  async function proxy(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const live = lb.targets.filter(isLive);
    const first = live.length > 0 ? lb.route(req, live) : undefined;
    // The picked target first, then the other live ones in their order: nginx's next upstream.
    const order = first === undefined ? [] : [first, ...live.filter((t) => t !== first)];
    const entry: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', target: first ?? '', ...updateIdOf(req, body) };
    inFlight.push(entry);
    res.on('close', () => inFlight.splice(inFlight.indexOf(entry), 1));
    for (const target of order) {
      entry.target = target;
      if ((await forward(target, req, body, res)) === 'done') return;
      refused.set(target, (refused.get(target) ?? 0) + 1);
      downUntil.set(target, Date.now() + downForMs);
    }
    res.writeHead(502).end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(lb, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** Sends one request to `target`; 'refused' when the connection was refused (nothing sent). */
function forward(target: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<'done' | 'refused'> {
  return new Promise((resolve) => {
    const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      // An instance killed while it answers: the client sees a cut response, as behind nginx.
      answer.on('aborted', () => res.destroy());
      res.on('close', () => resolve('done'));
    });
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') return resolve('refused');
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
      resolve('done');
    });
    upstream.end(body);
  });
}

/** `{ updateId }` of a webhook POST (a JSON body with `update_id`), else `{}`. */
function updateIdOf(req: IncomingMessage, body: Buffer): { updateId?: number } {
  if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').includes('json')) return {};
  try {
    const id = (JSON.parse(body.toString('utf8')) as { update_id?: unknown }).update_id;
    return typeof id === 'number' ? { updateId: id } : {};
  } catch {
    return {};
  }
}
