import { bytePairMerge } from './bytePairMerge';
import { byteToUtf16Starts, decodeUtf8Lossy, decodeUtf8Strict, readableBytes, utf16EndAfterByte, utf8ByteString } from './byteString';
import type { Ranks } from './rankFile';
import { NOT_FOUND, PieceTable } from './pieceTable';
import { SpecialTokenMatcher } from './specialTokens';
import type { Encoding, EncodeOptions, Offset, Tokenizer } from './types';

export interface TiktokenConfig {
  name: string;
  ranks: Ranks;
  /** JavaScript regex source of the pre-tokenizer, used with the `gu` flags. */
  pattern: string;
  specialTokens: Record<string, number>;
}

/** Pieces that are not one whole token are remembered up to this many; then the memory starts over. */
const PIECE_CACHE_LIMIT = 100_000;

/**
 * tiktoken-style byte-level BPE: split with the encoding's regex, then look each piece up whole and merge
 * byte pairs by rank only when it is not itself a token.
 *
 * Speed comes from allocating nothing per piece: a sticky regex's test() gives the piece boundaries
 * without match objects, and the piece table is looked up by range without slicing the text.
 */
export class TiktokenTokenizer implements Tokenizer {
  readonly name: string;
  readonly vocabSize: number;
  private readonly pattern: RegExp;
  /** The same pattern, searching forward: finds where matching resumes after text no alternative matches. */
  private readonly searchPattern: RegExp;
  private readonly bytesOf: string[];
  /**
   * Piece text -> id (>= 0) for every token whose bytes are valid UTF-8, then -> ~index into
   * `multiIds` for pieces seen before that are several tokens.
   */
  private readonly pieces: PieceTable;
  private readonly vocabEntries: number;
  private multiIds: (readonly number[])[] = [];
  private readonly specialIds: Map<string, number>;
  private readonly specialText = new Map<number, string>();
  private readonly specials: SpecialTokenMatcher;
  private readonly readable: (string | undefined)[] = [];
  /** Token bytes -> rank, looked up by a range of a byte string: rank lookups in the merge loop allocate nothing. */
  private readonly byteRanks: PieceTable;
  private readonly rankOf = (bytes: string, start: number, end: number): number | undefined => {
    const rank = this.byteRanks.get(bytes, start, end);
    return rank === NOT_FOUND ? undefined : rank;
  };

  constructor(config: TiktokenConfig) {
    this.name = config.name;
    this.pattern = new RegExp(config.pattern, 'yu');
    this.searchPattern = new RegExp(config.pattern, 'gu');
    const { byBytes } = config.ranks;
    this.bytesOf = config.ranks.bytesOf;
    this.pieces = new PieceTable(byBytes.size + PIECE_CACHE_LIMIT);
    for (const [bytes, rank] of byBytes) {
      const text = decodeUtf8Strict(bytes);
      if (text !== undefined) this.pieces.add(text, rank);
    }
    this.vocabEntries = this.pieces.size;
    this.byteRanks = new PieceTable(byBytes.size);
    for (const [bytes, rank] of byBytes) this.byteRanks.add(bytes, rank);
    this.specialIds = new Map(Object.entries(config.specialTokens));
    for (const [text, id] of this.specialIds) this.specialText.set(id, text);
    this.specials = new SpecialTokenMatcher(this.specialIds);
    this.vocabSize = Math.max(this.bytesOf.length - 1, ...this.specialIds.values()) + 1;
  }

  encodeIds(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    this.forEachSegment(text, options, (segment) => {
      this.forEachPiece(segment, (start, end) => {
        const value = this.pieceValue(segment, start, end);
        if (value >= 0) ids.push(value);
        else for (const id of this.multiIds[~value]) ids.push(id);
      });
    }, (id) => ids.push(id));
    return ids;
  }

