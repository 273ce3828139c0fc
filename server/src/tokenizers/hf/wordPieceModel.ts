/**
 * WordPiece (BERT): greedy longest match from the start of the word, continuation pieces spelled with a prefix ("##").
 * A word with any part outside the vocabulary, or longer than the limit, becomes one unknown token.
 */
import { TokenizerLoadError } from '../types';
import { type JsonObject, requireField } from './jsonConfig';
import { TokenBuffer, VocabularyModel, Vocabulary, WordCache } from './model';
import { unitsAt } from './normalizedString';

export class WordPieceModel extends VocabularyModel {
  readonly unknownId: number;
  private readonly cache = new WordCache();
  /** No vocabulary entry is longer than this, so longer candidate pieces need no lookup. */
  private readonly longestPiece: number;

  constructor(
    vocab: Vocabulary,
    unkToken: string,
    private readonly prefix: string,
    private readonly maxCharsPerWord: number,
    file: string,
  ) {
    super(vocab);
    const unknownId = vocab.byToken.get(unkToken);
    if (unknownId === undefined) throw new TokenizerLoadError(file, `WordPiece unknown token "${unkToken}" is not in the vocabulary`);
    this.unknownId = unknownId;
    let longest = 0;
    for (const token of vocab.byToken.keys()) longest = Math.max(longest, token.length);
    this.longestPiece = longest;
  }

  tokenize(word: string, out: TokenBuffer): void {
    const packed = this.cache.get(word, (w) => this.split(w));
    for (let i = 0; i < packed.length; i += 3) out.push(packed[i], packed[i + 1], packed[i + 2]);
  }

  /** The pieces of `word` as [id, start, end, …]. */
  private split(word: string): Int32Array {
    const whole = this.vocab.byToken.get(word);
    if (whole !== undefined) return Int32Array.of(whole, 0, word.length);
    const unknown = Int32Array.of(this.unknownId, 0, word.length);
    if (countChars(word, this.maxCharsPerWord + 1) > this.maxCharsPerWord) return unknown;
    const pieces: number[] = [];
    for (let start = 0; start < word.length; ) {
      const prefix = start > 0 ? this.prefix : '';
      let end = Math.min(word.length, start + this.longestPiece - prefix.length);
      // Never end inside a surrogate pair.
      if (end < word.length && end > start && unitsAt(word, end - 1) === 2) end++;
      let found = -1;
      while (end > start) {
        const id = this.vocab.byToken.get(prefix + word.slice(start, end));
        if (id !== undefined) {
          found = id;
          break;
        }
        end -= isLowSurrogateAt(word, end - 1) && end - 2 >= start ? 2 : 1;
      }
      if (found === -1) return unknown;
      pieces.push(found, start, end);
      start = end;
    }
    return Int32Array.from(pieces);
  }
}

function isLowSurrogateAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const high = text.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
}

/** Characters in `text`, counting no further than `limit`. */
function countChars(text: string, limit: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count < limit; i += unitsAt(text, i)) count++;
  return count;
}

export function wordPieceModelFromJson(json: JsonObject, vocab: Vocabulary, file: string): WordPieceModel {
  return new WordPieceModel(
    vocab,
    requireField<string>(json, 'unk_token', 'WordPiece model', file),
    (json.continuing_subword_prefix as string | undefined) ?? '##',
    (json.max_input_chars_per_word as number | undefined) ?? 100,
    file,
  );
}
