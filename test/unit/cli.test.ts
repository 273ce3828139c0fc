// The command line, run as a person runs it: `node dist/cli.js tokenize …` with input on stdin or in a file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import type { Encoding, Tokenizer } from '../../server/src/tokenizers/types';
import { distDir } from '../support/paths';

const cli = path.join(distDir, 'cli.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[], input?: string | Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.EMBEDDING_LENS_ENCODINGS;
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.on('error', () => {}); // a CLI that exits before reading its input
    child.stdin.end(input ?? '');
  });
}

function jsonLines(stdout: string): Encoding[] {
  assert.ok(stdout === '' || stdout.endsWith('\n'), `output ends with a newline: ${JSON.stringify(stdout.slice(-40))}`);
  return stdout === '' ? [] : stdout.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Encoding);
}

const catalog = new TokenizerCatalog();
let gpt2: Tokenizer;
const gpt2Ready = catalog.load('gpt2').then((t) => (gpt2 = t));

/** What the CLI must print for these texts: one JSON line each, as encode() gives. */
function expectedJson(tokenizer: Tokenizer, texts: readonly string[], allowSpecial = false): string {
  return texts.map((text) => `${JSON.stringify(tokenizer.encode(text, { allowSpecial }))}\n`).join('');
}

test('tokenize prints one JSON line per input line, with ids, tokens and offsets', async () => {
  await gpt2Ready;
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2'], 'Hello world\nsecond line, 2nd 😀\n');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, expectedJson(gpt2, ['Hello world', 'second line, 2nd 😀']));
  const [first] = jsonLines(run.stdout);
  assert.deepEqual(Object.keys(first), ['ids', 'tokens', 'offsets']);
  assert.deepEqual(first, { ids: [15496, 995], tokens: ['Hello', ' world'], offsets: [[0, 5], [5, 11]] });
});

test('tokenize: CRLF lines, a last line without a newline, blank lines', async () => {
  await gpt2Ready;
  const run = await runCli(['tokenize', '-t', 'gpt2'], 'a b\r\n\r\nc d\r\nlast');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, expectedJson(gpt2, ['a b', '', 'c d', 'last']));
  const lines = jsonLines(run.stdout);
  assert.deepEqual(lines[1], { ids: [], tokens: [], offsets: [] });
  assert.ok(!lines.some((line) => line.tokens.some((token) => token.includes('\r'))), 'no \\r in any token');
});

test('tokenize --count prints the number of tokens of each line', async () => {
  await gpt2Ready;
  const texts = ['Hello world', '', 'a😀b <|endoftext|>'];
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', '--count'], `${texts.join('\n')}\n`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, texts.map((text) => `${gpt2.count(text)}\n`).join(''));
  assert.equal(run.stdout, '2\n0\n11\n');
});

test('tokenize --special: <|endoftext|> is one special token only with --special', async () => {
  await gpt2Ready;
  const text = 'end<|endoftext|>';
  const special = await runCli(['tokenize', '--tokenizer', 'gpt2', '--special'], `${text}\n`);
  assert.equal(special.code, 0, special.stderr);
  assert.deepEqual(jsonLines(special.stdout), [{ ids: [437, 50256], tokens: ['end', '<|endoftext|>'], offsets: [[0, 3], [3, 16]] }]);
  const plain = await runCli(['tokenize', '--tokenizer', 'gpt2'], `${text}\n`);
  assert.equal(plain.code, 0, plain.stderr);
  const [encoding] = jsonLines(plain.stdout);
  assert.ok(!encoding.ids.includes(50256), 'plain text without --special');
  assert.deepEqual(encoding.ids, gpt2.encodeIds(text));
  const counted = await runCli(['tokenize', '--tokenizer', 'gpt2', '--special', '--count'], `${text}\n`);
  assert.equal(counted.stdout, '2\n');
  const addSpecial = await runCli(['tokenize', '--tokenizer', 'gpt2', '--add-special-tokens'], `${text}\n`);
  assert.equal(addSpecial.code, 0, addSpecial.stderr);
  assert.equal(addSpecial.stdout, plain.stdout, '--add-special-tokens is a no-op for tiktoken');
});

