/**
 * The words a trainer counts: each line goes through the very normalizer and pre-tokenizer the trained
 * tokenizer.json will have (our engine's implementation of them), as Hugging Face's trainers feed theirs.
 */
import { NormalizedString } from '../hf/normalizedString';
import { normalizerFromJson } from '../hf/normalizers';
import { preTokenizerFromJson } from '../hf/preTokenizers';
import { forEachCorpusLine } from './corpusLines';
import type { PipelineSections } from './tokenizerJson';
import { WordCounts } from './wordCounts';

export type WordSplitter = (line: string) => string[];

const PIPELINE_NAME = 'training pipeline';

export function wordSplitter(sections: PipelineSections): WordSplitter {
  const normalizer = sections.normalizer ? normalizerFromJson(sections.normalizer, PIPELINE_NAME) : undefined;
  const preTokenizer = preTokenizerFromJson(sections.pre_tokenizer, PIPELINE_NAME);
  return (line) => {
    // No alignment: training needs the words, not where they came from.
    const text = new NormalizedString(line, 0, false);
    normalizer?.normalize(text);
    if (text.text.length === 0) return [];
    return preTokenizer.preTokenize([text]).map((piece) => piece.text);
  };
}

export interface CountWordsOptions {
  splitter: WordSplitter;
  /** Keep line endings (HF's trainers do: byte-level BPE learns "Ċ"); SentencePiece-style training drops them. */
  keepLineEnds: boolean;
  /** Appended to the last word of each line, so words that end lines are counted apart (Unigram seeds need it). */
  lineFinalMark?: string;
  maxWords?: number;
  signal?: AbortSignal;
  onBytes?(done: number, total: number): void;
}

/** Word counts of the files, bounded in memory (see WordCounts). */
export async function countCorpusWords(files: readonly string[], options: CountWordsOptions): Promise<WordCounts> {
  const words = new WordCounts(options.maxWords);
  const { splitter, lineFinalMark } = options;
  await forEachCorpusLine(files, options, (line) => {
    const lineWords = splitter(line);
    const last = lineWords.length - 1;
    for (let i = 0; i < last; i++) words.add(lineWords[i]);
    if (last >= 0) words.add(lineFinalMark === undefined ? lineWords[last] : lineWords[last] + lineFinalMark);
  });
  return words;
}
