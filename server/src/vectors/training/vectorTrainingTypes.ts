/** What a word-vector training run takes, reports and reads. Shared by word2vec, fastText and GloVe. */

export type VectorAlgorithm = 'word2vec' | 'fasttext' | 'glove';
export type ContextMode = 'skipgram' | 'cbow';
export type OutputLoss = 'ns' | 'hs';

export interface VectorTrainingOptions {
  algo: VectorAlgorithm;
  /** word2vec and fastText only. */
  mode: ContextMode;
  loss: OutputLoss;
  dim: number;
  /** Maximum distance to a context word (word2vec and fastText sample 1..window per word; GloVe uses all). */
  window: number;
  negative: number;
  minCount: number;
  /** Keep at most this many words (the most frequent); 0 = no limit. */
  maxVocab: number;
  /** Sub-sampling threshold (word2vec's -sample); 0 disables it. */
  sample: number;
  epochs: number;
  threads: number;
  /** Starting learning rate; undefined = the algorithm's default (0.05 for each: word2vec, fastText, GloVe). */
  learningRate?: number;
  /**
   * Negative words are drawn by count^nsExponent (gensim's ns_exponent); undefined = 0.5, as fastText (word2vec.c
   * and gensim use 0.75). 1 draws by frequency, 0 uniformly.
   */
  nsExponent?: number;
  /** Makes single-thread runs repeatable. */
  seed: number;
  /** fastText character n-grams (maxn 0 turns them off) and hash buckets. */
  minn: number;
  maxn: number;
  bucket: number;
  /** GloVe weighting: f(x) = min(1, (x / xMax)^alpha). */
  xMax: number;
  alpha: number;
  /** GloVe: co-occurrence entries kept in memory before spilling sorted runs to disk. */
  cooccurrenceMemoryEntries: number;
  /** GloVe: folder for spilled runs (removed afterwards); undefined = the OS temp folder. */
  spillDir?: string;
}

export const DEFAULT_VECTOR_TRAINING: VectorTrainingOptions = {
  algo: 'word2vec',
  mode: 'skipgram',
  loss: 'ns',
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 5,
  maxVocab: 0,
  sample: 1e-3,
  epochs: 5,
  threads: 2,
  seed: 1,
  minn: 3,
  maxn: 6,
  bucket: 2_000_000,
  xMax: 100,
  alpha: 0.75,
  cooccurrenceMemoryEntries: 20_000_000,
};

export type VectorTrainingPhase = 'reading' | 'counting' | 'training' | 'writing';

export interface VectorTrainingProgress {
  phase: VectorTrainingPhase;
  /** 0..1 over the whole run's current phase. */
  fraction: number;
  epoch: number;
  wordsPerSecond: number;
  learningRate: number;
  /** Seconds left in the run, when it can be estimated. */
  etaSeconds?: number;
  /** The recent mean loss, where the algorithm has one. */
  loss?: number;
}

/**
 * A corpus read into word ids, in memory shared by the training threads. Words below min count are dropped from
 * `tokens`; sentences (lines) are the spans between consecutive `sentenceEnds`, and context windows never cross them.
 */
export interface EncodedCorpus {
  /** Vocabulary, most frequent first (ties in first-seen order). */
  words: string[];
  /** Occurrences of each word in the corpus. */
  counts: Float64Array;
  /** Word ids, sentence after sentence; backed by a SharedArrayBuffer. */
  tokens: Int32Array;
  /** Exclusive end in `tokens` of each sentence; backed by a SharedArrayBuffer. */
  sentenceEnds: Uint32Array;
}
