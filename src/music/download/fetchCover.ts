/**
 * Fetches a cover image for tagging and the thumbnail. A cover is a nicety: every failure
 * (no answer, not an image, too big, an address that is not public) resolves undefined and
 * the audio goes out without one.
 *
 * Its URL comes from metadata (a page's `og:image`, Odesli, yt-dlp's thumbnail), so anyone
 * who controls a page may choose it: every hop connects only to public addresses, the body
 * is capped while it streams, and only a JPEG, PNG or WebP by its first bytes reaches
 * ffmpeg, which is told that format.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { abortReason } from '../errors.ts';
import { safeGet } from '../net/safeGet.ts';
import type { CoverFormat, CoverImage } from '../tools/ffmpeg.ts';

/** Covers larger than this are not worth the wait (Spotify's are about 60 kB). */
export const MAX_COVER_BYTES = 5 * 1024 * 1024;

/** Options of {@link fetchCover}. */
export interface FetchCoverOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Tests serving covers from 127.0.0.1 set it; production never does. */
  readonly allowPrivateAddresses?: boolean;
  /** Bytes kept at most (default {@link MAX_COVER_BYTES}). */
  readonly maxBytes?: number;
}

/**
 * The image format by the file's first bytes (JPEG `FF D8 FF`, PNG's 8-byte signature,
 * WebP `RIFF····WEBP`), or undefined for anything else.
 */
export function imageFormat(bytes: Uint8Array): CoverFormat | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/**
 * Downloads `url` into `dir` and resolves the image, or undefined. Rethrows only a
 * cancellation, so a cancelled job stops here too.
 */
export async function fetchCover(url: string | undefined, dir: string, o: FetchCoverOptions): Promise<CoverImage | undefined> {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  try {
    const res = await safeGet(url, {
      signal,
      maxBytes: o.maxBytes ?? MAX_COVER_BYTES,
      headers: { accept: 'image/*' },
      ...(o.allowPrivateAddresses && { allowPrivateAddresses: true }),
    });
    const format = res.status === 200 && !res.truncated ? imageFormat(res.body) : undefined;
    if (!format) {
      o.logger?.debug({ status: res.status, truncated: res.truncated }, 'cover refused: not a JPEG, PNG or WebP within the size limit');
      return undefined;
    }
    const path = join(dir, `cover.${format}`);
    await writeFile(path, res.body);
    return { path, format };
  } catch (err) {
    if (o.signal?.aborted) throw abortReason(o.signal);
    o.logger?.debug({ err }, 'cover not fetched');
    return undefined;
  }
}
