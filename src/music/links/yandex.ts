import { pathSegments, type LinkParts } from './types.ts';

/** Yandex Music's hosts: one per country domain the service runs on. */
export const YANDEX_HOSTS = ['music.yandex.ru', 'music.yandex.com', 'music.yandex.by', 'music.yandex.kz', 'music.yandex.uz'] as const;

const NUM = /^\d+$/;

/**
 * Parses Yandex Music pages: `album/<a>/track/<t>`, `track/<t>`, `album/<a>`,
 * `users/<u>/playlists/<n>`, `playlists/<uuid>` and `artist/<id>`. The canonical URL keeps
 * the country domain the user used, since Yandex answers differently per region.
 */
export function parseYandexUrl(url: URL, host: string): LinkParts | null {
  const base = `https://${host}`;
  const [a = '', b = '', c = '', d = ''] = pathSegments(url);
  if (a === 'album' && NUM.test(b)) {
    if (c === 'track' && NUM.test(d)) return { kind: 'track', id: d, albumId: b, url: `${base}/album/${b}/track/${d}` };
    if (c === '' || c === 'tracks') return { kind: 'album', id: b, url: `${base}/album/${b}` };
    return null;
  }
  if (a === 'track' && NUM.test(b)) return { kind: 'track', id: b, url: `${base}/track/${b}` };
  if (a === 'users' && /^[\w.-]+$/.test(b) && c === 'playlists' && NUM.test(d)) {
    return { kind: 'playlist', id: `${b}/${d}`, url: `${base}/users/${b}/playlists/${d}` };
  }
  if (a === 'playlists' && /^[\w.-]+$/.test(b)) return { kind: 'playlist', id: b, url: `${base}/playlists/${b}` };
  if (a === 'artist' && NUM.test(b)) return { kind: 'artist', id: b, url: `${base}/artist/${b}` };
  return null;
}
