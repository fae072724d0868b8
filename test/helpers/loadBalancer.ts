/**
 * A small loopback HTTP load balancer for multi-instance tests: every request goes to the
 * target `route` picks (round robin by default), body and headers passed through as they are,
 * the answer passed back. A target that cannot be reached answers 502, as nginx would.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadBalancer {
  /** `http://127.0.0.1:<port>`: the public address the instances share. */
  readonly url: string;
  /** The instances' base URLs; change it to add or drop one. */
  targets: string[];
  /** Which target a request goes to (default: the next one in turn). */
  route: (req: IncomingMessage, targets: readonly string[]) => string;
  close(): Promise<void>;
}

export async function startLoadBalancer(targets: string[] = []): Promise<LoadBalancer> {
  let next = 0;
  const lb: LoadBalancer = {
    url: '',
    targets,
    route: (_req, ts) => ts[next++ % ts.length]!,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', lb.route(req, lb.targets));
    const upstream = request(target, { method: req.method, headers: req.headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(lb, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}
