/** Vector files: every format written then read gives the same words and float32 bits; detection; reading options. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { float32Text, parseDecimal } from '../../server/src/vectors/formats/decimalText';
import { detectVectorFormat, readVectorFile, VectorFileError, writeVectorFile, type VectorFormat } from '../../server/src/vectors/vectorFiles';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { sharedDir, skipWithoutShared } from '../support/paths';
import { int, mulberry32, pick, testSeed, type Random } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'vector-files-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const WRITABLE: Exclude<VectorFormat, 'fasttext-bin'>[] = ['word2vec-text', 'word2vec-binary', 'glove'];
const seed = testSeed(4242);

/** Words a vector file must keep as they are: accents, CJK, emoji, punctuation, digits, a no-break space. */
const ODD_WORDS = ['naïve', '東京', '😀', 'C++', '"quoted"', "it's", '1.5', '-3', '</s>', '<unk>', 'a\u00a0b', 'x,y', '[CLS]', 'İstanbul', 'e\u0301', '#', '\\', 'ß'];

/** Floats that stress formatting and parsing: signed zero, subnormals, the largest and smallest, odd exponents. */
const EDGE_FLOATS = [0, -0, 1, -1, 0.1, 1e-45, -1.4e-45, 1.17549435e-38, 3.4028234663852886e38, -3.4028234663852886e38, 123456789, 1e-7, 65504, 0.3333333333];

function randomVectors(random: Random, size: number, dim: number): WordVectors {
  const words = new Set<string>(ODD_WORDS);
  while (words.size < size) words.add(`w${int(random, 0, 1e6)}${pick(random, ['', 'é', '中', 'ing'])}`);
  const data = new Float32Array(size * dim);
  for (let i = 0; i < data.length; i++) {
    const magnitude = 10 ** int(random, -8, 3);
    data[i] = i < EDGE_FLOATS.length ? EDGE_FLOATS[i] : (random() * 2 - 1) * magnitude;
  }
  return new WordVectors([...words].slice(0, size), dim, data);
}

function bits(data: Float32Array): Uint32Array {
  return new Uint32Array(Float32Array.from(data).buffer);
}

function assertSameVectors(actual: WordVectors, expected: WordVectors): void {
  assert.deepEqual(actual.words, expected.words);
  assert.equal(actual.dim, expected.dim);
  assert.deepEqual(bits(actual.data), bits(expected.data));
}

for (const format of WRITABLE) {
  test(`${format}: write then read gives the same words and float32 bits`, async () => {
    const random = mulberry32(seed);
    for (const [size, dim] of [[40, 7], [300, 50], [1, 1]]) {
      const vectors = randomVectors(random, size, dim);
      const file = path.join(tmp, `round-trip-${format}-${size}.txt`);
      await writeVectorFile(file, vectors, format);
      assert.equal(await detectVectorFormat(file), format);
      const loaded = await readVectorFile(file);
      assert.equal(loaded.format, format);
      assert.deepEqual(loaded.warnings, []);
      assertSameVectors(loaded.vectors, vectors);
    }
  });
}

test('text formats write the shortest decimals that read back exactly', async () => {
  const vectors = new WordVectors(['a', 'b'], 3, Float32Array.of(0.1, -0.5, 1e-7, 100, -0, 0.30000001192092896));
  const file = path.join(tmp, 'short.txt');
  await writeVectorFile(file, vectors, 'word2vec-text');
  assert.equal(readFileSync(file, 'utf8'), '2 3\na 0.1 -0.5 1e-7\nb 100 -0 0.3\n');
  await writeVectorFile(file, vectors, 'glove');
  assert.equal(readFileSync(file, 'utf8'), 'a 0.1 -0.5 1e-7\nb 100 -0 0.3\n');
});

