/**
 * Adds an iTunes freeform tag (`----:com.apple.iTunes:<name>`) to an M4A file: the way
 * iTunes, Picard and most taggers store an ISRC, which ffmpeg's iPod muxer cannot write.
 *
 * Only files whose `moov` box comes last (ffmpeg's default layout) are changed: the `moov`
 * grows in place at the end of the file, so no sample offset in it moves. Any other layout
 * is left alone (the tag is a nicety, never worth a broken file).
 */
import { open } from 'node:fs/promises';

interface Box {
  readonly type: string;
  /** Offset of the box header. */
  readonly start: number;
  /** Header size (8, or 16 for 64-bit sizes). */
  readonly header: number;
  readonly size: number;
}

function* children(buf: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) return;
    yield { type: buf.toString('latin1', at + 4, at + 8), start: at, header, size };
    at += size;
  }
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

const fullBoxFlags = (n = 0) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
};

/** The `----` item: `mean` (the namespace), `name`, and a UTF-8 `data` value. */
function freeformItem(name: string, value: string): Buffer {
  const dataHead = Buffer.alloc(8);
  dataHead.writeUInt32BE(1, 0); // type 1: UTF-8 text; then 4 bytes of locale 0
  return box(
    '----',
    box('mean', fullBoxFlags(), Buffer.from('com.apple.iTunes', 'utf8')),
    box('name', fullBoxFlags(), Buffer.from(name, 'utf8')),
    box('data', dataHead, Buffer.from(value, 'utf8')),
  );
}

/**
 * Appends `----:com.apple.iTunes:<name>` = `value` to the file's `moov/udta/meta/ilst`.
 * Resolves true when written, false when the layout is not the expected one.
 */
export async function addMp4FreeformTag(path: string, name: string, value: string): Promise<boolean> {
  const fh = await open(path, 'r+');
  try {
    const { size: fileSize } = await fh.stat();
    // Walk the top-level boxes by their headers only: mdat may be tens of megabytes.
    let at = 0;
    let moov: { start: number; size: number } | undefined;
    const head = Buffer.alloc(16);
    while (at + 8 <= fileSize) {
      await fh.read(head, 0, 16, at);
      let size = head.readUInt32BE(0);
      if (size === 1) size = Number(head.readBigUInt64BE(8));
      else if (size === 0) size = fileSize - at;
      if (size < 8) return false;
      if (head.toString('latin1', 4, 8) === 'moov') moov = { start: at, size };
      at += size;
    }
    if (!moov || moov.start + moov.size !== fileSize || moov.size > 64 * 1024 * 1024) return false;
    const buf = Buffer.alloc(moov.size);
    await fh.read(buf, 0, moov.size, moov.start);
    if (buf.readUInt32BE(0) === 1) return false;
    const path3 = ['udta', 'meta', 'ilst'];
    const chain: Box[] = [];
    let scope = { from: 8, to: buf.length };
    for (const type of path3) {
      const found = [...children(buf, scope.from, scope.to)].find((b) => b.type === type);
      if (!found) return false;
      chain.push(found);
      // `meta` is a full box: 4 bytes of version and flags before its children.
      const skip = type === 'meta' ? 4 : 0;
      scope = { from: found.start + found.header + skip, to: found.start + found.size };
    }
    const ilst = chain[2]!;
    const item = freeformItem(name, value);
    const grown = Buffer.concat([buf.subarray(0, ilst.start + ilst.size), item, buf.subarray(ilst.start + ilst.size)]);
    for (const b of [{ start: 0, header: 8 } as const, ...chain]) {
      if (b.header !== 8) return false;
      grown.writeUInt32BE(grown.readUInt32BE(b.start) + item.length, b.start);
    }
    await fh.write(grown, 0, grown.length, moov.start);
    return true;
  } finally {
    await fh.close();
  }
}
