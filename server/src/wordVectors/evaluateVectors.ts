/** The embeddingLens/evaluateWordVectors request: analogy accuracy and word-pair correlations, as gensim reports them. */
import type { CancellationToken } from 'vscode-languageserver';
import type { AnalogyScores, EvaluateWordVectorsParams, EvaluateWordVectorsResult, PairScores } from '../protocol';
import { evaluateWordAnalogies, type AnalogySectionScore as EngineSectionScore } from '../vectors/evaluation/wordAnalogies';
import { evaluateWordPairs } from '../vectors/evaluation/wordPairs';
import type { LoadedWordVectors } from './activeWordVectors';
import type { WordVectorsSettingsReader } from './wordVectorsSettings';

export async function evaluateVectors(
  { vectors, info }: LoadedWordVectors,
  params: EvaluateWordVectorsParams,
  settings: WordVectorsSettingsReader,
  cancel: CancellationToken,
): Promise<EvaluateWordVectorsResult> {
  const abort = new AbortController();
  const subscription = cancel.onCancellationRequested(() => abort.abort());
  const options = { restrictVocab: params.restrictVocab, caseInsensitive: params.caseInsensitive };
  try {
    let analogies: AnalogyScores | undefined;
    if (params.analogies) {
      const file = settings.resolve(params.analogies);
      const evaluation = await evaluateWordAnalogies(vectors, file, { ...options, signal: abort.signal });
      analogies = { file, sections: evaluation.sections.map(sectionScore), total: sectionScore(evaluation.total), skipped: evaluation.oovQuestions };
    }
    const pairs: PairScores[] = [];
    for (const given of params.pairs ?? []) {
      abort.signal.throwIfAborted();
      const file = settings.resolve(given);
      const evaluation = await evaluateWordPairs(vectors, file, options);
      // The engine gives gensim's percentage; the protocol a share, as for accuracy.
      pairs.push({ file, pearson: evaluation.pearson.r, spearman: evaluation.spearman.rho, oovRatio: evaluation.oovRatio / 100, pairs: evaluation.pairs });
    }
    return { vectors: info.path, analogies, pairs };
  } finally {
    subscription.dispose();
  }
}

function sectionScore({ section, correct, incorrect, score }: EngineSectionScore): AnalogyScores['total'] {
  return { section, correct, total: correct + incorrect, accuracy: score };
}
