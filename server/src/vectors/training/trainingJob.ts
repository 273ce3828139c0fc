/**
 * What the main thread hands each word2vec/fastText training thread: the settings, and the model and corpus in
 * SharedArrayBuffers, so every thread updates the same matrices without locks (Hogwild, as word2vec.c and fastText).
 */
import type { TrainingMemoryLayout } from './trainingMemory';
import type { ContextMode, OutputLoss } from './vectorTrainingTypes';

export interface SharedTrainingState {
  /** Corpus word ids and sentence ends (EncodedCorpus's). */
  tokens: Int32Array;
  sentenceEnds: Uint32Array;
  /**
   * Shared WebAssembly memory holding the input vectors (one row per word, then for fastText one per n-gram bucket),
   * the output vectors (one row per word for negative sampling, per inner Huffman node for hierarchical softmax) and
   * each thread's scratch, at the layout's offsets.
   */
  memory: WebAssembly.Memory;
  layout: TrainingMemoryLayout;
  /**
   * The input rows a word is made of: rows inputRows[inputRowStarts[w]] .. [inputRowStarts[w+1]-1]. word2vec: just
   * its own row; fastText: its row then its n-grams'.
   */
  inputRowStarts: Int32Array;
  inputRows: Int32Array;
  /** Sub-sampling: each word's keep probability. */
  keepProbability: Float32Array;
  /** Negative sampling: the count^nsExponent alias table, see negativeTable.ts (empty for hierarchical softmax). */
  negativeTable: Int32Array;
  /** Hierarchical softmax: Huffman paths (empty for negative sampling). */
  codeStarts: Int32Array;
  points: Int32Array;
  codes: Uint8Array;
  /** PROGRESS_SLOTS numbers per thread, written by that thread only (see ProgressSlot). */
  progress: Float64Array;
}

/** Per-thread progress numbers in SharedTrainingState.progress. */
export const ProgressSlot = {
  /** Corpus words this thread has gone through, all epochs together (before sub-sampling). */
  Words: 0,
  /** Sum and number of the losses of its updates so far. */
  LossSum: 1,
  LossCount: 2,
  LearningRate: 3,
} as const;
export const PROGRESS_SLOTS = 4;

export interface TrainingThreadJob {
  mode: ContextMode;
  loss: OutputLoss;
  dim: number;
  window: number;
  negative: number;
  epochs: number;
  learningRate: number;
  threads: number;
  thread: number;
  /** This thread's seed (the run's seed + thread). */
  seed: number;
  /** This thread's share of the corpus: sentences [firstSentence, endSentence). */
  firstSentence: number;
  endSentence: number;
  /** Corpus words × epochs, over all threads: the learning rate reaches its floor there. */
  totalWords: number;
  state: SharedTrainingState;
}

export const TRAINING_THREAD_ROLE = 'vector-training';

export interface TrainingThreadData {
  role: typeof TRAINING_THREAD_ROLE;
  job: TrainingThreadJob;
}

export type TrainingThreadMessage = { type: 'done' } | { type: 'error'; message: string };
