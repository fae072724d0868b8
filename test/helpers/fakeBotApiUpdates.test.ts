/**
 * The fake's getUpdates, driven by grammY's own API client: long polling holds until an
 * update arrives, `offset` confirms, `limit` caps, `allowed_updates` filters, a second poller
 * is told about the conflict, and `close()` ends a held poll.
 */
import { Api, GrammyError } from 'grammy';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FakeBotApi } from './fakeBotApi.ts';

const Polling = suite('fakeBotApi getUpdates');

/** Fails a test that waits too long instead of hanging until the runner kills the file. */
function guard<T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function rig(): Promise<{ fake: FakeBotApi; api: Api }> {
  const fake = await FakeBotApi.start();
  return { fake, api: new Api(fake.token, { apiRoot: fake.apiRoot }) };
}

Polling('a held long poll answers as soon as a user writes, and offset confirms the update', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser({ firstName: 'Alice' });
    const polled = api.getUpdates({ timeout: 50 });
    await fake.whenPolling();
    const sent = fake.sendText(alice, 'hello');
    const updates = await guard(polled, 'the held poll');
    assert.equal(updates.map((u) => u.update_id), [sent.update_id]);
    assert.is(updates[0]?.message?.text, 'hello');
    // Not confirmed yet: the same update comes again.
    assert.equal((await api.getUpdates({ timeout: 0 })).map((u) => u.update_id), [sent.update_id]);
    assert.equal(await api.getUpdates({ offset: sent.update_id + 1, timeout: 0 }), []);
    assert.is(fake.queue.size, 0);
    fake.assertNoViolations();
  } finally {
    await fake.close();
  }
});

Polling('limit caps one answer and a negative offset keeps only the newest updates', async () => {
  const { fake, api } = await rig();
  try {
    const bob = fake.createUser({ languageCode: 'ru' });
    const ids = ['1', '2', '3', '4'].map((t) => fake.sendText(bob, t).update_id);
    assert.equal((await api.getUpdates({ limit: 2 })).map((u) => u.update_id), ids.slice(0, 2));
    assert.equal((await api.getUpdates({ offset: -1 })).map((u) => u.update_id), ids.slice(3));
    assert.is(fake.queue.size, 1);
  } finally {
    await fake.close();
  }
});

Polling('updates are unique, carry the sender language and group chats, and commands get their entity', async () => {
  const { fake, api } = await rig();
  try {
    const bob = fake.createUser({ languageCode: 'uk', username: 'bob' });
    const group = fake.createGroup('Friends');
    fake.sendCommand(bob, 'start', 'login');
    fake.sendCommand(bob, 'now', undefined, { chat: group, mention: true });
    const [a, b] = await api.getUpdates({});
    assert.ok(a && b);
    assert.is.not(a.update_id, b.update_id);
    assert.is.not(a.message?.message_id, b.message?.message_id);
    assert.is(a.message?.from?.language_code, 'uk');
    assert.is(a.message?.text, '/start login');
    assert.equal(a.message?.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
    assert.is(b.message?.chat.type, 'group');
    assert.is(b.message?.text, `/now@${fake.botUser.username}`);
  } finally {
    await fake.close();
  }
});

Polling('allowed_updates filters updates created after it is set, until reset with an empty list', async () => {
  const { fake, api } = await rig();
  try {
    const alice = fake.createUser();
    await api.getUpdates({ allowed_updates: ['inline_query'] });
    fake.sendText(alice, 'dropped');
    const query = fake.inlineQuery(alice, 'song');
    assert.equal((await api.getUpdates({})).map((u) => u.update_id), [query.update_id]);
    assert.is(fake.queue.filteredOut.length, 1);
    await api.getUpdates({ offset: query.update_id + 1, allowed_updates: [] });
    const kept = fake.sendText(alice, 'kept');
    assert.equal((await api.getUpdates({})).map((u) => u.update_id), [kept.update_id]);
  } finally {
    await fake.close();
  }
});

Polling('a second long poll ends the first with 409 Conflict, like a second bot instance', async () => {
  const { fake, api } = await rig();
  try {
    const first = api.getUpdates({ timeout: 50 });
    await fake.whenPolling();
    const second = api.getUpdates({ timeout: 50 });
    const err = await guard(first.then(() => undefined, (e: unknown) => e), 'the first poll');
    assert.instance(err, GrammyError);
    assert.is((err as GrammyError).error_code, 409);
    await fake.close();
    assert.equal(await guard(second, 'the second poll'), []);
  } finally {
    await fake.close();
  }
});

Polling('close() answers a held long poll at once with no updates', async () => {
  const { fake, api } = await rig();
  const polled = api.getUpdates({ timeout: 50 });
  await fake.whenPolling();
  await fake.close();
  assert.equal(await guard(polled, 'the held poll'), []);
});

Polling('getUpdates is refused while a webhook is set, and works again after deleteWebhook', async () => {
  const { fake, api } = await rig();
  try {
    await api.setWebhook('http://127.0.0.1:9/telegram/webhook', { secret_token: 'abc_DEF-1' });
    assert.equal(fake.webhook, { url: 'http://127.0.0.1:9/telegram/webhook', secretToken: 'abc_DEF-1' });
    const err = await api.getUpdates({}).then(() => undefined, (e: unknown) => e);
    assert.instance(err, GrammyError);
    assert.is((err as GrammyError).error_code, 409);
    await api.deleteWebhook({ drop_pending_updates: true });
    assert.equal(await api.getUpdates({}), []);
    fake.assertNoViolations();
  } finally {
    await fake.close();
  }
});

Polling.run();
