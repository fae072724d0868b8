import type { LinkParts, Platform } from './types.ts';
import { SPOTIFY_HOSTS, SPOTIFY_SHORT_HOSTS, parseSpotifyUrl } from './spotify.ts';
import { YANDEX_HOSTS, parseYandexUrl } from './yandex.ts';
import { YOUTUBE_HOSTS, parseYoutubeUrl } from './youtube.ts';
import { SOUNDCLOUD_HOSTS, SOUNDCLOUD_SHORT_HOSTS, parseSoundcloudUrl } from './soundcloud.ts';
import { APPLE_HOSTS, APPLE_SHORT_HOSTS, parseAppleUrl } from './apple.ts';
import { DEEZER_HOSTS, DEEZER_SHORT_HOSTS, parseDeezerUrl } from './deezer.ts';
import { TIDAL_HOSTS, parseTidalUrl } from './tidal.ts';

type PlatformParser = (url: URL, host: string) => LinkParts | null;

const PARSERS: Record<Platform, PlatformParser> = {
  spotify: parseSpotifyUrl,
  yandex: parseYandexUrl,
  youtube: parseYoutubeUrl,
  soundcloud: parseSoundcloudUrl,
  apple: parseAppleUrl,
  deezer: parseDeezerUrl,
  tidal: parseTidalUrl,
};

const HOSTS = new Map<string, Platform>();
const SHORT_HOSTS = new Set<string>();
function register(platform: Platform, hosts: readonly string[], short: readonly string[] = []): void {
  for (const h of [...hosts, ...short]) HOSTS.set(h, platform);
  for (const h of short) SHORT_HOSTS.add(h);
}
register('spotify', SPOTIFY_HOSTS, SPOTIFY_SHORT_HOSTS);
register('yandex', YANDEX_HOSTS);
register('youtube', YOUTUBE_HOSTS);
register('soundcloud', SOUNDCLOUD_HOSTS, SOUNDCLOUD_SHORT_HOSTS);
register('apple', APPLE_HOSTS, APPLE_SHORT_HOSTS);
register('deezer', DEEZER_HOSTS, DEEZER_SHORT_HOSTS);
register('tidal', TIDAL_HOSTS);

/**
 * Music services we recognise but cannot turn into audio. A link to one of them (or to any
 * subdomain, e.g. `artist.bandcamp.com`) is reported as unsupported instead of being
 * silently ignored, so the bot can say so.
 */
const UNSUPPORTED_MUSIC_DOMAINS = [
  'bandcamp.com', 'zvuk.com', 'boom.ru', 'audiomack.com', 'napster.com', 'qobuz.com', 'pandora.com',
  'anghami.com', 'jiosaavn.com', 'gaana.com', 'music.163.com', 'y.qq.com', 'kkbox.com', 'mixcloud.com',
  'beatport.com', 'audius.co', 'shazam.com', 'song.link', 'album.link', 'odesli.co', 'podcasts.apple.com',
  'music.yandex.ua',
];

/**
 * Reduces a URL host to the form the registry uses: lower case, no trailing dot, one
 * leading `www.` or `m.` removed (mobile and www hosts serve the same items).
 */
export function canonicalHost(hostname: string): string {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h.replace(/^(?:www|m)\.(?=[^.]+\.[^.]+)/, '');
}

/**
 * The platform whose links live on `host` (exact match after {@link canonicalHost}; a
 * lookalike such as `open.spotify.com.evil.tld` or `notyoutube.com` is not a match).
 */
export function platformOfHost(host: string): Platform | undefined {
  return HOSTS.get(canonicalHost(host));
}

/** True when `host` is one of the supported services' hosts (pages or short links). */
export function isSupportedHost(host: string): boolean {
  return platformOfHost(host) !== undefined;
}

/** True when `host` is a share-link host whose target needs a redirect to learn. */
export function isShortLinkHost(host: string): boolean {
  return SHORT_HOSTS.has(canonicalHost(host));
}

/** True when `url` points at a music service we know of but do not support. */
export function isUnsupportedMusicUrl(url: URL): boolean {
  const host = canonicalHost(url.hostname);
  if (host === 'vk.com' || host === 'vk.ru') return /^\/(?:audio|music)/.test(url.pathname);
  if (/^music\.amazon\.[a-z.]+$/.test(host)) return true;
  return UNSUPPORTED_MUSIC_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/** Runs the parser of `platform` on `url`; null means the page is not a playable item. */
export function parsePlatformUrl(platform: Platform, url: URL): LinkParts | null {
  return PARSERS[platform](url, canonicalHost(url.hostname));
}
