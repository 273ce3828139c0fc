/**
 * The quantised index (int8 rows, a WebAssembly SIMD scan, exact re-scoring of provable candidates) against the
 * plain exact scan, on 20k–50k × 64 vectors: uniform random ones, and clustered ones with exact duplicates, where
 * near-ties and ties crowd the top. Every answer must be identical, words, order and similarities. Also: preparing
 * the index ahead of queries, releasing it, and scans whose helper thread has died.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasSearchIndex, prepareSearch, quantizedIndexFor, releaseSearchIndex, searchNeighbours, searchNeighboursBatch } from '../../server/src/vectors/search/neighbourSearch';
import { cosineObjective, cosMulObjective } from '../../server/src/vectors/search/objective';
import { QuantizedIndex } from '../../server/src/vectors/search/quantizedIndex';
import type { ScanThreads } from '../../server/src/vectors/search/scanThreads';
import { instantiateScan } from '../../server/src/vectors/search/scanKernel';
import { dotRow } from '../../server/src/vectors/search/exactScan';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { int, mulberry32, testSeed, type Random } from '../support/random';

const SIZE = 50_000;
/** Rows of the query-by-query comparisons (fewer, to keep them fast; 'indexed' forces the index at any size). */
const CHECK_SIZE = 20_000;
const DIM = 64;

function uniformVectors(random: Random, size = SIZE): WordVectors {
  return new WordVectors(wordsOf(size), DIM, Float32Array.from({ length: size * DIM }, () => random() * 2 - 1));
}

/** 300 tight clusters; every 50th row repeats an earlier row exactly (tied scores, broken by row order). */
function clusteredVectors(random: Random, size = SIZE): WordVectors {
  const centres = Float32Array.from({ length: 300 * DIM }, () => random() * 2 - 1);
  const data = new Float32Array(size * DIM);
  for (let row = 0; row < size; row++) {
    if (row > 0 && row % 50 === 0) {
      const source = int(random, 0, row - 1);
      data.set(data.subarray(source * DIM, (source + 1) * DIM), row * DIM);
      continue;
    }
    const centre = int(random, 0, 299);
    for (let k = 0; k < DIM; k++) data[row * DIM + k] = centres[centre * DIM + k] + 0.03 * (random() - 0.5);
  }
  return new WordVectors(wordsOf(size), DIM, data);
}

const wordsOf = (size: number): string[] => Array.from({ length: size }, (_, i) => `w${i}`);
const unitRow = (v: WordVectors, row: number): Float32Array => v.unitVectors().slice(row * DIM, (row + 1) * DIM);

function checkQueries(v: WordVectors, random: Random, label: string): void {
  for (let q = 0; q < 150; q++) {
    const rows = Array.from({ length: 3 }, () => int(random, 0, v.size - 1));
    const exclude = new Set(rows);
    const k = int(random, 1, 25);
    const rowCount = q % 4 === 0 ? int(random, 1, v.size) : v.size;
    const objective =
      q % 5 === 4
        ? cosMulObjective([unitRow(v, rows[0]), unitRow(v, rows[1])], [unitRow(v, rows[2])])
        : cosineObjective(q % 2 === 0 ? unitRow(v, rows[0]) : mean(v, rows));
    const context = `${label} query ${q} (${objective.terms.length} terms, k ${k}, ${rowCount} rows)`;
    const exact = searchNeighbours(v, objective, k, rowCount, exclude, 'exact');
    assert.deepEqual(searchNeighbours(v, objective, k, rowCount, exclude, 'indexed'), exact, context);
  }
}

function mean(v: WordVectors, rows: number[]): Float32Array {
  const sum = new Float64Array(DIM);
  for (const row of rows) unitRow(v, row).forEach((x, k) => (sum[k] += x));
  const norm = Math.hypot(...sum);
  return Float32Array.from(sum, (x) => x / norm);
}

test('indexed search equals the exact scan on 150 queries over 20k × 64 uniform random vectors', () => {
  const random = mulberry32(testSeed(51));
  checkQueries(uniformVectors(random, CHECK_SIZE), random, 'uniform');
});

