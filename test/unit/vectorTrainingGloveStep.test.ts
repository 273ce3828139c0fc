import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gloveThreadLoop, type GloveSharedState } from '../../server/src/vectors/training/glove/gloveThread';
import { int, mulberry32, testSeed } from '../support/random';

const shared = (values: ArrayLike<number>): Float32Array => {
  const array = new Float32Array(new SharedArrayBuffer(values.length * 4));
  array.set(values);
  return array;
};
const sharedInts = (values: ArrayLike<number>): Int32Array => {
  const array = new Int32Array(new SharedArrayBuffer(values.length * 4));
  array.set(values);
  return array;
};

function state(vocabSize: number, dim: number, parameters: ArrayLike<number>, entries: { rows: number[]; cols: number[]; logCounts: number[]; weights: number[] }): GloveSharedState {
  return {
    vocabSize,
    dim,
    learningRate: 0.05,
    parameters: shared(parameters),
    gradientSquares: shared(new Float64Array(parameters.length).fill(1)),
    rows: sharedInts(entries.rows),
    cols: sharedInts(entries.cols),
    logCounts: shared(entries.logCounts),
    weights: shared(entries.weights),
  };
}

const close = (actual: number, expected: number, what: string, tolerance = 1e-6): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);

test('one step is the cost and AdaGrad update of GloVe, worked by hand', () => {
  // Word vector 0.5 with bias 0.1, context vector 0.2 with bias -0.1, log X = 1, f(X) = 1, learning rate 0.05.
  const s = state(1, 1, [0.5, 0.1, 0.2, -0.1], { rows: [0], cols: [0], logCounts: [1], weights: [1] });
  // diff = 0.5·0.2 + 0.1 − 0.1 − 1 = −0.9; cost ½·f·diff² = 0.405; η·f·diff = −0.045.
  close(gloveThreadLoop(s, 0, 1), 0.405, 'cost');
  // The word moves by −η·f·diff·c / √1, the context by −η·f·diff·w (w before the step); biases by −η·f·diff.
  close(s.parameters[0], 0.509, 'word vector');
  close(s.parameters[2], 0.2225, 'context vector');
  close(s.parameters[1], 0.145, 'word bias');
  close(s.parameters[3], -0.055, 'context bias');
  // Squared-gradient sums start at 1 and add the squared steps (η included, as glove.c keeps them).
  close(s.gradientSquares[0], 1 + 0.009 ** 2, 'word squared gradients');
  close(s.gradientSquares[2], 1 + 0.0225 ** 2, 'context squared gradients');
  close(s.gradientSquares[1], 1 + 0.045 ** 2, 'word bias squared gradients');
  close(s.gradientSquares[3], 1 + 0.045 ** 2, 'context bias squared gradients');
});

/**
 * GloVe's training loop stated directly in doubles, as glove.c's glove_thread runs it: entries in order, each using
 * the parameters as the previous entries left them, AdaGrad denominators from the sums before this entry's step.
 */
function statedGlove(vocabSize: number, dim: number, parameters: Float64Array, entries: { rows: number[]; cols: number[]; logCounts: number[]; weights: number[] }, passes: number): { parameters: Float64Array; costs: number[] } {
  const w = Float64Array.from(parameters);
  const g = new Float64Array(w.length).fill(1);
  const eta = 0.05;
  const costs: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    let cost = 0;
    entries.rows.forEach((row, e) => {
      const word = row * (dim + 1);
      const context = (entries.cols[e] + vocabSize) * (dim + 1);
      let diff = w[word + dim] + w[context + dim] - entries.logCounts[e];
      for (let k = 0; k < dim; k++) diff += w[word + k] * w[context + k];
      const fdiff = entries.weights[e] * diff;
      cost += 0.5 * fdiff * diff;
      for (let k = 0; k <= dim; k++) {
        // The bias "dimension" has gradient f·diff; the others f·diff times the other vector.
        const gradWord = eta * fdiff * (k === dim ? 1 : w[context + k]);
        const gradContext = eta * fdiff * (k === dim ? 1 : w[word + k]);
        w[word + k] -= gradWord / Math.sqrt(g[word + k]);
        w[context + k] -= gradContext / Math.sqrt(g[context + k]);
        g[word + k] += gradWord * gradWord;
        g[context + k] += gradContext * gradContext;
      }
    });
    costs.push(cost);
  }
  return { parameters: w, costs };
}

test('passes over many entries, with words repeated as rows and columns, follow the stated GloVe loop', () => {
  const random = mulberry32(testSeed(61));
  const vocabSize = 12;
  const dim = 6;
  const entries = { rows: [] as number[], cols: [] as number[], logCounts: [] as number[], weights: [] as number[] };
  for (let e = 0; e < 400; e++) {
    entries.rows.push(int(random, 0, vocabSize - 1));
    // A word is often its own context too (X[i][i] exists in GloVe's counts).
    entries.cols.push(random() < 0.1 ? entries.rows[e] : int(random, 0, vocabSize - 1));
    entries.logCounts.push(Math.log(1 + 50 * random()));
    entries.weights.push(random() < 0.2 ? 1 : random());
  }
  const initial = Float64Array.from({ length: 2 * vocabSize * (dim + 1) }, () => (random() - 0.5) / (dim + 1));
  const expected = statedGlove(vocabSize, dim, Float64Array.from(Float32Array.from(initial)), entries, 4);
  const s = state(vocabSize, dim, initial, entries);
  const costs = [0, 1, 2, 3].map(() => gloveThreadLoop(s, 0, entries.rows.length));
  costs.forEach((cost, pass) => close(cost, expected.costs[pass], `cost of pass ${pass + 1}`, 1e-4));
  assert.ok(costs[3] < costs[0], `the cost did not fall: ${costs.join(', ')}`);
  s.parameters.forEach((value, k) => close(value, expected.parameters[k], `parameter ${k}`, 1e-4));
});
