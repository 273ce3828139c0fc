/**
 * The lattices of Unigram training: for every word, every vocabulary piece found in it (start, length, piece),
 * found once (see unigramSeeds) and then only filtered as pieces are pruned, so the EM iterations do no string
 * work at all. A character no piece covers gets an "unknown" edge (piece -1) with a penalised score, as
 * in SentencePiece. Edges are kept sorted by start, which is all the forward and backward passes need.
 */
const NO_PATH = -Infinity;

export class WordLattices {
  /** Edges of word w: [first[w], first[w + 1]). */
  first: Int32Array;
  start: Uint16Array;
  length: Uint8Array;
  piece: Int32Array;
  readonly wordLengths: Uint16Array;

  constructor(first: Int32Array, start: Uint16Array, length: Uint8Array, piece: Int32Array, wordLengths: Uint16Array) {
    this.first = first;
    this.start = start;
    this.length = length;
    this.piece = piece;
    this.wordLengths = wordLengths;
  }

  /**
   * Renumbers pieces after some were removed: newIndex[old] is the new number or -1. A removed single character
   * becomes an unknown edge; removed longer pieces disappear.
   */
  renumber(newIndex: Int32Array): void {
    const { first, start, length, piece } = this;
    let out = 0;
    for (let w = 0; w < this.wordLengths.length; w++) {
      const from = first[w];
      const to = first[w + 1];
      first[w] = out;
      for (let k = from; k < to; k++) {
        const renumbered = piece[k] < 0 ? -1 : newIndex[piece[k]];
        if (renumbered < 0 && length[k] > 1) continue;
        start[out] = start[k];
        length[out] = length[k];
        piece[out++] = renumbered;
      }
    }
    first[this.wordLengths.length] = out;
  }
}

/** Scores of the current pieces, and of an unknown edge: log probabilities, and the probabilities themselves. */
export interface PieceScores {
  scores: Float64Array;
  unknown: number;
  probabilities: Float64Array;
  unknownProbability: number;
}

export function pieceScores(scores: Float64Array, unknown: number): PieceScores {
  return { scores, unknown, probabilities: scores.map(Math.exp), unknownProbability: Math.exp(unknown) };
}

/** Below this, a forward or backward value is scaled back up (see addExpectedCounts). */
const TINY = 1e-150;
/** Multiplies values[at..at + reach] (the positions an edge from `at` can touch) by 1 / values[at]; returns the log of the factor. */
function rescale(values: Float64Array, n: number, at: number, reach: number): number {
  const factor = 1 / values[at];
  const end = Math.min(n, at + reach);
  for (let i = at; i <= end; i++) values[i] *= factor;
  return Math.log(factor);
}

/**
 * E-step: adds count × the posterior probability of every piece occurrence (forward-backward over each word's
 * lattice) into `expected`, and returns the corpus log-likelihood. It works with probabilities, not logs, so an
 * edge costs a multiply-add instead of exp and log. Long words would underflow: when a complete forward (backward)
 * value gets tiny, it and the positions an edge can still reach from it are scaled up by one factor, and each
 * position remembers the log of the scale it carries (forwardScale, backwardScale) so posteriors can undo it.
 */
export function addExpectedCounts(lattices: WordLattices, counts: Float64Array, scores: PieceScores, expected: Float64Array, wordRange: [number, number]): number {
  const { first, start, length, piece, wordLengths } = lattices;
  const { probabilities, unknownProbability } = scores;
  const forward = new Float64Array(MAX_POSITIONS);
  const backward = new Float64Array(MAX_POSITIONS);
  const forwardScale = new Float64Array(MAX_POSITIONS);
  const backwardScale = new Float64Array(MAX_POSITIONS);
  let likelihood = 0;
  for (let w = wordRange[0]; w < wordRange[1]; w++) {
    const n = wordLengths[w];
    const from = first[w];
    const to = first[w + 1];
    let scaled = false;
    let reach = 1;
    for (let k = from; k < to; k++) if (length[k] > reach) reach = length[k];
    forward.fill(0, 0, n + 1);
    forward[0] = 1;
    let forwardLog = 0;
    for (let k = from, at = -1; k < to; k++) {
      const s = start[k];
      // Edges come sorted by start: at a new start, forward[s] is complete.
      if (s !== at) {
        at = s;
        if (forward[s] < TINY) {
          forwardLog += rescale(forward, n, s, reach);
          scaled = true;
        }
        forwardScale[s] = forwardLog;
      }
      forward[s + length[k]] += forward[s] * (piece[k] >= 0 ? probabilities[piece[k]] : unknownProbability);
    }
    forwardScale[n] = forwardLog;
    backward.fill(0, 0, n + 1);
    backward[n] = 1;
    backwardScale[n] = 0;
    let backwardLog = 0;
    for (let k = to - 1, at = -1; k >= from; k--) {
      const s = start[k];
      if (s !== at) {
        // At a new (smaller) start, backward[at] is complete.
        if (at >= 0 && backward[at] < TINY) {
          const logFactor = rescale(backward, n, at, reach);
          backwardLog += logFactor;
          for (let i = at, end = Math.min(n, at + reach); i <= end; i++) backwardScale[i] += logFactor;
          scaled = true;
        }
        at = s;
        backwardScale[s] = backwardLog;
      }
      backward[s] += (piece[k] >= 0 ? probabilities[piece[k]] : unknownProbability) * backward[s + length[k]];
    }
    const norm = counts[w] / forward[n];
    const logNorm = Math.log(counts[w]) - Math.log(forward[n]) + forwardScale[n];
    for (let k = from; k < to; k++) {
      const id = piece[k];
      if (id < 0) continue;
      const s = start[k];
      const e = s + length[k];
      // Rescaled words: in logs, as a product of scaled values may overflow (each stays below 1 / p_min^reach).
      expected[id] += scaled
        ? Math.exp(Math.log(forward[s]) + scores.scores[id] + Math.log(backward[e]) + logNorm - forwardScale[s] - backwardScale[e])
        : forward[s] * probabilities[id] * backward[e] * norm;
    }
    likelihood += counts[w] * (Math.log(forward[n]) - forwardLog);
  }
  return likelihood;
}

