/**
 * Similarity queries over word vectors, with gensim KeyedVectors' semantics: most_similar (3CosAdd),
 * most_similar_cosmul (3CosMul), similarity, similar_by_vector, doesnt_match. A word term uses its unit vector (a
 * word without a row but with subword vectors, from fastText, is computed from them); a Float32Array term is used as
 * given. Words of the query that have rows never appear in its results. `restrictVocab` searches only the first N
 * rows (the N most frequent words in published files). Large searches go through a quantised index (search/), whose
 * answers are identical to a full exact scan's.
 */
import { cosineObjective, cosMulObjective, type Objective } from './search/objective';
import { searchNeighbours, searchNeighboursBatch } from './search/neighbourSearch';
import type { Scored } from './search/topK';
import type { WordVectors } from './wordVectors';

export class UnknownWordError extends Error {
  constructor(readonly word: string) {
    super(`word not in vocabulary: "${word}"`);
    this.name = 'UnknownWordError';
  }
}

export interface Neighbour {
  word: string;
  index: number;
  similarity: number;
}

export interface SimilarOptions {
  /** How many neighbours (default 10); fewer than 1 gives none. */
  topn?: number;
  /** Search only the first N rows (0: all, as gensim). */
  restrictVocab?: number;
}

export type Term = string | Float32Array;

export const DEFAULT_TOPN = 10;

/** 3CosAdd: cosine with the normalised mean of the positive terms minus the negative ones. */
export function mostSimilar(v: WordVectors, positive: Term[], negative: Term[] = [], options: SimilarOptions = {}): Neighbour[] {
  if (positive.length + negative.length === 0) throw new Error('most similar: no words or vectors given');
  const mean = new Float64Array(v.dim);
  const addTerm = (term: Term, weight: number): void => {
    const vector = typeof term === 'string' ? unitWordVector(v, term) : checkedVector(v, term);
    for (let k = 0; k < v.dim; k++) mean[k] += weight * vector[k];
  };
  for (const term of positive) addTerm(term, 1);
  for (const term of negative) addTerm(term, -1);
  // gensim divides by the total weight before normalising; for the direction only the normalisation matters.
  return neighbours(v, cosineObjective(unitVector(mean)), excludedRows(v, [...positive, ...negative]), options);
}

/**
 * 3CosMul (Levy and Goldberg 2014) as gensim's most_similar_cosmul: Π (1 + cos(w, p)) / 2 over positives divided by
 * Π (1 + cos(w, n)) / 2 over negatives plus 1e-6. Vector terms are normalised first (gensim uses them as given, which
 * takes the shifted cosine outside [0, 1] unless they already have unit length). Unlike gensim, restrictVocab is
 * honoured.
 */
export function mostSimilarCosMul(v: WordVectors, positive: Term[], negative: Term[] = [], options: SimilarOptions = {}): Neighbour[] {
  if (positive.length === 0) throw new Error('most similar (3CosMul): needs at least one positive word or vector');
  const unitTerm = (term: Term): Float32Array => (typeof term === 'string' ? unitWordVector(v, term) : unitVector(checkedVector(v, term)));
  const objective = cosMulObjective(positive.map(unitTerm), negative.map(unitTerm));
  return neighbours(v, objective, excludedRows(v, [...positive, ...negative]), options);
}

/** Cosine similarity of two words (0 when either vector is zero). */
export function similarity(v: WordVectors, a: string, b: string): number {
  return dot(unitWordVector(v, a), unitWordVector(v, b));
}

/** The rows nearest to an arbitrary vector by cosine (gensim's similar_by_vector), skipping `exclude` rows. */
export function nearestToVector(
  v: WordVectors,
  vector: Float32Array,
  options: SimilarOptions & { exclude?: ReadonlySet<number> } = {},
): Neighbour[] {
  return neighbours(v, cosineObjective(unitVector(checkedVector(v, vector))), options.exclude ?? new Set(), options);
}

/**
 * Many nearestToVector queries at once (analogy evaluation): `queries` holds q vectors of `dim` floats, row after row
 * (normalised here); exclude[i], when given, lists rows left out of query i's results. Same answers as one call per
 * query, faster on large vocabularies because each pass over the index serves several queries.
 */
export function mostSimilarBatch(
  v: WordVectors,
  queries: Float32Array,
  options: SimilarOptions & { exclude?: ReadonlyArray<ReadonlySet<number>> } = {},
): Neighbour[][] {
  if (queries.length % v.dim !== 0) throw new Error(`query batch has ${queries.length} floats, not a whole number of ${v.dim}-dimensional vectors`);
  const topn = topnOf(options);
  const count = queries.length / v.dim;
  if (topn === 0) return Array.from({ length: count }, () => []);
  const unitQueries = Array.from({ length: count }, (_, i) => unitVector(queries.subarray(i * v.dim, (i + 1) * v.dim)));
  return searchNeighboursBatch(v, unitQueries, topn, rowCountOf(v, options), options.exclude ?? []).map((scored) => toNeighbours(v, scored));
}

