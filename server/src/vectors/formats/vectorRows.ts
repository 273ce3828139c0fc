/**
 * Rows as a reader finds them, parsed straight into one Float32Array: sized from the header when there is one,
 * otherwise from an estimate, doubled when full and trimmed once at the end. Repeated words are rare, so they are
 * not looked for row by row (hashing a million words twice costs more than the parsing): WordVectors refuses them,
 * and only then are later repeats dropped, each with a warning, keeping the first as gensim does.
 */
import { DuplicateWordError, WordVectors } from '../wordVectors';
import type { WarningList } from './vectorFileError';

/** How a row is named in warnings: by its line (text files) or its row number (binary files). */
export type RowPlace = 'line' | 'row';

export class VectorRows {
  private readonly words: string[] = [];
  /** The line or row number of each kept row, for warnings. */
  private readonly places: number[] = [];
  private buffer: Float32Array;

  constructor(
    readonly dim: number,
    capacityRows: number,
    private readonly warnings: WarningList,
    private readonly place: RowPlace,
  ) {
    this.buffer = new Float32Array(Math.max(1, capacityRows) * dim);
  }

  get count(): number {
    return this.words.length;
  }

  get firstWord(): string {
    return this.words[0];
  }

  /** The array the rows go to; it changes when it grows, in `nextRowOffset`. */
  get data(): Float32Array {
    return this.buffer;
  }

  /** Where in `data` the next row's values go, growing it when full. */
  nextRowOffset(): number {
    const offset = this.words.length * this.dim;
    if (offset + this.dim > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, offset + this.dim));
      grown.set(this.buffer.subarray(0, offset));
      this.buffer = grown;
    }
    return offset;
  }

  /** Keeps the row just written at `nextRowOffset` for `word`, found at this line or row number. */
  commit(word: string, place: number): void {
    this.words.push(word);
    this.places.push(place);
  }

  /** The vectors, trimmed: a view when little is spare, a copy when a guess left much unused. */
  finish(): WordVectors {
    try {
      return new WordVectors(this.words, this.dim, this.trimmed(this.words.length));
    } catch (error) {
      if (!(error instanceof DuplicateWordError)) throw error;
    }
    const seen = new Set<string>();
    let kept = 0;
    for (let i = 0; i < this.words.length; i++) {
      const word = this.words[i];
      if (seen.has(word)) {
        if (this.place === 'line') this.warnings.add(`duplicate word "${word}"; the first one is kept`, this.places[i]);
        else this.warnings.add(`duplicate word "${word}" (row ${this.places[i]}); the first one is kept`);
        continue;
      }
      seen.add(word);
      if (kept !== i) this.buffer.copyWithin(kept * this.dim, i * this.dim, (i + 1) * this.dim);
      this.words[kept++] = word;
    }
    this.words.length = kept;
    return new WordVectors(this.words, this.dim, this.trimmed(kept));
  }

  private trimmed(rows: number): Float32Array {
    const used = rows * this.dim;
    return this.buffer.length - used > used / 8 ? this.buffer.slice(0, used) : this.buffer.subarray(0, used);
  }
}
