/**
 * Fetches a cover image for tagging and the thumbnail. A cover is a nicety: every failure
 * (no answer, not an image, too big) resolves undefined and the audio goes out without one.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { abortReason } from '../errors.ts';

/** Covers larger than this are not worth the wait (Spotify's are about 60 kB). */
const MAX_COVER_BYTES = 5 * 1024 * 1024;

/**
 * Downloads `url` into `dir` and resolves its path, or undefined. Rethrows only a
 * cancellation, so a cancelled job stops here too.
 */
export async function fetchCover(
  url: string | undefined,
  dir: string,
  o: { timeoutMs: number; signal?: AbortSignal; fetch?: typeof globalThis.fetch; logger?: Logger },
): Promise<string | undefined> {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    const res = await fetchBytes(url, o);
    if (!res) return undefined;
    const path = join(dir, 'cover.img');
    await writeFile(path, res);
    return path;
  } catch (err) {
    if (o.signal?.aborted) throw abortReason(o.signal);
    o.logger?.debug({ err }, 'cover not fetched');
    return undefined;
  }
}

async function fetchBytes(url: string, o: { timeoutMs: number; signal?: AbortSignal; fetch?: typeof globalThis.fetch }): Promise<Buffer | undefined> {
  // httpGet reads text; covers are binary, so this uses fetch directly with the same budget.
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  const res = await (o.fetch ?? globalThis.fetch)(url, { signal, headers: { accept: 'image/*' } });
  const type = res.headers.get('content-type') ?? '';
  const length = Number(res.headers.get('content-length') ?? 0);
  if (res.status !== 200 || !/^image\//i.test(type) || length > MAX_COVER_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const buf = Buffer.from(await res.arrayBuffer());
  return buf.length > 0 && buf.length <= MAX_COVER_BYTES ? buf : undefined;
}

