/**
 * The batched 3CosAdd scan against the plain way (each question's mean, every row scored, best first, ties to the
 * lower row), on both of its paths (shared cosines, direct through the neighbour search, exact and indexed) and on
 * ties that force its exact fallback.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosAddQuery, cosAddTopRows } from '../../server/src/vectors/evaluation/cosAddScan';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { int, mulberry32, testSeed, type Random } from '../support/random';

function plainTopRows(unitRows: Float32Array, dim: number, rowCount: number, questions: Int32Array, k: number): Int32Array[] {
  const best: Int32Array[] = [];
  for (let q = 0; q < questions.length / 3; q++) {
    const query = cosAddQuery(unitRows, dim, questions[3 * q], questions[3 * q + 1], questions[3 * q + 2]);
    const scores = Array.from({ length: rowCount }, (_, row) => {
      let score = 0;
      for (let d = 0; d < dim; d++) score += unitRows[row * dim + d] * query[d];
      return { row, score };
    });
    scores.sort((x, y) => y.score - x.score || x.row - y.row);
    best.push(Int32Array.from(scores.slice(0, k), ({ row }) => row));
  }
  return best;
}

function randomVectors(random: Random, rows: number, dim: number): WordVectors {
  const words = Array.from({ length: rows }, (_, row) => `w${row}`);
  return new WordVectors(words, dim, Float32Array.from({ length: rows * dim }, () => random() - 0.5));
}

/** cosAddTopRows and the plain way agree on `vectors`' first rowCount rows. */
async function assertPlainAnswers(vectors: WordVectors, rowCount: number, questions: Int32Array, k: number): Promise<void> {
  assert.deepEqual(await cosAddTopRows(vectors, rowCount, questions, k), plainTopRows(vectors.unitVectors(), vectors.dim, rowCount, questions, k));
}

function randomQuestions(random: Random, count: number, words: number): Int32Array {
  return Int32Array.from({ length: 3 * count }, () => int(random, 0, words - 1));
}

test('3CosAdd scan: shared cosines (many questions, few words) give the plain answers', async () => {
  const random = mulberry32(testSeed(11));
  const vectors = randomVectors(random, 3000, 12);
  await assertPlainAnswers(vectors, 2500, randomQuestions(random, 400, 40), 8);
});

test('3CosAdd scan: the direct way (few questions, many words) gives the plain answers', async () => {
  const random = mulberry32(testSeed(12));
  const vectors = randomVectors(random, 2000, 16);
  await assertPlainAnswers(vectors, 2000, randomQuestions(random, 30, 2000), 8);
});

test('3CosAdd scan: the direct way over enough rows for the quantised index gives the plain answers', async () => {
  const random = mulberry32(testSeed(14));
  const vectors = randomVectors(random, 24_000, 16);
  await assertPlainAnswers(vectors, 22_000, randomQuestions(random, 30, 24_000), 8);
});

test('3CosAdd scan: exact ties beyond the candidate slack fall back to the exact scan, lower rows first', async () => {
  const random = mulberry32(testSeed(13));
  const dim = 8;
  const data = Float32Array.from({ length: 600 * dim }, () => random() - 0.5);
  // Rows 100..139 are one vector repeated: 40 tied scores for every question.
  for (let row = 101; row < 140; row++) data.copyWithin(row * dim, 100 * dim, 101 * dim);
  const vectors = new WordVectors(Array.from({ length: 600 }, (_, row) => `w${row}`), dim, data);
  const questions = new Int32Array(300);
  for (let q = 0; q < 100; q++) questions.set([int(random, 0, 9), 100, int(random, 10, 19)], 3 * q);
  await assertPlainAnswers(vectors, 600, questions, 8);
});
