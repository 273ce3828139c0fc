/** What every tokenizer family produces and accepts. No editor or LSP types here: engines are plain modules. */

export interface EncodeOptions {
  /** Text of special tokens becomes special tokens (tiktoken's allowed_special="all"); otherwise it is plain text. */
  allowSpecial?: boolean;
  /** Apply the tokenizer's post-processing template (HF semantics). Tokenizers without one ignore it. */
  addSpecialTokens?: boolean;
}

/** [start, end) in UTF-16 code units of the encoded string, ready for editor positions. */
export type Offset = [start: number, end: number];

export interface Encoding {
  ids: number[];
  /**
   * Each token as its tokenizer spells it: HF's `tokens` (e.g. "Ġworld", "##ing", an unknown Unigram span as its
   * text), SentencePiece's pieces; tiktoken's rank files hold only bytes, so there it is tokenText.
   */
  tokens: string[];
  offsets: Offset[];
}

export interface Tokenizer {
  readonly name: string;
  readonly vocabSize: number;
  /** The id the model emits for text it cannot represent (BERT's [UNK]); undefined for byte-level models that have none. */
  readonly unknownTokenId?: number;
  encode(text: string, options?: EncodeOptions): Encoding;
  /** Ids only: the fast path for counting and benchmarks. */
  encodeIds(text: string, options?: EncodeOptions): number[];
  count(text: string, options?: EncodeOptions): number;
  decode(ids: readonly number[]): string;
  /** The token as readable text: its UTF-8 text, with bytes that are not whole characters shown as <0xNN>. */
  tokenText(id: number): string;
}

/** A tokenizer file or asset that cannot be used. The message names the file and the problem. */
export class TokenizerLoadError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'TokenizerLoadError';
  }
}
