/**
 * The Word Embedding Association Test (Caliskan et al., 2017). With s(w, A, B) = mean cos(w, a) - mean cos(w, b):
 * the statistic s(X, Y, A, B) = Σ_x s(x, A, B) - Σ_y s(y, A, B); the effect size is the difference of the two
 * targets' mean s over the sample standard deviation of s over X ∪ Y; the one-sided p-value is the share of
 * partitions (Xi, Yi) of X ∪ Y into sets of X's and Y's sizes with s(Xi, Yi, A, B) > s(X, Y, A, B): all of them
 * when there are at most `permutations`, else that many drawn at random (seeded, so reruns agree).
 */
import { seededRandom } from '../seededRandom';
import type { WordVectors } from '../wordVectors';
import type { WeatWordSets } from './weatSets';

export interface WeatOptions {
  /** Enumerate every partition when there are at most this many, else sample this many. Default 100,000. */
  permutations?: number;
  /** Seed of the sampling. Default 1. */
  seed?: number;
}

export interface WeatResult {
  effectSize: number;
  /** One-sided: the share of partitions with a larger statistic. */
  pValue: number;
  statistic: number;
  /** Words of the four sets without a vector, left out. */
  missing: string[];
  /** Partitions counted (all of them when exact). */
  permutations: number;
  exact: boolean;
  /** Words used from each set. */
  sizes: { targetX: number; targetY: number; attributeA: number; attributeB: number };
}

export const DEFAULT_WEAT_PERMUTATIONS = 100_000;

export function weat(vectors: WordVectors, sets: WeatWordSets, options: WeatOptions = {}): WeatResult {
  const { permutations = DEFAULT_WEAT_PERMUTATIONS, seed = 1 } = options;
  if (!(Number.isInteger(permutations) && permutations > 0)) throw new Error(`WEAT: permutations must be a positive whole number, got ${permutations}`);
  const missing: string[] = [];
  const lookUp = (name: keyof WeatWordSets): Float64Array[] => {
    const found: Float64Array[] = [];
    for (const word of sets[name]) {
      const vector = unitVector(vectors, word);
      if (vector) found.push(vector);
      else missing.push(word);
    }
    if (found.length === 0) throw new Error(`WEAT: none of the ${name} words has a vector (${sets[name].join(', ') || 'the set is empty'})`);
    return found;
  };
  const [x, y, a, b] = (['targetX', 'targetY', 'attributeA', 'attributeB'] as const).map(lookUp);

  // s(w, A, B) for X's words, then Y's: the pooled sample the partitions are drawn from.
  const association = Float64Array.from([...x, ...y], (w) => meanCosine(w, a) - meanCosine(w, b));
  const xCount = x.length;
  const xSum = sum(association.subarray(0, xCount));
  const ySum = sum(association.subarray(xCount));
  const effectSize = (xSum / xCount - ySum / y.length) / sampleStandardDeviation(association);

  const partitions = binomial(association.length, xCount);
  const exact = partitions <= permutations;
  // A partition's statistic is 2·Σ_Xi s - Σ s, so comparing Σ_Xi s with Σ_X s is enough; the margin keeps the
  // observed partition (summed in another order) and exact ties from counting as larger.
  const margin = 1e-12 * (sum(association.map(Math.abs)) + 1);
  const larger = exact
    ? countLargerPartitions(association, xCount, xSum + margin)
    : countLargerSampledPartitions(association, xCount, xSum + margin, permutations, seed);
  const counted = exact ? partitions : permutations;
  return {
    effectSize,
    pValue: larger / counted,
    statistic: xSum - ySum,
    missing,
    permutations: counted,
    exact,
    sizes: { targetX: x.length, targetY: y.length, attributeA: a.length, attributeB: b.length },
  };
}

/**
 * The word's vector at unit length, in doubles (the cosines are not rounded to float32), trying its lower-cased form
 * too (the standard sets capitalise names).
 */
function unitVector(vectors: WordVectors, word: string): Float64Array | undefined {
  const vector = vectors.vector(word) ?? vectors.vector(word.toLowerCase());
  if (!vector) return undefined;
  let length = 0;
  for (let d = 0; d < vector.length; d++) length += vector[d] * vector[d];
  length = Math.sqrt(length);
  return Float64Array.from(vector, (value) => (length === 0 ? 0 : value / length));
}

function meanCosine(w: Float64Array, others: readonly Float64Array[]): number {
  let total = 0;
  for (const other of others) {
    let dot = 0;
    for (let d = 0; d < w.length; d++) dot += w[d] * other[d];
    total += dot;
  }
  return total / others.length;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function sampleStandardDeviation(values: Float64Array): number {
  const mean = sum(values) / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/** C(n, k), as a float (it only decides between enumerating and sampling). */
export function binomial(n: number, k: number): number {
  const smaller = Math.min(k, n - k);
  let result = 1;
  for (let i = 1; i <= smaller; i++) result = (result * (n - smaller + i)) / i;
  return Math.round(result);
}

/** How many k-subsets of `values` sum to more than `threshold`, over all of them. */
function countLargerPartitions(values: Float64Array, k: number, threshold: number): number {
  let larger = 0;
  const choose = (start: number, left: number, partial: number): void => {
    if (left === 0) {
      if (partial > threshold) larger++;
      return;
    }
    for (let i = start; i <= values.length - left; i++) choose(i + 1, left - 1, partial + values[i]);
  };
  choose(0, k, 0);
  return larger;
}

/** The same over `samples` random k-subsets (a partial Fisher-Yates shuffle each). */
function countLargerSampledPartitions(values: Float64Array, k: number, threshold: number, samples: number, seed: number): number {
  const random = seededRandom(seed);
  const order = Int32Array.from(values, (_, i) => i);
  let larger = 0;
  for (let sample = 0; sample < samples; sample++) {
    let partial = 0;
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (order.length - i));
      const chosen = order[j];
      order[j] = order[i];
      order[i] = chosen;
      partial += values[chosen];
    }
    if (partial > threshold) larger++;
  }
  return larger;
}
