/**
 * The Spotify app owner's lapsed Premium (403 "Active premium subscription required for the
 * owner of the app", issue 15 fact 8) seen from a user: /now and /recent say Spotify is not
 * available, in their language, and offer no Connect button (re-linking cannot cure it).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { callbackDatas, startBotHarness, type BotHarness } from './botHarness.ts';

const Unavailable = suite('bot: Spotify refuses the app (owner without Premium)');
let h: BotHarness;
Unavailable.before.each(async () => {
  h = await startBotHarness({});
});
Unavailable.after.each(() => h.close());

async function linkedUser(languageCode: string) {
  const user = h.fake.createUser({ firstName: 'Alice', languageCode });
  await h.linkThroughBot(user);
  h.link.spotify.setOwnerPremium(false); // after linking: the refusal starts later
  return user;
}

Unavailable('/now says Spotify is not available right now, without a Connect button', async () => {
  const alice = await linkedUser('en');
  h.fake.sendCommand(alice, 'now');
  const reply = await h.replyTo(alice);
  assert.match(reply.params.text, /^Spotify is not available right now\./);
  assert.equal(callbackDatas(reply.result), []);
});

Unavailable('/recent says it in Russian to a Russian user', async () => {
  const olga = await linkedUser('ru');
  h.fake.sendCommand(olga, 'recent');
  assert.match((await h.replyTo(olga)).params.text, /^Spotify сейчас недоступен\./);
});

Unavailable('once Premium is back, /now works again', async () => {
  const alice = await linkedUser('en');
  h.link.spotify.setOwnerPremium(true);
  h.fake.sendCommand(alice, 'now');
  assert.is((await h.replyTo(alice)).params.text, 'Nothing is playing on your Spotify right now.');
});

Unavailable.run();
