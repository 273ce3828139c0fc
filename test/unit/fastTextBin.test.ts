/**
 * fastText .bin models: vectors equal what Debian's fasttext 0.9.2 printed for a small model (fixture made by
 * scripts/make-fasttext-fixture.sh), and exactly equal an independent float32 recomputation; the writer's output
 * reads back as the same model; quantized and damaged models are refused with clear errors. When Debian's fasttext
 * is installed, also against fresh models it trains, and it must load what our writer writes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { FASTTEXT_SKIPGRAM_DEFAULTS, fastTextWordVectors, fastTextWordVectorsInSlices, type FastTextModel } from '../../server/src/vectors/fastTextModel';
import { readFastTextBin, readVectorFile, VectorFileError, writeFastTextBin } from '../../server/src/vectors/vectorFiles';
import { readFastTextVectors } from '../../server/src/vectors/formats/fastTextVectors';
import { repoRoot } from '../support/paths';
import { mulberry32, pick, testSeed } from '../support/random';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'vectors');
const modelFile = path.join(fixtures, 'fasttext-small.bin');
const tmp = mkdtempSync(path.join(tmpdir(), 'fasttext-bin-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** `fasttext print-word-vectors` lines: the word, then values printed with 5 significant digits. */
function parsePrinted(text: string): Map<string, number[]> {
  const rows = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const [word, ...values] = line.trim().split(' ');
    rows.set(word, values.map(Number));
  }
  return rows;
}

/** Our float32 printed as C++'s default stream with setprecision(5) would print it: within half a unit of its 5th digit. */
function assertMatchesPrinted(word: string, ours: Float32Array, printed: number[]): void {
  assert.equal(ours.length, printed.length, `${word}: dimensions`);
  ours.forEach((value, k) => {
    const tolerance = value === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(value))) - 4) * (1 + 1e-6);
    assert.ok(Math.abs(value - printed[k]) <= tolerance, `${word}[${k}]: ours ${value}, fasttext printed ${printed[k]}`);
  });
}

test('the fixture model loads: its words, most frequent first, with subword vectors', async () => {
  const { vectors, format, warnings } = await readVectorFile(modelFile);
  assert.equal(format, 'fasttext-bin');
  assert.deepEqual(warnings, []);
  assert.equal(vectors.dim, 8);
  assert.equal(vectors.words[0], 'the');
  assert.ok(vectors.has('</s>') && vectors.has('café') && vectors.has('日本語'));
  assert.ok(vectors.subwords, 'OOV words get vectors');
  const model = await readFastTextBin(modelFile, { withOutput: true });
  assert.equal(model.words.length, vectors.size);
  assert.deepEqual({ ...model.args }, { dim: 8, ws: 5, epoch: 5, minCount: 1, neg: 5, wordNgrams: 1, loss: 'ns', model: 'skipgram', bucket: 1000, minn: 2, maxn: 4, lrUpdateRate: 100, t: 1 });
  assert.equal(model.input.length, (model.words.length + 1000) * 8);
  assert.equal(model.output.length, model.words.length * 8);
  for (let i = 1; i < model.counts.length; i++) assert.ok(model.counts[i] <= model.counts[i - 1], 'counts descend');
});

test('in- and out-of-vocabulary vectors match fasttext print-word-vectors (naïve, 東京 …)', async () => {
  const { vectors } = await readVectorFile(modelFile);
  const printed = parsePrinted(readFileSync(path.join(fixtures, 'fasttext-small.printed.txt'), 'utf8'));
  const queries = readFileSync(path.join(fixtures, 'fasttext-small.queries.txt'), 'utf8').split('\n').filter(Boolean);
  assert.deepEqual([...printed.keys()], queries);
  for (const word of ['naïve', '東京', 'xyzzy']) assert.ok(!vectors.has(word), `${word} is out of the vocabulary`);
  for (const word of queries) assertMatchesPrinted(word, vectors.vector(word)!, printed.get(word)!);
});

test('vectors equal, bit for bit, a float32 recomputation from the matrix as gensim loads it', async () => {
  const { vectors } = await readVectorFile(modelFile);
  const lines = readFileSync(path.join(fixtures, 'fasttext-small.exact.txt'), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 12);
  for (const line of lines) {
    const [word, ...hex] = line.split(' ');
    const ours = new Uint32Array(Float32Array.from(vectors.vector(word)!).buffer);
    assert.deepEqual([...ours].map((bits) => bits.toString(16).padStart(8, '0')), hex, word);
  }
});

test('limit keeps the first words; out-of-vocabulary words still get subword vectors', async () => {
  const all = (await readVectorFile(modelFile)).vectors;
  const { vectors } = await readVectorFile(modelFile, { limit: 5 });
  assert.deepEqual(vectors.words, all.words.slice(0, 5));
  assert.deepEqual([...vectors.data], [...all.data.subarray(0, 40)]);
  assert.deepEqual([...vectors.vector('naïve')!], [...all.vector('naïve')!]);
});

