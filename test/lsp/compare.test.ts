// Tokenizers side by side over stdio: embeddingLens/compareTokenizers, and hovers with tokenizer files given
// by workspace-relative paths.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import {
  CompareTokenizersRequest,
  type CompareTokenizersParams,
  type CompareTokenizersResult,
  type FailedTokenizerComparison,
  type TokenizerComparison,
} from '../../server/src/protocol';
import { LspTestClient } from '../support/lspClient';
import { distDir, sharedDir, skipWithoutShared } from '../support/paths';

// Expected counts were taken from OpenAI's tiktoken (npm `tiktoken`, WASM) for the same texts.
const TEXT = 'Hello world, this is Embedding Lens.\nnaïve café 😀 über\n';
const TEXT_COUNTS = { cl100k_base: 16, o200k_base: 16, gpt2: 20 };
const TEXT_CHARACTERS = 55; // code points: 😀 is one character, two UTF-16 units
const TEXT_BYTES = 61; // UTF-8: ï é ü two bytes each, 😀 four

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'embedding-lens-compare-'));
const uriOf = (name: string): string => pathToFileURL(path.join(workspace, name)).href;
const URI = uriOf('sample.txt');
const RELATIVE_TIKTOKEN = 'encodings/my-cl100k.tiktoken';
const RELATIVE_BERT = 'models/bert-base-uncased/tokenizer.json';

let client: LspTestClient;
let settings: unknown = null;

async function setSettings(value: unknown): Promise<void> {
  settings = value;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

async function compare(params: Omit<CompareTokenizersParams, 'textDocument'> = {}, uri = URI): Promise<CompareTokenizersResult> {
  const result = await client.connection.sendRequest(CompareTokenizersRequest, { textDocument: { uri }, ...params });
  assert.ok(result, `no comparison for ${uri}`);
  return result;
}

function succeeded(comparison: TokenizerComparison | FailedTokenizerComparison): TokenizerComparison {
  assert.ok(!('error' in comparison), `${comparison.tokenizer} failed: ${'error' in comparison ? comparison.error : ''}`);
  return comparison;
}

before(async () => {
  fs.mkdirSync(path.join(workspace, 'encodings'));
  fs.copyFileSync(path.join(distDir, 'encodings', 'cl100k_base.tiktoken'), path.join(workspace, RELATIVE_TIKTOKEN));
  client = new LspTestClient();
  client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  await client.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'workspace' }],
    capabilities: { workspace: { configuration: true } },
  });
  await client.connection.sendNotification(InitializedNotification.type, {});
  await client.open(URI, TEXT);
});