test('indexed search equals the exact scan on 150 queries over clustered vectors with exact duplicates', () => {
  const random = mulberry32(testSeed(52));
  checkQueries(clusteredVectors(random, CHECK_SIZE), random, 'clustered');
});

test('batched indexed search equals one exact search per query', () => {
  const random = mulberry32(testSeed(53));
  const v = clusteredVectors(random);
  const queries = Array.from({ length: 21 }, () => mean(v, [int(random, 0, SIZE - 1), int(random, 0, SIZE - 1)]));
  const excludes = queries.map(() => new Set([int(random, 0, SIZE - 1)]));
  const batch = searchNeighboursBatch(v, queries, 10, 40_000, excludes, 'indexed');
  queries.forEach((query, i) => {
    assert.deepEqual(batch[i], searchNeighbours(v, cosineObjective(query), 10, 40_000, excludes[i], 'exact'), `query ${i}`);
  });
});

test('a released index is rebuilt on the next query; a closed one scans on the calling thread alone', () => {
  const random = mulberry32(testSeed(55));
  const v = uniformVectors(random);
  const query = mean(v, [4, 5]);
  const exact = searchNeighbours(v, cosineObjective(query), 10, SIZE, new Set(), 'exact');
  const first = quantizedIndexFor(v)!;
  assert.deepEqual(searchNeighbours(v, cosineObjective(query), 10, SIZE, new Set(), 'indexed'), exact);
  releaseSearchIndex(v);
  assert.deepEqual(searchNeighbours(v, cosineObjective(query), 10, SIZE, new Set(), 'indexed'), exact);
  assert.notEqual(quantizedIndexFor(v), first);
  const before = first.approximateCosines([query], SIZE).scores.slice();
  quantizedIndexFor(v)!.close();
  assert.deepEqual(searchNeighbours(v, cosineObjective(query), 10, SIZE, new Set(), 'indexed'), exact);
  assert.deepEqual(quantizedIndexFor(v)!.approximateCosines([query], SIZE).scores.slice(), before);
});

test('scans split across 1, 2 and 3 threads give identical approximate cosines', () => {
  const random = mulberry32(testSeed(56));
  const v = uniformVectors(random);
  const terms = [mean(v, [1, 2]), unitRow(v, 9), unitRow(v, 10)];
  const scores = [1, 2, 3].map((threads) => {
    const index = QuantizedIndex.build(v.unitVectors(), DIM, SIZE, threads);
    assert.equal(index.threadCount, threads);
    const result = index.approximateCosines(terms, SIZE - 7).scores.slice();
    index.close();
    return result;
  });
  assert.deepEqual(scores[1], scores[0]);
  assert.deepEqual(scores[2], scores[0]);
});

test('every approximate cosine is within its stated error bound, and the bound is tight enough to be useful', () => {
  const random = mulberry32(testSeed(54));
  const v = uniformVectors(random);
  const index = quantizedIndexFor(v)!;
  const terms = [unitRow(v, 7), mean(v, [1, 2, 3]), Float32Array.from({ length: DIM }, () => random() * 4 - 2)];
  const { scores, errors } = index.approximateCosines(terms, SIZE);
  terms.forEach((term, t) => {
    let worst = 0;
    for (let row = 0; row < SIZE; row++) worst = Math.max(worst, Math.abs(scores[t * SIZE + row] - dotRow(v.unitVectors(), DIM, row, term)));
    assert.ok(worst <= errors[t], `term ${t}: error ${worst} above its bound ${errors[t]}`);
    const norm = Math.hypot(...term);
    assert.ok(errors[t] < 0.03 * norm, `term ${t}: bound ${errors[t]} too loose to prune`);
  });
});

