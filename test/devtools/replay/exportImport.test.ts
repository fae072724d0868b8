/**
 * `replay export` and `replay import` on LevelDB, run as the operator runs them (a child
 * process), on a log the link service wrote (`replayLog.ts`: nine users, every event type,
 * token refreshes, an unlink that shreds a key). The PostgreSQL side is in
 * `exportImport.postgres.test.ts`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { levelVaultStorage, openLevelDb } from '../../../eventlog/index.ts';
import { dbLocation } from '../../../src/storage/dataDir.ts';
import { generateLinkLog, LOG_USERS, tempDataDir, type GeneratedLog } from '../../helpers/replayLog.ts';
import { runReplay } from '../../helpers/runReplay.ts';
import { exportLines, masterKeyForms, withLines } from '../../helpers/exportFiles.ts';

const Export = suite<{ log: GeneratedLog; work: string; file: string }>('replay export / import on LevelDB');

Export.before(async (ctx) => {
  ctx.log = await generateLinkLog();
  ctx.work = await tempDataDir('export');
  ctx.file = join(ctx.work, 'log.ndjson');
  const r = await runReplay(['export', ctx.log.dataDir, '--out', ctx.file]);
  if (r.code !== 0) throw new Error(r.stderr);
});
Export.after(async (ctx) => {
  await ctx.log.dispose();
  await rm(ctx.work, { recursive: true, force: true });
});

/** The wrapped data keys of a stopped data dir, read directly. */
async function dataKeysOf(dataDir: string): Promise<string[]> {
  const db = await openLevelDb(dbLocation(dataDir));
  try {
    return (await levelVaultStorage(db, (fn) => fn()).page(undefined, 1000)).map(([id]) => id);
  } finally {
    await db.close();
  }
}

Export('the file holds every event in global order and every live data key, in the documented format', async (ctx) => {
  const lines = await exportLines(ctx.file);
  const header = lines[0];
  assert.equal(header, { format: 'eventlog-export', version: 1, source: 'leveldb', events: header.events });
  const events = lines.filter((l) => l.kind === 'event');
  assert.ok(events.length > 30);
  assert.is(header.events, events.length);
  assert.equal(events.map((e) => e.position), events.map((_, i) => i));
  assert.equal([...new Set(events.map((e) => e.type))].sort(), [...ctx.log.eventTypes].sort(), 'every event type is exported');
  assert.ok(events.some((e) => e.type === 'GrantReceived' && e.v === 2) && events.every((e) => typeof e.fingerprint === 'string'));
  const keys = lines.filter((l) => l.kind === 'dataKey').map((l) => l.linkId);
  assert.equal(keys, await dataKeysOf(ctx.log.dataDir), 'exactly the keys the vault holds');
  // The unlinked user's key was shredded: their LoginStarted names a key that is not exported.
  const unlinkedKeys = events.filter((e) => e.stream === `link-${LOG_USERS.unlinked}` && e.type === 'LoginStarted').map((e) => e.data.keyId);
  assert.ok(unlinkedKeys.length > 0);
  for (const id of unlinkedKeys) assert.not.ok(keys.includes(id), 'a shredded key is not exported');
  const end = lines.at(-1);
  assert.equal({ ...end, sha256: 'x' }, { kind: 'end', events: events.length, streams: 9, dataKeys: keys.length, keyChecks: 1, sha256: 'x' });
});

Export('no plaintext token, code, completion id or the master key is in the file; the sealed values are', async (ctx) => {
  const text = await readFile(ctx.file, 'utf8');
  assert.ok(ctx.log.plaintext.length > 10, 'the fake handed out tokens to look for');
  assert.equal(ctx.log.plaintext.filter((s) => text.includes(s)), []);
  for (const form of masterKeyForms()) assert.not.ok(text.includes(form), 'the master key is not in the file');
  // The search looks at the right file: the sealed forms of those tokens are in it.
  const sealed = ctx.log.secrets.filter((s) => s.startsWith('v1.'));
  assert.ok(sealed.length > 5);
  assert.equal(sealed.filter((s) => !text.includes(s)), []);
});

