/**
 * One GloVe training thread's pass over its share of the co-occurrence entries: AdaGrad on
 * f(X_ij)·(w_i·c_j + b_i + b'_j − log X_ij)², with word vectors, context vectors and biases in one shared matrix that
 * every thread updates without locks (Hogwild, as GloVe's threads do). No editor imports: it runs in worker threads.
 */

/** What every thread shares, all backed by SharedArrayBuffers. */
export interface GloveSharedState {
  vocabSize: number;
  dim: number;
  learningRate: number;
  /**
   * 2·vocabSize rows of dim + 1 floats: rows 0..V−1 are word vectors, rows V..2V−1 context vectors; the last float
   * of each row is its bias.
   */
  parameters: Float32Array;
  /** AdaGrad's sums of squared gradients, shaped as `parameters`, starting at 1 (so the first step is the rate). */
  gradientSquares: Float32Array;
  /** Entry e pairs word rows[e] with context cols[e]; its target is logCounts[e] and its weight weights[e]. */
  rows: Int32Array;
  cols: Int32Array;
  logCounts: Float32Array;
  weights: Float32Array;
}

/** A step's gradient component is clipped to this, as GloVe's recent versions do, so one bad entry cannot blow up. */
const GRADIENT_CLIP = 100;

/**
 * Trains on entries [start, end) in order and returns their summed cost ½·f·diff² (GloVe's reported cost before the
 * mean). `onSlice(done)` is called every `sliceEntries` entries, for progress.
 */
export function gloveThreadLoop(state: GloveSharedState, start: number, end: number, onSlice?: (done: number) => void, sliceEntries = 1 << 18): number {
  const { vocabSize, dim, learningRate, parameters: w, gradientSquares: g, rows, cols, logCounts, weights } = state;
  const stride = dim + 1;
  let cost = 0;
  let nextSlice = start + sliceEntries;
  for (let e = start; e < end; e++) {
    const l1 = rows[e] * stride;
    const l2 = (cols[e] + vocabSize) * stride;
    let diff = w[l1 + dim] + w[l2 + dim] - logCounts[e];
    for (let k = 0; k < dim; k++) diff += w[l1 + k] * w[l2 + k];
    const weightedDiff = weights[e] * diff;
    cost += 0.5 * weightedDiff * diff;
    const step = learningRate * weightedDiff;
    for (let k = 0; k < dim; k++) {
      let gradWord = step * w[l2 + k];
      let gradContext = step * w[l1 + k];
      if (gradWord > GRADIENT_CLIP) gradWord = GRADIENT_CLIP;
      else if (gradWord < -GRADIENT_CLIP) gradWord = -GRADIENT_CLIP;
      if (gradContext > GRADIENT_CLIP) gradContext = GRADIENT_CLIP;
      else if (gradContext < -GRADIENT_CLIP) gradContext = -GRADIENT_CLIP;
      w[l1 + k] -= gradWord / Math.sqrt(g[l1 + k]);
      w[l2 + k] -= gradContext / Math.sqrt(g[l2 + k]);
      g[l1 + k] += gradWord * gradWord;
      g[l2 + k] += gradContext * gradContext;
    }
    w[l1 + dim] -= step / Math.sqrt(g[l1 + dim]);
    w[l2 + dim] -= step / Math.sqrt(g[l2 + dim]);
    g[l1 + dim] += step * step;
    g[l2 + dim] += step * step;
    if (e + 1 === nextSlice) {
      onSlice?.(e + 1 - start);
      nextSlice += sliceEntries;
    }
  }
  return cost;
}
