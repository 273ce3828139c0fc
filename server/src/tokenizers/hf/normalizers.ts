/** tokenizer.json `normalizer` stage: each normalizer edits a NormalizedString in place, keeping its alignment. */
import { PrecompiledCharsmap } from '../precompiledCharsmap';
import { type CharChange, NormalizedString } from './normalizedString';
import { type JsonObject, patternOf, requireField, UnsupportedFeature } from './jsonConfig';

export interface Normalizer {
  normalize(text: NormalizedString): void;
}

/** BERT strips nonspacing marks only; the StripAccents normalizer strips every combining mark (Mn, Mc, Me). */
const NONSPACING_MARKS = /\p{Mn}/gu;
const COMBINING_MARKS = /\p{M}/gu;
const LOWERCASE_CHANGES = /\p{Changes_When_Lowercased}/gu;
/** BERT's clean_text removes NUL, U+FFFD and "Other" characters other than tab, newline and carriage return. */
const BERT_REMOVED = /[\0\ufffd\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
const KEPT_CONTROLS = /[\t\n\r]/;
/** Whitespace other than the space itself; every such character is one UTF-16 unit. */
const OTHER_WHITESPACE = /(?! )\p{White_Space}/gu;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2a6df}\u{2a700}-\u{2b81f}\u{2b920}-\u{2ceaf}\u{2f800}-\u{2fa1f}]/gu;

const NO_CHAR = (): string => '';

/** Rust's char::to_lowercase, one character at a time (so no context rules such as final sigma apply). */
function lowercase(text: NormalizedString): void {
  const lower = text.text.toLowerCase();
  if (lower === text.text) return;
  if (lower.length === text.text.length && !text.text.includes('\u03a3')) {
    // Same length and no context-sensitive capital sigma: each unit maps to the unit at the same place.
    text.text = lower;
    return;
  }
  text.mapChars((char) => char.toLowerCase(), LOWERCASE_CHANGES);
}

function removeMarks(text: NormalizedString, marks: RegExp): void {
  marks.lastIndex = 0;
  if (marks.test(text.text)) text.mapChars(NO_CHAR, marks);
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
    if (this.cleanText) {
      text.mapChars((char) => (KEPT_CONTROLS.test(char) ? char : ''), BERT_REMOVED);
      // One unit for one unit: the alignment stays as it is.
      text.text = text.text.replace(OTHER_WHITESPACE, ' ');
    }
    if (this.handleChineseChars) text.mapChars((char) => ` ${char} `, CJK);
    if (this.stripAccents) {
      text.normalizeForm('NFD');
      removeMarks(text, NONSPACING_MARKS);
    }
    if (this.lowercase) lowercase(text);
  }
}

/** SentencePiece's NMT normalizer: drops some control characters, maps others to a space. */
class NmtNormalizer implements Normalizer {
  normalize(text: NormalizedString): void {
    text.mapChars((char) => {
      const code = char.codePointAt(0)!;
      if ((code >= 0x01 && code <= 0x08) || code === 0x0b || code === 0x0e || code === 0x1f || code === 0x7f || code === 0x8f || code === 0x9f) return '';
      if (code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d || code === 0x1680 || (code >= 0x200b && code <= 0x200f) || code === 0x2028 || code === 0x2029 || code === 0x2581 || code === 0xfeff || code === 0xfffd) return ' ';
      return char;
    }, NMT_AFFECTED);
  }
}

const NMT_AFFECTED = /[\x01-\x0d\x0e\x1f\x7f\x8f\x9f\u1680\u200b-\u200f\u2028\u2029\u2581\ufeff\ufffd]/g;

/**
 * HF's Precompiled normalizer, applied only where it can change something: runs of non-ASCII text (with the
 * character before, which a combining mark joins into one grapheme) and the few ASCII characters the table maps.
 * Graphemes never span those boundaries, so the result is the same as normalizing the whole text — and
 * segmenting a long text into graphemes at once is slow.
 */
class PrecompiledNormalizer implements Normalizer {
  private readonly segments: RegExp;
  /** Segments repeat (a letter and a curly quote, a newline): their transformations are remembered. */
  private readonly cache = new Map<string, CharChange[] | undefined>();

  constructor(private readonly charsmap: PrecompiledCharsmap) {
    let mapped = '';
    for (let code = 0; code < 0x80; code++) {
      if (charsmap.hfTransformations(String.fromCharCode(code))) mapped += `\\x${code.toString(16).padStart(2, '0')}`;
    }
    // Each mapped ASCII character is a segment of its own, except CR LF, which is one grapheme.
    const single = mapped ? `|\\r\\n|[${mapped}]` : '';
    this.segments = new RegExp(`[\\x00-\\x7f]?[^\\x00-\\x7f]+${single}`, 'g');
  }

  normalize(text: NormalizedString): void {
    text.rewriteSegments(this.segments, (segment) => {
      if (this.cache.has(segment)) return this.cache.get(segment);
      const changes = this.charsmap.hfTransformations(segment);
      if (this.cache.size >= 50_000) this.cache.clear();
      this.cache.set(segment, changes);
      return changes;
    });
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
      return new FunctionNormalizer((text) => removeMarks(text, COMBINING_MARKS));
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
