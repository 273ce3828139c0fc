/**
 * Similarity-query benchmark (not a test): random rows × dim vectors (generated, seeded), top-10 most_similar for
 * `queries` words through the quantised index, against the plain exact scan and, as the peer, gensim's
 * KeyedVectors.most_similar on the same matrix (Debian's /usr/bin/python3, BLAS limited to the same threads).
 * Also: index build time, batched queries and 30,000-word restricted analogies (analogy evaluation's shape).
 * Every indexed answer that the exact scan also computed is checked to be identical.
 *
 *   node out/bench/vectorQueries.js [--rows 1000000] [--dim 300] [--queries 100] [--threads 2] [--no-peers]
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { quantizedIndexFor, searchNeighbours } from '../server/src/vectors/search/neighbourSearch';
import { cosineObjective } from '../server/src/vectors/search/objective';
import { analogy, mostSimilar, mostSimilarBatch, type Neighbour } from '../server/src/vectors/similarity';
import { WordVectors } from '../server/src/vectors/wordVectors';
import { mulberry32 } from '../test/support/random';
import { GENSIM_PYTHON } from './vectorsPeers';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    dim: { type: 'string', default: '300' },
    queries: { type: 'string', default: '100' },
    threads: { type: 'string', default: '2' },
    'no-peers': { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const DIM = Number(values.dim);
const QUERIES = Number(values.queries);
const THREADS = Number(values.threads);
const EXACT_QUERIES = Math.min(10, QUERIES);

interface Row {
  what: string;
  times: number[];
  note?: string;
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

const quantile = (times: number[], q: number): number => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(q * times.length))];

function main(): void {
  const random = mulberry32(2024);
  const [vectors, generateMs] = time(() => {
    const data = new Float32Array(ROWS * DIM);
    for (let i = 0; i < data.length; i++) data[i] = random() * 2 - 1;
    return new WordVectors(Array.from({ length: ROWS }, (_, i) => `w${i}`), DIM, data);
  });
  console.log(`${ROWS} × ${DIM} random vectors generated in ${(generateMs / 1000).toFixed(1)} s; ${QUERIES} queries, top 10`);
  const table: Row[] = [];
  const [, unitMs] = time(() => vectors.unitVectors());
  table.push({ what: 'unit rows (once)', times: [unitMs] });
  const [index, buildMs] = time(() => quantizedIndexFor(vectors));
  table.push({ what: 'index build (once)', times: [buildMs], note: index ? `${(index.byteLength / 2 ** 20).toFixed(0)} MiB` : 'unavailable' });

  const words = Array.from({ length: QUERIES }, () => `w${Math.floor(random() * ROWS)}`);
  mostSimilar(vectors, [words[0]]); // warm-up
  const indexed: Neighbour[][] = [];
  table.push({ what: 'most_similar, index', times: words.map((word) => time(() => indexed.push(mostSimilar(vectors, [word]))) [1]) });

  const exactTimes: number[] = [];
  let mismatches = 0;
  words.slice(0, EXACT_QUERIES).forEach((word, i) => {
    const row = vectors.index(word)!;
    const query = vectors.unitVectors().slice(row * DIM, (row + 1) * DIM);
    const [exact, ms] = time(() => searchNeighbours(vectors, cosineObjective(query), 10, ROWS, new Set([row]), 'exact'));
    exactTimes.push(ms);
    if (JSON.stringify(exact.map((s) => [s.index, s.score])) !== JSON.stringify(indexed[i].map((n) => [n.index, n.similarity]))) mismatches++;
  });
  table.push({ what: 'most_similar, plain exact scan', times: exactTimes, note: `${EXACT_QUERIES} queries; index answers identical: ${mismatches === 0 ? 'yes' : `NO (${mismatches} differ)`}` });

  const batchQueries = new Float32Array(QUERIES * DIM);
  words.forEach((word, i) => batchQueries.set(vectors.row(vectors.index(word)!), i * DIM));
  const [, batchMs] = time(() => mostSimilarBatch(vectors, batchQueries));
  table.push({ what: 'mostSimilarBatch, per query', times: [batchMs / QUERIES] });

  const analogyWords = Array.from({ length: QUERIES }, () => [0, 1, 2].map(() => `w${Math.floor(random() * 30_000)}`));
  table.push({
    what: 'analogy (3CosAdd), restrict 30k',
    times: analogyWords.map(([a, b, c]) => time(() => analogy(vectors, a, b, c, { restrictVocab: 30_000 }))[1]),
  });
  table.push({
    what: 'analogy (3CosMul), whole vocabulary',
    times: analogyWords.slice(0, 20).map(([a, b, c]) => time(() => analogy(vectors, a, b, c, { method: 'mul' }))[1]),
    note: '20 queries',
  });

  if (!values['no-peers']) table.push(...gensimPeer(vectors, words));

  console.log(`\n${'what'.padEnd(40)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(10)}  note`);
  for (const row of table) {
    console.log(`${row.what.padEnd(40)} ${quantile(row.times, 0.5).toFixed(1).padStart(10)} ${quantile(row.times, 0.95).toFixed(1).padStart(10)}  ${row.note ?? ''}`);
  }
}

/** gensim's most_similar on the same matrix, written to a temporary raw float32 file. */
function gensimPeer(vectors: WordVectors, words: string[]): Row[] {
  const file = path.join(tmpdir(), `embedding-lens-bench-vectors-${process.pid}.f32`);
  const script = `
import json, sys, time
import numpy as np
from gensim.models import KeyedVectors
rows, dim, words = int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
kv = KeyedVectors(dim, count=rows)
kv.add_vectors(['w%d' % i for i in range(rows)], np.fromfile(sys.argv[1], dtype=np.float32).reshape(rows, dim))
start = time.perf_counter(); kv.fill_norms(); norms = (time.perf_counter() - start) * 1000
times = []
for word in words:
    start = time.perf_counter(); kv.most_similar(word, topn=10); times.append((time.perf_counter() - start) * 1000)
print(json.dumps({'norms': norms, 'times': times}))
`;
  try {
    writeFileSync(file, vectors.data);
    const threads = String(THREADS);
    const run = spawnSync(GENSIM_PYTHON, ['-c', script, file, String(vectors.size), String(vectors.dim), JSON.stringify(words)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads, MKL_NUM_THREADS: threads },
    });
    if (run.status !== 0) return [{ what: 'gensim most_similar', times: [NaN], note: `n/a (${run.stderr.trim().split('\n').pop()})` }];
    const { norms, times } = JSON.parse(run.stdout) as { norms: number; times: number[] };
    return [
      { what: 'gensim norms (once)', times: [norms] },
      { what: `gensim most_similar (BLAS, ${threads} threads)`, times },
    ];
  } finally {
    rmSync(file, { force: true });
  }
}

main();
