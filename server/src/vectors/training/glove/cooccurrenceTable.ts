/**
 * GloVe's in-memory co-occurrence sums, bounded to a number of entries. As GloVe's `cooccur` does, pairs of frequent
 * words (ids are frequency ranks, so "frequent" means (i+1)·(j+1) ≤ maxProduct) live in a dense triangle-ish table
 * that never overflows: row i holds columns 0 .. maxProduct/(i+1). Every other pair goes to an open-addressing hash
 * table; when that is full its contents are handed out sorted (a "run", spilled to disk by the caller) and it starts
 * empty again. The dense table and the hash table never hold the same pair.
 */

/** Sorted (row, column) entries with their sums, `count` of them; the arrays may be longer. */
export interface CooccurrenceRun {
  count: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** The dense part gets this share of the entry budget; the rest (at least 16 entries) is the hash table's. */
const DENSE_SHARE = 0.75;
/** The hash table is this much larger than its entry budget, so probes stay short. */
const HASH_SLACK = 1.5;
const EMPTY = -1;

export class CooccurrenceTable {
  /** Pairs (i, j) with (i+1)·(j+1) ≤ maxProduct are dense. */
  readonly maxProduct: number;
  /** Offset of row i in `dense`; row i has `rowLength[i]` columns. */
  private readonly rowStart: Float64Array;
  private readonly rowLength: Int32Array;
  private readonly dense: Float64Array;
  private readonly sparseLimit: number;
  private readonly mask: number;
  private readonly keyRows: Int32Array;
  private readonly keyCols: Int32Array;
  private readonly sums: Float64Array;
  private sparseCount = 0;

  /** `onFull` receives the hash table's contents, sorted, each time it fills up (the arrays are reused afterwards). */
  constructor(
    readonly vocabSize: number,
    memoryEntries: number,
    private readonly onFull: (run: CooccurrenceRun) => void,
  ) {
    if (!(memoryEntries >= 32)) throw new Error(`GloVe: cooccurrenceMemoryEntries must be at least 32, got ${memoryEntries}`);
    this.maxProduct = largestMaxProduct(vocabSize, Math.floor(memoryEntries * DENSE_SHARE));
    this.rowStart = new Float64Array(vocabSize + 1);
    this.rowLength = new Int32Array(vocabSize);
    for (let i = 0; i < vocabSize; i++) {
      this.rowLength[i] = denseRowLength(i, this.maxProduct, vocabSize);
      this.rowStart[i + 1] = this.rowStart[i] + this.rowLength[i];
    }
    this.dense = new Float64Array(this.rowStart[vocabSize]);
    // Whatever the dense part leaves of the budget; when every pair is dense the hash table is never used.
    const denseCoversAll = this.dense.length === vocabSize * vocabSize;
    this.sparseLimit = denseCoversAll ? 0 : Math.max(16, memoryEntries - this.dense.length);
    let capacity = 16;
    while (capacity < this.sparseLimit * HASH_SLACK) capacity *= 2;
    if (denseCoversAll) capacity = 1;
    this.mask = capacity - 1;
    this.keyRows = new Int32Array(capacity).fill(EMPTY);
    this.keyCols = new Int32Array(capacity);
    this.sums = new Float64Array(capacity);
  }

  /** Adds `weight` to X[i][j] and X[j][i] (GloVe's symmetric context). */
  addPair(i: number, j: number, weight: number): void {
    if ((i + 1) * (j + 1) <= this.maxProduct) {
      this.dense[this.rowStart[i] + j] += weight;
      this.dense[this.rowStart[j] + i] += weight;
    } else {
      this.addSparse(i, j, weight);
      this.addSparse(j, i, weight);
    }
  }

  /** Non-zero dense entries, in (row, column) order. */
  denseRun(): CooccurrenceRun {
    let count = 0;
    for (let k = 0; k < this.dense.length; k++) if (this.dense[k] !== 0) count++;
    const run: CooccurrenceRun = { count, rows: new Int32Array(count), cols: new Int32Array(count), values: new Float64Array(count) };
    let out = 0;
    for (let i = 0; i < this.vocabSize; i++) {
      const start = this.rowStart[i];
      for (let j = 0; j < this.rowLength[i]; j++) {
        const value = this.dense[start + j];
        if (value === 0) continue;
        run.rows[out] = i;
        run.cols[out] = j;
        run.values[out++] = value;
      }
    }
    return run;
  }

