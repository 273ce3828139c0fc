// Table tests for how tokenizer settings become what the catalog loads, and how each is named in the hover,
// the compare view and chunk-limit warnings.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { resolveTokenizerSetting, tokenizerLabel } from '../../server/src/tokenLens/tokenizerRefs';

const ROOT = path.resolve('/work/space');

const RESOLVED: [setting: string, root: string | undefined, loaded: string][] = [
  ['cl100k_base', ROOT, 'cl100k_base'],
  ['  o200k_base  ', ROOT, 'o200k_base'],
  ['models/bert/tokenizer.json', ROOT, path.join(ROOT, 'models', 'bert', 'tokenizer.json')],
  ['./vocab.txt', ROOT, path.join(ROOT, 'vocab.txt')],
  ['my.tiktoken', ROOT, path.join(ROOT, 'my.tiktoken')],
  ['${workspaceFolder}/t/spiece.model', ROOT, path.join(ROOT, 't', 'spiece.model')],
  [path.join(ROOT, 'abs', 'tokenizer.json'), path.resolve('/elsewhere'), path.join(ROOT, 'abs', 'tokenizer.json')],
  [pathToFileURL(path.join(ROOT, 'uri', 'tokenizer.json')).href, undefined, path.join(ROOT, 'uri', 'tokenizer.json')],
  ['hf:org/name', ROOT, 'hf:org/name'],
  ['models/bert/tokenizer.json', undefined, 'models/bert/tokenizer.json'],
];

for (const [setting, root, loaded] of RESOLVED) {
  test(`resolve ${JSON.stringify(setting)} against ${root ?? 'no workspace'}`, () => {
    assert.equal(resolveTokenizerSetting(setting, root), loaded);
  });
}

const LABELS: [nameOrPath: string, label: string][] = [
  ['cl100k_base', 'cl100k_base'],
  ['/w/models/bert-base-uncased/tokenizer.json', 'bert-base-uncased'],
  ['/w/t5-small/spiece.model', 't5-small'],
  ['C:\\w\\bert-base-cased\\vocab.txt', 'bert-base-cased'],
  ['/w/encodings/my-cl100k.tiktoken', 'my-cl100k'],
  ['/w/.embedding-lens/tokenizers/notes-bpe-8000.json', 'notes-bpe-8000'],
  ['/w/mistral/tokenizer.model.v3', 'mistral'],
  ['tokenizer.json', 'tokenizer'],
  [`/storage/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/${'a'.repeat(40)}/tokenizer.json`, 'sentence-transformers/all-MiniLM-L6-v2'],
  [`/storage/hub/models--gpt2/snapshots/${'0'.repeat(40)}/vocab.json`, 'gpt2'],
];

for (const [nameOrPath, label] of LABELS) {
  test(`label of ${nameOrPath}`, () => {
    assert.equal(tokenizerLabel(nameOrPath), label);
  });
}