  count(text: string, options: EncodeOptions = {}): number {
    let count = 0;
    this.forEachSegment(text, options, (segment) => {
      this.forEachPiece(segment, (start, end) => {
        const value = this.pieceValue(segment, start, end);
        count += value >= 0 ? 1 : this.multiIds[~value].length;
      });
    }, () => count++);
    return count;
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const ids: number[] = [];
    const offsets: Offset[] = [];
    this.forEachSegment(text, options, (segment, segmentStart) => {
      this.forEachPiece(segment, (start, end) => {
        const value = this.pieceValue(segment, start, end);
        if (value >= 0) {
          ids.push(value);
          offsets.push([segmentStart + start, segmentStart + end]);
        } else {
          this.pushOffsets(segment.slice(start, end), this.multiIds[~value], segmentStart + start, ids, offsets);
        }
      });
    }, (id, start, end) => {
      ids.push(id);
      offsets.push([start, end]);
    });
    return { ids, tokens: ids.map((id) => this.tokenText(id)), offsets };
  }

  decode(ids: readonly number[]): string {
    let bytes = '';
    let text = '';
    for (const id of ids) {
      const special = this.specialText.get(id);
      if (special !== undefined) {
        text += decodeUtf8Lossy(bytes) + special;
        bytes = '';
        continue;
      }
      const tokenBytes = this.bytesOf[id];
      if (tokenBytes === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
      bytes += tokenBytes;
    }
    return text + decodeUtf8Lossy(bytes);
  }

  tokenText(id: number): string {
    const special = this.specialText.get(id);
    if (special !== undefined) return special;
    let text = this.readable[id];
    if (text === undefined) {
      const bytes = this.bytesOf[id];
      if (bytes === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
      text = this.readable[id] = readableBytes(bytes);
    }
    return text;
  }

  private forEachSegment(
    text: string,
    options: EncodeOptions,
    onText: (segment: string, start: number) => void,
    onSpecial: (id: number, start: number, end: number) => void,
  ): void {
    // The regex runs on each stretch between special tokens on its own, as tiktoken does: `$` matches at its end.
    if (!options.allowSpecial) {
      onText(text, 0);
      return;
    }
    this.specials.split(text, (start, end) => onText(text.slice(start, end), start), onSpecial);
  }

  /** Calls `visit` with the [start, end) of each regex piece of `segment`, in order. */
  private forEachPiece(segment: string, visit: (start: number, end: number) => void): void {
    const pattern = this.pattern;
    let start = 0;
    pattern.lastIndex = 0;
    while (start < segment.length) {
      if (pattern.test(segment)) {
        const end = pattern.lastIndex;
        visit(start, end);
        start = end;
        continue;
      }
      // No alternative matches here (impossible for the bundled patterns): skip to the next match, as
      // tiktoken's find_iter does.
      this.searchPattern.lastIndex = start;
      const next = this.searchPattern.exec(segment);
      if (!next) return;
      start = pattern.lastIndex = next.index;
    }
  }

  /** A piece's id (>= 0), or ~index of its ids in multiIds. */
  private pieceValue(segment: string, start: number, end: number): number {
    const value = this.pieces.get(segment, start, end);
    if (value !== NOT_FOUND) return value;
    const piece = segment.slice(start, end);
    const bytes = utf8ByteString(piece);
    const single = this.byteRanks.get(bytes, 0, bytes.length);
    if (single !== NOT_FOUND) return single;
    if (this.multiIds.length >= PIECE_CACHE_LIMIT) {
      this.pieces.truncate(this.vocabEntries);
      this.multiIds = [];
    }
    this.multiIds.push(this.mergeIds(bytes));
    const stored = ~(this.multiIds.length - 1);
    this.pieces.add(piece, stored);
    return stored;
  }

  private mergeIds(bytes: string): number[] {
    const ids: number[] = [];
    let start = 0;
    for (const end of bytePairMerge(bytes, this.rankOf)) {
      ids.push(this.byteRanks.get(bytes, start, end));
      start = end;
    }
    return ids;
  }

  private pushOffsets(piece: string, pieceIds: readonly number[], pieceStart: number, ids: number[], offsets: Offset[]): void {
    let byteLength = 0;
    for (const id of pieceIds) byteLength += this.bytesOf[id].length;
    const ascii = byteLength === piece.length;
    const starts = ascii ? undefined : byteToUtf16Starts(piece, byteLength);
    let byte = 0;
    for (const id of pieceIds) {
      const endByte = byte + this.bytesOf[id].length;
      const start = starts ? starts[byte] : byte;
      const end = starts ? utf16EndAfterByte(starts, piece, endByte) : endByte;
      ids.push(id);
      offsets.push([pieceStart + start, pieceStart + end]);
      byte = endByte;
    }
  }
}
