import { charUnitsAt } from './chars';
import type { PieceEmitter, TokenSink } from './pieceEmitter';
import type { SpVocabulary } from './spVocabulary';

const SPACE_SYMBOL = 0x2581; // ▁

/** SentencePiece's CHAR model (char_model.cc): each char (or user-defined symbol) is one piece. */
export class SpCharModel {
  constructor(private readonly vocabulary: SpVocabulary, private readonly emitter: PieceEmitter) {}

  encode(text: string, start: number, end: number, sink: TokenSink): void {
    this.emitter.begin(text, sink);
    for (let at = start; at < end; ) {
      const userLength = this.vocabulary.userDefined?.longestMatch(text, at, end) ?? 0;
      const next = at + (userLength > 0 ? userLength : charUnitsAt(text, at, end));
      this.emitter.piece(this.vocabulary.idOf(text, at, next), at, next);
      at = next;
    }
    this.emitter.end();
  }
}

/** SentencePiece's WORD model (word_model.cc): the text split at ▁ (SplitIntoWords), each word one piece. */
export class SpWordModel {
  constructor(
    private readonly vocabulary: SpVocabulary,
    private readonly emitter: PieceEmitter,
    private readonly whitespaceAsSuffix: boolean,
    private readonly whitespaceOnlyPieces: boolean,
  ) {}

  encode(text: string, start: number, end: number, sink: TokenSink): void {
    const starts = this.whitespaceAsSuffix ? this.wordStartsSuffix(text, start, end) : this.wordStarts(text, start, end);
    this.emitter.begin(text, sink);
    starts.forEach((wordStart, i) => {
      const wordEnd = i + 1 < starts.length ? starts[i + 1] : end;
      this.emitter.piece(this.vocabulary.idOf(text, wordStart, wordEnd), wordStart, wordEnd);
    });
    this.emitter.end();
  }

  /** A word starts at the text start and at each ▁ (only the first of a run when whitespace-only pieces are allowed). */
  private wordStarts(text: string, start: number, end: number): number[] {
    const starts: number[] = [];
    let inSpaces = false;
    for (let at = start; at < end; at += charUnitsAt(text, at, end)) {
      const isSpace = text.charCodeAt(at) === SPACE_SYMBOL;
      if (at === start || (isSpace && (!inSpaces || !this.whitespaceOnlyPieces))) {
        starts.push(at);
        inSpaces = true;
      }
      if (inSpaces && !isSpace) inSpaces = false;
    }
    return starts;
  }

  /** With the dummy space as suffix, a word ends after its ▁ instead (or after a run of them, if allowed alone). */
  private wordStartsSuffix(text: string, start: number, end: number): number[] {
    const starts: number[] = start < end ? [start] : [];
    let inSpaces = false;
    for (let at = start; at < end; ) {
      const isSpace = text.charCodeAt(at) === SPACE_SYMBOL;
      if (isSpace) {
        inSpaces = true;
      } else if (inSpaces) {
        if (this.whitespaceOnlyPieces) starts.push(at);
        inSpaces = false;
      }
      at += charUnitsAt(text, at, end);
      if (at < end && isSpace && !this.whitespaceOnlyPieces) starts.push(at);
    }
    return starts;
  }
}
