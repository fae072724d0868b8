/**
 * Reading a request body within a byte limit, for POST-like routes (the Telegram webhook).
 */
import type { IncomingMessage } from 'node:http';

/** Thrown by {@link readBody} when the body is (or says it will be) over the limit: 413. */
export class PayloadTooLargeError extends Error {
  readonly code = 'HTTP_PAYLOAD_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'PayloadTooLargeError';
  }
}

/** Thrown by {@link readBody} when the client goes away mid-body. */
export class BodyAbortedError extends Error {
  readonly code = 'HTTP_BODY_ABORTED';
  constructor() {
    super('The client closed the connection before the request body was complete.');
    this.name = 'BodyAbortedError';
  }
}

/**
 * Reads the whole body of `req` into one buffer. A `Content-Length` over `limit` is refused
 * before reading; a chunked body is cut off as soon as it passes `limit`. After a refusal the
 * rest of the body is left to Node, which discards it when the response ends.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onAborted = () => {
      cleanup();
      reject(new BodyAbortedError());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}
