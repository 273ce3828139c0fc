import type { EmbeddingLensSettings } from '../protocol';

/** Compared beside the active tokenizer when the setting lists none: the common OpenAI encodings. */
const BUNDLED_COMPANIONS = ['cl100k_base', 'o200k_base', 'gpt2'];
const DEFAULT_COMPARISON_SIZE = 3;

/** The active tokenizer and a couple of bundled ones. Shared by the server and the client ("Add to Comparison"). */
export function defaultComparison(active: string): string[] {
  return unique([active, ...BUNDLED_COMPANIONS]).slice(0, DEFAULT_COMPARISON_SIZE);
}

/** The tokenizers the compare view shows: `embeddingLens.compare.tokenizers`, or the default. */
export function comparisonTokenizers(settings: EmbeddingLensSettings): string[] {
  return settings.compare.tokenizers.length > 0 ? unique(settings.compare.tokenizers) : defaultComparison(settings.tokenizer);
}

export function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