/** A random model, words with non-ASCII among them. */
function randomModel(seed: number, words: readonly string[], dim: number, bucket: number, minn = 2, maxn = 4): FastTextModel {
  const random = mulberry32(seed);
  const input = Float32Array.from({ length: (words.length + bucket) * dim }, () => random() - 0.5);
  const output = Float32Array.from({ length: words.length * dim }, () => random() - 0.5);
  const counts = words.map((_, i) => 1000 - i);
  return { args: { ...FASTTEXT_SKIPGRAM_DEFAULTS, dim, bucket, minn, maxn, minCount: 1 }, words, counts, input, output };
}

const MODEL_WORDS = ['the', '</s>', 'naïve', '東京', 'café', 'hello', 'world', '😀', 'x'];

test('the writer writes what the reader reads: args, words, counts, both matrices', async () => {
  const model = randomModel(testSeed(7), MODEL_WORDS, 6, 50);
  const file = path.join(tmp, 'written.bin');
  await writeFastTextBin(file, model);
  const back = await readFastTextBin(file, { withOutput: true });
  assert.deepEqual(back.args, model.args);
  assert.deepEqual(back.words, model.words);
  assert.deepEqual(Array.from(back.counts), model.counts);
  assert.equal(back.tokenCount, model.words.reduce((sum, _, i) => sum + (model.counts[i] as number), 0));
  assert.deepEqual(back.input, model.input);
  assert.deepEqual(back.output, model.output);
  assert.deepEqual((await readVectorFile(file)).vectors.data, fastTextWordVectors(model).data);
  // The fixture, read and written again, is the same bytes.
  const again = path.join(tmp, 'again.bin');
  await writeFastTextBin(again, await readFastTextBin(modelFile, { withOutput: true }));
  assert.deepEqual(readFileSync(again), readFileSync(modelFile));
});

test('the writer refuses a model whose matrices do not fit its words', async () => {
  const model = randomModel(1, MODEL_WORDS, 4, 10);
  const file = path.join(tmp, 'refused.bin');
  await assert.rejects(writeFastTextBin(file, { ...model, input: model.input.subarray(4) }), (error: unknown) => error instanceof VectorFileError && error.message.startsWith(`${file}: cannot write the fastText model: the input matrix has`));
  await assert.rejects(writeFastTextBin(file, { ...model, words: [...MODEL_WORDS.slice(1), 'nul\0'] }), /cannot be stored/);
});

/** Byte offset of the quantization flag: just before the input matrix. */
function quantFlagOffset(bytes: Buffer, model: FastTextModel): number {
  const inputBytes = 16 + model.input.length * 4;
  const outputBytes = 1 + 16 + model.output.length * 4;
  return bytes.length - outputBytes - inputBytes - 1;
}

test('damaged and quantized models are refused, naming the file and the problem', async () => {
  const model = await readFastTextBin(modelFile, { withOutput: true });
  const bytes = readFileSync(modelFile);
  const variant = (name: string, content: Buffer): string => {
    const file = path.join(tmp, name);
    writeFileSync(file, content);
    return file;
  };
  const expectError = async (file: string, parts: string[]): Promise<void> => {
    await assert.rejects(readVectorFile(file, { format: 'fasttext-bin' }), (error: unknown) => {
      assert.ok(error instanceof VectorFileError, String(error));
      assert.ok(error.message.startsWith(`${file}: `), error.message);
      for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" mentions "${part}"`);
      return true;
    });
  };
  const quantized = Buffer.from(bytes);
  const flag = quantFlagOffset(bytes, model);
  assert.equal(quantized[flag], 0);
  quantized[flag] = 1;
  await expectError(variant('model.ftz', quantized), ['quantized fastText model (.ftz)', 'not support']);
  await expectError(variant('cut-matrix.bin', bytes.subarray(0, flag + 1000)), ['truncated', 'input matrix', 'runs past the end']);
  await expectError(variant('cut-output.bin', bytes.subarray(0, bytes.length - 10)), ['truncated', 'output matrix']);
  await expectError(variant('cut-dictionary.bin', bytes.subarray(0, flag - 100)), ['truncated', 'dictionary entry']);
  await expectError(variant('tiny-dictionary.bin', bytes.subarray(0, 200)), ['truncated or malformed dictionary', '62 entries']);
  await expectError(variant('cut-args.bin', bytes.subarray(0, 20)), ['truncated', 'arguments']);
  const newer = Buffer.from(bytes);
  newer.writeInt32LE(13, 4);
  await expectError(variant('newer.bin', newer), ['version 13 is newer']);
  const notFastText = Buffer.from(bytes);
  notFastText.writeInt32LE(12345, 0);
  await expectError(variant('magic.bin', notFastText), ['not a fastText .bin model']);
  await expectError(variant('empty.bin', Buffer.alloc(0)), ['empty file']);
  // A NaN in the input matrix, at its 3rd row, 2nd column.
  const withNaN = Buffer.from(bytes);
  const nanOffset = flag + 1 + 16 + 4 * (2 * model.args.dim + 1);
  withNaN.writeFloatLE(NaN, nanOffset);
  await expectError(variant('nan.bin', withNaN), ['input matrix', 'NaN', 'row 3, column 2', `byte offset ${nanOffset}`]);
});

