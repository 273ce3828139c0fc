/**
 * Evaluation files as people write them, and as they get them wrong: gensim's answers on tiny vectors checked by hand,
 * space-separated pair files, comments, and errors that name the file and line. Then `eval-vectors` end to end.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { evalVectorsCommand } from '../../server/src/cli/evalVectorsCommand';
import { InputError } from '../../server/src/cli/inputLines';
import { Output } from '../../server/src/cli/output';
import { UsageError } from '../../server/src/cli/tokenizeCommand';
import { EvaluationFileError } from '../../server/src/vectors/evaluation/evaluationFileError';
import { evaluateWordAnalogies } from '../../server/src/vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../../server/src/vectors/evaluation/wordPairs';
import { weatSet } from '../../server/src/vectors/evaluation/weatSets';
import { VectorFileError } from '../../server/src/vectors/vectorFiles';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { mulberry32 } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-vector-eval-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const where = path.join(tmp, name);
  writeFileSync(where, text);
  return where;
}

/** king − man + woman ≈ queen in 3 dimensions; "King" (a rarer spelling) comes after "king". */
const ROWS: Record<string, number[]> = {
  man: [1, 0, 0],
  woman: [1, 1, 0],
  king: [1, 0, 1],
  queen: [1, 1, 1],
  apple: [0, 0.2, -1],
  King: [-1, 0, 0],
};
const vectors = new WordVectors(Object.keys(ROWS), 3, Float32Array.from(Object.values(ROWS).flat()));
const glove = file('tiny.txt', Object.entries(ROWS).map(([word, row]) => `${word} ${row.join(' ')}`).join('\n') + '\n');

test('analogies: per-section counts, unknown words skipped or counted wrong, case folding to the most frequent spelling', async () => {
  const questions = file('questions.txt', ': royalty\nman woman king queen\nMAN WOMAN KING QUEEN\nman king woman queen\n\n: fruit\nman woman apple pear\n');
  const result = await evaluateWordAnalogies(vectors, questions);
  assert.deepEqual(result.sections, [
    { section: 'royalty', correct: 3, incorrect: 0, score: 1 },
    { section: 'fruit', correct: 0, incorrect: 0, score: 0 },
  ]);
  assert.deepEqual(result.total, { section: 'Total accuracy', correct: 3, incorrect: 0, score: 1 });
  assert.equal(result.questions, 4);
  assert.equal(result.oovQuestions, 1);
  assert.equal(result.oovRatio, 25);
  const dummy = await evaluateWordAnalogies(vectors, questions, { dummy4unknown: true });
  assert.deepEqual(dummy.total, { section: 'Total accuracy', correct: 3, incorrect: 1, score: 0.75 });
  // Case-sensitive, "MAN WOMAN KING QUEEN" has unknown words; restricted to 3 rows, "king" and "queen" are unknown.
  assert.equal((await evaluateWordAnalogies(vectors, questions, { caseInsensitive: false })).oovQuestions, 2);
  assert.equal((await evaluateWordAnalogies(vectors, questions, { restrictVocab: 3 })).oovQuestions, 4);
});

test('analogies: malformed lines are skipped and listed, as gensim skips them; a question before any section is an error', async () => {
  const malformed = file('malformed.txt', ': royalty\nman woman king queen\nman woman king\n\n:nospace woman king\nman woman king queen extra\nMAN WOMAN KING QUEEN\n');
  const result = await evaluateWordAnalogies(vectors, malformed);
  assert.deepEqual(result.invalidLines, [3, 5, 6]);
  assert.equal(result.questions, 2);
  assert.deepEqual(result.total, { section: 'Total accuracy', correct: 2, incorrect: 0, score: 1 });
  const noSection = file('nosection.txt', 'man woman king queen\n');
  await assert.rejects(evaluateWordAnalogies(vectors, noSection), { message: `${noSection}:1: an analogy question before the first ": section" line` });
  await assert.rejects(evaluateWordAnalogies(vectors, path.join(tmp, 'absent.txt')), { message: `${path.join(tmp, 'absent.txt')}: cannot read the file (ENOENT)` });
  const latin1 = file('latin1.txt', Buffer.concat([Buffer.from(': a\nman woman king queen\ncaf'), Buffer.from([0xe9]), Buffer.from(' b c d\n')]));
  await assert.rejects(evaluateWordAnalogies(vectors, latin1), { message: `${latin1}:3: not UTF-8 text` });
});

test('analogies stop when cancelled', async () => {
  const questions = file('many.txt', ': royalty\n' + 'man woman king queen\n'.repeat(600));
  const aborter = new AbortController();
  const run = evaluateWordAnalogies(vectors, questions, { signal: aborter.signal, onProgress: () => aborter.abort(new Error('stop')) });
  await assert.rejects(run, /stop/);
});

