/** WEAT on hand-made vectors: known answers, the effect size against its formula, p-values against enumeration. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binomial, weat } from '../../server/src/vectors/evaluation/weat';
import { WEAT_SETS, weatSet } from '../../server/src/vectors/evaluation/weatSets';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { cosine } from '../support/cosine';
import { mulberry32, testSeed } from '../support/random';

/** Words on the unit circle at the given angles (degrees). */
function circleVectors(angles: Record<string, number>): WordVectors {
  const words = Object.keys(angles);
  const data = new Float32Array(words.length * 2);
  words.forEach((word, i) => {
    const radians = (angles[word] * Math.PI) / 180;
    data[2 * i] = Math.cos(radians);
    data[2 * i + 1] = Math.sin(radians);
  });
  return new WordVectors(words, 2, data);
}


/** s(w, A, B), the effect size and the exact p-value, computed the plain way: every subset by bitmask. */
function directWeat(v: WordVectors, x: string[], y: string[], a: string[], b: string[]): { statistic: number; effectSize: number; pValue: number } {
  const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const s = (w: string): number => mean(a.map((word) => cosine(v.vector(w)!, v.vector(word)!))) - mean(b.map((word) => cosine(v.vector(w)!, v.vector(word)!)));
  const pooled = [...x, ...y].map(s);
  const sx = pooled.slice(0, x.length);
  const sy = pooled.slice(x.length);
  const statistic = sx.reduce((t, value) => t + value, 0) - sy.reduce((t, value) => t + value, 0);
  const pooledMean = mean(pooled);
  const deviation = Math.sqrt(pooled.reduce((t, value) => t + (value - pooledMean) ** 2, 0) / (pooled.length - 1));
  let larger = 0;
  let partitions = 0;
  for (let mask = 0; mask < 1 << pooled.length; mask++) {
    let bits = 0;
    let partial = 0;
    for (let i = 0; i < pooled.length; i++) {
      if (mask & (1 << i)) {
        bits++;
        partial += pooled[i];
      } else partial -= pooled[i];
    }
    if (bits !== x.length) continue;
    partitions++;
    if (partial > statistic + 1e-9) larger++;
  }
  return { statistic, effectSize: (mean(sx) - mean(sy)) / deviation, pValue: larger / partitions };
}

test('WEAT: targets aligned with their attributes give p = 0 and the effect size of the formula', () => {
  // s(w) = cos θ − sin θ against A = (1, 0) and B = (0, 1): X near A, Y near B.
  const v = circleVectors({ a: 0, b: 90, x1: 10, x2: 20, y1: 70, y2: 80 });
  const result = weat(v, { targetX: ['x1', 'x2'], targetY: ['y1', 'y2'], attributeA: ['a'], attributeB: ['b'] });
  const s = (degrees: number): number => Math.cos((degrees * Math.PI) / 180) - Math.sin((degrees * Math.PI) / 180);
  const pooled = [s(10), s(20), s(70), s(80)];
  const deviation = Math.sqrt(pooled.reduce((t, value) => t + value ** 2, 0) / 3); // the pooled mean is 0
  assert.equal(result.exact, true);
  assert.equal(result.permutations, 6);
  assert.equal(result.pValue, 0);
  assert.ok(Math.abs(result.statistic - (s(10) + s(20) - s(70) - s(80))) < 1e-6);
  assert.ok(Math.abs(result.effectSize - (s(10) + s(20) - s(70) - s(80)) / 2 / deviation) < 1e-6);
  assert.deepEqual(result.missing, []);
});

test('WEAT: a known p-value of 2/6, where a tied partition does not count as larger', () => {
  // s values ±0.811 (X) and ±0.598 (Y): of the six pairs, {0.811, 0.598} and {0.811, −0.598} beat X's 0, and
  // {0.598, −0.598} ties with it.
  const v = circleVectors({ a: 0, b: 90, x1: 80, x2: 10, y1: 20, y2: 70 });
  const result = weat(v, { targetX: ['x1', 'x2'], targetY: ['y1', 'y2'], attributeA: ['a'], attributeB: ['b'] });
  assert.equal(result.pValue, 2 / 6);
  assert.ok(Math.abs(result.statistic) < 1e-6);
  assert.ok(Math.abs(result.effectSize) < 1e-6);
});

