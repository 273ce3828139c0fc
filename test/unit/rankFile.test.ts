// Rank files (`<base64 token> <rank>` per line) and the catalog that loads bundled encodings or files.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TIKTOKEN_ENCODINGS } from '../../models/tiktokenEncodings';
import { findEncodingsDir, TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { formatRanks, parseRanks, readRankFile } from '../../server/src/tokenizers/rankFile';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import { distDir } from '../support/paths';

const encodingsDir = path.join(distDir, 'encodings');
const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-rankfile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const b64 = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('base64');

/** Lines giving every single byte its own rank: byte b has rank b. */
const SINGLE_BYTE_LINES: readonly string[] = Array.from({ length: 256 }, (_, b) => `${b64(String.fromCharCode(b))} ${b}`);

function fileWith(...extra: string[]): string {
  return [...SINGLE_BYTE_LINES, ...extra].join('\n') + '\n';
}

/** Asserts that parseRanks fails with a TokenizerLoadError that names the file and every fragment. */
function assertParseError(text: string, fragments: readonly (string | RegExp)[], label: string): void {
  const file = `/some/where/${label.replace(/\W+/g, '-')}.tiktoken`;
  assert.throws(
    () => parseRanks(text, file),
    (error: unknown) => {
      assert.ok(error instanceof TokenizerLoadError, `${label}: a TokenizerLoadError, got ${String(error)}`);
      assert.equal(error.file, file, `${label}: error.file`);
      assert.ok(error.message.startsWith(`${file}: `), `${label}: message starts with the file: ${error.message}`);
      for (const fragment of fragments) {
        if (typeof fragment === 'string') assert.ok(error.message.includes(fragment), `${label}: ${JSON.stringify(fragment)} in ${JSON.stringify(error.message)}`);
        else assert.match(error.message, fragment, label);
      }
      return true;
    },
    label,
  );
}

test('parseRanks reads a well-formed file', () => {
  const ranks = parseRanks(fileWith(`${b64('ab')} 256`, `${b64('abc')} 300`), 'x.tiktoken');
  assert.equal(ranks.byBytes.size, 258);
  assert.equal(ranks.byBytes.get('ab'), 256);
  assert.equal(ranks.byBytes.get('abc'), 300);
  assert.equal(ranks.byBytes.get('\u00ff'), 255);
  assert.equal(ranks.bytesOf[256], 'ab');
  assert.equal(ranks.bytesOf[300], 'abc');
  assert.equal(ranks.bytesOf[299], undefined, 'a hole where a rank is unused');
  assert.equal(ranks.bytesOf.length, 301);
});

test('parseRanks accepts CRLF line ends, blank lines and no final newline', () => {
  const lf = parseRanks(fileWith(`${b64('ab')} 256`), 'lf.tiktoken');
  const crlf = parseRanks(fileWith(`${b64('ab')} 256`).replace(/\n/g, '\r\n'), 'crlf.tiktoken');
  const blank = parseRanks(`\n\n${fileWith('', `${b64('ab')} 256`).trimEnd()}`, 'blank.tiktoken');
  for (const other of [crlf, blank]) {
    assert.deepEqual([...other.byBytes], [...lf.byBytes]);
    assert.deepEqual(other.bytesOf, lf.bytesOf);
  }
});

test('parseRanks errors name the file and the line', () => {
  const line = SINGLE_BYTE_LINES.length + 1; // the first extra line
  assertParseError(fileWith('YW*= 256'), [`line ${line}:`, 'not a base64 token', '<base64 token> <rank>'], 'bad base64 character');
  assertParseError(fileWith('YWI 256'), [`line ${line}:`, 'not a base64 token'], 'base64 of the wrong length');
  assertParseError(fileWith('YWI=== 256'), [`line ${line}:`, 'not a base64 token'], 'too much base64 padding');
  assertParseError(fileWith(' YWI= 256'), [`line ${line}:`], 'line starting with a space');
  assertParseError(fileWith('YWI='), [`line ${line}:`, '<base64 token> <rank>'], 'missing rank');
  assertParseError(fileWith('YWI= '), [`line ${line}:`, 'rank "" is not a non-negative integer'], 'empty rank');
  assertParseError(fileWith('YWI= 1.5'), [`line ${line}:`, 'rank "1.5" is not a non-negative integer'], 'fractional rank');
  assertParseError(fileWith('YWI= -3'), [`line ${line}:`, 'rank "-3"'], 'negative rank');
  assertParseError(fileWith('YWI= 1e3'), [`line ${line}:`, 'rank "1e3"'], 'exponent rank');
  assertParseError(fileWith('YWI= twelve'), [`line ${line}:`, 'rank "twelve"'], 'word rank');
  assertParseError(fileWith('YWI= 256 257'), [`line ${line}:`, 'rank "256 257"'], 'two ranks');
  assertParseError(fileWith(`${b64('a')} 256`), [`line ${line}:`, `token ${b64('a')} appears twice`], 'duplicate token');
  assertParseError(fileWith(`${b64('ab')} 256`, `${b64('ab')} 257`), [`line ${line + 1}:`, 'appears twice'], 'duplicate multi-byte token');
  assertParseError(fileWith(`${b64('ab')} 7`), [`line ${line}:`, 'rank 7 is given to two tokens'], 'duplicate rank');
  // Blank lines count: the error names the line a person sees in an editor.
  assertParseError(`\n\n${fileWith('YW*= 256')}`, [`line ${line + 2}:`], 'line numbers count blank lines');
  assertParseError(`${b64('a')} 0\nbad line\n`, ['line 2:'], 'bad second line');
});

test('parseRanks rejects a file that lacks a single byte, or has no ranks', () => {
  const withoutA = SINGLE_BYTE_LINES.filter((_, b) => b !== 0x41).join('\n');
  assertParseError(withoutA, ['no rank for the single byte 0x41'], 'missing byte 0x41');
  const withoutZero = SINGLE_BYTE_LINES.slice(1).join('\n');
  assertParseError(withoutZero, ['0x0', 'every byte needs one'], 'missing byte 0x00');
  assertParseError('', ['no ranks found'], 'empty file');
  assertParseError('\n\r\n\n', ['no ranks found'], 'blank lines only');
});

test('formatRanks(parseRanks(x)) gives x back', () => {
  const text = fileWith(`${b64('ab')} 256`, `${b64('\u00ff\u00fe\u0000')} 257`, `${b64('hello world')} 258`);
  assert.equal(formatRanks(parseRanks(text, 'x.tiktoken')), text);
  // Holes (unused ranks) are left out, and the ranks read back the same.
  const holey = fileWith(`${b64('ab')} 1000`, `${b64('cd')} 300`);
  const parsed = parseRanks(holey, 'holey.tiktoken');
  const formatted = formatRanks(parsed);
  assert.equal(formatted.split('\n').length, 256 + 2 + 1);
  assert.ok(formatted.endsWith(`${b64('cd')} 300\n${b64('ab')} 1000\n`), 'lines in rank order');
  const again = parseRanks(formatted, 'again.tiktoken');
  assert.deepEqual(new Map([...again.byBytes].sort()), new Map([...parsed.byBytes].sort()));
  assert.deepEqual(again.bytesOf, parsed.bytesOf);
});

test('formatRanks(readRankFile(f)) equals each bundled rank file byte for byte', () => {
  for (const file of ['cl100k_base.tiktoken', 'o200k_base.tiktoken', 'p50k_base.tiktoken', 'r50k_base.tiktoken']) {
    const full = path.join(encodingsDir, file);
    assert.equal(formatRanks(readRankFile(full)), readFileSync(full, 'latin1'), file);
  }
});

test('readRankFile on a missing file is a TokenizerLoadError naming it', () => {
  const missing = path.join(tmp, 'no-such-file.tiktoken');
  assert.throws(
    () => readRankFile(missing),
    (error: unknown) =>
      error instanceof TokenizerLoadError && error.file === missing && error.message.includes(missing) && error.message.includes('cannot read'),
  );
});

/** Awaits a rejected load and checks it is a TokenizerLoadError whose message holds every fragment. */
async function assertLoadError(promise: Promise<unknown>, fragments: readonly string[], label: string): Promise<TokenizerLoadError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TokenizerLoadError, `${label}: rejects with a TokenizerLoadError, got ${String(caught)}`);
  for (const fragment of fragments) assert.ok(caught.message.includes(fragment), `${label}: ${JSON.stringify(fragment)} in ${JSON.stringify(caught.message)}`);
  return caught;
}

