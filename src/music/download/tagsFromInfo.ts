/**
 * Which title and artist a file gets: the link's own service when it described the track
 * (exact), else what yt-dlp read from the page (YouTube Music's `track`/`artist`, else the
 * video title split at " - ", else the channel name without " - Topic").
 */
import type { AudioTags } from '../tools/ffmpeg.ts';
import type { MediaInfo } from '../tools/ytDlp.ts';
import type { TrackInfo } from '../types.ts';

const DECORATION = /\s*[(\[](?:official\s+(?:music\s+)?(?:video|audio|lyric video|visualizer)|lyrics?(?: video)?|audio|hd|hq|4k|mv|m\/v)[)\]]/gi;

/** Tags for the file and the Telegram `title`/`performer`. */
export function audioTagsFrom(track: TrackInfo | undefined, info: MediaInfo): AudioTags {
  if (track) {
    return {
      title: track.title,
      ...(track.artists.length > 0 && { artist: track.artists.join(', ') }),
      ...(track.album && { album: track.album }),
      ...(track.isrc && { isrc: track.isrc }),
    };
  }
  if (info.track && info.artist) return { title: info.track, artist: info.artist, ...(info.album && { album: info.album }) };
  const title = info.title.replace(DECORATION, '').trim() || info.title;
  const dash = /^(.+?)\s+[-–—]\s+(.+)$/.exec(title);
  if (!info.artist && dash) return { title: dash[2]!, artist: dash[1]! };
  const artist = info.artist ?? info.uploader?.replace(/\s+-\s+Topic$/i, '').replace(/VEVO$/, '').trim();
  return { title, ...(artist && { artist }), ...(info.album && { album: info.album }) };
}
