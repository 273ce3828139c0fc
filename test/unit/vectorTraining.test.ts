/**
 * word2vec and fastText training end to end on a synthetic corpus with planted structure: two topics whose words
 * never share a sentence, so a working trainer must put each word nearest to words of its own topic. Every mode and
 * loss, one and two threads; fastText gives a misspelled word a vector near its topic. Single-thread runs repeat
 * bit for bit with a seed; cancelling rejects and leaves files alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { VectorTrainingCancelled } from '../../server/src/vectors/training/trainingThreads';
import { trainVectors, type VectorTrainingRequest } from '../../server/src/vectors/training/trainVectors';
import { DEFAULT_VECTOR_TRAINING } from '../../server/src/vectors/training/vectorTrainingTypes';
import { lettersSplitter } from '../../server/src/vectors/training/wordSplitters';
import { unitRowsOf, type WordVectors } from '../../server/src/vectors/wordVectors';
import { cosine } from '../support/cosine';
import { mulberry32, pick, testSeed } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-vector-training-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Topic words are made of their topic's syllables only, so fastText's n-grams carry the topic too. */
const SYLLABLES = [
  ['ka', 'lo', 'mi', 'nu', 'pe'],
  ['tre', 'sha', 'vox', 'gix', 'dru'],
];
const WORDS_PER_TOPIC = 16;

function topicWords(random: () => number): string[][] {
  return SYLLABLES.map((syllables) => {
    const words = new Set<string>();
    while (words.size < WORDS_PER_TOPIC) words.add(pick(random, syllables) + pick(random, syllables) + pick(random, syllables));
    return [...words];
  });
}

const random = mulberry32(testSeed(2024));
const TOPICS = topicWords(random);
const CORPUS = ((): string => {
  const lines: string[] = [];
  for (let s = 0; s < 2500; s++) {
    const topic = TOPICS[s % 2];
    const length = 6 + Math.floor(random() * 6);
    lines.push(Array.from({ length }, () => pick(random, topic)).join(' '));
  }
  return `${lines.join('\n')}\n`;
})();
const corpusFile = path.join(tmp, 'topics.txt');
writeFileSync(corpusFile, CORPUS);

function request(overrides: Partial<VectorTrainingRequest>): VectorTrainingRequest {
  return { ...DEFAULT_VECTOR_TRAINING, dim: 16, window: 3, minCount: 1, sample: 0, epochs: 5, threads: 1, bucket: 20_000, splitter: lettersSplitter(), ...overrides };
}


const topicOf = (word: string): number => TOPICS.findIndex((words) => words.includes(word));

/** The share of words whose nearest other word is of the same topic. */
function sameTopicNeighbourShare(vectors: WordVectors): number {
  const unit = unitRowsOf(vectors.data, vectors.dim);
  let same = 0;
  for (let i = 0; i < vectors.size; i++) {
    let best = -Infinity;
    let nearest = -1;
    for (let j = 0; j < vectors.size; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let k = 0; k < vectors.dim; k++) dot += unit[i * vectors.dim + k] * unit[j * vectors.dim + k];
      if (dot > best) [best, nearest] = [dot, j];
    }
    if (topicOf(vectors.words[i]) === topicOf(vectors.words[nearest])) same++;
  }
  return same / vectors.size;
}

for (const algo of ['word2vec', 'fasttext'] as const) {
  for (const mode of ['skipgram', 'cbow'] as const) {
    for (const loss of ['ns', 'hs'] as const) {
      test(`${algo} ${mode} ${loss} puts words next to their own topic`, async () => {
        const { vectors, stats } = await trainVectors([corpusFile], request({ algo, mode, loss }));
        assert.equal(vectors.size, 2 * WORDS_PER_TOPIC);
        assert.equal(stats.vocabulary, 2 * WORDS_PER_TOPIC);
        const share = sameTopicNeighbourShare(vectors);
        assert.ok(share >= 0.95, `${(share * 100).toFixed(0)}% of nearest neighbours share the topic`);
      });
    }
  }
}

test('quality holds with two threads (Hogwild)', async () => {
  for (const mode of ['skipgram', 'cbow'] as const) {
    const { vectors } = await trainVectors([corpusFile], request({ mode, threads: 2, sample: 1e-3 }));
    const share = sameTopicNeighbourShare(vectors);
    assert.ok(share >= 0.95, `${mode}: ${(share * 100).toFixed(0)}% of nearest neighbours share the topic`);
  }
});

