/** `neighbors` on the command line: one JSON line per word, errors for bad options and unknown words. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { neighborsCommand } from '../../server/src/cli/neighborsCommand';
import type { Output } from '../../server/src/cli/output';
import { mostSimilar } from '../../server/src/vectors/similarity';
import { readVectorFile } from '../../server/src/vectors/vectorFiles';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-neighbors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const file = path.join(tmp, 'tiny.txt');
writeFileSync(file, ['king 1 1 0 0.1', 'queen 1 0 1 0.1', 'man 0 1 0 0.2', 'woman 0 0 1 0.2', 'apple 0 0 0.1 1', 'pear 0.1 0 0 0.9'].join('\n') + '\n');

async function run(args: string[]): Promise<string[]> {
  let text = '';
  const out = { write: async (chunk: string) => void (text += chunk), flush: async () => undefined } as unknown as Output;
  await neighborsCommand(args, out);
  return text.split('\n').filter((line) => line !== '');
}

test('neighbors prints one JSON line per word, the same as mostSimilar', async () => {
  const lines = await run(['--vectors', file, '--format', 'glove', '--topn', '2', 'king', 'apple']);
  const { vectors } = await readVectorFile(file, { format: 'glove' });
  assert.deepEqual(
    lines.map((line) => JSON.parse(line) as unknown),
    ['king', 'apple'].map((word) => ({ word, neighbors: mostSimilar(vectors, [word], [], { topn: 2 }).map((n) => ({ word: n.word, similarity: n.similarity })) })),
  );
  const restricted = JSON.parse((await run(['--vectors', file, '--restrict', '3', 'apple']))[0]) as { neighbors: Array<{ word: string }> };
  assert.deepEqual(restricted.neighbors.map((n) => n.word).sort(), ['king', 'man', 'queen']);
});

test('neighbors refuses unknown words (unless --skip-missing) and bad options', async () => {
  await assert.rejects(run(['--vectors', file, 'king', 'zebra']), /not in the vocabulary.*"zebra".*--skip-missing/);
  assert.equal((await run(['--vectors', file, '--skip-missing', 'king', 'zebra'])).length, 1);
  await assert.rejects(run(['--vectors', file, '--topn', '0', 'king']), /--topn takes a whole number/);
  await assert.rejects(run(['king']), /needs --vectors/);
  await assert.rejects(run(['--vectors', file]), /at least one WORD/);
  await assert.rejects(run(['--vectors', path.join(tmp, 'missing.txt'), 'king']), /missing\.txt/);
});
