// Word vectors through dist/server.js over stdio: loading a vectors file with progress, the neighbours in the hover,
// similar / analogy / doesn't-match queries, evaluation on small files, the setting, and training in a worker with
// progress and cancel (a cancelled run leaves no file behind).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CancellationTokenSource,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LSPErrorCodes,
  ResponseError,
  type MarkupContent,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import {
  EvaluateWordVectorsRequest,
  LoadWordVectorsRequest,
  TrainWordVectorsRequest,
  WordVectorQueryRequest,
  WordVectorsStatusRequest,
} from '../../server/src/protocol';
import { LspTestClient } from '../support/lspClient';


// Four axes: royalty, gender, fruit, vehicle. king − man + woman is queen; car is the odd one among fruit.
const TOY_VECTORS: Record<string, number[]> = {
  king: [1, 1, 0, 0],
  queen: [1, -1, 0, 0],
  man: [0, 1, 0, 0.1],
  woman: [0, -1, 0, 0.1],
  apple: [0, 0, 1, 0],
  banana: [0, 0, 0.9, 0.1],
  car: [0, 0, 0, 1],
  truck: [0.1, 0, 0, 1],
};
const DOCUMENT = 'The King spoke to the people.\nAn apple a day.\n';
const DOCUMENT_URI = 'file:///tmp/embedding-lens-word-vectors/notes.txt';

const workspace = mkdtempSync(path.join(tmpdir(), 'embedding-lens-lsp-vectors-'));
const toyFile = path.join(workspace, 'vectors', 'toy.vec');
let client: LspTestClient;
/** What the fake client answers for `embeddingLens.wordVectors`. */
let wordVectorSettings: Record<string, unknown> = {};

before(async () => {
  mkdirSync(path.dirname(toyFile));
  const rows = Object.entries(TOY_VECTORS).map(([word, values]) => `${word} ${values.map((v) => v.toFixed(3)).join(' ')}`);
  writeFileSync(toyFile, `${rows.length} 4\n${rows.join('\n')}\n`);
  mkdirSync(path.join(workspace, 'corpus'));
  const sentences = [
    'the cat sat on the mat with another cat',
    'the dog sat on the log with another dog',
    'a cat and a dog played in the garden',
    'the king and the queen ruled the land',
  ];
  writeFileSync(path.join(workspace, 'corpus', 'a.txt'), Array.from({ length: 400 }, (_, i) => sentences[i % sentences.length]).join('\n'));

  client = new LspTestClient();
  client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'embeddingLens.wordVectors' ? wordVectorSettings : null)));
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
    capabilities: { window: { workDoneProgress: true }, workspace: { configuration: true } },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
  await client.open(DOCUMENT_URI, DOCUMENT);
});

after(async () => {
  await client.stop();
  rmSync(workspace, { recursive: true, force: true });
});


async function hoverText(line: number, character: number): Promise<string> {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: DOCUMENT_URI }, position: { line, character } });
  return hover ? (hover.contents as MarkupContent).value : '';
}

/** The hover's neighbours: "`word` 0.123 · `word` -0.456 …" on the line after the word-vector title. */
function neighbourList(hover: string): { word: string; similarity: number }[] {
  const list = hover.split('**Word vectors**')[1]?.split('\n\n')[1] ?? '';
  return [...list.matchAll(/`(\w+)` (-?\d\.\d{3})/g)].map(([, word, similarity]) => ({ word, similarity: Number(similarity) }));
}

/** The cosine of two toy words, computed here independently of the server. */
function cosine(a: string, b: string): number {
  const [x, y] = [TOY_VECTORS[a], TOY_VECTORS[b]];
  const dot = x.reduce((sum, v, k) => sum + v * y[k], 0);
  return dot / (Math.hypot(...x) * Math.hypot(...y));
}

test('before any vectors: status none, queries say how to get some, the hover has no neighbours', async () => {
  assert.deepEqual(await client.connection.sendRequest(WordVectorsStatusRequest), { state: 'none' });
  await assert.rejects(client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['king'] }), /no word vectors are active/);
  assert.doesNotMatch(await hoverText(0, 5), /Word vectors/);
});

test('loading a file reports progress in bytes and makes it active', async () => {
  const progress = client.collectProgress('load-1');
  const info = await client.connection.sendRequest(LoadWordVectorsRequest, { path: 'vectors/toy.vec', workDoneToken: 'load-1' });
  assert.deepEqual(info, { path: toyFile, format: 'word2vec-text', words: 8, dim: 4, subwords: false, warnings: [] });
  assert.equal(progress[0].kind, 'begin');
  assert.equal(progress.at(-1)!.kind, 'end');
  const reports = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report');
  assert.ok(reports.length > 0, 'bytes are reported');
  assert.match(reports.at(-1)!.message ?? '', /of 0\.0 MB/);
  assert.deepEqual(await client.connection.sendRequest(WordVectorsStatusRequest), { state: 'ready', info });
});

