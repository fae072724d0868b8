import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { createEventRegistry, defineEvent, masterKey, NO_STREAM, openEventStore, openTokenVault, type EventOf, type Projection } from '../../../eventlog/index.ts';

const RawFiles = suite('raw data files hold no plaintext secrets');

const TokensGranted = defineEvent('TokensGranted', z.object({ access: z.string(), refresh: z.string() }));
type E = EventOf<typeof TokensGranted>;
const registry = createEventRegistry([TokensGranted]);
const tokensTable: Projection<E, { access: string; refresh: string }> = {
  name: 'user_oauth_tokens',
  version: 1,
  evolve: (e, t) => t.put(e.meta.stream, { access: e.data.access, refresh: e.data.refresh }),
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

RawFiles('after close, no file of the data dir contains a token or the master key', async () => {
  const root = mkdtempSync(join(tmpdir(), 'eventlog-raw-'));
  try {
    const dir = join(root, 'data');
    const master = masterKey(randomBytes(32));
    const tokens: string[] = [];
    const sealedSamples: string[] = [];
    const store = await openEventStore({ location: dir, registry, projections: [tokensTable] });
    const vault = await openTokenVault({ db: store.db, masterKeys: [master], runExclusive: store.runExclusive });
    for (let user = 1; user <= 20; user++) {
      const linkId = `link-${user}`;
      const access = `BQA-access-${randomBytes(12).toString('hex')}`;
      const refresh = `AQD-refresh-${randomBytes(12).toString('hex')}`;
      tokens.push(access, refresh);
      const { ops } = vault.createDataKeyOps(linkId);
      const event = TokensGranted.of({ access: await vault.seal(linkId, access, `${user}`), refresh: await vault.seal(linkId, refresh, `${user}`) });
      sealedSamples.push(event.data.access);
      await store.appendToStream(`link-${user}`, [event], { expectedVersion: NO_STREAM, extraOps: ops });
    }
    await store.close();

    const haystack = files(dir).map((f) => readFileSync(f));
    assert.ok(files(dir).some((f) => /\.(log|ldb)$/.test(f)), 'LevelDB data files are scanned');
    // Positive control: the scan does see what is stored (the sealed values are in the files).
    assert.ok(haystack.some((b) => b.includes(Buffer.from(sealedSamples[0]!))), 'sealed values are found by the scan');
    const needles = [
      ...tokens.map((t) => Buffer.from(t)),
      ...tokens.map((t) => Buffer.from(t, 'utf16le')),
      Buffer.from(master.key),
      Buffer.from(Buffer.from(master.key).toString('base64')),
      Buffer.from(Buffer.from(master.key).toString('hex')),
    ];
    for (const [i, needle] of needles.entries()) {
      for (const bytes of haystack) assert.not.ok(bytes.includes(needle), `secret #${i} found in plaintext`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

RawFiles.run();