test('tokenize --jsonl: each line is a JSON string that may hold newlines', async () => {
  await gpt2Ready;
  const texts = ['first\nsecond', 'tab\there', '', 'crlf\r\n inside'];
  const input = `${texts.map((t) => JSON.stringify(t)).join('\n')}\n\n   \n${JSON.stringify('after blank lines')}\n`;
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', '--jsonl'], input);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, expectedJson(gpt2, [...texts, 'after blank lines']));
  const [first] = jsonLines(run.stdout);
  assert.ok(first.tokens.includes('\n'), 'the newline inside the string is tokenized');
});

test('tokenize --jsonl: a line that is not a JSON string fails naming the line', async () => {
  await gpt2Ready;
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', '--jsonl'], '"ok"\n42\n"never"\n');
  assert.equal(run.code, 1);
  assert.match(run.stderr, /standard input: line 2: expected a JSON string, got number/);
  assert.equal(run.stdout, expectedJson(gpt2, ['ok']), 'the lines before the bad one are printed');
  const array = await runCli(['tokenize', '--tokenizer', 'gpt2', '--jsonl'], '\n["a"]\n');
  assert.equal(array.code, 1);
  assert.match(array.stderr, /line 2: expected a JSON string, got an array/);
  const broken = await runCli(['tokenize', '--tokenizer', 'gpt2', '--jsonl'], '"a"\n"b"\n{not json\n');
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /line 3: not valid JSON/);
  const file = path.join(tmp, 'texts.jsonl');
  writeFileSync(file, '"a"\nnull\n');
  const fromFile = await runCli(['tokenize', '--tokenizer', 'gpt2', '--jsonl', file]);
  assert.equal(fromFile.code, 1);
  assert.ok(fromFile.stderr.includes(`${file}: line 2: expected a JSON string, got object`), fromFile.stderr);
});

test('tokenize reads a file argument, or stdin for "-"', async () => {
  await gpt2Ready;
  const file = path.join(tmp, 'input.txt');
  writeFileSync(file, 'from a file\nline two\n');
  const fromFile = await runCli(['tokenize', '--tokenizer', 'gpt2', file], 'stdin is ignored\n');
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, expectedJson(gpt2, ['from a file', 'line two']));
  const dash = await runCli(['tokenize', '--tokenizer', 'gpt2', '-'], 'from stdin\n');
  assert.equal(dash.stdout, expectedJson(gpt2, ['from stdin']));
  const missing = path.join(tmp, 'missing.txt');
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', missing]);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(missing) && run.stderr.includes('ENOENT'), run.stderr);
});

test('tokenize: a tokenizer given as a .tiktoken path', async () => {
  await gpt2Ready;
  const run = await runCli(['tokenize', '--tokenizer', path.join(distDir, 'encodings', 'r50k_base.tiktoken')], 'Hello world\n');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, expectedJson(gpt2, ['Hello world']));
});

