import { charUnitsAt } from './sentencepiece/chars';
import { byteFallbackIds, PieceEmitter, type TokenSink } from './sentencepiece/pieceEmitter';
import { NO_NODE, NO_VALUE, PrefixTrie } from './sentencepiece/prefixTrie';
import { reserveAll } from './sentencepiece/typedArrays';

export type { TokenSink } from './sentencepiece/pieceEmitter';

/**
 * How a piece takes part in segmentation:
 * - 'normal': a lattice candidate with its score (HF's pieces are all normal);
 * - 'userDefined': SentencePiece USER_DEFINED, a candidate with a bonus so it always wins;
 * - 'excluded': never matched in text (SentencePiece CONTROL, UNKNOWN, BYTE and UNUSED pieces), but its id
 *   and text still exist (byte fallback finds <0xNN> pieces by text).
 */
export type UnigramPieceKind = 'normal' | 'userDefined' | 'excluded';

export interface UnigramPiece {
  piece: string;
  score: number;
  kind?: UnigramPieceKind;
}

export interface UnigramOptions {
  /** Every piece, in id order. A piece text that occurs twice matches as its later id (HF's vocab map does so). */
  pieces: readonly UnigramPiece[];
  /** Id for text no piece covers; undefined: such text is an error, as in HF without unk_id. */
  unknownId: number | undefined;
  /** Spell unknown text as <0xNN> byte pieces when they all exist (else the unknown id). */
  byteFallback?: boolean;
  /**
   * Consecutive unknowns become one token. HF's Unigram always fuses, before byte fallback (so the bytes of a
   * fused run all get the run's range). SentencePiece fuses too, but only without byte fallback; with it,
   * each unknown char is spelled on its own. Default true.
   */
  fuseUnknown?: boolean;
  /**
   * SentencePiece keeps scores in float32 and adds them in float32; HF reads them as f64. The sums decide
   * near-ties, so pick the reference being matched. Default false (f64).
   */
  float32Scores?: boolean;
  /**
   * Score of the unknown node. Both references use min score - 10, but over different sets: SentencePiece
   * takes the minimum over NORMAL pieces, HF over the whole vocab. Default: the minimum over 'normal' pieces - 10.
   */
  unknownScore?: number;
  /** HF looks a fused unknown run up as a piece before falling back (finding the literal unk text). Default false. */
  lookUpUnknownRuns?: boolean;
}

const FLT_MIN = 1.1754943508222875e-38;
const FLT_MAX = 3.4028234663852886e38;
const UNKNOWN_PENALTY = 10;
const KIND_USER_DEFINED = 1;

/**
 * The Unigram language-model segmenter shared by SentencePiece (unigram_model.cc, EncodeOptimized) and
 * Hugging Face tokenizers (models/unigram/model.rs, encode_optimized): Viterbi over every piece that starts
 * at every char, keeping only the best path ending at each position. Ties keep the earlier candidate (shorter
 * piece, earlier start), as both references do.
 *
 * Works directly on UTF-16 units: pieces are whole chars, so matching units matches UTF-8 bytes. The best-path
 * arrays are reused across calls, so encoding allocates only its output.
 */
export class UnigramModel {
  readonly vocabSize: number;
  private readonly trie: PrefixTrie;
  private readonly scores: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly unknownId: number | undefined;
  private readonly unknownScore: number;
  /** SentencePiece's user-defined bonus is `length * max_score_ - 0.1`, max over NORMAL pieces from FLT_MIN. */
  private readonly maxScore: number;
  private readonly float32: boolean;
  private readonly emitter: PieceEmitter;
  private bestScore = new Float64Array(256);
  private bestStart = new Int32Array(256);
  private bestId = new Int32Array(256);

