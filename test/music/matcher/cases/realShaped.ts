import { bare, bareTwin, factsOf, info, yt, type MatchCase } from './caseKit.ts';
import { NON_LATIN_CASES } from './nonLatin.ts';
import { TRAP_CASES } from './traps.ts';
import { WESTERN_CASES } from './western.ts';

const TWIN_GOOD: Readonly<Record<string, readonly string[]>> = {
  // Two Topic songs of the same track; only the ISRC told them apart.
  'ISRC hit wins even against a better-looking title': ['isrc', 'other'],
  // The label-channel upload had only its ISRC for it; the official video of equal length is the same recording.
  'ISRC hit on an otherwise anonymous upload': ['isrc', 'video'],
};

/**
 * Every hand-made case that has YouTube Music results, again with those results as yt-dlp
 * really prints them (bare; see `caseKit.ts`). `-J` gives no ISRC, so the two ISRC cases
 * are judged on title, artist and length, with the right answers of `TWIN_GOOD`.
 */
export const BARE_TWINS: readonly MatchCase[] = [...WESTERN_CASES, ...NON_LATIN_CASES, ...TRAP_CASES]
  .map((c) => bareTwin(c, TWIN_GOOD[c.name]))
  .filter((c): c is MatchCase => c !== undefined);

const topic = (artist: string) => `${artist} - Topic`;

/**
 * Scenes written from the YouTube Music Songs section as yt-dlp returns it: the Topic song
 * and other distributed audio (remixes, covers, karaoke, sped-up and extended editions),
 * all bare; `ytsearch` results (rich) alongside; `-J` facts per id.
 */
