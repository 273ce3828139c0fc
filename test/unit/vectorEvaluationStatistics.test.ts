/** Correlations, ranks and the incomplete beta function against scipy 1.10's values (computed there, pasted here). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { averageRanks, pearson, spearman } from '../../server/src/vectors/evaluation/correlation';
import { regularizedIncompleteBeta } from '../../server/src/vectors/evaluation/incompleteBeta';

function assertClose(actual: number, expected: number, relative: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${what}: ${actual} != ${expected}`);
}

// scipy.stats.pearsonr, spearmanr and rankdata(y) on samples with ties.
const SCIPY = [
  {
    x: [1, 2, 2, 3, 4, 4, 4, 5],
    y: [2.5, 1, 3, 3, 7, 6, 6, 9],
    pearson: [0.905614609232945, 0.0019561077420481745],
    spearman: [0.9256265453136692, 0.0009719602101529901],
    ranks: [2.0, 1.0, 3.5, 3.5, 7.0, 5.5, 5.5, 8.0],
  },
  {
    x: [0.1, 0.4, 0.4, 0.9, 1.3, 1.3, 2.0, 2.2, 3.1, 3.1],
    y: [5, 4, 4, 3, 3, 2, 2.5, 1, 0, 0],
    pearson: [-0.9657824860743895, 5.754751793234808e-6],
    spearman: [-0.9722222222222222, 2.518937575320559e-6],
    ranks: [10.0, 8.5, 8.5, 6.5, 6.5, 4.0, 5.0, 3.0, 1.5, 1.5],
  },
  { x: [1, 2, 3], y: [1, 3, 2], pearson: [0.4999999999999999, 0.6666666666666667], spearman: [0.5, 0.6666666666666667], ranks: [1, 3, 2] },
  {
    x: [3.2, 1.1, 4.7, 2.2, 5.9, 2.2, 0.3, 8.8, 4.4, 6.1, 7.0, 2.9],
    y: [1.0, 0.5, 1.5, 0.5, 2.5, 0.7, 0.1, 3.3, 1.2, 2.0, 2.9, 1.1],
    pearson: [0.9745964550803937, 7.984450076426415e-8],
    spearman: [0.9807017543859651, 2.0408900498868844e-8],
    ranks: [5.0, 2.5, 8.0, 2.5, 10.0, 4.0, 1.0, 12.0, 7.0, 9.0, 11.0, 6.0],
  },
];

test('Pearson and Spearman with p-values equal scipy on samples with ties', () => {
  for (const { x, y, pearson: [r, pr], spearman: [rho, ps], ranks } of SCIPY) {
    const what = JSON.stringify(x);
    assert.deepEqual([...averageRanks(y)], ranks, `${what} ranks`);
    const byPearson = pearson(x, y);
    assertClose(byPearson.r, r, 1e-12, `${what} pearson r`);
    assertClose(byPearson.p, pr, 1e-10, `${what} pearson p`);
    const bySpearman = spearman(x, y);
    assertClose(bySpearman.r, rho, 1e-12, `${what} spearman rho`);
    assertClose(bySpearman.p, ps, 1e-10, `${what} spearman p`);
  }
});

test('correlation edge cases follow scipy: constant input is NaN, two points give p = 1, perfect ranks give p = 0', () => {
  assert.ok(Number.isNaN(pearson([1, 2, 3], [4, 4, 4]).r));
  assert.ok(Number.isNaN(spearman([5, 5, 5], [1, 2, 3]).p));
  assert.deepEqual(pearson([1, 2], [3, 1]), { r: -1, p: 1 });
  assert.deepEqual(spearman([1, 2, 3, 4], [10, 20, 30, 45]), { r: 1, p: 0 });
  assert.throws(() => pearson([1, 2, 3], [1, 2]), /differ in length/);
});

test('the regularized incomplete beta function equals scipy.special.betainc, tails included', () => {
  const cases: [number, number, number, number][] = [
    [2, 3, 0.4, 0.5247999999999999],
    [0.5, 0.5, 0.01, 0.06376856085851987],
    [140, 140, 0.2, 2.8926244736005624e-29],
    [10, 0.5, 0.999, 0.8888967091248603],
    [5, 5, 0.5, 0.5000000000000001],
    [400, 400, 0.3, 1.8033739879825612e-32],
  ];
  for (const [a, b, x, expected] of cases) assertClose(regularizedIncompleteBeta(x, a, b), expected, 1e-11, `I_${x}(${a}, ${b})`);
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
});
