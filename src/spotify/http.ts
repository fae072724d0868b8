/**
 * The one place the Spotify clients touch the network: a fetch with a hard timeout that turns
 * transport failures and well-known statuses into the typed errors of `errors.ts`.
 *
 * Invariant: nothing here copies a URL, header or body into an error, so a failure can never
 * leak the `Authorization` header, a token in a form body or a secret in a response.
 */
import type { z } from 'zod';
import { ExternalServiceError, RateLimitedError, type SpotifyEndpoint, type SpotifyError } from './errors.ts';

/** The `fetch` signature the clients accept (the global one by default; a stub in tests). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Called once per call attempt with the HTTP status, or 0 when no response arrived. */
export type OnResponse = (status: number, endpoint: SpotifyEndpoint) => void;

/** Transport settings shared by both clients. */
export interface HttpSettings {
  fetch: FetchLike;
  timeoutMs: number;
  onResponse: OnResponse | undefined;
}

/** The transport settings of a client's options: the global `fetch` and a 10 s timeout unless given. */
export function httpSettings(opts: { fetch?: FetchLike; timeoutMs?: number; onResponse?: OnResponse }): HttpSettings {
  return { fetch: opts.fetch ?? ((input, init) => fetch(input, init)), timeoutMs: opts.timeoutMs ?? 10_000, onResponse: opts.onResponse };
}

/** A fully read response. `text` stays inside the clients and is never put into an error. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends one request and reads the whole body within `timeoutMs` (AbortSignal.timeout covers
 * both the headers and the body). Timeouts and network errors become retryable
 * {@link ExternalServiceError}s; any HTTP status is returned for the caller to map.
 */
export async function send(
  http: HttpSettings,
  endpoint: SpotifyEndpoint,
  url: string,
  init: RequestInit,
): Promise<RawResponse> {
  let status = 0;
  try {
    const res = await http.fetch(url, { ...init, signal: AbortSignal.timeout(http.timeoutMs), redirect: 'error' });
    status = res.status;
    report(http, status, endpoint);
    return { status, headers: res.headers, text: await res.text() };
  } catch (err) {
    if (status === 0) report(http, 0, endpoint);
    const name = (err as { name?: unknown } | null)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    throw new ExternalServiceError(endpoint, timedOut ? 'timeout' : 'network', { retryable: true, ...(status ? { status } : {}) });
  }
}

function report(http: HttpSettings, status: number, endpoint: SpotifyEndpoint): void {
  try {
    http.onResponse?.(status, endpoint);
  } catch {
    // A broken metrics hook must not break a Spotify call.
  }
}

/** Parses a JSON body with a zod schema; anything else is a non-retryable bad-body error. */
export function parseBody<T extends z.ZodType>(endpoint: SpotifyEndpoint, res: RawResponse, schema: T): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    throw new ExternalServiceError(endpoint, 'bad-body', { status: res.status, retryable: false });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ExternalServiceError(endpoint, 'bad-body', { status: res.status, retryable: false });
  return parsed.data;
}

/** Reads `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when unusable. */
export function retryAfterSec(headers: Headers, now: number = Date.now()): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** 429 → {@link RateLimitedError}; the body only decides whether it is quota exhaustion. */
export function rateLimited(endpoint: SpotifyEndpoint, res: RawResponse): RateLimitedError {
  return new RateLimitedError(endpoint, retryAfterSec(res.headers), /QUOTA_EXCEEDED/i.test(res.text));
}

/**
 * The statuses both services treat alike: 429, 5xx (and 408) retryable, anything else a
 * non-retryable HTTP failure. Callers map their special cases first.
 */
export function genericFailure(endpoint: SpotifyEndpoint, res: RawResponse): SpotifyError {
  if (res.status === 429) return rateLimited(endpoint, res);
  if (res.status >= 500 || res.status === 408) {
    return new ExternalServiceError(endpoint, 'server', { status: res.status, retryable: true });
  }
  return new ExternalServiceError(endpoint, 'http', { status: res.status, retryable: false });
}