export const REAL_SHAPED_CASES: readonly MatchCase[] = [
  {
    // Issue 15: with bare entries an ordinary Deezer link (ISRC and length known) was only ever asked about.
    name: 'Deezer link, ISRC and length known: the bare Topic song is described and matched',
    original: { title: 'Midnight Train', artists: ['Mira Solen'], album: 'Harbour', durationSec: 213, isrc: 'FRZ202400111' },
    candidates: [
      bare('topic', 'Midnight Train'),
      bare('sped', 'Midnight Train (Sped Up)'),
      bare('karaoke', 'Midnight Train (Karaoke Version)'),
      yt('video', 'Mira Solen - Midnight Train (Official Music Video)', 'Mira Solen', 251, { views: 4_000_000 }),
      yt('fan', 'Midnight Train - Mira Solen', 'music box', 214, { views: 20_000 }),
    ],
    facts: factsOf(
      info('topic', 'Midnight Train', topic('Mira Solen'), 213, { artists: ['Mira Solen'], views: 900_000 }),
      info('sped', 'Midnight Train (Sped Up)', topic('Mira Solen'), 171, { artists: ['Mira Solen'] }),
      info('karaoke', 'Midnight Train (Karaoke Version)', topic('Karaoke Hits Band'), 212, { artists: ['Karaoke Hits Band'] }),
    ),
    good: ['topic'],
    bad: ['sped', 'karaoke'],
  },
  {
    // Issue 15: the same failure from an Apple Music link (iTunes lookup: length, no ISRC needed).
    name: 'Apple Music link: the bare Topic song beats a lyric re-upload once described',
    original: { title: 'Paper Lanterns', artists: ['Aurora Lane'], album: 'Night Drive', durationSec: 187 },
    candidates: [
      bare('topic', 'Paper Lanterns'),
      bare('instr', 'Paper Lanterns (Instrumental)'),
      yt('lyrics', 'Aurora Lane - Paper Lanterns (Lyrics)', 'Lyrical Lemonade Fans', 188, { views: 300_000 }),
      yt('live', 'Aurora Lane - Paper Lanterns (Live at KEXP)', 'KEXP', 240, { views: 150_000 }),
    ],
    facts: factsOf(
      info('topic', 'Paper Lanterns', topic('Aurora Lane'), 187, { artists: ['Aurora Lane'] }),
      info('instr', 'Paper Lanterns (Instrumental)', topic('Aurora Lane'), 187, { artists: ['Aurora Lane'] }),
    ),
    good: ['topic'],
    bad: ['instr', 'live'],
  },
  {
    // Issue 15: a re-release of the extended cut under the plain title, bare, beat the fitting upload.
    name: 'Spotify link: a bare re-release 95 s longer never beats the upload whose length fits',
    original: { title: 'Afterglow', artists: ['Kestrel'], album: 'Tidewater', durationSec: 201, isrc: 'QZABC2400321' },
    candidates: [
      bare('reup', 'Afterglow'),
      bare('ext', 'Afterglow (Extended Mix)'),
      yt('audio', 'Kestrel - Afterglow (Official Audio)', 'Kestrel', 202, { views: 1_200_000 }),
      yt('video', 'Kestrel - Afterglow (Official Video)', 'Kestrel', 236, { views: 5_000_000 }),
    ],
    facts: factsOf(
      info('reup', 'Afterglow', topic('Club Night Records'), 296, { artists: ['Kestrel'] }),
      info('ext', 'Afterglow (Extended Mix)', topic('Kestrel'), 296, { artists: ['Kestrel'] }),
    ),
    good: ['audio'],
    bad: ['reup', 'ext', 'video'],
  },
  {
    name: 'Spotify link, the same re-release but describing fails: the fitting upload still wins',
    original: { title: 'Afterglow', artists: ['Kestrel'], durationSec: 201 },
    candidates: [bare('reup', 'Afterglow'), yt('audio', 'Kestrel - Afterglow (Official Audio)', 'Kestrel', 202, { views: 1_200_000 })],
    facts: {},
    good: ['audio'],
    bad: ['reup'],
  },
  {
    name: 'only bare songs and describing fails: the user is asked, nothing is guessed',
    original: { title: 'Salt Roads', artists: ['Kestrel'], durationSec: 175 },
    candidates: [bare('a', 'Salt Roads'), bare('b', 'Salt Roads (Slowed)')],
    facts: {},
    good: [],
    bad: ['b'],
  },
  {
    name: 'a cover release listed first in Songs loses to the Topic song listed second',
    original: { title: 'Harbour Lights', artists: ['Mira Solen', 'Kestrel'], durationSec: 244 },
    candidates: [bare('cover', 'Harbour Lights'), bare('topic', 'Harbour Lights'), bare('piano', 'Harbour Lights (Piano Version)')],
    facts: factsOf(
      info('cover', 'Harbour Lights', topic('Acoustic Covers Club'), 243, { artists: ['Acoustic Covers Club'] }),
      info('topic', 'Harbour Lights', topic('Mira Solen'), 244, { artists: ['Mira Solen', 'Kestrel'] }),
      info('piano', 'Harbour Lights (Piano Version)', topic('Piano Dreams'), 239, { artists: ['Piano Dreams'] }),
    ),
    good: ['topic'],
    bad: ['cover', 'piano'],
  },
  {
    name: 'no Topic song, only an instrumental release: the music video of the right length is right',
    original: { title: 'Glass Harbour', artists: ['The Northern Lanes'], durationSec: 224 },
    candidates: [
      bare('instr', 'Glass Harbour (Instrumental)'),
      yt('video', 'The Northern Lanes - Glass Harbour (Official Video)', 'The Northern Lanes', 225, { views: 800_000 }),
      yt('live', 'The Northern Lanes - Glass Harbour (Live)', 'The Northern Lanes', 260, { views: 90_000 }),
    ],
    facts: factsOf(info('instr', 'Glass Harbour (Instrumental)', topic('The Northern Lanes'), 224, { artists: ['The Northern Lanes'] })),
    good: ['video'],
    bad: ['instr', 'live'],
  },
  {
    name: 'a featuring credit: the Topic song without "feat." in its title, credits from -J',
    original: { title: 'Northern Star (feat. Aurora Lane)', artists: ['Kestrel', 'Aurora Lane'], durationSec: 198 },
    candidates: [
      bare('topic', 'Northern Star'),
      bare('remix', 'Northern Star (Kid Static Remix)'),
      yt('video', 'Kestrel ft. Aurora Lane - Northern Star (Official Video)', 'Kestrel', 230, { views: 2_000_000 }),
    ],
    facts: factsOf(
      info('topic', 'Northern Star', topic('Kestrel'), 198, { artists: ['Kestrel', 'Aurora Lane'] }),
      info('remix', 'Northern Star (Kid Static Remix)', topic('Kestrel'), 205, { artists: ['Kestrel', 'Aurora Lane', 'Kid Static'] }),
    ),
    good: ['topic'],
    bad: ['remix'],
  },
  {
    name: 'Сплин – Выхода нет: the bare Topic song in Cyrillic, a slowed release and a cover lose',
    original: { title: 'Выхода нет', artists: ['Сплин'], durationSec: 246 },
    candidates: [
      bare('topic', 'Выхода нет'),
      bare('slowed', 'Выхода нет (Slowed)'),
      bare('cover', 'Выхода нет'),
      yt('clip', 'Сплин - Выхода нет (клип)', 'Сплин', 250, { views: 30_000_000 }),
    ],
    facts: factsOf(
      info('topic', 'Выхода нет', topic('Сплин'), 246, { artists: ['Сплин'] }),
      info('slowed', 'Выхода нет (Slowed)', topic('Сплин'), 290, { artists: ['Сплин'] }),
      info('cover', 'Выхода нет', topic('Гитарный кавер'), 240, { artists: ['Гитарный кавер'] }),
    ),
    good: ['topic', 'clip'],
    bad: ['slowed', 'cover'],
  },
  {
    name: 'Ado – うっせぇわ: the bare Topic song, an "歌ってみた" cover release loses',
    original: { title: 'うっせぇわ', artists: ['Ado'], durationSec: 204 },
    candidates: [
      bare('cover', 'うっせぇわ (歌ってみた)'),
      bare('topic', 'うっせぇわ'),
      yt('mv', '【Ado】うっせぇわ', 'Ado', 206, { views: 300_000_000 }),
    ],
    facts: factsOf(
      info('cover', 'うっせぇわ (歌ってみた)', topic('Utaite Cover'), 205, { artists: ['Utaite Cover'] }),
      info('topic', 'うっせぇわ', topic('Ado'), 204, { artists: ['Ado'] }),
    ),
    good: ['topic', 'mv'],
    bad: ['cover'],
  },
  {
    name: 'AKMU – 어떻게 이별까지 사랑하겠어, 널 사랑하는 거지: a long Korean title, the Topic song, an instrumental loses',
    original: { title: '어떻게 이별까지 사랑하겠어, 널 사랑하는 거지', artists: ['AKMU'], durationSec: 289 },
    candidates: [
      bare('topic', '어떻게 이별까지 사랑하겠어, 널 사랑하는 거지'),
      bare('inst', '어떻게 이별까지 사랑하겠어, 널 사랑하는 거지 (Inst.)'),
      yt('mv', 'AKMU - 어떻게 이별까지 사랑하겠어, 널 사랑하는 거지 M/V', 'YG ENTERTAINMENT', 296, { views: 200_000_000 }),
    ],
    facts: factsOf(
      info('topic', '어떻게 이별까지 사랑하겠어, 널 사랑하는 거지', topic('AKMU'), 289, { artists: ['AKMU'] }),
      info('inst', '어떻게 이별까지 사랑하겠어, 널 사랑하는 거지 (Inst.)', topic('AKMU'), 289, { artists: ['AKMU'] }),
    ),
    good: ['topic', 'mv'],
    bad: ['inst'],
  },
];
