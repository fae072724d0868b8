/**
 * Real-world shapes of music links as users paste them, each with the canonical keys the
 * parser must produce (in message order). Shared by the parser's table test.
 */
export interface UrlShape {
  readonly name: string;
  readonly text: string;
  readonly keys: readonly string[];
  /** Hosts that must be reported as unsupported (default: none). */
  readonly unsupported?: readonly string[];
}

const SP = '4uLU6hMCjMI75M1A2tKUQC';
const SP_ALBUM = '6N9PS4QXF1D0OWPk0Sxtb4';
const SP_LIST = '37i9dQZF1DXcBWIGoYBM5M';
const SP_ARTIST = '0gxyHStUsqpMadRV0Di1Qt';
const YT = 'dQw4w9WgXcQ';
const YT2 = 'kJQP7kiw5Fk';

export const URL_SHAPES: readonly UrlShape[] = [
  // Spotify
  { name: 'spotify track share with si', text: `https://open.spotify.com/track/${SP}?si=1a2b3c4d5e6f4a7b`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify intl-de prefix', text: `https://open.spotify.com/intl-de/track/${SP}?si=x&context=spotify%3Aplaylist%3A${SP_LIST}`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify intl-pt-br prefix', text: `open.spotify.com/intl-pt-br/track/${SP}`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify without scheme', text: `open.spotify.com/track/${SP}`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify album', text: `https://open.spotify.com/album/${SP_ALBUM}?si=abc`, keys: [`spotify:album:${SP_ALBUM}`] },
  { name: 'spotify playlist', text: `https://open.spotify.com/playlist/${SP_LIST}?si=abc&pt=xyz`, keys: [`spotify:playlist:${SP_LIST}`] },
  { name: 'spotify old user playlist', text: `https://open.spotify.com/user/spotify/playlist/${SP_LIST}`, keys: [`spotify:playlist:${SP_LIST}`] },
  { name: 'spotify artist', text: `https://open.spotify.com/artist/${SP_ARTIST}`, keys: [`spotify:artist:${SP_ARTIST}`] },
  { name: 'spotify embed', text: `<iframe src="https://open.spotify.com/embed/track/${SP}?utm_source=generator">`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify track uri', text: `spotify:track:${SP}`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify uri in a sentence', text: `play spotify:album:${SP_ALBUM}, please`, keys: [`spotify:album:${SP_ALBUM}`] },
  { name: 'spotify short link', text: 'https://spotify.link/AbCdEfGhIjK', keys: ['spotify:short:spotify.link/AbCdEfGhIjK'] },
  { name: 'spotify branch link', text: 'https://spotify.app.link/AbCdEfGhIjK?_p=c11b2', keys: ['spotify:short:spotify.app.link/AbCdEfGhIjK'] },
  { name: 'old play.spotify.com', text: `http://play.spotify.com/track/${SP}`, keys: [`spotify:track:${SP}`] },
  { name: 'spotify upper-case scheme and host', text: `HTTPS://OPEN.SPOTIFY.COM/track/${SP}`, keys: [`spotify:track:${SP}`] },
  // Yandex Music
  { name: 'yandex album/track', text: 'https://music.yandex.ru/album/4766/track/57703?utm_medium=copy_link', keys: ['yandex:track:57703'] },
  { name: 'yandex .com track only', text: 'https://music.yandex.com/track/57703', keys: ['yandex:track:57703'] },
  { name: 'yandex .by', text: 'music.yandex.by/album/4766/track/57703', keys: ['yandex:track:57703'] },
  { name: 'yandex .kz', text: 'https://music.yandex.kz/album/4766/track/57703/', keys: ['yandex:track:57703'] },
  { name: 'yandex .uz', text: 'https://music.yandex.uz/album/4766/track/57703', keys: ['yandex:track:57703'] },
  { name: 'yandex album', text: 'https://music.yandex.ru/album/4766', keys: ['yandex:album:4766'] },
  { name: 'yandex user playlist', text: 'https://music.yandex.ru/users/music-blog/playlists/2482', keys: ['yandex:playlist:music-blog/2482'] },
  { name: 'yandex artist', text: 'https://music.yandex.ru/artist/41191', keys: ['yandex:artist:41191'] },
  // YouTube
  { name: 'youtube watch', text: `https://www.youtube.com/watch?v=${YT}`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube watch with list and index', text: `https://www.youtube.com/watch?v=${YT}&list=RD${YT}&index=1&pp=8AUB`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube v not first', text: `https://www.youtube.com/watch?feature=share&v=${YT}&t=42s`, keys: [`youtube:video:${YT}`] },
  { name: 'youtu.be with si', text: `https://youtu.be/${YT}?si=Qx8LmNo12`, keys: [`youtube:video:${YT}`] },
  { name: 'youtu.be bare', text: `youtu.be/${YT}`, keys: [`youtube:video:${YT}`] },
  { name: 'mobile youtube', text: `https://m.youtube.com/watch?v=${YT}&feature=youtu.be`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube shorts', text: `https://youtube.com/shorts/${YT}?feature=share`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube music', text: `https://music.youtube.com/watch?v=${YT}&si=abc`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube embed', text: `https://www.youtube.com/embed/${YT}?autoplay=1`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube nocookie embed', text: `https://www.youtube-nocookie.com/embed/${YT}`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube live', text: `https://www.youtube.com/live/${YT}?si=abc`, keys: [`youtube:video:${YT}`] },
  { name: 'youtube playlist', text: 'https://www.youtube.com/playlist?list=PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI', keys: ['youtube:playlist:PLFgquLnL59alCl_2TQvOiD5Vgm1hCaGSI'] },
  { name: 'youtube id ending in dash and underscore', text: 'look youtu.be/abcdefghi-_', keys: ['youtube:video:abcdefghi-_'] },
  // SoundCloud
  { name: 'soundcloud track', text: 'https://soundcloud.com/forss/flickermood', keys: ['soundcloud:track:forss/flickermood'] },
  { name: 'soundcloud track with utm', text: 'https://soundcloud.com/forss/flickermood?utm_source=clipboard&utm_medium=text&utm_campaign=social_sharing', keys: ['soundcloud:track:forss/flickermood'] },
  { name: 'soundcloud mobile host', text: 'https://m.soundcloud.com/forss/flickermood', keys: ['soundcloud:track:forss/flickermood'] },
  { name: 'soundcloud www and case', text: 'www.soundcloud.com/Forss/FlickerMood', keys: ['soundcloud:track:forss/flickermood'] },
  { name: 'soundcloud private track', text: 'https://soundcloud.com/forss/flickermood/s-AbCdEfGh123', keys: ['soundcloud:track:forss/flickermood/private'] },
  { name: 'soundcloud set', text: 'https://soundcloud.com/forss/sets/soulhack', keys: ['soundcloud:playlist:forss/soulhack'] },
  { name: 'soundcloud short', text: 'https://on.soundcloud.com/aBcD1234EfGh', keys: ['soundcloud:short:on.soundcloud.com/aBcD1234EfGh'] },
  { name: 'soundcloud artist', text: 'https://soundcloud.com/forss', keys: ['soundcloud:artist:forss'] },
  // Apple Music
  { name: 'apple album with i', text: 'https://music.apple.com/us/album/never-gonna-give-you-up/1558533900?i=1558534271', keys: ['apple:track:1558534271'] },
  { name: 'apple album without i', text: 'https://music.apple.com/gb/album/whenever-you-need-somebody/1558533900', keys: ['apple:album:1558533900'] },
  { name: 'apple song', text: 'https://music.apple.com/ru/song/never-gonna-give-you-up/1558534271', keys: ['apple:track:1558534271'] },
  { name: 'apple without country', text: 'https://music.apple.com/album/1558533900?i=1558534271&ls', keys: ['apple:track:1558534271'] },
  { name: 'apple itunes style', text: 'https://itunes.apple.com/us/album/never-gonna-give-you-up/id1558533900?i=1558534271&uo=4', keys: ['apple:track:1558534271'] },
  { name: 'apple playlist', text: 'https://music.apple.com/us/playlist/todays-hits/pl.f4d106fed2bd41149aaacabb233eb5eb', keys: ['apple:playlist:pl.f4d106fed2bd41149aaacabb233eb5eb'] },
  // Deezer
  { name: 'deezer with lang', text: 'https://www.deezer.com/fr/track/3135556?utm_source=deezer&utm_content=track-3135556', keys: ['deezer:track:3135556'] },
  { name: 'deezer without lang', text: 'deezer.com/track/3135556', keys: ['deezer:track:3135556'] },
  { name: 'deezer album', text: 'https://www.deezer.com/en/album/302127', keys: ['deezer:album:302127'] },
  { name: 'deezer link.deezer.com short', text: 'https://link.deezer.com/s/30Abcd1234', keys: ['deezer:short:link.deezer.com/s/30Abcd1234'] },
  { name: 'deezer page.link short', text: 'https://deezer.page.link/AbCdEf12345', keys: ['deezer:short:deezer.page.link/AbCdEf12345'] },
  // Tidal
  { name: 'tidal track', text: 'https://tidal.com/track/77640617', keys: ['tidal:track:77640617'] },
  { name: 'tidal browse track with u', text: 'https://tidal.com/browse/track/77640617/u', keys: ['tidal:track:77640617'] },
  { name: 'tidal listen', text: 'https://listen.tidal.com/track/77640617?u', keys: ['tidal:track:77640617'] },
  { name: 'tidal album/track', text: 'https://listen.tidal.com/album/77640616/track/77640617', keys: ['tidal:track:77640617'] },
  { name: 'tidal album', text: 'https://tidal.com/browse/album/77640616', keys: ['tidal:album:77640616'] },
  // Junk around links
  { name: 'trailing dot ends a sentence', text: `Listen to this: https://youtu.be/${YT}.`, keys: [`youtube:video:${YT}`] },
  { name: 'in parentheses', text: `(see https://open.spotify.com/track/${SP})`, keys: [`spotify:track:${SP}`] },
  { name: 'in angle brackets', text: `<https://www.deezer.com/track/3135556>`, keys: ['deezer:track:3135556'] },
  { name: 'markdown link', text: `[my jam](https://soundcloud.com/forss/flickermood)!`, keys: ['soundcloud:track:forss/flickermood'] },
  { name: 'markdown link with url as text', text: `[https://youtu.be/${YT}](https://youtu.be/${YT})`, keys: [`youtube:video:${YT}`] },
  { name: 'bold markdown', text: `**https://tidal.com/browse/track/77640617**`, keys: ['tidal:track:77640617'] },
  { name: 'quoted in russian', text: `лови «https://music.yandex.ru/album/4766/track/57703», огонь!!!`, keys: ['yandex:track:57703'] },
  { name: 'trailing comma and ellipsis', text: `first youtu.be/${YT}, then youtu.be/${YT2}…`, keys: [`youtube:video:${YT}`, `youtube:video:${YT2}`] },
  { name: 'no space after a word', text: `трек:https://open.spotify.com/track/${SP}`, keys: [`spotify:track:${SP}`] },
  { name: 'newline separated', text: `one\nhttps://www.youtube.com/watch?v=${YT}\ntwo\nhttps://www.deezer.com/track/3135556`, keys: [`youtube:video:${YT}`, 'deezer:track:3135556'] },
  // Several, duplicates
  { name: 'several platforms in order', text: `a https://tidal.com/track/1 b open.spotify.com/track/${SP} c youtu.be/${YT}`, keys: ['tidal:track:1', `spotify:track:${SP}`, `youtube:video:${YT}`] },
  { name: 'same video three ways is one link', text: `youtu.be/${YT} https://www.youtube.com/watch?v=${YT} https://music.youtube.com/watch?v=${YT}&feature=share`, keys: [`youtube:video:${YT}`] },
  { name: 'uri and url of one track are one link', text: `spotify:track:${SP} https://open.spotify.com/track/${SP}?si=z`, keys: [`spotify:track:${SP}`] },
  // Lookalikes and unrelated hosts
  { name: 'lookalike suffix host', text: `https://open.spotify.com.evil.tld/track/${SP}`, keys: [] },
  { name: 'lookalike prefix host', text: `https://notyoutube.com/watch?v=${YT}`, keys: [] },
  { name: 'lookalike bare host', text: `notyoutube.com/watch?v=${YT}`, keys: [] },
  { name: 'userinfo trick', text: `https://open.spotify.com@evil.tld/track/${SP}`, keys: [] },
  { name: 'host in path of another site', text: `https://evil.tld/open.spotify.com/track/${SP}`, keys: [] },
  { name: 'cyrillic homograph host', text: `https://open.ѕpotify.com/track/${SP}`, keys: [] },
  { name: 'non-music site', text: 'see https://example.com/track/123 and github.com/foo/bar', keys: [] },
  { name: 'bad spotify id length', text: 'https://open.spotify.com/track/abc123', keys: [], unsupported: ['open.spotify.com'] },
  { name: 'bad youtube id', text: 'https://www.youtube.com/watch?v=short', keys: [], unsupported: ['youtube.com'] },
  // Unsupported
  { name: 'bandcamp is unsupported', text: 'https://artist.bandcamp.com/track/song-name', keys: [], unsupported: ['artist.bandcamp.com'] },
  { name: 'vk audio is unsupported', text: 'https://vk.com/audio-2001_123', keys: [], unsupported: ['vk.com'] },
  { name: 'plain vk is not music', text: 'https://vk.com/id1', keys: [] },
  { name: 'amazon music is unsupported', text: 'https://music.amazon.de/albums/B0000?trackAsin=B0001', keys: [], unsupported: ['music.amazon.de'] },
  { name: 'spotify podcast is unsupported', text: `https://open.spotify.com/episode/${SP}`, keys: [], unsupported: ['open.spotify.com'] },
  { name: 'youtube channel handle is unsupported', text: 'https://www.youtube.com/@RickAstleyYT', keys: [], unsupported: ['youtube.com'] },
  { name: 'zvuk next to a real link', text: `https://zvuk.com/track/123 и https://youtu.be/${YT}`, keys: [`youtube:video:${YT}`], unsupported: ['zvuk.com'] },
];
