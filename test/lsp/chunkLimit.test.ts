// Chunk-limit diagnostics over stdio: paragraphs longer than the embedding model's limit get a warning.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  PublishDiagnosticsNotification,
  ShowMessageRequest,
  type Diagnostic,
  type PublishDiagnosticsParams,
  type ShowMessageRequestParams,
} from 'vscode-languageserver-protocol';
import { CompareTokenizersRequest } from '../../server/src/protocol';
import { LspTestClient } from '../support/lspClient';
import { sharedDir, skipWithoutShared } from '../support/paths';

// Counts were taken from OpenAI's tiktoken (npm `tiktoken`, WASM) for the same paragraphs.
const PLAIN_URI = 'file:///tmp/embedding-lens-chunks/notes.txt';
const LONG = 'This paragraph is definitely longer than eight tokens, so it gets a warning.'; // cl100k: 15
const PLAIN = `Short one.\n\n${LONG}\n\nAlso short.\n`;
const MARKDOWN_URI = 'file:///tmp/embedding-lens-chunks/notes.md';
const MARKDOWN = [
  '# Heading', // with the next line: 16 tokens
  'Text right after the heading, long enough to pass the limit.',
  '## Next', // with the next line: 5 tokens; without the heading rule it would join the chunk above
  'Short.',
  '',
  '```sh', // the fence: 20 tokens, and its "# " line is no heading
  '# not a heading, a comment in code that is long',
  'echo hi',
  '```',
].join('\n');

let client: LspTestClient;
let settings: unknown = null;
const published: PublishDiagnosticsParams[] = [];
const messages: ShowMessageRequestParams[] = [];

/** Waits for diagnostics of `uri` that `accept` likes, published after the call. */
function nextDiagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
  const seen = published.length;
  return new Promise((resolve) => {
    const check = setInterval(() => {
      const found = published.slice(seen).find((p) => p.uri === uri && accept(p.diagnostics));
      if (found) {
        clearInterval(check);
        resolve(found.diagnostics);
      }
    }, 10);
  });
}

async function setSettings(value: unknown): Promise<void> {
  settings = value;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

const lines = (d: Diagnostic): [number, number] => [d.range.start.line, d.range.end.line];
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);

before(async () => {
  client = new LspTestClient();
  client.connection.onNotification(PublishDiagnosticsNotification.type, (params) => void published.push(params));
  client.connection.onRequest(ShowMessageRequest.type, (params) => {
    messages.push(params);
    return null;
  });
  client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  settings = { chunkLimit: { tokenizer: 'cl100k_base', maxTokens: 8 } };
  await client.initialize({ workspace: { configuration: true } });
});

after(async () => {
  await client.stop();
});

test('a paragraph over the limit gets a warning with its count and how much is cut', async () => {
  const diagnostics = nextDiagnostics(PLAIN_URI);
  await client.open(PLAIN_URI, PLAIN);
  const [warning, ...rest] = await diagnostics;
  assert.deepEqual(rest, []);
  assert.equal(messageOf(warning), 'Paragraph has 15 tokens (cl100k_base); the limit is 8, so 7 tokens will be cut when embedded.');
  assert.equal(warning.severity, 2); // Warning
  assert.equal(warning.source, 'Embedding Lens');
  assert.deepEqual(warning.range, { start: { line: 2, character: 0 }, end: { line: 2, character: LONG.length } });
});

test('in Markdown a heading starts a chunk; a code fence is one chunk', async () => {
  const diagnostics = nextDiagnostics(MARKDOWN_URI);
  await client.open(MARKDOWN_URI, MARKDOWN, 'markdown');
  const found = await diagnostics;
  assert.deepEqual(found.map(lines), [[0, 1], [5, 8]]);
  assert.match(messageOf(found[0]), /^Paragraph has 16 tokens .* so 8 tokens will be cut/);
  assert.match(messageOf(found[1]), /^Paragraph has 20 tokens .* so 12 tokens will be cut/);
});

test('editing a paragraph under the limit clears its warning', async () => {
  const cleared = nextDiagnostics(PLAIN_URI, (d) => d.length === 0);
  const line = 2;
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: PLAIN_URI, version: 2 },
    contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: LONG.length } }, text: 'Fixed.' }],
  });
  assert.deepEqual(await cleared, []);
});

test('a new limit applies to open documents; an empty tokenizer turns the check off', async () => {
  const relaxed = nextDiagnostics(MARKDOWN_URI, (d) => d.length === 1);
  await setSettings({ chunkLimit: { tokenizer: 'cl100k_base', maxTokens: 16 } });
  assert.deepEqual((await relaxed).map(lines), [[5, 8]]);
  const off = nextDiagnostics(MARKDOWN_URI, (d) => d.length === 0);
  await setSettings({ chunkLimit: { tokenizer: '', maxTokens: 16 } });
  assert.deepEqual(await off, []);
});

test('a tokenizer that cannot be loaded is reported once, with no diagnostics', async () => {
  const uri = 'file:///tmp/embedding-lens-chunks/other.txt';
  messages.length = 0;
  await setSettings({ chunkLimit: { tokenizer: 'no-such-tokenizer', maxTokens: 8 } });
  await client.open(uri, PLAIN);
  while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.match(messages[0].message, /chunk-limit check is off, its tokenizer no-such-tokenizer cannot be used: .*no bundled tokenizer has this name/);
  assert.equal(messages[0].type, 2); // Warning
  assert.ok(!published.some((p) => p.uri === uri && p.diagnostics.length > 0));
});

test('a big document is checked in the worker', async () => {
  const uri = 'file:///tmp/embedding-lens-chunks/big.txt';
  const paragraphs = Array.from({ length: 4_000 }, (_, i) => (i % 1_000 === 7 ? 'Paragraph number 7 is long: it has more than eight tokens in it.' : 'Hello world, this is Embedding Lens.'));
  const diagnostics = nextDiagnostics(uri);
  await setSettings({ chunkLimit: { tokenizer: 'cl100k_base', maxTokens: 12 } });
  await client.open(uri, paragraphs.join('\n\n')); // 160,000 characters
  const found = await diagnostics;
  assert.deepEqual(found.map((d) => d.range.start.line), [14, 2014, 4014, 6014]);
  assert.ok(found.every((d) => messageOf(d).startsWith('Paragraph has 16 tokens (cl100k_base); the limit is 12, so 4 tokens')));
});

test('an embedding model counts its special tokens ([CLS], [SEP]) toward the limit', { skip: skipWithoutShared }, async () => {
  const bert = path.join(sharedDir!, 'tokenizers', 'bert-base-uncased', 'tokenizer.json');
  const uri = 'file:///tmp/embedding-lens-chunks/bert.txt';
  await client.open(uri, LONG);
  const { comparisons } = (await client.connection.sendRequest(CompareTokenizersRequest, { textDocument: { uri }, tokenizers: [bert] }))!;
  const plain = comparisons[0];
  assert.ok(!('error' in plain), `bert-base-uncased: ${'error' in plain ? plain.error : ''}`);
  const limit = plain.count; // the text alone fits; with [CLS] and [SEP] it does not
  const diagnostics = nextDiagnostics(uri, (d) => d.length > 0);
  await setSettings({ chunkLimit: { tokenizer: bert, maxTokens: limit } });
  const [warning] = await diagnostics;
  assert.equal(messageOf(warning), `Paragraph has ${limit + 2} tokens (bert-base-uncased); the limit is ${limit}, so 2 tokens will be cut when embedded.`);
});
