/**
 * Backups of the data dir: a consistent copy while the bot runs, and a restore into an empty
 * data dir. (Format: `backupFormat.ts`.)
 *
 * **Consistency.** The copy is one LevelDB iterator over the whole database. classic-level
 * takes the iterator's snapshot synchronously when it is created, and every write of the
 * event log is one atomic batch (events, projections, checkpoints, vault keys together), so
 * the copy holds each batch entirely or not at all, without stopping appends while it is
 * written. It is created inside `runExclusive` when one is given, so no batch is half-way
 * through the writer and the trailer's head position is the store's head at that moment.
 *
 * **Reaching a running bot.** LevelDB allows one process per directory, so a second process
 * (`npm run replay -- backup`) cannot open a data dir the bot holds: {@link backupDataDir}
 * opens it when it is free and otherwise asks the running bot through its control socket
 * (`controlSocket.ts`), which streams the same format back.
 *
 * Restored data are byte for byte the live keys: the log, the projections with their
 * checkpoints, the vault's wrapped data keys and key check values, the music `file_id` cache.
 * Shredded data keys are not in a backup (only live keys are copied).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { ClassicLevel } from 'classic-level';
import { DataDirLockedError, openLevelDb, type RootDb } from '../../eventlog/index.ts';
import { requestBackup } from './controlSocket.ts';
import { BACKUP_VERSION, FrameWriter, readFrames, type BackupHeader, type BackupTrailer } from './backupFormat.ts';
import { controlSocketPath, dbLocation } from '../storage/dataDir.ts';
import { OpsError } from './errors.ts';

/** What a finished backup or restore reports. */
export interface BackupReport {
  /** Key/value entries copied. */
  readonly entries: number;
  /** Global position of the last event copied (-1: empty log). */
  readonly headPosition: number;
  /** When the copy's snapshot was taken (ISO 8601). */
  readonly createdAt: string;
}

