/**
 * A hash table from text (UTF-16 units) to a number, looked up by a range of a larger string without
 * slicing it. Encoding looks up every regex piece here; a Map would first need the piece as a new string
 * and then hash it, which costs as much as the regex itself.
 *
 * Open addressing with linear probing; keys are copied into one Uint16Array pool. Entries cannot be removed
 * one by one, only every entry after the first N (truncate), which is all a bounded cache needs.
 */
export const NOT_FOUND = -0x80000000;

export class PieceTable {
  private slots: Int32Array; // entry index + 1; 0 = empty
  private keyStart: Uint32Array;
  private keyLength: Uint32Array;
  private hashes: Uint32Array;
  private values: Int32Array;
  private pool: Uint16Array;
  private poolUsed = 0;
  size = 0;

  constructor(expectedEntries: number) {
    const capacity = 1 << Math.ceil(Math.log2(Math.max(16, expectedEntries * 2)));
    this.slots = new Int32Array(capacity);
    this.keyStart = new Uint32Array(expectedEntries);
    this.keyLength = new Uint32Array(expectedEntries);
    this.hashes = new Uint32Array(expectedEntries);
    this.values = new Int32Array(expectedEntries);
    this.pool = new Uint16Array(Math.max(1024, expectedEntries * 8));
  }

  /** The value stored for text.slice(start, end), or NOT_FOUND. */
  get(text: string, start: number, end: number): number {
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash >>>= 0;
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return NOT_FOUND;
      if (this.hashes[entry] !== hash || this.keyLength[entry] !== length) continue;
      const at = this.keyStart[entry];
      let same = true;
      for (let k = 0; k < length; k++) {
        if (this.pool[at + k] !== text.charCodeAt(start + k)) {
          same = false;
          break;
        }
      }
      if (same) return this.values[entry];
    }
  }

  /** Adds a key that is not in the table yet. */
  add(key: string, value: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    if (this.size === this.values.length) this.growEntries();
    if (this.poolUsed + key.length > this.pool.length) {
      const pool = new Uint16Array(Math.max(this.pool.length * 2, this.poolUsed + key.length));
      pool.set(this.pool);
      this.pool = pool;
    }
    const entry = this.size++;
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      this.pool[this.poolUsed + i] = c;
      hash = Math.imul(hash ^ c, 0x01000193);
    }
    this.hashes[entry] = hash >>> 0;
    this.keyStart[entry] = this.poolUsed;
    this.keyLength[entry] = key.length;
    this.values[entry] = value;
    this.poolUsed += key.length;
    this.place(entry);
  }

  /** Forgets every entry added after the first `keep` (used to drop cached pieces but keep the vocabulary). */
  truncate(keep: number): void {
    if (keep >= this.size) return;
    this.size = keep;
    this.poolUsed = keep > 0 ? this.keyStart[keep - 1] + this.keyLength[keep - 1] : 0;
    this.slots.fill(0);
    for (let entry = 0; entry < this.size; entry++) this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.size; entry++) this.place(entry);
  }

  private growEntries(): void {
    const capacity = this.values.length * 2;
    const grow = <T extends Uint32Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.keyStart = grow(this.keyStart, (n) => new Uint32Array(n));
    this.keyLength = grow(this.keyLength, (n) => new Uint32Array(n));
    this.hashes = grow(this.hashes, (n) => new Uint32Array(n));
    this.values = grow(this.values, (n) => new Int32Array(n));
  }
}
