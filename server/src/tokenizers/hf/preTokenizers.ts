/** tokenizer.json `pre_tokenizer` stage: cuts a normalized piece into the words the model sees, keeping alignment. */
import { BYTE_TO_CHAR } from './byteLevel';
import { isBertPunctuation, type JsonObject, patternOf, requireField, UnsupportedFeature } from './jsonConfig';
import { findMatches, NormalizedString, unitsAt } from './normalizedString';
import { onigToJsRegExp } from './onigRegex';

export interface PreTokenizer {
  /** Cuts `pieces` further; empty pieces are dropped. */
  preTokenize(pieces: NormalizedString[]): NormalizedString[];
}

export type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
const BEHAVIORS: readonly SplitBehavior[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

/** What a split looks for: a pattern (every match), or a character test (every matching character on its own). */
type Finder = RegExp | string | ((char: string) => boolean);

/** [start, end, isMatch] ranges covering the whole text, as HF's Pattern::find_matches gives them. */
function coveringMatches(text: string, finder: Finder, invert: boolean): Array<[number, number, boolean]> {
  const matches = typeof finder === 'function' ? charMatches(text, finder) : findMatches(text, finder);
  const ranges: Array<[number, number, boolean]> = [];
  let last = 0;
  for (const [start, end] of matches) {
    if (start > last) ranges.push([last, start, invert]);
    ranges.push([start, end, !invert]);
    last = end;
  }
  if (last < text.length || ranges.length === 0) ranges.push([last, text.length, invert]);
  return ranges;
}

function charMatches(text: string, test: (char: string) => boolean): Array<[number, number]> {
  const matches: Array<[number, number]> = [];
  for (let i = 0; i < text.length; ) {
    const width = unitsAt(text, i);
    if (test(text.slice(i, i + width))) matches.push([i, i + width]);
    i += width;
  }
  return matches;
}

/** HF's NormalizedString::split: which ranges become pieces under each delimiter behaviour. */
export function splitPiece(piece: NormalizedString, finder: Finder, behavior: SplitBehavior, invert = false, out: NormalizedString[] = []): NormalizedString[] {
  const ranges = coveringMatches(piece.text, finder, invert);
  const kept: Array<[number, number]> = [];
  let previousMatch = false;
  if (behavior === 'MergedWithNext') {
    for (let i = ranges.length - 1; i >= 0; i--) {
      const [start, end, isMatch] = ranges[i];
      if (isMatch && !previousMatch && kept.length > 0) kept[kept.length - 1][0] = start;
      else kept.push([start, end]);
      previousMatch = isMatch;
    }
    kept.reverse();
  } else {
    for (const [start, end, isMatch] of ranges) {
      if (behavior === 'Removed') {
        if (!isMatch) kept.push([start, end]);
      } else if (behavior === 'Isolated') {
        kept.push([start, end]);
      } else {
        const merge = behavior === 'Contiguous' ? isMatch === previousMatch : isMatch && !previousMatch;
        if (merge && kept.length > 0) kept[kept.length - 1][1] = end;
        else kept.push([start, end]);
      }
      previousMatch = isMatch;
    }
  }
  for (const [start, end] of kept) if (end > start) out.push(piece.slice(start, end));
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

/** Every UTF-8 byte becomes one printable character (GPT-2's byte-to-unicode table). */
export function toByteLevel(piece: NormalizedString): void {
  const text = piece.text;
  if (ASCII_ONLY.test(text)) {
    // One unit per byte: the alignment stays as it is.
    let mapped = '';
    for (let i = 0; i < text.length; i++) mapped += BYTE_TO_CHAR[text.charCodeAt(i)];
    piece.text = mapped;
    return;
  }
  const encoder = new TextEncoder();
  piece.mapChars((char) => {
    let mapped = '';
    for (const byte of encoder.encode(char)) mapped += BYTE_TO_CHAR[byte];
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

const WHITESPACE_CHAR = /^\p{White_Space}$/u;
const isWhitespace = (char: string): boolean => WHITESPACE_CHAR.test(char);
const PUNCTUATION_CHAR = /^\p{P}$/u;
const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const isPunctuation = (char: string): boolean => ASCII_PUNCTUATION.test(char) || PUNCTUATION_CHAR.test(char);
const NUMERIC_CHAR = /^\p{N}$/u;
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
      return new SplitPreTokenizer(isWhitespace, 'Removed');
    case 'BertPreTokenizer':
      return new SequencePreTokenizer([new SplitPreTokenizer(isWhitespace, 'Removed'), new SplitPreTokenizer(isBertPunctuation, 'Isolated')]);
    case 'Metaspace':
      return new MetaspacePreTokenizer((json.replacement as string | undefined) ?? '▁', prependSchemeOf(json), (json.split as boolean | undefined) ?? true);
    case 'Split':
      return new SplitPreTokenizer(patternOf(json, file), behaviorOf(json, 'Removed', file), (json.invert as boolean | undefined) ?? false);
    case 'Punctuation':
      return new SplitPreTokenizer(isPunctuation, behaviorOf(json, 'Isolated', file));
    case 'Digits':
      return new SplitPreTokenizer((char) => NUMERIC_CHAR.test(char), json.individual_digits ? 'Isolated' : 'Contiguous');
    case 'CharDelimiterSplit': {
      const delimiter = requireField<string>(json, 'delimiter', 'CharDelimiterSplit', file);
      return new SplitPreTokenizer((char) => char === delimiter, 'Removed');
    }
    default:
      throw new UnsupportedFeature(file, `pre-tokenizer "${type}"`);
  }
}
