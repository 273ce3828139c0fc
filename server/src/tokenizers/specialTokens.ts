/** Finds special-token text (e.g. `<|endoftext|>`) in a string, longest token first. */
export class SpecialTokenMatcher {
  private readonly pattern: RegExp | undefined;

  constructor(private readonly ids: ReadonlyMap<string, number>) {
    this.pattern = longestFirstAlternation(ids.keys(), 'g');
  }

  /** Calls `onText` for each stretch of ordinary text and `onSpecial` for each special token, in order. */
  split(text: string, onText: (start: number, end: number) => void, onSpecial: (id: number, start: number, end: number) => void): void {
    let start = 0;
    if (this.pattern) {
      this.pattern.lastIndex = 0;
      for (let m = this.pattern.exec(text); m !== null; m = this.pattern.exec(text)) {
        if (m.index > start) onText(start, m.index);
        onSpecial(this.ids.get(m[0])!, m.index, m.index + m[0].length);
        start = m.index + m[0].length;
      }
    }
    if (start < text.length) onText(start, text.length);
  }
}

/** A RegExp matching any of `texts` literally, the longest at a position winning (leftmost-longest); undefined for none. */
export function longestFirstAlternation(texts: Iterable<string>, flags: string): RegExp | undefined {
  const alternatives = [...texts].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return alternatives.length > 0 ? new RegExp(alternatives.join('|'), flags) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
