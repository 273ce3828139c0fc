// `node dist/cli.js train-tokenizer …` as a person runs it (after `npm run build`), and the trained file used by
// `tokenize`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { distDir } from '../support/paths';

const cli = path.join(distDir, 'cli.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-train-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const corpus = path.join(tmp, 'corpus.txt');
writeFileSync(corpus, Array.from({ length: 400 }, (_, i) => `line ${i}: the quick brown fox jumps over the lazy dog, again and again`).join('\n'));

/** The CLI in a child process (synchronously: the test has nothing else to do meanwhile). */
async function runCli(args: readonly string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 120_000 });
  return { code: status, stdout, stderr };
}

test('train-tokenizer writes a tokenizer.json, reports progress on stderr, and tokenize uses it', async () => {
  const output = path.join(tmp, 'out', 'bpe.json');
  const run = await runCli(['train-tokenizer', '--model', 'bpe', '--vocab-size', '300', '--min-frequency', '1', '-o', output, corpus]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${output}: bpe, 300 tokens\n`);
  assert.deepEqual(run.stderr.split('\n').filter(Boolean), ['read corpus', 'merge pairs', 'done']);
  assert.equal((await new TokenizerCatalog().load(output)).vocabSize, 300);
  const tokenized = await runCli(['tokenize', '--tokenizer', output, '--count'], 'the quick brown fox\n');
  assert.equal(tokenized.code, 0, tokenized.stderr);
  assert.match(tokenized.stdout, /^\d+\n$/);
});

test('train-tokenizer trains WordPiece and Unigram from a folder', async () => {
  for (const model of ['wordpiece', 'unigram']) {
    const output = path.join(tmp, `${model}.json`);
    const run = await runCli(['train-tokenizer', '-q', '-m', model, '-v', '120', '-o', output, tmp]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', '--quiet');
    assert.match(run.stdout, new RegExp(`: ${model}, \\d+ tokens\\n$`));
  }
});

test('train-tokenizer explains bad usage and bad input, and writes nothing then', async () => {
  const output = path.join(tmp, 'failed', 'never.json');
  const usage = await runCli(['train-tokenizer', '--model', 'bpe', '-o', output, corpus]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /needs --vocab-size N\nRun `node dist\/cli.js train-tokenizer --help` for usage\./);
  const model = await runCli(['train-tokenizer', '--model', 'sentencepiece', '-v', '100', '-o', output, corpus]);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /needs --model bpe\|wordpiece\|unigram/);
  const bad = path.join(tmp, 'bad.txt');
  writeFileSync(bad, Buffer.from([0x61, 0x62, 0xff, 0x0a]));
  const input = await runCli(['train-tokenizer', '-q', '--model', 'unigram', '-v', '100', '-o', output, bad]);
  assert.equal(input.code, 1);
  assert.equal(input.stderr, `embedding-lens train-tokenizer: ${bad}: invalid UTF-8 at byte 2; training files must be UTF-8 text\n`);
  assert.equal(existsSync(path.dirname(output)), false);
  const help = await runCli(['train-tokenizer', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: embedding-lens train-tokenizer --model bpe\|wordpiece\|unigram --vocab-size N/);
  assert.deepEqual(readdirSync(tmp).filter((name) => name.endsWith('.tmp')), []);
});
