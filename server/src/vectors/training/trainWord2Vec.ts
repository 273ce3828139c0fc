/**
 * word2vec and fastText training on an encoded corpus: sets up the shared model (input rows initialised at random,
 * output rows at zero, as word2vec.c and fastText), the sampling tables, and each thread's share of the corpus, runs
 * the threads, and turns the input matrix into word vectors. fastText is word2vec whose words are also made of their
 * character n-gram rows; its word vectors are the mean of those rows, and words never seen still get one.
 */
import { meanOfRows, SubwordVectors, subwordRows, type SubwordSettings } from '../subwords';
import { WordVectors } from '../wordVectors';
import { buildHuffmanTree } from './huffmanTree';
import { buildNegativeTable, DEFAULT_NEGATIVE_POWER } from './negativeTable';
import { keepProbabilities } from './subsampling';
import { PROGRESS_SLOTS, type SharedTrainingState, type TrainingThreadJob } from './trainingJob';
import { createTrainingMemory, inputView, outputView, planTrainingMemory } from './trainingMemory';
import { runTrainingThreads, type ThreadRunOptions } from './trainingThreads';
import { VectorTrainingError } from './vectorTrainingError';
import type { EncodedCorpus, VectorTrainingOptions } from './vectorTrainingTypes';

export interface ContextModel {
  vectors: WordVectors;
  /** fastText only: its n-gram settings and the full matrices, for a .bin file. */
  subwords?: SubwordSettings;
  input: Float32Array;
  output: Float32Array;
}

/**
 * 0.05 for every mode, as fastText. word2vec.c and gensim start skip-gram at 0.025, which learns less in few epochs:
 * on Gutenberg (11M words, 5 epochs, bench:vectors) 0.05 gave analogy 29.7% and WordSim-353 ρ 0.486 against 27.8%
 * and 0.465 with 0.025. `--lr 0.025` gives word2vec.c's.
 */
const DEFAULT_LEARNING_RATE = 0.05;
/**
 * Input rows start uniform in ±1/dim, as fastText (word2vec.c: ±0.5/dim). On bench:vectors, with count^0.5
 * negatives, it lifted analogy by about 0.5-0.8 points for both modes.
 */
const INITIAL_RANGE_TIMES_DIM = 1;

export async function trainWord2Vec(corpus: EncodedCorpus, options: VectorTrainingOptions, run: ThreadRunOptions = {}): Promise<ContextModel> {
  const words = corpus.words.length;
  if (words === 0) throw new VectorTrainingError(`the corpus has no word seen at least ${options.minCount} times: nothing to train`);
  const dim = options.dim;
  const subwords = options.algo === 'fasttext' && options.maxn > 0 && options.bucket > 0 ? { minn: options.minn, maxn: options.maxn, bucket: options.bucket } : undefined;
  const rows = words + (subwords?.bucket ?? 0);
  const { inputRowStarts, inputRows } = inputRowsOf(corpus.words, subwords);
  const hierarchical = options.loss === 'hs';
  const huffman = hierarchical ? buildHuffmanTree(corpus.counts) : undefined;
  const threads = Math.max(1, Math.min(options.threads, corpus.sentenceEnds.length));

  let widestWord = 1;
  for (let w = 0; w < words; w++) widestWord = Math.max(widestWord, inputRowStarts[w + 1] - inputRowStarts[w]);
  let longestPath = 1;
  if (huffman) for (let w = 0; w < words; w++) longestPath = Math.max(longestPath, huffman.codeStarts[w + 1] - huffman.codeStarts[w]);
  const window = Math.max(1, options.window);
  const layout = planTrainingMemory({
    inputRows: rows,
    // One row per word for both losses, as fastText keeps it (hierarchical softmax uses the first words-1).
    outputRows: words,
    dim,
    threads,
    window,
    widestWord,
    targetsPerWord: hierarchical ? longestPath : 1 + options.negative,
  });
  const memory = createTrainingMemory(layout);
  const input = inputView(memory, layout);
  fillUniform(input, INITIAL_RANGE_TIMES_DIM / dim, options.seed);
  const state: SharedTrainingState = {
    tokens: corpus.tokens,
    sentenceEnds: corpus.sentenceEnds,
    memory,
    layout,
    inputRowStarts,
    inputRows,
    keepProbability: keepProbabilities(corpus.counts, options.sample),
    negativeTable: hierarchical ? new Int32Array(0) : buildNegativeTable(corpus.counts, options.nsExponent ?? DEFAULT_NEGATIVE_POWER),
    codeStarts: huffman?.codeStarts ?? new Int32Array(0),
    points: huffman?.points ?? new Int32Array(0),
    codes: huffman?.codes ?? new Uint8Array(0),
    progress: new Float64Array(new SharedArrayBuffer(threads * PROGRESS_SLOTS * Float64Array.BYTES_PER_ELEMENT)),
  };
  const sentenceSplits = splitSentences(corpus, threads);
  const jobs: TrainingThreadJob[] = [];
  for (let thread = 0; thread < threads; thread++) {
    jobs.push({
      mode: options.mode,
      loss: options.loss,
      dim,
      window,
      negative: options.negative,
      epochs: options.epochs,
      learningRate: options.learningRate ?? DEFAULT_LEARNING_RATE,
      threads,
      thread,
      seed: options.seed + thread,
      firstSentence: sentenceSplits[thread],
      endSentence: sentenceSplits[thread + 1],
      totalWords: corpus.tokens.length * options.epochs,
      state,
    });
  }
  await runTrainingThreads(jobs, run);

  const vectors = subwords
    ? new WordVectors(corpus.words, dim, meanRows(words, dim, input, inputRowStarts, inputRows, widestWord), new SubwordVectors(subwords, words, dim, input))
    : new WordVectors(corpus.words, dim, input.slice(0, words * dim));
  return { vectors, subwords, input, output: outputView(memory, layout) };
}

