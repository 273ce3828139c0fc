/**
 * Counts of the words (pre-tokens) of a corpus, bounded: when more than `maxWords` distinct words are held, the
 * rarest are dropped until half the bound is left. Hundreds of MB of text then fit in a fixed amount of memory;
 * a word dropped early and seen again later restarts from zero, so only rare words lose count.
 * Counts live in a typed array beside a Map from word to slot, so counting a seen word is one hash look-up.
 */
export const DEFAULT_MAX_WORDS = 1_000_000;

export class WordCounts implements Iterable<[string, number]> {
  private slots = new Map<string, number>();
  private words: string[] = [];
  private counts = new Float64Array(1024);
  /** How many times rare words were dropped (0: the counts are exact). */
  prunes = 0;

  constructor(private readonly maxWords = DEFAULT_MAX_WORDS) {}

  get size(): number {
    return this.words.length;
  }

  get(word: string): number | undefined {
    const slot = this.slots.get(word);
    return slot === undefined ? undefined : this.counts[slot];
  }

  add(word: string): void {
    const slot = this.slots.get(word);
    if (slot !== undefined) {
      this.counts[slot]++;
      return;
    }
    const copy = ownCopy(word);
    if (this.words.length === this.counts.length) {
      const grown = new Float64Array(this.counts.length * 2);
      grown.set(this.counts);
      this.counts = grown;
    }
    this.slots.set(copy, this.words.length);
    this.counts[this.words.length] = 1;
    this.words.push(copy);
    if (this.words.length > this.maxWords) this.dropRarest();
  }

  *[Symbol.iterator](): Iterator<[string, number]> {
    for (let i = 0; i < this.words.length; i++) yield [this.words[i], this.counts[i]];
  }

  /** Drops every word whose count is at most the smallest threshold that leaves half of maxWords. */
  private dropRarest(): void {
    const keep = Math.floor(this.maxWords / 2);
    const sorted = this.counts.slice(0, this.words.length).sort();
    // Words counted at most `threshold` times go; at least half of the bound is freed.
    const threshold = sorted[sorted.length - keep - 1];
    const words: string[] = [];
    const counts = new Float64Array(this.counts.length);
    this.slots = new Map();
    for (let i = 0; i < this.words.length; i++) {
      if (this.counts[i] <= threshold) continue;
      this.slots.set(this.words[i], words.length);
      counts[words.length] = this.counts[i];
      words.push(this.words[i]);
    }
    this.words = words;
    this.counts = counts;
    this.prunes++;
  }
}

/**
 * A flat copy of a word. Words are often slices of a 1 MB chunk of the file, and V8 keeps the whole chunk alive
 * for a slice of 13 characters or more; a Map of such keys would hold the corpus in memory.
 */
export function ownCopy(word: string): string {
  return word.length < 13 ? word : Buffer.from(word, 'utf16le').toString('utf16le');
}

/** How often each character occurs in words with these counts. */
export function characterCounts(wordCounts: Iterable<readonly [string, number, ...unknown[]]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of wordCounts) for (const char of word) counts.set(char, (counts.get(char) ?? 0) + count);
  return counts;
}
