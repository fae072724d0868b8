/**
 * `/unlink` end to end: the confirmation, the shredded tokens, the text pointing to
 * Spotify's app page, and `/now` asking to connect afterwards.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError } from '../../eventlog/index.ts';
import { TRACK_WITH_ISRC } from '../helpers/fakeSpotify.ts';
import { buttonTexts } from '../helpers/fakeBotApi.ts';
import { sealedValuesInLog } from '../helpers/linkHarness.ts';
import { callbackDatas, startBotHarness, type BotHarness } from './botHarness.ts';

const Unlink = suite('bot /unlink');
let h: BotHarness;

Unlink.before.each(async () => {
  h = await startBotHarness();
});
Unlink.after.each(async () => {
  await h.close();
});

/** How many of the user's sealed values in the log still open, and how many exist. */
async function decryptable(userId: number): Promise<{ opened: number; values: number }> {
  const { values, keyIds } = await sealedValuesInLog(h.link.store);
  const mine = values.filter((v) => v.userId === userId);
  let opened = 0;
  for (const v of mine) {
    for (const keyId of keyIds.get(userId) ?? []) {
      await h.link.vault.open(keyId, v.sealed, String(userId)).then(
        () => opened++,
        (err: unknown) => assert.instance(err, DataKeyShreddedError),
      );
    }
  }
  return { opened, values: mine.length };
}

Unlink('yes shreds the tokens, points to Spotify’s app page, and /now then asks to connect', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  assert.ok((await decryptable(alice.id)).opened > 0, 'linked: the tokens open');

  h.fake.sendCommand(alice, 'unlink');
  const question = await h.replyTo(alice);
  assert.match(question.params.text, 'Disconnect your Spotify account?');
  assert.equal(callbackDatas(question.result), ['ul:yes', 'ul:no']);
  h.fake.pressButton(alice, question.result, 'ul:yes');
  await h.fake.nextCall('answerCallbackQuery');
  const done = await h.fake.nextCall('editMessageText');
  assert.match(done.params.text, 'https://www.spotify.com/account/apps/');
  assert.equal(buttonTexts(done.result), []);

  const after = await decryptable(alice.id);
  assert.ok(after.values > 0, 'the log keeps the sealed values (append-only)');
  assert.is(after.opened, 0, 'no token of the ended link decrypts');
  assert.is((await h.link.links.status(alice.id)).state, 'unlinked');

  h.link.spotify.setPlayer('alice', { kind: 'track', trackId: TRACK_WITH_ISRC.id });
  h.fake.sendCommand(alice, 'now');
  const now = await h.replyTo(alice);
  assert.is(now.params.text, 'Connect your Spotify account first.');
  assert.equal(callbackDatas(now.result), ['lg:go']);

  // The old question's buttons are harmless now.
  h.fake.pressButton(alice, question.result, 'ul:yes', { forge: true });
  await h.fake.nextCall('answerCallbackQuery');
  assert.match((await h.fake.nextCall('editMessageText')).params.text, 'nothing to disconnect');
});

Unlink('cancel keeps the link; the Unlink button of /login asks the same question', async () => {
  const alice = h.fake.createUser({ languageCode: 'ru' });
  await h.linkThroughBot(alice);
  h.fake.sendCommand(alice, 'login');
  const status = await h.replyTo(alice);
  h.fake.pressButton(alice, status.result, 'ul:ask');
  await h.fake.nextCall('answerCallbackQuery');
  const question = await h.fake.nextCall('editMessageText');
  assert.match(question.params.text, 'Отключить ваш аккаунт Spotify?');
  h.fake.pressButton(alice, question.result, 'ul:no');
  await h.fake.nextCall('answerCallbackQuery');
  assert.is((await h.fake.nextCall('editMessageText')).params.text, 'Хорошо, Spotify остаётся подключённым.');
  assert.is((await h.link.links.status(alice.id)).state, 'linked');
});

Unlink('without a link there is nothing to confirm; in a group the private chat is offered', async () => {
  const bob = h.fake.createUser();
  h.fake.sendCommand(bob, 'unlink');
  assert.is((await h.replyTo(bob)).params.text, 'Spotify is not connected, so there is nothing to disconnect.');
  const group = h.fake.createGroup();
  h.fake.sendCommand(bob, 'unlink', undefined, { chat: group, mention: true });
  const reply = await h.replyTo(group);
  assert.equal(buttonTexts(reply.result), [['Open private chat']]);
});

Unlink.run();
