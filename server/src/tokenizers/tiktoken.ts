import { bytePairMerge } from './bytePairMerge';
import { byteToUtf16Starts, decodeUtf8Lossy, decodeUtf8Strict, readableBytes, utf16EndAfterByte, utf8ByteString } from './byteString';
import type { Ranks } from './rankFile';
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
 */
export class TiktokenTokenizer implements Tokenizer {
  readonly name: string;
  readonly vocabSize: number;
  private readonly pattern: RegExp;
  private readonly byBytes: Map<string, number>;
  private readonly bytesOf: string[];
  /** Tokens whose bytes are valid UTF-8, keyed by that text, so most pieces are found without encoding them. */
  private readonly byText = new Map<string, number>();
  private readonly pieceCache = new Map<string, readonly number[]>();
  private readonly specialIds: Map<string, number>;
  private readonly specialText = new Map<number, string>();
  private readonly specials: SpecialTokenMatcher;
  private readonly readable: (string | undefined)[] = [];
  private readonly rankOf = (bytes: string): number | undefined => this.byBytes.get(bytes);

  constructor(config: TiktokenConfig) {
    this.name = config.name;
    this.pattern = new RegExp(config.pattern, 'gu');
    this.byBytes = config.ranks.byBytes;
    this.bytesOf = config.ranks.bytesOf;
    for (const [bytes, rank] of this.byBytes) {
      const text = decodeUtf8Strict(bytes);
      if (text !== undefined) this.byText.set(text, rank);
    }
    this.specialIds = new Map(Object.entries(config.specialTokens));
    for (const [text, id] of this.specialIds) this.specialText.set(id, text);
    this.specials = new SpecialTokenMatcher(this.specialIds);
    this.vocabSize = Math.max(this.bytesOf.length, ...this.specialIds.values(), -1) + 1;
  }

  encodeIds(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    this.forEachSegment(text, options, (segment) => {
      const pattern = this.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(segment); m !== null; m = pattern.exec(segment)) {
        const piece = m[0];
        const whole = this.byText.get(piece);
        if (whole !== undefined) ids.push(whole);
        else for (const id of this.pieceIds(piece)) ids.push(id);
      }
    }, (id) => ids.push(id));
    return ids;
  }

  count(text: string, options: EncodeOptions = {}): number {
    let count = 0;
    this.forEachSegment(text, options, (segment) => {
      const pattern = this.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(segment); m !== null; m = pattern.exec(segment)) {
        count += this.byText.has(m[0]) ? 1 : this.pieceIds(m[0]).length;
      }
    }, () => count++);
    return count;
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const ids: number[] = [];
    const offsets: Offset[] = [];
    this.forEachSegment(text, options, (segment, segmentStart) => {
      const pattern = this.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(segment); m !== null; m = pattern.exec(segment)) {
        const piece = m[0];
        const start = segmentStart + m.index;
        const whole = this.byText.get(piece);
        if (whole !== undefined) {
          ids.push(whole);
          offsets.push([start, start + piece.length]);
        } else {
          this.pushPieceWithOffsets(piece, start, ids, offsets);
        }
      }
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

  /** Ids of a piece that is not one whole token (or whose bytes are not valid UTF-8). */
  private pieceIds(piece: string): readonly number[] {
    let ids = this.pieceCache.get(piece);
    if (ids === undefined) {
      const bytes = utf8ByteString(piece);
      const single = this.byBytes.get(bytes);
      ids = single !== undefined ? [single] : this.mergeIds(bytes);
      if (this.pieceCache.size >= PIECE_CACHE_LIMIT) this.pieceCache.clear();
      this.pieceCache.set(piece, ids);
    }
    return ids;
  }

  private mergeIds(bytes: string): number[] {
    const ids: number[] = [];
    let start = 0;
    for (const end of bytePairMerge(bytes, this.rankOf)) {
      ids.push(this.byBytes.get(bytes.slice(start, end))!);
      start = end;
    }
    return ids;
  }

  private pushPieceWithOffsets(piece: string, pieceStart: number, ids: number[], offsets: Offset[]): void {
    const pieceIds = this.pieceIds(piece);
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
