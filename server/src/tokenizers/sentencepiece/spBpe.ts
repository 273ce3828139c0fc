import { NOT_FOUND } from '../pieceTable';
import { charUnitsAt } from './chars';
import { PieceType } from './modelProto';
import type { PieceEmitter, TokenSink } from './pieceEmitter';
import type { SpVocabulary } from './spVocabulary';
import { reserveAll, resized } from './typedArrays';

const SPACE_SYMBOL = 0x2581; // ▁
/** Words are remembered up to this many; then the memory starts over. */
const WORD_CACHE_LIMIT = 200_000;
/** Longer words are not worth remembering. */
const CACHED_WORD_UNITS = 64;

/**
 * SentencePiece's BPE encoding (bpe_model.cc): start from chars (user-defined symbols whole and frozen),
 * repeatedly merge the adjacent pair whose concatenation is a piece with the highest score, leftmost on
 * ties; a merge into an UNUSED piece is undone afterwards by splitting it back the way it was formed.
 *
 * Symbols are ranges of the normalized text, so a pair's piece is looked up by range without building
 * strings; the agenda is a binary heap in typed arrays. O(n log n) in the text length.
 *
 * sentencepiece merges over the whole sentence, but when no piece has ▁ after another char (true of models
 * trained with split_by_whitespace, the default), no merge can cross the start of a ▁-word, and words merge
 * independently (BPE compares scores, never sums, so nothing depends on the rest of the sentence). Then
 * each word is merged once and remembered, as tiktoken does with its pieces. Models with UNUSED pieces
 * are merged whole, as sentencepiece does.
 */
export class SpBpeModel {
  private symbolStart = new Int32Array(64);
  private symbolEnd = new Int32Array(64);
  private symbolPrev = new Int32Array(64);
  private symbolNext = new Int32Array(64);
  private symbolFrozen = new Uint8Array(64);
  private readonly agenda = new PairHeap();
  /** Unused piece text -> UTF-16 length of its left part when it was last proposed (sentencepiece's rev_merge). */
  private readonly splits = new Map<string, number>();
  /** Word text -> its tokens as (id, start, end) triples relative to the word; undefined when words may not be split. */
  private readonly words: Map<string, Int32Array> | undefined;
  private readonly wordTokens: number[] = [];
  private readonly toEmitter: TokenSink = (id, start, end) => this.emitter.piece(id, start, end);
  private readonly toWordTokens: TokenSink = (id, start, end) => this.wordTokens.push(id, start, end);

  constructor(private readonly vocabulary: SpVocabulary, private readonly emitter: PieceEmitter) {
    const matchableTypes: number[] = [PieceType.normal, PieceType.userDefined, PieceType.unused];
    const matchable = vocabulary.pieces.filter(({ type }) => matchableTypes.includes(type));
    const crossesWordStart = matchable.some(({ piece }) => /[^\u2581]\u2581/.test(piece));
    // How an UNUSED piece is split back depends on proposals anywhere in the sentence: no words then.
    const hasUnused = matchable.some(({ type }) => type === PieceType.unused);
    this.words = crossesWordStart || hasUnused ? undefined : new Map();
  }

  /** Segments normalized text[start, end) and calls `sink` with each token, ranges in `text`. */
  encode(text: string, start: number, end: number, sink: TokenSink): void {
    this.emitter.begin(text, sink);
    if (this.words) {
      for (let wordStart = start; wordStart < end; ) {
        const wordEnd = nextWordStart(text, wordStart, end);
        this.encodeWord(text, wordStart, wordEnd);
        wordStart = wordEnd;
      }
    } else {
      this.merge(text, start, end, this.toEmitter);
    }
    this.emitter.end();
  }

  private encodeWord(text: string, start: number, end: number): void {
    const words = this.words!;
    if (end - start > CACHED_WORD_UNITS) {
      this.merge(text, start, end, this.toEmitter);
      return;
    }
    const word = text.slice(start, end);
    let tokens = words.get(word);
    if (tokens === undefined) {
      this.wordTokens.length = 0;
      this.merge(word, 0, word.length, this.toWordTokens);
      tokens = Int32Array.from(this.wordTokens);
      if (words.size >= WORD_CACHE_LIMIT) words.clear();
      words.set(word, tokens);
    }
    for (let k = 0; k < tokens.length; k += 3) this.emitter.piece(tokens[k], start + tokens[k + 1], start + tokens[k + 2]);
  }

  /** The BPE merge loop over text[start, end); pieces go to `out` in order. */
  private merge(text: string, start: number, end: number, out: TokenSink): void {
    const count = this.splitIntoSymbols(text, start, end);
    if (count === 0) return;
    this.splits.clear();
    this.agenda.clear();
    for (let i = 1; i < count; i++) this.proposePair(text, i - 1, i);
    const { symbolStart, symbolEnd, symbolPrev, symbolNext } = this;
    while (this.agenda.size > 0) {
      const { left, right, length } = this.agenda.pop();
      // Stale entries: one side was merged away or has grown since the pair was proposed.
      if (symbolStart[left] === symbolEnd[left] || symbolStart[right] === symbolEnd[right]) continue;
      if (symbolEnd[left] - symbolStart[left] + symbolEnd[right] - symbolStart[right] !== length) continue;
      symbolEnd[left] = symbolEnd[right];
      symbolNext[left] = symbolNext[right];
      if (symbolNext[right] >= 0) symbolPrev[symbolNext[right]] = left;
      symbolStart[right] = symbolEnd[right];
      this.proposePair(text, symbolPrev[left], left);
      this.proposePair(text, left, symbolNext[left]);
    }
    for (let i = 0; i >= 0; i = symbolNext[i]) this.resegment(text, symbolStart[i], symbolEnd[i], out);
  }

