import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { countCooccurrences, type CooccurrenceEntries } from '../../server/src/vectors/training/glove/countCooccurrences';
import { gloveWeight } from '../../server/src/vectors/training/glove/gloveWeight';
import type { EncodedCorpus } from '../../server/src/vectors/training/vectorTrainingTypes';
import { int, mulberry32, testSeed } from '../support/random';

/** An EncodedCorpus from sentences of word ids (words named w0, w1, …). */
function corpusOf(sentences: number[][], vocabSize: number): EncodedCorpus {
  const flat = sentences.flat();
  const tokens = new Int32Array(new SharedArrayBuffer(flat.length * 4));
  tokens.set(flat);
  const sentenceEnds = new Uint32Array(new SharedArrayBuffer(sentences.length * 4));
  let end = 0;
  sentences.forEach((sentence, s) => (sentenceEnds[s] = end += sentence.length));
  const counts = new Float64Array(vocabSize);
  for (const id of flat) counts[id]++;
  return { words: Array.from({ length: vocabSize }, (_, i) => `w${i}`), counts, tokens, sentenceEnds };
}

/** The statement of GloVe's counts: every pair of tokens d ≤ window apart in a sentence adds 1/d to X[a][b] and X[b][a]. */
function bruteForce(sentences: number[][], window: number): Map<string, number> {
  const x = new Map<string, number>();
  const add = (a: number, b: number, value: number): void => void x.set(`${a},${b}`, (x.get(`${a},${b}`) ?? 0) + value);
  for (const sentence of sentences) {
    for (let p = 0; p < sentence.length; p++) {
      for (let q = Math.max(0, p - window); q < p; q++) {
        add(sentence[q], sentence[p], 1 / (p - q));
        add(sentence[p], sentence[q], 1 / (p - q));
      }
    }
  }
  return x;
}

function assertMatches(entries: CooccurrenceEntries, expected: Map<string, number>): void {
  assert.equal(entries.count, expected.size);
  for (let n = 0; n < entries.count; n++) {
    if (n > 0) {
      const ordered = entries.rows[n - 1] < entries.rows[n] || (entries.rows[n - 1] === entries.rows[n] && entries.cols[n - 1] < entries.cols[n]);
      assert.ok(ordered, `entry ${n} out of (row, column) order`);
    }
    const want = expected.get(`${entries.rows[n]},${entries.cols[n]}`);
    assert.ok(want !== undefined, `unexpected pair (${entries.rows[n]}, ${entries.cols[n]})`);
    assert.ok(Math.abs(entries.values[n] - want) <= 1e-6 * want, `X[${entries.rows[n]}][${entries.cols[n]}] = ${entries.values[n]}, expected ${want}`);
  }
}

/** Zipf-ish sentences over `vocabSize` ids (id 0 the most frequent), seeded. */
function randomSentences(seed: number, count: number, vocabSize: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: int(random, 1, 30) }, () => Math.min(vocabSize - 1, Math.floor(vocabSize ** random()) - 1)));
}

test('counts weigh pairs by 1/distance, both ways, and stop at sentence ends', async () => {
  const entries = await countCooccurrences(corpusOf([[0, 1, 2], [3], [2, 2]], 4), { window: 2, memoryEntries: 1000 });
  const table: Record<string, number> = {};
  for (let n = 0; n < entries.count; n++) table[`${entries.rows[n]},${entries.cols[n]}`] = entries.values[n];
  // 3 is alone in its sentence; 2 twice in a row co-occurs with itself (both directions, as GloVe's cooccur).
  assert.deepEqual(table, { '0,1': 1, '1,0': 1, '0,2': 0.5, '2,0': 0.5, '1,2': 1, '2,1': 1, '2,2': 2 });
});

test('counts equal the brute-force statement when everything fits in memory', async () => {
  const sentences = randomSentences(testSeed(41), 300, 40);
  const entries = await countCooccurrences(corpusOf(sentences, 40), { window: 5, memoryEntries: 1_000_000 });
  assert.equal(entries.spilledRuns, 0);
  assertMatches(entries, bruteForce(sentences, 5));
});

test('counts equal the brute-force statement when a tiny memory limit spills runs to disk, and the runs are removed', async () => {
  const spillDir = mkdtempSync(path.join(os.tmpdir(), 'glove-spill-test-'));
  try {
    const sentences = randomSentences(testSeed(42), 400, 60);
    for (const window of [1, 3, 8]) {
      const entries = await countCooccurrences(corpusOf(sentences, 60), { window, memoryEntries: 400, spillDir });
      assert.ok(entries.spilledRuns > 3, `expected several spilled runs, got ${entries.spilledRuns}`);
      assertMatches(entries, bruteForce(sentences, window));
      assert.deepEqual(readdirSync(spillDir), []);
    }
    // Uniform words: each spilled run holds long rows, which are sorted differently from short ones.
    const random = mulberry32(testSeed(44));
    const uniform = Array.from({ length: 300 }, () => Array.from({ length: 20 }, () => Math.floor(random() * 100)));
    const entries = await countCooccurrences(corpusOf(uniform, 100), { window: 6, memoryEntries: 4000, spillDir });
    assert.ok(entries.spilledRuns > 1, `expected spilled runs, got ${entries.spilledRuns}`);
    assertMatches(entries, bruteForce(uniform, 6));
    assert.deepEqual(readdirSync(spillDir), []);
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
});

test('a cancel while counting rejects and leaves no spilled runs behind', async () => {
  const spillDir = mkdtempSync(path.join(os.tmpdir(), 'glove-cancel-test-'));
  try {
    // Over a million tokens, so counting reaches a point where it looks at the signal, with runs already spilled.
    const random = mulberry32(testSeed(43));
    const sentences = Array.from({ length: 60_000 }, () => Array.from({ length: 20 }, () => Math.floor(3000 ** random()) - 1));
    const controller = new AbortController();
    let sawSpill = false;
    await assert.rejects(
      countCooccurrences(corpusOf(sentences, 3000), {
        window: 5,
        memoryEntries: 100_000,
        spillDir,
        signal: controller.signal,
        onProgress: (progress) => {
          assert.equal(progress.phase, 'counting');
          sawSpill = readdirSync(spillDir).length > 0;
          controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.ok(sawSpill, 'the test meant to cancel after runs were spilled');
    assert.deepEqual(readdirSync(spillDir), []);
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
});

test('bad counting options get clear errors', async () => {
  const corpus = corpusOf([[0, 1]], 2);
  await assert.rejects(countCooccurrences(corpus, { window: 0, memoryEntries: 1000 }), /window must be a positive whole number, got 0/);
  await assert.rejects(countCooccurrences(corpus, { window: 2, memoryEntries: 3 }), /cooccurrenceMemoryEntries must be at least 32, got 3/);
});

test('the weighting function is (x / xMax)^alpha below xMax and 1 from there', () => {
  assert.equal(gloveWeight(100, 100, 0.75), 1);
  assert.equal(gloveWeight(250, 100, 0.75), 1);
  assert.ok(Math.abs(gloveWeight(50, 100, 0.75) - 0.5 ** 0.75) < 1e-15);
  assert.ok(Math.abs(gloveWeight(1, 100, 0.75) - 0.01 ** 0.75) < 1e-15);
  assert.ok(Math.abs(gloveWeight(0.5, 10, 1) - 0.05) < 1e-15);
  assert.ok(gloveWeight(10, 100, 0.75) < gloveWeight(20, 100, 0.75));
});