test('the SIMD kernel computes int8 · int16 dot products exactly, scaled per row and per query', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const scan = instantiateScan(memory, false);
  const stride = 32;
  const rows = new Int8Array(memory.buffer, 0, 3 * stride);
  const queries = new Int16Array(memory.buffer, 1024, 2 * stride);
  const rowScales = new Float32Array(memory.buffer, 4096, 3);
  const queryScales = new Float32Array(memory.buffer, 4160, 2);
  const out = new Float32Array(memory.buffer, 8192, 6);
  rows.forEach((_, i) => (rows[i] = ((i * 37) % 255) - 127));
  queries.forEach((_, i) => (queries[i] = ((i * 7919) % 65535) - 32767));
  rowScales.set([1, 2, 0.5]);
  queryScales.set([1, 0.25]);
  scan(0, stride, 3, 1024, 2, 4096, 4160, 8192, 3);
  for (let q = 0; q < 2; q++) {
    for (let r = 0; r < 3; r++) {
      let dot = 0;
      for (let k = 0; k < stride; k++) dot += rows[r * stride + k] * queries[q * stride + k];
      assert.equal(out[q * 3 + r], Math.fround(Math.fround(Math.fround(dot) * rowScales[r]) * queryScales[q]), `row ${r} query ${q}`);
    }
  }
});

test('prepareSearch builds the index ahead of queries, in slices with progress; release undoes it, safely twice', async () => {
  const random = mulberry32(testSeed(57));
  const v = uniformVectors(random, CHECK_SIZE);
  releaseSearchIndex(v); // never had one: nothing to do
  const reports: [number, number][] = [];
  await prepareSearch(v, { onProgress: (done, total) => reports.push([done, total]) });
  assert.ok(hasSearchIndex(v));
  assert.deepEqual(reports[reports.length - 1], [2 * CHECK_SIZE, 2 * CHECK_SIZE]);
  assert.ok(reports.every(([done], i) => i === 0 || done >= reports[i - 1][0]), 'progress never goes back');
  const query = mean(v, [3, 8]);
  const exact = searchNeighbours(v, cosineObjective(query), 10, CHECK_SIZE, new Set([3]), 'exact');
  assert.deepEqual(searchNeighbours(v, cosineObjective(query), 10, CHECK_SIZE, new Set([3]), 'auto'), exact);
  releaseSearchIndex(v);
  releaseSearchIndex(v);
  assert.ok(!hasSearchIndex(v));
  // Released while preparing, or aborted: nothing is installed.
  const preparing = prepareSearch(v);
  releaseSearchIndex(v);
  await preparing;
  assert.ok(!hasSearchIndex(v));
  await assert.rejects(prepareSearch(v, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  assert.ok(!hasSearchIndex(v));
  // Small vectors are scanned exactly: preparing only computes their unit rows.
  const small = uniformVectors(random, 100);
  await prepareSearch(small);
  assert.ok(!hasSearchIndex(small));
});

test('a scan whose helper thread has died still gives the exact answer, on the calling thread', async () => {
  const random = mulberry32(testSeed(58));
  const v = uniformVectors(random, CHECK_SIZE);
  const terms = [mean(v, [1, 2]), unitRow(v, 9)];
  const expected = QuantizedIndex.build(v.unitVectors(), DIM, CHECK_SIZE, 1).approximateCosines(terms, CHECK_SIZE).scores.slice();
  const index = QuantizedIndex.build(v.unitVectors(), DIM, CHECK_SIZE, 2);
  // Private in QuantizedIndex: reached here only to kill its helper as a crash would.
  const threads = (index as unknown as { threads: ScanThreads }).threads;
  await threads.terminateHelpersForTest();
  assert.deepEqual(index.approximateCosines(terms, CHECK_SIZE).scores.slice(), expected, 'after the helper exited');
  // A helper that died unnoticed (its exit event not yet seen): the scan stops waiting after a short stall.
  (threads as unknown as { closed: boolean }).closed = false;
  assert.deepEqual(index.approximateCosines(terms, CHECK_SIZE).scores.slice(), expected, 'after a stall');
  assert.equal((threads as unknown as { closed: boolean }).closed, true);
  index.close();
});
