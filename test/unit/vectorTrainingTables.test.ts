/** word2vec's tables: the Huffman tree of hierarchical softmax and sub-sampling (the negative-sampling alias table is in vectorTrainingKernel.test.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildHuffmanTree } from '../../server/src/vectors/training/huffmanTree';
import { keepProbabilities } from '../../server/src/vectors/training/subsampling';
import { mulberry32, testSeed } from '../support/random';

function codesOf(counts: number[]): string[] {
  const tree = buildHuffmanTree(counts);
  return counts.map((_, w) => [...tree.codes.subarray(tree.codeStarts[w], tree.codeStarts[w + 1])].join(''));
}

test('Huffman codes of a worked example: frequent words get short codes', () => {
  // Merges: (1,1)=2, (2,2)=4, (3,4)=7, (5,7)=12 (root): a=0, b=10, c=111, d=1100, e=1101 up to branch naming.
  const lengths = codesOf([5, 3, 2, 1, 1]).map((code) => code.length);
  assert.deepEqual(lengths, [1, 2, 3, 4, 4]);
});

test('Huffman codes are prefix-free, fill the tree (Kraft sum 1), and never longer for a more frequent word', () => {
  const random = mulberry32(testSeed(41));
  for (let round = 0; round < 20; round++) {
    const size = 2 + Math.floor(random() * 300);
    const counts = Array.from({ length: size }, () => 1 + Math.floor(Math.pow(random(), 4) * 10_000)).sort((a, b) => b - a);
    const tree = buildHuffmanTree(counts);
    const codes = codesOf(counts);
    const sorted = [...codes].sort();
    for (let i = 1; i < sorted.length; i++) assert.ok(!sorted[i].startsWith(sorted[i - 1]), `${sorted[i - 1]} is a prefix of ${sorted[i]}`);
    const kraft = codes.reduce((sum, code) => sum + Math.pow(2, -code.length), 0);
    assert.ok(Math.abs(kraft - 1) < 1e-9, `Kraft sum ${kraft}`);
    for (let w = 1; w < size; w++) assert.ok(codes[w - 1].length <= codes[w].length, `word ${w - 1} (count ${counts[w - 1]}) has a longer code than word ${w} (count ${counts[w]})`);
    for (let w = 0; w < size; w++) {
      assert.equal(tree.points[tree.codeStarts[w]], size - 2, 'every path starts at the root');
      for (let p = tree.codeStarts[w]; p < tree.codeStarts[w + 1]; p++) assert.ok(tree.points[p] >= 0 && tree.points[p] <= size - 2);
    }
  }
});

test('one word has an empty code', () => {
  assert.deepEqual(codesOf([7]), ['']);
});

test('sub-sampling keeps a word with probability (sqrt(f/(s·T)) + 1)·s·T/f, capped at 1; sample 0 keeps all', () => {
  const keep = keepProbabilities([1000, 10], 1e-3);
  // s·T = 1e-3 · 1010 = 1.01: (sqrt(1000 / 1.01) + 1) · 1.01 / 1000 = 0.0327905…; (sqrt(10 / 1.01) + 1) · 1.01 / 10
  assert.ok(Math.abs(keep[0] - 0.0327905) < 1e-6, `${keep[0]}`);
  assert.ok(Math.abs(keep[1] - 0.4188050) < 1e-6, `${keep[1]}`);
  assert.equal(keepProbabilities([1000, 1], 1e-3)[1], 1, 'a rare word (probability ≈ 2) is always kept');
  assert.deepEqual([...keepProbabilities([1000, 10], 0)], [1, 1]);
});
