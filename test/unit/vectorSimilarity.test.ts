/**
 * Similarity queries (gensim KeyedVectors semantics): a tiny hand-made vocabulary with known answers, then every
 * query against a brute-force statement of its definition written here, on seeded random vectors, small enough that
 * the queries take the plain exact scan. vectorSimilarityIndex.test.ts holds the quantised index to the same.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  analogy,
  doesntMatch,
  doesntMatchScores,
  mostSimilar,
  mostSimilarBatch,
  mostSimilarCosMul,
  nearestToVector,
  similarity,
  UnknownWordError,
  type Neighbour,
} from '../../server/src/vectors/similarity';
import { SubwordVectors } from '../../server/src/vectors/subwords';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { int, mulberry32, testSeed, type Random } from '../support/random';

// Dimensions: royal, male, female, fruit, noise.
const TINY: Record<string, number[]> = {
  king: [1, 1, 0, 0, 0.1],
  queen: [1, 0, 1, 0, 0.1],
  man: [0, 1, 0, 0, 0.2],
  woman: [0, 0, 1, 0, 0.2],
  prince: [0.8, 1, 0, 0, 0.3],
  apple: [0, 0, 0, 1, 0],
  banana: [0, 0, 0, 1, 0.3],
  cherry: [0, 0, 0, 0.9, -0.2],
};
const tiny = new WordVectors(Object.keys(TINY), 5, Float32Array.from(Object.values(TINY).flat()));

test('king - man + woman = queen, by 3CosAdd and 3CosMul, without the query words', () => {
  for (const method of ['add', 'mul'] as const) {
    const answers = analogy(tiny, 'man', 'king', 'woman', { method, topn: 3 });
    assert.equal(answers[0].word, 'queen', method);
    assert.ok(answers.every((n) => !['man', 'king', 'woman'].includes(n.word)), method);
  }
  assert.deepEqual(analogy(tiny, 'man', 'king', 'woman', { topn: 1 }), mostSimilar(tiny, ['king', 'woman'], ['man'], { topn: 1 }));
});

test('similarity is the cosine; nearest fruit to apple is cherry; the odd word out is the fruit', () => {
  assert.ok(Math.abs(similarity(tiny, 'king', 'queen') - 1.01 / 2.01) < 1e-6);
  assert.ok(Math.abs(similarity(tiny, 'apple', 'apple') - 1) < 1e-6);
  assert.deepEqual(mostSimilar(tiny, ['apple'], [], { topn: 2 }).map((n) => n.word), ['cherry', 'banana']);
  assert.equal(doesntMatch(tiny, ['king', 'queen', 'man', 'apple']), 'apple');
  assert.equal(doesntMatch(tiny, ['apple', 'banana', 'not-a-word', 'prince']), 'prince', 'unknown words are ignored');
  assert.throws(() => doesntMatch(tiny, ['nope', 'nada']), /none of the words has a vector/);
});

test("doesn't-match scores: each known word's cosine with the normalised mean, repeats counted, in the order given", () => {
  const words = ['apple', 'king', 'not-a-word', 'banana', 'apple'];
  const scores = doesntMatchScores(tiny, words);
  assert.deepEqual(scores.map((score) => score.word), ['apple', 'king', 'banana', 'apple']);
  const mean = [0, 0, 0, 0, 0];
  for (const { word } of scores) TINY[word].forEach((x, k) => (mean[k] += x / Math.hypot(...TINY[word])));
  for (const { word, similarity: cosine } of scores) {
    const unit = TINY[word].map((x) => x / Math.hypot(...TINY[word]));
    assert.ok(Math.abs(cosine - unit.reduce((sum, x, k) => sum + x * mean[k], 0) / Math.hypot(...mean)) < 1e-6, word);
  }
  const lowest = scores.reduce((odd, score) => (score.similarity < odd.similarity ? score : odd));
  assert.equal(doesntMatch(tiny, words), lowest.word);
  assert.equal(lowest.word, 'king');
  assert.deepEqual(doesntMatchScores(tiny, ['nope']), []);
});

test('unknown words raise UnknownWordError naming the word; bad input is refused', () => {
  const unknown = (error: unknown): boolean => error instanceof UnknownWordError && error.word === 'zebra' && /not in vocabulary: "zebra"/.test(error.message);
  assert.throws(() => mostSimilar(tiny, ['king', 'zebra']), unknown);
  assert.throws(() => mostSimilarCosMul(tiny, ['king'], ['zebra']), unknown);
  assert.throws(() => similarity(tiny, 'zebra', 'king'), unknown);
  assert.throws(() => analogy(tiny, 'man', 'zebra', 'woman'), unknown);
  assert.throws(() => mostSimilar(tiny, []), /no words or vectors/);
  assert.throws(() => mostSimilarCosMul(tiny, [], ['king']), /at least one positive/);
  assert.throws(() => nearestToVector(tiny, new Float32Array(3)), /3 dimensions, the vectors have 5/);
  assert.deepEqual(mostSimilar(tiny, ['king'], [], { topn: 0 }), []);
});

test('topn larger than the vocabulary gives every other word; restrictVocab 0 means all (as gensim)', () => {
  assert.equal(mostSimilar(tiny, ['king'], [], { topn: 100 }).length, 7);
  assert.deepEqual(mostSimilar(tiny, ['king'], [], { restrictVocab: 0 }), mostSimilar(tiny, ['king']));
  assert.deepEqual(mostSimilar(tiny, ['king'], [], { restrictVocab: 3 }).map((n) => n.word), ['man', 'queen']); // cosines 0.71, 0.50
});

// ---- Brute force, stated directly. ----

function randomVectors(random: Random, size: number, dim: number, withSubwords = false): WordVectors {
  const data = Float32Array.from({ length: size * dim }, () => random() * 2 - 1);
  data.fill(0, 5 * dim, 6 * dim); // a zero row: similarity 0 with everything
  const words = Array.from({ length: size }, (_, i) => `w${i}`);
  const bucket = 50;
  const subwords = withSubwords
    ? new SubwordVectors({ minn: 2, maxn: 3, bucket }, size, dim, Float32Array.from({ length: (size + bucket) * dim }, () => random() - 0.5))
    : undefined;
  return new WordVectors(words, dim, data, subwords);
}

function unit(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let k = 0; k < vector.length; k++) sum += vector[k] * vector[k];
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  return Float32Array.from(vector, (x) => x * scale);
}

function cosineWithUnitRow(v: WordVectors, row: number, unitQuery: Float32Array): number {
  const rows = v.unitVectors();
  let sum = 0;
  for (let k = 0; k < v.dim; k++) sum += rows[row * v.dim + k] * unitQuery[k];
  return sum;
}

/** Every row but `exclude` among the first rowCount, by score (ties: lower row first), the first topn. */
function ranked(v: WordVectors, score: (row: number) => number, topn: number, rowCount = v.size, exclude: Set<number> = new Set()): Neighbour[] {
  const all: Neighbour[] = [];
  for (let row = 0; row < rowCount; row++) if (!exclude.has(row)) all.push({ word: v.words[row], index: row, similarity: score(row) });
  return all.sort((a, b) => b.similarity - a.similarity || a.index - b.index).slice(0, topn);
}

