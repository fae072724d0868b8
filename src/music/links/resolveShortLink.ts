import type { MusicLink } from './types.ts';
import { ShortLinkError } from './ShortLinkError.ts';
import { canonicalHost, isShortLinkHost, platformOfHost } from './hosts.ts';
import { parseMessage, parseUrl } from './parseMessage.ts';
import { parsePageMeta } from '../net/pageMeta.ts';

/** Options of {@link resolveShortLink}. */
export interface ResolveShortLinkOptions {
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch;
  /** Budget for the whole redirect chain, body included (default 8000 ms). */
  readonly timeoutMs?: number;
  /** Redirects followed at most (default 5). */
  readonly maxRedirects?: number;
  /**
   * Base URL per short-link host, replacing `https://<host>` when requesting (tests and
   * proxies): `{ 'spotify.link': 'http://127.0.0.1:4321' }`. Redirect targets are still
   * read against the real host, so a relative `Location` keeps its meaning.
   */
  readonly baseUrls?: Readonly<Record<string, string>>;
  /** Aborts the resolution; its reason is thrown as is. */
  readonly signal?: AbortSignal;
  /** Bytes of a final HTML page read at most when looking for the target in it (default 512 KiB). */
  readonly maxBodyBytes?: number;
}

const USER_AGENT = 'Mozilla/5.0 (compatible; music-link-resolver/1.0)';

/**
 * Follows a share link to the item it points at and returns that item's {@link MusicLink}
 * (with the short link's `original` text). A link that is not short is returned as is.
 *
 * Safety: only the link's own platform's share links are ever requested (short-link hosts,
 * and Spotify's `open.spotify.com/s/<code>`); a redirect
 * to the platform's item pages is parsed without being fetched, and a redirect anywhere
 * else stops with `SHORT_LINK_OFF_PLATFORM`. Requests are `GET` with manual redirects
 * (several share services answer `HEAD` badly); when a hop answers 200, the start of its
 * page is searched for a link of the same platform (Branch-style interstitial pages).
 *
 * @throws {ShortLinkError} with a stable `code` on every failure.
 * @example
 * const target = await resolveShortLink(link, { timeoutMs: 5000 });
 * target.key; // 'spotify:track:4uLU6hMCjMI75M1A2tKUQC'
 */
export async function resolveShortLink(link: MusicLink, options: ResolveShortLinkOptions = {}): Promise<MusicLink> {
  if (!link.needsRedirect) return link;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxRedirects = options.maxRedirects ?? 5;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 8000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let current = new URL(link.url);
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const res = await request(fetchImpl, requestUrl(current, options.baseUrls), signal, options.signal);
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw new ShortLinkError('SHORT_LINK_UNRESOLVED', `${current.hostname} redirected without a Location`);
      const next = new URL(location, current);
      const found = targetOf(next, link);
      if (found) return found;
      current = next;
      continue;
    }
    if (res.status >= 200 && res.status < 300) {
      const page = await readStart(res, options.maxBodyBytes ?? 512 * 1024, options.signal);
      const found = pageTarget(page, link);
      if (found) return { ...found, original: link.original };
      throw new ShortLinkError('SHORT_LINK_UNRESOLVED', `${current.hostname} answered a page without a ${link.platform} link`);
    }
    await res.body?.cancel().catch(() => undefined);
    const retryable = res.status === 429 || res.status >= 500;
    throw new ShortLinkError('SHORT_LINK_DEAD', `${current.hostname} answered ${res.status}`, { status: res.status, retryable });
  }
  throw new ShortLinkError('SHORT_LINK_TOO_MANY_REDIRECTS', `more than ${maxRedirects} redirects from ${new URL(link.url).hostname}`);
}

/**
 * Reads a redirect target: the final item (returned), another short link of the same
 * platform (null: follow it), or anything else (thrown: never followed).
 */
function targetOf(next: URL, link: MusicLink): MusicLink | null {
  const host = canonicalHost(next.hostname);
  const sameService = platformOfHost(host) === link.platform && (next.protocol === 'https:' || next.protocol === 'http:');
  if (sameService && isShortLinkHost(host)) return null;
  const verdict = sameService ? parseUrl(next.href, link.original) : undefined;
  // A share link on an item host (`open.spotify.com/s/<code>`) is followed like a short host.
  if (verdict?.type === 'link' && verdict.link.needsRedirect) return null;
  if (verdict?.type === 'link') return verdict.link;
  throw new ShortLinkError('SHORT_LINK_OFF_PLATFORM', `a ${link.platform} short link led to ${host}${sameService ? ' (not a playable item)' : ''}`);
}

/**
 * The item an interstitial page points at: its `og:url` (Spotify's `/s/` pages carry the
 * track there), else the first item link of the same platform anywhere in the page.
 */
function pageTarget(page: string, link: MusicLink): MusicLink | undefined {
  const ogUrl = parsePageMeta(page).tags.get('og:url');
  const own = ogUrl === undefined ? undefined : parseUrl(ogUrl, link.original);
  if (own?.type === 'link' && own.link.platform === link.platform && !own.link.needsRedirect) return own.link;
  return parseMessage(page).links.find((l) => l.platform === link.platform && !l.needsRedirect);
}

function requestUrl(url: URL, baseUrls: Readonly<Record<string, string>> | undefined): string {
  const base = baseUrls?.[canonicalHost(url.hostname)] ?? baseUrls?.[url.hostname];
  return base ? `${base.replace(/\/+$/, '')}${url.pathname}${url.search}` : url.href;
}

async function request(fetchImpl: typeof globalThis.fetch, url: string, signal: AbortSignal, callerSignal?: AbortSignal): Promise<Response> {
  try {
    return await fetchImpl(url, {
      method: 'GET',
      redirect: 'manual',
      signal,
      headers: { 'user-agent': USER_AGENT, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
  } catch (err) {
    throw failure(err, signal, callerSignal);
  }
}

function failure(err: unknown, signal: AbortSignal, callerSignal?: AbortSignal): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (signal.aborted) return new ShortLinkError('SHORT_LINK_TIMEOUT', 'the short link did not answer in time', { retryable: true, cause: err });
  return new ShortLinkError('SHORT_LINK_NETWORK', 'the short link could not be reached', { retryable: true, cause: err });
}

async function readStart(res: Response, maxBytes: number, callerSignal?: AbortSignal): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } catch (err) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    throw new ShortLinkError('SHORT_LINK_TIMEOUT', 'the short link page did not arrive in time', { retryable: true, cause: err });
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text + decoder.decode();
}
