/**
 * Embedding Lens's own LSP messages, declared once and imported by the client, the server and tests.
 * Any LSP client may send them; standard hovers work without them.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { Hover, Position, Range, TextDocumentIdentifier } from 'vscode-languageserver-protocol';

export interface TokenizerEntry {
  id: string;
  description: string;
  family: string;
}

export interface ListTokenizersResult {
  tokenizers: TokenizerEntry[];
  active: string;
}
export const ListTokenizersRequest = new RequestType0<ListTokenizersResult, void>('embeddingLens/listTokenizers');

export interface TokenCountsParams {
  textDocument: TextDocumentIdentifier;
  /** Count these ranges too (e.g. the editor's selections); empty ones count 0. */
  ranges: Range[];
}
export interface TokenCountsResult {
  tokenizer: string;
  /** null while the document's count is still being computed; a DocumentTokenCountNotification follows. */
  document: number | null;
  ranges: number[];
}
export const TokenCountsRequest = new RequestType<TokenCountsParams, TokenCountsResult, void>('embeddingLens/tokenCounts');

export interface DocumentTokenCountParams {
  uri: string;
  version: number;
  tokenizer: string;
  count: number;
}
/** Sent by the server whenever a document's token count is (re)computed. */
export const DocumentTokenCountNotification = new NotificationType<DocumentTokenCountParams>('embeddingLens/documentTokenCount');

export interface TokenBoundariesParams {
  textDocument: TextDocumentIdentifier;
  /** Usually the visible ranges; each is tokenized from the start of its first line. */
  ranges: Range[];
}
export interface TokenBoundariesResult {
  tokenizer: string;
  /** Flat [start0, end0, start1, end1, …] document offsets (UTF-16 units) of the tokens, in order. */
  offsets: number[];
}
export const TokenBoundariesRequest = new RequestType<TokenBoundariesParams, TokenBoundariesResult, void>('embeddingLens/tokenBoundaries');

export interface SelectionHoverParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
  /** The selection the hover is inside: it is tokenized instead of the line. */
  selection: Range;
}
export const SelectionHoverRequest = new RequestType<SelectionHoverParams, Hover | null, void>('embeddingLens/selectionHover');

export interface CompareTokenizersParams {
  textDocument: TextDocumentIdentifier;
  /** Compare this range (e.g. the selection); the whole document when absent. */
  range?: Range;
  /** Names or paths; absent or empty: the `embeddingLens.compare.tokenizers` setting (or its default). */
  tokenizers?: string[];
}
export interface ComparedToken {
  id: number;
  /** Readable text of the token (Tokenizer.tokenText). */
  text: string;
  /** Document offsets (UTF-16 units), [start, end). */
  start: number;
  end: number;
}
export interface TokenizerComparison {
  /** A bundled name, or the tokenizer file's absolute path (relative settings are resolved). */
  tokenizer: string;
  /** Short display name (a file's model folder, e.g. bert-base-uncased). */
  label: string;
  count: number;
  /** Unicode code points and UTF-8 bytes per token; null when there are no tokens. */
  charsPerToken: number | null;
  bytesPerToken: number | null;
  /** Share of tokens that are the unknown token; 0 for tokenizers without one (byte-level). */
  unknownRate: number;
  /** The unknown token's id (BERT's [UNK]), to mark those tokens; absent for byte-level tokenizers. */
  unknownTokenId?: number;
  /** The first tokens of the text, in order; `tokensTruncated` when there are more. */
  tokens: ComparedToken[];
  tokensTruncated: boolean;
}
export interface FailedTokenizerComparison {
  tokenizer: string;
  label: string;
  error: string;
}
export interface CompareTokenizersResult {
  uri: string;
  version: number;
  /** What was compared: the given range, or the whole document. */
  range: Range;
  characters: number;
  bytes: number;
  comparisons: (TokenizerComparison | FailedTokenizerComparison)[];
}
/** Each tokenizer's split and statistics of a document or range, side by side. Counts without special tokens. */
export const CompareTokenizersRequest = new RequestType<CompareTokenizersParams, CompareTokenizersResult | null, void>('embeddingLens/compareTokenizers');

