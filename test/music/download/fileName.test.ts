import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioFileName } from '../../../src/music/download/downloader.ts';

const F = suite('audio file names');

F('a ";" never reaches Telegram: its multipart parser cuts the name there', () => {
  const name = audioFileName({ artist: 'Tyler; The Creator', title: 'EARFQUAKE; live' }, 'm4a');
  assert.is(name, 'Tyler The Creator - EARFQUAKE live.m4a');
  assert.not.ok(name.includes(';'));
});

F('path, control and quote characters go; an empty title still names the file', () => {
  assert.is(audioFileName({ title: 'AC/DC: "Back\\In" <Black>?\n' }, 'mp3'), 'AC DC Back In Black.mp3');
  assert.is(audioFileName({ title: ';;;' }, 'm4a'), 'audio.m4a');
});

F.run();
