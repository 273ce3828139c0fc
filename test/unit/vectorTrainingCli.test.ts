/** `node dist/cli.js train-vectors` as a subprocess on a tiny corpus: outputs, usage errors, bad input. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { distDir } from '../support/paths';

const cli = path.join(distDir, 'cli.js');
const thread = path.join(distDir, 'vectorTrainingThread.js');
const skip = !existsSync(cli) ? `${cli} is absent: run npm run build` : !existsSync(thread) ? `${thread} is absent: the build does not bundle the vector training thread yet` : false;

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-train-vectors-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const corpus = path.join(tmp, 'corpus.txt');
writeFileSync(corpus, 'the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n'.repeat(50));

function trainVectors(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'train-vectors', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('train-vectors writes word2vec text vectors; fastText also writes its .bin', { skip }, () => {
  const vec = path.join(tmp, 'w2v.vec');
  const run = trainVectors(['--algo', 'word2vec', '--mode', 'cbow', '--loss', 'hs', '--dim', '8', '--min-count', '1', '--epochs', '2', '--threads', '2', '-o', vec, corpus]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /w2v\.vec: word2vec cbow hs, 9 words × 8/);
  const lines = readFileSync(vec, 'utf8').trim().split('\n');
  assert.equal(lines[0], '9 8');
  assert.equal(lines.length, 10);
  assert.equal(lines[1].split(' ')[0], 'the', 'most frequent first');

  const ft = path.join(tmp, 'ft.vec');
  const fastText = trainVectors(['--algo', 'fasttext', '--dim', '8', '--min-count', '1', '--epochs', '1', '--bucket', '1000', '--quiet', '-o', ft, corpus]);
  assert.equal(fastText.status, 0, fastText.stderr);
  assert.equal(fastText.stderr, '', '--quiet prints no progress');
  assert.ok(existsSync(path.join(tmp, 'ft.bin')), 'the fastText model is written beside the .vec');
});

test('train-vectors reports usage errors with exit 2 and bad input with exit 1, writing nothing', { skip }, () => {
  const out = path.join(tmp, 'never.vec');
  const usage = trainVectors(['--algo', 'bert', '-o', out, corpus]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--algo takes word2vec, fasttext, glove, got "bert"/);
  const exponent = trainVectors(['--ns-exponent', 'half', '-o', out, corpus]);
  assert.equal(exponent.status, 2);
  assert.match(exponent.stderr, /--ns-exponent takes a number ≥ 0, got "half"/);
  const noOutput = trainVectors([corpus]);
  assert.equal(noOutput.status, 2);
  assert.match(noOutput.stderr, /needs --output/);
  const missing = path.join(tmp, 'missing.txt');
  const bad = trainVectors(['-o', out, missing]);
  assert.equal(bad.status, 1);
  assert.ok(bad.stderr.includes(missing), bad.stderr);
  const tooRare = trainVectors(['--min-count', '1000', '-o', out, corpus]);
  assert.equal(tooRare.status, 1);
  assert.match(tooRare.stderr, /no word seen at least 1000 times/);
  assert.ok(!readdirSync(tmp).some((file) => file.startsWith('never.vec')), 'no output or temporary file');
});
