/**
 * The words an evaluation may use, as gensim's evaluate_word_analogies / evaluate_word_pairs build them: the first
 * `restrictVocab` rows, keyed by their upper-cased spelling when case-insensitive, where the earliest (most frequent)
 * row of a spelling wins.
 */
import type { WordVectors } from '../wordVectors';

export const DEFAULT_RESTRICT_VOCAB = 300_000;

export interface EvaluationVocabulary {
  /** Row of each usable key (upper-cased when case-insensitive). */
  readonly rows: ReadonlyMap<string, number>;
  /** How many leading rows are searched. */
  readonly limit: number;
  /** The key form of a word from a benchmark file. */
  key(word: string): string;
}

export function evaluationVocabulary(vectors: WordVectors, restrictVocab = DEFAULT_RESTRICT_VOCAB, caseInsensitive = true): EvaluationVocabulary {
  const limit = Math.min(Math.max(0, Math.floor(restrictVocab)), vectors.size);
  const key = caseInsensitive ? (word: string): string => word.toUpperCase() : (word: string): string => word;
  const rows = new Map<string, number>();
  for (let i = 0; i < limit; i++) {
    const k = key(vectors.words[i]);
    if (!rows.has(k)) rows.set(k, i);
  }
  return { rows, limit, key };
}
