/** Reading tokenizer.json sections, and the character classes HF tokenizers' components share. */
import { TokenizerLoadError } from '../types';
import { onigToJsRegExp } from './onigRegex';

export type JsonObject = Record<string, unknown>;

/** A tokenizer.json feature this engine does not implement: refused by name rather than split wrongly. */
export class UnsupportedFeature extends TokenizerLoadError {
  constructor(file: string, feature: string) {
    super(file, `unsupported tokenizer feature: ${feature}`);
  }
}

export function requireField<T>(json: JsonObject, field: string, where: string, file: string): T {
  const value = json[field];
  if (value === undefined || value === null) throw new TokenizerLoadError(file, `${where} has no "${field}"`);
  return value as T;
}

/** A `{ "String": … }` or `{ "Regex": … }` pattern, as a literal string or a global RegExp. */
export function patternOf(json: JsonObject, file: string): RegExp | string {
  const pattern = requireField<JsonObject>(json, 'pattern', `${String(json.type)}`, file);
  if (typeof pattern.String === 'string') return pattern.String;
  if (typeof pattern.Regex === 'string') {
    try {
      return onigToJsRegExp(pattern.Regex);
    } catch (error) {
      throw new UnsupportedFeature(file, `regex ${JSON.stringify(pattern.Regex)} (${(error as Error).message})`);
    }
  }
  throw new TokenizerLoadError(file, `${String(json.type)} pattern must be {"String": …} or {"Regex": …}`);
}

/** Unicode "Other" as HF's tables have it: control, format, private use, surrogates — not unassigned. */
const OTHER = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;
const WHITE_SPACE = /\p{White_Space}/u;
const PUNCTUATION = /\p{P}/u;

/** BERT's control test: the "Other" categories above, except tab, newline and carriage return. */
export function isControl(char: string): boolean {
  if (char === '\t' || char === '\n' || char === '\r') return false;
  return OTHER.test(char);
}

export function isWhitespaceChar(char: string): boolean {
  return WHITE_SPACE.test(char);
}

/** BERT's punctuation: ASCII symbols and punctuation, and Unicode P*. */
export function isBertPunctuation(char: string): boolean {
  const code = char.charCodeAt(0);
  if ((code >= 33 && code <= 47) || (code >= 58 && code <= 64) || (code >= 91 && code <= 96) || (code >= 123 && code <= 126)) return true;
  return PUNCTUATION.test(char);
}

/** The CJK Unified Ideograph blocks BERT puts spaces around. */
export function isChineseChar(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x20000 && code <= 0x2a6df) ||
    (code >= 0x2a700 && code <= 0x2b73f) ||
    (code >= 0x2b740 && code <= 0x2b81f) ||
    (code >= 0x2b920 && code <= 0x2ceaf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x2f800 && code <= 0x2fa1f)
  );
}