/** Each word's input rows: its own, then (fastText) its n-grams' in fastText's order. */
function inputRowsOf(words: readonly string[], subwords: SubwordSettings | undefined): { inputRowStarts: Int32Array; inputRows: Int32Array } {
  const inputRowStarts = new Int32Array(new SharedArrayBuffer((words.length + 1) * Int32Array.BYTES_PER_ELEMENT));
  const all: number[] = [];
  const ngrams: number[] = [];
  for (let w = 0; w < words.length; w++) {
    all.push(w);
    if (subwords) for (const row of subwordRows(words[w], subwords, words.length, ngrams)) all.push(row);
    inputRowStarts[w + 1] = all.length;
  }
  const inputRows = new Int32Array(new SharedArrayBuffer(all.length * Int32Array.BYTES_PER_ELEMENT));
  inputRows.set(all);
  return { inputRowStarts, inputRows };
}

/** Uniform in [-range, range), from the run's seed, so single-thread runs repeat exactly. */
function fillUniform(input: Float32Array, range: number, seed: number): void {
  let state = (seed ^ 0x5bd1e995) >>> 0;
  const scale = (2 * range) / 4294967296;
  for (let i = 0; i < input.length; i++) {
    // mulberry32, inlined: this loop fills up to 2 million bucket rows.
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    input[i] = ((t ^ (t >>> 14)) >>> 0) * scale - range;
  }
}

/** Sentence indices where each thread's share starts, balanced by words; the last entry is the sentence count. */
function splitSentences(corpus: EncodedCorpus, threads: number): number[] {
  const ends = corpus.sentenceEnds;
  const splits = [0];
  let sentence = 0;
  for (let thread = 1; thread < threads; thread++) {
    const target = (corpus.tokens.length * thread) / threads;
    while (sentence < ends.length && ends[sentence] <= target) sentence++;
    splits.push(Math.max(splits[splits.length - 1], sentence));
  }
  splits.push(ends.length);
  return splits;
}

/** fastText's word vectors: the mean of each word's input rows, computed as SubwordVectors computes any word's. */
function meanRows(words: number, dim: number, input: Float32Array, inputRowStarts: Int32Array, inputRows: Int32Array, widestWord: number): Float32Array {
  const out = new Float32Array(words * dim);
  const starts = new Int32Array(widestWord);
  for (let w = 0; w < words; w++) {
    const first = inputRowStarts[w];
    const count = inputRowStarts[w + 1] - first;
    for (let j = 0; j < count; j++) starts[j] = inputRows[first + j] * dim;
    meanOfRows(input, starts, count, dim, out, w * dim, Math.fround(1 / count));
  }
  return out;
}
