import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  HoverRequest,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import {
  DocumentTokenCountNotification,
  ListTokenizersRequest,
  SelectionHoverRequest,
  TokenBoundariesRequest,
  TokenCountsRequest,
  type DocumentTokenCountParams,
} from '../../server/src/protocol';
import { LspTestClient } from '../support/lspClient';

const URI = 'file:///tmp/embedding-lens-lsp/sample.txt';
// Expected counts below were taken from OpenAI's tiktoken (npm `tiktoken`, WASM) for the same texts.
const TEXT = 'Hello world, this is Embedding Lens.\nSecond line with tokens.\n';

let client: LspTestClient;
const counts: DocumentTokenCountParams[] = [];
let settings: unknown = null;

/** The next documentTokenCount notification for URI with at least `version`. */
function nextCount(version: number): Promise<DocumentTokenCountParams> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      const found = counts.find((c) => c.uri === URI && c.version >= version);
      if (found) {
        clearInterval(check);
        resolve(found);
      }
    }, 10);
  });
}

before(async () => {
  client = new LspTestClient();
  client.connection.onNotification(DocumentTokenCountNotification, (params) => {
    counts.push(params);
  });
  client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  await client.initialize({ workspace: { configuration: true } });
  await client.open(URI, TEXT);
});

after(async () => {
  await client.stop();
});

test('hover over stdio shows the line split by the active tokenizer', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 8 } });
  assert.ok(hover, 'a hover comes back');
  const value = (hover.contents as MarkupContent).value;
  assert.match(value, /^\*\*Embedding Lens\*\* · cl100k_base · 9 tokens in line 1/);
  assert.match(value, /Token 2 of 9: `·world` id \*\*1917\*\*/);
  assert.match(value, /`Hello` \*\*`·world`\*\* `,`/, 'tokens delimited, hovered token emphasised');
  assert.match(value, /ids: 9906 \*\*1917\*\* 11/);
  assert.deepEqual(hover.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 11 } });
});

test('hover on an empty line gives nothing', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 2, character: 0 } });
  assert.equal(hover, null);
});

test('the document count arrives as a notification and in tokenCounts', async () => {
  const pushed = await nextCount(1);
  assert.equal(pushed.tokenizer, 'cl100k_base');
  assert.equal(pushed.count, 14); // tiktoken: 14
  const result = await client.connection.sendRequest(TokenCountsRequest, {
    textDocument: { uri: URI },
    ranges: [{ start: { line: 0, character: 0 }, end: { line: 0, character: 11 } }],
  });
  assert.deepEqual(result, { tokenizer: 'cl100k_base', document: 14, ranges: [2] });
});

test('token boundaries cover the requested lines with document offsets', async () => {
  const { offsets } = await client.connection.sendRequest(TokenBoundariesRequest, {
    textDocument: { uri: URI },
    ranges: [{ start: { line: 1, character: 3 }, end: { line: 1, character: 5 } }],
  });
  const second = TEXT.indexOf('Second');
  assert.deepEqual(offsets.slice(0, 4), [second, second + 6, second + 6, second + 11]);
  assert.equal(offsets.length % 2, 0);
  assert.equal(offsets.at(-1), TEXT.length);
});

test('hover inside a selection tokenizes the selection', async () => {
  const hover = await client.connection.sendRequest(SelectionHoverRequest, {
    textDocument: { uri: URI },
    position: { line: 0, character: 2 },
    selection: { start: { line: 0, character: 0 }, end: { line: 1, character: 6 } },
  });
  assert.match((hover!.contents as MarkupContent).value, /cl100k_base · 10 tokens in selection/);
});

test('edits and a settings change recount with the new tokenizer', async () => {
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri: URI, version: 2 },
    contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'Third line.' }],
  });
  assert.equal((await nextCount(2)).count, 17);
  settings = { tokenizer: 'r50k_base', hover: { tokenizers: ['r50k_base', 'o200k_base'] } };
  counts.length = 0;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const recount = await nextCount(2);
  assert.equal(recount.tokenizer, 'r50k_base');
  assert.equal(recount.count, 20);
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 8 } });
  const value = (hover!.contents as MarkupContent).value;
  assert.match(value, /r50k_base · 10 tokens in line 1/);
  assert.match(value, /o200k_base · 9 tokens in line 1/);
  const { active } = await client.connection.sendRequest(ListTokenizersRequest);
  assert.equal(active, 'r50k_base');
});

test('an unknown tokenizer in the settings is reported in the hover, not a crash', async () => {
  settings = { tokenizer: 'cl100k_base', hover: { tokenizers: ['no-such-tokenizer'] } };
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 1 } });
  assert.match((hover!.contents as MarkupContent).value, /cannot load tokenizer no-such-tokenizer: no-such-tokenizer: no bundled tokenizer has this name/);
});

test('a huge line is tokenized in a window around the hover', async () => {
  settings = null;
  await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const uri = 'file:///tmp/embedding-lens-lsp/minified.txt';
  const line = 'alpha beta gamma '.repeat(10_000); // 170,000 characters on one line
  await client.open(uri, line);
  const character = 85_007; // 85,007 % 17 = 7: the "e" of a "beta"
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character } });
  const value = (hover!.contents as MarkupContent).value;
  assert.match(value, /tokens in part of line 1/);
  assert.match(value, /\*\*`·beta`\*\*/);
  assert.ok(hover!.range!.start.character <= character && character < hover!.range!.end.character);
});
