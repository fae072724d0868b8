/**
 * A GET over node's http/https for URLs that outsiders influence: cover images named by
 * metadata, and the redirects of any service. Redirects are followed here, hop by hop, so
 * every hop's connection goes through the {@link guardedLookup address guard}; the body is
 * read while it streams and reading stops at the cap, so an endless or huge body costs at
 * most the cap (plus one network chunk) of memory.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { assertPublicLiteral, BlockedAddressError, guardedLookup } from './addressGuard.ts';

/** Options of {@link safeGet}. */
export interface SafeGetOptions {
  /** Aborts the request (time budget and the job's cancel, combined by the caller). */
  readonly signal: AbortSignal;
  /** Bytes of body kept at most; reading stops soon after. */
  readonly maxBytes: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Skip the address guard on every hop. Production never sets it: it exists so tests can
   * serve from 127.0.0.1 (the music service's `allowPrivateAddresses` option).
   */
  readonly allowPrivateAddresses?: boolean;
  /**
   * The first URL's origin was chosen by the operator (a configured API or page base, which
   * may be a local mirror): hops to that origin are not guarded, hops elsewhere are.
   */
  readonly trustFirstOrigin?: boolean;
  /** Redirects followed at most (default 5). */
  readonly maxRedirects?: number;
}

/** A response, its body capped. */
export interface SafeGetResult {
  readonly status: number;
  /** The URL after redirects. */
  readonly url: string;
  readonly headers: Headers;
  /** At most `maxBytes` bytes. */
  readonly body: Buffer;
  /** True when the body went on past `maxBytes` (what is kept is its beginning). */
  readonly truncated: boolean;
  /** Bytes taken from the connection (at most `maxBytes` plus one chunk). */
  readonly bytesRead: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following redirects with every hop guarded (see the module comment).
 *
 * @throws {BlockedAddressError} a hop to an address that is not public, or not http(s).
 * @throws the socket's or the signal's error otherwise (the caller maps it).
 */
export async function safeGet(url: string, o: SafeGetOptions): Promise<SafeGetResult> {
  let current = new URL(url);
  const trusted = o.trustFirstOrigin ? current.origin : undefined;
  const maxRedirects = o.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') throw new BlockedAddressError('a redirect left http(s)');
    const guard = !o.allowPrivateAddresses && current.origin !== trusted;
    if (guard) assertPublicLiteral(current.hostname);
    const res = await request(current, o, guard);
    const location = res.headers.location;
    if (REDIRECTS.has(res.statusCode ?? 0) && location) {
      res.destroy();
      if (hop >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
      current = new URL(location, current);
      continue;
    }
    return { ...(await readCapped(res, o.maxBytes)), status: res.statusCode ?? 0, url: current.href, headers: toHeaders(res) };
  }
}

function request(url: URL, o: SafeGetOptions, guard: boolean): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { signal: o.signal, headers: { ...o.headers }, ...(guard && { lookup: guardedLookup }) }, resolve);
    req.on('error', reject);
  });
}

async function readCapped(res: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; truncated: boolean; bytesRead: number }> {
  const chunks: Buffer[] = [];
  let bytesRead = 0;
  try {
    // Breaking out of the loop destroys the response: no further byte is read.
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytesRead += chunk.length;
      if (bytesRead > maxBytes) break;
    }
  } finally {
    res.destroy();
  }
  const all = Buffer.concat(chunks);
  return { body: all.subarray(0, maxBytes), truncated: bytesRead > maxBytes, bytesRead };
}

function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
