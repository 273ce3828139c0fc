/**
 * Added tokens (tokenizer.json `added_tokens`): found in the text before the model sees it, leftmost-longest.
 * Tokens with `normalized: false` are matched on the raw text, the others on the normalized text; `single_word`,
 * `lstrip` and `rstrip` behave as in HF tokenizers (stripped whitespace becomes part of the token's range).
 */
import { TokenizerLoadError } from '../types';
import type { JsonObject } from './jsonConfig';
import { longestFirstAlternation } from '../specialTokens';
import { NormalizedString } from './normalizedString';
import type { Normalizer } from './normalizers';

export interface AddedToken {
  id: number;
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A piece of the input: either already one added token, or text still to pre-tokenize and tokenize. */
export interface Piece {
  text: NormalizedString;
  addedId?: number;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const WHITESPACE = /\p{White_Space}/u;

/** Leftmost-longest matching of a fixed set of strings with one alternation RegExp (longest alternative first). */
class Matcher {
  private readonly pattern: RegExp | undefined;
  private readonly byContent = new Map<string, AddedToken>();

  constructor(tokens: Array<{ pattern: string; token: AddedToken }>) {
    for (const { pattern, token } of tokens) if (pattern.length > 0 && !this.byContent.has(pattern)) this.byContent.set(pattern, token);
    this.pattern = longestFirstAlternation(this.byContent.keys(), 'gu');
  }

  /** Splits `text` around matches of tokens allowed by `allow`, applying single_word / lstrip / rstrip. */
  split(text: NormalizedString, allow: (token: AddedToken) => boolean, out: Piece[]): void {
    const sentence = text.text;
    if (!this.pattern) {
      if (sentence.length > 0) out.push({ text });
      return;
    }
    let done = 0;
    this.pattern.lastIndex = 0;
    for (let m = this.pattern.exec(sentence); m !== null; m = this.pattern.exec(sentence)) {
      const token = this.byContent.get(m[0])!;
      let start = m.index;
      let stop = start + m[0].length;
      if (!allow(token)) continue;
      if (token.singleWord) {
        const wordBefore = start > 0 && WORD_CHAR.test(lastChar(sentence, start));
        const wordAfter = stop < sentence.length && WORD_CHAR.test(String.fromCodePoint(sentence.codePointAt(stop)!));
        if (wordBefore || wordAfter) continue;
      }
      if (token.lstrip) {
        let newStart = start;
        while (newStart > 0 && WHITESPACE.test(sentence[newStart - 1])) newStart--;
        start = Math.max(newStart, done);
      }
      if (token.rstrip) while (stop < sentence.length && WHITESPACE.test(sentence[stop])) stop++;
      if (done < start) out.push({ text: text.slice(done, start) });
      out.push({ text: text.slice(start, stop), addedId: token.id });
      done = stop;
      this.pattern.lastIndex = stop;
    }
    if (done < sentence.length) out.push({ text: text.slice(done, sentence.length) });
  }
}

function lastChar(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  return code >= 0xdc00 && code <= 0xdfff && end >= 2 ? text.slice(end - 2, end) : text[end - 1];
}


export class AddedVocabulary {
  readonly byId = new Map<number, AddedToken>();
  private readonly raw: Matcher;
  private readonly normalized: Matcher;

  constructor(tokens: AddedToken[], normalizer: Normalizer | undefined) {
    for (const token of tokens) {
      this.byId.set(token.id, token);
    }
    const normalize = (content: string): string => {
      if (!normalizer) return content;
      const text = new NormalizedString(content, 0, false);
      normalizer.normalize(text);
      return text.text;
    };
    this.raw = new Matcher(tokens.filter((t) => !t.normalized).map((token) => ({ pattern: token.content, token })));
    this.normalized = new Matcher(tokens.filter((t) => t.normalized).map((token) => ({ pattern: normalize(token.content), token })));
  }

  /**
   * Finds added tokens and normalizes the text between them (HF's extract_and_normalize). With `allowSpecial`
   * false, special tokens' text is ordinary text.
   */
  extractAndNormalize(input: string, normalizer: Normalizer | undefined, allowSpecial: boolean, track: boolean): Piece[] {
    const allow = (token: AddedToken): boolean => allowSpecial || !token.special;
    const rawPieces: Piece[] = [];
    this.raw.split(new NormalizedString(input, 0, track), allow, rawPieces);
    const pieces: Piece[] = [];
    for (const piece of rawPieces) {
      if (piece.addedId !== undefined) {
        pieces.push(piece);
        continue;
      }
      normalizer?.normalize(piece.text);
      this.normalized.split(piece.text, allow, pieces);
    }
    return pieces;
  }
}

export function addedTokensFromJson(list: unknown, file: string): AddedToken[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TokenizerLoadError(file, '"added_tokens" must be a list');
  return list.map((entry: JsonObject, index) => {
    if (typeof entry?.id !== 'number' || typeof entry.content !== 'string') {
      throw new TokenizerLoadError(file, `added token ${index + 1} needs a numeric "id" and a string "content"`);
    }
    const special = entry.special === true;
    return {
      id: entry.id,
      content: entry.content,
      singleWord: entry.single_word === true,
      lstrip: entry.lstrip === true,
      rstrip: entry.rstrip === true,
      normalized: (entry.normalized as boolean | undefined) ?? !special,
      special,
    };
  });
}
