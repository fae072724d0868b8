/**
 * Adds unsynchronised lyrics (an ID3v2.3 `USLT` frame) to an MP3 whose ID3v2.3 tag ffmpeg
 * wrote. ffmpeg's own ID3 writer cannot: it writes a `lyrics` key as a `TXXX` frame described
 * "USLT", which players do not read as lyrics.
 *
 * Only a plain ID3v2.3 tag (no unsynchronisation, no extended header: what ffmpeg writes with
 * `-id3v2_version 3`) is changed; anything else is left alone, since the lyrics are a nicety
 * never worth a broken file. The new file is written beside the old one and renamed over it,
 * the audio streamed, so a large file is never held in memory.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

/** Reads a 28-bit syncsafe integer (ID3v2 §3.1: seven bits per byte). */
function syncsafe(b: Buffer, at: number): number {
  return ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f);
}

function toSyncsafe(n: number): Buffer {
  return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

/** A `USLT` frame of ID3v2.3 §4.9: UTF-16 with BOM (v2.3 has no UTF-8), language "und", no description. */
export function usltFrame(lyrics: string): Buffer {
  const bom = Buffer.from([0xff, 0xfe]);
  const body = Buffer.concat([
    Buffer.from([0x01]), // text encoding: UTF-16 with BOM
    Buffer.from('und', 'latin1'), // ISO 639-2 "undetermined": LRCLIB does not say the language
    bom, Buffer.from([0x00, 0x00]), // empty content descriptor, terminated
    bom, Buffer.from(lyrics, 'utf16le'),
  ]);
  const head = Buffer.alloc(10);
  head.write('USLT', 0, 'latin1');
  head.writeUInt32BE(body.length, 4); // v2.3 frame sizes are plain 32-bit, not syncsafe
  return Buffer.concat([head, body]);
}

/** Where the frames of an ID3v2.3 tag end (the padding starts), or undefined when it is not one we change. */
function framesEnd(tag: Buffer): number | undefined {
  let at = 10;
  while (at + 10 <= tag.length) {
    if (tag[at] === 0) return at; // padding
    const id = tag.toString('latin1', at, at + 4);
    if (!/^[A-Z0-9]{4}$/.test(id)) return undefined;
    const size = tag.readUInt32BE(at + 4);
    if (at + 10 + size > tag.length) return undefined;
    at += 10 + size;
  }
  return at;
}

/**
 * Adds `lyrics` to the MP3 at `path`. Resolves true when written, false when the file was
 * left alone (not an ID3v2.3 tag we change).
 */
export async function addId3Lyrics(path: string, lyrics: string): Promise<boolean> {
  const file = await open(path, 'r');
  let tag: Buffer;
  try {
    const header = Buffer.alloc(10);
    const { bytesRead } = await file.read(header, 0, 10, 0);
    // "ID3", major version 3, flags without unsynchronisation (0x80) or an extended header (0x40).
    if (bytesRead < 10 || header.toString('latin1', 0, 3) !== 'ID3' || header[3] !== 3 || (header[5]! & 0xc0) !== 0) return false;
    const size = syncsafe(header, 6);
    tag = Buffer.alloc(10 + size);
    if ((await file.read(tag, 0, tag.length, 0)).bytesRead < tag.length) return false;
  } finally {
    await file.close();
  }
  const end = framesEnd(tag);
  if (end === undefined) return false;
  const frame = usltFrame(lyrics);
  const newSize = tag.length - 10 + frame.length;
  if (newSize >= 1 << 28) return false;
  const head = Buffer.concat([tag.subarray(0, 6), toSyncsafe(newSize), tag.subarray(10, end), frame, tag.subarray(end)]);
  const temp = `${path}.lyrics`;
  try {
    const out = createWriteStream(temp);
    out.write(head);
    await pipeline(createReadStream(path, { start: tag.length }), out);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  return true;
}
