// Word vectors through dist/server.js over stdio: loading a vectors file with progress, the neighbours in the hover,
// similar / analogy / doesn't-match queries, evaluation on small files, the setting, and training in a worker with
// progress and cancel (a cancelled run leaves no file behind); then the edges: params checked, concurrent and
// cancelled loads, failed loads retried once the file changes, evaluation in a worker with progress and cancel.
// ActiveWordVectors (the server's one loaded file) is also tested directly, for what the protocol cannot show.
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
  ErrorCodes,
  type MarkupContent,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import {
  EvaluateWordVectorsRequest,
  LoadWordVectorsRequest,
  TrainWordVectorsRequest,
  WordVectorQueryRequest,
  WordVectorsStatusRequest,
  type WordVectorsStatus,
} from '../../server/src/protocol';
import { readVectorFile } from '../../server/src/vectors/vectorFiles';
import { ActiveWordVectors, type LoadProgress } from '../../server/src/wordVectors/activeWordVectors';
import { weatScores } from '../../server/src/wordVectors/weatScores';
import { LspTestClient } from '../support/lspClient';
import { mulberry32 } from '../support/random';


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
/** Random vectors large enough (30,000 × 50, ~11 MB) that loading and evaluating take long enough to cancel. */
const bigFile = path.join(workspace, 'vectors', 'big.vec');
const BIG_WORDS = 30_000;
const BIG_DIM = 50;
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
  writeBigVectors();

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
  assert.ok(reports.some((p) => /of 0\.0 MB/.test(p.message ?? '')), JSON.stringify(reports));
  assert.equal(reports.at(-1)!.percentage, 100, 'ends with the search prepared');
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


function writeBigVectors(): void {
  const random = mulberry32(4);
  const rows = Array.from({ length: BIG_WORDS }, (_, i) => `w${i} ${Array.from({ length: BIG_DIM }, () => (random() * 2 - 1).toFixed(3)).join(' ')}`);
  writeFileSync(bigFile, `${BIG_WORDS} ${BIG_DIM}\n${rows.join('\n')}\n`);
}

const invalidParams = (pattern: RegExp) => (error: unknown): boolean => error instanceof ResponseError && error.code === ErrorCodes.InvalidParams && pattern.test(error.message);
const requestCancelled = (error: unknown): boolean => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled;

async function statusOf(): Promise<WordVectorsStatus> {
  return client.connection.sendRequest(WordVectorsStatusRequest);
}

/** Polls the status until `done` holds (the server loads in the background), or gives the last one. */
async function waitForStatus(done: (status: WordVectorsStatus) => boolean): Promise<WordVectorsStatus> {
  let status = await statusOf();
  for (let tries = 0; tries < 100 && !done(status); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await statusOf();
  }
  return status;
}

