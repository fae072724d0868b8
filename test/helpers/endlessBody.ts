/**
 * A body that never ends on its own: `chunk` written again and again (respecting back-pressure)
 * until the client goes away or 200 MB have gone out, the shape of a hostile "image" that a
 * cap must cut off while it streams.
 */
import type { ServerResponse } from 'node:http';

/** Streams `chunk` into `res` until the client closes; every write is counted through `onWrite`. */
export function writeEndless(res: ServerResponse, chunk: Buffer, onWrite: (bytes: number) => void): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < 200 * 1024 * 1024 && !res.destroyed) {
      sent += chunk.length;
      onWrite(chunk.length);
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
