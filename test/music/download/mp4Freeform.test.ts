import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addMp4FreeformTag } from '../../../src/music/download/mp4Freeform.ts';
import { generateClip } from '../../helpers/mediaServer.ts';

const M = suite('MP4 freeform tag (ISRC)');
let dir: string;
M.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'mp4-tag-'));
});
M.after.each(() => rmSync(dir, { recursive: true, force: true }));

M('an ISRC added to an ffmpeg-made M4A is read back by ffmpeg, and the audio still decodes', async () => {
  const file = join(dir, 'a.m4a');
  execFileSync('ffmpeg', ['-v', 'error', '-i', await generateClip(1, 'm4a'), '-c', 'copy', '-metadata', 'title=T', '-f', 'ipod', file]);
  assert.is(await addMp4FreeformTag(file, 'ISRC', 'QZABC2400004'), true);
  const probe = execFileSync('ffmpeg', ['-hide_banner', '-i', file, '-f', 'ffmetadata', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  assert.match(probe, 'ISRC=QZABC2400004');
  assert.match(probe, 'title=T');
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-']);
});

M('a file with moov before mdat (fast start) or not an MP4 at all is left alone', async () => {
  const fast = join(dir, 'fast.m4a');
  execFileSync('ffmpeg', ['-v', 'error', '-i', await generateClip(1, 'm4a'), '-c', 'copy', '-metadata', 'title=T', '-movflags', '+faststart', '-f', 'ipod', fast]);
  const before = readFileSync(fast);
  assert.is(await addMp4FreeformTag(fast, 'ISRC', 'X'), false);
  assert.ok(readFileSync(fast).equals(before));
  const junk = join(dir, 'junk.m4a');
  writeFileSync(junk, 'not an mp4 at all');
  assert.is(await addMp4FreeformTag(junk, 'ISRC', 'X'), false);
});

M.run();
