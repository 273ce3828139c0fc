/**
 * The BPE trainer's priority queue: the most frequent pair first, ties to the smaller (left id, right id) pair,
 * as Hugging Face's BpeTrainer orders its BinaryHeap. Entries may be stale; the trainer re-checks counts on pop.
 */
export interface PairEntry {
  left: number;
  right: number;
  count: number;
  /** Indices of the words where the pair was seen when this entry was made (HF's `pos`). */
  words: number[];
}

function before(a: PairEntry, b: PairEntry): boolean {
  if (a.count !== b.count) return a.count > b.count;
  if (a.left !== b.left) return a.left < b.left;
  return a.right < b.right;
}

export class MergeQueue {
  private readonly heap: PairEntry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: PairEntry): void {
    const heap = this.heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  pop(): PairEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