const wordUnit = (v: WordVectors, word: string): Float32Array => unit(v.vector(word)!);

function bruteMostSimilar(v: WordVectors, positive: string[], negative: string[], topn: number, rowCount = v.size): Neighbour[] {
  const mean = new Float64Array(v.dim);
  for (const [words, sign] of [[positive, 1], [negative, -1]] as const) {
    for (const word of words) wordUnit(v, word).forEach((x, k) => (mean[k] += sign * x));
  }
  const query = unit(mean);
  const exclude = new Set([...positive, ...negative].flatMap((w) => (v.has(w) ? [v.index(w)!] : [])));
  return ranked(v, (row) => cosineWithUnitRow(v, row, query), topn, rowCount, exclude);
}

function bruteCosMul(v: WordVectors, positive: string[], negative: string[], topn: number, rowCount = v.size): Neighbour[] {
  const exclude = new Set([...positive, ...negative].flatMap((w) => (v.has(w) ? [v.index(w)!] : [])));
  const shifted = (row: number, word: string): number => (1 + cosineWithUnitRow(v, row, wordUnit(v, word))) / 2;
  const score = (row: number): number =>
    positive.reduce((p, w) => p * shifted(row, w), 1) / (negative.reduce((p, w) => p * shifted(row, w), 1) + 1e-6);
  return ranked(v, score, topn, rowCount, exclude);
}

function randomWords(random: Random, v: WordVectors, count: number): string[] {
  return Array.from({ length: count }, () => v.words[int(random, 0, v.size - 1)]);
}

test('mostSimilar and mostSimilarCosMul equal their brute-force definitions (random vectors, restrictVocab)', () => {
  const random = mulberry32(testSeed(41));
  const v = randomVectors(random, 3000, 24);
  for (let q = 0; q < 60; q++) {
    const positive = randomWords(random, v, int(random, 1, 3));
    const negative = randomWords(random, v, int(random, 0, 2));
    const topn = int(random, 1, 15);
    const restrictVocab = q % 3 === 0 ? int(random, 1, 2000) : undefined;
    const rowCount = restrictVocab ?? v.size;
    const context = `query ${q}: +${positive} -${negative} topn ${topn} restrict ${restrictVocab}`;
    const added = mostSimilar(v, positive, negative, { topn, restrictVocab });
    assert.deepEqual(added, bruteMostSimilar(v, positive, negative, topn, rowCount), context);
    assert.ok(added.every((n) => !positive.includes(n.word) && !negative.includes(n.word) && n.index < rowCount), context);
    assert.deepEqual(mostSimilarCosMul(v, positive, negative, { topn, restrictVocab }), bruteCosMul(v, positive, negative, topn, rowCount), context);
  }
});