test('fastText gives a misspelled word a vector nearest its own topic', async () => {
  const { vectors, fastText } = await trainVectors([corpusFile], request({ algo: 'fasttext', mode: 'skipgram', minn: 2, maxn: 4 }));
  assert.ok(fastText, 'a fastText model comes with the vectors');
  for (const topic of [0, 1]) {
    const word = TOPICS[topic][0];
    const misspelled = word.slice(0, -1) + word.slice(-2, -1); // last letter doubled over: "kalomi" → "kalomm"
    assert.equal(vectors.index(misspelled), undefined, `${misspelled} is out of the vocabulary`);
    const oov = vectors.vector(misspelled)!;
    assert.ok(oov.some((value) => value !== 0), 'the OOV vector comes from n-grams');
    const meanSimilarity = (words: string[]): number => words.reduce((sum, other) => sum + cosine(oov, vectors.vector(other)!), 0) / words.length;
    const own = meanSimilarity(TOPICS[topic]);
    const other = meanSimilarity(TOPICS[1 - topic]);
    assert.ok(own > other + 0.1, `${misspelled}: mean similarity ${own.toFixed(3)} to its topic, ${other.toFixed(3)} to the other`);
  }
});

test('single-thread training with a seed repeats bit for bit; another seed differs', async () => {
  for (const algo of ['word2vec', 'fasttext'] as const) {
    const options = request({ algo, mode: 'skipgram', sample: 1e-2, seed: 7, epochs: 1 });
    const first = await trainVectors([corpusFile], options);
    const again = await trainVectors([corpusFile], options);
    const other = await trainVectors([corpusFile], { ...options, seed: 8 });
    assert.deepEqual(Buffer.from(first.vectors.data.buffer, first.vectors.data.byteOffset, first.vectors.data.byteLength), Buffer.from(again.vectors.data.buffer, again.vectors.data.byteOffset, again.vectors.data.byteLength), `${algo}: same seed, same bits`);
    assert.notDeepEqual([...first.vectors.data], [...other.vectors.data], `${algo}: another seed, other vectors`);
  }
});

test("the negative-sampling exponent defaults to fastText's 0.5 and can be set", async () => {
  const bits = (vectors: WordVectors) => Buffer.from(vectors.data.buffer, vectors.data.byteOffset, vectors.data.byteLength);
  const options = request({ mode: 'skipgram', seed: 3, epochs: 1 });
  const byDefault = await trainVectors([corpusFile], options);
  const explicit = await trainVectors([corpusFile], { ...options, nsExponent: 0.5 });
  const word2vecC = await trainVectors([corpusFile], { ...options, nsExponent: 0.75 });
  assert.deepEqual(bits(explicit.vectors), bits(byDefault.vectors), 'the default is 0.5');
  assert.notDeepEqual(bits(word2vecC.vectors), bits(byDefault.vectors), 'another exponent draws other negatives');
  await assert.rejects(trainVectors([corpusFile], { ...options, nsExponent: Number.NaN }), /negative-sampling exponent must be a number, got NaN/);
});

test('cancelling rejects with VectorTrainingCancelled and leaves an existing output alone', async () => {
  const dir = mkdtempSync(path.join(tmp, 'cancel-'));
  const existing = path.join(dir, 'vectors.vec');
  writeFileSync(existing, 'keep me\n');
  const big = path.join(dir, 'big.txt');
  writeFileSync(big, CORPUS.repeat(20));
  for (const phase of ['reading', 'training'] as const) {
    const aborter = new AbortController();
    const run = trainVectors([big], request({ epochs: 50, dim: 32 }), {
      signal: aborter.signal,
      onProgress: (progress) => {
        if (progress.phase === phase) aborter.abort();
      },
    });
    await assert.rejects(run, VectorTrainingCancelled, `cancelled while ${phase}`);
  }
  assert.equal(readFileSync(existing, 'utf8'), 'keep me\n');
  assert.deepEqual(readdirSync(dir).sort(), ['big.txt', 'vectors.vec']);
});

test('bad options and an empty vocabulary are errors that say what is wrong', async () => {
  await assert.rejects(trainVectors([corpusFile], request({ dim: 0 })), /dim must be a whole number ≥ 1/);
  await assert.rejects(trainVectors([corpusFile], request({ negative: 0 })), /negative sampling needs negative ≥ 1/);
  await assert.rejects(trainVectors([corpusFile], request({ minCount: 1_000_000 })), /no word seen at least 1000000 times/);
  // Before the corpus is read, not after: a file that does not exist is never reached.
  await assert.rejects(trainVectors(['/nonexistent/corpus.txt'], request({ algo: 'glove', xMax: 0 })), /GloVe's xMax and alpha must be > 0, got 0 and 0\.75/);
});
