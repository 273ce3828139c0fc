/** tokenizer.json `pre_tokenizer` stage: cuts a normalized piece into the words the model sees, keeping alignment. */
import { BYTE_TO_CHAR } from './byteLevel';
import { type JsonObject, patternOf, requireField, UnsupportedFeature } from './jsonConfig';
import { NormalizedString, unitsAt } from './normalizedString';
import { onigToJsRegExp } from './onigRegex';

export interface PreTokenizer {
  /** Cuts `pieces` further; empty pieces are dropped. */
  preTokenize(pieces: NormalizedString[]): NormalizedString[];
}

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
const BEHAVIORS: readonly SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

/**
 * What a split looks for: a literal string, or a RegExp. HF's character tests (whitespace, punctuation, digits)
 * match every such character on its own; here they are one-character classes, which do the same.
 *
 * Matches are found without allocating match objects (this runs for every word of large documents): a
 * one-character class with a global test() (the match is the character before lastIndex); other patterns with a
 * sticky test() where the previous match ended, since tokenizer patterns usually cover the text, and a search
 * only where they do not.
 */
export class Finder {
  private readonly sticky: RegExp | undefined;
  private readonly search: RegExp | undefined;

  constructor(
    private readonly pattern: RegExp | string,
    private readonly oneChar = false,
  ) {
    if (typeof pattern !== 'string') {
      this.sticky = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'y');
      this.search = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
    }
  }

  forEachMatch(text: string, onMatch: (start: number, end: number) => void): void {
    const pattern = this.pattern;
    if (typeof pattern === 'string') {
      if (pattern.length > 0) for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + pattern.length)) onMatch(at, at + pattern.length);
      return;
    }
    const search = this.search!;
    search.lastIndex = 0;
    if (this.oneChar) {
      while (search.test(text)) {
        const end = search.lastIndex;
        onMatch(end - (end >= 2 && isLowSurrogate(text.charCodeAt(end - 1)) ? 2 : 1), end);
      }
      return;
    }
    const sticky = this.sticky!;
    for (let at = 0; at < text.length; ) {
      sticky.lastIndex = at;
      if (sticky.test(text) && sticky.lastIndex > at) {
        onMatch(at, sticky.lastIndex);
        at = sticky.lastIndex;
        continue;
      }
      search.lastIndex = at;
      const m = search.exec(text);
      if (m === null) return;
      if (m[0].length === 0) {
        at = m.index + unitsAt(text, m.index);
        continue;
      }
      onMatch(m.index, m.index + m[0].length);
      at = m.index + m[0].length;
    }
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * HF's NormalizedString::split: the text is cut into matches and the gaps between them, then each delimiter
 * behaviour decides which ranges become pieces. Streams over the matches (no list of ranges) since this runs for
 * every word of large documents.
 */
export function splitPiece(piece: NormalizedString, finder: Finder, behavior: SplitBehavior, invert = false, out: NormalizedString[] = []): NormalizedString[] {
  const text = piece.text;
  let pendingStart = -1; // start of a range waiting to be merged with the next one
  let previousMatch = false;
  const emit = (start: number, end: number): void => {
    if (end > start) out.push(start === 0 && end === text.length ? piece : piece.slice(start, end));
  };
  const range = (start: number, end: number, isMatch: boolean): void => {
    switch (behavior) {
      case 'Removed':
        if (!isMatch) emit(start, end);
        break;
      case 'Isolated':
        emit(start, end);
        break;
      case 'MergedWithPrevious':
        // A match joins the range before it, unless that was a match too.
        if (isMatch && !previousMatch && pendingStart !== -1) {
          emit(pendingStart, end);
          pendingStart = -1;
        } else {
          if (pendingStart !== -1) emit(pendingStart, start);
          pendingStart = start;
        }
        break;
      case 'Contiguous':
        if (isMatch !== previousMatch || pendingStart === -1) {
          if (pendingStart !== -1) emit(pendingStart, start);
          pendingStart = start;
        }
        break;
      case 'MergedWithNext':
        // A match opens the range after it, unless that is a match too.
        if (isMatch) {
          if (pendingStart !== -1) emit(pendingStart, start);
          pendingStart = start;
        } else {
          emit(pendingStart !== -1 ? pendingStart : start, end);
          pendingStart = -1;
        }
        break;
    }
    previousMatch = isMatch;
  };
  let last = 0;
  const onMatch = (start: number, end: number): void => {
    if (start > last) range(last, start, invert);
    range(start, end, !invert);
    last = end;
  };
  finder.forEachMatch(text, onMatch);
  if (last < text.length || text.length === 0) range(last, text.length, invert);
  // The merging behaviours keep the last range open until something follows it.
  if (pendingStart !== -1) emit(pendingStart, text.length);
  return out;
}

class SplitPreTokenizer implements PreTokenizer {
  constructor(
    private readonly finder: Finder,
    private readonly behavior: SplitBehavior,
    private readonly invert = false,
  ) {}

  preTokenize(pieces: NormalizedString[]): NormalizedString[] {
    const out: NormalizedString[] = [];
    for (const piece of pieces) splitPiece(piece, this.finder, this.behavior, this.invert, out);
    return out;
  }
}

/** GPT-2's word pattern, as HF's ByteLevel pre-tokenizer compiles it. */
const GPT2_PATTERN = new Finder(onigToJsRegExp("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"));
const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** The ASCII bytes GPT-2's table does not show as themselves. */
const ASCII_REMAPPED = /[\x00-\x20\x7f]/g;
const remapAscii = (char: string): string => BYTE_TO_CHAR[char.charCodeAt(0)];
const utf8 = new TextEncoder();