/** Words are at most this many units long (see unigramCorpus), plus one position. */
const MAX_POSITIONS = 1025;

/** Adds each word's count to every piece on its best (Viterbi) segmentation. */
export function addViterbiCounts(lattices: WordLattices, counts: Float64Array, { scores, unknown }: PieceScores, frequencies: Float64Array): void {
  const { first, start, length, piece, wordLengths } = lattices;
  const best = new Float64Array(MAX_POSITIONS);
  const via = new Int32Array(MAX_POSITIONS);
  for (let w = 0; w < wordLengths.length; w++) {
    const n = wordLengths[w];
    best.fill(NO_PATH, 0, n + 1);
    best[0] = 0;
    for (let k = first[w]; k < first[w + 1]; k++) {
      const s = start[k];
      const value = best[s] + (piece[k] >= 0 ? scores[piece[k]] : unknown);
      const end = s + length[k];
      if (value > best[end]) {
        best[end] = value;
        via[end] = k;
      }
    }
    for (let at = n; at > 0; ) {
      const k = via[at];
      if (piece[k] >= 0) frequencies[piece[k]] += counts[w];
      at = start[k];
    }
  }
}

/** For every piece, one place it occurs: word[i] and start[i] of one of its edges (word -1: nowhere). */
export function pieceOccurrences(lattices: WordLattices, pieceCount: number): { word: Int32Array; start: Int32Array } {
  const word = new Int32Array(pieceCount).fill(-1);
  const start = new Int32Array(pieceCount);
  const { first, piece } = lattices;
  for (let w = 0; w < lattices.wordLengths.length; w++) {
    for (let k = first[w]; k < first[w + 1]; k++) {
      const id = piece[k];
      if (id >= 0 && word[id] < 0) {
        word[id] = w;
        start[id] = lattices.start[k];
      }
    }
  }
  return { word, start };
}

/**
 * The two best segmentations of the piece that occurs in word `w` at [from, from + n): the word's edges inside
 * that span are exactly the pieces' sub-pieces. Lists of pieces (-1: unknown), best first; one list when the
 * piece has a single segmentation.
 */
export function twoBest(lattices: WordLattices, w: number, from: number, n: number, { scores, unknown }: PieceScores): Array<number[]> {
  const { start, length, piece } = lattices;
  // Per position and rank (0 best, 1 second): score, and the edge and previous rank that reach it.
  const score = [new Float64Array(n + 1).fill(NO_PATH), new Float64Array(n + 1).fill(NO_PATH)];
  const viaEdge = [new Int32Array(n + 1), new Int32Array(n + 1)];
  const viaRank = [new Int32Array(n + 1), new Int32Array(n + 1)];
  score[0][0] = 0;
  for (let k = lattices.first[w]; k < lattices.first[w + 1]; k++) {
    const s = start[k] - from;
    const end = s + length[k];
    if (s < 0 || end > n) {
      if (s >= n) break;
      continue;
    }
    const edgeScore = piece[k] >= 0 ? scores[piece[k]] : unknown;
    for (let rank = 0; rank < 2; rank++) {
      if (score[rank][s] === NO_PATH) continue;
      const value = score[rank][s] + edgeScore;
      if (value > score[0][end]) {
        score[1][end] = score[0][end];
        viaEdge[1][end] = viaEdge[0][end];
        viaRank[1][end] = viaRank[0][end];
        score[0][end] = value;
        viaEdge[0][end] = k;
        viaRank[0][end] = rank;
      } else if (value > score[1][end]) {
        score[1][end] = value;
        viaEdge[1][end] = k;
        viaRank[1][end] = rank;
      }
    }
  }
  const paths: Array<number[]> = [];
  for (let rank = 0; rank < 2; rank++) {
    if (score[rank][n] === NO_PATH) break;
    const path: number[] = [];
    for (let at = n, r = rank; at > 0; ) {
      const k = viaEdge[r][at];
      path.push(piece[k]);
      r = viaRank[r][at];
      at = start[k] - from;
    }
    paths.push(path.reverse());
  }
  return paths;
}
