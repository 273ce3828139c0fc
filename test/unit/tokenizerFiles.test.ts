/** Loading tokenizer files of every kind by path, and the errors bad files give. */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadTokenizerFile } from '../../server/src/tokenizers/tokenizerFiles';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import type { GoldenFile } from '../support/golden';
import { sharedDir, skipWithoutShared } from '../support/paths';

const tmp = mkdtempSync(path.join(tmpdir(), 'tokenizer-files-'));
const tokenizers = sharedDir ? path.join(sharedDir, 'tokenizers') : '';
const golden = (): GoldenFile<{ ids: number[] }, { ids: number[] }> => JSON.parse(readFileSync(path.join(tokenizers, 'reference', 'golden-public.json'), 'utf8'));

async function assertLoadError(file: string, parts: string[]): Promise<void> {
  await assert.rejects(loadTokenizerFile(file), (error: unknown) => {
    assert.ok(error instanceof TokenizerLoadError, `a TokenizerLoadError, not ${String(error)}`);
    for (const part of [file, ...parts]) assert.ok((error as Error).message.includes(part), `"${(error as Error).message}" mentions "${part}"`);
    return true;
  });
}

test('a BERT vocab.txt alone tokenizes as its tokenizer.json does', { skip: skipWithoutShared }, async () => {
  const { strings, hf } = golden();
  for (const name of ['bert-base-uncased', 'bert-base-chinese']) {
    const fromVocab = await loadTokenizerFile(path.join(tokenizers, name, 'vocab.txt'));
    const expected = hf[name];
    strings.forEach((text, i) => {
      // This bert-base-uncased vocab.txt spells its specials in lower case, so literal "[CLS]" text is not one.
      if (text.includes('[')) return;
      assert.deepEqual(fromVocab.encodeIds(text, { addSpecialTokens: true }), expected[i].ids, `${name} #${i}`);
    });
  }
  const cased = await loadTokenizerFile(path.join(tokenizers, 'bert-base-cased', 'vocab.txt'));
  assert.equal(cased.encode('Hello').tokens[0], 'Hello', 'a vocabulary with capitalised words is cased');
});

test('byte-level tokens read as their text; other tokens as the vocabulary spells them', { skip: skipWithoutShared }, async () => {
  const gpt2 = await loadTokenizerFile(path.join(tokenizers, 'gpt2', 'tokenizer.json'));
  const encoding = gpt2.encode('Hello wörld');
  assert.deepEqual(encoding.tokens, ['Hello', 'Ġw', 'Ã¶r', 'ld']);
  assert.deepEqual(encoding.ids.map((id) => gpt2.tokenText(id)), ['Hello', ' w', 'ör', 'ld']);
  const bert = await loadTokenizerFile(path.join(tokenizers, 'bert-base-uncased', 'tokenizer.json'));
  assert.deepEqual(bert.encode('tokenization').ids.map((id) => bert.tokenText(id)), ['token', '##ization']);
});

test('SentencePiece models load by path, whatever the name (.model, .model.v3)', { skip: skipWithoutShared }, async () => {
  const { strings, sentencepiece, files } = golden();
  for (const name of ['llama2', 'mistral-v3']) {
    const tokenizer = await loadTokenizerFile(path.join(tokenizers, files.sentencepiece[name]));
    assert.deepEqual(tokenizer.encodeIds(strings[6]), sentencepiece[name][6].ids, name);
  }
});

