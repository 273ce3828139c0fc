/**
 * Analogy and word-pair evaluation against gensim 4.2's own numbers on the shared GloVe files
 * (test/fixtures/vectors/gensim-evaluation.json, written by scripts/gensim-evaluation.py): the per-section counts equal,
 * the correlations and p-values to 1e-9 (relative).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { EvaluationFileError } from '../../server/src/vectors/evaluation/evaluationFileError';
import { evaluateWordAnalogies } from '../../server/src/vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../../server/src/vectors/evaluation/wordPairs';
import { readVectorFile } from '../../server/src/vectors/vectorFiles';
import type { WordVectors } from '../../server/src/vectors/wordVectors';
import { repoRoot, sharedDir, skipWithoutShared } from '../support/paths';

interface AnalogySettings {
  restrict_vocab: number;
  case_insensitive?: boolean;
  dummy4unknown?: boolean;
}
interface GensimAnalogies {
  settings: AnalogySettings;
  score: number;
  sections: { section: string; correct: number; incorrect: number }[];
  questions: number;
  oovQuestions: number;
}
interface GensimPairs {
  settings: { restrict_vocab: number; dummy4unknown?: boolean };
  error?: string;
  pearson?: { r: number | null; p: number | null };
  spearman?: { rho: number | null; p: number | null };
  oovRatio?: number;
}
interface GensimFixture {
  gensim: string;
  vectors: Record<string, { words: number; dim: number; analogies: GensimAnalogies[]; pairs: Record<string, GensimPairs[]> }>;
}

const fixtureFile = path.join(repoRoot, 'test', 'fixtures', 'vectors', 'gensim-evaluation.json');
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as GensimFixture;

const loaded = new Map<string, Promise<WordVectors>>();
function sharedVectors(name: string): Promise<WordVectors> {
  if (!loaded.has(name)) loaded.set(name, readVectorFile(path.join(sharedDir!, 'vectors', name), { format: 'glove' }).then((read) => read.vectors));
  return loaded.get(name)!;
}

/** Equal to 1e-9 relative; gensim's null (scipy's NaN for a constant input) must be NaN here. */
function assertClose(actual: number, expected: number | null | undefined, what: string): void {
  if (expected === null || expected === undefined) return assert.ok(Number.isNaN(actual), `${what}: expected NaN (gensim: undefined), got ${actual}`);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), `${what}: ${actual} != gensim's ${expected}`);
}

for (const [name, reference] of Object.entries(fixture.vectors)) {
  test(`analogies on ${name} equal gensim's, section by section`, { skip: skipWithoutShared }, async () => {
    const vectors = await sharedVectors(name);
    assert.equal(vectors.size, reference.words);
    for (const expected of reference.analogies) {
      const { restrict_vocab: restrictVocab, case_insensitive: caseInsensitive, dummy4unknown } = expected.settings;
      const result = await evaluateWordAnalogies(vectors, path.join(sharedDir!, 'eval', 'questions-words.txt'), { restrictVocab, caseInsensitive, dummy4unknown });
      const settings = JSON.stringify(expected.settings);
      assert.deepEqual(
        [...result.sections, result.total].map(({ section, correct, incorrect }) => ({ section, correct, incorrect })),
        expected.sections,
        settings,
      );
      assert.equal(result.score, expected.score, settings);
      assert.equal(result.questions, expected.questions, settings);
      assert.equal(result.oovQuestions, expected.oovQuestions, settings);
      assert.equal(result.oovRatio, (100 * expected.oovQuestions) / expected.questions, settings);
      assert.deepEqual(result.invalidLines, [], settings);
    }
  });

  test(`word-pair correlations on ${name} equal gensim's`, { skip: skipWithoutShared }, async () => {
    const vectors = await sharedVectors(name);
    for (const [file, cases] of Object.entries(reference.pairs)) {
      for (const expected of cases) {
        const what = `${file} ${JSON.stringify(expected.settings)}`;
        const run = evaluateWordPairs(vectors, path.join(sharedDir!, 'eval', file), { restrictVocab: expected.settings.restrict_vocab, dummy4unknown: expected.settings.dummy4unknown });
        if (expected.error) {
          await assert.rejects(run, (error: unknown) => error instanceof EvaluationFileError && /no pair has both words/.test(error.message), what);
          continue;
        }
        const result = await run;
        assertClose(result.pearson.r, expected.pearson!.r, `${what} pearson r`);
        assertClose(result.pearson.p, expected.pearson!.p, `${what} pearson p`);
        assertClose(result.spearman.rho, expected.spearman!.rho, `${what} spearman rho`);
        assertClose(result.spearman.p, expected.spearman!.p, `${what} spearman p`);
        assertClose(result.oovRatio, expected.oovRatio, `${what} OOV ratio`);
        assert.deepEqual(result.invalidLines, [], what);
      }
    }
  });
}

/** Re-deriving the fixture runs gensim for ~10 s, so it is asked for: EMBEDDING_LENS_LIVE_GENSIM=1. */
function liveGensimSkip(): string | false {
  if (skipWithoutShared) return skipWithoutShared;
  if (process.env.EMBEDDING_LENS_LIVE_GENSIM !== '1') return 'set EMBEDDING_LENS_LIVE_GENSIM=1 to re-derive the gensim fixture with gensim itself';
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import gensim, scipy'], { encoding: 'utf8' });
  return probe.status === 0 ? false : '/usr/bin/python3 with gensim and scipy is absent: fixture not re-derived';
}

test('the gensim fixture is what gensim computes now', { skip: liveGensimSkip() }, () => {
  const run = spawnSync('/usr/bin/python3', [path.join(repoRoot, 'scripts', 'gensim-evaluation.py'), sharedDir!], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(run.status, 0, run.stderr);
  const live = JSON.parse(run.stdout) as GensimFixture;
  if (live.gensim !== fixture.gensim) return; // another gensim may legitimately differ in the last digits
  assert.deepEqual(live, fixture);
});
