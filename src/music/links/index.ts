/**
 * Music links: find them in a message, normalise them to canonical keys, follow share links.
 *
 * @example
 * import { parseMessage, resolveShortLink } from './music/links/index.ts';
 * const { links, unsupported } = parseMessage(message.text);
 */
export type { LinkKind, MusicLink, ParsedMessage, Platform, UnsupportedLink } from './types.ts';
export { extractMusicLinks, parseMessage, parseUrl, type ParseMessageOptions, type UrlVerdict } from './parseMessage.ts';
export { canonicalHost, isShortLinkHost, isSupportedHost, platformOfHost } from './hosts.ts';
export { resolveShortLink, type ResolveShortLinkOptions } from './resolveShortLink.ts';
export { ShortLinkError, type ShortLinkErrorCode } from './ShortLinkError.ts';
