/**
 * `/login` and `/start <completion id>` end to end: the real bot against the fake Bot API,
 * the real link service on a memory store, the fake Spotify and the real callback route.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buttonTexts } from '../helpers/fakeBotApi.ts';
import { callbackDatas, startBotHarness, urlButton, type BotHarness } from './botHarness.ts';

const Login = suite('bot login');
let h: BotHarness;

Login.before.each(async () => {
  h = await startBotHarness();
});
Login.after.each(async () => {
  await h.close();
});

Login('the whole login: button → Spotify → callback (303) → /start <id> → ✅ Connected', async () => {
  const alice = h.fake.createUser({ firstName: 'Alice' });
  h.fake.sendCommand(alice, 'login');
  const login = await h.replyTo(alice);
  assert.match(login.params.text, 'Spotify is not connected');
  assert.equal(buttonTexts(login.result), [['Connect Spotify']]);
  const authorizeUrl = urlButton(login.result);
  assert.ok(authorizeUrl.startsWith(h.link.spotify.accountsUrl + '/authorize?'), 'the button opens Spotify’s authorize page');
  assert.not.ok(login.params.text.includes('state'), 'the authorize URL is only in the button');

  const { status, completionId } = await h.browserLogin(authorizeUrl);
  assert.is(status, 303);
  assert.match(completionId, /^[A-Za-z0-9_-]{16,64}$/);
  h.fake.sendCommand(alice, 'start', completionId);
  const done = await h.replyTo(alice);
  assert.is(done.params.text, '✅ Connected: Alice');
  assert.is((await h.link.links.status(alice.id)).state, 'linked');

  h.fake.sendCommand(alice, 'login');
  const status2 = await h.replyTo(alice);
  assert.match(status2.params.text, 'Connected as Alice since');
  assert.equal(buttonTexts(status2.result), [['Reconnect', 'Unlink']]);
  assert.equal(callbackDatas(status2.result), ['lg:new', 'ul:ask']);
});

Login('Russian users read the whole login in Russian', async () => {
  const olga = h.fake.createUser({ firstName: 'Olga', languageCode: 'uk' });
  h.fake.sendCommand(olga, 'login');
  const login = await h.replyTo(olga);
  assert.match(login.params.text, 'Spotify не подключён');
  assert.equal(buttonTexts(login.result), [['Подключить Spotify']]);
  const { completionId } = await h.browserLogin(urlButton(login.result));
  h.fake.sendCommand(olga, 'start', completionId);
  assert.is((await h.replyTo(olga)).params.text, '✅ Подключено: Alice');
});

Login('a forwarded completion link links nothing and both users are told', async () => {
  const alice = h.fake.createUser({ firstName: 'Alice' });
  const mallory = h.fake.createUser({ firstName: 'Mallory' });
  h.fake.sendCommand(alice, 'login');
  const { completionId } = await h.browserLogin(urlButton((await h.replyTo(alice)).result));

  h.fake.sendCommand(mallory, 'start', completionId);
  const refusal = await h.replyTo(mallory);
  assert.match(refusal.params.text, 'belongs to another Telegram account');
  const warning = await h.replyTo(alice);
  assert.match(warning.params.text, 'different Telegram account');
  assert.is((await h.link.links.status(mallory.id)).state, 'unlinked');
  assert.is.not((await h.link.links.status(alice.id)).state, 'linked');

  // The link is spent: even its owner cannot use it now.
  h.fake.sendCommand(alice, 'start', completionId);
  assert.match((await h.replyTo(alice)).params.text, 'not valid or was already used');
  assert.is.not((await h.link.links.status(alice.id)).state, 'linked');
});

Login('/login in a group answers with a button that opens the private chat, and starts nothing', async () => {
  const alice = h.fake.createUser();
  const group = h.fake.createGroup();
  h.fake.sendCommand(alice, 'login', undefined, { chat: group, mention: true });
  const reply = await h.replyTo(group);
  assert.match(reply.params.text, 'private chat');
  assert.is(urlButton(reply.result), `https://t.me/${h.fake.botUser.username}?start=login`);
  assert.is((await h.link.links.status(alice.id)).state, 'unlinked');
});

Login('/start login (the inline-mode button) opens the /login screen', async () => {
  const alice = h.fake.createUser();
  h.fake.sendCommand(alice, 'start', 'login');
  const reply = await h.replyTo(alice);
  assert.equal(buttonTexts(reply.result), [['Connect Spotify']]);
});

Login('an unknown completion id and a cancelled login are explained', async () => {
  const alice = h.fake.createUser();
  h.fake.sendCommand(alice, 'start', 'x'.repeat(43));
  assert.match((await h.replyTo(alice)).params.text, 'not valid or was already used');

  h.fake.sendCommand(alice, 'login');
  const authorizeUrl = urlButton((await h.replyTo(alice)).result);
  h.link.spotify.setLoginOutcome({ deny: true });
  const redirect = await h.link.spotify.login(authorizeUrl);
  const res = await fetch(`${h.httpBase}/oauth/spotify/callback${new URL(redirect.location).search}`, { redirect: 'manual' });
  await res.arrayBuffer();
  assert.is(res.status, 200);
  assert.match((await h.replyTo(alice)).params.text, 'You cancelled the Spotify login');
});

Login('Reconnect starts a fresh login in place of the status message', async () => {
  const alice = h.fake.createUser();
  await h.linkThroughBot(alice);
  h.fake.sendCommand(alice, 'login');
  const status = await h.replyTo(alice);
  h.fake.pressButton(alice, status.result, 'lg:new');
  await h.fake.nextCall('answerCallbackQuery');
  const edit = await h.fake.nextCall('editMessageText');
  assert.match(edit.params.text, 'sign in with Spotify again');
  assert.ok(urlButton(edit.result).startsWith(h.link.spotify.accountsUrl));
  assert.is((await h.link.links.status(alice.id)).state, 'awaitingCallback.pending');
});

Login('a sixth /login within 10 minutes is answered with the wait (EN and RU), not a new button', async () => {
  const alice = h.fake.createUser();
  const olga = h.fake.createUser({ languageCode: 'ru' });
  for (const user of [alice, olga]) {
    for (let i = 0; i < 5; i++) {
      h.fake.sendCommand(user, 'login');
      assert.ok(urlButton((await h.replyTo(user)).result).startsWith(h.link.spotify.accountsUrl));
    }
  }
  h.link.clock.advance(60_000);
  h.fake.sendCommand(alice, 'login');
  const refused = await h.replyTo(alice);
  assert.is(refused.params.text, 'You started many logins in the last few minutes. Try /login again in 9 min. The last login button I sent still works for 10 minutes after it was sent.');
  assert.is(refused.params.reply_markup, undefined, 'no new login button');
  h.fake.sendCommand(olga, 'login');
  assert.match((await h.replyTo(olga)).params.text, 'Отправьте /login снова через 9 мин.');
  assert.is((await h.link.events(alice.id)).length, 5, 'the refused /login wrote nothing');
});

Login('/start alone greets by name and lists the commands', async () => {
  const alice = h.fake.createUser({ firstName: 'Alice' });
  h.fake.sendCommand(alice, 'start');
  const text: string = (await h.replyTo(alice)).params.text;
  assert.ok(text.startsWith('Hi, Alice!'));
  for (const command of ['/now', '/recent', '/login', '/unlink', '/help']) assert.ok(text.includes(command), command);
  assert.ok(text.includes(`@${h.fake.botUser.username}`));
});

Login.run();
