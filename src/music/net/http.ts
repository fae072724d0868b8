/**
 * The one HTTP helper of the metadata resolvers: a GET with a time budget, a size cap and a
 * browser-like user agent, whose failures become {@link MusicError}s. It never throws for an
 * HTTP status: callers decide what 404 or 451 means for their service.
 *
 * The first URL's origin is the operator's (a configured API or page base); every redirect
 * to another origin must connect to a public address, and the body is capped while it
 * streams (see {@link safeGet}).
 */
import { abortReason, MusicError } from '../errors.ts';
import { safeGet } from './safeGet.ts';

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  /** Budget for the whole request, body included. */
  readonly timeoutMs: number;
  /** The job's signal: cancel and deadline. */
  readonly signal?: AbortSignal;
  /** Bytes of body read at most (default 2 MiB); the rest is dropped. */
  readonly maxBytes?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A replacement transport (default: {@link safeGet}). When given it is used as is: it
   * follows redirects and caps the body itself, without the address guard.
   */
  readonly fetch?: typeof globalThis.fetch;
}

/** A response as the resolvers need it. */
export interface HttpResult {
  readonly status: number;
  /** The URL after redirects. */
  readonly url: string;
  readonly headers: Headers;
  readonly text: string;
}

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/**
 * GETs `url` for `service` (a name for errors and logs).
 *
 * @throws {MusicError} `MUSIC_SOURCE_UNAVAILABLE` when no response arrives in time or at
 *   all; the signal's reason when the job was cancelled.
 */
export async function httpGet(url: string, service: string, options: HttpGetOptions): Promise<HttpResult> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers = { 'user-agent': USER_AGENT, 'accept-language': 'en-US,en;q=0.8,ru;q=0.6', ...options.headers };
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  try {
    if (options.fetch) {
      const res = await options.fetch(url, { signal, redirect: 'follow', headers });
      const text = await readCapped(res, maxBytes);
      return { status: res.status, url: res.url || url, headers: res.headers, text };
    }
    const res = await safeGet(url, { signal, headers, maxBytes, trustFirstOrigin: true });
    return { status: res.status, url: res.url, headers: res.headers, text: res.body.toString('utf8') };
  } catch (err) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const what = timeout.aborted ? 'did not answer in time' : 'could not be reached';
    throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `${service} ${what}`, { service, cause: err });
  }
}

/**
 * GETs JSON. `json` is undefined when the body is not JSON (an HTML error page, a captcha).
 */
export async function httpGetJson(
  url: string,
  service: string,
  options: HttpGetOptions,
): Promise<HttpResult & { readonly json: unknown }> {
  const res = await httpGet(url, service, { ...options, headers: { accept: 'application/json', ...options.headers } });
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch {
    json = undefined;
  }
  return { ...res, json };
}

/** Throws the usual error for a status that is neither success nor a service-specific case. */
export function failForStatus(status: number, service: string): never {
  if (status === 404 || status === 410) throw new MusicError('MUSIC_DEAD_LINK', `${service} answered ${status}`, { service, status });
  if (status === 451) throw new MusicError('MUSIC_REGION_BLOCKED', `${service} answered 451`, { service, status });
  throw new MusicError('MUSIC_SOURCE_UNAVAILABLE', `${service} answered ${status}`, { service, status });
}

async function readCapped(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
