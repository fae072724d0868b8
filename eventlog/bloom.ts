/**
 * A fixed-size Bloom filter of strings. A rebuild starts from empty tables, so a key the
 * filter has never seen is certainly absent: the rebuild skips the disk read for it. False
 * positives only cost a read; memory stays fixed however many keys there are.
 *
 * @module
 */

/** Bloom filter with `bits` bits and `hashes` probes per key (double hashing of FNV-1a). */
export class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(
    bits = 1 << 24,
    readonly hashes = 4,
  ) {
    // A power of two so that the index is a mask, not a modulo.
    const size = 1 << Math.ceil(Math.log2(Math.max(64, bits)));
    this.#bits = new Uint32Array(size >>> 5);
    this.#mask = size - 1;
  }

  #hash(key: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  add(key: string): void {
    const [a, b] = this.#hash(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + Math.imul(i, b)) & this.#mask;
      this.#bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** False means "never added"; true means "probably added". */
  mightHave(key: string): boolean {
    const [a, b] = this.#hash(key);
    for (let i = 0; i < this.hashes; i++) {
      const bit = (a + Math.imul(i, b)) & this.#mask;
      if ((this.#bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
