/**
 * One training thread's loop for word2vec and fastText: skip-gram or CBOW, negative sampling or hierarchical
 * softmax, over its share of the corpus. This side samples (sub-sampling, the dynamic window, negatives from the
 * alias table, a xorshift32 generator in a typed array) and lists each example's rows; the SIMD kernel does the
 * arithmetic on the shared matrices (Hogwild). A word's input vector is the mean of its input rows: its own row only
 * for word2vec, plus its character n-grams' for fastText, whose gradient goes to every one of them, as fastText does.
 *
 * Skip-gram predicts each context word from the centre word, as fastText does (word2vec.c predicts the centre from
 * each context word: the same pairs, mirrored), so one example is a centre word with a group of targets per context
 * word: the centre's mean moves after each group and its rows get the summed gradient once, the same arithmetic as
 * updating them after every pair since nothing else reads them meanwhile. CBOW: the context rows' mean predicts the
 * centre, one group.
 */
import { MAX_SENTENCE_WORDS } from './corpus';
import { drawNegative } from './negativeTable';
import { instantiateSimdKernel, type SimdKernel } from './simdKernel';
import { PROGRESS_SLOTS, ProgressSlot, type TrainingThreadJob } from './trainingJob';
import type { ThreadScratch, TrainingMemoryLayout } from './trainingMemory';

/** How often (in corpus words) the learning rate is recomputed and progress published, as word2vec.c. */
const RATE_UPDATE_WORDS = 10_000;
/** The learning rate decays linearly to this share of its start, as word2vec.c's floor. */
const MIN_RATE_SHARE = 1e-4;
const UINT32_TO_UNIT = 1 / 4294967296;

export class ContextTrainer {
  private readonly negative: number;
  private readonly hierarchical: boolean;
  private readonly skipGram: boolean;
  private readonly tokens: Int32Array;
  private readonly sentenceEnds: Uint32Array;
  private readonly inputRowStarts: Int32Array;
  private readonly inputRows: Int32Array;
  private readonly keepProbability: Float32Array;
  private readonly negativeTable: Int32Array;
  /** A uint32 times this is a uniform index below the window (no integer division). */
  private readonly windowDrawScale: number;
  private readonly codeStarts: Int32Array;
  private readonly points: Int32Array;
  private readonly codes: Uint8Array;
  private readonly progress: Float64Array;
  private readonly progressBase: number;

  private readonly kernel: SimdKernel;
  private readonly layout: TrainingMemoryLayout;
  private readonly scratch: ThreadScratch;
  /** The scratch lists as typed arrays, from their starts. */
  private readonly exampleRows: Int32Array;
  private readonly targets: Int32Array;
  private readonly labels: Float32Array;
  private readonly groupEnds: Int32Array;
  /** The current sentence after sub-sampling. */
  private readonly sentence = new Int32Array(MAX_SENTENCE_WORDS);
  private readonly random = new Uint32Array(1);

  private learningRate: number;
  private wordsDone = 0;
  private lossSum = 0;
  private lossCount = 0;

  constructor(private readonly job: TrainingThreadJob) {
    const { state } = job;
    this.negative = job.negative;
    this.hierarchical = job.loss === 'hs';
    this.skipGram = job.mode === 'skipgram';
    this.tokens = state.tokens;
    this.sentenceEnds = state.sentenceEnds;
    this.inputRowStarts = state.inputRowStarts;
    this.inputRows = state.inputRows;
    this.keepProbability = state.keepProbability;
    this.negativeTable = state.negativeTable;
    this.windowDrawScale = job.window * UINT32_TO_UNIT;
    this.codeStarts = state.codeStarts;
    this.points = state.points;
    this.codes = state.codes;
    this.progress = state.progress;
    this.progressBase = job.thread * PROGRESS_SLOTS;
    this.layout = state.layout;
    this.kernel = instantiateSimdKernel(state.memory, state.layout.pages);
    this.scratch = state.layout.scratch[job.thread];
    const buffer = state.memory.buffer;
    this.exampleRows = new Int32Array(buffer, this.scratch.inputRows, this.layout.maxInputRows);
    this.targets = new Int32Array(buffer, this.scratch.targets, this.layout.maxTargets);
    this.labels = new Float32Array(buffer, this.scratch.labels, this.layout.maxTargets);
    this.groupEnds = new Int32Array(buffer, this.scratch.groupEnds, this.layout.maxGroups);
    this.random[0] = seedState(job.seed);
    this.learningRate = job.learningRate;
  }

