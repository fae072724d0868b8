/**
 * The built-in `node:http` server: OAuth callback, health probes and (in webhook mode) the
 * Telegram webhook, behind a small router of our own.
 *
 * Invariants:
 * - every response carries {@link SECURITY_HEADERS}; HEAD is answered wherever GET is;
 * - one log line per request with method, **path only**, status, duration and correlation id;
 *   never the query string, the body or a header;
 * - bad input is a 4xx (400 broken escapes, 404, 405 + `Allow`, 408, 413, 414, 431); a handler
 *   that throws gives a detail-free 500 page and a logged `{ err }`; the process stays up;
 * - a route's `precheck` (e.g. the webhook secret) runs before any body is read;
 * - at most `maxConnections` are open; Node closes any beyond it unanswered;
 * - {@link HttpServer.close} stops accepting, lets in-flight requests finish for `graceMs`,
 *   then destroys what is left.
 *
 * @example
 * const http = createHttpServer({
 *   host: config.httpHost, port: config.httpPort, logger,
 *   routes: [...createHealthRoutes({ readiness }), createCallbackRoute({ flow, botUsername, logger })],
 * });
 * const { port } = await http.listen();
 * process.once('SIGTERM', () => void http.close(5_000));
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pickLocaleFromAcceptLanguage } from '../i18n/locale.ts';
import { readBody, PayloadTooLargeError } from './body.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.ts';
import { decodePath, parseQuery } from './query.ts';
import { rawStatusResponse, statusPage } from './responses.ts';
import { BODY_METHODS, type Route, type RouteResponse } from './route.ts';
import { createRouter } from './router.ts';
import { SECURITY_HEADERS } from './securityHeaders.ts';

export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.ts';

/** Options of {@link createHttpServer}. */
export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests); {@link HttpServer.listen} reports the real one. */
  readonly port: number;
  readonly routes: readonly Route[];
  /** Gets one line per request; errors go in as `{ err }` for the logger to redact. */
  readonly logger: Logger;
  readonly limits?: Partial<HttpLimits>;
}

/** A server built by {@link createHttpServer}. */
export interface HttpServer {
  /** Starts listening; resolves with the bound port, rejects on e.g. `EADDRINUSE`. */
  listen(): Promise<{ port: number }>;
  /** Graceful close: see the module comment. Idempotent; resolves when every socket is gone. */
  close(graceMs?: number): Promise<void>;
  /** Where the server listens, or `null` before {@link HttpServer.listen} / after close. */
  address(): { host: string; port: number } | null;
}

/** Longest path written to a log line: enough to recognise it, too short to flood the log. */
const MAX_LOGGED_PATH = 200;
const EMPTY = Buffer.alloc(0);
/** Logged (never sent) when the client left before the handler answered, as nginx does. */
const CLIENT_CLOSED_REQUEST = 499;
/** At most one "connections refused" line per this interval, however hard the flood. */
const DROP_LOG_INTERVAL_MS = 10_000;

