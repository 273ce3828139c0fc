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
 * What a split looks for: a global RegExp or a literal string. HF's character tests (whitespace, punctuation,
 * digits) match every such character on its own; here they are one-character RegExps, which do the same.
 */
type Finder = RegExp | string;

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
    if (end > start) out.push(piece.slice(start, end));
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
  if (typeof finder === 'string') {
    if (finder.length > 0) for (let at = text.indexOf(finder); at !== -1; at = text.indexOf(finder, at + finder.length)) onMatch(at, at + finder.length);
  } else {
    finder.lastIndex = 0;
    for (let m = finder.exec(text); m !== null; m = finder.exec(text)) {
      if (m[0].length === 0) finder.lastIndex = m.index + unitsAt(text, m.index);
      else onMatch(m.index, m.index + m[0].length);
    }
  }
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
const GPT2_PATTERN = onigToJsRegExp("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
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
  constructor(
    private readonly replacement: string,
    private readonly prependScheme: 'always' | 'first' | 'never',
    private readonly split: boolean,
  ) {}

  preTokenize(pieces: NormalizedString[]): NormalizedString[] {
    const out: NormalizedString[] = [];
    for (const piece of pieces) {
      piece.replace(' ', this.replacement);
      const prepend = this.prependScheme === 'always' || (this.prependScheme === 'first' && piece.originalStart === 0);
      if (prepend && !piece.text.startsWith(this.replacement)) piece.prepend(this.replacement);
      if (this.split) splitPiece(piece, this.replacement, 'MergedWithNext', false, out);
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

const WHITESPACE = /\p{White_Space}/gu;
/** ASCII symbols and punctuation, and Unicode P* (BERT's and the Punctuation pre-tokenizer's test alike). */
const PUNCTUATION = /[!-/:-@[-`{-~\p{P}]/gu;
const NUMERIC = /\p{N}/gu;
/** Onig's \w in Unicode mode, for the Whitespace pre-tokenizer's `\w+|[^\w\s]+`. */
const WORDS_OR_SYMBOLS = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_C}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_C}\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

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
      return new SplitPreTokenizer(patternOf(json, file), behaviorOf(json, 'Removed', file), (json.invert as boolean | undefined) ?? false);
    case 'Punctuation':
      return new SplitPreTokenizer(PUNCTUATION, behaviorOf(json, 'Isolated', file));
    case 'Digits':
      return new SplitPreTokenizer(NUMERIC, json.individual_digits ? 'Isolated' : 'Contiguous');
    case 'CharDelimiterSplit':
      return new SplitPreTokenizer(requireField<string>(json, 'delimiter', 'CharDelimiterSplit', file), 'Removed');
    default:
      throw new UnsupportedFeature(file, `pre-tokenizer "${type}"`);
  }
}
