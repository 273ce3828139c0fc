/** The word under the cursor, as vectors files spell words: runs of letters, marks and digits. */

/** Letters, marks and digits, with inner apostrophes and hyphens ("don't", "well-known"), as the word splitter keeps them. */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’-][\p{L}\p{M}\p{N}]+)*/gu;

export interface WordSpan {
  word: string;
  /** Offsets in the text given, [start, end). */
  start: number;
  end: number;
}

/** The word of `line` that contains `offset` (or ends right at it), or undefined between words. */
export function wordAt(line: string, offset: number): WordSpan | undefined {
  for (const match of line.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start > offset) return undefined;
    if (offset < end || (offset === end && offset === line.length)) return { word: match[0], start, end };
  }
  return undefined;
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
