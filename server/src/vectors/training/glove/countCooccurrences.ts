/**
 * GloVe's co-occurrence counting: X[i][j] sums 1/distance over every pair of tokens at most `window` apart, in both
 * directions (a symmetric window, GloVe's default). Windows stop at sentence ends, as GloVe's `cooccur` stops at a
 * newline (its README: "cooccurrence contexts for words do not extend past newline characters"); our sentences are
 * the corpus reader's lines. Words below min count are already gone from the corpus, so, as in `cooccur`, they do
 * not count towards distances either. A word seen twice within a window co-occurs with itself, as in `cooccur`.
 *
 * Memory stays within about `memoryEntries` entries: the table spills sorted runs to a private folder when full,
 * and the runs are merged at the end. The folder is removed whatever happens.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { turnEventLoop } from '../../chunkedWork';
import type { EncodedCorpus, VectorTrainingProgress } from '../vectorTrainingTypes';
import { mergeRuns, writeRunFile } from './cooccurrenceRuns';
import { CooccurrenceTable, type CooccurrenceRun } from './cooccurrenceTable';

/** The non-zero X[i][j], sorted by (row, column), in memory the training threads share. */
export interface CooccurrenceEntries {
  count: number;
  /** Backed by SharedArrayBuffers; may be longer than `count`. */
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  /** How many sorted runs went to disk because the table filled up (0 when it all fitted in memory). */
  spilledRuns: number;
}

export interface CooccurrenceOptions {
  window: number;
  memoryEntries: number;
  /** Where the private spill folder is made; default the OS temp folder. */
  spillDir?: string;
  signal?: AbortSignal;
  onProgress?(progress: VectorTrainingProgress): void;
}

/** Tokens between two looks at the signal (and progress reports). */
const TOKENS_PER_SLICE = 1 << 20;

export async function countCooccurrences(corpus: EncodedCorpus, options: CooccurrenceOptions): Promise<CooccurrenceEntries> {
  const { window } = options;
  if (!Number.isInteger(window) || window < 1) throw new Error(`GloVe: window must be a positive whole number, got ${window}`);
  if (corpus.words.length >= 1 << 26) throw new Error(`GloVe: a vocabulary of ${corpus.words.length} words is too large (the limit is ${(1 << 26) - 1})`);
  options.signal?.throwIfAborted();
  const spilled = new SpilledRuns(options.spillDir ?? os.tmpdir());
  try {
    const inMemory = await accumulate(corpus, options, spilled);
    return mergeIntoSharedMemory(spilled, inMemory);
  } finally {
    await spilled.remove();
  }
}

/** Sorted runs written to a private folder, made on the first spill. */
class SpilledRuns {
  readonly files: string[] = [];
  entries = 0;
  private folder: string | undefined;

  constructor(private readonly parent: string) {}

  write(run: CooccurrenceRun): void {
    this.folder ??= mkdtempSync(path.join(this.parent, 'glove-cooccur-'));
    const file = path.join(this.folder, `run-${String(this.files.length).padStart(4, '0')}.bin`);
    this.files.push(file);
    writeRunFile(file, run);
    this.entries += run.count;
  }

  async remove(): Promise<void> {
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
  }
}

/**
 * Counts the corpus into a bounded table, spilling runs as it fills. Returns what is left in memory: the dense
 * part, and the hash table's last contents unless something was spilled already (then they are spilled too, so the
 * merge reads one kind of run). The table itself is garbage once this returns.
 */
async function accumulate(corpus: EncodedCorpus, options: CooccurrenceOptions, spilled: SpilledRuns): Promise<CooccurrenceRun[]> {
  const { window, signal } = options;
  let finishing = false;
  let kept: CooccurrenceRun | undefined;
  const table = new CooccurrenceTable(corpus.words.length, options.memoryEntries, (run) => {
    if (finishing && spilled.files.length === 0) kept = run;
    else spilled.write(run);
  });
  const { tokens, sentenceEnds } = corpus;
  const inverseDistance = new Float64Array(window + 1);
  for (let d = 1; d <= window; d++) inverseDistance[d] = 1 / d;
  const started = Date.now();
  let sliceEnd = TOKENS_PER_SLICE;
  let start = 0;
  for (let s = 0; s < sentenceEnds.length; s++) {
    const end = sentenceEnds[s];
    for (let p = start; p < end; p++) {
      const word = tokens[p];
      const first = Math.max(start, p - window);
      for (let q = p - 1; q >= first; q--) table.addPair(tokens[q], word, inverseDistance[p - q]);
    }
    start = end;
    if (end >= sliceEnd) {
      sliceEnd = end + TOKENS_PER_SLICE;
      const seconds = Math.max(1e-3, (Date.now() - started) / 1000);
      options.onProgress?.({ phase: 'counting', fraction: end / tokens.length, epoch: 0, wordsPerSecond: end / seconds, learningRate: 0 });
      await turnEventLoop();
      signal?.throwIfAborted();
    }
  }
  signal?.throwIfAborted();
  finishing = true;
  table.flush();
  return kept ? [table.denseRun(), kept] : [table.denseRun()];
}

function mergeIntoSharedMemory(spilled: SpilledRuns, inMemory: CooccurrenceRun[]): CooccurrenceEntries {
  // Merging only joins pairs, so the runs' total bounds the result: one allocation, no copy. Pages past the final
  // count are never touched, so the operating system does not commit them.
  const bound = spilled.entries + inMemory.reduce((sum, run) => sum + run.count, 0);
  const entries: CooccurrenceEntries = {
    count: 0,
    rows: new Int32Array(new SharedArrayBuffer(bound * 4)),
    cols: new Int32Array(new SharedArrayBuffer(bound * 4)),
    values: new Float32Array(new SharedArrayBuffer(bound * 4)),
    spilledRuns: spilled.files.length,
  };
  mergeRuns(spilled.files, inMemory, (row, col, value) => {
    const n = entries.count++;
    entries.rows[n] = row;
    entries.cols[n] = col;
    entries.values[n] = value;
  });
  return entries;
}
