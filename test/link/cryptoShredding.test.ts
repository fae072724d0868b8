/**
 * Crypto-shredding on every end of a link: after unlink, revocation, a rejected, denied or
 * expired grant, every sealed value of that link in the append-only log fails to open with
 * `DataKeyShreddedError` (also in a vault opened afresh), other users' links are untouched,
 * and `rebuild()` / `verify()` still give consistent tables. On classic-level the data dir
 * never holds a token the fake issued, in any file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DataKeyShreddedError, masterKey, openTokenVault, type TokenVault } from '../../eventlog/index.ts';
import { COMPLETION_TTL_MS } from '../../machines/spotifyLink.context.ts';
import { REFRESH_MARGIN_MS } from '../../src/link/tokenRefresher.ts';
import { dumpLinkTables, sealedValuesInLog, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';

const ALICE = 1001;
const BOB = 1002;
let h: LinkHarness;

async function refresh(userId: number): Promise<void> {
  h.clock.t = (await h.links.status(userId)).link!.accessExpiresAt - REFRESH_MARGIN_MS;
  await h.links.accessToken(userId);
}

/** Opens every sealed value of `userId` in the log with every data key its stream ever named. */
async function openAll(userId: number, vault: TokenVault): Promise<{ opened: number; shredded: number; values: number }> {
  const { values, keyIds } = await sealedValuesInLog(h.store);
  const mine = values.filter((v) => v.userId === userId);
  let opened = 0;
  let shredded = 0;
  for (const v of mine) {
    for (const keyId of keyIds.get(userId) ?? []) {
      await vault.open(keyId, v.sealed, String(userId)).then(
        () => opened++,
        (err) => {
          if (err instanceof DataKeyShreddedError) shredded++;
        },
      );
    }
  }
  return { opened, shredded, values: mine.length };
}

/** Nothing of `userId` opens, here or in a vault opened afresh; tables rebuild consistently. */
async function assertShredded(userId: number): Promise<void> {
  const fresh = await openTokenVault({ db: h.store.db, masterKeys: [masterKey(Buffer.alloc(32, 9))] });
  for (const vault of [h.vault, fresh]) {
    const r = await openAll(userId, vault);
    assert.ok(r.values > 0, 'the log still holds the sealed values (append-only)');
    assert.is(r.opened, 0, 'no sealed value of the ended link opens');
    const keys = (await sealedValuesInLog(h.store)).keyIds.get(userId)!.size;
    assert.is(r.shredded, r.values * keys, 'each fails with DataKeyShreddedError');
  }
  const before = await dumpLinkTables(h.store);
  assert.equal(await h.store.verify(), []);
  await h.store.rebuild();
  assert.equal(await h.store.verify(), []);
  assert.is(await dumpLinkTables(h.store), before, 'rebuilt tables are byte-identical');
}

const Shred = suite('crypto-shredding');

Shred.before.each(async () => {
  h = await startLinkHarness();
  h.spotify.addUser({ id: 'bob' });
  await h.link(BOB, 'bob'); // a bystander whose link must survive every shred
});
Shred.after.each(async () => {
  const bob = await openAll(BOB, h.vault);
  assert.ok(bob.opened > 0, "the other user's current link still opens");
  assert.ok((await h.links.accessToken(BOB)).startsWith('fake-at-'));
  assert.equal(h.spotify.leaksIn(h.logs()), [], 'no secret of the fake reached the logs');
  await h.close();
});

Shred('unlink after refreshes and a re-link leaves no token of the user decryptable', async () => {
  await h.link(ALICE);
  await refresh(ALICE);
  await h.link(ALICE); // re-link: the first link's key ends on confirmation
  await refresh(ALICE);
  const { keyIds } = await sealedValuesInLog(h.store);
  assert.is(keyIds.get(ALICE)!.size, 2);
  assert.is((await openAll(ALICE, h.vault)).opened > 0, true, 'the current link opens before unlink');
  assert.is(await h.links.unlink(ALICE), true);
  assert.is((await h.links.status(ALICE)).state, 'unlinked');
  await assertShredded(ALICE);
});

Shred('revocation by invalid_grant shreds the link', async () => {
  await h.link(ALICE);
  h.spotify.revokeRefreshTokens('alice');
  await refresh(ALICE).catch(() => undefined);
  assert.is((await h.links.status(ALICE)).state, 'revoked');
  await assertShredded(ALICE);
});

Shred('a grant rejected because another Telegram user opened it is shredded', async () => {
  const completionId = await h.loginThroughCallback(ALICE);
  assert.is((await h.links.confirm(BOB, completionId)).kind, 'foreign');
  await assertShredded(ALICE);
});

Shred('an unconfirmed grant that expires is shredded', async () => {
  await h.loginThroughCallback(ALICE);
  h.clock.advance(COMPLETION_TTL_MS);
  assert.is((await h.links.sweep()).expired, 1);
  await assertShredded(ALICE);
});

Shred('a denied login leaves no verifier decryptable', async () => {
  h.spotify.setLoginOutcome({ deny: true });
  const { authorizeUrl } = await h.links.startLogin(ALICE);
  const redirect = await h.spotify.login(authorizeUrl);
  await h.links.handleCallback({ state: redirect.state!, error: 'access_denied' }, { correlationId: 't' });
  await assertShredded(ALICE);
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

Shred('on classic-level no file of the data dir holds any token, code, state or verifier in the clear', async () => {
  await h.close();
  const dir = mkdtempSync(join(tmpdir(), 'link-shred-'));
  try {
    h = await startLinkHarness({ location: dir });
    h.spotify.addUser({ id: 'bob' });
    await h.link(ALICE);
    await h.link(BOB, 'bob');
    await refresh(ALICE);
    await refresh(BOB);
    await h.links.unlink(ALICE);
    await h.links.stop();
    await h.store.close();
    const secrets = h.spotify.secrets();
    assert.ok(secrets.filter((s) => s.startsWith('fake-at-')).length >= 4, 'the fake issued tokens');
    const files = filesUnder(dir);
    assert.ok(files.some((f) => statSync(f).size > 0));
    for (const file of files) {
      const bytes = readFileSync(file);
      const found = secrets.filter((s) => bytes.includes(s));
      assert.equal(found.length, 0, `${file} holds ${found.length} secret(s)`);
    }
    // Reopened (as after a restart): Alice's values stay shredded, Bob's link still works.
    await h.spotify.close();
    h = await startLinkHarness({ location: dir, clock: h.clock });
    await assertShredded(ALICE);
    assert.ok((await openAll(BOB, h.vault)).opened > 0);
    await h.close();
    h = await startLinkHarness(); // for after.each
    h.spotify.addUser({ id: 'bob' });
    await h.link(BOB, 'bob');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Shred.run();
