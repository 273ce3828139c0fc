/**
 * Word vectors as one matrix, as gensim's KeyedVectors keeps them: row i of `data` is `words[i]`'s vector, rows in
 * file order (for published files and ours, most frequent first, so "the top N words" is the first N rows).
 * Unit-length copies are computed once, on first use. No editor or LSP imports: the server, CLI and benches share it.
 */
import type { SubwordVectors } from './subwords';

/** Two rows for one word: readers catch it to drop the later rows with a warning, as gensim does. */
export class DuplicateWordError extends Error {
  constructor(readonly word: string, readonly firstRow: number, readonly row: number) {
    super(`word vectors: duplicate word "${word}" (rows ${firstRow} and ${row})`);
    this.name = 'DuplicateWordError';
  }
}

export class WordVectors {
  readonly size: number;
  private readonly rows = new Map<string, number>();
  private unitRows?: Float32Array;

  /**
   * `data` holds words.length × dim floats, row-major; it is used as it is, not copied. Words must be distinct
   * (readers drop later duplicates, with a warning). `subwords`, from a fastText model, gives vectors to words that
   * have no row.
   */
  constructor(
    readonly words: readonly string[],
    readonly dim: number,
    readonly data: Float32Array,
    readonly subwords?: SubwordVectors,
  ) {
    if (data.length !== words.length * dim) throw new Error(`word vectors: ${words.length} words × ${dim} dimensions need ${words.length * dim} floats, got ${data.length}`);
    this.size = words.length;
    for (let i = 0; i < words.length; i++) {
      const first = this.rows.get(words[i]);
      if (first !== undefined) throw new DuplicateWordError(words[i], first, i);
      this.rows.set(words[i], i);
    }
  }

  /** The word's row, or undefined when it has none (fastText models can still give it a vector: see `vector`). */
  index(word: string): number | undefined {
    return this.rows.get(word);
  }

  has(word: string): boolean {
    return this.rows.has(word);
  }

  /** A view of row i (not a copy). */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /**
   * The word's vector: its row (a view), or for a word without a row, one computed from subwords when the model
   * has them (a fresh array); undefined otherwise.
   */
  vector(word: string): Float32Array | undefined {
    const i = this.rows.get(word);
    if (i !== undefined) return this.row(i);
    return this.subwords?.vector(word);
  }

  /** Every row scaled to unit length (zero rows stay zero), computed once and kept. */
  unitVectors(): Float32Array {
    if (!this.unitRows) this.unitRows = unitRowsOf(this.data, this.dim);
    return this.unitRows;
  }
}

/** A copy of `data` with each `dim`-long row scaled to unit length; rows of zeros stay zeros. */
export function unitRowsOf(data: Float32Array, dim: number): Float32Array {
  const unit = new Float32Array(data.length);
  for (let start = 0; start < data.length; start += dim) {
    let sum = 0;
    for (let k = start; k < start + dim; k++) sum += data[k] * data[k];
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let k = start; k < start + dim; k++) unit[k] = data[k] * scale;
  }
  return unit;
}