Export('import into a new data dir: verify is clean, users and history read the same, and its export is the same file', async (ctx) => {
  const target = join(ctx.work, 'imported');
  const r = await runReplay(['import', ctx.file, target, '--json']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const report = r.json();
  assert.is(report.ok, true);
  assert.is(report.events, (await exportLines(ctx.file)).filter((l) => l.kind === 'event').length);
  assert.is(report.streams, 9);
  assert.is((await runReplay(['verify'], { dataDir: target })).code, 0);
  for (const args of [['users', '--json'], ['history', String(LOG_USERS.relinked), '--json'], ['history', String(LOG_USERS.unlinked), '--json']]) {
    const before = await runReplay(args, { dataDir: ctx.log.dataDir });
    const after = await runReplay(args, { dataDir: target });
    assert.is(after.code, 0, after.stderr);
    // Everything but the data dir's name.
    assert.equal({ ...after.json(), dataDir: '' }, { ...before.json(), dataDir: '' }, args.join(' '));
  }
  const again = join(ctx.work, 'again.ndjson');
  assert.is((await runReplay(['export', target, '--out', again])).code, 0);
  assert.is(await readFile(again, 'utf8'), await readFile(ctx.file, 'utf8'));
});

/** Runs an import of `lines` into a fresh dir and checks that it is refused with nothing written. */
async function refused(ctx: { work: string }, name: string, text: string, message: RegExp): Promise<void> {
  const file = join(ctx.work, `${name}.ndjson`);
  await writeFile(file, text);
  const target = join(ctx.work, `target-${name}`);
  const r = await runReplay(['import', file, target]);
  assert.is(r.code, 1, `${name}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, message, name);
  assert.is(r.stderr.trim().split('\n').length, 2, `${name}: one line and a hint, no stack trace:\n${r.stderr}`);
  assert.not.ok(existsSync(target), `${name}: nothing written`);
}

Export('a truncated, tampered or foreign file is refused in one line, nothing written', async (ctx) => {
  const text = await readFile(ctx.file, 'utf8');
  const lines = text.trimEnd().split('\n');
  await refused(ctx, 'truncated', lines.slice(0, -3).join('\n') + '\n', /line \d+: the file ends without its end line: truncated/);
  await refused(ctx, 'cut', text.slice(0, text.length - 40), /line \d+: not JSON/);
  // A valid line changed: only the checksum can tell.
  await refused(ctx, 'tampered', withLines(text, (l) => (l.kind === 'event' && l.position === 3 ? { ...l, time: '2020-01-01T00:00:00.000Z' } : l)), /checksum mismatch/);
  await refused(ctx, 'version', withLines(text, (l) => ('format' in l ? { ...l, version: 2 } : l)), /export format version 2 is not supported/);
  await refused(ctx, 'type', withLines(text, (l) => (l.kind === 'event' && l.position === 2 ? { ...l, type: 'TokensStolen' } : l)), /global position 2: unknown event type TokensStolen@/);
  await refused(ctx, 'schema', withLines(text, (l) => (l.kind === 'event' && l.position === 0 ? { ...l, data: { ...l.data, verifier: 42 } } : l)), /global position 0: LoginStarted@1 fails its schema: verifier/);
  await refused(ctx, 'gap', withLines(text, (l) => (l.kind === 'event' && l.position === 5 ? null : l)), /expected 5/);
  await refused(ctx, 'npm', `> spotify-link-music-bot@0.1.0 replay\n${text}`, /not an export file .*npm run -s/);
  await refused(ctx, 'empty', '', /the file is empty/);
});

Export('a data dir with data is refused, one held by a running bot with the stop-the-bot message; nothing changes', async (ctx) => {
  const before = await readFile(ctx.file, 'utf8');
  const r = await runReplay(['import', ctx.file, ctx.log.dataDir]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /already holds data; nothing was imported/);
  const after = join(ctx.work, 'after.ndjson');
  assert.is((await runReplay(['export', ctx.log.dataDir, '--out', after])).code, 0);
  assert.is(await readFile(after, 'utf8'), before, 'the source is unchanged');
  // The bot (here: this process) holds a data dir: the lock is named, not just "not empty".
  const held = join(ctx.work, 'held');
  const db = await openLevelDb(dbLocation(held));
  try {
    const locked = await runReplay(['import', ctx.file, held, '--json']);
    assert.is(locked.code, 1);
    assert.is(locked.json().error.code, 'DATA_DIR_LOCKED');
    assert.match(locked.json().error.hint, 'stop the bot');
  } finally {
    await db.close();
  }
  assert.equal(readdirSync(held).filter((n) => n.startsWith('db.importing')), [], 'no leftovers');
});

Export('export never overwrites a file, writes to stdout with --out -, and refuses two sources', async (ctx) => {
  const before = await readFile(ctx.file, 'utf8');
  const r = await runReplay(['export', ctx.log.dataDir, '--out', ctx.file]);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'already exists');
  assert.is(await readFile(ctx.file, 'utf8'), before);
  const piped = await runReplay(['export', '--out', '-'], { dataDir: ctx.log.dataDir });
  assert.is(piped.code, 0, piped.stderr);
  assert.is(piped.stdout, before, 'stdout carries the file, the summary goes to stderr');
  assert.match(piped.stderr, /exported \d+ event\(s\)/);
  const both = await runReplay(['export', ctx.log.dataDir, '--database-url', 'postgres://x@127.0.0.1:1/x']);
  assert.is(both.code, 2);
  assert.is((await runReplay(['import'])).code, 2, 'import needs a file');
  assert.is((await runReplay(['import', ctx.file, ctx.work, '--copy'])).code, 2, 'an import into a copy would be thrown away');
});

Export.run();
