// embeddingLens/downloadHubTokenizer through dist/server.js over stdio, against the fake Hub on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  CancellationTokenSource,
  ConfigurationRequest,
  InitializedNotification,
  InitializeRequest,
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
  WorkDoneProgressCreateRequest,
  type ConfigurationItem,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';
import { DownloadHubTokenizerRequest, type DownloadHubTokenizerErrorData, type DownloadHubTokenizerParams } from '../../server/src/protocol';
import { FakeHub, repoFromDirectory, TINY_BERT_DIR } from '../support/hubServer';
import { LspTestClient } from '../support/lspClient';

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/** Big enough for many progress reports and a download cut half way. */
const BIG = Buffer.from(JSON.stringify({ model: { type: 'WordPiece', vocab: Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`piece${i}`, i])) } }));

const storage = mkdtempSync(path.join(tmpdir(), 'embedding-lens-lsp-hub-'));
let hub: FakeHub;
let client: LspTestClient;
/** Progress of server-created work-done tokens, by token. */
const serverProgress = new Map<string | number, ProgressValue[]>();
let onServerProgress: ((token: string | number, value: ProgressValue) => void) | undefined;

before(async () => {
  hub = await FakeHub.start([
    repoFromDirectory('fixture/tiny-bert', TINY_BERT_DIR),
    ...['fixture/big', 'fixture/cancel-a', 'fixture/cancel-b'].map((id) => ({ id, files: { 'tokenizer.json': BIG, 'tokenizer_config.json': '{}' }, largeFiles: ['tokenizer.json'] })),
  ]);
  client = new LspTestClient();
  const { connection } = client;
  connection.onRequest(ConfigurationRequest.type, ({ items }) => items.map((item: ConfigurationItem) => (item.section === 'embeddingLens.hub' ? { endpoint: hub.endpoint } : null)));
  connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
    serverProgress.set(token, []);
    connection.onProgress(WorkDoneProgress.type, token, (value) => {
      serverProgress.get(token)!.push(value);
      onServerProgress?.(token, value);
    });
  });
  // What VS Code sends: global storage in initializationOptions, settings pulled, progress the server may create.
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    initializationOptions: { globalStoragePath: storage },
  });
  await connection.sendNotification(InitializedNotification.type, {});
});

after(async () => {
  await client.stop();
  await hub.close();
  rmSync(storage, { recursive: true, force: true });
});

/** Sends the request with a client-created progress token and collects that progress. */
async function downloadWithProgress(params: Omit<DownloadHubTokenizerParams, 'workDoneToken'>, onValue?: (value: ProgressValue) => void, cancel?: CancellationTokenSource) {
  const workDoneToken = `download-${Math.random()}`;
  const values: ProgressValue[] = [];
  const listening = client.connection.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
    values.push(value);
    onValue?.(value);
  });
  try {
    const result = await client.connection.sendRequest(DownloadHubTokenizerRequest, { ...params, workDoneToken }, cancel?.token);
    return { result, values };
  } finally {
    listening.dispose();
  }
}

async function failure(promise: Promise<unknown>): Promise<ResponseError<DownloadHubTokenizerErrorData>> {
  const error = await promise.then(
    () => assert.fail('expected the request to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResponseError, String(error));
  return error as ResponseError<DownloadHubTokenizerErrorData>;
}

test('downloads into global storage from the endpoint setting, with work-done progress in bytes', async () => {
  const { result, values } = await downloadWithProgress({ modelId: 'fixture/big' });
  const commit = hub.commitOf('fixture/big');
  assert.equal(result.path, path.join(storage, 'hub', 'models--fixture--big', 'snapshots', commit, 'tokenizer.json'));
  assert.deepEqual(readFileSync(result.path), BIG);
  assert.equal(values[0].kind, 'begin');
  assert.equal((values[0] as WorkDoneProgressBegin).cancellable, true);
  assert.equal(values.at(-1)!.kind, 'end');
  const reports = values.filter((v): v is WorkDoneProgressReport => v.kind === 'report');
  assert.ok(reports.length > 2, `several reports (${reports.length})`);
  assert.match(reports.at(-1)!.message!, /^tokenizer\.json: 0\.\d of 0\.\d MB$/);
  assert.equal(reports.at(-1)!.percentage, 100);
  const percentages = reports.map((r) => r.percentage!);
  assert.deepEqual(percentages, [...percentages].sort((a, b) => a - b), 'percentages of the whole download only grow');
});

test('a second request answers from the cache without the network', async () => {
  const requests = hub.requests.length;
  const { result } = await downloadWithProgress({ modelId: 'fixture/big' });
  assert.deepEqual(readFileSync(result.path), BIG);
  assert.equal(hub.requests.length, requests);
});

test('$/cancelRequest stops the download with RequestCancelled; the next request resumes it', async () => {
  hub.failNext('tokenizer.json', { kind: 'stall', afterBytes: 150_000 });
  const cancel = new CancellationTokenSource();
  const cancelOnBytes = (value: ProgressValue): void => {
    if (value.kind === 'report' && value.message?.startsWith('tokenizer.json')) cancel.cancel();
  };
  const error = await failure(downloadWithProgress({ modelId: 'fixture/cancel-a' }, cancelOnBytes, cancel));
  assert.equal(error.code, LSPErrorCodes.RequestCancelled);
  const before = hub.byteRequests('tokenizer.json').length;
  const { result } = await downloadWithProgress({ modelId: 'fixture/cancel-a' });
  assert.deepEqual(readFileSync(result.path), BIG);
  const [resumed] = hub.byteRequests('tokenizer.json').slice(before);
  assert.match(resumed.range ?? '', /^bytes=[1-9]\d*-$/, 'resumed from the bytes that arrived');
});

test('without a client token the server creates the progress, and its Cancel button cancels', async () => {
  hub.failNext('tokenizer.json', { kind: 'stall', afterBytes: 100_000 });
  onServerProgress = (token, value) => {
    if (value.kind === 'report' && value.message?.startsWith('tokenizer.json')) {
      void client.connection.sendNotification(WorkDoneProgressCancelNotification.type, { token });
    }
  };
  try {
    const error = await failure(client.connection.sendRequest(DownloadHubTokenizerRequest, { modelId: 'fixture/cancel-b' }));
    assert.equal(error.code, LSPErrorCodes.RequestCancelled);
    assert.match(error.message, /cancelled/);
  } finally {
    onServerProgress = undefined;
  }
  const [created] = [...serverProgress.values()];
  assert.equal(created[0].kind, 'begin');
  assert.equal(created.at(-1)!.kind, 'end');
});

test('errors come back as RequestFailed with the reason and a clear message', async () => {
  const missing = await failure(downloadWithProgress({ modelId: 'fixture/missing' }));
  assert.equal(missing.code, LSPErrorCodes.RequestFailed);
  assert.equal(missing.data?.reason, 'not-found');
  assert.match(missing.message, /^hf:fixture\/missing: no model "fixture\/missing" on http:\/\/127\.0\.0\.1:\d+; if it is private, set HF_TOKEN/);
  const invalid = await failure(downloadWithProgress({ modelId: 'not/a/model' }));
  assert.equal(invalid.data?.reason, 'invalid-input');
});
