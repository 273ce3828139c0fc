/** Finds special-token text (e.g. `<|endoftext|>`) in a string, longest token first. */
export class SpecialTokenMatcher {
  private readonly pattern: RegExp | undefined;

  constructor(private readonly ids: ReadonlyMap<string, number>) {
    const alternatives = [...ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