  private splitIntoSymbols(text: string, start: number, end: number): number {
    this.reserve(end - start);
    const userDefined = this.vocabulary.userDefined;
    let count = 0;
    for (let at = start; at < end; count++) {
      const userLength = userDefined ? userDefined.longestMatch(text, at, end) : 0;
      const length = userLength > 0 ? userLength : charUnitsAt(text, at, end);
      this.symbolStart[count] = at;
      this.symbolEnd[count] = at + length;
      this.symbolPrev[count] = count - 1;
      this.symbolFrozen[count] = userLength > 0 ? 1 : 0;
      at += length;
      this.symbolNext[count] = at < end ? count + 1 : -1;
    }
    return count;
  }

  private proposePair(text: string, left: number, right: number): void {
    if (left < 0 || right < 0 || this.symbolFrozen[left] || this.symbolFrozen[right]) return;
    const start = this.symbolStart[left];
    const end = this.symbolEnd[right];
    const id = this.vocabulary.matchableId(text, start, end);
    if (id === NOT_FOUND) return;
    this.agenda.push(this.vocabulary.pieces[id].score, left, right, end - start);
    if (this.vocabulary.typeOf(id) === PieceType.unused) this.splits.set(text.slice(start, end), this.symbolEnd[left] - start);
  }

  private resegment(text: string, start: number, end: number, out: TokenSink): void {
    const id = this.vocabulary.idOf(text, start, end);
    const leftLength = this.vocabulary.typeOf(id) === PieceType.unused ? this.splits.get(text.slice(start, end)) : undefined;
    if (leftLength === undefined) {
      out(id, start, end);
      return;
    }
    this.resegment(text, start, start + leftLength, out);
    this.resegment(text, start + leftLength, end, out);
  }

  private reserve(length: number): void {
    [this.symbolStart, this.symbolEnd, this.symbolPrev, this.symbolNext, this.symbolFrozen] = reserveAll(
      length, this.symbolStart, this.symbolEnd, this.symbolPrev, this.symbolNext, this.symbolFrozen);
  }
}

/** Max-heap of candidate merges: higher score first, then the leftmost. */
class PairHeap {
  private scores = new Float64Array(64);
  private lefts = new Int32Array(64);
  private rights = new Int32Array(64);
  private lengths = new Int32Array(64);
  size = 0;
  private readonly top = { left: 0, right: 0, length: 0 };

  clear(): void {
    this.size = 0;
  }

  push(score: number, left: number, right: number, length: number): void {
    if (this.size === this.scores.length) this.grow();
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(score, left, parent)) break;
      this.move(parent, at);
      at = parent;
    }
    this.set(at, score, left, right, length);
  }

  /** Removes the best entry; the returned object is reused by the next pop. */
  pop(): { left: number; right: number; length: number } {
    const top = this.top;
    top.left = this.lefts[0];
    top.right = this.rights[0];
    top.length = this.lengths[0];
    const last = --this.size;
    const score = this.scores[last];
    const left = this.lefts[last];
    const right = this.rights[last];
    const length = this.lengths[last];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && this.beats(child + 1, this.scores[child], this.lefts[child])) child++;
      if (!this.beats(child, score, left)) break;
      this.move(child, at);
      at = child;
    }
    if (last > 0) this.set(at, score, left, right, length);
    return top;
  }

  /** Whether an entry (score, left) goes before the entry at `index`. */
  private before(score: number, left: number, index: number): boolean {
    return score > this.scores[index] || (score === this.scores[index] && left < this.lefts[index]);
  }

  /** Whether the entry at `index` goes before (score, left). */
  private beats(index: number, score: number, left: number): boolean {
    return this.scores[index] > score || (this.scores[index] === score && this.lefts[index] < left);
  }

  private move(from: number, to: number): void {
    this.set(to, this.scores[from], this.lefts[from], this.rights[from], this.lengths[from]);
  }

  private set(index: number, score: number, left: number, right: number, length: number): void {
    this.scores[index] = score;
    this.lefts[index] = left;
    this.rights[index] = right;
    this.lengths[index] = length;
  }

  private grow(): void {
    const capacity = this.scores.length * 2;
    this.scores = resized(this.scores, capacity, this.size);
    this.lefts = resized(this.lefts, capacity, this.size);
    this.rights = resized(this.rights, capacity, this.size);
    this.lengths = resized(this.lengths, capacity, this.size);
  }
}

/** Where the ▁-word starting at `start` ends: at the next ▁ that follows another char. */
function nextWordStart(text: string, start: number, end: number): number {
  for (let at = start + 1; at < end; at++) {
    if (text.charCodeAt(at) === SPACE_SYMBOL && text.charCodeAt(at - 1) !== SPACE_SYMBOL) return at;
  }
  return end;
}
