/**
 * Byte-for-byte comparison of two tables (a live projection table and its rebuild), as a
 * merge of two ordered iterators: memory stays bounded by the chunk size.
 *
 * @module
 */
import type { Keyspace, TableDifference } from './types.ts';

// Keys as bytes: LevelDB orders by bytes, which JS string comparison does not follow.
type Entry = [Buffer, Buffer];

/** Pulls entries of a keyspace one at a time, reading them in chunks. */
class Cursor {
  #buffer: Entry[] = [];
  #index = 0;
  #done = false;
  readonly #iterator;

  constructor(table: Keyspace) {
    this.#iterator = table.iterator<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' });
  }

  async peek(): Promise<Entry | undefined> {
    if (this.#index < this.#buffer.length) return this.#buffer[this.#index];
    if (this.#done) return undefined;
    this.#buffer = (await this.#iterator.nextv(1000)) as Entry[];
    this.#index = 0;
    if (this.#buffer.length === 0) this.#done = true;
    return this.#buffer[0];
  }

  skip(): void {
    this.#index++;
  }

  close(): Promise<void> {
    return this.#iterator.close();
  }
}

/**
 * Lists how `rebuilt` differs from `live`, at most `limit` differences (keys only: values
 * may hold ciphertexts and are left out).
 */
export async function compareTables(
  projection: string,
  live: Keyspace,
  rebuilt: Keyspace,
  limit = 10_000,
): Promise<TableDifference[]> {
  const a = new Cursor(live);
  const b = new Cursor(rebuilt);
  const out: TableDifference[] = [];
  try {
    while (out.length < limit) {
      const x = await a.peek();
      const y = await b.peek();
      if (!x && !y) break;
      const order = x && y ? Buffer.compare(x[0], y[0]) : x ? -1 : 1;
      if (order < 0) {
        out.push({ projection, key: x![0].toString('utf8'), kind: 'extra' });
        a.skip();
      } else if (order > 0) {
        out.push({ projection, key: y![0].toString('utf8'), kind: 'missing' });
        b.skip();
      } else {
        if (!x![1].equals(y![1])) out.push({ projection, key: x![0].toString('utf8'), kind: 'different' });
        a.skip();
        b.skip();
      }
    }
    return out;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
