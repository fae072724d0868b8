import { sc, yt, ytm, type MatchCase } from './caseKit.ts';

/** ISRC hits, duration traps, re-uploads, SoundCloud, and cases with no right answer. */
export const TRAP_CASES: readonly MatchCase[] = [
  {
    name: 'ISRC hit wins even against a better-looking title',
    original: { title: 'Levitating (feat. DaBaby)', artists: ['Dua Lipa', 'DaBaby'], durationSec: 203, isrc: 'GBAHT2000942' },
    candidates: [
      yt('video', 'Dua Lipa - Levitating Featuring DaBaby (Official Music Video)', 'Dua Lipa', 250, { views: 700_000_000 }),
      ytm('isrc', 'Levitating', 'Dua Lipa - Topic', 204, { artists: ['Dua Lipa'], isrc: 'GB-AHT-20-00942' }),
      ytm('other', 'Levitating (feat. DaBaby)', 'Dua Lipa - Topic', 203, { artists: ['Dua Lipa', 'DaBaby'], isrc: 'GBAHT2001234' }),
    ],
    good: ['isrc'],
    bad: [],
  },
  {
    name: 'ISRC hit on an otherwise anonymous upload',
    original: { title: 'Midnight City', artists: ['M83'], durationSec: 244, isrc: 'FRZ201100432' },
    candidates: [
      yt('remix', 'M83 - Midnight City (Eric Prydz Remix)', 'Eric Prydz', 250, { views: 10_000_000 }),
      ytm('isrc', 'Midnight City', 'Hurry Up, We\'re Dreaming', 244, { isrc: 'FRZ201100432' }),
      yt('video', 'M83 \'Midnight City\' Official video', 'M83', 244, { views: 200_000_000 }),
    ],
    good: ['isrc'],
    bad: ['remix'],
  },
  {
    name: 'duration trap: the same title and artist 40 s longer is another cut',
    original: { title: 'Sweet Child O\' Mine', artists: ['Guns N\' Roses'], durationSec: 356 },
    candidates: [
      yt('video', 'Guns N\' Roses - Sweet Child O\' Mine (Official Music Video)', 'GunsNRosesVEVO', 303, { views: 1_500_000_000 }),
      ytm('radio', 'Sweet Child O\' Mine (Radio Edit)', 'Guns N\' Roses - Topic', 240, { artists: ['Guns N\' Roses'] }),
      ytm('topic', 'Sweet Child O\' Mine', 'Guns N\' Roses - Topic', 356, { artists: ['Guns N\' Roses'] }),
    ],
    good: ['topic'],
    bad: [],
  },
  {
    name: 'duration trap: every candidate is more than 15 s off, nothing is picked',
    original: { title: 'November Rain', artists: ['Guns N\' Roses'], durationSec: 537 },
    candidates: [
      yt('video', 'Guns N\' Roses - November Rain', 'GunsNRosesVEVO', 563, { views: 2_000_000_000 }),
      yt('edit', 'November Rain (Radio Edit)', 'GNR fan', 300, { views: 100_000 }),
    ],
    good: [],
    bad: [],
  },
  {
    name: 'a re-upload on a fan channel is right when it is all there is',
    original: { title: 'Tek It', artists: ['Cafuné'], durationSec: 191 },
    candidates: [
      yt('reupload', 'Cafuné - Tek It (I Watch the Moon)', 'Indie Music Uploads', 192, { views: 4_000_000 }),
      yt('slowed', 'Cafuné - Tek It (slowed + reverb) I watch the moon', 'slowed', 230, { views: 20_000_000 }),
      yt('sped', 'tek it - cafuné (sped up) tiktok version', 'sped up', 180, { views: 30_000_000 }),
    ],
    good: ['reupload'],
    bad: ['slowed', 'sped'],
  },
  {
    name: 'a SoundCloud result from the artist is right',
    original: { title: 'Flickermood', artists: ['Forss'], durationSec: 213 },
    candidates: [
      sc('forss/flickermood', 'Flickermood', 'Forss', 213),
      sc('dj/flickermood-remix', 'Forss - Flickermood (DJ Remix)', 'some dj', 220),
    ],
    good: ['forss/flickermood'],
    bad: ['forss-remix', 'dj/flickermood-remix'],
  },
  {
    name: 'only altered versions exist: nothing is matched with confidence',
    original: { title: 'Blinding Lights', artists: ['The Weeknd'], durationSec: 200 },
    candidates: [
      yt('slowed', 'The Weeknd - Blinding Lights (slowed + reverb)', 'slowed vibes', 210, { views: 9_000_000 }),
      yt('remix', 'The Weeknd - Blinding Lights (Chromatics Remix)', 'The Weeknd', 205, { views: 4_000_000 }),
      yt('karaoke', 'Blinding Lights - The Weeknd (Karaoke Version)', 'Sing King', 201, { views: 2_000_000 }),
    ],
    good: [],
    bad: ['slowed', 'remix', 'karaoke'],
  },
  {
    name: 'an obscure track with only unrelated results gives nothing',
    original: { title: 'Paper Lanterns Over Tallinn', artists: ['Tiny Harbor'], durationSec: 214 },
    candidates: [
      yt('a', 'Lanterns - Birds of Tokyo (Official Video)', 'Birds of Tokyo', 220, { views: 9_000_000 }),
      yt('b', 'Tallinn Old Town walking tour 4K', 'Walks', 210, { views: 100_000 }),
      yt('c', 'Paper Planes - M.I.A.', 'MIAVEVO', 205, { views: 300_000_000 }),
    ],
    good: [],
    bad: [],
  },
  {
    name: 'the right title by the wrong artist, same length, is not a match',
    original: { title: 'Sorry', artists: ['Justin Bieber'], durationSec: 200 },
    candidates: [
      ytm('halsey', 'Sorry', 'Halsey - Topic', 200, { artists: ['Halsey'] }),
      yt('beyonce', 'Beyoncé - Sorry (Video)', 'BeyonceVEVO', 233, { views: 200_000_000 }),
    ],
    good: [],
    bad: [],
  },
  {
    name: 'the right song found among wrong artists',
    original: { title: 'Sorry', artists: ['Justin Bieber'], durationSec: 200 },
    candidates: [
      ytm('halsey', 'Sorry', 'Halsey - Topic', 200, { artists: ['Halsey'] }),
      yt('dance', 'Justin Bieber - Sorry (PURPOSE : The Movement)', 'JustinBieberVEVO', 206, { views: 3_700_000_000 }),
      ytm('topic', 'Sorry', 'Justin Bieber - Topic', 200, { artists: ['Justin Bieber'] }),
    ],
    good: ['topic', 'dance'],
    bad: [],
  },
  {
    name: 'no candidates at all',
    original: { title: 'Anything', artists: ['Anyone'], durationSec: 180 },
    candidates: [],
    good: [],
    bad: [],
  },
];
