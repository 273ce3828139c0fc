/**
 * How a line of corpus text becomes words for word-vector training. Three splitters, one interface:
 * - unicode: runs of letters, marks and digits (inner apostrophes and hyphens kept, so "don't" and "well-known" stay
 *   whole); runs of Chinese/Japanese script, which have no spaces, are cut into words by Intl.Segmenter;
 * - letters: lower-cased runs of letters, everything else a separator (the benchmark's "split on non-letters");
 * - tokenizer: the tokens of any engine tokenizer, as their text.
 */
import type { Tokenizer } from '../../tokenizers/types';

export interface WordSplitter {
  /** For messages and file names: "unicode", "unicode-lowercase", "letters", "tokenizer:cl100k_base". */
  readonly name: string;
  /** The words of one line (without its line ending), in order. */
  words(line: string): string[];
}

/** Letters, marks and digits, with inner apostrophes and hyphens ("don't", "well-known"). Global: reset lastIndex, or use matchAll. */
export const UNICODE_WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;
const SPACELESS_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER_RUN = /\p{L}+/gu;
const WHITESPACE = /\s/gu;

/** Words as people write them in most scripts; Chinese and Japanese runs go through a dictionary segmenter. */
export function unicodeSplitter(options: { lowercase: boolean }): WordSplitter {
  // One segmenter for both: ICU's CJ dictionary covers Chinese and Japanese whatever the locale given.
  const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });
  return {
    name: options.lowercase ? 'unicode-lowercase' : 'unicode',
    words(line) {
      const text = options.lowercase ? line.toLowerCase() : line;
      const words: string[] = [];
      for (const match of text.matchAll(UNICODE_WORD)) {
        const run = match[0];
        if (!SPACELESS_SCRIPT.test(run)) {
          words.push(run);
          continue;
        }
        for (const segment of segmenter.segment(run)) if (segment.isWordLike) words.push(segment.segment);
      }
      return words;
    },
  };
}

/** Lower-cased runs of letters (\p{L}); digits, marks and punctuation separate words. */
export function lettersSplitter(): WordSplitter {
  return {
    name: 'letters',
    words(line) {
      return line.toLowerCase().match(LETTER_RUN) ?? [];
    },
  };
}

/**
 * The tokenizer's tokens as text (tokenText). Vector files separate words by whitespace, so whitespace inside a token
 * (" world" in byte-level BPE) is written as "▁", as SentencePiece does; tokens that are only whitespace are dropped.
 */
export function tokenizerSplitter(tokenizer: Tokenizer): WordSplitter {
  const texts = new Map<number, string>();
  const textOf = (id: number): string => {
    let text = texts.get(id);
    if (text === undefined) {
      const raw = tokenizer.tokenText(id);
      text = raw.trim() === '' ? '' : raw.replace(WHITESPACE, '▁');
      texts.set(id, text);
    }
    return text;
  };
  return {
    name: `tokenizer:${tokenizer.name}`,
    words(line) {
      const words: string[] = [];
      for (const id of tokenizer.encodeIds(line)) {
        const text = textOf(id);
        if (text !== '') words.push(text);
      }
      return words;
    },
  };
}
