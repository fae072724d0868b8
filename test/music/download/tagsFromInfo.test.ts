import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioTagsFrom } from '../../../src/music/download/tagsFromInfo.ts';

const T = suite('tags for the file');
const info = (over: Record<string, unknown>) => ({ id: 'x', title: 'x', isLive: false, webpageUrl: 'u', ...over });

T("the link's own metadata wins (title, all artists, album, ISRC)", () => {
  const tags = audioTagsFrom({ platform: 'spotify', pageUrl: 'u', title: 'Song', artists: ['A', 'B'], album: 'Al', isrc: 'QZ1' }, info({ title: 'other' }));
  assert.equal(tags, { title: 'Song', artist: 'A, B', album: 'Al', isrc: 'QZ1' });
});

T("YouTube Music's track and artist fields come next", () => {
  assert.equal(audioTagsFrom(undefined, info({ title: 'Band - Song (Official Video)', track: 'Song', artist: 'Band' })), { title: 'Song', artist: 'Band' });
});

T('else "Artist - Title (Official Video)" is split and cleaned, else the channel without " - Topic"', () => {
  assert.equal(audioTagsFrom(undefined, info({ title: 'Band - Song (Official Video)', uploader: 'BandVEVO' })), { title: 'Song', artist: 'Band' });
  assert.equal(audioTagsFrom(undefined, info({ title: 'Song [Lyrics]', uploader: 'Band - Topic' })), { title: 'Song', artist: 'Band' });
});

T.run();
