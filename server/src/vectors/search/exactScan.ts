/**
 * Exact scores, the reference every faster path is held to: a dot product of float32 values summed in order in a
 * double. The quantised index only chooses which rows to score; the scores it reports come from here.
 */
import { TopK } from './topK';

/** Σ rows[row·dim + k] · query[k], k in order. */
export function dotRow(rows: Float32Array, dim: number, row: number, query: Float32Array): number {
  const base = row * dim;
  let sum = 0;
  for (let k = 0; k < dim; k++) sum += rows[base + k] * query[k];
  return sum;
}

/**
 * A scorer of one row, given its exact cosine with each query term (`cosines` is reused between calls); the exact
 * scan and the index's re-scoring share it, so both rank by the same numbers.
 */
export type CombineCosines = (cosines: Float64Array) => number;

/**
 * The `k` best rows of [0, rowCount) by `combine` of their cosines with `terms`, skipping `exclude`. Rows go four at a
 * time: each row's sum is still taken in order (the same numbers as dotRow), but four independent sums keep the
 * floating-point adder busy instead of waiting on one chain.
 */
export function exactTopK(
  unitRows: Float32Array,
  dim: number,
  rowCount: number,
  terms: readonly Float32Array[],
  combine: CombineCosines,
  k: number,
  exclude: ReadonlySet<number>,
): TopK {
  const top = new TopK(k);
  const termCount = terms.length;
  const cosines = new Float64Array(4 * termCount);
  const rowCosines = [0, 1, 2, 3].map((lane) => cosines.subarray(lane * termCount, (lane + 1) * termCount));
  const blocked = rowCount - (rowCount % 4);
  for (let row = 0; row < blocked; row += 4) {
    const b0 = row * dim;
    const b1 = b0 + dim;
    const b2 = b1 + dim;
    const b3 = b2 + dim;
    for (let t = 0; t < termCount; t++) {
      const query = terms[t];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = 0; j < dim; j++) {
        const q = query[j];
        s0 += unitRows[b0 + j] * q;
        s1 += unitRows[b1 + j] * q;
        s2 += unitRows[b2 + j] * q;
        s3 += unitRows[b3 + j] * q;
      }
      cosines[t] = s0;
      cosines[termCount + t] = s1;
      cosines[2 * termCount + t] = s2;
      cosines[3 * termCount + t] = s3;
    }
    for (let lane = 0; lane < 4; lane++) {
      const score = combine(rowCosines[lane]);
      if (score >= top.threshold && !exclude.has(row + lane)) top.offer(row + lane, score);
    }
  }
  scoreRows(unitRows, dim, terms, combine, exclude, top, rowCount - blocked, (i) => blocked + i);
  return top;
}

/** Offers `count` rows (row = rowAt(i)) to `top` with their exact scores. */
export function scoreRows(
  unitRows: Float32Array,
  dim: number,
  terms: readonly Float32Array[],
  combine: CombineCosines,
  exclude: ReadonlySet<number>,
  top: TopK,
  count: number,
  rowAt: (i: number) => number,
): void {
  const cosines = new Float64Array(terms.length);
  for (let i = 0; i < count; i++) {
    const row = rowAt(i);
    for (let t = 0; t < terms.length; t++) cosines[t] = dotRow(unitRows, dim, row, terms[t]);
    const score = combine(cosines);
    // Most rows cannot enter; only those that might pay for the exclusion lookup.
    if (score >= top.threshold && !exclude.has(row)) top.offer(row, score);
  }
}
