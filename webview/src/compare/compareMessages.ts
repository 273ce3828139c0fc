/** The compare view's messages, both ways, declared once for the extension host and the webview. */
import type { CompareTokenizersResult } from '../../../server/src/protocol';

/** What was compared, in words for the view's header. */
export interface ComparisonSubject {
  uri: string;
  /** Workspace-relative file name. */
  fileName: string;
  /** "whole document" or "selection, lines 3–7". */
  scope: string;
}

export interface ComparisonMessage {
  type: 'comparison';
  subject: ComparisonSubject;
  result: CompareTokenizersResult;
}

/** Extension host → webview. */
export type CompareHostMessage =
  | ComparisonMessage
  /** Nothing to compare (no text editor yet, or the document closed). */
  | { type: 'empty'; reason: string }
  /** A comparison is being computed (big documents take a moment). */
  | { type: 'busy' };

/** Webview → extension host. */
export type CompareWebviewMessage =
  | { type: 'ready' }
  /** Select a token's text in its editor. */
  | { type: 'revealToken'; start: number; end: number }
  | { type: 'addTokenizer' }
  /** Index into the compared tokenizers, in the order shown. */
  | { type: 'removeTokenizer'; index: number }
  | { type: 'openSettings' };

/** What the webview saves with setState, so a restored panel shows the last comparison at once. */
export interface CompareViewState {
  last?: ComparisonMessage;
}

export const COMPARE_VIEW = 'compare';