test('the hover shows the hovered word’s neighbours (found lower-cased) below the token section', async () => {
  const value = await hoverText(0, 5); // "King"
  assert.match(value, /^\*\*Embedding Lens\*\* · cl100k_base/, 'the token section comes first');
  assert.match(value, /\*\*Word vectors\*\* · toy\.vec · nearest to `king`/);
  const rows = neighbourList(value);
  assert.equal(rows.length, 7, 'default topn 8, but the vocabulary has only 7 other words');
  assert.equal(rows[0].word, 'man');
  assert.equal(rows[0].similarity, Number(cosine('king', 'man').toFixed(3)));
  assert.deepEqual(
    rows.map((r) => r.similarity),
    rows.map((r) => r.similarity).sort((a, b) => b - a),
    'most similar first',
  );
  assert.doesNotMatch(await hoverText(0, 1), /Word vectors/, '"The" is not in the vocabulary');
  assert.doesNotMatch(await hoverText(0, 3), /Word vectors/, 'between words');
});

test('similar, analogy and doesn’t-match queries', async () => {
  const similar = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['apple'], topn: 2 });
  assert.ok(similar.kind === 'similar');
  assert.equal(similar.neighbours.length, 2);
  assert.equal(similar.neighbours[0].word, 'banana');
  assert.ok(Math.abs(similar.neighbours[0].similarity - cosine('apple', 'banana')) < 1e-6);
  const minus = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['king'], negative: ['man'], topn: 1 });
  assert.equal(minus.kind === 'similar' && minus.neighbours[0].word, 'queen', 'king − man');

  const analogy = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'analogy', a: 'man', b: 'king', c: 'woman', topn: 3 });
  assert.equal(analogy.kind === 'analogy' && analogy.neighbours[0].word, 'queen');
  assert.ok(analogy.kind === 'analogy' && analogy.neighbours.every((n) => !['man', 'king', 'woman'].includes(n.word)), 'question words are not answers');

  const odd = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'doesntMatch', words: ['apple', 'banana', 'car'] });
  assert.equal(odd.kind === 'doesntMatch' && odd.odd, 'car');
  assert.deepEqual(odd.kind === 'doesntMatch' && odd.similarities.map((s) => s.word), ['car', 'apple', 'banana'], 'least similar to the mean first');

  await assert.rejects(client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['zebra'] }), /"zebra" is not in the vocabulary of toy\.vec/);
});

test('evaluation on small analogy and word-pair files', async () => {
  const analogies = path.join(workspace, 'questions.txt');
  writeFileSync(analogies, [': royalty', 'man king woman queen', 'woman queen man king', ': fruit', 'apple banana car zebra', 'apple banana car king'].join('\n'));
  const pairs = path.join(workspace, 'pairs.txt');
  writeFileSync(pairs, ['king queen 5', 'king man 8', 'apple banana 9', 'car truck 9.5', 'apple car 1', 'zebra car 3'].join('\n'));
  const result = await client.connection.sendRequest(EvaluateWordVectorsRequest, { analogies, pairs: [pairs] });
  assert.equal(result.vectors, toyFile);
  const scores = result.analogies!;
  assert.deepEqual(
    scores.sections.map((s) => [s.section, s.correct, s.total]),
    [
      ['royalty', 2, 2],
      ['fruit', 0, 1],
    ],
  );
  assert.deepEqual([scores.total.correct, scores.total.total, scores.skipped], [2, 3, 1]);
  assert.ok(Math.abs(scores.total.accuracy - 2 / 3) < 1e-9);
  assert.equal(result.pairs.length, 1);
  const [pairScores] = result.pairs;
  assert.equal(pairScores.pairs, 5, 'the pair with an unknown word is left out');
  assert.ok(Math.abs(pairScores.oovRatio - 1 / 6) < 1e-9, `oov ${pairScores.oovRatio}`);
  assert.ok(pairScores.spearman > 0.5 && pairScores.spearman <= 1, `spearman ${pairScores.spearman}`);
  await assert.rejects(client.connection.sendRequest(EvaluateWordVectorsRequest, { analogies: path.join(workspace, 'missing.txt') }), /missing\.txt/);
});

test('a broken vectors file is an error naming the file and line; the active vectors stay', async () => {
  const broken = path.join(workspace, 'vectors', 'broken.vec');
  writeFileSync(broken, '3 4\nking 1.000 1.000 0.000 0.000\nqueen 1.000 -1.000 0.000\nman 0.000 1.000 0.000 0.100\n');
  await assert.rejects(client.connection.sendRequest(LoadWordVectorsRequest, { path: broken }), /broken\.vec:3/);
  const status = await client.connection.sendRequest(WordVectorsStatusRequest);
  assert.equal(status.state === 'ready' && status.info.path, toyFile);
});