test('word pairs: tab or space separated, comments and malformed lines, unknown words, as gensim counts them', async () => {
  const tabs = file('pairs.tsv', '# Word 1\tWord 2\tHuman (mean)\nman\twoman\t5\nking\tqueen\t4.5\nking\tapple\t0.5\nman\tapple\t1\nman\tpear\t2\nnot a pair\n');
  const spaces = file('pairs.txt', 'man woman 5\nking  queen 4.5\nking apple 0.5\nman apple 1\nman pear 2\nnot a pair\n');
  const byTabs = await evaluateWordPairs(vectors, tabs);
  const bySpaces = await evaluateWordPairs(vectors, spaces);
  assert.deepEqual({ ...bySpaces, invalidLines: [] }, { ...byTabs, invalidLines: [] });
  assert.deepEqual(byTabs.invalidLines, [7]);
  assert.deepEqual(bySpaces.invalidLines, [6]);
  assert.equal(byTabs.pairs, 4);
  assert.equal(byTabs.skipped, 1);
  assert.equal(byTabs.oovRatio, 20);
  // Human scores 5, 4.5, 0.5, 1 against cosines 0.707, 0.816, -0.57, 0.098: same order but for the first two.
  assert.equal(byTabs.spearman.rho, 0.8);
  const dummy = await evaluateWordPairs(vectors, tabs, { dummy4unknown: true });
  assert.equal(dummy.pairs, 5);
  assert.equal(dummy.skipped, 0);
  assert.equal(dummy.oovRatio, 20);
  await assert.rejects(evaluateWordPairs(vectors, file('none.txt', '# nothing\nonly words here\n')), { message: `${path.join(tmp, 'none.txt')}: no "word1 word2 score" lines` });
  await assert.rejects(evaluateWordPairs(vectors, file('oov.txt', 'pear plum 3\n')), /no pair has both words among the first 6 words/);
});

/** `evalVectorsCommand` with its standard output captured. */
async function evalVectors(args: string[]): Promise<Record<string, unknown>> {
  let text = '';
  const out = new (class extends Output {
    override async write(chunk: string): Promise<void> {
      text += chunk;
    }
  })();
  await evalVectorsCommand([...args, '--quiet'], out);
  return JSON.parse(text) as Record<string, unknown>;
}

test('eval-vectors prints one JSON document with every requested evaluation', async () => {
  const questions = file('cli-questions.txt', ': royalty\nman woman king queen\n');
  const pairs = file('cli-pairs.tsv', 'man\twoman\t5\nking\tqueen\t4.5\nking\tapple\t0.5\n');
  const report = await evalVectors(['--vectors', glove, '--analogies', questions, '--pairs', pairs, pairs, '--restrict', '10']);
  assert.deepEqual(report.vectors, { file: glove, format: 'glove', words: 6, dim: 3 });
  assert.deepEqual((report.analogies as { total: unknown }).total, { section: 'Total accuracy', correct: 1, incorrect: 0, score: 1 });
  const pairReports = report.pairs as { file: string; pairs: number }[];
  assert.deepEqual(pairReports.map((entry) => [entry.file, entry.pairs]), [[pairs, 3], [pairs, 3]]);
  // WEAT 9 on vectors for its words (and one missing); with 6 + 6 targets every partition is counted.
  const disease = weatSet('mental-physical-disease')!;
  const random = mulberry32(9);
  const words = [...disease.targetX, ...disease.targetY, ...disease.attributeA, ...disease.attributeB].filter((word) => word !== 'fleeting');
  const weatVectors = file('weat.vec', `${words.length} 4\n${words.map((word) => `${word} ${[0, 1, 2, 3].map(() => (random() - 0.5).toFixed(4)).join(' ')}`).join('\n')}\n`);
  const weatReport = (await evalVectors(['--vectors', weatVectors, '--weat', 'mental-physical-disease'])).weat as Record<string, unknown>[];
  assert.equal(weatReport.length, 1);
  assert.equal(weatReport[0].id, 'mental-physical-disease');
  assert.deepEqual(weatReport[0].missing, ['fleeting']);
  assert.equal(weatReport[0].exact, true);
  assert.equal(weatReport[0].permutations, 924);
  assert.equal(typeof weatReport[0].effectSize, 'number');
  // None of WEAT 6's words is in the tiny vocabulary: the report says which set failed.
  await assert.rejects(evalVectors(['--vectors', glove, '--weat', 'gender-career-family']), (error: unknown) => error instanceof InputError && /^gender-career-family: WEAT: none of the targetX words/.test(error.message));
});

test('eval-vectors explains bad usage and bad input', async () => {
  await assert.rejects(evalVectors([]), (error: unknown) => error instanceof UsageError && /needs --vectors FILE/.test(error.message));
  await assert.rejects(evalVectors(['--vectors', glove]), /needs something to evaluate/);
  await assert.rejects(evalVectors(['--vectors', glove, '--weat', 'nope']), /unknown WEAT set "nope"; the sets are flowers-insects, /);
  await assert.rejects(evalVectors(['--vectors', glove, '--pairs', glove, '--restrict', 'many']), /--restrict takes a whole number, got "many"/);
  const bad = file('bad-questions.txt', 'man woman king queen\n: x\n'); // a question before any section
  // File errors reach the command line as they are (main.ts prints their message, which names the file and line).
  await assert.rejects(evalVectors(['--vectors', glove, '--analogies', bad]), (error: unknown) => error instanceof EvaluationFileError && error.message.startsWith(`${bad}:1: `));
  await assert.rejects(evalVectors(['--vectors', path.join(tmp, 'missing.vec'), '--weat', 'all']), (error: unknown) => error instanceof VectorFileError && error.message.includes('missing.vec'));
});
