/**
 * The size, time and connection limits of the built-in HTTP server (`server.ts`), with safe
 * defaults; `createHttpServer({ limits })` overrides any of them.
 */

/** Size and time limits; every one has a safe default in {@link DEFAULT_HTTP_LIMITS}. */
export interface HttpLimits {
  /** Request line plus headers, in bytes; over it → 431. */
  readonly maxHeaderBytes: number;
  /** Request target (path + query), in bytes; over it → 414. */
  readonly maxUrlBytes: number;
  /** Default body limit of POST/PUT/PATCH routes, in bytes; over it → 413. */
  readonly maxBodyBytes: number;
  /** Time to receive the headers → 408. */
  readonly headersTimeoutMs: number;
  /** Time to receive the whole request → 408. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** How long a handler may run before the client gets a 503 page and the handler's signal aborts. */
  readonly handlerTimeoutMs: number;
  /**
   * Open connections at most; Node closes any beyond it at once, before reading a byte.
   * Telegram opens up to 40 webhook connections by default (`max_connections`, at most 100),
   * browsers a few each: the default leaves room for both and stops a flood of idle sockets.
   */
  readonly maxConnections: number;
}

/** The limits used where `HttpServerOptions.limits` says nothing. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxHeaderBytes: 16 * 1024,
  maxUrlBytes: 4 * 1024,
  maxBodyBytes: 1024 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  handlerTimeoutMs: 30_000,
  maxConnections: 256,
});
