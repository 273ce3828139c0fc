/** Bad vector files: each problem is an error (or, for duplicates, a warning) naming the file, the line and the problem. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { detectVectorFormat, readVectorFile, VectorFileError, writeVectorFile, type VectorFormat } from '../../server/src/vectors/vectorFiles';
import { WordVectors } from '../../server/src/vectors/wordVectors';

const tmp = mkdtempSync(path.join(tmpdir(), 'vector-file-errors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let fileCount = 0;

function fileWith(content: string | Buffer): string {
  const file = path.join(tmp, `case-${++fileCount}.txt`);
  writeFileSync(file, content);
  return file;
}

/** Reading fails with a VectorFileError whose message starts "FILE:LINE: " (or "FILE: ") and holds every part. */
async function assertReadError(file: string, format: VectorFormat | undefined, line: number | undefined, parts: string[]): Promise<void> {
  await assert.rejects(readVectorFile(file, { format }), (error: unknown) => {
    assert.ok(error instanceof VectorFileError, `a VectorFileError, not ${String(error)}`);
    const prefix = line === undefined ? `${file}: ` : `${file}:${line}: `;
    assert.ok(error.message.startsWith(prefix), `"${error.message}" starts with "${prefix}"`);
    assert.equal(error.line, line);
    assert.equal(error.file, file);
    for (const part of parts) assert.ok(error.message.includes(part), `"${error.message}" mentions "${part}"`);
    return true;
  });
}

const TEXT_ERRORS: Array<{ name: string; content: string; format?: VectorFormat; line?: number; parts: string[] }> = [
  { name: 'more rows than the header says', content: '2 2\na 1 2\nb 3 4\nc 5 6\n', line: 4, parts: ['more rows than the 2', 'header on line 1'] },
  { name: 'fewer rows than the header says', content: '5 2\na 1 2\nb 3 4\nc 5 6\n', parts: ['announces 5 words', 'only 3 rows'] },
  { name: 'a row shorter than the header says', content: '2 3\na 1 2 3\nb 1 2\n', line: 3, parts: ['expected 3 values', 'found 2'] },
  { name: 'a row longer than the header says', content: '2 3\na 1 2 3\nb 1 2 3 4\n', line: 3, parts: ['expected 3 values', 'found 4'] },
  { name: 'a word without values', content: '1 3\nlonely\n', line: 2, parts: ['expected 3 values', 'found 0'] },
  { name: 'NaN', content: '2 3\na 1 2 3\nb 1 nan 3\n', line: 3, parts: ['value 2', 'NaN'] },
  { name: 'NaN spelled otherwise', content: 'a 1 2\nb NaN 2\n', line: 2, parts: ['value 1', 'NaN'] },
  { name: 'infinity', content: 'a 1 2\nb 1 -Infinity\n', line: 2, parts: ['value 2', 'infinite'] },
  { name: 'inf', content: 'a inf 2\n', line: 1, parts: ['value 1', 'infinite'] },
  { name: 'a value beyond float32', content: 'a 1 2\nb 1 3.5e38\n', line: 2, parts: ['value 2', '3.5e38', 'too large for a 32-bit float'] },
  { name: 'an unparseable value', content: 'a 1 2\nb 1 0.5x\n', line: 2, parts: ['value 2', '"0.5x" is not a number'] },
  { name: 'two decimal points', content: 'a 1 2\nb 1.2.3 2\n', line: 2, parts: ['value 1', '"1.2.3" is not a number'] },
  { name: 'a comma for a decimal point', content: '1 2\na 1,5 2\n', line: 2, parts: ['"1,5" is not a number'] },
  { name: 'mixed dimensions in GloVe', content: 'a 1 2 3\nb 1 2 3\nc 1 2\n', line: 3, parts: ['expected 3 values (as on line 1)', 'found 2'] },
  { name: 'a word2vec file read as GloVe', content: '2 3\na 1 2 3\nb 1 2 3\n', format: 'glove', line: 2, parts: ['expected 1 values (as on line 1), found 3', 'looks like a word2vec header'] },
  { name: 'a GloVe file read as word2vec text', content: 'a 1 2 3\n', format: 'word2vec-text', line: 1, parts: ['expected a word2vec header'] },
  { name: 'an empty file (detected)', content: '', parts: ['empty file'] },
  { name: 'an empty file read as GloVe', content: '', format: 'glove', parts: ['empty file'] },
  { name: 'an empty file read as word2vec text', content: '', format: 'word2vec-text', parts: ['empty file'] },
  { name: 'blank lines only', content: '\n \n\r\n', format: 'glove', parts: ['empty file'] },
  { name: 'a header with no rows', content: '3 2\n', parts: ['announces 3 words', 'no rows'] },
  { name: 'a header of zero dimensions', content: '3 0\n', format: 'word2vec-text', line: 1, parts: ['0 dimensions'] },
  { name: 'a header announcing more dimensions than the file holds', content: '1 9000\na 1\n', format: 'word2vec-text', line: 1, parts: ['9000 dimensions'] },
];

