import type { PrecompiledCharsmap } from '../precompiledCharsmap';
import type { NormalizerSpec } from './modelProto';
import type { PrefixTrie } from './prefixTrie';
import { resized } from './typedArrays';

/** SentencePiece's normalized text and where each of its UTF-16 units came from. */
export interface NormalizedText {
  text: string;
  /**
   * For each unit of `text`, the UTF-16 offset in the original text where the input chunk that produced it
   * starts; entry `text.length` is where the consumed input ends (before removed trailing spaces). A token
   * [s, e) of `text` covers [toOriginal[s], toOriginal[e]) of the original, as in sentencepiece's norm_to_orig.
   */
  toOriginal: Uint32Array;
}

export interface SpNormalizerOptions {
  spec: NormalizerSpec;
  /** From the trainer spec: the dummy space goes at the end instead of the start. */
  treatWhitespaceAsSuffix: boolean;
  charsmap: PrecompiledCharsmap | undefined;
  /** User-defined symbols: the longest one at a position is copied as is, never normalized. */
  userDefined: PrefixTrie | undefined;
}

const SPACE = 0x20;
const SPACE_SYMBOL = 0x2581; // ▁
const REPLACEMENT = '\ufffd';
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });

/**
 * SentencePiece's normalizer (normalizer.cc Normalize): chunk by chunk (a user-defined symbol, the longest
 * charsmap rule, or one char), drop leading, repeated and trailing spaces when remove_extra_whitespaces,
 * add the dummy prefix, and turn ' ' into ▁ when escape_whitespaces. Only ASCII space counts as space here;
 * the charsmap is what maps tabs, newlines and other spaces to it.
 */
export class SpNormalizer {
  private units = new Uint16Array(256);
  private origins = new Uint32Array(257);
  private length = 0;
  /** The current chunk: chunkSource[chunkStart, chunkEnd), and how many input units it consumes. */
  private chunkSource = '';
  private chunkStart = 0;
  private chunkEnd = 0;
  private chunkConsumes = 0;

  constructor(private readonly options: SpNormalizerOptions) {}

  normalize(input: string): NormalizedText {
    const { removeExtraWhitespaces, addDummyPrefix, escapeWhitespaces } = this.options.spec;
    const suffix = this.options.treatWhitespaceAsSuffix;
    this.length = 0;
    let consumed = 0;
    if (removeExtraWhitespaces) {
      while (consumed < input.length && this.readChunk(input, consumed) && this.chunkIsOneSpace()) consumed += this.chunkConsumes;
    }
    if (consumed >= input.length) return { text: '', toOriginal: Uint32Array.of(consumed) };
    this.reserve(input.length + 2);
    const space = escapeWhitespaces ? SPACE_SYMBOL : SPACE;
    if (!suffix && addDummyPrefix) this.append(space, consumed);
    let previousIsSpace = removeExtraWhitespaces;
    while (consumed < input.length) {
      this.readChunk(input, consumed);
      const source = this.chunkSource;
      let start = this.chunkStart;
      const end = this.chunkEnd;
      if (previousIsSpace) while (start < end && source.charCodeAt(start) === SPACE) start++;
      if (start < end) {
        for (let i = start; i < end; i++) {
          const unit = source.charCodeAt(i);
          this.append(unit === SPACE && escapeWhitespaces ? SPACE_SYMBOL : unit, consumed);
        }
        previousIsSpace = source.charCodeAt(end - 1) === SPACE;
      }
      consumed += this.chunkConsumes;
      if (!removeExtraWhitespaces) previousIsSpace = false;
    }
    if (removeExtraWhitespaces) {
      while (this.length > 0 && this.units[this.length - 1] === space) {
        this.length--;
        consumed = this.origins[this.length];
      }
    }
    if (suffix && addDummyPrefix) this.append(space, consumed);
    this.origins[this.length] = consumed;
    return {
      text: utf16.decode(this.units.subarray(0, this.length)),
      toOriginal: this.origins.slice(0, this.length + 1),
    };
  }

  /** sentencepiece's NormalizePrefix: sets the chunk at input[at]; returns true. */
  private readChunk(input: string, at: number): boolean {
    const { userDefined, charsmap } = this.options;
    const end = input.length;
    const userLength = userDefined ? userDefined.longestMatch(input, at, end) : 0;
    if (userLength > 0) return this.setChunk(input, at, at + userLength, userLength);
    if (charsmap) {
      const value = charsmap.longestPrefix(input, at, end);
      if (value >= 0) {
        const replacement = charsmap.replacement(value);
        return this.setChunk(replacement, 0, replacement.length, charsmap.matchedUnits);
      }
    }
    const unit = input.charCodeAt(at);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = at + 1 < end ? input.charCodeAt(at + 1) : 0;
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return this.setChunk(input, at, at + 2, 2);
      return this.setChunk(REPLACEMENT, 0, 1, 1); // a lone surrogate is malformed text: U+FFFD, as UTF-8 encoding makes it
    }
    return this.setChunk(input, at, at + 1, 1);
  }

  private setChunk(source: string, start: number, end: number, consumes: number): boolean {
    this.chunkSource = source;
    this.chunkStart = start;
    this.chunkEnd = end;
    this.chunkConsumes = consumes;
    return true;
  }

  private chunkIsOneSpace(): boolean {
    return this.chunkEnd - this.chunkStart === 1 && this.chunkSource.charCodeAt(this.chunkStart) === SPACE;
  }

  private append(unit: number, origin: number): void {
    if (this.length + 1 >= this.units.length) this.reserve(this.units.length * 2);
    this.units[this.length] = unit;
    this.origins[this.length++] = origin;
  }

  private reserve(capacity: number): void {
    if (capacity + 1 <= this.units.length) return;
    this.units = resized(this.units, capacity + 1, this.length);
    this.origins = resized(this.origins, capacity + 2, this.length);
  }
}
