/**
 * GloVe (Pennington et al. 2014) as Stanford's tools run it: count co-occurrences (`cooccur`), shuffle the entries
 * (`shuffle`), then AdaGrad epochs over them on worker threads (`glove`), and output word + context vectors (its
 * default `-model 2`). Rows come out in the corpus's vocabulary order, most frequent first.
 */
import { WordVectors } from '../../wordVectors';
import type { EncodedCorpus, VectorTrainingOptions, VectorTrainingProgress } from '../vectorTrainingTypes';
import { countCooccurrences, type CooccurrenceEntries } from './countCooccurrences';
import type { GloveSharedState } from './gloveThread';
import { trainingThreadScript } from '../trainingThreads';
import { runGloveEpochs } from './gloveThreads';
import { gloveWeight } from './gloveWeight';
import { seededRandom } from '../../seededRandom';

export const GLOVE_DEFAULT_LEARNING_RATE = 0.05;

export interface GloveHooks {
  signal?: AbortSignal;
  onProgress?(progress: VectorTrainingProgress): void;
  /** The training thread entry; default: trainingThreadScript(). */
  workerScript?: string;
}

export async function trainGlove(corpus: EncodedCorpus, options: VectorTrainingOptions, hooks: GloveHooks = {}): Promise<WordVectors> {
  const { dim, epochs, threads, xMax, alpha } = options;
  const learningRate = options.learningRate ?? GLOVE_DEFAULT_LEARNING_RATE;
  checkOptions(options, learningRate);
  // Found before counting, so a broken installation fails at once rather than after minutes of work.
  const workerScript = hooks.workerScript ?? trainingThreadScript();
  const vocabSize = corpus.words.length;
  const entries = await countCooccurrences(corpus, {
    window: options.window,
    memoryEntries: options.cooccurrenceMemoryEntries,
    spillDir: options.spillDir,
    signal: hooks.signal,
    onProgress: hooks.onProgress,
  });
  if (entries.count === 0) throw new Error('GloVe: no two words of the vocabulary occur together within the window; the corpus is too small');

  const random = seededRandom(options.seed);
  shuffleEntries(entries, random);
  const state = sharedState(entries, vocabSize, dim, learningRate, xMax, alpha, random);

  const totalTokens = corpus.tokens.length;
  const started = Date.now();
  let loss: number | undefined;
  /** `epochIndex` epochs are done, and `done` entries of the next. */
  const report = (epochIndex: number, done: number): void => {
    if (!hooks.onProgress) return;
    const fraction = Math.min(1, (epochIndex + done / entries.count) / epochs);
    const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
    // "Words" per second counts corpus tokens, as word2vec's does: one epoch over the entries stands for one pass.
    hooks.onProgress({
      phase: 'training',
      fraction,
      epoch: Math.min(epochs, epochIndex + 1),
      wordsPerSecond: (fraction * epochs * totalTokens) / seconds,
      learningRate,
      etaSeconds: fraction > 0 ? (seconds * (1 - fraction)) / fraction : undefined,
      loss,
    });
  };
  report(0, 0);
  await runGloveEpochs(state, entries.count, epochs, threads, workerScript, {
    signal: hooks.signal,
    onEntries: report,
    onEpoch: (epochIndex, meanCost) => {
      loss = meanCost;
      report(epochIndex + 1, 0);
    },
  });
  return new WordVectors(corpus.words, dim, wordPlusContext(state));
}

function checkOptions(options: VectorTrainingOptions, learningRate: number): void {
  const positiveInteger = (name: string, value: number): void => {
    if (!Number.isInteger(value) || value < 1) throw new Error(`GloVe: ${name} must be a positive whole number, got ${value}`);
  };
  positiveInteger('dim', options.dim);
  positiveInteger('epochs', options.epochs);
  positiveInteger('threads', options.threads);
  positiveInteger('window', options.window);
  if (!(options.xMax > 0)) throw new Error(`GloVe: xMax must be positive, got ${options.xMax}`);
  if (!(options.alpha > 0)) throw new Error(`GloVe: alpha must be positive, got ${options.alpha}`);
  if (!(learningRate > 0)) throw new Error(`GloVe: the learning rate must be positive, got ${learningRate}`);
}

/** Fisher–Yates over the three entry arrays together, so each thread sees a random sample of the matrix. */
function shuffleEntries(entries: CooccurrenceEntries, random: () => number): void {
  const { rows, cols, values } = entries;
  for (let n = entries.count - 1; n > 0; n--) {
    const m = Math.floor(random() * (n + 1));
    const row = rows[n];
    rows[n] = rows[m];
    rows[m] = row;
    const col = cols[n];
    cols[n] = cols[m];
    cols[m] = col;
    const value = values[n];
    values[n] = values[m];
    values[m] = value;
  }
}

/**
 * The threads' shared memory. The counts become their logarithms in place (training needs only log X and f(X)).
 * Parameters start uniform in [−0.5, 0.5] / (dim + 1), which is what GloVe's code does (it divides after counting
 * the bias in); squared-gradient sums start at 1.
 */
function sharedState(entries: CooccurrenceEntries, vocabSize: number, dim: number, learningRate: number, xMax: number, alpha: number, random: () => number): GloveSharedState {
  const logCounts = entries.values;
  const weights = new Float32Array(new SharedArrayBuffer(entries.count * 4));
  for (let n = 0; n < entries.count; n++) {
    weights[n] = gloveWeight(logCounts[n], xMax, alpha);
    logCounts[n] = Math.log(logCounts[n]);
  }
  const size = 2 * vocabSize * (dim + 1);
  const parameters = new Float32Array(new SharedArrayBuffer(size * 4));
  for (let k = 0; k < size; k++) parameters[k] = (random() - 0.5) / (dim + 1);
  const gradientSquares = new Float32Array(new SharedArrayBuffer(size * 4)).fill(1);
  return { vocabSize, dim, learningRate, parameters, gradientSquares, rows: entries.rows, cols: entries.cols, logCounts, weights };
}

/** Each word's vector plus its context vector, biases left out (GloVe's `-model 2`). */
function wordPlusContext(state: GloveSharedState): Float32Array {
  const { vocabSize, dim, parameters } = state;
  const stride = dim + 1;
  const out = new Float32Array(vocabSize * dim);
  for (let i = 0; i < vocabSize; i++) {
    const word = i * stride;
    const context = (i + vocabSize) * stride;
    for (let k = 0; k < dim; k++) out[i * dim + k] = parameters[word + k] + parameters[context + k];
  }
  return out;
}