test('a rank file with a config beside it gives its pattern and special tokens', async () => {
  const dir = path.join(tmp, 'ranks');
  mkdirSync(dir);
  const ranks: string[] = [];
  for (let byte = 0; byte < 256; byte++) ranks.push(`${Buffer.from([byte]).toString('base64')} ${byte}`);
  ranks.push(`${Buffer.from('ab').toString('base64')} 256`, `${Buffer.from(' ab').toString('base64')} 257`);
  const file = path.join(dir, 'tiny.tiktoken');
  writeFileSync(file, `${ranks.join('\n')}\n`);
  await assertLoadError(file, ['not a bundled encoding', 'tiktoken_config.json']);
  writeFileSync(`${file}.json`, JSON.stringify({ pat_str: "(?i:'s)| ?\\p{L}++| ?[^\\s\\p{L}]++|\\s+", special_tokens: { '<|end|>': 258 } }));
  const tokenizer = await loadTokenizerFile(file);
  assert.deepEqual(tokenizer.encodeIds('ab abab'), [256, 257, 256]);
  assert.deepEqual(tokenizer.encodeIds("x'S<|end|>", { allowSpecial: true }), [120, 39, 83, 258]);
  // Llama 3 ships its ranks as tokenizer.model: a rank file, not a SentencePiece protobuf.
  const model = path.join(dir, 'tokenizer.model');
  copyFileSync(file, model);
  writeFileSync(path.join(dir, 'tiktoken_config.json'), JSON.stringify({ pattern: ' ?\\p{L}+|\\s+' }));
  assert.deepEqual((await loadTokenizerFile(model)).encodeIds('ab ab'), [256, 257]);
});

test('bad tokenizer files give errors naming the file and the problem', async () => {
  const write = (name: string, content: string | Buffer): string => {
    const file = path.join(tmp, name);
    writeFileSync(file, content);
    return file;
  };
  const minimal = { model: { type: 'WordLevel', vocab: { '[UNK]': 0, a: 1 }, unk_token: '[UNK]' } };
  await assertLoadError(write('broken.json', '{"model": {'), ['not valid JSON']);
  await assertLoadError(write('latin1.json', Buffer.from([0x7b, 0xe9, 0x7d])), ['not valid UTF-8']);
  await assertLoadError(write('empty.json', ''), ['empty']);
  await assertLoadError(write('no-model.json', '{"version": "1.0"}'), ['not a tokenizer.json', '"model"']);
  await assertLoadError(write('normalizer.json', JSON.stringify({ ...minimal, normalizer: { type: 'Frobnicate' } })), ['unsupported tokenizer feature', 'normalizer "Frobnicate"']);
  await assertLoadError(write('pre.json', JSON.stringify({ ...minimal, pre_tokenizer: { type: 'UnicodeScripts' } })), ['unsupported tokenizer feature', 'pre-tokenizer "UnicodeScripts"']);
  await assertLoadError(write('model.json', JSON.stringify({ model: { type: 'Frobnicate', vocab: {} } })), ['unsupported tokenizer feature', 'model "Frobnicate"']);
  await assertLoadError(write('regex.json', JSON.stringify({ ...minimal, pre_tokenizer: { type: 'Split', pattern: { Regex: '\\Gx' }, behavior: 'Isolated' } })), ['unsupported tokenizer feature', 'regex']);
  await assertLoadError(write('dropout.json', JSON.stringify({ model: { type: 'BPE', vocab: { a: 0 }, merges: [], dropout: 0.1 } })), ['BPE dropout']);
  await assertLoadError(write('merge.json', JSON.stringify({ model: { type: 'BPE', vocab: { a: 0, b: 1 }, merges: ['a b'] } })), ['merge 1', '"ab"', 'not in the vocabulary']);
  await assertLoadError(write('vocab-id.json', JSON.stringify({ model: { type: 'WordLevel', vocab: { a: 'one' }, unk_token: 'a' } })), ['"a"', 'not a non-negative integer']);
  await assertLoadError(write('unk.json', JSON.stringify({ model: { type: 'WordPiece', vocab: { a: 0 }, unk_token: '[UNK]' } })), ['unknown token "[UNK]"']);
  await assertLoadError(write('template.json', JSON.stringify({ ...minimal, post_processor: { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '[CLS]' } }, { Sequence: { id: 'A' } }], special_tokens: {} } })), ['"[CLS]"', 'special_tokens']);
  await assertLoadError(write('spiece.model', Buffer.from([0x0a, 0x85])), ['truncated']);
  await assertLoadError(write('vocab.txt', 'a\nb\n'), ['[UNK]']);
  await assertLoadError(write('weights.bin', 'x'), ['unknown tokenizer file type']);
  await assertLoadError(path.join(tmp, 'missing.json'), ['cannot read', 'ENOENT']);
});
