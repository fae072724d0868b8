/**
 * The USLT writer on files it must not touch: anything but a plain ID3v2.3 tag is left
 * byte for byte as it was (the lyrics are a nicety, never worth a broken file).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addId3Lyrics } from '../../../src/music/download/id3Lyrics.ts';
import { generateClip } from '../../helpers/mediaServer.ts';

const U = suite('ID3 USLT lyrics');
let dir: string;
U.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'id3-lyrics-'));
});
U.after.each(() => rmSync(dir, { recursive: true, force: true }));

U('an ID3v2.4 tag, a file without a tag and a non-MP3 are left alone', async () => {
  const v24 = join(dir, 'v24.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-i', await generateClip(1, 'mp3'), '-c', 'copy', '-metadata', 'title=T', '-id3v2_version', '4', '-f', 'mp3', v24]);
  const bare = join(dir, 'bare.mp3');
  execFileSync('ffmpeg', ['-v', 'error', '-i', await generateClip(1, 'mp3'), '-c', 'copy', '-id3v2_version', '0', '-f', 'mp3', bare]);
  const junk = join(dir, 'junk.mp3');
  writeFileSync(junk, 'ID3 but not really');
  for (const file of [v24, bare, junk]) {
    const before = readFileSync(file);
    assert.is(await addId3Lyrics(file, 'words'), false, file);
    assert.ok(readFileSync(file).equals(before), file);
  }
});

U.run();
