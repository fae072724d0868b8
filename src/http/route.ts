/**
 * The contract between the HTTP server and the code behind each path.
 *
 * A handler never touches `node:http` objects: it gets a {@link RouteRequest} whose query is
 * already strictly decoded and whose body (for POST-like routes) is already read within its
 * limit, and returns a {@link RouteResponse}. The server adds the security headers,
 * `Content-Length`, HEAD handling and the one log line per request.
 *
 * @example
 * const ping: Route = {
 *   path: '/ping',
 *   methods: ['GET'],
 *   handle: () => ({ status: 200, body: 'pong' }),
 * };
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Locale } from '../i18n/locale.ts';

/** Methods a route may declare. HEAD is implied wherever GET is declared. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Methods whose request body the server reads (up to the route's limit) before the handler runs. */
export const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

/** What a handler gets. Nothing here is logged by the server except `method` and `path`. */
export interface RouteRequest {
  /** Upper-case method as received (`HEAD` for HEAD requests on GET routes). */
  readonly method: string;
  /** The percent-decoded path, without the query string. */
  readonly path: string;
  /** Strictly decoded query parameters (broken escapes never reach a handler: they get 400). */
  readonly query: URLSearchParams;
  /** Request headers as Node parsed them (lower-case names). */
  readonly headers: IncomingHttpHeaders;
  /** The raw body for POST/PUT/PATCH, read up to the route's `maxBodyBytes`; empty otherwise. */
  readonly body: Buffer;
  /** The page language picked from `Accept-Language`. */
  readonly locale: Locale;
  /** A random id for this request, also on its log line; pass it on to the flow it starts. */
  readonly correlationId: string;
  /** Aborted when the client goes away or the handler runs past `handlerTimeoutMs`. */
  readonly signal: AbortSignal;
}

/** What a handler returns. The server adds security headers and `Content-Length`. */
export interface RouteResponse {
  readonly status: number;
  /** Defaults to an empty body. */
  readonly body?: string | Buffer;
  /** Defaults to `text/plain; charset=utf-8`. */
  readonly contentType?: string;
  /** Extra headers (e.g. `Location`); they may override the defaults, so keep them strict. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Fields added to the request's log line, such as `{ outcome: 'expired' }`. Only values
   * that are safe to log: never a query value, a token, a code or a state.
   */
  readonly logFields?: Readonly<Record<string, string | number | boolean>>;
}

/** What {@link Route.precheck} sees: the request before its body is read. */
export type RouteHead = Pick<RouteRequest, 'method' | 'path' | 'headers' | 'locale' | 'correlationId'>;

/** One path of the server with the methods it answers. */
export interface Route {
  /** The exact path (no patterns, no trailing-slash folding), e.g. `/healthz`. */
  readonly path: string;
  /** The methods this route takes; `GET` also answers `HEAD`. Others get 405 with `Allow`. */
  readonly methods: readonly HttpMethod[];
  /** Body limit for POST/PUT/PATCH, in bytes; defaults to the server's `maxBodyBytes`. */
  readonly maxBodyBytes?: number;
  /** Level of this route's request log line; `debug` keeps health probes out of the log. */
  readonly logLevel?: 'info' | 'debug';
  /**
   * A cheap check of the headers (e.g. the webhook's secret) that runs **before** the body is
   * read: a response returned here is sent at once, the body left unread and, for POST-like
   * methods, the connection closed. `undefined` lets the request go on to the body and
   * {@link Route.handle}. Without it, anyone could make the server buffer a whole body first.
   */
  precheck?(request: RouteHead): RouteResponse | undefined;
  handle(request: RouteRequest): RouteResponse | Promise<RouteResponse>;
}