test('malformed params are InvalidParams errors that say what is wrong', async () => {
  const { connection } = client;
  const send = (type: unknown, params: unknown): Promise<unknown> => connection.sendRequest(type as typeof WordVectorQueryRequest, params as never);
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'similar', positive: ['apple'], topn: 0 }), invalidParams(/topn must be a whole number from 1 to 1000, not 0/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'similar', positive: ['apple'], topn: 1001 }), invalidParams(/topn .* not 1001/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'similar' }), invalidParams(/positive is required/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'similar', positive: 'apple' }), invalidParams(/positive must be an array of strings, not "apple"/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'similar', positive: ['apple', 3] }), invalidParams(/positive\[1\] must be a non-empty string, not 3/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'analogy', a: 'man', b: 'king' }), invalidParams(/c is required/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'analogy', a: 'man', b: 'king', c: 'woman', method: 'div' }), invalidParams(/method must be one of add, mul, not "div"/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'doesntMatch', words: [] }), invalidParams(/words is required \(a non-empty array of words\)/));
  await assert.rejects(send(WordVectorQueryRequest, { kind: 'nearest' }), invalidParams(/unknown query kind "nearest"/));
  await assert.rejects(send(WordVectorQueryRequest, null), invalidParams(/the params must be an object/));
  await assert.rejects(send(LoadWordVectorsRequest, {}), invalidParams(/path is required/));
  await assert.rejects(send(LoadWordVectorsRequest, { path: toyFile, format: 'npy' }), invalidParams(/format must be one of .*word2vec-text.*, not "npy"/));
  await assert.rejects(send(EvaluateWordVectorsRequest, {}), invalidParams(/give an analogy file/));
  await assert.rejects(send(EvaluateWordVectorsRequest, { pairs: [7] }), invalidParams(/pairs\[0\] must be a non-empty string, not 7/));
  await assert.rejects(send(EvaluateWordVectorsRequest, { pairs: ['p.txt'], restrictVocab: -1 }), invalidParams(/restrictVocab must be a whole number from 1/));
  await assert.rejects(send(EvaluateWordVectorsRequest, { pairs: ['p.txt'], caseInsensitive: 'no' }), invalidParams(/caseInsensitive must be true or false, not "no"/));
  await assert.rejects(send(TrainWordVectorsRequest, {}), invalidParams(/algo is required/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', mode: 'sg' }), invalidParams(/mode must be one of skipgram, cbow, not "sg"/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', loss: 'softmax' }), invalidParams(/loss must be one of ns, hs/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', lowercase: 'yes' }), invalidParams(/lowercase must be true or false/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', paths: [null] }), invalidParams(/paths\[0\] must be a non-empty string, not null/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', sample: 2 }), invalidParams(/sample must be a number from 0 to 1, not 2/));
  await assert.rejects(send(TrainWordVectorsRequest, { algo: 'word2vec', dim: '100' }), invalidParams(/dim must be a whole number from 1 to 10000, not "100"/));
});

test('evaluation runs with work-done progress', async () => {
  await client.connection.sendRequest(LoadWordVectorsRequest, { path: toyFile });
  const analogies = path.join(workspace, 'questions.txt');
  const pairs = path.join(workspace, 'pairs.txt');
  const progress = client.collectProgress('eval-1');
  const result = await client.connection.sendRequest(EvaluateWordVectorsRequest, { analogies, pairs: [pairs, pairs], workDoneToken: 'eval-1' });
  assert.deepEqual([result.analogies?.total.correct, result.pairs.length], [2, 2]);
  assert.equal(progress[0].kind, 'begin');
  assert.equal(progress.at(-1)!.kind, 'end');
  const reports = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report');
  assert.ok(reports.some((p) => /word pairs: file 2 of 2/.test(p.message ?? '')), JSON.stringify(reports));
  const percentages = reports.map((p) => p.percentage ?? 0);
  assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'progress only moves forward');
});

test('WEAT runs in the evaluation worker with the same numbers as on all the vectors', async () => {
  const file = path.join(workspace, 'weat.json');
  // "King" is found lower-cased, as WEAT looks words up; "zebra" has no vector.
  const sets = { title: 'toy', targetX: ['King', 'man', 'zebra'], targetY: ['queen', 'woman'], attributeA: ['car', 'truck'], attributeB: ['apple', 'banana'] };
  writeFileSync(file, JSON.stringify(sets));
  const result = await client.connection.sendRequest(EvaluateWordVectorsRequest, { weat: { files: ['weat.json'] } });
  const { vectors } = await readVectorFile(toyFile);
  assert.deepEqual(result.weat, await weatScores(vectors, { files: [file] }, (given) => given));
  assert.deepEqual(result.weat?.[0].missing, ['zebra']);
  await assert.rejects(client.connection.sendRequest(EvaluateWordVectorsRequest, { weat: { sets: ['no-such-set'] } }), /unknown WEAT set "no-such-set"/);
});