after(async () => {
  await client.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('by default the active tokenizer and two bundled ones are compared over the whole document', async () => {
  const result = await compare();
  assert.deepEqual(result.comparisons.map((c) => c.tokenizer), ['cl100k_base', 'o200k_base', 'gpt2']);
  assert.equal(result.characters, TEXT_CHARACTERS);
  assert.equal(result.bytes, TEXT_BYTES);
  assert.deepEqual(result.range, { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } });
  for (const comparison of result.comparisons.map(succeeded)) {
    const expected = TEXT_COUNTS[comparison.tokenizer as keyof typeof TEXT_COUNTS];
    assert.equal(comparison.count, expected, comparison.tokenizer);
    assert.equal(comparison.label, comparison.tokenizer);
    assert.equal(comparison.charsPerToken, TEXT_CHARACTERS / expected);
    assert.equal(comparison.bytesPerToken, TEXT_BYTES / expected);
    assert.equal(comparison.unknownRate, 0, 'byte-level BPE has no unknown token');
    assert.equal(comparison.tokens.length, expected);
    assert.equal(comparison.tokensTruncated, false);
  }
});

test('listed tokens carry ids and document offsets that cover the text in order', async () => {
  const cl100k = succeeded((await compare({ tokenizers: ['cl100k_base'] })).comparisons[0]);
  assert.deepEqual(cl100k.tokens.slice(0, 3), [
    { id: 9906, text: 'Hello', start: 0, end: 5 },
    { id: 1917, text: ' world', start: 5, end: 11 },
    { id: 11, text: ',', start: 11, end: 12 },
  ]);
  let end = 0;
  for (const token of cl100k.tokens) {
    assert.ok(token.start <= end && token.end >= token.start, `token ${JSON.stringify(token)} after offset ${end}`);
    end = Math.max(end, token.end);
  }
  assert.equal(end, TEXT.length);
});

test('a range compares only the selection, with document offsets', async () => {
  const range = { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }; // "naïve"
  const result = await compare({ range, tokenizers: ['cl100k_base'] });
  const cl100k = succeeded(result.comparisons[0]);
  assert.deepEqual(result.range, range);
  assert.equal(result.characters, 5);
  assert.equal(result.bytes, 6);
  const lineStart = TEXT.indexOf('naïve');
  assert.equal(cl100k.tokens[0].start, lineStart);
  assert.equal(cl100k.tokens.at(-1)!.end, lineStart + 5);
  assert.equal(cl100k.tokens.map((t) => t.text).join(''), 'naïve');
});

test('a tokenizer that cannot be loaded is one failed row; the others still compare', async () => {
  const result = await compare({ tokenizers: ['no-such-tokenizer', 'gpt2'] });
  const failed = result.comparisons[0];
  assert.ok('error' in failed);
  assert.match(failed.error, /no-such-tokenizer: no bundled tokenizer has this name/);
  assert.equal(succeeded(result.comparisons[1]).count, TEXT_COUNTS.gpt2);
});

test('the compare.tokenizers setting picks the tokenizers; workspace-relative paths load files', async () => {
  await setSettings({ compare: { tokenizers: ['o200k_base', RELATIVE_TIKTOKEN] } });
  const result = await compare();
  assert.deepEqual(
    result.comparisons.map((c) => [c.tokenizer, c.label]),
    [['o200k_base', 'o200k_base'], [path.join(workspace, RELATIVE_TIKTOKEN), 'my-cl100k']],
  );
  assert.equal(succeeded(result.comparisons[1]).count, TEXT_COUNTS.cl100k_base);
  await setSettings(null);
});

test('a big document is compared in the worker: whole counts, the first tokens listed', async () => {
  const line = 'Hello world, this is Embedding Lens.\n';
  const lines = 5_000; // 185,000 characters: past what the server tokenizes on its message loop
  const uri = uriOf('big.txt');
  await client.open(uri, line.repeat(lines));
  const firstLine = { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } };
  const one = succeeded((await compare({ tokenizers: ['cl100k_base'], range: firstLine }, uri)).comparisons[0]);
  const whole = await compare({ tokenizers: ['cl100k_base'] }, uri);
  const cl100k = succeeded(whole.comparisons[0]);
  assert.equal(cl100k.count, one.count * lines, 'every line splits the same way');
  assert.equal(whole.characters, line.length * lines);
  assert.equal(cl100k.tokensTruncated, true);
  assert.equal(cl100k.tokens.length, 2_000);
  assert.deepEqual(cl100k.tokens.slice(0, one.count), one.tokens);
});

test('hover shows several tokenizers, files by workspace-relative path, each under its short name', async () => {
  await setSettings({ hover: { tokenizers: ['gpt2', RELATIVE_TIKTOKEN] } });
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 8 } });
  const value = (hover!.contents as MarkupContent).value;
  assert.match(value, /gpt2 · 10 tokens in line 1/);
  assert.match(value, /my-cl100k · 9 tokens in line 1/);
  assert.match(value, /id \*\*1917\*\*/, 'cl100k id of " world" from the file');
  await setSettings(null);
});

test('a Hugging Face tokenizer.json in the workspace: labels, unknown-token rate, hover', { skip: skipWithoutShared }, async () => {
  const bert = path.join(workspace, RELATIVE_BERT);
  fs.mkdirSync(path.dirname(bert), { recursive: true });
  fs.copyFileSync(path.join(sharedDir!, 'tokenizers', 'bert-base-uncased', 'tokenizer.json'), bert);
  const result = await compare({ tokenizers: [RELATIVE_BERT] });
  const comparison = succeeded(result.comparisons[0]);
  assert.equal(comparison.label, 'bert-base-uncased');
  assert.equal(comparison.tokenizer, bert);
  // bert-base-uncased has no token for 😀: it becomes [UNK] (id 100), one of the tokens.
  const unknown = comparison.tokens.filter((t) => t.id === 100);
  assert.deepEqual(unknown.map((t) => TEXT.slice(t.start, t.end)), ['😀']);
  assert.equal(comparison.unknownRate, 1 / comparison.count);
  assert.ok(!comparison.tokens.some((t) => t.text === '[CLS]'), 'compared without special tokens');

  await setSettings({ hover: { tokenizers: ['cl100k_base', RELATIVE_BERT] } });
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 8 } });
  const value = (hover!.contents as MarkupContent).value;
  assert.match(value, /cl100k_base · 9 tokens in line 1/);
  assert.match(value, /bert-base-uncased · \d+ tokens in line 1/);
  assert.match(value, /`world` id \*\*2088\*\*/, 'bert-base-uncased id of "world"');
  await setSettings(null);
});
