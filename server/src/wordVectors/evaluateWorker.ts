/**
 * Evaluation in a worker thread (the server bundle started with workerData.role = EVALUATE_WORKER_ROLE), so scoring
 * thousands of analogies never blocks the language server. The worker gets the rows evaluation looks at (the first
 * restrictVocab, as gensim) in a SharedArrayBuffer instead of reading the file again.
 */
import type { AnalogyScores, PairScores, WeatRequest, WeatScores } from '../protocol';
import { evaluateWordAnalogies, type AnalogySectionScore as EngineSectionScore } from '../vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../vectors/evaluation/wordPairs';
import { WordVectors } from '../vectors/wordVectors';
import { runJobWorker } from '../workers/jobWorker';
import { weatScores } from './weatScores';

export const EVALUATE_WORKER_ROLE = 'evaluateWordVectors';

export interface EvaluateJob {
  /** The first rows of the active vectors: their words, and their floats in shared memory. */
  words: string[];
  dim: number;
  rows: Float32Array;
  /** Absolute paths. */
  analogies: string | undefined;
  pairs: string[];
  restrictVocab: number | undefined;
  caseInsensitive: boolean | undefined;
  /** WEAT: the request (files absolute), with the vectors of every word its sets may look up (any row, or subwords). */
  weat: { request: WeatRequest; words: string[]; rows: Float32Array } | undefined;
}

/** Analogies: rows scanned (all questions at once); word pairs: files done; WEAT: started. */
export type EvaluateProgress = { phase: 'analogies' | 'pairs' | 'weat'; done: number; total: number };

export interface EvaluateSummary {
  analogies: AnalogyScores | undefined;
  pairs: PairScores[];
  weat: WeatScores[] | undefined;
}

export function runEvaluateWorker(): void {
  runJobWorker<EvaluateJob, EvaluateSummary, EvaluateProgress>(evaluate);
}

async function evaluate(job: EvaluateJob, onProgress: (progress: EvaluateProgress) => void): Promise<EvaluateSummary> {
  const vectors = new WordVectors(job.words, job.dim, job.rows);
  const options = { restrictVocab: job.restrictVocab, caseInsensitive: job.caseInsensitive };
  let analogies: AnalogyScores | undefined;
  if (job.analogies !== undefined) {
    const file = job.analogies;
    const evaluation = await evaluateWordAnalogies(vectors, file, { ...options, onProgress: (done, total) => onProgress({ phase: 'analogies', done, total }) });
    // The engine gives gensim's percentages; the protocol shares, as for accuracy.
    analogies = { file, sections: evaluation.sections.map(sectionScore), total: sectionScore(evaluation.total), skipped: evaluation.oovQuestions, oovRatio: evaluation.oovRatio / 100, invalidLines: evaluation.invalidLines };
  }
  const pairs: PairScores[] = [];
  for (const file of job.pairs) {
    onProgress({ phase: 'pairs', done: pairs.length, total: job.pairs.length });
    const { pearson, spearman, oovRatio, pairs: count, skipped, invalidLines } = await evaluateWordPairs(vectors, file, options);
    pairs.push({ file, pearson: pearson.r, pearsonP: pearson.p, spearman: spearman.rho, spearmanP: spearman.p, oovRatio: oovRatio / 100, pairs: count, skipped, invalidLines });
  }
  let weat: WeatScores[] | undefined;
  if (job.weat) {
    onProgress({ phase: 'weat', done: 0, total: 1 });
    weat = await weatScores(new WordVectors(job.weat.words, job.dim, job.weat.rows), job.weat.request, (file) => file);
  }
  return { analogies, pairs, weat };
}

function sectionScore({ section, correct, incorrect, score }: EngineSectionScore): AnalogyScores['total'] {
  return { section, correct, total: correct + incorrect, accuracy: score };
}
