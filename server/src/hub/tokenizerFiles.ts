/** Which files of a Hub model make up its tokenizer, in the forms the TokenizerCatalog loads. */

/** In order of preference: a Hugging Face tokenizer.json, else a SentencePiece model, else a BERT vocabulary. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer.model', 'spiece.model', 'sentencepiece.bpe.model', 'vocab.txt'] as const;

/** Settings that go with the tokenizer file (special tokens, lower-casing), fetched when the model has them. */
export const COMPANION_FILES = ['tokenizer_config.json', 'special_tokens_map.json'] as const;

export interface TokenizerFileChoice {
  tokenizerFile: string;
  /** Every file to fetch: the companions first and the tokenizer file last (it is the big one progress is about). */
  files: string[];
}

/** The files to fetch among those the model has (top-level names), or undefined when it has no tokenizer file. */
export function chooseTokenizerFiles(available: Iterable<string>): TokenizerFileChoice | undefined {
  const names = new Set(available);
  const tokenizerFile = TOKENIZER_FILES.find((name) => names.has(name));
  if (!tokenizerFile) return undefined;
  return { tokenizerFile, files: [...COMPANION_FILES.filter((name) => names.has(name)), tokenizerFile] };
}