test('catalog: lists the bundled encodings', () => {
  const catalog = new TokenizerCatalog();
  assert.deepEqual(catalog.list().map((t) => t.id), ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base', 'gpt2']);
  for (const info of catalog.list()) {
    assert.equal(info.family, 'tiktoken');
    assert.ok(info.description.length > 0);
    assert.ok(catalog.isBundled(info.id));
  }
  assert.ok(!catalog.isBundled('cl100k'));
  assert.ok(!catalog.isBundled(path.join(encodingsDir, 'cl100k_base.tiktoken')));
});

test('catalog: an unknown name errors with the list of bundled names', async () => {
  const catalog = new TokenizerCatalog();
  const error = await assertLoadError(catalog.load('cl100k'), ['cl100k', 'no bundled tokenizer', ...TIKTOKEN_ENCODINGS.map((s) => s.name)], 'unknown name');
  assert.equal(error.file, 'cl100k');
  await assertLoadError(catalog.load('GPT2'), ['GPT2', 'cl100k_base, o200k_base, p50k_base, r50k_base, gpt2'], 'names are case-sensitive');
});

test('catalog: loads bundled encodings once', async () => {
  const catalog = new TokenizerCatalog();
  const first = await catalog.load('gpt2');
  assert.equal(await catalog.load('gpt2'), first);
  assert.equal(first.name, 'gpt2');
  const r50k = await catalog.load('r50k_base');
  assert.equal(r50k.name, 'r50k_base');
  assert.deepEqual(first.encodeIds('Hello world'), r50k.encodeIds('Hello world'));
});

test('catalog: a .tiktoken file that is a copy of a bundled one loads as that encoding', async () => {
  const catalog = new TokenizerCatalog();
  const copy = path.join(tmp, 'my-code-ranks.tiktoken');
  copyFileSync(path.join(encodingsDir, 'p50k_base.tiktoken'), copy);
  const fromFile = await catalog.load(copy);
  const bundled = await catalog.load('p50k_base');
  assert.equal(fromFile.name, 'p50k_base');
  const text = 'def f(x):\n        return x  # <|endoftext|>';
  assert.deepEqual(fromFile.encodeIds(text), bundled.encodeIds(text));
  assert.deepEqual(fromFile.encodeIds(text, { allowSpecial: true }), bundled.encodeIds(text, { allowSpecial: true }));
  assert.ok(fromFile.encodeIds(text, { allowSpecial: true }).includes(50256), 'the special tokens of p50k_base come along');
});

test('catalog: a .tiktoken file of no known encoding errors clearly', async () => {
  const catalog = new TokenizerCatalog();
  const other = path.join(tmp, 'other.tiktoken');
  writeFileSync(other, fileWith(`${b64('ab')} 256`));
  await assertLoadError(catalog.load(other), [other, 'not a bundled encoding', 'pre-tokenize', 'tiktoken_config.json'], 'unknown rank file');
  // A bundled file with one byte changed is no longer known either.
  const edited = path.join(tmp, 'edited.tiktoken');
  const content = readFileSync(path.join(encodingsDir, 'r50k_base.tiktoken'));
  writeFileSync(edited, Buffer.concat([content, Buffer.from('\n')]));
  await assertLoadError(catalog.load(edited), [edited, 'not a bundled encoding'], 'edited rank file');
});

test('catalog: wrong contents, unknown extensions and missing files error clearly', async () => {
  const catalog = new TokenizerCatalog();
  const json = path.join(tmp, 'tokenizer.json');
  writeFileSync(json, '{}');
  await assertLoadError(catalog.load(json), [json, 'not a tokenizer.json', '"model"'], '.json file');
  const sameBytesOtherName = path.join(tmp, 'p50k_base.txt');
  copyFileSync(path.join(encodingsDir, 'p50k_base.tiktoken'), sameBytesOtherName);
  await assertLoadError(catalog.load(sameBytesOtherName), [sameBytesOtherName, 'vocab.txt', '[UNK]'], 'rank file named .txt');
  const other = path.join(tmp, 'ranks.bin');
  copyFileSync(path.join(encodingsDir, 'p50k_base.tiktoken'), other);
  await assertLoadError(catalog.load(other), [other, 'unknown tokenizer file type'], '.bin file');
  const missing = path.join(tmp, 'missing.tiktoken');
  await assertLoadError(catalog.load(missing), [missing, 'cannot read the file', 'ENOENT'], 'missing file');
});

test('catalog: a file that failed to load is read again on the next load', async () => {
  const catalog = new TokenizerCatalog();
  const later = path.join(tmp, 'later.tiktoken');
  await assertLoadError(catalog.load(later), [later, 'ENOENT'], 'before the file exists');
  copyFileSync(path.join(encodingsDir, 'r50k_base.tiktoken'), later);
  const tokenizer = await catalog.load(later);
  assert.deepEqual(tokenizer.encodeIds('hello'), (await catalog.load('r50k_base')).encodeIds('hello'));
});

test('catalog: a missing encodings folder names the missing rank file', async () => {
  const empty = mkdtempSync(path.join(tmp, 'empty-'));
  const catalog = new TokenizerCatalog(empty);
  await assertLoadError(catalog.load('gpt2'), [path.join(empty, 'r50k_base.tiktoken'), 'cannot read the file'], 'empty encodings folder');
});

test('findEncodingsDir: EMBEDDING_LENS_ENCODINGS overrides, else dist/encodings is found', () => {
  const saved = process.env.EMBEDDING_LENS_ENCODINGS;
  try {
    delete process.env.EMBEDDING_LENS_ENCODINGS;
    assert.equal(path.resolve(findEncodingsDir()), path.resolve(encodingsDir));
    process.env.EMBEDDING_LENS_ENCODINGS = tmp;
    assert.equal(findEncodingsDir(), tmp);
  } finally {
    if (saved === undefined) delete process.env.EMBEDDING_LENS_ENCODINGS;
    else process.env.EMBEDDING_LENS_ENCODINGS = saved;
  }
});