/**
 * The word furthest from the others: lowest cosine with the normalised mean of their unit vectors (ties: the first
 * in code-unit order, as gensim's sort gives). Words without a vector are ignored, as gensim does.
 */
export function doesntMatch(v: WordVectors, words: string[]): string {
  return oddOneOut(doesntMatchScores(v, words), words);
}

/** The answer doesntMatch gives from doesntMatchScores: the least similar word (the lower word on a tie). */
export function oddOneOut(scores: ReadonlyArray<{ word: string; similarity: number }>, words: readonly string[]): string {
  if (scores.length === 0) throw new Error(`doesn't match: none of the words has a vector (${words.join(', ')})`);
  let odd = scores[0];
  for (const score of scores) {
    if (score.similarity < odd.similarity || (score.similarity === odd.similarity && score.word < odd.word)) odd = score;
  }
  return odd.word;
}

/**
 * What doesntMatch ranks by: each word that has a vector (repeats included, as gensim counts them) with its cosine to
 * the normalised mean of those words' unit vectors, in the order given.
 */
export function doesntMatchScores(v: WordVectors, words: readonly string[]): Array<{ word: string; similarity: number }> {
  const used = words.filter((word) => v.vector(word) !== undefined);
  const vectors = used.map((word) => unitWordVector(v, word));
  const mean = new Float64Array(v.dim);
  for (const vector of vectors) for (let k = 0; k < v.dim; k++) mean[k] += vector[k];
  const centre = unitVector(mean);
  return used.map((word, i) => ({ word, similarity: dot(vectors[i], centre) }));
}

/** "a is to b as c is to ?": b - a + c by 3CosAdd (default) or 3CosMul. */
export function analogy(v: WordVectors, a: string, b: string, c: string, options: SimilarOptions & { method?: 'add' | 'mul' } = {}): Neighbour[] {
  return options.method === 'mul' ? mostSimilarCosMul(v, [b, c], [a], options) : mostSimilar(v, [b, c], [a], options);
}

function neighbours(v: WordVectors, objective: Objective, exclude: ReadonlySet<number>, options: SimilarOptions): Neighbour[] {
  const topn = topnOf(options);
  return topn === 0 ? [] : toNeighbours(v, searchNeighbours(v, objective, topn, rowCountOf(v, options), exclude));
}

/** The whole number of neighbours asked for; 0 for none. */
function topnOf(options: SimilarOptions): number {
  const topn = options.topn ?? DEFAULT_TOPN;
  return topn >= 1 ? Math.floor(topn) : 0;
}

function rowCountOf(v: WordVectors, options: SimilarOptions): number {
  // As gensim, 0 (or no value) means the whole vocabulary.
  return options.restrictVocab ? Math.max(0, Math.min(v.size, Math.floor(options.restrictVocab))) : v.size;
}

function toNeighbours(v: WordVectors, scored: Scored[]): Neighbour[] {
  return scored.map(({ index, score }) => ({ word: v.words[index], index, similarity: score }));
}

/** The rows of the query's words, which gensim leaves out of the results. */
function excludedRows(v: WordVectors, terms: Term[]): Set<number> {
  const rows = new Set<number>();
  for (const term of terms) {
    const row = typeof term === 'string' ? v.index(term) : undefined;
    if (row !== undefined) rows.add(row);
  }
  return rows;
}

/** The word's unit vector: its normalised row, or its subword vector normalised; UnknownWordError otherwise. */
export function unitWordVector(v: WordVectors, word: string): Float32Array {
  const row = v.index(word);
  if (row !== undefined) return v.unitVectors().subarray(row * v.dim, (row + 1) * v.dim);
  const vector = v.vector(word);
  if (!vector) throw new UnknownWordError(word);
  return unitVector(vector);
}

function checkedVector(v: WordVectors, vector: Float32Array): Float32Array {
  if (vector.length !== v.dim) throw new Error(`query vector has ${vector.length} dimensions, the vectors have ${v.dim}`);
  return vector;
}

/** A float32 copy scaled to unit length (zeros stay zeros). */
function unitVector(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let k = 0; k < vector.length; k++) sum += vector[k] * vector[k];
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  const out = new Float32Array(vector.length);
  for (let k = 0; k < vector.length; k++) out[k] = vector[k] * scale;
  return out;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}
