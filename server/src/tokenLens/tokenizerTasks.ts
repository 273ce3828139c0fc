/**
 * Tokenizer work on whole documents, declared once: the server runs a task inline when the text is small and
 * in the counting worker when it is big, and both call the same function from this table.
 */
import { tokenizeForComparison } from '../compare/comparisonTokens';
import { textSize } from '../compare/textSize';
import { longParagraphs } from '../diagnostics/longParagraphs';
import type { Tokenizer } from '../tokenizers/types';

export const TOKENIZER_TASKS = {
  count: (tokenizer: Tokenizer, { text }: { text: string }) => tokenizer.count(text),
  /** The split and counts for the compare view, and the text's size (measured here too: off the message loop). */
  compare: (tokenizer: Tokenizer, { text, start }: { text: string; start: number }) => ({
    ...tokenizeForComparison(tokenizer, text, start),
    size: textSize(text),
  }),
  /** Paragraphs over an embedding model's limit (splitting a 50 MB text into paragraphs is work too). */
  longParagraphs: (tokenizer: Tokenizer, { text, markdown, maxTokens }: { text: string; markdown: boolean; maxTokens: number }) =>
    longParagraphs(tokenizer, text, markdown, maxTokens),
};

export type TaskName = keyof typeof TOKENIZER_TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TOKENIZER_TASKS)[K]>[1];
export type TaskOutput<K extends TaskName> = ReturnType<(typeof TOKENIZER_TASKS)[K]>;

export function runTokenizerTask<K extends TaskName>(task: K, tokenizer: Tokenizer, input: TaskInput<K>): TaskOutput<K> {
  const run = TOKENIZER_TASKS[task] as (tokenizer: Tokenizer, input: TaskInput<K>) => TaskOutput<K>;
  return run(tokenizer, input);
}
