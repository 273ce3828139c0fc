/**
 * The one entry point for training word vectors: reads the corpus once, then trains word2vec, fastText or GloVe on
 * worker threads. Nothing is written here (see saveTrainedVectors), so a cancelled run leaves no file behind.
 */
import { FASTTEXT_SKIPGRAM_DEFAULTS, type FastTextModel } from '../fastTextModel';
import type { WordVectors } from '../wordVectors';
import { readCorpus } from './corpus';
import { trainGlove } from './glove/trainGlove';
import { VectorTrainingCancelled } from './trainingThreads';
import { trainWord2Vec, type ContextModel } from './trainWord2Vec';
import type { EncodedCorpus, VectorTrainingOptions, VectorTrainingProgress } from './vectorTrainingTypes';
import { VectorTrainingError } from './vectorTrainingError';
import type { WordSplitter } from './wordSplitters';

export interface VectorTrainingRequest extends VectorTrainingOptions {
  splitter: WordSplitter;
}

export interface VectorTrainingHooks {
  signal?: AbortSignal;
  onProgress?(progress: VectorTrainingProgress): void;
}

export interface VectorTrainingStats {
  /** Corpus words kept (in the vocabulary), one epoch. */
  words: number;
  vocabulary: number;
  /** Training time, reading the corpus excluded. */
  seconds: number;
  /** words × epochs / seconds. */
  wordsPerSecond: number;
}

export interface TrainedVectors {
  vectors: WordVectors;
  /** fastText runs: the whole model, for a .bin file. */
  fastText?: FastTextModel;
  stats: VectorTrainingStats;
}

/** `corpusPaths`: files, or folders whose text files are all read. */
export async function trainVectors(corpusPaths: readonly string[], request: VectorTrainingRequest, hooks: VectorTrainingHooks = {}): Promise<TrainedVectors> {
  try {
    return await trainOnCorpus(corpusPaths, request, hooks);
  } catch (error) {
    // Cancelled while reading or counting (an AbortError) or training: one error for every phase.
    if (hooks.signal?.aborted && !(error instanceof VectorTrainingCancelled)) throw new VectorTrainingCancelled();
    throw error;
  }
}

async function trainOnCorpus(corpusPaths: readonly string[], request: VectorTrainingRequest, hooks: VectorTrainingHooks): Promise<TrainedVectors> {
  const { splitter, ...options } = request;
  checkOptions(options);
  const corpus = await readCorpus(corpusPaths, { splitter, minCount: options.minCount, maxVocab: options.maxVocab, signal: hooks.signal, onProgress: hooks.onProgress });
  if (corpus.words.length === 0) throw new VectorTrainingError(`the corpus has no word seen at least ${options.minCount} times (${splitter.name} words): nothing to train`);
  const started = Date.now();
  let vectors: WordVectors;
  let fastText: FastTextModel | undefined;
  if (options.algo === 'glove') {
    vectors = await trainGlove(corpus, options, hooks);
  } else {
    const model = await trainWord2Vec(corpus, options, hooks);
    vectors = model.vectors;
    if (options.algo === 'fasttext') fastText = fastTextModelOf(corpus, options, model);
  }
  hooks.signal?.throwIfAborted();
  const seconds = (Date.now() - started) / 1000;
  const words = corpus.tokens.length;
  return {
    vectors,
    fastText,
    stats: { words, vocabulary: corpus.words.length, seconds, wordsPerSecond: seconds > 0 ? (words * options.epochs) / seconds : 0 },
  };
}

function fastTextModelOf(corpus: EncodedCorpus, options: VectorTrainingOptions, model: ContextModel): FastTextModel {
  return {
    args: {
      ...FASTTEXT_SKIPGRAM_DEFAULTS,
      dim: options.dim,
      ws: options.window,
      epoch: options.epochs,
      minCount: options.minCount,
      neg: options.negative,
      loss: options.loss,
      model: options.mode,
      // fastText stores bucket 0 when n-grams are off.
      bucket: model.subwords ? options.bucket : 0,
      minn: options.minn,
      maxn: model.subwords ? options.maxn : 0,
      t: options.sample,
    },
    words: corpus.words,
    counts: corpus.counts,
    input: model.input,
    output: model.output,
    tokenCount: corpus.tokens.length,
  };
}

/** Settings no algorithm can run with: an error naming the option, before the corpus is read. */
function checkOptions(options: VectorTrainingOptions): void {
  const positive: (keyof VectorTrainingOptions)[] = ['dim', 'window', 'epochs', 'threads'];
  for (const key of positive) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new VectorTrainingError(`word-vector training: ${key} must be a whole number ≥ 1, got ${String(value)}`);
  }
  const wholeOrZero: (keyof VectorTrainingOptions)[] = ['negative', 'minCount', 'maxVocab', 'minn', 'maxn', 'bucket'];
  for (const key of wholeOrZero) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new VectorTrainingError(`word-vector training: ${key} must be a whole number ≥ 0, got ${String(value)}`);
  }
  if (!(options.sample >= 0)) throw new VectorTrainingError(`word-vector training: sample must be ≥ 0, got ${options.sample}`);
  if (options.learningRate !== undefined && !(options.learningRate > 0)) throw new VectorTrainingError(`word-vector training: the learning rate must be > 0, got ${options.learningRate}`);
  if (options.nsExponent !== undefined && !Number.isFinite(options.nsExponent)) throw new VectorTrainingError(`word-vector training: the negative-sampling exponent must be a number, got ${options.nsExponent}`);
  if (options.algo !== 'glove' && options.loss === 'ns' && options.negative < 1) throw new VectorTrainingError('word-vector training: negative sampling needs negative ≥ 1');
  if (options.algo === 'glove' && !(options.xMax > 0 && options.alpha > 0)) throw new VectorTrainingError(`word-vector training: GloVe's xMax and alpha must be > 0, got ${options.xMax} and ${options.alpha}`);
  if (options.algo === 'fasttext' && options.maxn > 0 && options.minn > options.maxn) throw new VectorTrainingError(`word-vector training: minn (${options.minn}) must not exceed maxn (${options.maxn})`);
}