/** Where {@link writeBackup} reads from. */
export interface BackupSource {
  readonly db: RootDb;
  /** The store's `runExclusive`: the snapshot is taken between two batches. */
  readonly runExclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

type BufferIterator = { nextv(size: number): Promise<Array<[Buffer, Buffer]>>; close(): Promise<void> };

/** Entries read per step: large enough for throughput, small enough to keep memory flat. */
const CHUNK = 1000;

/** Writes a backup of the whole database to `destination` (gzip), ending it. */
export async function writeBackup(source: BackupSource, destination: Writable): Promise<BackupReport> {
  const { db } = source;
  const take = async () => {
    const createdAt = new Date().toISOString();
    // Created synchronously here, so its snapshot is this moment (classic-level semantics).
    const iterator = db.iterator({ keyEncoding: 'buffer', valueEncoding: 'buffer' } as never) as unknown as BufferIterator;
    return { iterator, createdAt };
  };
  const { iterator, createdAt } = source.runExclusive ? await source.runExclusive(take) : await take();
  const logPrefix = Buffer.from(db.sublevel('log').prefix);
  const frames = new FrameWriter();
  let headPosition = -1;
  let entries = 0;
  async function* generate(): AsyncGenerator<Buffer> {
    try {
      const header: BackupHeader = { format: 'musicbot-backup', version: BACKUP_VERSION, createdAt };
      yield frames.start(header);
      for (;;) {
        const batch = await iterator.nextv(CHUNK);
        if (batch.length === 0) break;
        const out: Buffer[] = [];
        for (const [key, value] of batch) {
          out.push(frames.entry(key, value));
          entries++;
          if (key.length > logPrefix.length && key.subarray(0, logPrefix.length).equals(logPrefix)) {
            const position = Number(key.subarray(logPrefix.length).toString('latin1'));
            if (Number.isSafeInteger(position) && position > headPosition) headPosition = position;
          }
        }
        yield Buffer.concat(out);
      }
      yield frames.finish(headPosition);
    } finally {
      await iterator.close();
    }
  }
  try {
    await pipeline(Readable.from(generate()), createGzip(), destination);
  } finally {
    // Also when the destination failed before the generator started (closing twice is fine).
    await iterator.close();
  }
  return { entries, headPosition, createdAt };
}

/** Reads a whole backup, checking its checksum; nothing is written. */
export async function inspectBackup(file: string): Promise<BackupReport> {
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  for await (const item of readFrames(gunzipped(createReadStream(file)))) {
    if (item.kind === 'header') header = item.header;
    if (item.kind === 'trailer') trailer = item.trailer;
  }
  return { entries: trailer!.entries, headPosition: trailer!.headPosition, createdAt: header!.createdAt };
}

/**
 * Writes a backup file of the data dir: directly when no process holds it, otherwise through
 * the running bot's control socket. The file appears only once complete and checked (written
 * as `<file>.partial-…`, fsynced, verified, renamed), with mode 0600; an existing file is
 * never overwritten.
 *
 * @throws {OpsError} `BACKUP_TARGET_EXISTS`, `BACKUP_SOURCE_MISSING`, `BACKUP_UNREACHABLE`.
 */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupReport & { via: 'direct' | 'running bot' }> {
  if (await exists(file)) throw new OpsError('BACKUP_TARGET_EXISTS', `${file} already exists; choose a new file name`);
  const location = dbLocation(dataDir);
  if (!(await exists(join(location, 'CURRENT')))) throw new OpsError('BACKUP_SOURCE_MISSING', `no bot data in ${dataDir} (expected ${location})`);
  let db: RootDb | undefined;
  try {
    db = await openLevelDb(location);
  } catch (err) {
    if (!(err instanceof DataDirLockedError)) throw err;
  }
  const via = db ? 'direct' : 'running bot';
  const report = await writeFileAtomically(file, async (out) => {
    if (db) {
      try {
        await writeBackup({ db }, out);
      } finally {
        await db.close();
      }
    } else {
      await requestBackup(controlSocketPath(dataDir), out);
    }
  });
  return { ...report, via };
}

/**
 * Restores a backup file into `dataDir`, which must hold no bot data (no `db/`, or an empty
 * one). The whole file is checked before anything becomes visible: entries go into a
 * temporary directory next to `db/`, which is renamed into place only after the trailer's
 * checksum and count matched; the last write is synced. A data dir it creates is mode 0700 like
 * the bot's (`app.ts`), and `db/` is 0700 with every file 0600: LevelDB creates them under
 * the umask (0755/0644), and the restored tree holds the wrapped data keys and user ids.
 *
 * Open the data dir with the same `TOKEN_ENCRYPTION_KEY` (and previous keys) as the backed-up
 * bot: the backup holds the data keys wrapped by that master key, never the key itself.
 *
 * @throws {OpsError} `RESTORE_TARGET_NOT_EMPTY`, `BACKUP_CORRUPT`.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<BackupReport> {
  const target = dbLocation(dataDir);
  if (await exists(target)) {
    if ((await readdir(target)).length > 0) {
      throw new OpsError('RESTORE_TARGET_NOT_EMPTY', `${target} already holds data; restore into an empty DATA_DIR (move the old one away first)`);
    }
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  const db = new ClassicLevel<Buffer, Buffer>(temp, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  try {
    await db.open();
    let ops: Array<{ type: 'put'; key: Buffer; value: Buffer }> = [];
    for await (const item of readFrames(gunzipped(createReadStream(file)))) {
      if (item.kind === 'header') header = item.header;
      else if (item.kind === 'trailer') trailer = item.trailer;
      else {
        ops.push({ type: 'put', key: item.key, value: item.value });
        if (ops.length >= CHUNK) {
          await db.batch(ops);
          ops = [];
        }
      }
    }
    // Reached only with a verified trailer; syncing the last batch syncs the log before it.
    await db.batch(ops, { sync: true });
    await db.close();
    await makePrivate(temp);
    if (await exists(target)) await rm(target, { recursive: true });
    await rename(temp, target);
    await fsyncDir(dataDir);
  } catch (err) {
    await db.close().catch(() => undefined);
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
  return { entries: trailer!.entries, headPosition: trailer!.headPosition, createdAt: header!.createdAt };
}

/** Makes a LevelDB directory readable by its owner only (0700, its files 0600) before it becomes visible. */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const name of await readdir(dir)) await chmod(join(dir, name), 0o600);
}

/** The decompressed bytes of a backup file; a damaged gzip stream is `BACKUP_CORRUPT`. */
async function* gunzipped(input: Readable): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const piping = pipeline(input, gunzip).catch((err: unknown) => err);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OpsError('BACKUP_SOURCE_MISSING', 'the backup file does not exist', { cause: err });
    if (typeof code === 'string' && code.startsWith('Z_')) throw new OpsError('BACKUP_CORRUPT', 'the backup file is damaged or not a backup (bad compression); nothing was restored', { cause: err });
    throw err;
  } finally {
    input.destroy();
    await piping;
  }
}

/** Writes `file` through a temporary name; returns the checked contents' report. */
async function writeFileAtomically(file: string, write: (out: Writable) => Promise<void>): Promise<BackupReport> {
  const dir = dirname(file);
  const partial = join(dir, `.${basename(file)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    await write(createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const report = await inspectBackup(partial);
    // link() fails when `file` appeared meanwhile: never overwrite a backup.
    await link(partial, file).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EEXIST' ? new OpsError('BACKUP_TARGET_EXISTS', `${file} already exists; choose a new file name`) : err;
    });
    await fsyncDir(dir);
    return report;
  } finally {
    await unlink(partial).catch(() => undefined);
  }
}

/** Makes a rename in `dir` durable (best effort where the file system refuses). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}