test('word2vec binary is the header, then per row the word, a space, little-endian float32 and a line break', async () => {
  const file = path.join(tmp, 'layout.bin');
  await writeVectorFile(file, new WordVectors(['é', 'b'], 2, Float32Array.of(1, -2, 0.5, 3)), 'word2vec-binary');
  const expected = Buffer.concat([Buffer.from('2 2\né '), Buffer.from(Float32Array.of(1, -2).buffer), Buffer.from('\nb '), Buffer.from(Float32Array.of(0.5, 3).buffer), Buffer.from('\n')]);
  assert.deepEqual(readFileSync(file), expected);
  // Rows without the optional line break read the same.
  const compact = path.join(tmp, 'compact.bin');
  writeFileSync(compact, Buffer.concat([Buffer.from('2 2\né '), Buffer.from(Float32Array.of(1, -2).buffer), Buffer.from('b '), Buffer.from(Float32Array.of(0.5, 3).buffer)]));
  const loaded = await readVectorFile(compact);
  assert.deepEqual(loaded.vectors.words, ['é', 'b']);
  assert.deepEqual([...loaded.vectors.data], [1, -2, 0.5, 3]);
});

test('parsing decimals gives the float32 of parseFloat, on the fast path and off it', () => {
  const random = mulberry32(seed + 1);
  const cases = ['0', '-0', '+1.5', '.5', '5.', '1e5', '1E-5', '-2.5e+3', '0.000001234', '123456789012345678901', '0.1000000000000000055511151231257827', '3.4028235e38', '1e-46', '7e-46', '4.9406564584124654e-324', '9007199254740993', '1e22', '1e23'];
  for (let i = 0; i < 20000; i++) {
    const digits = Array.from({ length: int(random, 1, 20) }, () => int(random, 0, 9)).join('');
    const point = int(random, 0, digits.length);
    const exponent = random() < 0.3 ? `e${int(random, -45, 38)}` : '';
    cases.push(`${random() < 0.5 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}${exponent}`.replace(/^(-?)\.$/, '$10'));
  }
  for (const text of cases) {
    const bytes = Buffer.from(`${text} `);
    const expected = Math.fround(parseFloat(text));
    const actual = Math.fround(parseDecimal(bytes, 0, bytes.length - 1));
    assert.ok(Object.is(actual, expected), `${text}: ${actual} vs parseFloat's ${expected}`);
  }
});

test('float32Text is the shortest decimal that reads back as the same float32', () => {
  const random = mulberry32(seed + 2);
  const floats = new Float32Array(20000);
  new Uint32Array(floats.buffer).forEach((_, i, all) => (all[i] = Math.floor(random() * 2 ** 32)));
  for (const value of [...floats, ...EDGE_FLOATS.map(Math.fround)]) {
    if (!Number.isFinite(value)) continue;
    const text = float32Text(value);
    assert.ok(Object.is(Math.fround(Number(text)), value), `${value} written as ${text}`);
    const digits = text.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    if (digits.length > 1) {
      const shorter = value.toPrecision(digits.length - 1);
      assert.ok(!Object.is(Math.fround(Number(shorter)), value), `${value}: ${shorter} is shorter than ${text} and reads back the same`);
    }
  }
});

test('text files with CRLF endings, tabs, trailing spaces and blank lines read the same', async () => {
  const file = path.join(tmp, 'loose.txt');
  writeFileSync(file, '2 3\r\n\r\nfoo\t1 2\t3 \r\nbar -1  -2 -3\t\r\n\n');
  const { vectors, format } = await readVectorFile(file);
  assert.equal(format, 'word2vec-text');
  assert.deepEqual(vectors.words, ['foo', 'bar']);
  assert.deepEqual([...vectors.data], [1, 2, 3, -1, -2, -3]);
});

test('detection: fastText signature, word2vec header with text or binary rows, otherwise GloVe', async () => {
  const vectors = randomVectors(mulberry32(seed + 3), 20, 5);
  for (const format of WRITABLE) {
    const file = path.join(tmp, `detect-${format}`);
    await writeVectorFile(file, vectors, format);
    assert.equal(await detectVectorFormat(file), format);
  }
  assert.equal(await detectVectorFormat(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'vectors', 'fasttext-small.bin')), 'fasttext-bin');
  const headerOnly = path.join(tmp, 'header-only.vec');
  writeFileSync(headerOnly, '0 300\n');
  assert.equal(await detectVectorFormat(headerOnly), 'word2vec-text');
  assert.equal((await readVectorFile(headerOnly)).vectors.size, 0);
});

