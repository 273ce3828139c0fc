/**
 * Unigram training the way SentencePiece's trainer does it (unigram_model_trainer.cc): seed pieces from frequent
 * substrings, then rounds of EM (expected counts by forward-backward, a Bayesian M-step with digamma, pieces
 * expected fewer than 0.5 times dropped) each followed by pruning the pieces whose removal costs the least
 * likelihood, to shrinkingFactor of the vocabulary per round, until 1.1 × the target size is reached; finally the
 * required characters plus the best-scored pieces.
 */
import { TrainingError } from './trainingError';
import type { TrainingProgress } from './trainingProgress';
import { pieceText, prepareUnigramCorpus, type UnigramCorpus } from './unigramCorpus';
import { addExpectedCounts, addViterbiCounts, pieceOccurrences, type PieceScores, pieceScores, twoBest, type WordLattices } from './unigramLattice';
import { seedPieces, type Seeds } from './unigramSeeds';

export interface UnigramTrainerOptions {
  /** Vocabulary size including the special tokens. */
  vocabSize: number;
  specialTokens: readonly string[];
  /** Share of character occurrences the alphabet must cover; the rarest characters beyond it become unknown. */
  characterCoverage: number;
  maxPieceLength?: number;
  seedSize?: number;
  shrinkingFactor?: number;
  subIterations?: number;
  progress?: TrainingProgress;
}

/** SentencePiece's defaults. */
const DEFAULTS = { maxPieceLength: 16, seedSize: 1_000_000, shrinkingFactor: 0.75, subIterations: 2 };
const EXPECTED_FREQUENCY_THRESHOLD = 0.5;
const UNKNOWN_PENALTY = 10;
const REQUIRED_CHAR_PENALTY_STEP = 0.0001;
export const WORD_BOUNDARY = '▁';

/** Pieces with their scores (log probabilities), best first; special tokens are not included. */
export async function trainUnigram(wordCounts: Iterable<readonly [string, number]>, options: UnigramTrainerOptions): Promise<Array<[string, number]>> {
  const settings = { ...DEFAULTS, ...options };
  const progress = options.progress;
  const corpus = prepareUnigramCorpus(wordCounts, settings.characterCoverage, WORD_BOUNDARY);
  const pieceBudget = settings.vocabSize - settings.specialTokens.length;
  if (corpus.requiredChars.length > pieceBudget) {
    throw new TrainingError(
      `vocabulary size ${settings.vocabSize} is too small: the corpus needs ${corpus.requiredChars.length} characters ` +
        `(character coverage ${settings.characterCoverage}) plus ${settings.specialTokens.length} special tokens`,
    );
  }
  progress?.phase('seed pieces', 1);
  const model = new PieceModel(corpus, seedPieces(corpus, settings));
  const desiredSize = Math.floor(settings.vocabSize * 1.1);
  const rounds = Math.max(1, Math.ceil(Math.log(desiredSize / model.size) / Math.log(settings.shrinkingFactor)) + 1);
  progress?.phase('EM', rounds);
  for (let round = 0; ; round++) {
    for (let iteration = 0; iteration < settings.subIterations; iteration++) {
      model.maximize(await model.expectedCounts(progress));
    }
    progress?.step(round + 1);
    if (model.size <= desiredSize) break;
    model.retain(await model.pruneTo(Math.max(desiredSize, Math.floor(settings.shrinkingFactor * model.size)), progress));
  }
  return model.finalPieces(pieceBudget, new Set(settings.specialTokens));
}

function digamma(x: number): number {
  let result = 0;
  for (; x < 7; x++) result -= 1 / x;
  x -= 0.5;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  return result + Math.log(x) + xx2 / 24 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
}

/** The current pieces (spelled in units) with their scores, and every word's lattice over them. */
class PieceModel {
  private pieces: string[];
  private scores: Float64Array;
  private readonly lattices: WordLattices;

  constructor(
    private readonly corpus: UnigramCorpus,
    seeds: Seeds,
  ) {
    this.pieces = seeds.pieces;
    this.scores = seeds.logProbs;
    this.lattices = seeds.lattices;
  }

  get size(): number {
    return this.pieces.length;
  }

  private currentScores(): PieceScores {
    let min = Infinity;
    for (const score of this.scores) if (score < min) min = score;
    return pieceScores(this.scores, min - UNKNOWN_PENALTY);
  }

  /** E-step over all words, pausing now and then for progress and cancellation. */
  async expectedCounts(progress?: TrainingProgress): Promise<Float64Array> {
    const expected = new Float64Array(this.size);
    const scores = this.currentScores();
    const words = this.corpus.words.length;
    const batch = 4096;
    for (let from = 0; from < words; from += batch) {
      addExpectedCounts(this.lattices, this.corpus.counts, scores, expected, [from, Math.min(words, from + batch)]);
      if (progress?.due()) await progress.pause();
    }
    return expected;
  }