/** Settings under `embeddingLens`, as the server reads them. */
export interface EmbeddingLensSettings {
  tokenizer: string;
  hover: { enabled: boolean; tokenizers: string[] };
  compare: { tokenizers: string[] };
  /** Paragraphs with more tokens than `maxTokens` (special tokens included) get a warning; empty tokenizer: off. */
  chunkLimit: { tokenizer: string; maxTokens: number };
}
export const DEFAULT_SETTINGS: EmbeddingLensSettings = {
  tokenizer: 'cl100k_base',
  hover: { enabled: true, tokenizers: [] },
  compare: { tokenizers: [] },
  chunkLimit: { tokenizer: '', maxTokens: 512 },
};

/** What the client passes in `initializationOptions`. */
export interface EmbeddingLensInitializationOptions {
  /** VS Code's global storage folder for the extension; Hub downloads are cached below it. */
  globalStoragePath?: string;
}

export interface DownloadHubTokenizerParams {
  /** `name` or `org/name` on the Hugging Face Hub. */
  modelId: string;
  /** Branch, tag or commit; default `main`. */
  revision?: string;
  /** Access token for gated or private models; else the server's HF_TOKEN, else the token `huggingface-cli login` saved. */
  token?: string;
  /** Client-created work-done progress (bytes as they arrive, cancellable); without it the server creates one if it may. */
  workDoneToken?: number | string;
}
export interface DownloadHubTokenizerResult {
  /** The downloaded tokenizer file, ready for `embeddingLens.tokenizer`. */
  path: string;
}
/** Error data: why the download failed (e.g. 'unauthorized' to offer setting a token). */
export interface DownloadHubTokenizerErrorData {
  reason: import('./hub/hubErrors').HubErrorReason;
}
/**
 * Downloads a model's tokenizer from the Hugging Face Hub once (later requests answer from the cache, offline),
 * resuming partial downloads and checking each file against the Hub's hash. The endpoint is the setting
 * `embeddingLens.hub.endpoint`, else HF_ENDPOINT, else https://huggingface.co.
 */
export const DownloadHubTokenizerRequest = new RequestType<DownloadHubTokenizerParams, DownloadHubTokenizerResult, DownloadHubTokenizerErrorData>(
  'embeddingLens/downloadHubTokenizer',
);

export interface TrainTokenizerParams {
  model: 'bpe' | 'wordpiece' | 'unigram';
  /** Vocabulary size, special tokens included. */
  vocabSize: number;
  /** BPE and WordPiece: least count of a merged pair (default 2). */
  minFrequency?: number;
  specialTokens?: string[];
  characterCoverage?: number;
  /** Files or folders (paths or file: URIs) to train on; absent or empty: the workspace folder's text files. */
  paths?: string[];
  /** Where to write; default `<workspace>/.embedding-lens/tokenizers/<model>-<vocabSize>.json`. */
  output?: string;
  workDoneToken?: number | string;
}
export interface TrainTokenizerResult {
  /** The written tokenizer.json, ready for `embeddingLens.tokenizer`. */
  path: string;
  /** Tokens in the trained vocabulary (a small corpus may give fewer than asked). */
  vocabSize: number;
  /** How many files were read. */
  files: number;
}
/** Trains a tokenizer on workspace files in a worker thread, with work-done progress; cancelling writes nothing. */
export const TrainTokenizerRequest = new RequestType<TrainTokenizerParams, TrainTokenizerResult, void>('embeddingLens/trainTokenizer');

// ── Word vectors ────────────────────────────────────────────────────────────────────────────────────────────────

