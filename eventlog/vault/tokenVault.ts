/**
 * The token vault: crypto-shredding for secrets stored in the append-only log.
 *
 * Every link gets one random 256-bit data key, stored in the `vault/keys` keyspace wrapped
 * (AES-256-GCM, AAD = link id and data key id) by the active master key. Secrets are sealed
 * with the link's data key (AES-256-GCM, random 12-byte IV, caller AAD such as the Telegram
 * user id). Deleting the data key – `shred` – makes every ciphertext of that link in the
 * log unreadable for good, while the log itself stays append-only.
 *
 * Unwrapped data keys are cached in memory (bounded) and dropped on shred.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { Lru } from '../lru.ts';
import type { BatchOp, RootDb } from '../types.ts';
import { gcmOpen, gcmSeal } from './aesGcm.ts';
import { DataKeyShreddedError, DecryptError, InvalidMasterKeyError, MasterKeyMismatchError } from './errors.ts';
import { keyCheckValue, masterKeyId, type MasterKey } from './masterKeys.ts';
import { formatSealed, parseSealed, parseWrapped, sealAad, wrapAad, type WrappedKey } from './sealedFormat.ts';
import { rewrapAll, type RewrapReport } from './rewrap.ts';
import { levelVaultStorage, type VaultStorage } from './vaultStorage.ts';

/** The key ring options every vault takes, whatever its storage. */
export interface VaultKeyOptions {
  /** The key ring; every key's id must be its derived id. */
  masterKeys: readonly MasterKey[];
  /** Id of the key that wraps new data keys (default: the first of the ring). */
  activeKeyId?: string;
  /** Unwrapped data keys kept in memory (default 1000). */
  cacheSize?: number;
}

