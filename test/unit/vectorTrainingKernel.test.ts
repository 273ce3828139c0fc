/**
 * The training arithmetic against plain statements of it: the SIMD kernel's updates equal a Float64 reference for
 * one input row (word2vec) and several (fastText, CBOW), with dims that use every lane path (8, 4 and 1 floats);
 * the alias sampler gives each word exactly its count^0.75 share.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildNegativeTable, drawNegative } from '../../server/src/vectors/training/negativeTable';
import { buildSigmoidTables, MAX_SCORE, SIGMOID_SCALE, SIGMOID_TABLE_SIZE } from '../../server/src/vectors/training/sigmoidTable';
import { instantiateSimdKernel } from '../../server/src/vectors/training/simdKernel';
import { createTrainingMemory, inputView, outputView, planTrainingMemory } from '../../server/src/vectors/training/trainingMemory';
import { mulberry32, testSeed } from '../support/random';

const { sigmoid } = buildSigmoidTables();

interface Example {
  inputRows: number[];
  /** Each group's targets and labels. */
  groups: { target: number; label: number }[][];
}

/** The kernel's meaning, in doubles: logistic updates of the output rows against the input rows' mean. */
function reference(input: Float64Array, output: Float64Array, dim: number, example: Example, rate: number): void {
  const hidden = new Float64Array(dim);
  for (const row of example.inputRows) for (let k = 0; k < dim; k++) hidden[k] += input[row * dim + k] / example.inputRows.length;
  const total = new Float64Array(dim);
  for (const group of example.groups) {
    const gradient = new Float64Array(dim);
    for (const { target, label } of group) {
      let score = 0;
      for (let k = 0; k < dim; k++) score += hidden[k] * output[target * dim + k];
      const index = Math.min(SIGMOID_TABLE_SIZE, Math.max(0, Math.trunc((score + MAX_SCORE) * SIGMOID_SCALE + 0.5)));
      const step = rate * (label - sigmoid[index]);
      for (let k = 0; k < dim; k++) {
        gradient[k] += step * output[target * dim + k];
        output[target * dim + k] += step * hidden[k];
      }
    }
    for (let k = 0; k < dim; k++) {
      hidden[k] += gradient[k];
      total[k] += gradient[k];
    }
  }
  for (const row of example.inputRows) for (let k = 0; k < dim; k++) input[row * dim + k] += total[k];
}

for (const dim of [13, 100]) {
  for (const inputCount of [1, 3]) {
    test(`the kernel's updates equal the reference (dim ${dim}, ${inputCount} input row${inputCount > 1 ? 's' : ''})`, () => {
      const random = mulberry32(testSeed(dim * 10 + inputCount));
      const rows = 12;
      const window = 3;
      const layout = planTrainingMemory({ inputRows: rows, outputRows: rows, dim, threads: 1, window, widestWord: inputCount, targetsPerWord: 4 });
      const memory = createTrainingMemory(layout);
      const input = inputView(memory, layout);
      const output = outputView(memory, layout);
      for (let i = 0; i < input.length; i++) input[i] = (random() - 0.5) * 0.4;
      for (let i = 0; i < output.length; i++) output[i] = (random() - 0.5) * 0.4;
      const start = Float32Array.from(input);
      const expectedInput = Float64Array.from(input);
      const expectedOutput = Float64Array.from(output);
      const kernel = instantiateSimdKernel(memory, layout.pages);
      const scratch = layout.scratch[0];
      const rate = 0.05;
      for (let round = 0; round < 20; round++) {
        const example: Example = { inputRows: [], groups: [] };
        while (example.inputRows.length < inputCount) {
          const row = Math.floor(random() * rows);
          if (!example.inputRows.includes(row)) example.inputRows.push(row);
        }
        const groupCount = 1 + Math.floor(random() * 2 * window);
        for (let g = 0; g < groupCount; g++) example.groups.push(Array.from({ length: 4 }, (_, t) => ({ target: Math.floor(random() * rows), label: t === 0 ? 1 : 0 })));
        const flat = example.groups.flat();
        new Int32Array(memory.buffer, scratch.inputRows, inputCount).set(example.inputRows);
        new Int32Array(memory.buffer, scratch.targets, flat.length).set(flat.map((t) => t.target));
        new Float32Array(memory.buffer, scratch.labels, flat.length).set(flat.map((t) => t.label));
        new Int32Array(memory.buffer, scratch.groupEnds, groupCount).set(example.groups.map((_, g) => 4 * (g + 1)));
        const loss = kernel.trainExample(scratch.hidden, scratch.gradient, scratch.windowGradient, layout.input, layout.output, scratch.inputRows, inputCount, scratch.targets, scratch.labels, scratch.groupEnds, groupCount, dim, rate, layout.sigmoid, layout.logLoss);
        assert.ok(Number.isFinite(loss) && loss > 0, `loss ${loss}`);
        reference(expectedInput, expectedOutput, dim, example, rate);
      }
      // A score near a sigmoid-table boundary may round to the neighbouring entry: a change of rate·0.004 at most.
      for (let i = 0; i < input.length; i++) assert.ok(Math.abs(input[i] - expectedInput[i]) < 1e-4, `input ${i}: ${input[i]} vs ${expectedInput[i]}`);
      for (let i = 0; i < output.length; i++) assert.ok(Math.abs(output[i] - expectedOutput[i]) < 1e-4, `output ${i}: ${output[i]} vs ${expectedOutput[i]}`);
      // The updates were large enough for the comparison to mean something.
      assert.ok(input.some((value, i) => Math.abs(value - start[i]) > 1e-3));
    });
  }
}

for (const power of [0.75, 0.5]) {
  test(`the alias table gives every word exactly its count^${power} share`, () => {
    const counts = [1000, 100, 10, 1, 1, 57];
    const table = buildNegativeTable(counts, power);
    const words = counts.length;
    const share = new Array<number>(words).fill(0);
    for (let column = 0; column < words; column++) {
      const keep = (table[2 * column] >>> 0) / 2 ** 32;
      share[column] += keep / words;
      share[table[2 * column + 1]] += (1 - keep) / words;
    }
    const total = counts.reduce((sum, count) => sum + count ** power, 0);
    counts.forEach((count, w) => assert.ok(Math.abs(share[w] - count ** power / total) < 1e-9, `word ${w}: ${share[w]}`));
  });
}

test('draws follow the shares, from the lowest to the highest 32-bit number', () => {
  const counts = [400, 30, 30, 1];
  const table = buildNegativeTable(counts, 0.75);
  const random = mulberry32(testSeed(7));
  const draws = 200_000;
  const seen = new Array<number>(counts.length).fill(0);
  for (let i = 0; i < draws; i++) seen[drawNegative(table, Math.floor(random() * 2 ** 32))]++;
  const total = counts.reduce((sum, count) => sum + count ** 0.75, 0);
  counts.forEach((count, w) => assert.ok(Math.abs(seen[w] / draws - count ** 0.75 / total) < 0.005, `word ${w}: ${seen[w] / draws}`));
  for (const extreme of [0, 2 ** 32 - 1]) assert.ok(drawNegative(table, extreme) >= 0 && drawNegative(table, extreme) < counts.length);
  assert.equal(buildNegativeTable([], 0.75).length, 0);
});
