/**
 * The best rows for many 3CosAdd analogy questions at once. A question (a, b, c) ranks row r by
 * cos(r, b) + cos(r, c) − cos(r, a) (the cosine with gensim's normalised mean, times a positive constant), and the
 * questions of a benchmark share their words (questions-words.txt: 19,544 questions, about 900 words). So the rows'
 * cosines with each distinct word are computed once, a block of rows at a time, and each question only adds three of
 * them per row: ~20 times less arithmetic than a dot product per question and row.
 *
 * The sums round differently from the dot product with the mean, so the candidates within a safe margin of the k-th
 * are re-scored with that dot product (the search's exact score: float32 values summed in a double, as exactScan.ts),
 * and the answer is the same as scoring every row exactly. Questions with too few shared words for this to pay go to
 * the neighbour search (search/), which ranks by the same exact scores.
 */
import { finishInSlices, turnEventLoop, type ChunkedWork, type ChunkedWorkOptions } from '../chunkedWork';
import { dotRow } from '../search/exactScan';
import { searchNeighboursBatch } from '../search/neighbourSearch';
import { TopK, type Scored } from '../search/topK';
import type { WordVectors } from '../wordVectors';

/** onProgress is called every few blocks of rows (and at the end), with the rows scanned so far. */
export type CosAddScanOptions = ChunkedWorkOptions;

/** Extra candidates kept per question, for the exact re-scoring. */
const CANDIDATE_SLACK = 16;
/**
 * How far (in summed-cosine units, at most 3 × the exact score) rounding can move a row's score: the mean's float32
 * rounding changes a cosine by ~3e-7, so 1e-5 is ample. Rows further below the k-th candidate cannot reach the top k.
 */
const MARGIN = 1e-5;
/** Cosine block size: distinct words × rows, in doubles (~32 MB). */
const BLOCK_VALUES = 1 << 22;
/** Multiply-adds per cosine block (words × rows × dim): some tens of milliseconds, so the event loop turns often. */
const BLOCK_WORK = 3e7;

/**
 * For each question (rows a, b, c at questions[3q..3q+2]), the `k` best of rows [0, rowCount) of `vectors` by cosine
 * with gensim's 3CosAdd mean (ties to the lower row), best first.
 */
export async function cosAddTopRows(vectors: WordVectors, rowCount: number, questions: Int32Array, k: number, options: CosAddScanOptions = {}): Promise<Int32Array[]> {
  const { dim } = vectors;
  const { wordRows, slots } = distinctWords(questions);
  const questionCount = questions.length / 3;
  // Per row, the shared cosines cost a dot product per distinct word plus three additions per question; the direct
  // way a dot product per question. A few questions with many different words are faster the direct way.
  return wordRows.length * dim + 4 * questionCount < questionCount * dim
    ? topRowsFromSharedCosines(vectors, rowCount, questions, wordRows, slots, k, options)
    : topRowsDirectly(vectors, rowCount, questions, k, options);
}

/**
 * Questions scored per pass over the rows in the direct way (between passes the event loop runs): at most 256, and
 * about BLOCK_WORK multiply-adds, in multiples of the 8 queries a scan shares.
 */
function questionsPerBatch(rowCount: number, dim: number): number {
  return Math.min(256, Math.max(8, Math.floor(BLOCK_WORK / Math.max(1, rowCount * dim) / 8) * 8));
}

async function topRowsDirectly(vectors: WordVectors, rowCount: number, questions: Int32Array, k: number, options: CosAddScanOptions): Promise<Int32Array[]> {
  const unitRows = vectors.unitVectors();
  const questionCount = questions.length / 3;
  const best: Int32Array[] = [];
  const batch = questionsPerBatch(rowCount, vectors.dim);
  for (let start = 0; start < questionCount; start += batch) {
    options.signal?.throwIfAborted();
    const end = Math.min(questionCount, start + batch);
    const queries: Float32Array[] = [];
    for (let q = start; q < end; q++) queries.push(questionQuery(unitRows, vectors.dim, questions, q));
    for (const top of searchNeighboursBatch(vectors, queries, k, rowCount, [])) best.push(rowsOf(top));
    options.onProgress?.(Math.round((rowCount * end) / questionCount), rowCount);
    await turnEventLoop();
  }
  options.signal?.throwIfAborted();
  return best;
}

async function topRowsFromSharedCosines(
  vectors: WordVectors,
  rowCount: number,
  questions: Int32Array,
  wordRows: readonly number[],
  slots: Int32Array,
  k: number,
  options: CosAddScanOptions,
): Promise<Int32Array[]> {
  const unitRows = vectors.unitVectors();
  const { dim } = vectors;
  const questionCount = questions.length / 3;
  const wordVectors = new Float32Array(wordRows.length * dim);
  wordRows.forEach((row, slot) => wordVectors.set(unitRows.subarray(row * dim, (row + 1) * dim), slot * dim));

  const candidates = Array.from({ length: questionCount }, () => new TopK(k + CANDIDATE_SLACK));
  const words = Math.max(1, wordRows.length);
  const blockRows = Math.max(2, Math.min(8192, Math.floor(BLOCK_VALUES / words), Math.floor(BLOCK_WORK / (words * Math.max(1, dim))))) & ~1;
  const cosines = new Float64Array(wordRows.length * blockRows);
  const scanBlocks = function* (): ChunkedWork<void> {
    for (let blockStart = 0; blockStart < rowCount; blockStart += blockRows) {
      const blockEnd = Math.min(rowCount, blockStart + blockRows);
      cosineBlock(unitRows, dim, blockStart, blockEnd, wordVectors, cosines);
      const length = blockEnd - blockStart;
      for (let q = 0; q < questionCount; q++) {
        offerSums(candidates[q], cosines, slots[3 * q + 1] * length, slots[3 * q + 2] * length, slots[3 * q] * length, length, blockStart);
      }
      yield blockEnd;
    }
  };
  await finishInSlices(scanBlocks(), rowCount, options);
  options.onProgress?.(rowCount, rowCount);
  options.signal?.throwIfAborted();

  return candidates.map((top, q) => {
    const query = questionQuery(unitRows, dim, questions, q);
    const sorted = top.sorted();
    // Practically never: more than CANDIDATE_SLACK rows within the margin of the k-th; then score every row exactly
    // (a plain scan: for one query, building an index over every row would cost more than it saves).
    if (sorted.length === k + CANDIDATE_SLACK && sorted[sorted.length - 1].score >= sorted[k - 1].score - MARGIN) {
      return rowsOf(searchNeighboursBatch(vectors, [query], k, rowCount, [], 'exact')[0]);
    }
    const exact = new TopK(k);
    for (const { index } of sorted) exact.offer(index, dotRow(unitRows, dim, index, query));
    return rowsOf(exact.sorted());
  });
}

