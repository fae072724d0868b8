/**
 * Crypto-shredding covers personal data: the Spotify user id and display name are sealed under
 * the link's data key (`GrantReceived@2`), shown to their owner while linked, and after
 * `/unlink` no file of the data dir holds them and the replay tool shows them redacted. A log
 * written before (`GrantReceived@1`, plaintext) still replays through the upcaster.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createEventRegistry, defineEvent, NO_STREAM, openEventStore, type AnyEvent } from '../../eventlog/index.ts';
import { asSealed } from '../../machines/spotifyLink.events.ts';
import { runCli } from '../../src/devtools/replay/cli.ts';
import { linkEventTypes, linkStream } from '../../src/link/linkLog.ts';
import { dbLocation } from '../../src/storage/dataDir.ts';
import { confirmed, granted, started } from '../helpers/linkFixtures.ts';
import { dumpLinkTables, startLinkHarness, type LinkHarness } from '../helpers/linkHarness.ts';
import { tempDataDir } from '../helpers/replayLog.ts';

const ALICE = 1001;
// Distinctive, so a scan of raw bytes cannot match anything else.
const SPOTIFY_ID = 'zq7341personalid';
const DISPLAY_NAME = 'Xyzzy Personalname';

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** The files of `dir` that hold `text` (as UTF-8 bytes). */
function filesHolding(dir: string, text: string): string[] {
  return filesUnder(dir).filter((f) => readFileSync(f).includes(Buffer.from(text, 'utf8')));
}

/** `replay history <userId>` on a data dir, in-process. */
async function history(dataDir: string, userId: number): Promise<string> {
  let out = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t) };
  assert.is(await runCli(['history', String(userId), '--data-dir', dataDir], {}, io), 0, out);
  return out;
}

const Personal = suite('personal data');
let dataDir: string;
let h: LinkHarness | undefined;

Personal.before.each(async () => {
  dataDir = await tempDataDir('personal');
  h = undefined;
});
Personal.after.each(async () => {
  await h?.close();
  await rm(dataDir, { recursive: true, force: true });
});

Personal('while linked the owner reads the name; after /unlink no file holds the Spotify id or name', async () => {
  h = await startLinkHarness({ location: dbLocation(dataDir) });
  h.spotify.addUser({ id: SPOTIFY_ID, displayName: DISPLAY_NAME });
  const completionId = await h.loginThroughCallback(ALICE, SPOTIFY_ID);
  assert.is((await h.links.status(ALICE)).attempt?.spotifyUserId, SPOTIFY_ID, '"confirm linking ‹account›" is readable');
  assert.equal(await h.links.confirm(ALICE, completionId), { kind: 'linked', displayName: DISPLAY_NAME, spotifyUserId: SPOTIFY_ID });
  const linked = (await h.links.status(ALICE)).link!;
  assert.equal([linked.displayName, linked.spotifyUserId], [DISPLAY_NAME, SPOTIFY_ID], '/login shows "Connected: ‹name›"');

  assert.is(await h.links.unlink(ALICE), true);
  await h.close();
  h = undefined;
  const dir = dbLocation(dataDir);
  assert.ok(filesUnder(dir).some((f) => statSync(f).size > 0), 'the data dir has content to scan');
  assert.equal(filesHolding(dir, SPOTIFY_ID), [], 'no file holds the Spotify user id');
  assert.equal(filesHolding(dir, DISPLAY_NAME), [], 'no file holds the display name');

  const shown = await history(dataDir, ALICE);
  assert.match(shown, /GrantReceived/);
  assert.match(shown, /spotifyUserId=‹redacted›\s+displayName=‹redacted›/);
  assert.not.ok(shown.includes(SPOTIFY_ID) || shown.includes(DISPLAY_NAME), 'history shows neither');

  // After a restart the tables rebuild the same, and nothing reads the name back.
  h = await startLinkHarness({ location: dir });
  const before = await dumpLinkTables(h.store);
  await h.store.rebuild();
  assert.equal(await h.store.verify(), []);
  assert.is(await dumpLinkTables(h.store), before);
  assert.not.ok(before.includes(SPOTIFY_ID) || before.includes(DISPLAY_NAME));
});

Personal('a log written with GrantReceived@1 (plaintext) still replays: upcast, readable, same tables on rebuild', async () => {
  // Write the log as the bot did before GrantReceived@2: version 1 of every type.
  const v1 = createEventRegistry(
    linkEventTypes.map((e) => defineEvent(e.type, e.versions[0]!.schema)),
  );
  const old = await openEventStore<AnyEvent>({ location: dbLocation(dataDir), registry: v1, projections: [] });
  const events = [started(), granted({ spotifyUserId: asSealed('ann'), displayName: asSealed('Ann') }), confirmed()];
  await old.appendToStream(linkStream(ALICE), events, { expectedVersion: NO_STREAM });
  await old.close();

  h = await startLinkHarness({ location: dbLocation(dataDir) });
  await h.store.rebuild();
  const [, grant] = await h.store.readStream(linkStream(ALICE));
  assert.is(grant!.type, 'GrantReceived');
  const data = grant!.data as unknown as { spotifyUserId: string; displayName: string };
  assert.equal([data.spotifyUserId, data.displayName], ['plain:ann', 'plain:Ann'], 'upcast to v2, marked as legacy plaintext');
  const link = (await h.links.status(ALICE)).link!;
  assert.equal([link.spotifyUserId, link.displayName], ['ann', 'Ann'], 'an old link still shows its name');
  const before = await dumpLinkTables(h.store);
  await h.store.rebuild();
  assert.equal(await h.store.verify(), []);
  assert.is(await dumpLinkTables(h.store), before);
});

Personal.run();