  constructor(options: UnigramOptions) {
    const { pieces, unknownId } = options;
    if (unknownId !== undefined && !(unknownId >= 0 && unknownId < pieces.length)) {
      throw new RangeError(`unknown id ${unknownId} is outside the vocabulary (${pieces.length} pieces)`);
    }
    this.vocabSize = pieces.length;
    this.float32 = options.float32Scores ?? false;
    this.unknownId = unknownId;
    this.scores = new Float64Array(pieces.length);
    this.kinds = new Uint8Array(pieces.length);
    let totalUnits = 0;
    for (const { piece } of pieces) totalUnits += piece.length;
    this.trie = new PrefixTrie(totalUnits);
    const round = this.float32 ? Math.fround : (x: number): number => x;
    let minScore = this.float32 ? FLT_MAX : Infinity;
    let maxScore = FLT_MIN;
    pieces.forEach(({ piece, score, kind = 'normal' }, id) => {
      this.scores[id] = round(score);
      if (kind === 'excluded' || piece.length === 0) return;
      this.trie.add(piece, id);
      if (kind === 'userDefined') {
        this.kinds[id] = KIND_USER_DEFINED;
      } else {
        minScore = Math.min(minScore, this.scores[id]);
        maxScore = Math.max(maxScore, this.scores[id]);
      }
    });
    this.maxScore = round(maxScore);
    this.unknownScore = options.unknownScore ?? round(minScore - UNKNOWN_PENALTY);
    const bytePieces = new Map<string, number>();
    pieces.forEach(({ piece }, id) => {
      if (piece.length === 6 && piece.startsWith('<0x')) bytePieces.set(piece, id);
    });
    const byteIds = byteFallbackIds(options.byteFallback ?? false, (piece) => bytePieces.get(piece));
    this.emitter = new PieceEmitter({
      unknownId,
      fuseUnknown: options.fuseUnknown ?? true,
      byteIds,
      pieces: options.lookUpUnknownRuns ? this.trie : undefined,
    });
  }

  /** Segments text[start, end) (already normalized) and calls `sink` with each token, ranges in `text`. */
  encode(text: string, start: number, end: number, sink: TokenSink): void {
    const size = end - start;
    if (size <= 0) return;
    this.viterbi(text, start, size);
    // Walk the best path back from the end, then emit it forwards.
    const path: number[] = [];
    for (let at = size; at > 0; at = this.bestStart[at]) path.push(at);
    this.emitter.begin(text, sink);
    for (let k = path.length - 1; k >= 0; k--) {
      const pieceEnd = path[k];
      this.emitter.piece(this.bestId[pieceEnd], start + this.bestStart[pieceEnd], start + pieceEnd);
    }
    this.emitter.end();
  }

  private viterbi(text: string, start: number, size: number): void {
    this.reserve(size + 1);
    const { bestScore, bestStart, bestId, trie, scores, kinds, float32 } = this;
    bestStart.fill(-1, 0, size + 1);
    bestScore[0] = 0;
    for (let pos = 0; pos < size; ) {
      const scoreHere = bestScore[pos];
      const charUnits = charUnitsAt(text, start + pos, start + size);
      let hasSingleChar = false;
      let node = NO_NODE;
      for (let k = pos; k < size; k++) {
        node = trie.next(node, text.charCodeAt(start + k));
        if (node === NO_NODE) break;
        const id = trie.valueAt(node);
        if (id === NO_VALUE) continue;
        const target = k + 1;
        let candidate: number;
        let stored: number;
        if (kinds[id] === KIND_USER_DEFINED) {
          // Computed in double in the reference (the - 0.1 is a double), compared in double, stored in the score type.
          candidate = this.userDefinedScore(text, start + pos, start + target) + scoreHere;
          stored = float32 ? Math.fround(candidate) : candidate;
        } else {
          candidate = stored = float32 ? Math.fround(scores[id] + scoreHere) : scores[id] + scoreHere;
        }
        if (bestStart[target] === -1 || candidate > bestScore[target]) {
          bestScore[target] = stored;
          bestStart[target] = pos;
          bestId[target] = id;
        }
        if (target - pos === charUnits) hasSingleChar = true;
      }
      if (!hasSingleChar) {
        const target = pos + charUnits;
        const candidate = float32 ? Math.fround(this.unknownScore + scoreHere) : this.unknownScore + scoreHere;
        if (bestStart[target] === -1 || candidate > bestScore[target]) {
          if (this.unknownId === undefined) {
            const char = String.fromCodePoint(text.codePointAt(start + pos)!);
            throw new Error(`no piece covers ${JSON.stringify(char)} and the model has no unknown token`);
          }
          bestScore[target] = candidate;
          bestStart[target] = pos;
          bestId[target] = this.unknownId;
        }
      }
      pos += charUnits;
    }
  }

  /** SentencePiece's bonus for a user-defined piece: its UTF-8 length times the max score, minus 0.1. */
  private userDefinedScore(text: string, start: number, end: number): number {
    const bytes = Buffer.byteLength(text.slice(start, end), 'utf8');
    return (this.float32 ? Math.fround(bytes * this.maxScore) : bytes * this.maxScore) - 0.1;
  }

  private reserve(length: number): void {
    [this.bestScore, this.bestStart, this.bestId] = reserveAll(length, this.bestScore, this.bestStart, this.bestId);
  }
}
