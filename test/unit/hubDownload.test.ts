// Downloading tokenizers from a Hugging Face Hub, against the fake Hub on 127.0.0.1 (test/support/hubServer.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { checksumFromEtag, fileChecksum } from '../../server/src/hub/checksum';
import { cachedModelId } from '../../server/src/hub/hubCache';
import { downloadHubTokenizer, type HubDownloadOptions, type HubDownloadProgress } from '../../server/src/hub/hubDownload';
import { defaultCacheDir, hubEndpoint, hubToken } from '../../server/src/hub/hubEnvironment';
import { HubDownloadError, type HubErrorReason } from '../../server/src/hub/hubErrors';
import { localTokenizerSource } from '../../server/src/hub/hubReference';
import { modelIdProblem, parseHubReference, revisionProblem } from '../../server/src/hub/modelId';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import { FakeHub, repoFromDirectory, TINY_BERT_DIR } from '../support/hubServer';
import { distDir } from '../support/paths';
import { mulberry32, testSeed } from '../support/random';

/** A tokenizer.json large enough to arrive in many chunks (the engine does not parse it; it only has to be bytes). */
const BIG_TOKENIZER = ((): Buffer => {
  const random = mulberry32(testSeed(7));
  const vocab: Record<string, number> = {};
  for (let id = 0; id < 20_000; id++) vocab[`${id.toString(36)}${Math.floor(random() * 1e9).toString(36)}`] = id;
  return Buffer.from(JSON.stringify({ model: { type: 'WordPiece', vocab } }));
})();
const BIG_CONFIG = '{"do_lower_case": true}\n';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-hub-'));
let hub: FakeHub;
let cacheCount = 0;

before(async () => {
  hub = await FakeHub.start([
    repoFromDirectory('fixture/tiny-bert', TINY_BERT_DIR, { renamedFrom: ['tiny-bert-old'] }),
    { id: 'fixture/big', files: { 'tokenizer.json': BIG_TOKENIZER, 'tokenizer_config.json': BIG_CONFIG, 'config.json': '{}' }, largeFiles: ['tokenizer.json'] },
    { id: 'fixture/sentencepiece', files: { 'spiece.model': Buffer.from([0x0a, 0x0b, 0x0a, 0x05, 0x3c, 0x75, 0x6e, 0x6b, 0x3e]), 'vocab.txt': 'x\n' } },
    { id: 'vocab-only', files: { 'vocab.txt': readFileSync(path.join(TINY_BERT_DIR, 'vocab.txt')), 'tokenizer_config.json': '{}' } },
    { id: 'fixture/no-tokenizer', files: { 'config.json': '{}', 'onnx/tokenizer.json': '{}' } },
    { id: 'fixture/gated', files: { 'tokenizer.json': '{"gated": true}' }, gatedToken: 'hf_right' },
  ]);
});

