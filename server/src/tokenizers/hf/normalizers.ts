/** tokenizer.json `normalizer` stage: each normalizer edits a NormalizedString in place, keeping its alignment. */
import { PrecompiledCharsmap } from '../precompiledCharsmap';
import { NormalizedString } from './normalizedString';
import { isChineseChar, isControl, isWhitespaceChar, type JsonObject, patternOf, requireField, UnsupportedFeature } from './jsonConfig';

export interface Normalizer {
  normalize(text: NormalizedString): void;
}

/** BERT strips nonspacing marks only; the StripAccents normalizer strips every combining mark (Mn, Mc, Me). */
const NONSPACING_MARK = /\p{Mn}/u;
const COMBINING_MARK = /\p{M}/u;

/** Rust's char::to_lowercase, one character at a time (so no context rules such as final sigma apply). */
function lowercaseChar(char: string): string {
  return char.toLowerCase();
}

/** Lower-cases, with a whole-string fast path when lower-casing keeps every unit in place. */
function lowercase(text: NormalizedString): void {
  const lower = text.text.toLowerCase();
  if (lower === text.text) return;
  if (lower.length === text.text.length && !text.text.includes('\u03a3')) {
    // Same length and no context-sensitive capital sigma: each unit maps to the unit at the same place.
    text.text = lower;
    return;
  }
  text.mapChars(lowercaseChar);
}

function removeMarks(text: NormalizedString, marks: RegExp): void {
  if (!marks.test(text.text)) return;
  text.mapChars((char) => (marks.test(char) ? '' : char));
}

/** BERT's normalizer: drop control characters, spaces around CJK characters, strip accents, lower-case. */
class BertNormalizer implements Normalizer {
  constructor(
    private readonly cleanText: boolean,
    private readonly handleChineseChars: boolean,
    private readonly stripAccents: boolean,
    private readonly lowercase: boolean,
  ) {}

  normalize(text: NormalizedString): void {
    if (this.cleanText && NEEDS_CLEANING.test(text.text)) {
      text.mapChars((char) => {
        const code = char.codePointAt(0)!;
        if (code === 0 || code === 0xfffd || isControl(char)) return '';
        return isWhitespaceChar(char) ? ' ' : char;
      });
    }
    if (this.handleChineseChars && HAS_CJK.test(text.text)) text.mapChars((char) => (isChineseChar(char.codePointAt(0)!) ? ` ${char} ` : char));
    if (this.stripAccents) {
      if (NON_ASCII.test(text.text)) text.normalizeForm('NFD');
      removeMarks(text, NONSPACING_MARK);
    }
    if (this.lowercase) lowercase(text);
  }
}

const NEEDS_CLEANING = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{White_Space}\ufffd]/u;
const HAS_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ud840-\ud87e]/;
const NON_ASCII = /[^\x00-\x7f]/;

/** SentencePiece's NMT normalizer: drops some control characters, maps others to a space. */
class NmtNormalizer implements Normalizer {
  normalize(text: NormalizedString): void {
    if (!NMT_AFFECTED.test(text.text)) return;
    text.mapChars((char) => {
      const code = char.codePointAt(0)!;
      if ((code >= 0x01 && code <= 0x08) || code === 0x0b || code === 0x0e || code === 0x1f || code === 0x7f || code === 0x8f || code === 0x9f) return '';
      if (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x1680 || (code >= 0x200b && code <= 0x200f) || code === 0x2028 || code === 0x2029 || code === 0x2581 || code === 0xfeff || code === 0xfffd) return ' ';
      return char;
    });
  }
}

const NMT_AFFECTED = /[\x01-\x0d\x0e\x1f\x7f\x8f\x9f\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]/;

class PrecompiledNormalizer implements Normalizer {
  constructor(private readonly charsmap: PrecompiledCharsmap) {}

  normalize(text: NormalizedString): void {
    const changes = this.charsmap.hfTransformations(text.text);
    if (changes) text.transform(changes);
  }
}

class FunctionNormalizer implements Normalizer {
  constructor(readonly normalize: (text: NormalizedString) => void) {}
}

class SequenceNormalizer implements Normalizer {
  constructor(private readonly normalizers: Normalizer[]) {}

  normalize(text: NormalizedString): void {
    for (const normalizer of this.normalizers) normalizer.normalize(text);
  }
}

/** Builds the normalizer a tokenizer.json describes. */
export function normalizerFromJson(json: JsonObject, file: string): Normalizer {
  const type = requireField<string>(json, 'type', 'normalizer', file);
  switch (type) {
    case 'Sequence':
      return new SequenceNormalizer(requireField<JsonObject[]>(json, 'normalizers', 'Sequence normalizer', file).map((n) => normalizerFromJson(n, file)));
    case 'BertNormalizer': {
      const lower = (json.lowercase as boolean | undefined) ?? true;
      return new BertNormalizer(
        (json.clean_text as boolean | undefined) ?? true,
        (json.handle_chinese_chars as boolean | undefined) ?? true,
        (json.strip_accents as boolean | null | undefined) ?? lower,
        lower,
      );
    }
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return new FunctionNormalizer((text) => text.normalizeForm(type));
    case 'Lowercase':
      return new FunctionNormalizer(lowercase);
    case 'StripAccents':
      return new FunctionNormalizer((text) => removeMarks(text, COMBINING_MARK));
    case 'Strip': {
      const left = (json.strip_left as boolean | undefined) ?? true;
      const right = (json.strip_right as boolean | undefined) ?? true;
      return new FunctionNormalizer((text) => text.strip(left, right));
    }
    case 'Replace': {
      const pattern = patternOf(json, file);
      const content = requireField<string>(json, 'content', 'Replace normalizer', file);
      return new FunctionNormalizer((text) => text.replace(pattern, content));
    }
    case 'Prepend': {
      const prefix = requireField<string>(json, 'prepend', 'Prepend normalizer', file);
      return new FunctionNormalizer((text) => text.prepend(prefix));
    }
    case 'Nmt':
      return new NmtNormalizer();
    case 'Precompiled': {
      const data = json.precompiled_charsmap as string | null | undefined;
      // An empty charsmap (some converted models) normalizes nothing.
      if (!data) return new SequenceNormalizer([]);
      return new PrecompiledNormalizer(PrecompiledCharsmap.parse(Buffer.from(data, 'base64'), file));
    }
    default:
      throw new UnsupportedFeature(file, `normalizer "${type}"`);
  }
}