test('tokenize: invalid UTF-8 is an error naming the input', async () => {
  const file = path.join(tmp, 'latin1.txt');
  writeFileSync(file, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', file]);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(file), run.stderr);
  assert.match(run.stderr, /invalid UTF-8/);
  assert.equal(run.stdout, '');
  const truncated = path.join(tmp, 'truncated.txt');
  writeFileSync(truncated, Buffer.from([0x61, 0x0a, 0xe4, 0xb8])); // "a\n" then 2 of the 3 bytes of 中
  const cut = await runCli(['tokenize', '--tokenizer', 'gpt2', truncated]);
  assert.equal(cut.code, 1);
  assert.ok(cut.stderr.includes(truncated) && /invalid UTF-8/.test(cut.stderr), cut.stderr);
  const stdin = await runCli(['tokenize', '--tokenizer', 'gpt2'], Buffer.from([0xff, 0xfe, 0x0a]));
  assert.equal(stdin.code, 1);
  assert.match(stdin.stderr, /standard input: invalid UTF-8/);
});

test('tokenize: a character split across read chunks is decoded whole', async () => {
  await gpt2Ready;
  // 70 000 × 3 bytes: the 64 KiB read chunks end inside a character.
  const text = `x${'中'.repeat(70_000)}`;
  const file = path.join(tmp, 'big.txt');
  writeFileSync(file, `${text}\nend\n`);
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2', '--count', file]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${gpt2.count(text)}\n1\n`);
});

test('tokenize: much output (several 64 KiB flushes) arrives whole and in order', async () => {
  await gpt2Ready;
  const texts = Array.from({ length: 3000 }, (_, i) => `line ${i}: the quick brown fox`);
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2'], `${texts.join('\n')}\n`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, expectedJson(gpt2, texts));
});

test('tokenize: empty input gives no output', async () => {
  const run = await runCli(['tokenize', '--tokenizer', 'gpt2'], '');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, '');
  const file = path.join(tmp, 'empty.txt');
  writeFileSync(file, '');
  const fromFile = await runCli(['tokenize', '--tokenizer', 'gpt2', '--count', file]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.equal(fromFile.stdout, '');
});

test('tokenize: an unknown tokenizer exits 1 naming it', async () => {
  const run = await runCli(['tokenize', '--tokenizer', 'gpt-5'], 'hi\n');
  assert.equal(run.code, 1);
  assert.match(run.stderr, /gpt-5: no bundled tokenizer has this name/);
  assert.match(run.stderr, /cl100k_base, o200k_base, p50k_base, r50k_base, gpt2/);
  assert.equal(run.stdout, '');
  const file = await runCli(['tokenize', '--tokenizer', path.join(tmp, 'nope.tiktoken')], 'hi\n');
  assert.equal(file.code, 1);
  assert.ok(file.stderr.includes(path.join(tmp, 'nope.tiktoken')), file.stderr);
});

test('tokenize: usage errors exit 2', async () => {
  const missing = await runCli(['tokenize'], 'hi\n');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--tokenizer/);
  assert.match(missing.stderr, /tokenize --help/);
  assert.equal(missing.stdout, '');
  const unknownOption = await runCli(['tokenize', '--tokenizer', 'gpt2', '--bogus'], 'hi\n');
  assert.equal(unknownOption.code, 2);
  assert.match(unknownOption.stderr, /--bogus/);
  const twoFiles = await runCli(['tokenize', '--tokenizer', 'gpt2', 'a.txt', 'b.txt']);
  assert.equal(twoFiles.code, 2);
  assert.match(twoFiles.stderr, /one input file, got 2/);
  const noValue = await runCli(['tokenize', '--tokenizer']);
  assert.equal(noValue.code, 2, noValue.stderr);
  const unknownCommand = await runCli(['tokenise']);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /unknown command "tokenise"/);
  const nothing = await runCli([]);
  assert.equal(nothing.code, 2);
  assert.match(nothing.stdout, /Usage:/);
});

test('--help and tokenize --help exit 0 and mention every option', async () => {
  const options = ['--tokenizer', '-t', '--special', '--add-special-tokens', '--jsonl', '--count', '--help'];
  for (const args of [['--help'], ['-h'], ['help'], ['tokenize', '--help'], ['tokenize', '-h']]) {
    const run = await runCli(args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, '');
    for (const option of options) assert.ok(run.stdout.includes(option), `${args.join(' ')} mentions ${option}`);
    assert.match(run.stdout, /tokenize/);
  }
  const top = await runCli(['--help']);
  assert.match(top.stdout, /Commands:\n\s+tokenize\s/);
});
