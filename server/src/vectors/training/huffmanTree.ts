/**
 * The Huffman tree of hierarchical softmax, built from word counts as word2vec.c's CreateBinaryTree builds it: the
 * two least frequent nodes are merged again and again (two queues, since the counts arrive sorted), so frequent
 * words get short codes. Inner nodes are numbered 0..words-2, the root last; each is a row of the output matrix.
 */

export interface HuffmanCodes {
  /** Word w's path is entries codeStarts[w] .. codeStarts[w+1]-1 of `points` and `codes`, root first. */
  codeStarts: Int32Array;
  /** The inner node (output row) at each step of the path. */
  points: Int32Array;
  /** The branch taken at each step: 0 or 1. */
  codes: Uint8Array;
}

/** `counts` must be sorted most frequent first, as EncodedCorpus's are. */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanCodes {
  const leaves = counts.length;
  const nodes = Math.max(0, 2 * leaves - 1);
  const weight = new Float64Array(nodes);
  const parent = new Int32Array(nodes).fill(-1);
  const branch = new Uint8Array(nodes);
  for (let i = 0; i < leaves; i++) weight[i] = counts[i];

  // Leaves are taken from the end of the sorted counts (least frequent first), merged nodes in creation order:
  // both queues stay sorted, so the smallest is always at one of their heads.
  let nextLeaf = leaves - 1;
  let nextMerged = leaves;
  const takeSmallest = (created: number): number => {
    if (nextLeaf >= 0 && (nextMerged >= created || weight[nextLeaf] < weight[nextMerged])) return nextLeaf--;
    return nextMerged++;
  };
  for (let created = leaves; created < nodes; created++) {
    const first = takeSmallest(created);
    const second = takeSmallest(created);
    weight[created] = weight[first] + weight[second];
    parent[first] = created;
    parent[second] = created;
    branch[second] = 1;
  }

  const codeStarts = new Int32Array(leaves + 1);
  const depth = new Int32Array(leaves);
  for (let w = 0; w < leaves; w++) {
    for (let node = w; parent[node] >= 0; node = parent[node]) depth[w]++;
    codeStarts[w + 1] = codeStarts[w] + depth[w];
  }
  const points = new Int32Array(codeStarts[leaves]);
  const codes = new Uint8Array(codeStarts[leaves]);
  for (let w = 0; w < leaves; w++) {
    // Walking up from the leaf fills the path from its end, so it reads root first.
    let at = codeStarts[w + 1] - 1;
    for (let node = w; parent[node] >= 0; node = parent[node], at--) {
      points[at] = parent[node] - leaves;
      codes[at] = branch[node];
    }
  }
  return { codeStarts, points, codes };
}