test('two loads of one file share it; cancelling one does not stop the other', async () => {
  const cancel = new CancellationTokenSource();
  const first = client.collectProgress('share-1');
  // Cancelled once the load reports to the second request: both are waiting for it by then.
  const second = client.collectProgress('share-2', (value) => value.kind === 'report' && cancel.cancel());
  const cancelledLoad = client.connection.sendRequest(LoadWordVectorsRequest, { path: bigFile, workDoneToken: 'share-1' }, cancel.token);
  const sharedLoad = client.connection.sendRequest(LoadWordVectorsRequest, { path: bigFile, workDoneToken: 'share-2' });
  await assert.rejects(cancelledLoad, requestCancelled);
  const info = await sharedLoad;
  assert.deepEqual([info.path, info.words, info.dim], [bigFile, BIG_WORDS, BIG_DIM]);
  assert.equal(first.at(-1)!.kind, 'end', 'the cancelled request ended its progress');
  const reports = second.filter((p): p is WorkDoneProgressReport => p.kind === 'report');
  assert.ok(reports.length > 0, 'the request that joined reports progress too');
  assert.ok((reports.at(-1)!.percentage ?? 0) >= 90, `it followed the load to the end: ${JSON.stringify(reports.at(-1))}`);
  assert.equal(second.at(-1)!.kind, 'end');
  const status = await statusOf();
  assert.equal(status.state === 'ready' && status.info.path, bigFile);
});

test('evaluation runs in a worker: the server answers meanwhile, and cancelling stops it', async () => {
  // 5,000 questions over 2,000 distinct words and 30,000 rows: seconds of work, cancelled at its first report.
  const random = mulberry32(9);
  const word = (): string => `w${Math.floor(random() * 2000)}`;
  const questions = path.join(workspace, 'many-questions.txt');
  writeFileSync(questions, [': random', ...Array.from({ length: 5000 }, () => `${word()} ${word()} ${word()} ${word()}`)].join('\n'));
  const cancel = new CancellationTokenSource();
  let statusMeanwhile: Promise<unknown> | undefined;
  const progress = client.collectProgress('eval-cancel', (value) => {
    if (value.kind !== 'report') return;
    statusMeanwhile ??= statusOf();
    cancel.cancel();
  });
  await assert.rejects(client.connection.sendRequest(EvaluateWordVectorsRequest, { analogies: questions, workDoneToken: 'eval-cancel' }, cancel.token), requestCancelled);
  assert.ok(progress.some((p) => p.kind === 'report' && /analogies/.test(p.message ?? '')), 'the scan had started');
  assert.equal(progress.at(-1)!.kind, 'end');
  assert.ok(statusMeanwhile, 'a status request was sent during the evaluation');
  assert.equal(((await statusMeanwhile) as { state: string }).state, 'ready');
});

test('loading another file stops the load in progress; the newer one wins', async () => {
  await client.connection.sendRequest(LoadWordVectorsRequest, { path: toyFile });
  const older = client.connection.sendRequest(LoadWordVectorsRequest, { path: bigFile });
  const newer = client.connection.sendRequest(LoadWordVectorsRequest, { path: path.join(workspace, 'vectors', 'toy.vec'), format: 'word2vec-text' });
  await assert.rejects(older, /big\.vec stopped: .*toy\.vec (was asked for|is being loaded) instead/);
  assert.equal((await newer).path, toyFile);
  const status = await statusOf();
  assert.equal(status.state === 'ready' && status.info.path, toyFile);
});

test('cancelling the only load stops it: nothing is loading and nothing failed', async () => {
  const cancel = new CancellationTokenSource();
  client.collectProgress('alone', (value) => value.kind === 'report' && cancel.cancel());
  await assert.rejects(client.connection.sendRequest(LoadWordVectorsRequest, { path: bigFile, workDoneToken: 'alone' }, cancel.token), requestCancelled);
  const status = await statusOf();
  assert.equal(status.state === 'ready' && status.info.path, toyFile, 'the previous vectors stay active');
});

