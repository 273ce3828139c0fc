/**
 * A trie over UTF-16 code units mapping keys to non-negative integers, walked one unit at a time without
 * slicing the text: the Unigram lattice asks it for every piece that starts at every position, which is the
 * hot path of encoding.
 *
 * The root's children sit in a direct 64K table (one array read for the first unit); deeper edges live in
 * one open-addressing hash table keyed by (node, unit), each slot's parent, unit and child side by side in one
 * Int32Array so that a probe touches one cache line. Node 0 is the root.
 */
export const NO_NODE = 0;
export const NO_VALUE = -1;

export class PrefixTrie {
  private readonly rootChildren = new Int32Array(65536);
  /** Slot k is [parent, unit, child] at 3k; child 0 = empty slot. */
  private edges: Int32Array;
  private edgeSlots: number;
  private edgeCount = 0;
  private nodeValues: Int32Array;
  private nodeCount = 1;
  /** Number of keys stored. */
  size = 0;

  constructor(expectedUnits = 1024) {
    this.edgeSlots = 1 << Math.ceil(Math.log2(Math.max(16, expectedUnits * 2)));
    this.edges = new Int32Array(this.edgeSlots * 3);
    this.nodeValues = new Int32Array(Math.max(16, expectedUnits + 1)).fill(NO_VALUE);
  }

  /** Stores `value` for `key` (non-empty); a key added again takes the later value. */
  add(key: string, value: number): void {
    let node = NO_NODE;
    for (let i = 0; i < key.length; i++) {
      const unit = key.charCodeAt(i);
      let child = this.next(node, unit);
      if (child === NO_NODE) {
        child = this.newNode();
        if (node === NO_NODE) this.rootChildren[unit] = child;
        else this.addEdge(node, unit, child);
      }
      node = child;
    }
    if (this.nodeValues[node] === NO_VALUE) this.size++;
    this.nodeValues[node] = value;
  }

  /** The value stored for exactly text[start, end), or NO_VALUE. */
  get(text: string, start = 0, end = text.length): number {
    let node = NO_NODE;
    for (let i = start; i < end; i++) {
      node = this.next(node, text.charCodeAt(i));
      if (node === NO_NODE) return NO_VALUE;
    }
    return node === NO_NODE ? NO_VALUE : this.nodeValues[node];
  }

  /** The node reached from `node` by `unit`, or NO_NODE. */
  next(node: number, unit: number): number {
    if (node === NO_NODE) return this.rootChildren[unit];
    const edges = this.edges;
    const mask = this.edgeSlots - 1;
    for (let slot = edgeHash(node, unit) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const child = edges[at + 2];
      if (child === NO_NODE) return NO_NODE;
      if (edges[at] === node && edges[at + 1] === unit) return child;
    }
  }

  /** The value of the key that ends at `node`, or NO_VALUE. */
  valueAt(node: number): number {
    return this.nodeValues[node];
  }

  /** UTF-16 length of the longest key that prefixes text[start, end); 0 when none does. */
  longestMatch(text: string, start: number, end: number): number {
    let longest = 0;
    let node = NO_NODE;
    for (let i = start; i < end; i++) {
      node = this.next(node, text.charCodeAt(i));
      if (node === NO_NODE) break;
      if (this.nodeValues[node] !== NO_VALUE) longest = i + 1 - start;
    }
    return longest;
  }

  private newNode(): number {
    if (this.nodeCount === this.nodeValues.length) {
      const values = new Int32Array(this.nodeValues.length * 2).fill(NO_VALUE);
      values.set(this.nodeValues);
      this.nodeValues = values;
    }
    return this.nodeCount++;
  }

  private addEdge(parent: number, unit: number, child: number): void {
    if ((this.edgeCount + 1) * 2 > this.edgeSlots) this.growEdges();
    this.placeEdge(parent, unit, child);
    this.edgeCount++;
  }

  private placeEdge(parent: number, unit: number, child: number): void {
    const mask = this.edgeSlots - 1;
    let slot = edgeHash(parent, unit) & mask;
    while (this.edges[slot * 3 + 2] !== NO_NODE) slot = (slot + 1) & mask;
    this.edges[slot * 3] = parent;
    this.edges[slot * 3 + 1] = unit;
    this.edges[slot * 3 + 2] = child;
  }

  private growEdges(): void {
    const old = this.edges;
    this.edgeSlots *= 2;
    this.edges = new Int32Array(this.edgeSlots * 3);
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] !== NO_NODE) this.placeEdge(old[at], old[at + 1], old[at + 2]);
    }
  }
}

function edgeHash(node: number, unit: number): number {
  const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(unit, 0x85ebca6b);
  return h ^ (h >>> 15);
}
