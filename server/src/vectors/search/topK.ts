/**
 * The k best (score, row) pairs seen so far: highest score first, ties to the lower row (so results do not depend on
 * the order rows are offered in). A min-heap on "worse", so each offer that does not enter costs one comparison.
 */
export interface Scored {
  index: number;
  score: number;
}

export class TopK {
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private count = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(k, 0));
    this.rows = new Int32Array(Math.max(k, 0));
  }

  get size(): number {
    return this.count;
  }

  /** The score a new row must beat to enter (-Infinity until the heap is full). */
  get threshold(): number {
    return this.count < this.k ? -Infinity : this.scores[0];
  }

  offer(index: number, score: number): void {
    if (this.count < this.k) {
      this.scores[this.count] = score;
      this.rows[this.count] = index;
      this.siftUp(this.count++);
    } else if (this.k > 0 && isWorse(this.scores[0], this.rows[0], score, index)) {
      this.scores[0] = score;
      this.rows[0] = index;
      this.siftDown(0);
    }
  }

  /** Best first. */
  sorted(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.count; i++) out.push({ index: this.rows[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!isWorse(this.scores[i], this.rows[i], this.scores[parent], this.rows[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < this.count && isWorse(this.scores[left], this.rows[left], this.scores[worst], this.rows[worst])) worst = left;
      if (right < this.count && isWorse(this.scores[right], this.rows[right], this.scores[worst], this.rows[worst])) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = s;
    const r = this.rows[a];
    this.rows[a] = this.rows[b];
    this.rows[b] = r;
  }
}

/** Is (scoreA, rowA) ranked below (scoreB, rowB)? */
function isWorse(scoreA: number, rowA: number, scoreB: number, rowB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && rowA > rowB);
}
