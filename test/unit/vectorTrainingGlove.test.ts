import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { trainGlove } from '../../server/src/vectors/training/glove/trainGlove';
import { DEFAULT_VECTOR_TRAINING, type EncodedCorpus, type VectorTrainingOptions, type VectorTrainingProgress } from '../../server/src/vectors/training/vectorTrainingTypes';
import type { WordVectors } from '../../server/src/vectors/wordVectors';
import { mulberry32, testSeed } from '../support/random';

const TOPICS = 4;
const TOPIC_WORDS = 10;
const COMMON_WORDS = 5;

/**
 * A corpus with planted structure: each sentence is about one topic, and mixes that topic's words with common words
 * shared by all topics. Words of a topic should end up nearest to each other.
 */
function topicCorpus(seed: number, sentences: number): EncodedCorpus {
  const random = mulberry32(seed);
  const vocabSize = COMMON_WORDS + TOPICS * TOPIC_WORDS;
  const words = [...Array.from({ length: COMMON_WORDS }, (_, i) => `common${i}`)];
  for (let t = 0; t < TOPICS; t++) for (let k = 0; k < TOPIC_WORDS; k++) words.push(`topic${t}_${k}`);
  const ids: number[] = [];
  const ends: number[] = [];
  for (let s = 0; s < sentences; s++) {
    const topic = Math.floor(random() * TOPICS);
    for (let n = 0; n < 12; n++) {
      ids.push(random() < 0.3 ? Math.floor(random() * COMMON_WORDS) : COMMON_WORDS + topic * TOPIC_WORDS + Math.floor(random() * TOPIC_WORDS));
    }
    ends.push(ids.length);
  }
  const tokens = new Int32Array(new SharedArrayBuffer(ids.length * 4));
  tokens.set(ids);
  const sentenceEnds = new Uint32Array(new SharedArrayBuffer(ends.length * 4));
  sentenceEnds.set(ends);
  const counts = new Float64Array(vocabSize);
  for (const id of ids) counts[id]++;
  // Keep the frequency-first order the corpus reader guarantees.
  const order = Array.from({ length: vocabSize }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const newId = new Int32Array(vocabSize);
  order.forEach((old, rank) => (newId[old] = rank));
  for (let n = 0; n < tokens.length; n++) tokens[n] = newId[tokens[n]];
  return { words: order.map((i) => words[i]), counts: Float64Array.from(order, (i) => counts[i]), tokens, sentenceEnds };
}

const topicOf = (word: string): string | undefined => /^(topic\d+)_/.exec(word)?.[1];

/** The share of topic words whose nearest other word (by cosine) is from the same topic. */
function topicNeighbourAccuracy(vectors: WordVectors): number {
  const unit = vectors.unitVectors();
  const { dim } = vectors;
  let right = 0;
  let total = 0;
  for (let i = 0; i < vectors.size; i++) {
    const topic = topicOf(vectors.words[i]);
    if (!topic) continue;
    let best = -Infinity;
    let nearest = -1;
    for (let j = 0; j < vectors.size; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += unit[i * dim + k] * unit[j * dim + k];
      if (dot > best) [best, nearest] = [dot, j];
    }
    total++;
    if (topicOf(vectors.words[nearest]) === topic) right++;
  }
  return right / total;
}

const options = (overrides: Partial<VectorTrainingOptions>): VectorTrainingOptions => ({
  ...DEFAULT_VECTOR_TRAINING,
  algo: 'glove',
  dim: 16,
  window: 5,
  epochs: 15,
  threads: 1,
  ...overrides,
});

test('single-thread training with a seed is reproducible to the bit, and the seed matters', async () => {
  const corpus = topicCorpus(testSeed(51), 600);
  const a = await trainGlove(corpus, options({ seed: 7, epochs: 3 }));
  const b = await trainGlove(corpus, options({ seed: 7, epochs: 3 }));
  const c = await trainGlove(corpus, options({ seed: 8, epochs: 3 }));
  assert.deepEqual(a.words, corpus.words);
  assert.equal(a.dim, 16);
  assert.ok(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer)), 'two runs with seed 7 differ');
  assert.ok(!Buffer.from(a.data.buffer).equals(Buffer.from(c.data.buffer)), 'seeds 7 and 8 gave the same vectors');
});

test('training finds planted topics, reports a falling loss, and keeps them with two threads', async () => {
  const corpus = topicCorpus(testSeed(52), 3000);
  for (const threads of [1, 2]) {
    const losses: number[] = [];
    const progress: VectorTrainingProgress[] = [];
    const vectors = await trainGlove(corpus, options({ threads }), {
      onProgress: (p) => {
        progress.push(p);
        if (p.loss !== undefined && losses[losses.length - 1] !== p.loss) losses.push(p.loss);
      },
    });
    const accuracy = topicNeighbourAccuracy(vectors);
    assert.ok(accuracy >= 0.9, `${threads} thread(s): only ${accuracy} of topic words have a same-topic nearest neighbour`);
    assert.equal(losses.length, 15, `one loss per epoch, got ${losses.length}`);
    assert.ok(losses[14] < losses[0] * 0.5, `loss did not fall: ${losses.join(', ')}`);
    assert.ok(progress.every((p) => p.fraction >= 0 && p.fraction <= 1));
    assert.equal(progress[progress.length - 1].fraction, 1);
  }
});

test('a cancel during training (after runs were spilled and merged) rejects and leaves no spilled runs', async () => {
  const spillDir = mkdtempSync(path.join(os.tmpdir(), 'glove-train-cancel-'));
  try {
    const controller = new AbortController();
    const corpus = topicCorpus(testSeed(53), 2000);
    await assert.rejects(
      trainGlove(corpus, options({ threads: 2, epochs: 50, spillDir, cooccurrenceMemoryEntries: 200 }), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'training' && p.epoch >= 2) controller.abort();
        },
      }),
      { name: 'AbortError' },
    );
    assert.deepEqual(readdirSync(spillDir), []);
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
});

test('bad options and a missing worker give clear errors', async () => {
  const corpus = topicCorpus(testSeed(54), 50);
  await assert.rejects(trainGlove(corpus, options({ dim: 0 })), /GloVe: dim must be a positive whole number, got 0/);
  await assert.rejects(trainGlove(corpus, options({ xMax: -1 })), /GloVe: xMax must be positive/);
  await assert.rejects(trainGlove(corpus, options({}), { workerScript: path.join(os.tmpdir(), 'no-such-glove-worker.js') }), /GloVe training thread 1 failed/);
  const lonely: EncodedCorpus = { words: ['a'], counts: Float64Array.of(1), tokens: Int32Array.of(0), sentenceEnds: Uint32Array.of(1) };
  await assert.rejects(trainGlove(lonely, options({})), /no two words of the vocabulary occur together/);
});
