import type { Tokenizer } from '../tokenizers/types';
import { paragraphChunks } from './paragraphChunks';

export interface LongParagraph {
  /** Offsets (UTF-16 units) of the paragraph in the text. */
  start: number;
  end: number;
  count: number;
}

/**
 * The paragraphs with more than `maxTokens` tokens as an embedding model counts them: with the special tokens
 * its post-processor adds ([CLS] … [SEP]), since those take room in the model's input too.
 */
export function longParagraphs(tokenizer: Tokenizer, text: string, markdown: boolean, maxTokens: number): LongParagraph[] {
  const found: LongParagraph[] = [];
  for (const [start, end] of paragraphChunks(text, markdown)) {
    const count = tokenizer.count(text.slice(start, end), { addSpecialTokens: true });
    if (count > maxTokens) found.push({ start, end, count });
  }
  return found;
}