/** A problem in a vectors file that did not stop it from loading (e.g. a duplicate word), with its line when known. */
export interface WordVectorsWarning {
  line?: number;
  message: string;
}
/** The active word vectors, as loaded. */
export interface WordVectorsInfo {
  /** Absolute path of the vectors file. */
  path: string;
  /** The file's format as the reader detected it (fastText's .vec is word2vec-text). */
  format: import('./vectors/vectorFiles').VectorFormat;
  words: number;
  dim: number;
  /** True for fastText .bin models: words without a row still get vectors from their character n-grams. */
  subwords: boolean;
  warnings: WordVectorsWarning[];
}

export interface LoadWordVectorsParams {
  /** The file (path or file: URI; relative paths are taken from the workspace folder). */
  path: string;
  /** Force a format instead of detecting it from the contents. */
  format?: import('./vectors/vectorFiles').VectorFormat;
  /** Client-created work-done progress (bytes read, cancellable). */
  workDoneToken?: number | string;
}
/**
 * Loads a vectors file (streamed off the message loop, with progress) and makes it the server's active vectors.
 * The client then records it in `embeddingLens.wordVectors.file`; the server keeps what it loaded for that path.
 */
export const LoadWordVectorsRequest = new RequestType<LoadWordVectorsParams, WordVectorsInfo, void>('embeddingLens/loadWordVectors');

export type WordVectorsStatus =
  | { state: 'none' }
  | { state: 'loading'; path: string }
  | { state: 'ready'; info: WordVectorsInfo }
  | { state: 'failed'; path: string; error: string };
/** What vectors are active: none, loading, ready (with their shape) or failed to load (with why). */
export const WordVectorsStatusRequest = new RequestType0<WordVectorsStatus, void>('embeddingLens/wordVectorsStatus');

export type WordVectorAlgorithm = 'word2vec' | 'fasttext' | 'glove';
export interface TrainWordVectorsParams {
  algo: WordVectorAlgorithm;
  /** word2vec and fastText: skip-gram (default) or CBOW. */
  mode?: 'skipgram' | 'cbow';
  /** word2vec and fastText: negative sampling (default) or hierarchical softmax. */
  loss?: 'ns' | 'hs';
  dim?: number;
  window?: number;
  epochs?: number;
  /** Words seen fewer times are dropped (default 5; small workspaces want 1 or 2). */
  minCount?: number;
  negative?: number;
  threads?: number;
  /** word2vec and fastText: sub-sampling threshold of frequent words (default 1e-3; 0 turns it off). */
  sample?: number;
  /** fastText: character n-gram lengths, minn..maxn (default 3..6; maxn 0 turns subwords off). */
  minn?: number;
  maxn?: number;
  /** Lower-case the text before splitting it into words (default true). */
  lowercase?: boolean;
  /** Files or folders (paths or file: URIs) to train on; absent or empty: the workspace folder's text files. */
  paths?: string[];
  /** Output name without extension; default `<algo>-<mode>-<dim>` (GloVe: `glove-<dim>`). */
  name?: string;
  /** Where to write the .vec (absolute or workspace-relative); default `.embedding-lens/vectors/<name>.vec`. */
  output?: string;
  workDoneToken?: number | string;
}
export interface TrainWordVectorsResult {
  /** The written .vec file (word2vec text format), now the server's active vectors. */
  path: string;
  /** fastText: the .bin model beside it, which also gives vectors to unseen words. */
  binPath?: string;
  words: number;
  dim: number;
  /** Files read and words (tokens) trained on. */
  files: number;
  tokens: number;
  seconds: number;
}
/**
 * Trains word vectors on workspace files in a worker thread with work-done progress (words/s, learning rate,
 * time left, loss). Files are written atomically once training has finished; cancelling writes nothing.
 */
export const TrainWordVectorsRequest = new RequestType<TrainWordVectorsParams, TrainWordVectorsResult, void>('embeddingLens/trainWordVectors');

export interface WordNeighbour {
  word: string;
  similarity: number;
}
export type WordVectorQuery =
  /** Nearest words to the sum of `positive` minus `negative` (unit vectors), as gensim's most_similar. */
  | { kind: 'similar'; positive: string[]; negative?: string[]; topn?: number; restrictVocab?: number }
  /** a is to b as c is to ?: nearest to b − a + c (3CosAdd, default) or by 3CosMul. */
  | { kind: 'analogy'; a: string; b: string; c: string; method?: 'add' | 'mul'; topn?: number; restrictVocab?: number }
  /** The word that fits least with the others. */
  | { kind: 'doesntMatch'; words: string[] };
