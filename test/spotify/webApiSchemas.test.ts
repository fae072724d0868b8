import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TrackBody, pickCover, toTrackSummary } from '../../src/spotify/webApiSchemas.ts';

const Cover = suite('pickCover');
const img = (s: number | null) => ({ url: `u${s}`, width: s, height: s });

Cover('takes the largest cover that is at most 640 px', () => {
  assert.is(pickCover([img(64), img(640), img(300)]), 'u640');
  assert.is(pickCover([img(1280), img(300)]), 'u300');
});

Cover('falls back to an unsized image, then to the smallest oversized one', () => {
  assert.is(pickCover([img(1280), img(null)]), 'unull');
  assert.is(pickCover([img(2000), img(1000)]), 'u1000');
  assert.is(pickCover([]), undefined);
  assert.is(pickCover(null), undefined);
});

Cover.run();

const Track = suite('track body mapping');

Track('a local file without id, album or ISRC still maps, and extra fields are ignored', () => {
  const t = toTrackSummary(
    TrackBody.parse({ type: 'track', id: null, name: 'Home Tape', duration_ms: 1000, artists: [{ name: 'Me', extra: 1 }], is_local: true, album: null, new_field: {} }),
  );
  assert.equal(t, {
    id: null, title: 'Home Tape', artists: ['Me'], album: undefined, releaseDate: undefined, durationMs: 1000,
    isrc: undefined, coverUrl: undefined, spotifyUrl: undefined, uri: undefined, explicit: false, isLocal: true,
  });
});

Track('a track without a name or duration is refused', () => {
  assert.not.ok(TrackBody.safeParse({ type: 'track', id: 'x', artists: [] }).success);
});

Track.run();
