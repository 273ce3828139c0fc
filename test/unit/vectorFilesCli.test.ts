/** The `vector` command: one JSON line per word, subword vectors for fastText models, clear errors otherwise. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { InputError } from '../../server/src/cli/inputLines';
import { Output } from '../../server/src/cli/output';
import { UsageError } from '../../server/src/cli/tokenizeCommand';
import { VECTOR_HELP, vectorCommand } from '../../server/src/cli/vectorCommand';
import { readVectorFile, writeVectorFile } from '../../server/src/vectors/vectorFiles';
import { WordVectors } from '../../server/src/vectors/wordVectors';
import { repoRoot } from '../support/paths';

const tmp = mkdtempSync(path.join(tmpdir(), 'vector-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fastTextModel = path.join(repoRoot, 'test', 'fixtures', 'vectors', 'fasttext-small.bin');

class CapturedOutput extends Output {
  text = '';
  override async write(text: string): Promise<void> {
    this.text += text;
  }
  override async flush(): Promise<void> {}
}

interface VectorLine {
  word: string;
  vector: number[];
  inVocabulary: boolean;
}

async function run(args: string[]): Promise<VectorLine[]> {
  const out = new CapturedOutput();
  await vectorCommand(args, out);
  assert.ok(out.text.endsWith('\n'));
  return out.text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as VectorLine);
}

const gloveFile = path.join(tmp, 'small.txt');
const written = writeVectorFile(gloveFile, new WordVectors(['king', 'queen', '東京'], 3, Float32Array.of(0.1, -2, 3e-8, 1, 2, 3, -0.5, 0.25, 0)), 'glove');

test('prints each word as {"word", "vector", "inVocabulary"}, values as their shortest float32 decimals', async () => {
  await written;
  assert.deepEqual(await run(['--vectors', gloveFile, '東京', 'king']), [
    { word: '東京', vector: [-0.5, 0.25, 0], inVocabulary: true },
    { word: 'king', vector: [0.1, -2, 3e-8], inVocabulary: true },
  ]);
});

test('a word without a vector is an error naming it, unless --skip-missing', async () => {
  await written;
  await assert.rejects(run(['--vectors', gloveFile, 'king', 'prince']), (error: unknown) => error instanceof InputError && error.message.includes(gloveFile) && error.message.includes('"prince"'));
  assert.deepEqual((await run(['--vectors', gloveFile, '--skip-missing', 'prince', 'queen'])).map((line) => line.word), ['queen']);
});

test('fastText models give out-of-vocabulary words their subword vectors', async () => {
  const { vectors } = await readVectorFile(fastTextModel);
  const lines = await run(['--vectors', fastTextModel, 'the', 'naïve']);
  assert.deepEqual(lines.map((line) => [line.word, line.inVocabulary]), [['the', true], ['naïve', false]]);
  for (const line of lines) assert.deepEqual(Float32Array.from(line.vector), vectors.vector(line.word));
});

test('usage errors: no file, no word, an unknown format; --help', async () => {
  await assert.rejects(run(['king']), UsageError);
  await assert.rejects(run(['--vectors', gloveFile]), UsageError);
  await assert.rejects(run(['--vectors', gloveFile, '--format', 'xml', 'king']), /--format takes word2vec-text, word2vec-binary, glove, fasttext-bin/);
  const out = new CapturedOutput();
  await vectorCommand(['--help'], out);
  assert.equal(out.text, VECTOR_HELP);
});