function rowsOf(scored: readonly Scored[]): Int32Array {
  return Int32Array.from(scored, ({ index }) => index);
}

/** Question q's 3CosAdd mean. */
function questionQuery(unitRows: Float32Array, dim: number, questions: Int32Array, q: number): Float32Array {
  return cosAddQuery(unitRows, dim, questions[3 * q], questions[3 * q + 1], questions[3 * q + 2]);
}

/**
 * gensim's mean for most_similar(positive=[b, c], negative=[a]): the unit vectors summed with weights 1, 1, -1 in
 * float32, divided by the total weight 3, then scaled to unit length.
 */
export function cosAddQuery(unitRows: Float32Array, dim: number, a: number, b: number, c: number): Float32Array {
  const mean = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    mean[d] = Math.fround(Math.fround(unitRows[b * dim + d] + unitRows[c * dim + d]) - unitRows[a * dim + d]) / 3;
  }
  let sum = 0;
  for (let d = 0; d < dim; d++) sum += mean[d] * mean[d];
  const length = Math.fround(Math.sqrt(sum));
  if (length > 0) for (let d = 0; d < dim; d++) mean[d] /= length;
  return mean;
}

/** The distinct rows the questions use, and each question word's slot among them. */
function distinctWords(questions: Int32Array): { wordRows: number[]; slots: Int32Array } {
  const slotOfRow = new Map<number, number>();
  const wordRows: number[] = [];
  const slots = Int32Array.from(questions, (row) => {
    let slot = slotOfRow.get(row);
    if (slot === undefined) {
      slot = wordRows.length;
      slotOfRow.set(row, slot);
      wordRows.push(row);
    }
    return slot;
  });
  return { wordRows, slots };
}

/**
 * cosines[slot·length + (r − rowStart)] = row r · word `slot`, for the rows of the block: four words meet two rows per
 * inner loop (eight sums from six loads).
 */
function cosineBlock(unitRows: Float32Array, dim: number, rowStart: number, rowEnd: number, wordVectors: Float32Array, cosines: Float64Array): void {
  const length = rowEnd - rowStart;
  const wordCount = wordVectors.length / dim;
  let w = 0;
  for (; w + 4 <= wordCount; w += 4) {
    const w0 = w * dim;
    const w1 = w0 + dim;
    const w2 = w1 + dim;
    const w3 = w2 + dim;
    const out0 = w * length - rowStart;
    const out1 = out0 + length;
    const out2 = out1 + length;
    const out3 = out2 + length;
    let row = rowStart;
    for (; row + 1 < rowEnd; row += 2) {
      const x0 = row * dim;
      const y0 = x0 + dim;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let d = 0; d < dim; d++) {
        const x = unitRows[x0 + d];
        const y = unitRows[y0 + d];
        const v0 = wordVectors[w0 + d];
        const v1 = wordVectors[w1 + d];
        const v2 = wordVectors[w2 + d];
        const v3 = wordVectors[w3 + d];
        a0 += x * v0;
        a1 += x * v1;
        a2 += x * v2;
        a3 += x * v3;
        b0 += y * v0;
        b1 += y * v1;
        b2 += y * v2;
        b3 += y * v3;
      }
      cosines[out0 + row] = a0;
      cosines[out1 + row] = a1;
      cosines[out2 + row] = a2;
      cosines[out3 + row] = a3;
      cosines[out0 + row + 1] = b0;
      cosines[out1 + row + 1] = b1;
      cosines[out2 + row + 1] = b2;
      cosines[out3 + row + 1] = b3;
    }
    if (row < rowEnd) for (let j = 0; j < 4; j++) cosines[(w + j) * length - rowStart + row] = dotRow(unitRows, dim, row, wordVector(wordVectors, dim, w + j));
  }
  for (; w < wordCount; w++) {
    const word = wordVector(wordVectors, dim, w);
    for (let row = rowStart; row < rowEnd; row++) cosines[w * length - rowStart + row] = dotRow(unitRows, dim, row, word);
  }
}

function wordVector(wordVectors: Float32Array, dim: number, slot: number): Float32Array {
  return wordVectors.subarray(slot * dim, (slot + 1) * dim);
}

/** Offers the block's rows to `top` scored cos(·, b) + cos(·, c) − cos(·, a), from their offsets in the block. */
function offerSums(top: TopK, cosines: Float64Array, b: number, c: number, a: number, length: number, rowStart: number): void {
  let threshold = top.threshold;
  for (let i = 0; i < length; i++) {
    const score = cosines[b + i] + cosines[c + i] - cosines[a + i];
    if (score >= threshold) {
      top.offer(rowStart + i, score);
      threshold = top.threshold;
    }
  }
}
