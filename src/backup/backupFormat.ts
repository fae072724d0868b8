/**
 * The backup file format, version 1: a gzip stream of frames.
 *
 * ```
 * "MUSICBOT-BACKUP\n"                      magic (16 bytes)
 * frame*                                   kind (1 byte) · length (uint32 BE) · payload
 *   'H' header   JSON { format, version, createdAt }
 *   'E' entry    uint32 BE key length · key bytes · value bytes (raw LevelDB bytes)
 *   'Z' trailer  JSON { entries, headPosition, sha256 }   sha256 of every frame before it
 * ```
 *
 * Entries are the raw keys and values of the whole LevelDB in key order, so a restore gives
 * the same bytes back. Nothing is decrypted: tokens stay sealed under their data keys, and
 * data keys stay wrapped by the master key, which is never in a backup. A file without its
 * trailer, or whose checksum or count does not match, is refused as a whole.
 */
import { createHash, type Hash } from 'node:crypto';
import { OpsError } from './errors.ts';

/** The first bytes of every backup (inside the gzip stream). */
export const BACKUP_MAGIC = Buffer.from('MUSICBOT-BACKUP\n');
/** The format version this code writes and reads. */
export const BACKUP_VERSION = 1;

const HEADER = 0x48; // 'H'
const ENTRY = 0x45; // 'E'
const TRAILER = 0x5a; // 'Z'
/** Larger than any LevelDB record the app writes; a bigger length means a corrupt file. */
const MAX_FRAME = 64 * 1024 * 1024;

/** The header frame. */
export interface BackupHeader {
  readonly format: 'musicbot-backup';
  readonly version: number;
  readonly createdAt: string;
}

/** The trailer frame: what a reader checks before trusting anything it read. */
export interface BackupTrailer {
  readonly entries: number;
  /** Global position of the last event in the backup (-1: empty log). */
  readonly headPosition: number;
  readonly sha256: string;
}

/** Builds frames and the running checksum. */
export class FrameWriter {
  readonly #hash: Hash = createHash('sha256');
  #entries = 0;

  /** The magic and the header frame. */
  start(header: BackupHeader): Buffer {
    return Buffer.concat([BACKUP_MAGIC, this.#frame(HEADER, Buffer.from(JSON.stringify(header)))]);
  }

  /** One key/value frame. */
  entry(key: Uint8Array, value: Uint8Array): Buffer {
    this.#entries++;
    const len = Buffer.alloc(4);
    len.writeUInt32BE(key.byteLength);
    return this.#frame(ENTRY, Buffer.concat([len, key, value]));
  }

  /** The trailer frame (not part of the checksum). */
  finish(headPosition: number): Buffer {
    const trailer: BackupTrailer = { entries: this.#entries, headPosition, sha256: this.#hash.digest('hex') };
    return frame(TRAILER, Buffer.from(JSON.stringify(trailer)));
  }

  #frame(kind: number, payload: Buffer): Buffer {
    const bytes = frame(kind, payload);
    this.#hash.update(bytes);
    return bytes;
  }
}

function frame(kind: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = kind;
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

const corrupt = (why: string) => new OpsError('BACKUP_CORRUPT', `the backup file is damaged or not a backup (${why}); nothing was restored`);

/** What {@link readFrames} yields. */
export type BackupItem =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'entry'; key: Buffer; value: Buffer }
  | { kind: 'trailer'; trailer: BackupTrailer };

/**
 * Parses a (gunzipped) backup stream. The trailer is yielded only after its checksum and
 * entry count matched what was read; any damage throws `BACKUP_CORRUPT`.
 */
export async function* readFrames(chunks: AsyncIterable<Buffer>): AsyncGenerator<BackupItem> {
  const hash = createHash('sha256');
  let buffered: Buffer = Buffer.alloc(0);
  let magicSeen = false;
  let headerSeen = false;
  let entries = 0;
  let done = false;
  for await (const chunk of chunks) {
    if (done) throw corrupt('data after the trailer');
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    if (!magicSeen) {
      if (buffered.length < BACKUP_MAGIC.length) continue;
      if (!buffered.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) throw corrupt('unknown file type');
      buffered = buffered.subarray(BACKUP_MAGIC.length);
      magicSeen = true;
    }
    let offset = 0;
    while (buffered.length - offset >= 5) {
      const kind = buffered[offset]!;
      const length = buffered.readUInt32BE(offset + 1);
      if (length > MAX_FRAME) throw corrupt('frame too large');
      if (buffered.length - offset < 5 + length) break;
      const bytes = buffered.subarray(offset, offset + 5 + length);
      const payload = bytes.subarray(5);
      offset += 5 + length;
      if (kind === TRAILER) {
        const trailer = parseJson(payload) as BackupTrailer;
        if (!headerSeen) throw corrupt('no header');
        if (trailer.sha256 !== hash.digest('hex')) throw corrupt('checksum mismatch');
        if (trailer.entries !== entries) throw corrupt('entry count mismatch');
        done = true;
        if (offset !== buffered.length) throw corrupt('data after the trailer');
        yield { kind: 'trailer', trailer };
        continue;
      }
      hash.update(bytes);
      if (kind === HEADER) {
        if (headerSeen) throw corrupt('two headers');
        const header = parseJson(payload) as BackupHeader;
        if (header.format !== 'musicbot-backup') throw corrupt('unknown format');
        if (header.version !== BACKUP_VERSION) throw new OpsError('BACKUP_CORRUPT', `backup format version ${header.version} is not supported by this version of the bot (it reads ${BACKUP_VERSION})`);
        headerSeen = true;
        yield { kind: 'header', header };
      } else if (kind === ENTRY) {
        if (!headerSeen || payload.length < 4) throw corrupt('entry before the header');
        const keyLength = payload.readUInt32BE(0);
        if (keyLength > payload.length - 4) throw corrupt('bad entry');
        entries++;
        // Copies: the chunk buffer is reused for the next frames.
        yield { kind: 'entry', key: Buffer.from(payload.subarray(4, 4 + keyLength)), value: Buffer.from(payload.subarray(4 + keyLength)) };
      } else {
        throw corrupt('unknown frame');
      }
    }
    buffered = buffered.subarray(offset);
  }
  if (!done) throw corrupt('it ends before its trailer');
}

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw corrupt('unreadable frame');
  }
}
