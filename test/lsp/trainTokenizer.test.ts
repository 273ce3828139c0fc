// embeddingLens/trainTokenizer through dist/server.js over stdio: trains on the workspace in a worker thread,
// reports work-done progress, writes under .embedding-lens/tokenizers, and writes nothing when cancelled.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  CancellationTokenSource,
  InitializedNotification,
  InitializeRequest,
  LSPErrorCodes,
  ResponseError,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { TrainTokenizerRequest } from '../../server/src/protocol';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { LspTestClient } from '../support/lspClient';


const workspace = mkdtempSync(path.join(tmpdir(), 'embedding-lens-lsp-train-'));
let client: LspTestClient;

before(async () => {
  mkdirSync(path.join(workspace, 'notes'));
  const sentences = ['The worker trains while the editor stays responsive.', 'Tokenizers learn pieces of words from text.', 'Cancelling writes nothing at all.'];
  writeFileSync(path.join(workspace, 'notes', 'a.md'), Array.from({ length: 300 }, (_, i) => `${sentences[i % 3]} Note ${i}.`).join('\n'));
  writeFileSync(path.join(workspace, 'readme.txt'), 'A small workspace to train a tokenizer on.\n');
  client = new LspTestClient();
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
    capabilities: { window: { workDoneProgress: true } },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  await client.stop();
  rmSync(workspace, { recursive: true, force: true });
});


test('trains on the workspace files with progress and saves under .embedding-lens/tokenizers', async () => {
  const progress = client.collectProgress('train-1');
  const result = await client.connection.sendRequest(TrainTokenizerRequest, { model: 'unigram', vocabSize: 150, workDoneToken: 'train-1' });
  const expected = path.join(workspace, '.embedding-lens', 'tokenizers', 'unigram-150.json');
  assert.deepEqual({ ...result, vocabSize: 0 }, { path: expected, vocabSize: 0, files: 2 });
  assert.ok(result.vocabSize > 60 && result.vocabSize <= 150, `${result.vocabSize} tokens (a small corpus may give fewer than asked)`);
  const tokenizer = await new TokenizerCatalog().load(expected);
  assert.ok(tokenizer.count('The worker trains.') < 'The worker trains.'.length);
  assert.equal(progress[0].kind, 'begin');
  assert.equal(progress.at(-1)!.kind, 'end');
  const percentages = progress.filter((p): p is WorkDoneProgressReport => p.kind === 'report').map((p) => p.percentage ?? 0);
  assert.ok(percentages.length > 0, 'progress reports');
  assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'progress only moves forward');
});

test('chosen files and folders, and an explicit output path', async () => {
  const output = path.join(workspace, 'out', 'bpe.json');
  const result = await client.connection.sendRequest(TrainTokenizerRequest, {
    model: 'bpe',
    vocabSize: 300,
    minFrequency: 1,
    paths: [pathToFileURL(path.join(workspace, 'notes')).href],
    output,
  });
  assert.deepEqual(result, { path: output, vocabSize: 300, files: 1 });
});

test('a cancelled request stops the worker and writes nothing', async () => {
  const big = path.join(workspace, 'big');
  mkdirSync(big);
  const words = Array.from({ length: 5000 }, (_, i) => `w${(i * 7919) % 100_003}x${i % 37}`);
  writeFileSync(path.join(big, 'corpus.txt'), Array.from({ length: 6000 }, (_, i) => words.slice(i % 4000, (i % 4000) + 12).join(' ')).join('\n'));
  const cancel = new CancellationTokenSource();
  const progress = client.collectProgress('train-cancel', (value) => {
    if (value.kind === 'report') cancel.cancel();
  });
  const output = path.join(big, 'never.json');
  await assert.rejects(
    client.connection.sendRequest(TrainTokenizerRequest, { model: 'unigram', vocabSize: 5000, paths: [big], output, workDoneToken: 'train-cancel' }, cancel.token),
    (error: unknown) => error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled,
  );
  assert.equal(existsSync(output), false);
  assert.ok(progress.some((p) => p.kind === 'begin'));
});

test('problems come back as errors that say what is wrong', async () => {
  await assert.rejects(
    client.connection.sendRequest(TrainTokenizerRequest, { model: 'wordpiece', vocabSize: 100, paths: [path.join(workspace, 'missing')] }),
    /missing: cannot read the training file or folder \(ENOENT\)/,
  );
  await assert.rejects(client.connection.sendRequest(TrainTokenizerRequest, { model: 'unigram', vocabSize: 10, paths: [path.join(workspace, 'readme.txt')] }), /vocabulary size 10 is too small/);
});
