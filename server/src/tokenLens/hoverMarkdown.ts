import type { Encoding } from '../tokenizers/types';
import { inlineCode, visibleToken } from './tokenDisplay';

/** Beyond this many tokens the hover shows a window around the hovered token. */
const MAX_TOKENS_SHOWN = 200;

export interface TokenHoverSection {
  tokenizer: string;
  encoding: Encoding;
  /** Index of the hovered token in encoding, or -1. */
  hovered: number;
  /** What was tokenized, e.g. "line 3" or "selection". */
  scope: string;
}

/** Index of the token whose offsets contain `offset` (offsets relative to the tokenized text), or -1. */
export function tokenAt(encoding: Encoding, offset: number): number {
  let lo = 0;
  let hi = encoding.offsets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = encoding.offsets[mid];
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else {
      // Tokens splitting one character share its offsets: report the first of them.
      let first = mid;
      while (first > 0 && encoding.offsets[first - 1][1] > offset) first--;
      return first;
    }
  }
  return -1;
}

export function hoverMarkdown(sections: readonly TokenHoverSection[]): string {
  return sections.map(sectionMarkdown).join('\n\n---\n\n');
}

function sectionMarkdown({ tokenizer, encoding, hovered, scope }: TokenHoverSection): string {
  const n = encoding.ids.length;
  const plural = n === 1 ? 'token' : 'tokens';
  const lines = [`**Embedding Lens** · ${tokenizer} · ${n.toLocaleString('en-US')} ${plural} in ${scope}`];
  if (hovered >= 0) {
    lines.push(`Token ${hovered + 1} of ${n}: ${inlineCode(visibleToken(encoding.tokens[hovered]))} id **${encoding.ids[hovered]}**`);
  }
  if (n === 0) return lines.join('\n\n');
  const [from, to] = windowAround(hovered, n);
  const pieces: string[] = [];
  const ids: string[] = [];
  for (let i = from; i < to; i++) {
    const code = inlineCode(visibleToken(encoding.tokens[i]));
    pieces.push(i === hovered ? `**${code}**` : code);
    ids.push(i === hovered ? `**${encoding.ids[i]}**` : String(encoding.ids[i]));
  }
  const before = from > 0 ? `… ${from} more · ` : '';
  const after = to < n ? ` · … ${n - to} more` : '';
  lines.push(before + pieces.join(' ') + after);
  lines.push(`ids: ${before}${ids.join(' ')}${after}`);
  return lines.join('\n\n');
}

function windowAround(center: number, n: number): [number, number] {
  if (n <= MAX_TOKENS_SHOWN) return [0, n];
  const from = Math.min(Math.max(0, center - MAX_TOKENS_SHOWN / 2), n - MAX_TOKENS_SHOWN);
  return [from, from + MAX_TOKENS_SHOWN];
}
