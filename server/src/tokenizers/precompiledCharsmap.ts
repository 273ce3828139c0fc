import { TokenizerLoadError } from './types';

/**
 * A SentencePiece precompiled charsmap: the character normalization rules (nmt_nfkc and friends) that
 * SentencePiece models and Hugging Face's `Precompiled` normalizer carry as one blob:
 *
 *   uint32 LE trie size N | darts-clone double array, N bytes (uint32 LE units) | NUL-separated replacement strings
 *
 * The trie maps the UTF-8 bytes of a source string to the offset of its replacement in the string pool.
 * Two readers use it differently, and both are reproduced here:
 * - SentencePiece's normalizer takes the LONGEST source that prefixes the text at a position (longestPrefix).
 * - Hugging Face's `Precompiled` normalizer looks at one grapheme (or one char) at a time and takes the FIRST,
 *   i.e. shortest, source that prefixes it, then replaces the whole grapheme with it (hfTransformations).
 *
 * A corrupt table cannot crash a lookup: walks that leave the array, or point past the pool, match nothing.
 */

/**
 * One char of Hugging Face's normalized output and how it aligns, exactly as `NormalizedString::transform`
 * consumes it (tokenizers/src/tokenizer/normalizer.rs):
 * - change 0: this char replaces the next original char;
 * - change > 0: this char is inserted (no original char is consumed; it takes the previous char's alignment);
 * - change -n: this char replaces the next original char and the n original chars after it are removed.
 * `Precompiled` builds them per replaced grapheme with pushReplacement below; unchanged chars get `0`.
 * Apply with initial offset 0.
 */
export type HfTransformation = [char: string, change: number];

const HAS_LEAF = 1 << 8;
const LABEL_MASK = 0x800000ff;
const VALUE_MASK = 0x7fffffff;
/** HF's Precompiled tries the whole grapheme only when it is shorter than this many UTF-8 bytes. */
const HF_GRAPHEME_BYTES = 6;

const unitOffset = (unit: number): number => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();
let graphemes: Intl.Segmenter | undefined;

export class PrecompiledCharsmap {
  /** UTF-16 length of the text matched by the last successful longestPrefix call. */
  matchedUnits = 0;
  private readonly replacements = new Map<number, string>();

  private constructor(private readonly units: Uint32Array, private readonly pool: Uint8Array) {}

  /** Reads the blob; throws TokenizerLoadError naming `file` when it is malformed. */
  static parse(blob: Uint8Array, file: string): PrecompiledCharsmap {
    const fail = (problem: string): never => {
      throw new TokenizerLoadError(file, `precompiled charsmap is broken: ${problem}`);
    };
    if (blob.length <= 4) fail(`only ${blob.length} bytes`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieBytes = view.getUint32(0, true);
    if (trieBytes > blob.length - 4) fail(`trie size ${trieBytes} exceeds the ${blob.length - 4} bytes after it`);
    if (trieBytes === 0 || trieBytes % 4 !== 0) fail(`trie size ${trieBytes} is not a positive multiple of 4`);
    const units = new Uint32Array(trieBytes / 4);
    for (let i = 0; i < units.length; i++) units[i] = view.getUint32(4 + i * 4, true);
    return new PrecompiledCharsmap(units, blob.subarray(4 + trieBytes));
  }

  /**
   * SentencePiece's rule (normalizer.cc NormalizePrefix): the longest source string that prefixes
   * text[start, end). Returns its replacement's pool offset (read it with `replacement`) and sets
   * `matchedUnits`, or returns -1. Matches are taken only where they end on a character boundary: real
   * tables only hold whole characters. Lone surrogates are looked up as U+FFFD, as UTF-8 encoding makes them.
   */
  longestPrefix(text: string, start: number, end: number): number {
    const units = this.units;
    let node = unitOffset(units[0]);
    let best = -1;
    for (let i = start; i < end; ) {
      let code = text.charCodeAt(i);
      let width = 1;
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = code <= 0xdbff && i + 1 < end ? text.charCodeAt(i + 1) : 0;
        if (next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          width = 2;
        } else {
          code = 0xfffd;
        }
      }
      let value = -1;
      // Feed the char's UTF-8 bytes; `value` ends as the leaf after its last byte, if any.
      if (code < 0x80) {
        node = this.step(node, code);
        if (node < 0) break;
        value = this.leafValue;
      } else {
        const count = code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        let k = count - 1;
        node = this.step(node, (code >> (6 * k)) | (0xf00 >> count & 0xff));
        while (node >= 0 && k > 0) {
          k--;
          node = this.step(node, 0x80 | ((code >> (6 * k)) & 0x3f));
        }
        if (node < 0) break;
        value = this.leafValue;
      }
      i += width;
      if (value >= 0) {
        best = value;
        this.matchedUnits = i - start;
      }
    }
    return best;
  }

