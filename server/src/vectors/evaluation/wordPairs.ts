/**
 * Word-pair similarity as gensim 4's KeyedVectors.evaluate_word_pairs computes it: the model's cosine for each
 * "word1 word2 score" line against the human score, by Pearson and Spearman correlation, with the share of pairs
 * that have a word outside the evaluation vocabulary. Lines starting with '#' are comments; lines that are not a
 * pair and a number are skipped (as gensim does; their numbers are reported).
 */
import type { WordVectors } from '../wordVectors';
import { pearson, spearman, type Correlation } from './correlation';
import { EvaluationFileError } from './evaluationFileError';
import { readEvaluationLines } from './evaluationLines';
import { DEFAULT_RESTRICT_VOCAB, evaluationVocabulary } from './evaluationVocabulary';

export interface WordPairOptions {
  /**
   * Field separator, '\t' by default (WordSim-353 and SimLex-999 as distributed). A line it does not split into three
   * fields is split on whitespace instead, so space-separated files read too.
   */
  delimiter?: string;
  restrictVocab?: number;
  caseInsensitive?: boolean;
  /** Give pairs with an unknown word similarity 0 instead of leaving them out. Default false. */
  dummy4unknown?: boolean;
}

export interface WordPairEvaluation {
  pearson: { r: number; p: number };
  spearman: { rho: number; p: number };
  /** Percentage of pairs with an unknown word, as gensim computes it. */
  oovRatio: number;
  /** Pairs in the correlations. */
  pairs: number;
  /** Pairs left out for an unknown word (0 with dummy4unknown). */
  skipped: number;
  /** 1-based lines that were neither a comment nor "word1 word2 score". */
  invalidLines: number[];
}

/** A decimal number as Python's float() reads one (nan and inf are not similarity scores). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export async function evaluateWordPairs(vectors: WordVectors, file: string, options: WordPairOptions = {}): Promise<WordPairEvaluation> {
  const { delimiter = '\t', restrictVocab = DEFAULT_RESTRICT_VOCAB, caseInsensitive = true, dummy4unknown = false } = options;
  const vocabulary = evaluationVocabulary(vectors, restrictVocab, caseInsensitive);
  const unitRows = vectors.unitVectors();
  const gold: number[] = [];
  const model: number[] = [];
  const invalidLines: number[] = [];
  let oov = 0;
  (await readEvaluationLines(file)).forEach((text, i) => {
    if (text.startsWith('#')) return;
    const pair = splitPair(text, delimiter);
    if (!pair) {
      invalidLines.push(i + 1);
      return;
    }
    const rowA = vocabulary.rows.get(vocabulary.key(pair.a));
    const rowB = vocabulary.rows.get(vocabulary.key(pair.b));
    if (rowA === undefined || rowB === undefined) {
      oov++;
      if (!dummy4unknown) return;
      model.push(0);
    } else model.push(cosine(unitRows, vectors.dim, rowA, rowB));
    gold.push(pair.score);
  });
  if (gold.length === 0) {
    throw new EvaluationFileError(
      file,
      invalidLines.length > 0 && oov === 0 ? 'no "word1 word2 score" lines' : `no pair has both words among the first ${vocabulary.limit} words of the vectors`,
    );
  }
  const sample = gold.length < 2 ? undefined : { pearson: pearson(gold, model), spearman: spearman(gold, model) };
  const undefinedCorrelation: Correlation = { r: NaN, p: NaN };
  const byPearson = sample?.pearson ?? undefinedCorrelation;
  const bySpearman = sample?.spearman ?? undefinedCorrelation;
  return {
    pearson: { r: byPearson.r, p: byPearson.p },
    spearman: { rho: bySpearman.r, p: bySpearman.p },
    oovRatio: (100 * oov) / (dummy4unknown ? gold.length : gold.length + oov),
    pairs: gold.length,
    skipped: dummy4unknown ? 0 : oov,
    invalidLines,
  };
}

function splitPair(text: string, delimiter: string): { a: string; b: string; score: number } | undefined {
  let fields = text.split(delimiter);
  if (fields.length !== 3) fields = text.trim().split(/\s+/);
  if (fields.length !== 3) return undefined;
  const score = fields[2].trim();
  if (!NUMBER.test(score)) return undefined;
  return { a: fields[0], b: fields[1], score: Number(score) };
}

/**
 * gensim's similarity of two rows: the dot product of their float32 unit vectors (which are ours: each value times the
 * reciprocal of the double-precision length, as gensim's unitvec), as numpy's float32 dot computes it through
 * OpenBLAS's sdot for short vectors: float32 products summed in a double, the sum rounded to float32. Rounding the
 * same way matters: ties decide Spearman's ranks, and the correlations then agree to double precision.
 */
function cosine(unitRows: Float32Array, dim: number, a: number, b: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += Math.fround(unitRows[a * dim + d] * unitRows[b * dim + d]);
  return Math.fround(sum);
}