  /** Every epoch over this thread's sentences. */
  run(): void {
    const { firstSentence, endSentence, epochs } = this.job;
    let sinceUpdate = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let s = firstSentence; s < endSentence; s++) {
        const start = s === 0 ? 0 : this.sentenceEnds[s - 1];
        const end = this.sentenceEnds[s];
        if (sinceUpdate >= RATE_UPDATE_WORDS) {
          this.updateLearningRate();
          sinceUpdate = 0;
        }
        const kept = this.subsample(start, end);
        if (this.skipGram) this.skipGramSentence(kept);
        else this.cbowSentence(kept);
        this.wordsDone += end - start;
        sinceUpdate += end - start;
      }
    }
    this.updateLearningRate();
  }

  /** Publishes this thread's progress and sets the rate from every thread's: lr0 · (1 - words done / total). */
  private updateLearningRate(): void {
    const progress = this.progress;
    const base = this.progressBase;
    progress[base + ProgressSlot.Words] = this.wordsDone;
    progress[base + ProgressSlot.LossSum] = this.lossSum;
    progress[base + ProgressSlot.LossCount] = this.lossCount;
    let done = 0;
    for (let t = 0; t < this.job.threads; t++) done += progress[t * PROGRESS_SLOTS + ProgressSlot.Words];
    const share = Math.max(MIN_RATE_SHARE, 1 - done / (this.job.totalWords + 1));
    this.learningRate = this.job.learningRate * share;
    progress[base + ProgressSlot.LearningRate] = this.learningRate;
  }

  /** Copies the sentence's words into `sentence`, dropping frequent ones at random; returns how many were kept. */
  private subsample(start: number, end: number): number {
    const tokens = this.tokens;
    const keep = this.keepProbability;
    const sentence = this.sentence;
    let kept = 0;
    for (let i = start; i < end; i++) {
      const word = tokens[i];
      const probability = keep[word];
      if (probability < 1 && probability < this.nextRandom() * UINT32_TO_UNIT) continue;
      sentence[kept++] = word;
    }
    return kept;
  }

  private skipGramSentence(length: number): void {
    const sentence = this.sentence;
    const groupEnds = this.groupEnds;
    for (let position = 0; position < length; position++) {
      const reach = 1 + ((this.nextRandom() * this.windowDrawScale) | 0);
      const first = Math.max(0, position - reach);
      const last = Math.min(length - 1, position + reach);
      let groups = 0;
      let targets = 0;
      for (let c = first; c <= last; c++) {
        if (c === position) continue;
        targets = this.addTargets(sentence[c], targets);
        groupEnds[groups++] = targets;
      }
      if (groups === 0) continue;
      const rows = this.addInputRows(sentence[position], 0);
      this.train(rows, groups);
    }
  }

  private cbowSentence(length: number): void {
    const sentence = this.sentence;
    for (let position = 0; position < length; position++) {
      const reach = 1 + ((this.nextRandom() * this.windowDrawScale) | 0);
      const first = Math.max(0, position - reach);
      const last = Math.min(length - 1, position + reach);
      let rows = 0;
      for (let c = first; c <= last; c++) if (c !== position) rows = this.addInputRows(sentence[c], rows);
      if (rows === 0) continue;
      this.groupEnds[0] = this.addTargets(sentence[position], 0);
      this.train(rows, 1);
    }
  }

  private train(inputCount: number, groups: number): void {
    const { scratch, layout } = this;
    this.lossSum += this.kernel.trainExample(
      scratch.hidden,
      scratch.gradient,
      scratch.windowGradient,
      layout.input,
      layout.output,
      scratch.inputRows,
      inputCount,
      scratch.targets,
      scratch.labels,
      scratch.groupEnds,
      groups,
      this.job.dim,
      this.learningRate,
      layout.sigmoid,
      layout.logLoss,
    );
    this.lossCount += groups;
  }

  /** Appends the word's input rows to the example's at `at`; returns the new length. */
  private addInputRows(word: number, at: number): number {
    const rows = this.exampleRows;
    const inputRows = this.inputRows;
    const end = this.inputRowStarts[word + 1];
    for (let r = this.inputRowStarts[word]; r < end; r++) rows[at++] = inputRows[r];
    return at;
  }

  /**
   * Appends the output rows `target` is scored against, with their labels, at `at`: the word itself (1) and
   * `negative` draws from the count^nsExponent distribution (0; a draw of the word itself is skipped, as word2vec.c), or
   * the inner nodes of its Huffman path (label 1 - code, as word2vec.c). Returns the new length.
   */
  private addTargets(target: number, at: number): number {
    const targets = this.targets;
    const labels = this.labels;
    if (this.hierarchical) {
      const end = this.codeStarts[target + 1];
      for (let p = this.codeStarts[target]; p < end; p++) {
        targets[at] = this.points[p];
        labels[at++] = 1 - this.codes[p];
      }
      return at;
    }
    targets[at] = target;
    labels[at++] = 1;
    const table = this.negativeTable;
    const negative = this.negative;
    for (let n = 0; n < negative; n++) {
      const sample = drawNegative(table, this.nextRandom());
      if (sample === target) continue;
      targets[at] = sample;
      labels[at++] = 0;
    }
    return at;
  }

  /** xorshift32: fast, and plenty for sampling windows, negatives and sub-sampling. */
  private nextRandom(): number {
    let x = this.random[0];
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.random[0] = x;
    return x >>> 0;
  }
}

/** A non-zero xorshift state from any seed (splitmix-style mixing, so nearby seeds give unrelated streams). */
export function seedState(seed: number): number {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return z === 0 ? 0x6d2b79f5 : z;
}
