/**
 * The real HTTP server of `src/http/server.ts` on 127.0.0.1 with a free port, for tests that
 * talk to it over a socket; and the route set the callback tests and the server fuzz share
 * (the health probes, always ready, and the OAuth callback route over a given flow).
 *
 * @example
 * ({ server, port } = await startLocalServer({ logger: log.logger, routes: healthAndCallbackRoutes({ flow, botUsername: 'MusicLinkTestBot', logger: log.logger }) }));
 * // … rawRequest(port, …) …
 * await server.close(1_000);
 */
import type { Logger } from 'pino';
import { createCallbackRoute, type CallbackRouteOptions } from '../../src/http/callbackRoute.ts';
import { createHealthRoutes } from '../../src/http/healthRoutes.ts';
import type { Route } from '../../src/http/route.ts';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../src/http/server.ts';

/** What {@link startLocalServer} needs: the routes, the logger, and limits other than the defaults. */
export interface LocalServerOptions {
  readonly routes: readonly Route[];
  readonly logger: Logger;
  readonly limits?: HttpServerOptions['limits'];
}

/** Starts a server on 127.0.0.1 with a port the system picks; the test closes it. */
export async function startLocalServer(options: LocalServerOptions): Promise<{ server: HttpServer; port: number }> {
  const server = createHttpServer({ host: '127.0.0.1', port: 0, ...options });
  const { port } = await server.listen();
  return { server, port };
}

/** `/healthz` and `/readyz` (always ready) and the OAuth callback route of `options`. */
export function healthAndCallbackRoutes(options: CallbackRouteOptions): Route[] {
  return [...createHealthRoutes({ readiness: () => ({ dataDir: true, bot: true }) }), createCallbackRoute(options)];
}