test('analogy, similarity, nearestToVector and doesntMatch equal their definitions (random vectors)', () => {
  const random = mulberry32(testSeed(42));
  const v = randomVectors(random, 2000, 16);
  for (let q = 0; q < 30; q++) {
    const [a, b, c, d] = randomWords(random, v, 4);
    assert.deepEqual(analogy(v, a, b, c, { topn: 5 }), bruteMostSimilar(v, [b, c], [a], 5));
    assert.deepEqual(analogy(v, a, b, c, { topn: 5, method: 'mul' }), bruteCosMul(v, [b, c], [a], 5));
    let dot = 0;
    const [ua, ub] = [wordUnit(v, a), wordUnit(v, b)];
    for (let k = 0; k < v.dim; k++) dot += ua[k] * ub[k];
    assert.equal(similarity(v, a, b), dot);

    const vector = Float32Array.from({ length: v.dim }, () => random() - 0.5);
    const exclude = new Set([v.index(a)!, v.index(d)!]);
    const query = unit(vector);
    assert.deepEqual(nearestToVector(v, vector, { topn: 7, exclude }), ranked(v, (row) => cosineWithUnitRow(v, row, query), 7, v.size, exclude));

    const words = [a, b, c, d];
    const mean = new Float64Array(v.dim);
    for (const word of words) wordUnit(v, word).forEach((x, k) => (mean[k] += x));
    const centre = unit(mean);
    const cosines = words.map((word) => wordUnit(v, word).reduce((sum, x, k) => sum + x * centre[k], 0));
    const lowest = Math.min(...cosines);
    const expected = words.filter((_, i) => cosines[i] === lowest).sort()[0];
    assert.equal(doesntMatch(v, words), expected);
  }
});

test('a vector term is used as given and excludes nothing; a zero row scores 0', () => {
  const random = mulberry32(testSeed(43));
  const v = randomVectors(random, 500, 8);
  const [first] = mostSimilar(v, [v.row(17).slice()], [], { topn: 1 });
  assert.equal(first.index, 17);
  assert.ok(Math.abs(first.similarity - 1) < 1e-6);
  assert.equal(similarity(v, 'w5', 'w6'), 0);
  // A vector term's length weighs in the mean, as in gensim: a long vector dominates a word.
  const long = v.row(3).map((x) => x * 1000);
  assert.equal(mostSimilar(v, [long, 'w9'], [], { topn: 1 })[0].index, 3);
});

test('words without a row use their subword vector as query terms and are not excluded (fastText)', () => {
  const random = mulberry32(testSeed(44));
  const v = randomVectors(random, 400, 12, true);
  assert.equal(v.has('unseen'), false);
  const query = wordUnit(v, 'unseen');
  assert.deepEqual(mostSimilar(v, ['unseen'], [], { topn: 5 }), ranked(v, (row) => cosineWithUnitRow(v, row, query), 5));
  const other = wordUnit(v, 'w3');
  let dot = 0;
  for (let k = 0; k < v.dim; k++) dot += query[k] * other[k];
  assert.equal(similarity(v, 'unseen', 'w3'), dot);
  assert.deepEqual(mostSimilarCosMul(v, ['unseen', 'w1'], ['w2'], { topn: 4 }), bruteCosMul(v, ['unseen', 'w1'], ['w2'], 4));
  assert.notEqual(doesntMatch(v, ['unseen', 'w1', 'w2']), undefined);
});

test('mostSimilarBatch gives what nearestToVector gives for each query, with per-query exclusions', () => {
  const random = mulberry32(testSeed(45));
  const v = randomVectors(random, 1500, 10);
  const count = 19;
  const queries = Float32Array.from({ length: count * v.dim }, () => random() - 0.5);
  const exclude = Array.from({ length: count }, () => new Set([int(random, 0, v.size - 1), int(random, 0, v.size - 1)]));
  const batch = mostSimilarBatch(v, queries, { topn: 6, restrictVocab: 1200, exclude });
  assert.equal(batch.length, count);
  batch.forEach((result, i) => {
    const single = nearestToVector(v, queries.subarray(i * v.dim, (i + 1) * v.dim), { topn: 6, restrictVocab: 1200, exclude: exclude[i] });
    assert.deepEqual(result, single, `query ${i}`);
  });
  assert.throws(() => mostSimilarBatch(v, new Float32Array(15)), /not a whole number of 10-dimensional/);
});
