/**
 * Unit rows quantised to int8 for a fast first pass: each row r keeps round(u_r / s_r) with its own scale
 * s_r = max|u_r| / 127, in WebAssembly memory, and the SIMD kernel (scanKernel.ts) computes approximate cosines with
 * query terms quantised to int16. A quarter of float32's memory traffic, and exact integer arithmetic.
 *
 * The error of every approximate cosine is bounded, so callers can pick candidates that provably contain the exact
 * answer: with û_r the dequantised row and t̂ the dequantised term,
 *   |u_r·t − û_r·t̂| ≤ |(u_r − û_r)·t| + |û_r·(t − t̂)| ≤ maxRowError·‖t‖ + maxRowNorm·‖t − t̂‖,
 * plus a small allowance for the float rounding of the kernel's last two multiplications.
 */
import { finishNow, type ChunkedWork } from '../chunkedWork';
import { ScanThreads } from './scanThreads';

const PAGE = 65536;
const ROW_LEVELS = 127;
/** Relative allowance for the kernel's float conversion and scalings (three roundings of 2^-24 each, with room). */
const ROUNDING_ALLOWANCE = 1e-6;
/** Query terms one scan takes (3CosMul has one per word); callers with more scan exactly. */
export const MAX_TERMS = 8;

export interface ApproximateCosines {
  /** scores[t·rowCount + r] ≈ cosine of row r with term t; a view into the index's memory, valid until its next scan. */
  scores: Float32Array;
  /** errors[t] bounds |exact − approximate| for every row and term t. */
  errors: Float64Array;
}

export class QuantizedIndex {
  /** Bytes per quantised row: dim rounded up to 16 (the padding is zeros). */
  readonly stride: number;
  /** Largest int16 magnitude of a quantised term, so that Σ int8·int16 over a row fits in an int32. */
  private readonly queryLevels: number;
  private readonly layout: Layout;
  private readonly threads: ScanThreads;

  private constructor(
    readonly size: number,
    readonly dim: number,
    private readonly memory: WebAssembly.Memory,
    private readonly maxRowError: number,
    private readonly maxRowNorm: number,
    threads: number,
  ) {
    this.stride = strideFor(dim);
    this.queryLevels = Math.min(32767, Math.floor((2 ** 31 - 1) / (ROW_LEVELS * this.stride)));
    this.layout = layoutOf(size, this.stride);
    this.threads = new ScanThreads(memory, threads);
  }

  /**
   * Quantises `size` unit rows of `dim` floats, into memory shared with `threads` - 1 helper threads when threads > 1.
   * Throws RangeError when the index would not fit in WebAssembly's 4 GiB.
   */
  static build(unitRows: Float32Array, dim: number, size: number, threads = 1): QuantizedIndex {
    const index = finishNow(QuantizedIndex.building(unitRows, dim, size, threads));
    index.threads.waitUntilReady(); // so the first query pays no thread start-up inside its timing
    return index;
  }

