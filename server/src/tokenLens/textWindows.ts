import type { TextDocument } from 'vscode-languageserver-textdocument';

/** Lines longer than this are tokenized in a window around the hover, so a minified 50 MB line stays fast. */
const MAX_HOVER_CHARS = 20_000;

export interface TextWindow {
  /** Document offset of `text`'s first character. */
  start: number;
  text: string;
  scope: string;
}

/** The text of the hovered line (without its line break), or a window of it around `offset` when it is huge. */
export function lineWindow(document: TextDocument, line: number, offset: number): TextWindow {
  const start = document.offsetAt({ line, character: 0 });
  const next = line + 1 < document.lineCount ? document.offsetAt({ line: line + 1, character: 0 }) : document.getText().length;
  const raw = document.getText({ start: document.positionAt(start), end: document.positionAt(next) });
  const text = raw.replace(/\r?\n$|\r$/, '');
  if (text.length <= MAX_HOVER_CHARS) return { start, text, scope: `line ${line + 1}` };
  const half = MAX_HOVER_CHARS / 2;
  let from = Math.max(0, offset - start - half);
  let to = Math.min(text.length, from + MAX_HOVER_CHARS);
  // Start and end at whitespace so the pieces at the window's edges are split as in the whole line.
  from = snapToSpace(text, from, +1, offset - start);
  to = snapToSpace(text, to, -1, offset - start);
  return { start: start + from, text: text.slice(from, to), scope: `part of line ${line + 1}` };
}

function snapToSpace(text: string, at: number, step: 1 | -1, limit: number): number {
  if (at <= 0 || at >= text.length) return at;
  for (let i = at; step > 0 ? i < limit : i > limit; i += step) {
    if (text[i] === ' ' || text[i] === '\t') return i;
  }
  return at;
}
