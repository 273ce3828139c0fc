import type { ComparedToken } from '../protocol';
import type { Tokenizer } from '../tokenizers/types';

/** The view lists at most this many tokens per tokenizer; counts and rates always cover the whole text. */
export const MAX_TOKENS_LISTED = 2_000;
/** Listed tokens come from a prefix of at most this many characters, so a 50 MB document is not encoded twice. */
const LISTED_PREFIX_CHARS = 20_000;

export interface TokenizedForComparison {
  count: number;
  unknownTokenId: number | undefined;
  unknownCount: number;
  /** The first tokens, with document offsets (the text starts at document offset `start`). */
  tokens: ComparedToken[];
  tokensTruncated: boolean;
}

/** Counts the whole text (and its unknown tokens) and lists the first tokens with their offsets. */
export function tokenizeForComparison(tokenizer: Tokenizer, text: string, start: number): TokenizedForComparison {
  const whole = text.length <= LISTED_PREFIX_CHARS;
  const listed = tokenizer.encode(whole ? text : text.slice(0, prefixEnd(text)));
  const ids = whole ? listed.ids : tokenizer.encodeIds(text);
  let shown = Math.min(listed.ids.length, MAX_TOKENS_LISTED);
  // The prefix's last token may be cut short by the prefix's end; the whole text may continue it.
  if (!whole) shown = Math.min(shown, listed.ids.length - 1);
  const tokens: ComparedToken[] = [];
  for (let i = 0; i < shown; i++) {
    const [from, to] = listed.offsets[i];
    tokens.push({ id: listed.ids[i], text: tokenizer.tokenText(listed.ids[i]), start: start + from, end: start + to });
  }
  const unknownTokenId = tokenizer.unknownTokenId;
  return { count: ids.length, unknownTokenId, unknownCount: countOf(ids, unknownTokenId), tokens, tokensTruncated: shown < ids.length };
}

function countOf(ids: readonly number[], id: number | undefined): number {
  if (id === undefined) return 0;
  let n = 0;
  for (const each of ids) if (each === id) n++;
  return n;
}

/** Where the listed prefix ends: at a line break (else a space) in its second half, never inside a surrogate pair. */
function prefixEnd(text: string): number {
  const half = LISTED_PREFIX_CHARS / 2;
  for (const separator of ['\n', ' ']) {
    const at = text.lastIndexOf(separator, LISTED_PREFIX_CHARS - 1);
    if (at >= half) return at + 1;
  }
  const code = text.charCodeAt(LISTED_PREFIX_CHARS - 1);
  return code >= 0xd800 && code <= 0xdbff ? LISTED_PREFIX_CHARS - 1 : LISTED_PREFIX_CHARS;
}