  /** M-step: rarely expected pieces go; the others get digamma(count) - digamma(total) (a sparse prior). */
  maximize(expected: Float64Array): void {
    let total = 0;
    const keep = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) {
      if (expected[i] < EXPECTED_FREQUENCY_THRESHOLD) continue;
      keep[i] = 1;
      total += expected[i];
    }
    const logTotal = digamma(total);
    for (let i = 0; i < this.size; i++) if (keep[i]) this.scores[i] = digamma(expected[i]) - logTotal;
    this.retain(keep);
  }

  /**
   * Which pieces to keep so that `target` remain: those whose loss of likelihood if removed (their Viterbi
   * occurrences re-segmented by their second-best split) is largest. Pieces the Viterbi segmentation never uses,
   * or that segment better as smaller pieces, go first; single characters and pieces without alternative stay.
   */
  async pruneTo(target: number, progress?: TrainingProgress): Promise<Uint8Array> {
    const scores = this.currentScores();
    const alwaysKeep = new Uint8Array(this.size).fill(1);
    const alternatives: Array<number[] | undefined> = [];
    const occurrence = pieceOccurrences(this.lattices, this.size);
    for (let i = 0; i < this.size; i++) {
      // A piece found nowhere has no Viterbi frequency either, and goes below.
      if (occurrence.word[i] < 0) continue;
      const [best, second] = twoBest(this.lattices, occurrence.word[i], occurrence.start[i], this.pieces[i].length, scores);
      if (second === undefined) continue;
      if (best.length >= 2) alwaysKeep[i] = 0;
      else alternatives[i] = second;
      if (progress?.due()) await progress.pause();
    }
    const frequencies = new Float64Array(this.size);
    addViterbiCounts(this.lattices, this.corpus.counts, scores, frequencies);
    let wordTotal = 0;
    for (const count of this.corpus.counts) wordTotal += count;
    let sum = 0;
    for (const frequency of frequencies) sum += frequency;
    const logSum = Math.log(sum);

    const keep = new Uint8Array(this.size);
    let kept = 0;
    const candidates: Array<[index: number, loss: number]> = [];
    for (let i = 0; i < this.size; i++) {
      const frequency = frequencies[i];
      if (frequency === 0 || !alwaysKeep[i]) continue;
      const alternative = alternatives[i];
      if (!alternative) {
        keep[i] = 1;
        kept++;
        continue;
      }
      const logProbability = Math.log(frequency) - logSum;
      // Removing the piece hands its occurrences to its alternatives.
      const logSumWithout = Math.log(sum + frequency * (alternative.length - 1));
      let logProbabilityWithout = 0;
      for (const other of alternative) logProbabilityWithout += Math.log((other >= 0 ? frequencies[other] : 0) + frequency) - logSumWithout;
      candidates.push([i, (frequency / wordTotal) * (logProbability - logProbabilityWithout)]);
    }
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [i] of candidates) {
      if (kept >= target) break;
      keep[i] = 1;
      kept++;
    }
    return keep;
  }

  /** Keeps the pieces marked in `keep`, renumbered in order, and updates the lattices. */
  retain(keep: Uint8Array): void {
    const newIndex = new Int32Array(this.size).fill(-1);
    const pieces: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (!keep[i]) continue;
      newIndex[i] = pieces.length;
      pieces.push(this.pieces[i]);
      scores.push(this.scores[i]);
    }
    this.pieces = pieces;
    this.scores = Float64Array.from(scores);
    this.lattices.renumber(newIndex);
  }

  /**
   * The final vocabulary: every required character (scored as in the model, or just below its lowest score,
   * the more frequent ones higher), then the best-scored pieces up to `budget`, best first. A piece spelled like
   * a special token is left out: the vocabulary has that token already.
   */
  finalPieces(budget: number, specialTokens: ReadonlySet<string>): Array<[string, number]> {
    const chosen = new Map<string, number>();
    const index = new Map(this.pieces.map((piece, i) => [piece, i]));
    let min = Infinity;
    for (const score of this.scores) if (score < min) min = score;
    let penalty = 0;
    for (const unit of this.corpus.requiredUnits) {
      const at = index.get(unit);
      if (at !== undefined) chosen.set(unit, this.scores[at]);
      else {
        chosen.set(unit, min + penalty);
        penalty += REQUIRED_CHAR_PENALTY_STEP;
      }
    }
    const byScore = this.pieces.map((piece, i): [string, number] => [piece, this.scores[i]]).sort(byScoreThenPiece);
    for (const [piece, score] of byScore) {
      if (chosen.size >= budget) break;
      if (!chosen.has(piece) && !specialTokens.has(pieceText(this.corpus, piece))) chosen.set(piece, score);
    }
    return [...chosen].sort(byScoreThenPiece).map(([piece, score]) => [pieceText(this.corpus, piece), score]);
  }
}

function byScoreThenPiece(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}