  /** Hands the hash table's entries to `onFull`, sorted, and empties it. */
  flush(): void {
    if (this.sparseCount > 0) this.onFull(this.takeSortedSparse());
  }

  private addSparse(i: number, j: number, weight: number): void {
    let slot = pairHash(i, j) & this.mask;
    for (;;) {
      const row = this.keyRows[slot];
      if (row === EMPTY) break;
      if (row === i && this.keyCols[slot] === j) {
        this.sums[slot] += weight;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.keyRows[slot] = i;
    this.keyCols[slot] = j;
    this.sums[slot] = weight;
    if (++this.sparseCount >= this.sparseLimit) this.flush();
  }

  /**
   * The hash table's entries sorted by (row, column), and the table emptied. A counting sort by row (rows are word
   * ids, so one pass), then each row sorted by column: short rows by insertion, long ones by sorting keys
   * column·n + position in one typed-array sort, which carries the values along without a comparator.
   */
  private takeSortedSparse(): CooccurrenceRun {
    const count = this.sparseCount;
    const rowEnds = new Int32Array(this.vocabSize + 1);
    for (let slot = 0; slot <= this.mask; slot++) if (this.keyRows[slot] !== EMPTY) rowEnds[this.keyRows[slot] + 1]++;
    for (let i = 0; i < this.vocabSize; i++) rowEnds[i + 1] += rowEnds[i];
    const run: CooccurrenceRun = { count, rows: new Int32Array(count), cols: new Int32Array(count), values: new Float64Array(count) };
    const next = rowEnds.slice(0, this.vocabSize);
    for (let slot = 0; slot <= this.mask; slot++) {
      const row = this.keyRows[slot];
      if (row === EMPTY) continue;
      const at = next[row]++;
      run.rows[at] = row;
      run.cols[at] = this.keyCols[slot];
      run.values[at] = this.sums[slot];
    }
    for (let i = 0; i < this.vocabSize; i++) sortRowByColumn(run, rowEnds[i], rowEnds[i + 1]);
    this.keyRows.fill(EMPTY);
    this.sparseCount = 0;
    return run;
  }
}

const INSERTION_SORT_MAX = 24;

/** Sorts entries [start, end) of one row by column, values alongside. */
function sortRowByColumn(run: CooccurrenceRun, start: number, end: number): void {
  const { cols, values } = run;
  const n = end - start;
  if (n < 2) return;
  if (n <= INSERTION_SORT_MAX) {
    for (let a = start + 1; a < end; a++) {
      const col = cols[a];
      const value = values[a];
      let b = a - 1;
      for (; b >= start && cols[b] > col; b--) {
        cols[b + 1] = cols[b];
        values[b + 1] = values[b];
      }
      cols[b + 1] = col;
      values[b + 1] = value;
    }
    return;
  }
  // Columns and positions are below 2^26, so column·n + position is exact in a double.
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = cols[start + k] * n + k;
  keys.sort();
  const unsorted = values.slice(start, end);
  for (let k = 0; k < n; k++) {
    const col = Math.floor(keys[k] / n);
    cols[start + k] = col;
    values[start + k] = unsorted[keys[k] - col * n];
  }
}

/** Columns of dense row i: those j with (i+1)·(j+1) ≤ maxProduct, at most the vocabulary. */
function denseRowLength(i: number, maxProduct: number, vocabSize: number): number {
  return Math.min(vocabSize, Math.floor(maxProduct / (i + 1)));
}

/** The largest maxProduct whose dense table fits in `budget` entries (binary search; the size grows with it). */
function largestMaxProduct(vocabSize: number, budget: number): number {
  const size = (maxProduct: number): number => {
    let total = 0;
    for (let i = 0; i < vocabSize; i++) {
      const length = denseRowLength(i, maxProduct, vocabSize);
      if (length === 0) break;
      total += length;
    }
    return total;
  };
  let lo = 0;
  let hi = vocabSize * vocabSize;
  if (size(hi) <= budget) return hi;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (size(mid) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function pairHash(i: number, j: number): number {
  let h = Math.imul(i, 0x9e3779b1) ^ j;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