test('trains word2vec on chosen folders with progress; the result is saved and active', async () => {
  const progress = client.collectProgress('train-1');
  const result = await client.connection.sendRequest(TrainWordVectorsRequest, {
    algo: 'word2vec',
    dim: 12,
    epochs: 3,
    minCount: 1,
    threads: 1,
    paths: [path.join(workspace, 'corpus')],
    workDoneToken: 'train-1',
  });
  const expected = path.join(workspace, '.embedding-lens', 'vectors', 'word2vec-skipgram-12.vec');
  assert.deepEqual({ path: result.path, binPath: result.binPath, dim: result.dim, files: result.files }, { path: expected, binPath: undefined, dim: 12, files: 1 });
  assert.equal(result.words, 18, 'every distinct word of the corpus (min count 1)');
  assert.equal(result.tokens, 100 * (9 + 9 + 9 + 8));
  assert.ok(existsSync(expected));
  assert.deepEqual(readdirSync(path.dirname(expected)), ['word2vec-skipgram-12.vec'], 'no staging files left');
  assert.equal(progress[0].kind, 'begin');
  assert.equal(progress.at(-1)!.kind, 'end');
  const reports = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report');
  const percentages = reports.map((p) => p.percentage ?? 0);
  assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'progress only moves forward');
  assert.ok(
    reports.some((p) => /epoch \d\/3 · [\d,]+ words\/s · lr \d/.test(p.message ?? '')),
    `training progress names epoch, words/s and learning rate: ${JSON.stringify(reports.map((p) => p.message))}`,
  );
  const status = await client.connection.sendRequest(WordVectorsStatusRequest);
  assert.deepEqual(status.state === 'ready' && [status.info.path, status.info.words, status.info.dim], [expected, 18, 12]);
  const similar = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['cat'], topn: 50 });
  assert.equal(similar.kind === 'similar' && similar.neighbours.length, 17, 'every other word');
});

test('fastText writes .vec and .bin; the .bin is active and gives unseen words neighbours in the hover', async () => {
  const result = await client.connection.sendRequest(TrainWordVectorsRequest, { algo: 'fasttext', dim: 8, epochs: 1, minCount: 1, threads: 1, name: 'ft', paths: [path.join(workspace, 'corpus')] });
  const folder = path.join(workspace, '.embedding-lens', 'vectors');
  assert.deepEqual([result.path, result.binPath], [path.join(folder, 'ft.vec'), path.join(folder, 'ft.bin')]);
  assert.ok(existsSync(result.path) && existsSync(result.binPath!));
  const status = await client.connection.sendRequest(WordVectorsStatusRequest);
  assert.deepEqual(status.state === 'ready' && [status.info.path, status.info.format, status.info.subwords], [result.binPath, 'fasttext-bin', true]);
  const value = await hoverText(0, 24); // "people": not in the corpus
  assert.match(value, /nearest to `people` \(not in the vocabulary: vector from its character n-grams\)/);
});

test('a changed setting makes its file active', async () => {
  wordVectorSettings = { file: 'vectors/toy.vec', topn: 2 };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  let status = await client.connection.sendRequest(WordVectorsStatusRequest);
  for (let tries = 0; tries < 50 && !(status.state === 'ready' && status.info.path === toyFile); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await client.connection.sendRequest(WordVectorsStatusRequest);
  }
  assert.equal(status.state === 'ready' && status.info.path, toyFile);
  const rows = neighbourList(await hoverText(1, 4)); // "apple"
  assert.equal(rows.length, 2, 'topn 2 from the setting');
  assert.equal(rows[0].word, 'banana');
});

test('cancelling training stops the worker and writes nothing', async () => {
  const big = path.join(workspace, 'big');
  mkdirSync(big);
  const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 100_003}`);
  writeFileSync(path.join(big, 'corpus.txt'), Array.from({ length: 20_000 }, (_, i) => words.slice(i % 2900, (i % 2900) + 20).join(' ')).join('\n'));
  const cancel = new CancellationTokenSource();
  const progress = client.collectProgress('train-cancel', (value) => {
    if (value.kind === 'report' && /epoch/.test(value.message ?? '')) cancel.cancel();
  });
  const output = path.join(big, 'out', 'never.vec');
  await assert.rejects(
    client.connection.sendRequest(TrainWordVectorsRequest, { algo: 'word2vec', dim: 50, epochs: 50, minCount: 1, paths: [big], output, workDoneToken: 'train-cancel' }, cancel.token),
    (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
  );
  assert.ok(progress.some((p) => p.kind === 'report' && /epoch/.test(p.message ?? '')), 'training had started');
  assert.deepEqual(existsSync(path.dirname(output)) ? readdirSync(path.dirname(output)) : [], [], 'no vectors and no staging folder');
});

test('bad training requests come back as errors that say what is wrong', async () => {
  await assert.rejects(client.connection.sendRequest(TrainWordVectorsRequest, { algo: 'word2vec', dim: 0 }), /dim must be a whole number from 1/);
  await assert.rejects(client.connection.sendRequest(TrainWordVectorsRequest, { algo: 'word2vec', paths: [path.join(workspace, 'missing')] }), /missing: cannot read the training file or folder/);
  await assert.rejects(client.connection.sendRequest(TrainWordVectorsRequest, { algo: 'word2vec', minCount: 100_000, paths: [path.join(workspace, 'corpus')] }), /no word seen at least 100000 times/);
});
