/**
 * The word under the cursor. Vectors files hold more than runs of letters ("new_york", "#hashtag", "<user>",
 * "e-mail", "U.S."), so the candidates go from the whole non-space run around the cursor, through that run without
 * the punctuation around it (quotes, commas, brackets), to the Unicode word (letters, marks and digits); the first one
 * the vectors know wins.
 */

import { UNICODE_WORD } from '../vectors/training/wordSplitters';

export interface WordSpan {
  word: string;
  /** Offsets in the text given, [start, end). */
  start: number;
  end: number;
}

const NON_SPACE_RUN = /\S+/gu;
/** Punctuation at either end of a run, except what tokens keep there: # (hashtags), @ (handles), _ (joined phrases). */
const LEADING_PUNCTUATION = /^[^\P{P}#@_]+/u;
const TRAILING_PUNCTUATION = /[^\P{P}#@_]+$/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The word of `line` at `offset` (UTF-16 units): the longest candidate `isKnown` accepts; else the Unicode word there;
 * else, between Unicode words (on "_" or "#"), the trimmed run when it holds a letter or digit. Undefined on spaces.
 */
export function wordAt(line: string, offset: number, isKnown?: (word: string) => boolean): WordSpan | undefined {
  const spans = spansAt(line, offset);
  const known = isKnown && distinct(spans).find((span) => isKnown(span.word));
  if (known) return known;
  if (spans.unicodeWord) return spans.unicodeWord;
  return spans.trimmed && LETTER_OR_DIGIT.test(spans.trimmed.word) ? spans.trimmed : undefined;
}

interface SpansAt {
  run?: WordSpan;
  /** Only when the cursor is on the trimmed part: hovering a comma is not hovering the word before it. */
  trimmed?: WordSpan;
  unicodeWord?: WordSpan;
}

function spansAt(line: string, offset: number): SpansAt {
  const run = spanAt(line, offset, NON_SPACE_RUN);
  const unicodeWord = spanAt(line, offset, UNICODE_WORD);
  if (!run) return { unicodeWord };
  const start = run.start + (LEADING_PUNCTUATION.exec(run.word)?.[0].length ?? 0);
  const end = Math.max(start, run.end - (TRAILING_PUNCTUATION.exec(run.word)?.[0].length ?? 0));
  const trimmed = contains(start, end, offset, line.length) ? { word: line.slice(start, end), start, end } : undefined;
  return { run, trimmed, unicodeWord };
}

/** The candidates, longest first, each span once. */
function distinct({ run, trimmed, unicodeWord }: SpansAt): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const span of [run, trimmed, unicodeWord]) {
    if (span && !spans.some((s) => s.start === span.start && s.end === span.end)) spans.push(span);
  }
  return spans;
}

/** The match of a global `pattern` that contains `offset` (or ends right at it at the end of the line). */
function spanAt(line: string, offset: number, pattern: RegExp): WordSpan | undefined {
  for (const match of line.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start > offset) return undefined;
    if (contains(start, end, offset, line.length)) return { word: match[0], start, end };
  }
  return undefined;
}

function contains(start: number, end: number, offset: number, lineLength: number): boolean {
  return start < end && start <= offset && (offset < end || (offset === end && offset === lineLength));
}

/**
 * The spellings to look a hovered word up by: as written, then lower-cased (vectors trained on lower-cased text),
 * then with a capital first letter (published files that keep case), without repeats.
 */
export function lookupSpellings(word: string): string[] {
  const lower = word.toLowerCase();
  const capitalised = lower.charAt(0).toUpperCase() + lower.slice(1);
  return [...new Set([word, lower, capitalised])];
}