/** Options of {@link openTokenVault}. */
export interface OpenTokenVaultOptions extends VaultKeyOptions {
  /** The store's root db (`store.db`), so vault ops can join the store's batches. */
  db: RootDb;
  /**
   * Serialises the vault's own writes with the store's writer (pass `store.runExclusive`),
   * so that `rewrap` can never resurrect a key shredded by a concurrent append.
   */
  runExclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

/**
 * The vault's API. Link ids are non-secret strings, unique per link. `Op` is the kind of
 * write that rides in an append's `extraOps`: LevelDB batch operations here, SQL statements
 * on PostgreSQL.
 */
export interface TokenVault<Op = BatchOp> {
  /** Id of the master key that wraps new data keys. */
  readonly activeKeyId: string;
  /**
   * Creates a new data key for `linkId` and returns the put to commit via `extraOps` in the
   * append that stores the first value sealed with it. `seal` works at once. If that append
   * fails, discard what was sealed (or retry with the same ops). Replaces any older key.
   */
  createDataKeyOps(linkId: string): { ops: Op[]; dataKeyId: string };
  /** {@link createDataKeyOps} written directly (synced). */
  createDataKey(linkId: string): Promise<void>;
  /** Seals `plaintext` with the link's data key, binding `aad`; returns an opaque string. */
  seal(linkId: string, plaintext: string, aad: string): Promise<string>;
  /**
   * Opens a sealed value.
   * @throws {DataKeyShreddedError} when the link has no data key any more.
   * @throws {DecryptError} when `aad` differs, the value was altered or sealed under another key.
   */
  open(linkId: string, sealed: string, aad: string): Promise<string>;
  /** Whether the link still has a data key. */
  hasDataKey(linkId: string): Promise<boolean>;
  /** The delete to commit via `extraOps` (e.g. with `Unlinked`); the cache forgets the key now. */
  shredOps(linkId: string): Op[];
  /** {@link shredOps} written directly (synced). */
  shred(linkId: string): Promise<void>;
  /** Re-wraps every data key with the active master key and retires unused master key ids. */
  rewrap(): Promise<RewrapReport>;
}

interface DataKey {
  id: string;
  key: Buffer;
}

function checkLinkId(linkId: string): void {
  if (typeof linkId !== 'string' || linkId.length === 0 || linkId.length > 200 || linkId.includes('\0')) {
    throw new TypeError('link id must be a non-empty string of at most 200 characters');
  }
}

function checkRing(keys: readonly MasterKey[], activeKeyId: string | undefined): Map<string, MasterKey> {
  if (keys.length === 0) throw new InvalidMasterKeyError('the key ring is empty');
  const ring = new Map<string, MasterKey>();
  for (const k of keys) {
    if (k.key.length !== 32) throw new InvalidMasterKeyError(`master key ${k.id} is not 32 bytes`);
    if (masterKeyId(k.key) !== k.id) throw new InvalidMasterKeyError(`master key id ${k.id} is not derived from its key`);
    if (ring.has(k.id)) throw new InvalidMasterKeyError(`master key ${k.id} is in the ring twice`);
    ring.set(k.id, k);
  }
  if (activeKeyId !== undefined && !ring.has(activeKeyId)) {
    throw new InvalidMasterKeyError(`active key id ${activeKeyId} is not in the ring`);
  }
  return ring;
}

/**
 * Opens the vault on the store's db and checks the master key ring against the key check
 * values stored in it.
 *
 * @throws {MasterKeyMismatchError} when a master key that wrapped data keys here is missing
 *   from the ring (a wrong `TOKEN_ENCRYPTION_KEY`).
 * @example
 * const vault = await openTokenVault({ db: store.db, masterKeys: [masterKeyFromBase64(env)], runExclusive: store.runExclusive });
 * const { ops } = vault.createDataKeyOps(linkId);
 * const sealed = await vault.seal(linkId, refreshToken, String(telegramUserId));
 */
export async function openTokenVault(options: OpenTokenVaultOptions): Promise<TokenVault> {
  const { db } = options;
  if (db.status !== 'open') await db.open();
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive =
    options.runExclusive ??
    (<T>(fn: () => Promise<T>): Promise<T> => {
      const run = chain.then(fn, fn);
      chain = run.catch(() => {});
      return run;
    });
  return createTokenVault(levelVaultStorage(db, exclusive), options);
}

/**
 * The vault over any {@link VaultStorage}: checks the key ring against the stored key check
 * values, then seals, opens, creates and shreds data keys. `openTokenVault` (LevelDB) and
 * `openPostgresTokenVault` (PostgreSQL) build their storage and call this.
 *
 * @throws {MasterKeyMismatchError} when a master key that wrapped data keys here is missing
 *   from the ring.
 */
export async function createTokenVault<Op>(storage: VaultStorage<Op>, options: VaultKeyOptions): Promise<TokenVault<Op>> {
  const ring = checkRing(options.masterKeys, options.activeKeyId);
  const active = ring.get(options.activeKeyId ?? options.masterKeys[0]!.id)!;

  const missing: string[] = [];
  let activeChecked = false;
  for (const [id, kcv] of await storage.keyCheckValues()) {
    const configured = ring.get(id);
    if (!configured || keyCheckValue(configured.key) !== kcv) missing.push(id);
    if (id === active.id) activeChecked = true;
  }
  if (missing.length > 0) throw new MasterKeyMismatchError(missing, [...ring.keys()]);
  if (!activeChecked) await storage.putKeyCheckValue(active.id, keyCheckValue(active.key));

  const cache = new Lru<string, DataKey>(options.cacheSize ?? 1000);
  // Keys created but maybe not yet written: kept apart so cache pressure cannot lose them.
  const pending = new Lru<string, DataKey>(4096);
  // Links whose delete was handed out: never cache their key again (a read racing the delete).
  const doomed = new Lru<string, true>(100_000);

  function unwrap(linkId: string, record: WrappedKey): DataKey {
    const master = ring.get(record.mk);
    if (!master) throw new MasterKeyMismatchError([record.mk], [...ring.keys()]);
    const key = gcmOpen(master.key, Buffer.from(record.box, 'base64url'), wrapAad(linkId, record.dk));
    if (!key || key.length !== 32) throw new DecryptError(linkId, 'its stored data key does not unwrap (corrupt record)');
    return { id: record.dk, key };
  }

  function wrap(linkId: string, dk: DataKey): string {
    const box = gcmSeal(active.key, dk.key, wrapAad(linkId, dk.id));
    const record: WrappedKey = { f: 1, mk: active.id, dk: dk.id, box: box.toString('base64url') };
    return JSON.stringify(record);
  }

  async function load(linkId: string): Promise<DataKey | undefined> {
    const hit = pending.get(linkId) ?? cache.get(linkId);
    if (hit) return hit;
    const raw = await storage.getWrapped(linkId);
    if (raw === undefined) return undefined;
    const record = parseWrapped(raw);
    if (!record) throw new DecryptError(linkId, 'its stored data key record is malformed');
    const dk = unwrap(linkId, record);
    if (!doomed.has(linkId)) cache.set(linkId, dk);
    return dk;
  }

  const vault: TokenVault<Op> = {
    activeKeyId: active.id,

    createDataKeyOps(linkId) {
      checkLinkId(linkId);
      const dk: DataKey = { id: randomBytes(4).toString('hex'), key: randomBytes(32) };
      doomed.delete(linkId);
      cache.delete(linkId);
      pending.set(linkId, dk);
      return { ops: [storage.putOp(linkId, wrap(linkId, dk))], dataKeyId: dk.id };
    },

    async createDataKey(linkId) {
      const { ops } = vault.createDataKeyOps(linkId);
      await storage.write(ops);
      const dk = pending.get(linkId);
      pending.delete(linkId);
      if (dk && !doomed.has(linkId)) cache.set(linkId, dk);
    },

    async seal(linkId, plaintext, aad) {
      checkLinkId(linkId);
      const dk = await load(linkId);
      if (!dk) throw new DataKeyShreddedError(linkId);
      return formatSealed(dk.id, gcmSeal(dk.key, Buffer.from(plaintext, 'utf8'), sealAad(linkId, aad)));
    },

    async open(linkId, sealed, aad) {
      checkLinkId(linkId);
      const parts = parseSealed(sealed);
      if (!parts) throw new DecryptError(linkId, 'not a sealed value of a known format');
      const dk = await load(linkId);
      if (!dk) throw new DataKeyShreddedError(linkId);
      if (dk.id !== parts.dataKeyId) throw new DecryptError(linkId, 'sealed under another data key');
      const plain = gcmOpen(dk.key, parts.box, sealAad(linkId, aad));
      if (!plain) throw new DecryptError(linkId);
      return plain.toString('utf8');
    },

    async hasDataKey(linkId) {
      checkLinkId(linkId);
      return (await load(linkId)) !== undefined;
    },

    shredOps(linkId) {
      checkLinkId(linkId);
      doomed.set(linkId, true);
      // Not zero-filled: a seal that already loaded the key may still be using the buffer.
      cache.delete(linkId);
      pending.delete(linkId);
      return [storage.delOp(linkId)];
    },

    async shred(linkId) {
      await storage.write(vault.shredOps(linkId));
    },

    rewrap: () => rewrapAll({ storage: storage as VaultStorage<unknown>, activeId: active.id, unwrap, wrap }),
  };
  return vault;
}
