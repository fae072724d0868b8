import { pathSegments, type LinkParts } from './types.ts';

/** YouTube hosts after `www.`/`m.` are stripped; `youtu.be` carries the id in its path. */
export const YOUTUBE_HOSTS = ['youtube.com', 'music.youtube.com', 'youtu.be', 'youtube-nocookie.com'] as const;

const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const LIST_ID = /^[A-Za-z0-9_-]{10,64}$/;

function video(id: string | null | undefined, live = false): LinkParts | null {
  if (!id || !VIDEO_ID.test(id)) return null;
  const parts: LinkParts = { kind: 'video', id, url: `https://www.youtube.com/watch?v=${id}` };
  return live ? { ...parts, live: true } : parts;
}

/**
 * Parses YouTube and YouTube Music links to one video: `watch?v=`, `youtu.be/<id>`,
 * `shorts/<id>`, `embed/<id>`, `v/<id>`, `live/<id>` (marked `live`). A `list=` next to a
 * video is ignored (the user shared the video); a bare `playlist?list=` is a playlist,
 * `channel/<UC…>` an artist, a YouTube Music `browse/MPREb…` an album. Handles (`@name`)
 * and other pages give null.
 */
export function parseYoutubeUrl(url: URL, host: string): LinkParts | null {
  const segs = pathSegments(url);
  if (host === 'youtu.be') return video(segs[0]);
  const [first = '', second] = segs;
  switch (first) {
    case 'watch':
      return video(url.searchParams.get('v') ?? second);
    case 'shorts':
    case 'embed':
    case 'v':
    case 'e':
      return video(second);
    case 'live':
      return video(second, true);
    case 'playlist': {
      const list = url.searchParams.get('list');
      if (!list || !LIST_ID.test(list)) return null;
      return { kind: 'playlist', id: list, url: `https://www.youtube.com/playlist?list=${list}` };
    }
    case 'channel':
      if (!second || !/^UC[A-Za-z0-9_-]{22}$/.test(second)) return null;
      return { kind: 'artist', id: second, url: `https://www.youtube.com/channel/${second}` };
    case 'browse':
      if (!second || !/^MPREb_[A-Za-z0-9_-]+$/.test(second)) return null;
      return { kind: 'album', id: second, url: `https://music.youtube.com/browse/${second}` };
    default:
      return null;
  }
}
