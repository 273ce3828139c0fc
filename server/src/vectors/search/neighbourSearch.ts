/**
 * The k best rows for an objective over the first `rowCount` rows of a WordVectors, exactly as a full scan with
 * exactScan.ts ranks them. Large scans go through a quantised index, built once per WordVectors on first use: it
 * gives approximate cosines with proven error bounds, candidates.ts keeps every row that could make the top k, and
 * only those are scored exactly. Small scans, and vectors too large for WebAssembly memory, are scanned exactly.
 * prepareSearch does the costly first-use work (unit rows, index) ahead of time, in slices that leave the event loop
 * free; without it the first query does it synchronously.
 */
import { availableParallelism } from 'node:os';
import { finishInSlices, type ChunkedWorkOptions } from '../chunkedWork';
import type { WordVectors } from '../wordVectors';
import { exactTopK, scoreRows } from './exactScan';
import { boundedCandidates, cosineCandidates } from './candidates';
import type { Objective } from './objective';
import { MAX_TERMS, QuantizedIndex } from './quantizedIndex';
import { TopK, type Scored } from './topK';

/** Below this many rows a plain scan costs about a millisecond: not worth an index. */
export const INDEXED_MIN_ROWS = 20_000;

export type SearchStrategy = 'auto' | 'exact' | 'indexed';

const indexes = new WeakMap<WordVectors, QuantizedIndex | 'unavailable'>();

/** Threads an index scans with (this one included): two by default, fewer on a one-core machine. */
const SEARCH_THREADS = Math.min(2, availableParallelism());

export function searchNeighbours(
  v: WordVectors,
  objective: Objective,
  k: number,
  rowCount: number,
  exclude: ReadonlySet<number>,
  strategy: SearchStrategy = 'auto',
): Scored[] {
  const useIndex = objective.terms.length <= MAX_TERMS && (strategy === 'indexed' || (strategy === 'auto' && rowCount >= INDEXED_MIN_ROWS));
  const index = useIndex ? quantizedIndexFor(v) : undefined;
  if (!index) return exactTopK(v.unitVectors(), v.dim, rowCount, objective.terms, objective.combine, k, exclude).sorted();
  const candidates = indexedCandidates(index, objective, k, rowCount, exclude);
  const top = new TopK(k);
  scoreRows(v.unitVectors(), v.dim, objective.terms, objective.combine, exclude, top, candidates.length, (i) => candidates[i]);
  return top.sorted();
}

/** Queries scanned together: each row is read from memory once per batch instead of once per query. */
const BATCH = MAX_TERMS;

/**
 * The k best rows by cosine for each of many unit query vectors (analogy evaluation): the same answers as one
 * searchNeighbours call per query, with rows shared between up to BATCH queries per pass over the index.
 */
export function searchNeighboursBatch(
  v: WordVectors,
  unitQueries: readonly Float32Array[],
  k: number,
  rowCount: number,
  excludes: ReadonlyArray<ReadonlySet<number>>,
  strategy: SearchStrategy = 'auto',
): Scored[][] {
  const index = strategy === 'exact' || (strategy === 'auto' && rowCount < INDEXED_MIN_ROWS) ? undefined : quantizedIndexFor(v);
  const unitRows = v.unitVectors();
  const results: Scored[][] = [];
  for (let start = 0; start < unitQueries.length; start += BATCH) {
    const terms = unitQueries.slice(start, start + BATCH);
    const approximate = index?.approximateCosines(terms, rowCount);
    terms.forEach((term, t) => {
      const exclude = excludes[start + t] ?? NO_ROWS;
      const combine = (cosines: Float64Array): number => cosines[0];
      if (!approximate) {
        results.push(exactTopK(unitRows, v.dim, rowCount, [term], combine, k, exclude).sorted());
        return;
      }
      // A view into the index's memory, overwritten by its next scan: used up before the next batch is scanned.
      const scores = approximate.scores.subarray(t * rowCount, (t + 1) * rowCount);
      for (const row of exclude) if (row < rowCount) scores[row] = -Infinity;
      const candidates = cosineCandidates(scores, rowCount, approximate.errors[t], k);
      const top = new TopK(k);
      scoreRows(unitRows, v.dim, [term], combine, exclude, top, candidates.length, (i) => candidates[i]);
      results.push(top.sorted());
    });
  }
  return results;
}

const NO_ROWS: ReadonlySet<number> = new Set();

/** An index's helper threads hold its memory: stop them when its vectors are collected, or they would leak it. */
const closeWhenCollected = new FinalizationRegistry<QuantizedIndex>((index) => index.close());

/** Bumped by releaseSearchIndex, so that a prepareSearch still running for those vectors does not install its index. */
const releases = new WeakMap<WordVectors, number>();

/**
 * Frees the index of `v` now (its memory and helper threads); a later query builds a new one. Safe to call again, and
 * on vectors that never had an index.
 */
