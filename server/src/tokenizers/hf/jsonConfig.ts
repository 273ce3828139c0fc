/** Reading tokenizer.json sections. */
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