for (const { name, content, format, line, parts } of TEXT_ERRORS) {
  test(`text: ${name}`, async () => {
    await assertReadError(fileWith(content), format, line, parts);
  });
}

test('text: invalid UTF-8 in a word names its line', async () => {
  const file = fileWith(Buffer.concat([Buffer.from('2 2\nok 1 2\nb'), Buffer.from([0xff, 0xfe]), Buffer.from('d 1 2\n')]));
  await assertReadError(file, undefined, 3, ['invalid UTF-8 in the word']);
});

test('text: a binary word2vec file read as text says it is binary', async () => {
  const file = path.join(tmp, 'binary.bin');
  await writeVectorFile(file, new WordVectors(['one', 'two'], 3, Float32Array.of(1.5, -2.25, 3e-5, 7, 8, 9)), 'word2vec-binary');
  await assertReadError(file, 'word2vec-text', 2, ['binary data where text was expected']);
});

test('detection refuses binary content without a known signature', async () => {
  const png = fileWith(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
  await assert.rejects(detectVectorFormat(png), (error: unknown) => error instanceof VectorFileError && error.message === `${png}: not a vector file: binary content without a word2vec header or the fastText signature`);
  await assertReadError(png, undefined, undefined, ['not a vector file']);
  const missing = path.join(tmp, 'missing.vec');
  await assertReadError(missing, undefined, undefined, ['cannot read', 'ENOENT']);
  await assertReadError(missing, 'glove', undefined, ['cannot read', 'ENOENT']);
  await assertReadError(tmp, undefined, undefined, ['not a file']);
});

test('duplicate words: a warning naming each line, the first row kept (as gensim)', async () => {
  const file = fileWith('4 2\na 1 2\nb 3 4\na 5 6\nc 7 8\n');
  const { vectors, warnings } = await readVectorFile(file);
  assert.deepEqual(vectors.words, ['a', 'b', 'c']);
  assert.deepEqual([...vectors.data], [1, 2, 3, 4, 7, 8]);
  assert.deepEqual(warnings, [{ line: 4, message: `${file}:4: duplicate word "a"; the first one is kept` }]);
  // The header counts rows, duplicates included: 4 rows here are not too few.
  const glove = fileWith('x 1\nx 2\nx 3\n');
  const loaded = await readVectorFile(glove);
  assert.deepEqual([...loaded.vectors.data], [1]);
  assert.deepEqual(loaded.warnings.map((warning) => warning.line), [2, 3]);
});

test('duplicate words: warnings stop at a hundred, with a count of the rest', async () => {
  const file = fileWith(Array.from({ length: 251 }, () => 'same 1\n').join(''));
  const { vectors, warnings } = await readVectorFile(file);
  assert.equal(vectors.size, 1);
  assert.equal(warnings.length, 101);
  assert.equal(warnings[100].message, `${file}: 150 more warnings not listed`);
});

/** word2vec binary bytes: the header, then rows of word, space, float32s and "\n". */
function binary(header: string, rows: Array<[string, number[]]>): Buffer {
  return Buffer.concat([Buffer.from(header), ...rows.flatMap(([word, values]) => [Buffer.from(`${word} `), Buffer.from(Float32Array.from(values).buffer), Buffer.from('\n')])]);
}

test('binary: a truncated row names the row, the word and the byte offsets', async () => {
  const whole = binary('2 3\n', [['first', [1, 2, 3]], ['second', [4, 5, 6]]]);
  const file = fileWith(whole.subarray(0, whole.length - 6));
  await assertReadError(file, undefined, undefined, ['truncated', 'row 2 ("second")', 'needs 12 bytes', `byte offset ${4 + 6 + 12 + 1 + 7}`, `ends at byte ${whole.length - 6}`]);
  const cutInWord = fileWith(whole.subarray(0, 4 + 6 + 12 + 1 + 3));
  await assertReadError(cutInWord, 'word2vec-binary', undefined, ['truncated', 'row 2', 'inside its word']);
});

test('binary: fewer rows than the header, more data than the header, bad values, bad words', async () => {
  await assertReadError(fileWith(binary('3 2\n', [['a', [1, 2]], ['b', [3, 4]]])), undefined, undefined, ['announces 3 words', 'ends after 2 rows']);
  await assertReadError(fileWith(binary('1 2\n', [['a', [1, 2]], ['b', [3, 4]]])), 'word2vec-binary', undefined, ['more data after the 1 rows', 'byte offset 15']);
  await assertReadError(fileWith(binary('2 2\n', [['a', [1, 2]], ['b', [3, NaN]]])), undefined, undefined, ['row 2 ("b") value 2 is NaN']);
  await assertReadError(fileWith(binary('1 2\n', [['a', [Infinity, 2]]])), undefined, undefined, ['row 1 ("a") value 1 is Infinity']);
  const badWord = Buffer.concat([Buffer.from('1 1\n'), Buffer.from([0xc3, 0x28, 0x20]), Buffer.from(Float32Array.of(1).buffer)]);
  await assertReadError(fileWith(badWord), 'word2vec-binary', undefined, ['row 1', 'invalid UTF-8 in the word']);
  await assertReadError(fileWith('no header here\n'), 'word2vec-binary', 1, ['expected a word2vec header']);
  await assertReadError(fileWith(''), 'word2vec-binary', undefined, ['empty file']);
});

test('binary: duplicate words are a warning naming the row', async () => {
  const file = fileWith(binary('3 1\n', [['a', [1]], ['b', [2]], ['a', [3]]]));
  const { vectors, warnings } = await readVectorFile(file);
  assert.deepEqual(vectors.words, ['a', 'b']);
  assert.deepEqual([...vectors.data], [1, 2]);
  assert.deepEqual(warnings, [{ line: undefined, message: `${file}: duplicate word "a" (row 3); the first one is kept` }]);
});

test('an error deep in a large file names its line, past several read chunks', async () => {
  const rows = Array.from({ length: 300000 }, (_, i) => `w${i} ${i} 0.5 -0.25 1e-3 7\n`);
  rows[277777] = 'broken 1 2 3 4\n';
  const file = fileWith(rows.join(''));
  assert.ok(readFileSync(file).length > 2 * (4 << 20), 'larger than two read chunks');
  await assertReadError(file, undefined, 277778, ['expected 5 values (as on line 1)', 'found 4']);
});

test('writing NaN or an infinity is refused in every format, naming the word and row, and leaves no file', async () => {
  const vectors = new WordVectors(['one', 'two', 'three'], 2, Float32Array.of(1, 2, 3, 4, 5, Number.NEGATIVE_INFINITY));
  for (const format of ['word2vec-text', 'glove', 'word2vec-binary'] as const) {
    const file = path.join(tmp, `not-finite-${format}.vec`);
    await assert.rejects(writeVectorFile(file, vectors, format), (error: Error) => error instanceof VectorFileError && /cannot write the vector of "three" \(row 3\): it holds -Infinity/.test(error.message));
    assert.throws(() => readFileSync(file), /ENOENT/, `${format}: nothing written`);
  }
});