test('a broken file named by the setting is not retried until it changes', async () => {
  const file = path.join(workspace, 'vectors', 'fixed-later.vec');
  writeFileSync(file, '2 2\napple 1 0\nbanana 1\n');
  wordVectorSettings = { file, topn: 2 };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const failed = await waitForStatus((s) => s.state === 'failed');
  assert.equal(failed.state === 'failed' && failed.path, file);
  assert.match(failed.state === 'failed' ? failed.error : '', /fixed-later\.vec:3/);
  assert.doesNotMatch(await hoverText(1, 4), /Word vectors/);
  await assert.rejects(client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['apple'] }), /could not be loaded: .*fixed-later\.vec:3/);
  assert.equal((await statusOf()).state, 'failed', 'the remembered failure answers; no load is started');

  writeFileSync(file, '2 2\napple 1 0\nbanana 1 0.5\n');
  const similar = await client.connection.sendRequest(WordVectorQueryRequest, { kind: 'similar', positive: ['apple'] });
  assert.equal(similar.kind === 'similar' && similar.neighbours[0].word, 'banana', 'the changed file was loaded again');
  const status = await statusOf();
  assert.equal(status.state === 'ready' && status.info.path, file);
  wordVectorSettings = {};
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  assert.equal((await waitForStatus((s) => s.state === 'none')).state, 'none');
});

// ── ActiveWordVectors directly ──────────────────────────────────────────────────────────────────────────────────

test('ActiveWordVectors: a newer load supersedes an older one, and the older never becomes active', async () => {
  const active = new ActiveWordVectors();
  const older = active.use(bigFile);
  const newer = active.use(toyFile);
  await assert.rejects(older, /big\.vec stopped: .*toy\.vec (was asked for|is being loaded) instead/);
  assert.equal((await newer).info.path, toyFile);
  assert.equal(active.ready(toyFile)?.info.words, 8);
  assert.equal(active.ready(bigFile), undefined);
  assert.deepEqual(active.status(bigFile), { state: 'none' }, 'the stopped load is not remembered as a failure');
});

test('ActiveWordVectors: joined callers each get progress; one cancelling only stops its own wait', async () => {
  const active = new ActiveWordVectors();
  const cancel = new AbortController();
  const seen: LoadProgress[][] = [[], []];
  const leaving = active.use(bigFile, { signal: cancel.signal, onProgress: (p) => seen[0].push(p) });
  const staying = active.use(bigFile, {
    onProgress: (p) => {
      seen[1].push(p);
      cancel.abort();
    },
  });
  await assert.rejects(leaving);
  assert.ok(seen[1].length > 0, 'cancelled while loading');
  assert.equal(active.status(bigFile).state, 'loading', 'the load goes on for the other caller');
  const loaded = await staying;
  assert.equal(loaded.info.words, BIG_WORDS);
  assert.ok(seen[1].length > 0);
  const last = seen[1].at(-1)!;
  assert.ok(last.phase === 'indexing' || (last.phase === 'reading' && last.bytes === last.total), `progress to the end: ${JSON.stringify(last)}`);
  assert.equal(active.status(bigFile).state, 'ready');
  assert.equal(await active.use(bigFile), loaded, 'an unchanged file is not read again');
});

test('ActiveWordVectors: keepOnly lets go of other files; a failure is retried once the file changes', async () => {
  const active = new ActiveWordVectors();
  await active.use(toyFile);
  const broken = path.join(workspace, 'vectors', 'broken-then-fixed.vec');
  writeFileSync(broken, '1 2\napple 1\n');
  active.keepOnly(broken);
  assert.equal(active.ready(toyFile), undefined, 'the old vectors are dropped even before the new file loads');
  await assert.rejects(active.use(broken), /broken-then-fixed\.vec:2/);
  await assert.rejects(active.use(broken), /broken-then-fixed\.vec:2/);
  assert.equal(active.status(broken).state, 'failed');
  writeFileSync(broken, '1 2\napple 1 2\n');
  assert.equal((await active.use(broken)).info.words, 1);
  assert.equal(active.status(broken).state, 'ready');
  active.keepOnly('');
  assert.equal(active.ready(broken), undefined);
});