/** Builds the server; nothing listens until {@link HttpServer.listen}. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const { logger } = options;
  const router = createRouter(options.routes);
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer({
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often Node checks the two timeouts above; its default (30 s) would let them slip.
    connectionsCheckingInterval: Math.max(250, Math.min(1_000, limits.headersTimeoutMs)),
  });
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  let dropLoggedAt = -Infinity;
  // Node destroys the socket itself; one summary line now and then tells the operator why.
  server.on('drop', () => {
    dropped += 1;
    const now = performance.now();
    if (now - dropLoggedAt < DROP_LOG_INTERVAL_MS) return;
    logger.warn({ dropped, maxConnections: limits.maxConnections }, 'http connections refused: too many open');
    dropLoggedAt = now;
    dropped = 0;
  });

  function send(req: IncomingMessage, res: ServerResponse, response: RouteResponse): void {
    if (res.headersSent || res.destroyed) return;
    const body = response.body === undefined ? EMPTY : response.body;
    const headers: Record<string, string | number> = {
      ...SECURITY_HEADERS,
      'content-type': response.contentType ?? 'text/plain; charset=utf-8',
      'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
      ...response.headers,
    };
    if (closing) headers.connection = 'close';
    res.writeHead(response.status, headers);
    // Node drops the body of a HEAD response itself and keeps Content-Length.
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function route(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<RouteResponse> {
    const url = req.url ?? '';
    const locale = pickLocaleFromAcceptLanguage(req.headers['accept-language']);
    if (url.length > limits.maxUrlBytes) return statusPage(414, locale);
    if (!ctx.rawPath.startsWith('/')) return statusPage(400, locale);
    let path: string;
    let query: URLSearchParams;
    try {
      path = decodePath(ctx.rawPath);
      query = parseQuery(ctx.queryStart === -1 ? '' : url.slice(ctx.queryStart + 1));
    } catch {
      return statusPage(400, locale);
    }
    const method = req.method ?? 'GET';
    const match = router.match(method, path);
    if (match.kind === 'notFound') return statusPage(404, locale);
    if (match.kind === 'methodNotAllowed') return statusPage(405, locale, { allow: match.allow });
    const target = match.route;
    ctx.level = target.logLevel ?? 'info';
    const early = target.precheck?.({ method, path, headers: req.headers, locale, correlationId: ctx.correlationId });
    if (early !== undefined) {
      // The body stays unread: close the connection rather than drain it.
      return BODY_METHODS.has(method) ? { ...early, headers: { ...early.headers, connection: 'close' } } : early;
    }
    let body: Buffer = EMPTY;
    if (BODY_METHODS.has(method)) {
      try {
        body = await readBody(req, target.maxBodyBytes ?? limits.maxBodyBytes);
      } catch (err) {
        // A body over the limit stays unread: close the connection rather than drain it.
        if (err instanceof PayloadTooLargeError) return statusPage(413, locale, { connection: 'close' });
        return statusPage(400, locale, { connection: 'close' });
      }
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Whichever comes first of the handler, its time limit and the client going away.
    const cutShort = new Promise<RouteResponse>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        ctx.logFields = { timedOut: true };
        resolve(statusPage(503, locale));
      }, limits.handlerTimeoutMs);
      res.once('close', () => {
        if (res.writableEnded) return; // answered: nothing to abort (and abort() is not free)
        controller.abort();
        ctx.logFields = { clientGone: true };
        resolve({ status: CLIENT_CLOSED_REQUEST });
      });
    });
    const request = {
      method, path, query, headers: req.headers, body, locale,
      correlationId: ctx.correlationId, signal: controller.signal,
    };
    // Caught here, not around the race: a handler failing after its time limit must still be
    // logged, and must not become an unhandled rejection that stops the process.
    const handled = Promise.resolve()
      .then(() => target.handle(request))
      .catch((err: unknown) => {
        logger.error({ err, method, path: ctx.loggedPath, correlationId: ctx.correlationId }, 'http handler failed');
        return statusPage(500, locale);
      });
    try {
      const response = await Promise.race([handled, cutShort]);
      ctx.logFields = response.logFields ?? ctx.logFields;
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = req.url ?? '';
    const queryStart = url.indexOf('?');
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const ctx: RequestContext = {
      correlationId: randomUUID(),
      rawPath,
      queryStart,
      loggedPath: rawPath.length > MAX_LOGGED_PATH ? `${rawPath.slice(0, MAX_LOGGED_PATH)}…` : rawPath,
      level: 'info',
      logFields: undefined,
    };
    res.on('error', () => {}); // a client gone mid-write is not our error
    route(req, res, ctx).then(
      (response) => {
        send(req, res, response);
        logger[ctx.level](
          {
            method: req.method, path: ctx.loggedPath, status: response.status,
            ms: Math.round((performance.now() - started) * 10) / 10, correlationId: ctx.correlationId,
            ...ctx.logFields,
          },
          'http request',
        );
      },
      (err: unknown) => {
        // Only a bug in this file gets here; answer anyway so the client is not left hanging.
        logger.error({ err, path: ctx.loggedPath }, 'http server failed');
        send(req, res, statusPage(500, 'en'));
      },
    );
  });

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // `err.rawPacket` holds the raw request (query included): only the code is ever logged.
    const code = typeof err.code === 'string' ? err.code : 'UNKNOWN';
    const pending = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
    if (code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    logger.info({ status, reason: code }, 'http client error');
    socket.end(rawStatusResponse(status));
    // A client that never closes its side must not hold the socket open.
    setTimeout(() => socket.destroy(), 1_000).unref();
  });

  // Node would answer these itself, without our headers or a log line.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    send(req, res, statusPage(417, pickLocaleFromAcceptLanguage(req.headers['accept-language'])));
    logger.info({ method: req.method, status: 417 }, 'http request');
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    logger.info({ method: 'CONNECT', status: 405 }, 'http request');
    socket.on('error', () => {});
    socket.end(rawStatusResponse(405));
  });

  return {
    listen() {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        server.once('error', onError);
        server.listen(options.port, options.host, () => {
          server.off('error', onError);
          const addr = server.address();
          resolve({ port: typeof addr === 'object' && addr !== null ? addr.port : options.port });
        });
      });
    },
    close(graceMs = 5_000) {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        // The callback runs once every connection is gone (or at once when never listening).
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
    address() {
      const addr = server.address();
      return typeof addr === 'object' && addr !== null ? { host: addr.address, port: addr.port } : null;
    },
  };
}

/** Per-request state shared by the handler path and the log line. */
interface RequestContext {
  readonly correlationId: string;
  readonly rawPath: string;
  readonly queryStart: number;
  readonly loggedPath: string;
  level: 'info' | 'debug';
  logFields: Readonly<Record<string, string | number | boolean>> | undefined;
}
