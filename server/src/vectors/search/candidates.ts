/**
 * Candidate rows from approximate cosines with error bounds: every row that could be among the k best by the exact
 * score, and (almost always) few others. Excluded rows must already hold -Infinity in the arrays given here.
 *
 * Why it is exact: let A be the k-th largest lower bound. The k rows holding the largest lower bounds all score at
 * least A exactly, so the k-th best exact score is at least A, and a row of the exact top k (ties included) has an
 * upper bound of at least A. Collecting every row whose upper bound reaches A therefore keeps the whole exact top k.
 */

/** The k-th largest of values[0, count) (-Infinity when fewer than k are finite): one pass with a k-element min-heap. */
export function kthLargest(values: Float32Array | Float64Array, count: number, k: number): number {
  const heap = new Float64Array(k).fill(-Infinity);
  for (let i = 0; i < count; i++) {
    const x = values[i];
    if (x <= heap[0]) continue;
    // Replace the smallest and sift it down.
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= k) break;
      const right = left + 1;
      const child = right < k && heap[right] < heap[left] ? right : left;
      if (heap[child] >= x) break;
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = x;
  }
  return heap[0];
}

/** Rows whose single approximate cosine is within 2·error of the k-th largest (3CosAdd and plain cosine queries). */
export function cosineCandidates(scores: Float32Array, rowCount: number, error: number, k: number): Int32Array {
  const kth = kthLargest(scores, rowCount, k);
  return rowsAtLeast(scores, rowCount, kth - 2 * error);
}

/** Rows whose upper bound reaches the k-th largest lower bound. */
export function boundedCandidates(lower: Float64Array, upper: Float64Array, rowCount: number, k: number): Int32Array {
  return rowsAtLeast(upper, rowCount, kthLargest(lower, rowCount, k));
}

function rowsAtLeast(values: Float32Array | Float64Array, count: number, threshold: number): Int32Array {
  let found = 0;
  let rows = new Int32Array(64);
  for (let i = 0; i < count; i++) {
    const x = values[i];
    if (x < threshold || x === -Infinity) continue;
    if (found === rows.length) {
      const grown = new Int32Array(rows.length * 2);
      grown.set(rows);
      rows = grown;
    }
    rows[found++] = i;
  }
  return rows.subarray(0, found);
}