export type WordVectorQueryResult =
  | { kind: 'similar'; query: Extract<WordVectorQuery, { kind: 'similar' }>; neighbours: WordNeighbour[] }
  | { kind: 'analogy'; query: Extract<WordVectorQuery, { kind: 'analogy' }>; neighbours: WordNeighbour[] }
  | { kind: 'doesntMatch'; query: Extract<WordVectorQuery, { kind: 'doesntMatch' }>; odd: string; similarities: WordNeighbour[] };
/** Queries the active vectors; an unknown word or no active vectors is an error that says so. */
export const WordVectorQueryRequest = new RequestType<WordVectorQuery, WordVectorQueryResult, void>('embeddingLens/wordVectorQuery');

export interface EvaluateWordVectorsParams {
  /** A `questions-words.txt`-style analogy file (`: section` lines, then `a b c d`). */
  analogies?: string;
  /** Word-pair similarity files (`word1 word2 score`, as WordSim-353 and SimLex-999). */
  pairs?: string[];
  /**
   * Only the first (most frequent) N words take part, in analogies and in word pairs alike (gensim's restrict_vocab);
   * default 300,000, as gensim.
   */
  restrictVocab?: number;
  /** Compare words upper-cased, as gensim does by default (default true). */
  caseInsensitive?: boolean;
  /** Client-created work-done progress (cancellable). */
  workDoneToken?: number | string;
  /** Word Embedding Association Tests to run. */
  weat?: WeatRequest;
}
/** WEAT word sets: built-in ones by id (`WEAT_SETS`) and JSON files of `{ title?, targetX, targetY, attributeA, attributeB }` or arrays of them. */
export interface WeatRequest {
  sets?: string[];
  files?: string[];
}
export interface AnalogySectionScore {
  section: string;
  correct: number;
  /** Questions whose four words are all known (and within restrictVocab). */
  total: number;
  accuracy: number;
}
export interface AnalogyScores {
  file: string;
  sections: AnalogySectionScore[];
  total: AnalogySectionScore;
  /** Questions skipped because a word is unknown. */
  skipped: number;
  /** skipped as a share of the well-formed questions. */
  oovRatio: number;
  /** Line numbers that are neither ": section" nor four words; left out, as gensim does. */
  invalidLines: number[];
}
export interface PairScores {
  file: string;
  pearson: number;
  spearman: number;
  /** Share of pairs with an unknown word (they are left out of the correlations). */
  oovRatio: number;
  pairs: number;
  /** Two-sided p-values of the correlations. */
  pearsonP: number;
  spearmanP: number;
  /** Pairs left out for an unknown word. */
  skipped: number;
  /** 1-based numbers of lines that are not `word1 word2 score` (left out). */
  invalidLines: number[];
}
export interface WeatScores {
  /** The built-in set's id, or the JSON file the set came from. */
  id?: string;
  file?: string;
  title: string;
  effectSize: number;
  /** One-sided permutation p-value. */
  pValue: number;
  /** Partitions counted; all of them when exact. */
  permutations: number;
  exact: boolean;
  /** Words of the four sets without a vector (left out). */
  missing: string[];
}
export interface EvaluateWordVectorsResult {
  vectors: string;
  analogies?: AnalogyScores;
  pairs: PairScores[];
  weat?: WeatScores[];
}
/**
 * Scores the active vectors on analogy and word-pair files, as gensim's evaluate_word_analogies / evaluate_word_pairs
 * (in a worker thread, with work-done progress; cancelling stops it), and by WEAT.
 */
export const EvaluateWordVectorsRequest = new RequestType<EvaluateWordVectorsParams, EvaluateWordVectorsResult, void>('embeddingLens/evaluateWordVectors');
