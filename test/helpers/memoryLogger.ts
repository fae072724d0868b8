/**
 * A real pino logger that writes to memory, for asserting what did (and did not) reach the
 * log. Deliberately plain pino, without src/log.ts redaction: a test that finds no secret
 * here proves the code under test never handed one to the logger.
 *
 * @example
 * const log = createMemoryLogger();
 * // … run code with log.logger …
 * assert.not.ok(log.text().includes(secret));
 */
import pino, { type Logger, type Level } from 'pino';

export interface MemoryLogger {
  readonly logger: Logger;
  /** Every line written so far, raw. */
  text(): string;
  /** Every line written so far, parsed. */
  records(): Array<Record<string, unknown>>;
  /** Forgets what was written. */
  clear(): void;
}

export function createMemoryLogger(level: Level = 'info'): MemoryLogger {
  let lines: string[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    text: () => lines.join(''),
    records: () => lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    clear: () => {
      lines = [];
    },
  };
}
