/**
 * WordPiece training as Hugging Face's WordPieceTrainer does it: BPE training where symbols inside a word carry
 * the "##" prefix, keeping only the resulting vocabulary (a WordPiece model has no merges).
 */
import { trainBpe } from './bpeTrainer';
import type { TrainingProgress } from './trainingProgress';

export const WORDPIECE_PREFIX = '##';

export interface WordPieceTrainerOptions {
  vocabSize: number;
  minFrequency: number;
  specialTokens: readonly string[];
  /** The most characters kept (BertWordPieceTokenizer's limit_alphabet is 1000). */
  limitAlphabet?: number;
  progress?: TrainingProgress;
}

/** The vocabulary in id order: special tokens, characters, "##" characters, then merged pieces. */
export async function trainWordPiece(wordCounts: Iterable<readonly [string, number]>, options: WordPieceTrainerOptions): Promise<string[]> {
  const { vocab } = await trainBpe(wordCounts, { ...options, continuingSubwordPrefix: WORDPIECE_PREFIX });
  return vocab;
}
