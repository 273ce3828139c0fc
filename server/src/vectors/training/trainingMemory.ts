/**
 * Where everything the SIMD kernel touches lives in the shared WebAssembly memory: the sigmoid tables, the input and
 * output matrices, and each thread's scratch (its hidden vector, gradients and the lists of one training example).
 * All offsets are in bytes, aligned to 64-byte cache lines, so no two threads' scratch share a line (they would
 * slow each other down on every write).
 */
import { SIGMOID_TABLE_SIZE, buildSigmoidTables } from './sigmoidTable';
import { VectorTrainingError } from './vectorTrainingError';

const PAGE_BYTES = 65536;
const CACHE_LINE_BYTES = 64;
/** wasm32 addresses 4 GiB at most. */
const MAX_PAGES = 65536;

export interface ThreadScratch {
  hidden: number;
  gradient: number;
  windowGradient: number;
  /** int32 input rows of the example. */
  inputRows: number;
  /** int32 output rows, float labels, int32 exclusive ends of each group of targets. */
  targets: number;
  labels: number;
  groupEnds: number;
}

export interface TrainingMemoryLayout {
  pages: number;
  sigmoid: number;
  logLoss: number;
  input: number;
  inputFloats: number;
  output: number;
  outputFloats: number;
  scratch: ThreadScratch[];
  /** Capacities of the scratch lists. */
  maxInputRows: number;
  maxTargets: number;
  maxGroups: number;
}

export interface MemoryNeeds {
  inputRows: number;
  outputRows: number;
  dim: number;
  threads: number;
  window: number;
  /** The most input rows one word has (1 for word2vec; 1 + its n-grams for fastText). */
  widestWord: number;
  /** The most output rows one context word is scored against: 1 + negative, or the longest Huffman path. */
  targetsPerWord: number;
}

export function planTrainingMemory(needs: MemoryNeeds): TrainingMemoryLayout {
  let end = 0;
  const take = (bytes: number): number => {
    const start = end;
    end += Math.ceil(bytes / CACHE_LINE_BYTES) * CACHE_LINE_BYTES;
    return start;
  };
  const tableBytes = (SIGMOID_TABLE_SIZE + 1) * 4;
  const sigmoid = take(tableBytes);
  const logLoss = take(tableBytes);
  const inputFloats = needs.inputRows * needs.dim;
  const outputFloats = needs.outputRows * needs.dim;
  const input = take(inputFloats * 4);
  const output = take(outputFloats * 4);
  const maxGroups = 2 * needs.window;
  const maxInputRows = maxGroups * needs.widestWord;
  const maxTargets = maxGroups * needs.targetsPerWord;
  const scratch: ThreadScratch[] = [];
  for (let t = 0; t < needs.threads; t++) {
    scratch.push({
      hidden: take(needs.dim * 4),
      gradient: take(needs.dim * 4),
      windowGradient: take(needs.dim * 4),
      inputRows: take(maxInputRows * 4),
      targets: take(maxTargets * 4),
      labels: take(maxTargets * 4),
      groupEnds: take(maxGroups * 4),
    });
  }
  const pages = Math.max(1, Math.ceil(end / PAGE_BYTES));
  if (pages > MAX_PAGES) {
    throw new VectorTrainingError(`the model needs ${(end / 2 ** 30).toFixed(1)} GiB (${needs.inputRows} input rows × ${needs.dim}); at most 4 GiB can be trained: use fewer buckets, a smaller dim or max vocab`);
  }
  return { pages, sigmoid, logLoss, input, inputFloats, output, outputFloats, scratch, maxInputRows, maxTargets, maxGroups };
}

/** The shared memory, with the sigmoid tables written in. */
export function createTrainingMemory(layout: TrainingMemoryLayout): WebAssembly.Memory {
  const memory = new WebAssembly.Memory({ initial: layout.pages, maximum: layout.pages, shared: true });
  const floats = new Float32Array(memory.buffer);
  const { sigmoid, logLoss } = buildSigmoidTables();
  floats.set(sigmoid, layout.sigmoid / 4);
  floats.set(logLoss, layout.logLoss / 4);
  return memory;
}

export const inputView = (memory: WebAssembly.Memory, layout: TrainingMemoryLayout): Float32Array => new Float32Array(memory.buffer, layout.input, layout.inputFloats);
export const outputView = (memory: WebAssembly.Memory, layout: TrainingMemoryLayout): Float32Array => new Float32Array(memory.buffer, layout.output, layout.outputFloats);