export function releaseSearchIndex(v: WordVectors): void {
  releases.set(v, (releases.get(v) ?? 0) + 1);
  const index = indexes.get(v);
  indexes.delete(v);
  if (index instanceof QuantizedIndex) {
    closeWhenCollected.unregister(v);
    index.close();
  }
}

/**
 * Prepares `v` for fast queries without blocking the event loop for more than a few tens of milliseconds at a time:
 * computes its unit rows and, when it has enough rows for the 'auto' strategy to use one, builds its index, both in
 * slices. Progress is in rows (the unit rows, then the index's). Rejects with the signal's reason when aborted;
 * queries made meanwhile work as without it (building what they need synchronously). Nothing is installed when
 * releaseSearchIndex(v) is called while it runs.
 */
export async function prepareSearch(v: WordVectors, options: ChunkedWorkOptions = {}): Promise<void> {
  const { signal, onProgress } = options;
  const release = releases.get(v) ?? 0;
  const wantsIndex = v.size >= INDEXED_MIN_ROWS;
  const total = wantsIndex ? 2 * v.size : v.size;
  const unitRows = await v.prepareUnitVectors({ signal, onProgress: (done) => onProgress?.(done, total) });
  if (!wantsIndex || indexes.has(v)) return onProgress?.(total, total);
  let index: QuantizedIndex;
  try {
    const building = QuantizedIndex.building(unitRows, v.dim, v.size, SEARCH_THREADS);
    index = await finishInSlices(building, v.size, { signal, onProgress: (done) => onProgress?.(v.size + done, total) });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    if (!indexes.has(v) && releases.get(v) === release) indexes.set(v, 'unavailable');
    return;
  }
  try {
    await index.ready();
    signal?.throwIfAborted();
  } catch (error) {
    index.close();
    throw error;
  }
  // A query may have built an index meanwhile, or the vectors been released: then this one is not needed.
  if (indexes.has(v) || (releases.get(v) ?? 0) !== release) return index.close();
  indexes.set(v, index);
  closeWhenCollected.register(v, index, v);
  onProgress?.(total, total);
}

/** Whether `v` has its index now (built by prepareSearch or a query, and not released). */
export function hasSearchIndex(v: WordVectors): boolean {
  return indexes.get(v) instanceof QuantizedIndex;
}

/** The index of `v`, built on first use; undefined when it cannot be built (more than WebAssembly memory holds). */
export function quantizedIndexFor(v: WordVectors): QuantizedIndex | undefined {
  let index = indexes.get(v);
  if (index === undefined) {
    try {
      index = QuantizedIndex.build(v.unitVectors(), v.dim, v.size, SEARCH_THREADS);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      index = 'unavailable';
    }
    indexes.set(v, index);
    if (index instanceof QuantizedIndex) closeWhenCollected.register(v, index, v);
  }
  return index === 'unavailable' ? undefined : index;
}

function indexedCandidates(index: QuantizedIndex, objective: Objective, k: number, rowCount: number, exclude: ReadonlySet<number>): Int32Array {
  const { scores, errors } = index.approximateCosines(objective.terms, rowCount);
  if (objective.terms.length === 1) {
    for (const row of exclude) if (row < rowCount) scores[row] = -Infinity;
    return cosineCandidates(scores, rowCount, errors[0], k);
  }
  const { lower, upper } = scoreBounds(objective, scores, errors, rowCount);
  for (const row of exclude) if (row < rowCount) lower[row] = upper[row] = -Infinity;
  return boundedCandidates(lower, upper, rowCount, k);
}

/**
 * Each row's score bounds from its approximate cosines: objectives increase with positive cosines and decrease with
 * negative ones, so the lowest score takes positives at their lowest and negatives at their highest. Cosines are
 * clamped to what unit float32 vectors can give (|cos| ≤ 1 + 2e-7), and the bounds widened for double rounding.
 */
function scoreBounds(objective: Objective, scores: Float32Array, errors: Float64Array, rowCount: number): { lower: Float64Array; upper: Float64Array } {
  const termCount = objective.terms.length;
  const lower = new Float64Array(rowCount);
  const upper = new Float64Array(rowCount);
  const low = new Float64Array(termCount);
  const high = new Float64Array(termCount);
  const limit = 1 + 2e-7;
  for (let r = 0; r < rowCount; r++) {
    for (let t = 0; t < termCount; t++) {
      const approximate = scores[t * rowCount + r];
      const least = Math.max(-limit, approximate - errors[t]);
      const most = Math.min(limit, approximate + errors[t]);
      if (t < objective.positiveCount) {
        low[t] = least;
        high[t] = most;
      } else {
        low[t] = most;
        high[t] = least;
      }
    }
    const a = objective.combine(low);
    const b = objective.combine(high);
    lower[r] = a - 1e-9 * Math.abs(a) - 1e-12;
    upper[r] = b + 1e-9 * Math.abs(b) + 1e-12;
  }
  return { lower, upper };
}