  /**
   * build() as chunked work (yielding the rows done), for preparing an index without blocking; the helper threads
   * may still be starting when it returns (await `ready()`). Throws RangeError as build() does, before any work.
   */
  static *building(unitRows: Float32Array, dim: number, size: number, threads = 1): ChunkedWork<QuantizedIndex> {
    const stride = strideFor(dim);
    const { scalesOffset, totalBytes } = layoutOf(size, stride);
    const pages = Math.ceil(totalBytes / PAGE);
    if (pages > 65536) throw new RangeError(`quantized index: ${totalBytes} bytes exceed WebAssembly memory`);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: threads > 1 });
    const rows = new Int8Array(memory.buffer, 0, size * stride);
    const scales = new Float32Array(memory.buffer, scalesOffset, size);
    const bounds = { maxRowError: 0, maxRowNorm: 0 };
    const chunkRows = Math.max(1, Math.floor(QUANTIZE_CHUNK_VALUES / Math.max(1, dim)));
    for (let r = 0; r < size; r += chunkRows) {
      const end = Math.min(size, r + chunkRows);
      quantizeRows(unitRows, dim, stride, r, end, rows, scales, bounds);
      yield end;
    }
    return new QuantizedIndex(size, dim, memory, bounds.maxRowError, bounds.maxRowNorm, threads);
  }

  /** Resolves when the helper threads are ready to scan (at once without helpers). */
  ready(): Promise<void> {
    return this.threads.ready();
  }

  /** Approximate cosines of rows [0, rowCount) with each term (terms have `dim` floats, any length). */
  approximateCosines(terms: readonly Float32Array[], rowCount: number): ApproximateCosines {
    if (rowCount > this.size) throw new Error(`quantized index: ${rowCount} rows asked, ${this.size} indexed`);
    const termCount = terms.length;
    if (termCount > MAX_TERMS) throw new Error(`quantized index: at most ${MAX_TERMS} terms per scan, got ${termCount}`);
    const { queriesOffset, queryScalesOffset, outOffset } = this.layout;
    const queries = new Int16Array(this.memory.buffer, queriesOffset, this.stride * termCount).fill(0);
    const queryScales = new Float32Array(this.memory.buffer, queryScalesOffset, termCount);
    const errors = new Float64Array(termCount);
    terms.forEach((term, t) => {
      let maxAbs = 0;
      let normSquared = 0;
      for (let k = 0; k < this.dim; k++) {
        maxAbs = Math.max(maxAbs, Math.abs(term[k]));
        normSquared += term[k] * term[k];
      }
      const scale = Math.fround(maxAbs / this.queryLevels);
      queryScales[t] = scale;
      let errorSquared = 0;
      if (maxAbs > 0) {
        const inverse = this.queryLevels / maxAbs;
        const base = t * this.stride;
        for (let k = 0; k < this.dim; k++) {
          const level = Math.max(-this.queryLevels, Math.min(this.queryLevels, Math.round(term[k] * inverse)));
          queries[base + k] = level;
          errorSquared += (term[k] - level * scale) ** 2;
        }
      }
      const norm = Math.sqrt(normSquared);
      errors[t] = this.maxRowError * norm + this.maxRowNorm * Math.sqrt(errorSquared) + ROUNDING_ALLOWANCE * Math.max(1, norm);
    });
    this.threads.scan(0, this.stride, rowCount, queriesOffset, termCount, this.layout.scalesOffset, queryScalesOffset, outOffset);
    return { scores: new Float32Array(this.memory.buffer, outOffset, termCount * rowCount), errors };
  }

  /** Bytes the index holds (quantised rows and scales, plus its scratch space). */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  /** Threads scanning, this one included. */
  get threadCount(): number {
    return this.threads.threads;
  }

  /** Stops the helper threads; later scans run on the calling thread alone. */
  close(): void {
    this.threads.close();
  }
}

/** About this many values per chunk of building(): a few milliseconds. */
const QUANTIZE_CHUNK_VALUES = 1 << 17;

/**
 * Quantises unit rows [from, to) into `rows` (stride bytes each) and `scales`, raising `bounds` to the largest row
 * error and dequantised row norm seen.
 */
function quantizeRows(
  unitRows: Float32Array,
  dim: number,
  stride: number,
  from: number,
  to: number,
  rows: Int8Array,
  scales: Float32Array,
  bounds: { maxRowError: number; maxRowNorm: number },
): void {
  let { maxRowError, maxRowNorm } = bounds;
  for (let r = from; r < to; r++) {
    const base = r * dim;
    let maxAbs = 0;
    for (let k = 0; k < dim; k++) maxAbs = Math.max(maxAbs, Math.abs(unitRows[base + k]));
    if (maxAbs === 0) continue; // a zero row stays zeros with scale 0: its approximate cosine is exactly 0
    const scale = Math.fround(maxAbs / ROW_LEVELS);
    scales[r] = scale;
    const inverse = ROW_LEVELS / maxAbs;
    const out = r * stride;
    let errorSquared = 0;
    let normSquared = 0;
    for (let k = 0; k < dim; k++) {
      const u = unitRows[base + k];
      const level = Math.round(u * inverse); // |u| ≤ maxAbs, so |level| ≤ 127
      rows[out + k] = level;
      const dequantised = level * scale;
      errorSquared += (u - dequantised) * (u - dequantised);
      normSquared += dequantised * dequantised;
    }
    maxRowError = Math.max(maxRowError, Math.sqrt(errorSquared));
    maxRowNorm = Math.max(maxRowNorm, Math.sqrt(normSquared));
  }
  bounds.maxRowError = maxRowError;
  bounds.maxRowNorm = maxRowNorm;
}

/** Where things are in the index's memory: rows, their scales, then room for MAX_TERMS query terms and their scores. */
interface Layout {
  scalesOffset: number;
  queriesOffset: number;
  queryScalesOffset: number;
  outOffset: number;
  totalBytes: number;
}

function layoutOf(size: number, stride: number): Layout {
  const scalesOffset = align16(size * stride);
  const queriesOffset = align16(scalesOffset + 4 * size);
  const queryScalesOffset = align16(queriesOffset + 2 * stride * MAX_TERMS);
  const outOffset = align16(queryScalesOffset + 4 * MAX_TERMS);
  return { scalesOffset, queriesOffset, queryScalesOffset, outOffset, totalBytes: outOffset + 4 * MAX_TERMS * size };
}

const strideFor = (dim: number): number => Math.ceil(dim / 16) * 16;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
