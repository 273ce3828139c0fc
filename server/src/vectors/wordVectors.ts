/**
 * Word vectors as one matrix, as gensim's KeyedVectors keeps them: row i of `data` is `words[i]`'s vector, rows in
 * file order (for published files and ours, most frequent first, so "the top N words" is the first N rows).
 * Unit-length copies are computed once, on first use. No editor or LSP imports: the server, CLI and benches share it.
 */
import { finishInSlices, finishNow, type ChunkedWork, type ChunkedWorkOptions } from './chunkedWork';
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
    if (!this.unitRows) this.unitRows = finishNow(unitRowsWork(this.data, this.dim));
    return this.unitRows;
  }

  /**
   * unitVectors(), computed in chunks with the event loop turning between them (progress in rows), so a server can
   * prepare large vectors right after loading them without blocking; a no-op when they are already computed.
   */
  async prepareUnitVectors(options: ChunkedWorkOptions = {}): Promise<Float32Array> {
    if (!this.unitRows) {
      const unit = await finishInSlices(unitRowsWork(this.data, this.dim), this.size, options);
      this.unitRows ??= unit; // a synchronous caller may have computed them meanwhile: keep the first
    }
    return this.unitRows;
  }
}

/** A copy of `data` with each `dim`-long row scaled to unit length; rows of zeros stay zeros. */
export function unitRowsOf(data: Float32Array, dim: number): Float32Array {
  return finishNow(unitRowsWork(data, dim));
}

/** About this many floats per chunk of unitRowsWork: a few milliseconds. */
const UNIT_CHUNK_FLOATS = 1 << 17;

/** unitRowsOf as chunked work: yields the rows done after each chunk. */
function* unitRowsWork(data: Float32Array, dim: number): ChunkedWork<Float32Array> {
  const unit = new Float32Array(data.length);
  const rowCount = dim === 0 ? 0 : data.length / dim;
  const chunkRows = Math.max(1, Math.floor(UNIT_CHUNK_FLOATS / Math.max(1, dim)));
  for (let row = 0; row < rowCount; row += chunkRows) {
    const end = Math.min(rowCount, row + chunkRows);
    scaleRowsToUnit(data, unit, dim, row, end);
    yield end;
  }
  return unit;
}

/** unit rows [from, to) = data rows scaled to unit length (the norm summed in a double, in order). */
function scaleRowsToUnit(data: Float32Array, unit: Float32Array, dim: number, from: number, to: number): void {
  for (let start = from * dim, stop = to * dim; start < stop; start += dim) {
    const end = start + dim;
    let sum = 0;
    for (let k = start; k < end; k++) sum += data[k] * data[k];
    if (sum === 0) continue;
    const scale = 1 / Math.sqrt(sum);
    for (let k = start; k < end; k++) unit[k] = data[k] * scale;
  }
}
