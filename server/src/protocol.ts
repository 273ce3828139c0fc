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

/** Settings under `embeddingLens`, as the server reads them. */
export interface EmbeddingLensSettings {
  tokenizer: string;
  hover: { enabled: boolean; tokenizers: string[] };
}
export const DEFAULT_SETTINGS: EmbeddingLensSettings = {
  tokenizer: 'cl100k_base',
  hover: { enabled: true, tokenizers: [] },
};
