/**
 * The Telegram contract checker: known-good calls pass, the mistakes Telegram rejects are
 * named with their path, and the committed contract matches the spec when the spec is here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { contractPath, deriveFromFile, specPath } from '../../scripts/derive-telegram-contract.ts';
import { formatViolations, validateCall, validateObject, validateResult } from './telegramContract.ts';

const Contract = suite('telegramContract');

const keyboard = { inline_keyboard: [[{ text: '⬇️ Download', callback_data: 'dl:1' }, { text: 'Open', url: 'https://open.spotify.com/track/1' }]] };
const problems = (v: { path: string; problem: string }[]): string => formatViolations(v);

Contract('well-formed calls the bot makes pass', () => {
  const good: [string, Record<string, unknown>][] = [
    ['getMe', {}],
    ['getUpdates', { offset: 5, limit: 100, timeout: 30, allowed_updates: ['message', 'callback_query'] }],
    ['sendMessage', { chat_id: 42, text: 'hi', reply_markup: keyboard, link_preview_options: { is_disabled: true } }],
    ['sendMessage', { chat_id: '@channel', text: '<b>hi</b>', parse_mode: 'HTML' }],
    ['setMyCommands', { commands: [{ command: 'now', description: 'Now playing' }], language_code: 'ru', scope: { type: 'all_private_chats' } }],
    ['answerInlineQuery', {
      inline_query_id: '7',
      results: [
        { type: 'audio', id: 'a1', audio_file_id: 'FILE' },
        { type: 'article', id: 'a2', title: 'Song', input_message_content: { message_text: 'Song – Artist' }, reply_markup: keyboard },
      ],
      is_personal: true,
      cache_time: 0,
      button: { text: 'Connect Spotify', start_parameter: 'login' },
    }],
    ['answerCallbackQuery', { callback_query_id: '9', text: 'Done' }],
    ['editMessageText', { chat_id: 42, message_id: 3, text: 'edited', reply_markup: keyboard }],
  ];
  for (const [method, params] of good) assert.is(problems(validateCall(method, params)), '', method);
});

Contract('an unknown method, a missing parameter and a typo in a parameter name are reported', () => {
  assert.equal(validateCall('sendMesage', { chat_id: 1, text: 'x' }), [{ path: 'sendMesage', problem: 'unknown method' }]);
  const found = problems(validateCall('sendMessage', { chat_id: 1, txet: 'x' }));
  assert.match(found, 'text: missing required parameter');
  assert.match(found, 'txet: unknown parameter of sendMessage');
});

Contract('wrong basic types are reported with what was expected', () => {
  const found = problems(validateCall('sendMessage', { chat_id: true, text: 5, disable_notification: 'yes' }));
  assert.match(found, 'chat_id: expected Integer or String, got boolean');
  assert.match(found, 'text: expected String, got number');
  assert.match(found, 'disable_notification: expected Boolean, got string');
});

Contract('a keyboard button without an action or with callback data over 64 bytes is reported', () => {
  const markup = { inline_keyboard: [[{ text: 'plain' }, { text: 'long', callback_data: 'x'.repeat(65) }]] };
  const found = problems(validateCall('sendMessage', { chat_id: 1, text: 'x', reply_markup: markup }));
  assert.match(found, 'reply_markup.inline_keyboard[0][0]: one of callback_data');
  assert.match(found, 'reply_markup.inline_keyboard[0][1].callback_data: longer than 64 bytes');
});

Contract('inline results are checked against the member their type names', () => {
  const found = problems(validateCall('answerInlineQuery', {
    inline_query_id: '1',
    results: [{ type: 'song', id: '1' }, { type: 'article', id: '2', title: 'x' }],
  }));
  assert.match(found, 'results[0].type: "song" is not a valid InlineQueryResult type');
  assert.match(found, 'results[1].input_message_content: missing required field (as InlineQueryResultArticle)');
});

Contract('bot commands must have a description', () => {
  const found = problems(validateCall('setMyCommands', { commands: [{ command: 'start' }] }));
  assert.is(found, 'commands[0].description: missing required field');
});

Contract('multipart parameters are strings and JSON, as grammY sends them with an upload', () => {
  const params = { chat_id: '42', audio: 'attach://a1b2', duration: '187', title: 'Song', reply_markup: JSON.stringify(keyboard) };
  assert.is(problems(validateCall('sendAudio', params, { encoding: 'form', files: new Set(['a1b2']) })), '');
  assert.is(problems(validateCall('sendAudio', { ...params, duration: 'long' }, { encoding: 'form', files: new Set(['a1b2']) })), 'duration: expected Integer, got string');
  assert.is(problems(validateCall('sendAudio', params, { encoding: 'form', files: new Set() })), 'audio: no uploaded file part named "a1b2"');
  // In a JSON body a number stays a number; only objects may come JSON-serialised.
  assert.match(problems(validateCall('sendAudio', { chat_id: 42, audio: 'FILE', duration: '187' })), 'duration: expected Integer');
  assert.is(problems(validateCall('sendMessage', { chat_id: 42, text: 'x', reply_markup: JSON.stringify(keyboard) })), '');
});

Contract('long text with parse_mode is not measured, since Telegram counts it after parsing', () => {
  const text = `<b>${'x'.repeat(4094)}</b>`;
  assert.match(problems(validateCall('sendMessage', { chat_id: 1, text })), 'text: longer than 4096 chars');
  assert.is(problems(validateCall('sendMessage', { chat_id: 1, text, parse_mode: 'HTML' })), '');
});

Contract('objects are checked: a well-formed update passes, a broken one names its flaws', () => {
  const chat = { id: 1, type: 'private' };
  const user = { id: 1, is_bot: false, first_name: 'A' };
  assert.equal(validateObject('Update', { update_id: 1, message: { message_id: 1, date: 1, chat, from: user, text: 'hi' } }), []);
  const found = problems(validateObject('Update', {
    update_id: 2,
    message: { message_id: 1, chat },
    callback_query: { id: '1', from: user, chat_instance: 'c' },
  }));
  assert.match(found, 'message.date: missing required field');
  assert.match(found, 'only one of callback_query, message may be set');
  assert.equal(validateObject('NoSuchType', {}), [{ path: '', problem: 'unknown type NoSuchType' }]);
});

Contract('results are checked against the method return type', () => {
  assert.equal(validateResult('getUpdates', []), []);
  assert.equal(validateResult('editMessageText', true), []);
  assert.match(problems(validateResult('sendMessage', { message_id: 1 })), 'date: missing required field');
});

Contract('the committed contract is derived from the current spec', () => {
  if (!existsSync(specPath)) {
    console.log(`note: ${specPath} is absent (a clone outside the workplace); contract freshness not checked`);
    return;
  }
  const committed = readFileSync(contractPath, 'utf8');
  assert.ok(committed === deriveFromFile(specPath), 'test/contracts/telegram.json is stale: run `npx tsx scripts/derive-telegram-contract.ts`');
});

Contract.run();