test('an infinity in the output matrix is refused when the output is read', async () => {
  const model = await readFastTextBin(modelFile, { withOutput: true });
  const bytes = Buffer.from(readFileSync(modelFile));
  const offset = bytes.length - 4 * model.output.length; // the output matrix's first value
  bytes.writeFloatLE(-Infinity, offset);
  const file = path.join(tmp, 'infinite-output.bin');
  writeFileSync(file, bytes);
  await assert.rejects(readFastTextBin(file, { withOutput: true }), (error: unknown) => {
    assert.ok(error instanceof VectorFileError && error.message.includes('output matrix holds -Infinity at row 1, column 1'), String(error));
    assert.ok(error.message.includes(`byte offset ${offset}`), error.message);
    return true;
  });
});

test('reading a .bin as word vectors: the same vectors, progress only reaching its total when they are computed', async () => {
  const model = await readFastTextBin(modelFile);
  const reports: [number, number][] = [];
  const { vectors } = await readFastTextVectors(modelFile, { onProgress: (done, total) => reports.push([done, total]) });
  assert.deepEqual(vectors.data, fastTextWordVectors(model).data);
  assert.ok(reports.length >= 2, `${reports.length} progress reports`);
  const total = reports[reports.length - 1][1];
  assert.deepEqual(reports[reports.length - 1], [total, total]);
  assert.ok(reports.slice(0, -1).every(([done, all]) => all === total && done < total), JSON.stringify(reports));
  const sliced = await fastTextWordVectorsInSlices(model, { limit: 10 });
  assert.deepEqual(sliced.data, fastTextWordVectors(model, 10).data);
  await assert.rejects(fastTextWordVectorsInSlices(model, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

/** Debian's fasttext on PATH, or undefined (its tests are then skipped). */
const fastTextTool = (process.env.PATH ?? '/usr/bin').split(path.delimiter).map((dir) => path.join(dir, 'fasttext')).find((file) => existsSync(file));
const skipWithoutFastText = fastTextTool ? false : 'Debian\'s fasttext is not installed (apt-get install fasttext): tests against it skipped';

function printWordVectors(model: string, words: readonly string[]): Map<string, number[]> {
  return parsePrinted(execFileSync(fastTextTool!, ['print-word-vectors', model], { input: `${words.join('\n')}\n`, encoding: 'utf8' }));
}

const OOV_WORDS = ['naïve', '東京', 'zzzq', 'unheard-of', 'Ünïcödé', 'x'];

test('models freshly trained by fasttext: our vectors match print-word-vectors', { skip: skipWithoutFastText }, async () => {
  const random = mulberry32(testSeed(11));
  const vocabulary = ['the', 'cat', 'sat', 'on', 'mat', 'café', 'naïveté', '日本', '東京都', 'москва', 'running', 'runner', 'ran', 'dog'];
  const corpus = Array.from({ length: 300 }, () => Array.from({ length: 8 }, () => pick(random, vocabulary)).join(' ')).join('\n');
  const corpusFile = path.join(tmp, 'corpus.txt');
  writeFileSync(corpusFile, `${corpus}\n`);
  const configs = [
    ['skipgram', '-minn', '1', '-maxn', '3', '-bucket', '500'],
    ['cbow', '-minn', '3', '-maxn', '6', '-bucket', '300', '-loss', 'hs'],
    ['skipgram', '-maxn', '0'],
  ];
  for (const [i, config] of configs.entries()) {
    const output = path.join(tmp, `fresh-${i}`);
    execFileSync(fastTextTool!, [...config, '-input', corpusFile, '-output', output, '-dim', '10', '-minCount', '1', '-epoch', '2', '-thread', '1', '-t', '1', '-verbose', '0']);
    const { vectors } = await readVectorFile(`${output}.bin`);
    const words = [...vocabulary, '</s>', ...OOV_WORDS];
    const printed = printWordVectors(`${output}.bin`, words);
    for (const word of words) assertMatchesPrinted(`${config.join(' ')}: ${word}`, vectors.vector(word)!, printed.get(word)!);
  }
});

test('fasttext loads the models our writer writes, and prints our vectors', { skip: skipWithoutFastText }, async () => {
  const model = randomModel(testSeed(13), MODEL_WORDS, 12, 200, 2, 5);
  const file = path.join(tmp, 'ours.bin');
  await writeFastTextBin(file, model);
  const vectors = fastTextWordVectors(model);
  const words = [...MODEL_WORDS, ...OOV_WORDS];
  const printed = printWordVectors(file, words);
  for (const word of words) assertMatchesPrinted(word, vectors.vector(word)!, printed.get(word)!);
});
