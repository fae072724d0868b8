import type { LinkParts, MusicLink, ParsedMessage, UnsupportedLink } from './types.ts';
import { findUrls } from './findUrls.ts';
import { canonicalHost, isUnsupportedMusicUrl, parsePlatformUrl, platformOfHost } from './hosts.ts';
import { parseSpotifyUri } from './spotify.ts';

/** What one URL turned out to be: a link, an unsupported music link, or nothing of ours. */
export type UrlVerdict =
  | { readonly type: 'link'; readonly link: MusicLink }
  | { readonly type: 'unsupported'; readonly unsupported: UnsupportedLink }
  | { readonly type: 'other' };

const OTHER: UrlVerdict = { type: 'other' };

/**
 * Classifies one URL or `spotify:` URI. A string without a scheme is read as `https://`.
 * Only `http` and `https` URLs count; userinfo tricks (`open.spotify.com@evil.tld`) land on
 * the real host and are therefore not ours.
 *
 * @example
 * parseUrl('https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=x')
 * // → { type: 'link', link: { key: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC', … } }
 */
export function parseUrl(raw: string, original: string = raw): UrlVerdict {
  if (/^spotify:/i.test(raw)) {
    const parts = parseSpotifyUri(raw);
    if (parts) return { type: 'link', link: toLink('spotify', parts, original) };
    // A podcast URI and the like: Spotify's, but nothing we can play.
    const unsupported: UnsupportedLink = { url: raw, host: 'open.spotify.com', reason: 'unrecognised-path', platform: 'spotify', original };
    return { type: 'unsupported', unsupported };
  }
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return OTHER;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return OTHER;
  const host = canonicalHost(url.hostname);
  const platform = platformOfHost(host);
  if (platform === undefined) {
    if (!isUnsupportedMusicUrl(url)) return OTHER;
    return { type: 'unsupported', unsupported: { url: url.href, host, reason: 'unsupported-host', original } };
  }
  const parts = parsePlatformUrl(platform, url);
  if (parts === null) {
    return { type: 'unsupported', unsupported: { url: url.href, host, reason: 'unrecognised-path', platform, original } };
  }
  return { type: 'link', link: toLink(platform, parts, original) };
}

function toLink(platform: MusicLink['platform'], parts: LinkParts, original: string): MusicLink {
  return {
    platform,
    ...parts,
    key: `${platform}:${parts.kind}:${parts.id}`,
    original,
    needsRedirect: parts.kind === 'short',
  };
}

/** Options of {@link parseMessage}. */
export interface ParseMessageOptions {
  /**
   * Extra URLs that are not in the text itself, such as Telegram `text_link` entity URLs
   * (a word with a hidden link). They are read after the text's own links.
   */
  readonly entityUrls?: readonly string[];
}

/**
 * Finds every music link in a message and every link to a music service we do not
 * support. Links may be wrapped in junk: brackets, markdown, `<…>`, quotes, trailing
 * punctuation, with or without scheme, `www.` or `m.` hosts. Each list keeps message
 * order and holds each item once (links by canonical `key`, unsupported ones by URL
 * without query). Links to unrelated sites are ignored.
 *
 * @example
 * parseMessage('слушай https://youtu.be/dQw4w9WgXcQ?si=abc и bandcamp.com/album/x')
 * // → { links: [{ key: 'youtube:video:dQw4w9WgXcQ', … }], unsupported: [{ host: 'bandcamp.com', … }] }
 */
export function parseMessage(text: string, options: ParseMessageOptions = {}): ParsedMessage {
  const links: MusicLink[] = [];
  const unsupported: UnsupportedLink[] = [];
  const seenKeys = new Set<string>();
  const seenUnsupported = new Set<string>();
  const found = findUrls(text).map((f) => f.text);
  for (const raw of [...found, ...(options.entityUrls ?? [])]) {
    const verdict = parseUrl(raw.trim());
    if (verdict.type === 'link') {
      if (seenKeys.has(verdict.link.key)) continue;
      seenKeys.add(verdict.link.key);
      links.push(verdict.link);
    } else if (verdict.type === 'unsupported') {
      const id = verdict.unsupported.url.replace(/[?#].*$/, '').replace(/\/$/, '');
      if (seenUnsupported.has(id)) continue;
      seenUnsupported.add(id);
      unsupported.push(verdict.unsupported);
    }
  }
  return { links, unsupported };
}

/**
 * The music links of a message, each once, in order. Shorthand for
 * `parseMessage(text).links`; use {@link parseMessage} to also learn about unsupported ones.
 */
export function extractMusicLinks(text: string): MusicLink[] {
  return parseMessage(text).links;
}
