import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_RESTRICT_VOCAB } from '../vectors/evaluation/evaluationVocabulary';
import { DEFAULT_WEAT_PERMUTATIONS, weat, type WeatResult } from '../vectors/evaluation/weat';
import { readWeatFile, type TitledWeatSets } from '../vectors/evaluation/weatFile';
import { WEAT_SETS, weatSet, type WeatSet, type WeatWordSets } from '../vectors/evaluation/weatSets';
import { evaluateWordAnalogies } from '../vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../vectors/evaluation/wordPairs';
import { InputError } from './inputLines';
import type { Output } from './output';
import { UsageError } from './tokenizeCommand';
import { stderrProgress } from './stderrProgress';
import { wholeNumberOption } from './wholeNumberOption';
import { loadVectors, vectorsChoice, VECTORS_OPTIONS, VECTORS_OPTIONS_HELP } from './vectorsOption';

export const EVAL_VECTORS_HELP = `Usage: embedding-lens eval-vectors --vectors FILE [--analogies FILE] [--pairs FILE...] [--weat ID|all] [--weat-file F] [options]

Scores word vectors and prints one JSON document, with gensim's numbers (KeyedVectors.evaluate_word_analogies and
evaluate_word_pairs):
  --analogies  accuracy per section and in total on a questions-words.txt-style file (": section", then
               "a b c expected" lines), answered by 3CosAdd over the first --restrict words
  --pairs      Pearson and Spearman correlation (with two-sided p-values) between the vectors' cosine and human
               scores on "word1 word2 score" files (WordSim-353, SimLex-999; '#' lines are comments)
  --weat       the Word Embedding Association Test (Caliskan et al. 2017): effect size and permutation p-value for
               a standard set, or all of them: ${WEAT_SETS.map((set) => set.id).join(', ')}
  --weat-file  the same on your own word sets: a JSON file holding { "title"?, "targetX": [...], "targetY": [...],
               "attributeA": [...], "attributeB": [...] } or an array of such tests

Options:
${VECTORS_OPTIONS_HELP}
  --analogies <FILE>      analogy questions
  --pairs <FILE>...       word-pair files (repeat the option, or list several after it)
  --restrict <N>          only the first N (most frequent) words take part (default ${DEFAULT_RESTRICT_VOCAB})
  --case-sensitive        compare words as written (default: upper-cased, the most frequent spelling's vector)
  --dummy4unknown         count questions and pairs with unknown words (as wrong, or similarity 0) instead of skipping
  --weat <ID|all>         WEAT set(s); repeatable
  --weat-file <FILE>      WEAT tests from a JSON file; repeatable
  --permutations <N>      WEAT: enumerate partitions up to N of them, else sample N (default ${DEFAULT_WEAT_PERMUTATIONS})
  --seed <N>              WEAT sampling seed (default 1)
  --quiet, -q             no progress on standard error
  --help, -h              show this help
`;

export async function evalVectorsCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...VECTORS_OPTIONS,
      analogies: { type: 'string' },
      pairs: { type: 'string', multiple: true },
      restrict: { type: 'string' },
      'case-sensitive': { type: 'boolean', default: false },
      dummy4unknown: { type: 'boolean', default: false },
      weat: { type: 'string', multiple: true },
      'weat-file': { type: 'string', multiple: true },
      permutations: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(EVAL_VECTORS_HELP);
  const choice = vectorsChoice(values, 'eval-vectors');
  if (positionals.length > 0 && !values.pairs) throw new UsageError(`unexpected argument "${positionals[0]}" (word-pair files follow --pairs)`);
  const pairFiles = [...(values.pairs ?? []), ...positionals];
  const weatFiles = values['weat-file'] ?? [];
  const weatSets = chosenWeatSets(values.weat ?? []);
  if (!values.analogies && pairFiles.length === 0 && weatSets.length === 0 && weatFiles.length === 0) {
    throw new UsageError('eval-vectors needs something to evaluate: --analogies, --pairs, --weat or --weat-file');
  }
  const restrictVocab = values.restrict === undefined ? DEFAULT_RESTRICT_VOCAB : wholeNumberOption(values.restrict, '--restrict');
  const permutations = values.permutations === undefined ? undefined : wholeNumberOption(values.permutations, '--permutations');
  const seed = values.seed === undefined ? undefined : wholeNumberOption(values.seed, '--seed');
  const shared = { restrictVocab, caseInsensitive: !values['case-sensitive'], dummy4unknown: values.dummy4unknown };
  const progress = values.quiet ? undefined : stderrProgress();

  const aborter = new AbortController();
  const interrupt = (): void => aborter.abort(new InputError('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    // Read before the vectors, so a mistake in a hand-written file shows at once.
    const fileSets: { file: string; sets: TitledWeatSets }[] = [];
    for (const file of weatFiles) for (const sets of await readWeatFile(file)) fileSets.push({ file: path.resolve(file), sets });
    const { vectors, format } = await loadVectors(choice, {
      signal: aborter.signal,
      onProgress: progress && ((done, total) => progress('reading vectors', done, total)),
    });
    const report: Record<string, unknown> = { vectors: { file: path.resolve(choice.file), format, words: vectors.size, dim: vectors.dim } };
    if (values.analogies) {
      const result = await evaluateWordAnalogies(vectors, values.analogies, {
        ...shared,
        signal: aborter.signal,
        onProgress: progress && ((done, total) => progress('analogies', done, total)),
      });
      report.analogies = { file: path.resolve(values.analogies), ...result };
    }
    if (pairFiles.length > 0) {
      const pairs = [];
      for (const file of pairFiles) pairs.push({ file: path.resolve(file), ...(await evaluateWordPairs(vectors, file, shared)) });
      report.pairs = pairs;
    }
    if (weatSets.length > 0 || fileSets.length > 0) {
      const run = (name: string, sets: WeatWordSets): WeatResult => {
        try {
          return weat(vectors, sets, { permutations, seed });
        } catch (error) {
          throw new InputError(`${name}: ${(error as Error).message}`);
        }
      };
      report.weat = [
        ...weatSets.map((set) => ({ id: set.id, title: set.title, ...run(set.id, set) })),
        ...fileSets.map(({ file, sets }) => ({ file, title: sets.title, ...run(`${file} (${sets.title})`, sets) })),
      ];
    }
    progress?.('done', 1, 1);
    // JSON has no NaN: an undefined correlation (a constant input) prints as null.
    await out.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    process.off('SIGINT', interrupt);
  }
}

function chosenWeatSets(ids: readonly string[]): WeatSet[] {
  if (ids.includes('all')) return [...WEAT_SETS];
  return ids.map((id) => weatSet(id) ?? usageError(`unknown WEAT set "${id}"; the sets are ${WEAT_SETS.map((set) => set.id).join(', ')} (or all)`));
}

function usageError(message: string): never {
  throw new UsageError(message);
}
