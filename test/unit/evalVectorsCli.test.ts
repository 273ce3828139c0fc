/**
 * Editable WEAT word sets: `eval-vectors --weat-file` (one test or an array, beside the built-in --weat sets), the
 * editor's WEAT request (weatScores), errors naming the file; and the evaluation as the Word Vectors panel shows it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { resultsHtml } from '../../client/src/wordVectors/resultsHtml';
import { evalVectorsCommand } from '../../server/src/cli/evalVectorsCommand';
import { InputError } from '../../server/src/cli/inputLines';
import type { Output } from '../../server/src/cli/output';
import type { EvaluateWordVectorsResult } from '../../server/src/protocol';
import { EvaluationFileError } from '../../server/src/vectors/evaluation/evaluationFileError';
import { weat } from '../../server/src/vectors/evaluation/weat';
import { weatSet } from '../../server/src/vectors/evaluation/weatSets';
import { readVectorFile } from '../../server/src/vectors/vectorFiles';
import { weatScores } from '../../server/src/wordVectors/weatScores';
import { mulberry32, testSeed } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-eval-vectors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Flowers lean towards pleasant words, insects towards unpleasant ones, with seeded noise in 6 dimensions; plus the
// WEAT 9 words (all of them, so the built-in set runs too).
const FLOWERS = ['rose', 'tulip', 'daisy', 'lily'];
const INSECTS = ['ant', 'flea', 'wasp', 'moth'];
const PLEASANT = ['love', 'peace', 'happy'];
const UNPLEASANT = ['death', 'grief', 'ugly'];
const mental = weatSet('mental-physical-disease')!;
const vectorsFile = path.join(tmp, 'vectors.txt');
{
  const random = mulberry32(testSeed(0xe7a1));
  const row = (word: string, lean: number): string => `${word} ${[lean, -lean, ...Array.from({ length: 4 }, () => random() - 0.5)].map((x) => x.toFixed(4)).join(' ')}`;
  const mentalWords = [...mental.targetX, ...mental.targetY, ...mental.attributeA, ...mental.attributeB];
  const rows = [
    ...FLOWERS.map((w) => row(w, 1 + random() * 0.3)),
    ...PLEASANT.map((w) => row(w, 1 + random() * 0.3)),
    ...INSECTS.map((w) => row(w, -1 - random() * 0.3)),
    ...UNPLEASANT.map((w) => row(w, -1 - random() * 0.3)),
    ...mentalWords.map((w) => row(w, random() - 0.5)),
  ];
  writeFileSync(vectorsFile, `${rows.length} 6\n${rows.join('\n')}\n`);
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

const flowersTest = { title: 'flowers vs insects', targetX: FLOWERS, targetY: INSECTS, attributeA: PLEASANT, attributeB: UNPLEASANT };

async function evalVectors(args: string[]): Promise<Record<string, unknown>> {
  let text = '';
  const out = { write: async (chunk: string) => void (text += chunk), flush: async () => undefined } as unknown as Output;
  await evalVectorsCommand([...args, '--quiet'], out);
  return JSON.parse(text) as Record<string, unknown>;
}

test('--weat-file runs each test of the file, after the built-in --weat sets, with the engine’s numbers', async () => {
  const single = writeJson('single.json', flowersTest);
  const swapped = { targetX: INSECTS, targetY: FLOWERS, attributeA: PLEASANT, attributeB: [...UNPLEASANT, 'unicorn'] };
  const many = writeJson('many.json', [flowersTest, swapped]);
  const report = await evalVectors(['--vectors', vectorsFile, '--weat', 'mental-physical-disease', '--weat-file', single, '--weat-file', many]);
  const results = report.weat as Array<Record<string, unknown>>;
  assert.deepEqual(
    results.map((r) => [r.id, r.file, r.title]),
    [
      ['mental-physical-disease', undefined, mental.title],
      [undefined, single, 'flowers vs insects'],
      [undefined, many, 'flowers vs insects'],
      [undefined, many, 'many.json #2'],
    ],
    'built-in first, then each file’s tests in order; an untitled test is named by file and position',
  );
  const { vectors } = await readVectorFile(vectorsFile);
  const expected = weat(vectors, flowersTest);
  assert.equal(results[1].effectSize, expected.effectSize);
  assert.equal(results[1].pValue, expected.pValue);
  assert.ok(expected.effectSize > 1.5 && expected.pValue < 0.05, `flowers lean pleasant: d ${expected.effectSize}, p ${expected.pValue}`);
  assert.ok((results[3].effectSize as number) < -1.5, 'swapping the targets flips the sign');
  assert.deepEqual(results[3].missing, ['unicorn']);
  assert.deepEqual(results[0], { id: mental.id, title: mental.title, ...weat(vectors, mental) });
});

test('--weat-file errors name the file and what is wrong with it', async () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['broken.json', '{ "targetX": ["rose", }', /broken\.json: not valid JSON/],
    ['empty.json', [], /empty\.json: the array holds no WEAT test/],
    ['scalar.json', 42, /scalar\.json: expected an object with targetX, targetY, attributeA, attributeB/],
    ['typo.json', { ...flowersTest, targetx: FLOWERS }, /typo\.json: unknown key "targetx"/],
    ['missing.json', [flowersTest, { targetX: FLOWERS, targetY: INSECTS, attributeA: PLEASANT }], /missing\.json: test 2: "attributeB" is missing/],
    ['notlist.json', { ...flowersTest, targetY: 'ant flea' }, /notlist\.json: "targetY" must be a non-empty list of words/],
    ['phrase.json', { ...flowersTest, attributeA: ['love', 'good day'] }, /phrase\.json: "attributeA" holds "good day", not a word/],
    ['title.json', { ...flowersTest, title: 7 }, /title\.json: "title" must be a string/],
  ];
  for (const [name, content, message] of cases) {
    const file = writeJson(name, content);
    await assert.rejects(evalVectors(['--vectors', vectorsFile, '--weat-file', file]), (error: unknown) => error instanceof EvaluationFileError && message.test(error.message), name);
  }
  await assert.rejects(evalVectors(['--vectors', vectorsFile, '--weat-file', path.join(tmp, 'absent.json')]), /absent\.json: cannot read the file/);
  const unknown = writeJson('unknown.json', { title: 'made up', targetX: ['zzz'], targetY: INSECTS, attributeA: PLEASANT, attributeB: UNPLEASANT });
  await assert.rejects(
    evalVectors(['--vectors', vectorsFile, '--weat-file', unknown]),
    (error: unknown) => error instanceof InputError && /unknown\.json \(made up\): WEAT: none of the targetX words has a vector \(zzz\)/.test(error.message),
  );
  await assert.rejects(evalVectors(['--vectors', vectorsFile]), /--analogies, --pairs, --weat or --weat-file/);
});

test('the editor’s WEAT request: built-in sets by id, files resolved, the same numbers as the CLI', async () => {
  const { vectors } = await readVectorFile(vectorsFile);
  writeJson('relative.json', [flowersTest]);
  const scores = await weatScores(vectors, { sets: ['mental-physical-disease'], files: ['relative.json'] }, (file) => path.resolve(tmp, file));
  const flowers = weat(vectors, flowersTest);
  assert.deepEqual(scores[1], {
    file: path.join(tmp, 'relative.json'),
    title: 'flowers vs insects',
    effectSize: flowers.effectSize,
    pValue: flowers.pValue,
    permutations: flowers.permutations,
    exact: flowers.exact,
    missing: [],
  });
  assert.equal(scores[0].id, 'mental-physical-disease');
  await assert.rejects(weatScores(vectors, { sets: ['nope'] }, (file) => file), /unknown WEAT set "nope"; the sets are flowers-insects, /);
});

test('the results panel shows p-values, skipped pairs, invalid lines, the analogies’ OOV share and WEAT', () => {
  const result: EvaluateWordVectorsResult = {
    vectors: '/w/v.vec',
    analogies: { file: '/w/q.txt', sections: [], total: { section: 'Total accuracy', correct: 3, total: 4, accuracy: 0.75 }, skipped: 6, oovRatio: 0.6, invalidLines: [2] },
    pairs: [
      { file: '/w/pairs.txt', spearman: 0.5123, pearson: 0.41, spearmanP: 0.00002, pearsonP: 0.0312, oovRatio: 0.25, pairs: 9, skipped: 3, invalidLines: [4, 17] },
      // A constant input: the correlations reach the client as null.
      { file: '/w/flat.txt', spearman: null as unknown as number, pearson: null as unknown as number, spearmanP: null as unknown as number, pearsonP: NaN, oovRatio: 0, pairs: 3, skipped: 0, invalidLines: [] },
    ],
    weat: [
      { id: 'flowers-insects', title: 'WEAT 1: <flowers>', effectSize: 1.5, pValue: 0, permutations: 100_000, exact: false, missing: ['zzz'] },
      { file: '/w/mine.json', title: 'mine', effectSize: -0.25, pValue: 0.4, permutations: 70, exact: true, missing: [] },
    ],
  };
  const html = resultsHtml([{ kind: 'evaluation', result }], undefined, { nonce: 'n', cspSource: 'c' });
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  assert.match(text, /6 questions skipped \(60\.0% out of vocabulary/);
  assert.match(text, /\/w\/q.txt: 1 line not \": section\" or four words, left out: 2\./);
  assert.match(text, /\/w\/pairs\.txt 0\.5123 2\.0e-5 0\.4100 0\.031 9 3 25\.0%/);
  assert.match(text, /\/w\/flat\.txt – – – – 3 0 0\.0%/);
  assert.match(text, /\/w\/pairs\.txt: 2 lines not "word1 word2 score", left out: 4, 17\./);
  assert.ok(!text.includes('flat.txt: '), 'no invalid-lines note for a clean file');
  assert.match(text, /WEAT 1: &#60;flowers&#62; 1\.500 &lt; 1\.0e-5 \(100,000 sampled\) 1: zzz/, 'a sampled p of 0 is shown as a bound; titles escaped');
  assert.match(text, /mine \/w\/mine\.json -0\.250 0\.400 \(all 70\) –/);
});