/** Every UTF-8 byte becomes one printable character (GPT-2's byte-to-unicode table). */
export function toByteLevel(piece: NormalizedString): void {
  const text = piece.text;
  if (ASCII_ONLY.test(text)) {
    // One unit per byte: the alignment stays as it is.
    piece.text = text.replace(ASCII_REMAPPED, remapAscii);
    return;
  }
  piece.mapChars((char) => {
    let mapped = '';
    for (const byte of utf8.encode(char)) mapped += BYTE_TO_CHAR[byte];
    return mapped;
  });
}

class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}

  preTokenize(pieces: NormalizedString[]): NormalizedString[] {
    const out: NormalizedString[] = [];
    for (const piece of pieces) {
      if (this.addPrefixSpace && !piece.text.startsWith(' ')) piece.prepend(' ');
      if (this.useRegex) splitPiece(piece, GPT2_PATTERN, 'Isolated', false, out);
      else if (piece.text.length > 0) out.push(piece);
    }
    for (const piece of out) toByteLevel(piece);
    return out;
  }
}

class MetaspacePreTokenizer implements PreTokenizer {
  private readonly delimiter: Finder;

  constructor(
    private readonly replacement: string,
    private readonly prependScheme: 'always' | 'first' | 'never',
    private readonly split: boolean,
  ) {
    this.delimiter = new Finder(replacement);
  }

  preTokenize(pieces: NormalizedString[]): NormalizedString[] {
    const out: NormalizedString[] = [];
    for (const piece of pieces) {
      piece.replace(' ', this.replacement);
      const prepend = this.prependScheme === 'always' || (this.prependScheme === 'first' && piece.originalStart === 0);
      if (prepend && !piece.text.startsWith(this.replacement)) piece.prepend(this.replacement);
      if (this.split) splitPiece(piece, this.delimiter, 'MergedWithNext', false, out);
      else if (piece.text.length > 0) out.push(piece);
    }
    return out;
  }
}

class SequencePreTokenizer implements PreTokenizer {
  constructor(private readonly preTokenizers: PreTokenizer[]) {}

  preTokenize(pieces: NormalizedString[]): NormalizedString[] {
    return this.preTokenizers.reduce((current, preTokenizer) => preTokenizer.preTokenize(current), pieces);
  }
}

const WHITESPACE = new Finder(/\p{White_Space}/gu, true);
/** ASCII symbols and punctuation, and Unicode P* (BERT's and the Punctuation pre-tokenizer's test alike). */
const PUNCTUATION = new Finder(/[!-/:-@[-`{-~\p{P}]/gu, true);
const NUMERIC = new Finder(/\p{N}/gu, true);
/** Onig's \w in Unicode mode, for the Whitespace pre-tokenizer's `\w+|[^\w\s]+`. */
const WORDS_OR_SYMBOLS = new Finder(/[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_C}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_C}\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu);

function behaviorOf(json: JsonObject, fallback: SplitBehavior, file: string): SplitBehavior {
  const behavior = (json.behavior as SplitBehavior | undefined) ?? fallback;
  if (!BEHAVIORS.includes(behavior)) throw new UnsupportedFeature(file, `split behavior "${String(behavior)}"`);
  return behavior;
}

/** Metaspace's prepend scheme, including files from before `prepend_scheme` existed (`add_prefix_space`). */
export function prependSchemeOf(json: JsonObject): 'always' | 'first' | 'never' {
  const scheme = json.prepend_scheme as 'always' | 'first' | 'never' | undefined;
  if (scheme) return scheme;
  return json.add_prefix_space === false ? 'never' : 'always';
}

/** Builds the pre-tokenizer a tokenizer.json describes. */
export function preTokenizerFromJson(json: JsonObject, file: string): PreTokenizer {
  const type = requireField<string>(json, 'type', 'pre_tokenizer', file);
  switch (type) {
    case 'Sequence':
      return new SequencePreTokenizer(requireField<JsonObject[]>(json, 'pretokenizers', 'Sequence pre-tokenizer', file).map((p) => preTokenizerFromJson(p, file)));
    case 'ByteLevel':
      return new ByteLevelPreTokenizer((json.add_prefix_space as boolean | undefined) ?? true, (json.use_regex as boolean | undefined) ?? true);
    case 'Whitespace':
      return new SplitPreTokenizer(WORDS_OR_SYMBOLS, 'Removed', true);
    case 'WhitespaceSplit':
      return new SplitPreTokenizer(WHITESPACE, 'Removed');
    case 'BertPreTokenizer':
      return new SequencePreTokenizer([new SplitPreTokenizer(WHITESPACE, 'Removed'), new SplitPreTokenizer(PUNCTUATION, 'Isolated')]);
    case 'Metaspace':
      return new MetaspacePreTokenizer((json.replacement as string | undefined) ?? '▁', prependSchemeOf(json), (json.split as boolean | undefined) ?? true);
    case 'Split':
      return new SplitPreTokenizer(new Finder(patternOf(json, file)), behaviorOf(json, 'Removed', file), (json.invert as boolean | undefined) ?? false);
    case 'Punctuation':
      return new SplitPreTokenizer(PUNCTUATION, behaviorOf(json, 'Isolated', file));
    case 'Digits':
      return new SplitPreTokenizer(NUMERIC, json.individual_digits ? 'Isolated' : 'Contiguous');
    case 'CharDelimiterSplit':
      return new SplitPreTokenizer(new Finder(requireField<string>(json, 'delimiter', 'CharDelimiterSplit', file)), 'Removed');
    default:
      throw new UnsupportedFeature(file, `pre-tokenizer "${type}"`);
  }
}
