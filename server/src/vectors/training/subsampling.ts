/**
 * Sub-sampling of frequent words (Mikolov et al. 2013), with word2vec.c's and gensim's formula: a word seen `count`
 * times out of `total` is kept with probability (sqrt(count / (sample·total)) + 1) · sample·total / count, capped
 * at 1. fastText's sqrt(t/f) + t/f is the same number.
 */

/** Each word's keep probability; all 1 when `sample` is 0. */
export function keepProbabilities(counts: ArrayLike<number>, sample: number): Float32Array {
  const keep = new Float32Array(new SharedArrayBuffer(counts.length * Float32Array.BYTES_PER_ELEMENT)).fill(1);
  if (sample <= 0) return keep;
  let total = 0;
  for (let w = 0; w < counts.length; w++) total += counts[w];
  const threshold = sample * total;
  for (let w = 0; w < counts.length; w++) {
    const count = counts[w];
    if (count > 0) keep[w] = Math.min(1, (Math.sqrt(count / threshold) + 1) * (threshold / count));
  }
  return keep;
}