after(async () => {
  await hub.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh cache folder per test, so tests do not see each other's downloads. */
function freshCache(): string {
  return path.join(tmp, `cache-${++cacheCount}`);
}

function download(modelId: string, options: Partial<HubDownloadOptions> = {}): ReturnType<typeof downloadHubTokenizer> {
  return downloadHubTokenizer({ modelId, endpoint: hub.endpoint, cacheDir: options.cacheDir ?? freshCache(), ...options });
}

async function rejectsWith(promise: Promise<unknown>, reason: HubErrorReason, message: RegExp): Promise<HubDownloadError> {
  const error = await promise.then(
    () => assert.fail(`expected a HubDownloadError (${reason})`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof HubDownloadError, `a HubDownloadError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  assert.match(error.message, message);
  return error;
}

function incompleteFiles(cacheDir: string, modelId: string): string[] {
  const blobs = path.join(cacheDir, `models--${modelId.replace('/', '--')}`, 'blobs');
  return existsSync(blobs) ? readdirSync(blobs).filter((name) => name.endsWith('.incomplete')) : [];
}

test('checksums: an ETag is a sha256 (large files) or a git blob sha1 (small files), quoted or weak', async () => {
  const sha256 = 'a'.repeat(64);
  assert.deepEqual(checksumFromEtag(`"${sha256}"`), { algorithm: 'sha256', hex: sha256 });
  assert.deepEqual(checksumFromEtag(`W/"${'B'.repeat(40)}"`), { algorithm: 'git-blob-sha1', hex: 'b'.repeat(40) });
  assert.equal(checksumFromEtag('"d41d8cd98f00b204e9800998ecf8427e"'), undefined, 'an md5 ETag is not a Hub hash');
  assert.equal(checksumFromEtag(null), undefined);
  const file = path.join(tmp, 'hello.txt');
  writeFileSync(file, 'hello\n');
  assert.equal(await fileChecksum(file, 'git-blob-sha1'), 'ce013625030ba8dba906f756967f9e9ca394464a', 'as `git hash-object` gives');
  assert.equal(await fileChecksum(file, 'sha256'), '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
});

test('model ids, revisions and hf: references are checked before any request', () => {
  for (const id of ['bert-base-uncased', 'gpt2', 'sentence-transformers/all-MiniLM-L6-v2', 'Qwen/Qwen2.5-0.5B', 'a_b.c/d']) assert.equal(modelIdProblem(id), undefined, id);
  for (const id of ['', 'a/b/c', '/name', 'org/', '-x', 'x.', 'a--b', 'a..b', 'with space', 'x'.repeat(97)]) assert.ok(modelIdProblem(id), `${id} is refused`);
  assert.match(modelIdProblem('bad org/name')!, /organization/);
  for (const revision of ['main', 'v1.0', 'refs/pr/1', 'a'.repeat(40)]) assert.equal(revisionProblem(revision), undefined, revision);
  for (const revision of ['', '../x', 'a//b', 'a b', 'x/..']) assert.ok(revisionProblem(revision), `${revision} is refused`);
  assert.deepEqual(parseHubReference('hf:org/name'), { modelId: 'org/name' });
  assert.deepEqual(parseHubReference('hf:org/name@v2'), { modelId: 'org/name', revision: 'v2' });
  assert.equal(parseHubReference('cl100k_base'), undefined);
});

test('the endpoint, token and cache folder come from the setting or the environment, as huggingface_hub reads them', async () => {
  assert.equal(hubEndpoint(undefined, {}), 'https://huggingface.co');
  assert.equal(hubEndpoint('', { HF_ENDPOINT: 'https://mirror.example/' }), 'https://mirror.example');
  assert.equal(hubEndpoint('http://127.0.0.1:9/', { HF_ENDPOINT: 'https://mirror.example' }), 'http://127.0.0.1:9', 'the setting wins');
  assert.equal(await hubToken({ HF_TOKEN: ' hf_env ', HF_TOKEN_PATH: '/nonexistent' }), 'hf_env');
  const tokenFile = path.join(tmp, 'token');
  writeFileSync(tokenFile, 'hf_saved\n');
  assert.equal(await hubToken({ HF_TOKEN_PATH: tokenFile }), 'hf_saved', 'the token huggingface-cli login saved');
  assert.equal(await hubToken({ HF_HOME: path.join(tmp, 'no-such-home') }), undefined);
  assert.equal(defaultCacheDir({ EMBEDDING_LENS_CACHE: '/x/cache' }), '/x/cache');
  if (process.platform !== 'win32') assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'embedding-lens'));
});

test('downloads tokenizer.json with its configs into snapshots/<commit>, byte for byte, and records the ref', async () => {
  const cacheDir = freshCache();
  const progress: HubDownloadProgress[] = [];
  const result = await download('fixture/tiny-bert', { cacheDir, onProgress: (p) => progress.push(p) });
  const commit = hub.commitOf('fixture/tiny-bert');
  const snapshot = path.join(cacheDir, 'models--fixture--tiny-bert', 'snapshots', commit);
  assert.equal(result.dir, snapshot);
  assert.equal(result.commit, commit);
  assert.equal(result.tokenizerFile, path.join(snapshot, 'tokenizer.json'));
  assert.deepEqual(
    result.files.map((f) => path.basename(f)),
    ['tokenizer_config.json', 'special_tokens_map.json', 'tokenizer.json'],
    'configs too, not vocab.txt when tokenizer.json is there',
  );
  for (const file of result.files) assert.deepEqual(readFileSync(file), readFileSync(path.join(TINY_BERT_DIR, path.basename(file))));
  assert.equal(readFileSync(path.join(cacheDir, 'models--fixture--tiny-bert', 'refs', 'main'), 'utf8'), commit);
  assert.equal(cachedModelId(result.tokenizerFile), 'fixture/tiny-bert', 'a display name for the downloaded file');
  assert.equal(cachedModelId(path.join(TINY_BERT_DIR, 'tokenizer.json')), undefined);
  assert.deepEqual(incompleteFiles(cacheDir, 'fixture/tiny-bert'), []);
  const last = progress.filter((p) => p.file === 'tokenizer.json').at(-1)!;
  assert.equal(last.received, readFileSync(result.tokenizerFile).length);
  assert.equal(last.total, last.received);
});

test('a large file follows the redirect to storage, is checked against X-Linked-Etag, and the token stays with the Hub', async () => {
  const before = hub.requests.length;
  const progress: HubDownloadProgress[] = [];
  const result = await download('fixture/big', { token: 'hf_secret', onProgress: (p) => progress.push(p) });
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
  const requests = hub.requests.slice(before);
  const cdn = requests.filter((r) => r.server === 'cdn');
  assert.equal(cdn.length, 1, 'the bytes come from the CDN');
  assert.equal(cdn[0].authorization, undefined, 'no token sent to storage');
  assert.ok(requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_secret'));
  const received = progress.filter((p) => p.file === 'tokenizer.json').map((p) => p.received);
  assert.ok(received.length > 2, `progress as bytes arrive (${received.length} reports)`);
  assert.deepEqual(received, [...received].sort((a, b) => a - b), 'progress only grows');
  assert.equal(received.at(-1), BIG_TOKENIZER.length);
  assert.ok(progress.every((p) => p.file !== 'tokenizer.json' || p.total === BIG_TOKENIZER.length));
  const whole = BIG_TOKENIZER.length + BIG_CONFIG.length;
  assert.deepEqual(progress.at(-1)!.overall, { received: whole, total: whole }, 'the whole download, all files together');
});

test('once downloaded, later calls answer from the cache without the network', async () => {
  const cacheDir = freshCache();
  const first = await download('fixture/big', { cacheDir });
  const before = hub.requests.length;
  const again = await download('fixture/big', { cacheDir });
  assert.deepEqual(again, first);
  assert.equal(hub.requests.length, before, 'no request');
  const offline = await downloadHubTokenizer({ modelId: 'fixture/big', endpoint: 'http://127.0.0.1:1', cacheDir });
  assert.deepEqual(offline, first, 'works with the Hub unreachable');
});

test('without tokenizer.json: a SentencePiece model, else vocab.txt', async () => {
  const sentencepiece = await download('fixture/sentencepiece');
  assert.equal(path.basename(sentencepiece.tokenizerFile), 'spiece.model');
  assert.deepEqual(sentencepiece.files.map((f) => path.basename(f)), ['spiece.model']);
  const vocab = await download('vocab-only');
  assert.equal(path.basename(vocab.tokenizerFile), 'vocab.txt');
  assert.deepEqual(vocab.files.map((f) => path.basename(f)), ['tokenizer_config.json', 'vocab.txt']);
  assert.ok(vocab.dir.includes(`models--vocab-only${path.sep}`), 'a model id without organization');
});

test('a model without tokenizer files is a clear error', async () => {
  await rejectsWith(download('fixture/no-tokenizer'), 'no-tokenizer', /^hf:fixture\/no-tokenizer: the model has no tokenizer file at revision "main" \(looked for tokenizer\.json, .*vocab\.txt\)$/);
});

test('a connection that breaks half way is resumed with a Range request in the same call', async () => {
  hub.failNext('tokenizer.json', { kind: 'cut', afterBytes: 100_000 });
  const before = hub.byteRequests('tokenizer.json').length;
  const result = await download('fixture/big');
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
  const [first, resumed, ...more] = hub.byteRequests('tokenizer.json').slice(before).map((r) => r.range);
  assert.equal(first, undefined);
  // The client may lose the last chunks queued when the connection drops, never more than the server sent.
  assert.ok(resumedFrom(resumed) > 0 && resumedFrom(resumed) <= 100_000, `resumed with ${resumed}`);
  assert.deepEqual(more, []);
});

test('a download that keeps failing keeps its bytes, and a later call resumes from them', async () => {
  const cacheDir = freshCache();
  hub.failNext('tokenizer.json', { kind: 'cut', afterBytes: 50_000 }, 3);
  const error = await rejectsWith(download('fixture/big', { cacheDir }), 'network', /tokenizer\.json: the connection broke after \d+ of \d+ bytes .*resumes/);
  assert.ok(error instanceof TokenizerLoadError, 'reported like any tokenizer that cannot be loaded');
  const [incomplete] = incompleteFiles(cacheDir, 'fixture/big');
  const kept = statSync(path.join(cacheDir, 'models--fixture--big', 'blobs', incomplete)).size;
  assert.ok(kept > 50_000, `three attempts each brought bytes (${kept} kept)`);
  assert.equal(existsSync(path.join(cacheDir, 'models--fixture--big', 'refs', 'main')), false, 'not marked complete');
  const before = hub.byteRequests('tokenizer.json').length;
  const result = await download('fixture/big', { cacheDir });
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
  assert.deepEqual(hub.byteRequests('tokenizer.json').slice(before).map((r) => r.range), [`bytes=${kept}-`]);
  assert.deepEqual(incompleteFiles(cacheDir, 'fixture/big'), []);
});

test('a server that ignores the Range and sends the whole file (200) makes the download start over', async () => {
  hub.failNext('tokenizer.json', { kind: 'cut', afterBytes: 60_000 });
  hub.failNext('tokenizer.json', { kind: 'ignore-range' });
  const before = hub.byteRequests('tokenizer.json').length;
  const result = await download('fixture/big');
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
  const ranges = hub.byteRequests('tokenizer.json').slice(before).map((r) => r.range);
  assert.equal(ranges.length, 2);
  assert.ok(resumedFrom(ranges[1]) > 0, 'it asked for the rest and got everything');
});

test('cancelling keeps what arrived; the next call resumes from it', async () => {
  const cacheDir = freshCache();
  const controller = new AbortController();
  hub.failNext('tokenizer.json', { kind: 'stall', afterBytes: 70_000 });
  const onProgress = (p: HubDownloadProgress): void => {
    if (p.file === 'tokenizer.json' && p.received >= 70_000) controller.abort();
  };
  await rejectsWith(download('fixture/big', { cacheDir, signal: controller.signal, onProgress }), 'cancelled', /cancelled/);
  const before = hub.byteRequests('tokenizer.json').length;
  const result = await download('fixture/big', { cacheDir });
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
  assert.deepEqual(hub.byteRequests('tokenizer.json').slice(before).map((r) => r.range), ['bytes=70000-']);
});

test('an already cancelled signal makes no request', async () => {
  const before = hub.requests.length;
  await rejectsWith(download('fixture/big', { signal: AbortSignal.abort() }), 'cancelled', /cancelled/);
  assert.equal(hub.requests.length, before);
});

test('a corrupted large file fails its sha256, is deleted, and the next call downloads it whole', async () => {
  const cacheDir = freshCache();
  hub.failNext('tokenizer.json', { kind: 'corrupt', at: 12_345 });
  await rejectsWith(download('fixture/big', { cacheDir }), 'checksum', /^hf:fixture\/big: tokenizer\.json: checksum mismatch: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}; the damaged download was deleted/);
  assert.deepEqual(incompleteFiles(cacheDir, 'fixture/big'), []);
  assert.equal(existsSync(path.join(cacheDir, 'models--fixture--big', 'refs', 'main')), false);
  const result = await download('fixture/big', { cacheDir });
  assert.deepEqual(readFileSync(result.tokenizerFile), BIG_TOKENIZER);
});

test('a corrupted small file fails its git blob sha1', async () => {
  hub.failNext('special_tokens_map.json', { kind: 'corrupt' });
  await rejectsWith(download('fixture/tiny-bert'), 'checksum', /special_tokens_map\.json: checksum mismatch: expected git-blob-sha1 [0-9a-f]{40}/);
});

test('gated models: 401 without a token and 403 with the wrong one say how to get access; the right token works', async () => {
  await rejectsWith(download('fixture/gated'), 'unauthorized', /gated: accept its conditions at .*fixture\/gated and set HF_TOKEN .*\(HTTP 401 GatedRepo\)$/);
  await rejectsWith(download('fixture/gated', { token: 'hf_wrong' }), 'unauthorized', /the token sent has no access yet \(HTTP 403 GatedRepo\)$/);
  const result = await download('fixture/gated', { token: 'hf_right' });
  assert.equal(readFileSync(result.tokenizerFile, 'utf8'), '{"gated": true}');
});

test('unknown models and revisions are "not found", with a hint about private models only without a token', async () => {
  const anonymous = await rejectsWith(download('fixture/missing'), 'not-found', /no model "fixture\/missing" on http:\/\/127\.0\.0\.1:\d+; if it is private, set HF_TOKEN/);
  assert.match(anonymous.message, /\(HTTP 401 RepoNotFound\)$/);
  await rejectsWith(download('fixture/missing', { token: 'hf_x' }), 'not-found', /no model "fixture\/missing" on \S+ \(HTTP 404 RepoNotFound\)$/);
  await rejectsWith(download('fixture/tiny-bert', { revision: 'v9' }), 'not-found', /the model has no revision "v9"/);
});

test('a renamed model is followed to its new name', async () => {
  const result = await download('tiny-bert-old');
  assert.deepEqual(readFileSync(result.tokenizerFile), readFileSync(path.join(TINY_BERT_DIR, 'tokenizer.json')));
});

test('server errors and unreachable endpoints are clear errors', async () => {
  hub.failNext('tokenizer.json', { kind: 'status', status: 503 });
  await rejectsWith(download('fixture/tiny-bert'), 'http', /could not serve tokenizer\.json .*\(HTTP 503\)$/);
  const port = await closedPort();
  await rejectsWith(download('fixture/tiny-bert', { endpoint: `http://127.0.0.1:${port}` }), 'network', /network error while listing the model files from http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
});

test('bad input is refused before any request', async () => {
  const before = hub.requests.length;
  await rejectsWith(download('a/b/c'), 'invalid-input', /^hf:a\/b\/c: "a\/b\/c" has more than one "\/"/);
  await rejectsWith(download('org/name', { revision: '../../etc' }), 'invalid-input', /not a valid revision/);
  await rejectsWith(download('org/name', { endpoint: 'ftp://example.com' }), 'invalid-input', /not an http\(s\) URL/);
  assert.equal(hub.requests.length, before);
});

test('two downloads of one model at once fetch its bytes once', async () => {
  const cacheDir = freshCache();
  const before = hub.byteRequests('tokenizer.json').length;
  const [a, b] = await Promise.all([download('fixture/big', { cacheDir }), download('fixture/big', { cacheDir })]);
  assert.deepEqual(a, b);
  assert.equal(hub.byteRequests('tokenizer.json').length - before, 1);
});

test('hf: references resolve to the downloaded file, using HF_ENDPOINT, HF_TOKEN and EMBEDDING_LENS_CACHE', async () => {
  const env = { HF_ENDPOINT: hub.endpoint, HF_TOKEN: 'hf_right', EMBEDDING_LENS_CACHE: freshCache() };
  const file = await localTokenizerSource('hf:fixture/gated@main', undefined, env);
  assert.equal(file, path.join(env.EMBEDDING_LENS_CACHE, 'hub', 'models--fixture--gated', 'snapshots', hub.commitOf('fixture/gated'), 'tokenizer.json'));
  assert.equal(await localTokenizerSource('cl100k_base', undefined, env), 'cl100k_base');
});

/** N of a `bytes=N-` Range header; 0 when there was none. */
function resumedFrom(range: string | undefined): number {
  return Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1] ?? 0);
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('the CLI takes hf:org/name as its tokenizer (dist/cli.js)', { skip: existsSync(path.join(distDir, 'cli.js')) ? false : 'dist/cli.js is not built' }, async () => {
  const env = { ...process.env, HF_ENDPOINT: hub.endpoint, EMBEDDING_LENS_CACHE: freshCache() };
  const run = await runCli(['tokenize', '-t', 'hf:fixture/tiny-bert', '--add-special-tokens'], 'Hello, Embedding Lens tokenizers!\n', env);
  assert.equal(run.stderr, '');
  // The same ids as Hugging Face tokenizers (@huggingface/tokenizers) gives for this fixture.
  assert.deepEqual(JSON.parse(run.stdout).ids, [2, 5, 28, 9, 24, 8, 7, 23, 22, 30, 3]);
  const missing = await runCli(['tokenize', '-t', 'hf:fixture/missing'], '', env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^embedding-lens tokenize: hf:fixture\/missing: no model "fixture\/missing"/);
});

function runCli(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous: the fake Hub answers from this process's event loop.
    const child = execFile(process.execPath, [path.join(distDir, 'cli.js'), ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
    child.on('error', reject);
    child.stdin!.end(input);
  });
}
