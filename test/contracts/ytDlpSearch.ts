/**
 * What yt-dlp really prints for the searches the bot runs (`-J --flat-playlist`), derived
 * by reading yt-dlp's source. The fake of `test/helpers/fakeYtDlpSearch.ts` must print no
 * field beyond these (checked by `test/music/search/fakeYtDlpSearch.test.ts`).
 *
 * Sources (yt-dlp 2026.08.19, commit 81ecd58b1394793e6da9998cc19fdb45657f1685; the
 * installed Debian 2023.03.04 in /usr/lib/python3/dist-packages/yt_dlp agrees except where
 * noted):
 * - `yt_dlp/extractor/youtube/_tab.py` 252-259 `_music_reponsive_list_entry`: a YouTube
 *   Music song row becomes `self.url_result('https://music.youtube.com/watch?v=<id>',
 *   ie=YoutubeIE.ie_key(), video_id=video_id, title=<first run of the first flex column>)`.
 *   2023.03.04 (`youtube.py` 4517-4521) passes no title at all.
 * - `yt_dlp/extractor/common.py` 1276-1288 `url_result`: `{**kwargs, _type: 'url', url}`
 *   with `ie_key`, `id`, `title` from the arguments; nothing else.
 * - `yt_dlp/YoutubeDL.py` 1927-1940 `process_ie_result`: with `extract_flat='in_playlist'`
 *   (`--flat-playlist`) the *unchanged* url result is returned (the copy given the extra
 *   info is only used for printing); 2149 `__process_playlist` sets
 *   `entry['__x_forwarded_for_ip']` (null without geo bypass); 3698-3700 `-J` dumps
 *   `sanitize_info(res)` without removing private keys or nulls, and 3746-3753 adds
 *   `epoch`, `_type` and `_version` to the top document only.
 * - `yt_dlp/extractor/youtube/_tab.py` 76-169 `_extract_video`: a `ytsearchN:` row.
 *   A real `-J --flat-playlist` run of the installed yt-dlp against a local page of
 *   YouTube embeds (127.0.0.1) showed the same envelope: entries with `ie_key`, `_type`,
 *   `url`, `__x_forwarded_for_ip`; the document with `webpage_url`, `original_url`,
 *   `webpage_url_basename`, `webpage_url_domain`, `extractor`, `extractor_key`,
 *   `requested_entries` (with `-I`), `playlist_count`, `epoch`, `_version`.
 */

/** Every key a YouTube Music song-search entry can have (`_music_reponsive_list_entry`). */
export const YTM_SEARCH_ENTRY_FIELDS = ['ie_key', 'id', 'title', '_type', 'url', '__x_forwarded_for_ip'] as const;

/** Every key a `ytsearchN:` entry can have (`_extract_video` of `_tab.py` 140-169). */
export const YTSEARCH_ENTRY_FIELDS = [
  '_type', 'ie_key', 'id', 'url', 'title', 'description', 'duration', 'channel_id', 'channel', 'channel_url',
  'uploader', 'uploader_id', 'uploader_url', 'thumbnails', 'timestamp', 'release_timestamp', 'availability',
  'view_count', 'concurrent_view_count', 'live_status', 'channel_is_verified', '__x_forwarded_for_ip',
] as const;

/** Keys of the search document itself (`playlist_result` + `add_default_extra_info` + `sanitize_info`). */
export const SEARCH_DOCUMENT_FIELDS = [
  'id', 'title', '_type', 'entries', 'webpage_url', 'original_url', 'webpage_url_basename', 'webpage_url_domain',
  'extractor', 'extractor_key', 'requested_entries', 'playlist_count', 'epoch', '_version',
] as const;

/** Fields the YouTube Music song entry never has: what only `-J <watch url>` tells. */
export const NOT_IN_YTM_SEARCH = ['duration', 'channel', 'uploader', 'artists', 'artist', 'view_count', 'album', 'track'] as const;