  /** The replacement text stored at a pool offset (up to the next NUL). */
  replacement(offset: number): string {
    let text = this.replacements.get(offset);
    if (text === undefined) {
      let end = offset;
      while (end < this.pool.length && this.pool[end] !== 0) end++;
      text = utf8Decoder.decode(this.pool.subarray(offset, end));
      this.replacements.set(offset, text);
    }
    return text;
  }

  /**
   * Hugging Face's `Precompiled` normalizer (normalizers/precompiled.rs with the spm_precompiled crate) as
   * transformations for NormalizedString.transform (see HfTransformation), or undefined when nothing changes
   * (HF then leaves the string untouched). Per extended grapheme cluster: if it is under 6 UTF-8 bytes and
   * some prefix of it is in the table, the FIRST (shortest) such entry replaces the whole grapheme; otherwise
   * each char is looked up the same way on its own.
   */
  hfTransformations(text: string): HfTransformation[] | undefined {
    const out: HfTransformation[] = [];
    let modified = false;
    graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const { segment } of graphemes.segment(text)) {
      const bytes = utf8Encoder.encode(segment);
      if (bytes.length < HF_GRAPHEME_BYTES) {
        const value = this.firstPrefix(bytes);
        if (value >= 0) {
          modified = true;
          pushReplacement(out, this.replacement(value), countChars(segment));
          continue;
        }
      }
      for (const char of segment) {
        const code = char.charCodeAt(0);
        const value = char.length === 1 && code < 0x80 ? this.firstPrefixOfByte(code) : this.firstPrefix(utf8Encoder.encode(char));
        if (value >= 0) {
          modified = true;
          pushReplacement(out, this.replacement(value), 1);
        } else {
          out.push([char, 0]);
        }
      }
    }
    return modified ? out : undefined;
  }

  /** The text with HF's `Precompiled` applied (the normalized string those transformations produce). */
  hfNormalize(text: string): string {
    const transformations = this.hfTransformations(text);
    return transformations ? transformations.map(([char]) => char).join('') : text;
  }

  /** spm_precompiled's common_prefix_search(...)[0]: the shortest entry prefixing the bytes; a NUL byte ends the key. */
  private firstPrefix(bytes: Uint8Array): number {
    let node = unitOffset(this.units[0]);
    for (const byte of bytes) {
      if (byte === 0) return -1;
      node = this.step(node, byte);
      if (node < 0) return -1;
      if (this.leafValue >= 0) return this.leafValue;
    }
    return -1;
  }

  private firstPrefixOfByte(byte: number): number {
    if (byte === 0) return -1;
    const node = this.step(unitOffset(this.units[0]), byte);
    return node < 0 ? -1 : this.leafValue;
  }

  /** Set by step(): the pool offset stored at the node just reached, or -1 when no entry ends there. */
  private leafValue = -1;

  /** darts-clone's transition on one byte: the next node, or -1. */
  private step(node: number, byte: number): number {
    const units = this.units;
    const at = node ^ byte;
    if (at >= units.length) return -1;
    const unit = units[at];
    if ((unit & LABEL_MASK) !== byte) return -1;
    const next = at ^ unitOffset(unit);
    this.leafValue = -1;
    if (unit & HAS_LEAF) {
      if (next >= units.length) return -1;
      const value = units[next] & VALUE_MASK;
      if (value < this.pool.length) this.leafValue = value;
    }
    return next;
  }
}

/**
 * precompiled.rs's `replace`: every new char replaces (0); when the replacement is longer, its last extra chars
 * are inserted (+1); when shorter, the last char (or, for a deletion, the char before) also consumes the
 * surplus (-n). HF tokenizers 0.23's reference offsets for "ﬁ" and "™" (one char to two) only come out this way.
 */
function pushReplacement(out: HfTransformation[], replacement: string, oldCount: number): void {
  const chars = [...replacement];
  const diff = chars.length - oldCount;
  // A deletion: the char before consumes the deleted ones (at the very start nothing does, as in HF).
  if (chars.length === 0 && out.length > 0) out[out.length - 1][1] += diff;
  chars.forEach((char, i) => {
    let change = 0;
    if (diff > 0 && i >= chars.length - diff) change = 1;
    else if (diff < 0 && i === chars.length - 1) change = diff;
    out.push([char, change]);
  });
}

function countChars(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff || i === 0 || text.charCodeAt(i - 1) < 0xd800 || text.charCodeAt(i - 1) > 0xdbff) count++;
  }
  return count;
}