test('limit reads only the first words, in every format', async () => {
  const vectors = randomVectors(mulberry32(seed + 4), 50, 4);
  for (const format of WRITABLE) {
    const file = path.join(tmp, `limit-${format}`);
    await writeVectorFile(file, vectors, format);
    const loaded = await readVectorFile(file, { limit: 7 });
    assert.deepEqual(loaded.vectors.words, vectors.words.slice(0, 7));
    assert.deepEqual(bits(loaded.vectors.data), bits(vectors.data.subarray(0, 28)));
    assert.equal((await readVectorFile(file, { limit: 0 })).vectors.size, 0);
  }
});

test('progress is reported in bytes up to the file size; an aborted read stops', async () => {
  const file = path.join(tmp, 'progress.txt');
  await writeVectorFile(file, randomVectors(mulberry32(seed + 5), 200, 20), 'glove');
  const seen: Array<[number, number]> = [];
  await readVectorFile(file, { onProgress: (done, total) => seen.push([done, total]) });
  const size = readFileSync(file).length;
  assert.ok(seen.length > 0);
  assert.deepEqual(seen.at(-1), [size, size]);
  assert.ok(seen.every(([done], i) => i === 0 || done >= seen[i - 1][0]));
  const aborter = new AbortController();
  aborter.abort();
  await assert.rejects(readVectorFile(file, { signal: aborter.signal }), { name: 'AbortError' });
});

test('writing is atomic: a refused write leaves the old file and no temporary file', async () => {
  const dir = mkdtempSync(path.join(tmp, 'atomic-'));
  const file = path.join(dir, 'vectors.txt');
  await writeVectorFile(file, new WordVectors(['ok'], 1, Float32Array.of(1)), 'word2vec-text');
  const before = readFileSync(file, 'utf8');
  for (const format of WRITABLE) {
    await assert.rejects(writeVectorFile(file, new WordVectors(['ok', 'has space'], 1, Float32Array.of(1, 2)), format), (error: unknown) => error instanceof VectorFileError && error.message.startsWith(`${file}: `) && error.message.includes('"has space"'));
    await assert.rejects(writeVectorFile(file, new WordVectors(['ok', 'nan'], 1, Float32Array.of(1, NaN)), format), (error: unknown) => error instanceof VectorFileError && error.message.includes('"nan" (row 2)') && error.message.includes('NaN'));
  }
  assert.equal(readFileSync(file, 'utf8'), before);
  assert.deepEqual(readdirSync(dir), ['vectors.txt']);
  const nested = path.join(dir, 'new', 'folder', 'v.bin');
  await writeVectorFile(nested, new WordVectors(['a'], 2, Float32Array.of(1, 2)), 'word2vec-binary');
  assert.deepEqual([...(await readVectorFile(nested)).vectors.data], [1, 2]);
});

/** Every value of a text vector file, read naively (split, parseFloat, float32). */
function naiveGlove(file: string): { words: string[]; values: Float32Array } {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const rows = lines.map((line) => line.trim().split(/[ \t]+/));
  return { words: rows.map((row) => row[0]), values: Float32Array.from(rows.flatMap((row) => row.slice(1).map(Number))) };
}

test('the shared GloVe files load with every value as parseFloat reads it', { skip: skipWithoutShared }, async () => {
  for (const [name, size, dim] of [['glove_twitter_25d_12k.txt', 11925, 25], ['test_glove.txt', 76, 50]] as const) {
    const file = path.join(sharedDir!, 'vectors', name);
    assert.equal(await detectVectorFormat(file), 'glove');
    const { vectors, format, warnings } = await readVectorFile(file);
    assert.equal(format, 'glove');
    assert.deepEqual(warnings, []);
    assert.equal(vectors.size, size);
    assert.equal(vectors.dim, dim);
    const naive = naiveGlove(file);
    assert.deepEqual(vectors.words, naive.words);
    assert.deepEqual(bits(vectors.data), bits(naive.values));
  }
});
