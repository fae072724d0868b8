/**
 * Splits a child process's output into lines, for the tests that spawn one (the event-log
 * fixtures and `src/main.ts`) and wait for what it prints.
 *
 * @example
 * onLines(child.stdout!, (line) => pattern.test(line) && resolve(line));
 */
import type { Readable } from 'node:stream';

/**
 * Calls `onLine` with each complete line of `stream` (UTF-8, without the `\n`), in order. A last
 * piece without `\n` is never reported: a line counts once its writer has ended it.
 */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      onLine(line);
    }
  });
}
