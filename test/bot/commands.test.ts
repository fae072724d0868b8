/**
 * The command menu: `/search` is offered, in both languages, when the bot has the music
 * pipeline (which searches), and left out without it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandMenu } from '../../src/bot/commands.ts';

test('/search is in the menu in English and Russian when music is on, after /start and /help', () => {
  const on = { spotify: false, lyrics: false, search: true };
  assert.equal(commandMenu('en', on), [
    { command: 'start', description: 'Start the bot' },
    { command: 'help', description: commandMenu('en', on)[1]!.description },
    { command: 'search', description: 'Find a song by its name' },
  ]);
  assert.equal(commandMenu('ru', on)[2], { command: 'search', description: 'Найти песню по названию' });
});

test('without the music pipeline there is no /search in the menu', () => {
  assert.not.ok(commandMenu('en', { spotify: true, lyrics: true, search: false }).some((c) => c.command === 'search'));
});

test.run();