test('WEAT: effect size, statistic and exact p-value equal a direct computation on random vectors', () => {
  const random = mulberry32(testSeed(4));
  for (let round = 0; round < 5; round++) {
    const dim = 6;
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    const v = new WordVectors(words, dim, Float32Array.from({ length: words.length * dim }, () => random() - 0.5));
    const x = words.slice(0, 5);
    const y = words.slice(5, 11);
    const a = words.slice(11, 15);
    const b = words.slice(15);
    const expected = directWeat(v, x, y, a, b);
    const result = weat(v, { targetX: x, targetY: y, attributeA: a, attributeB: b });
    assert.equal(result.exact, true);
    assert.equal(result.permutations, binomial(11, 5));
    assert.ok(Math.abs(result.statistic - expected.statistic) < 1e-9, `round ${round}: statistic`);
    assert.ok(Math.abs(result.effectSize - expected.effectSize) < 1e-9, `round ${round}: effect size`);
    assert.equal(result.pValue, expected.pValue, `round ${round}: p-value`);
  }
});

test('WEAT: sampling is reproducible with a seed and close to the exact p-value', () => {
  const random = mulberry32(testSeed(7));
  const dim = 8;
  const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const v = new WordVectors(words, dim, Float32Array.from({ length: words.length * dim }, () => random() - 0.5));
  // A mild association, so the p-value is neither 0 nor 1.
  const sets = { targetX: words.slice(0, 9), targetY: words.slice(9, 18), attributeA: words.slice(18, 29), attributeB: words.slice(29) };
  const exact = weat(v, sets, { permutations: binomial(18, 9) });
  assert.equal(exact.exact, true);
  const sampled = weat(v, sets, { permutations: 20_000, seed: 3 });
  assert.equal(sampled.exact, false);
  assert.equal(sampled.permutations, 20_000);
  assert.deepEqual(weat(v, sets, { permutations: 20_000, seed: 3 }), sampled);
  assert.notEqual(weat(v, sets, { permutations: 20_000, seed: 4 }).pValue, sampled.pValue);
  assert.equal(sampled.effectSize, exact.effectSize);
  // 20,000 samples: a standard error below 0.004.
  assert.ok(Math.abs(sampled.pValue - exact.pValue) < 0.02, `sampled ${sampled.pValue}, exact ${exact.pValue}`);
});

test('WEAT: missing words are listed and left out, lower-case forms are found, an empty set is an error', () => {
  const v = circleVectors({ a: 0, b: 90, rose: 10, x2: 20, y1: 70, y2: 80 });
  const result = weat(v, { targetX: ['Rose', 'x2', 'tulip'], targetY: ['y1', 'y2'], attributeA: ['a', 'joy'], attributeB: ['b'] });
  assert.deepEqual(result.missing, ['tulip', 'joy']);
  assert.deepEqual(result.sizes, { targetX: 2, targetY: 2, attributeA: 1, attributeB: 1 });
  assert.equal(result.pValue, 0);
  assert.throws(() => weat(v, { targetX: ['x2'], targetY: ['nothing', 'here'], attributeA: ['a'], attributeB: ['b'] }), /none of the targetY words has a vector \(nothing, here\)/);
  assert.throws(() => weat(v, { targetX: ['x2'], targetY: ['y1'], attributeA: ['a'], attributeB: ['b'] }, { permutations: 0 }), /positive whole number/);
});

test('the built-in WEAT sets are the paper\'s ten, each with four non-empty lists of distinct words', () => {
  assert.equal(WEAT_SETS.length, 10);
  assert.equal(new Set(WEAT_SETS.map((set) => set.id)).size, 10);
  for (const set of WEAT_SETS) {
    for (const list of [set.targetX, set.targetY, set.attributeA, set.attributeB]) {
      assert.ok(list.length >= 6, set.id);
      assert.equal(new Set(list).size, list.length, `${set.id}: duplicate word`);
    }
    assert.equal(weatSet(set.id), set);
  }
  assert.equal(weatSet('flowers-insects')!.targetX.length, 25);
  assert.equal(weatSet('gender-career-family')!.attributeA.includes('salary'), true);
});
