/**
 * BPE and WordPiece training: merges computed by hand on small corpora (Hugging Face's own examples), tie-breaking,
 * min frequency, special tokens, and a differential test against Hugging Face's BpeTrainer (the Rust library,
 * through the native binding) on a random corpus and on Botchan.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { trainBpe } from '../../server/src/tokenizers/training/bpeTrainer';
import { countCorpusWords, wordSplitter } from '../../server/src/tokenizers/training/corpusWords';
import { pipelineSections } from '../../server/src/tokenizers/training/tokenizerJson';
import { trainWordPiece } from '../../server/src/tokenizers/training/wordPieceTrainer';
import { sharedDir, skipWithoutShared } from '../support/paths';
import { int, mulberry32, pick, testSeed } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-bpe-training-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The Hugging Face course's BPE example: word counts after pre-tokenization. */
const HUG_CORPUS: Array<[string, number]> = [['hug', 10], ['pug', 5], ['pun', 12], ['bun', 4], ['hugs', 5]];

test('BPE merges the most frequent pair each time, ties to the smaller pair of ids (worked by hand)', async () => {
  const { vocab, merges } = await trainBpe(HUG_CORPUS, { vocabSize: 100, minFrequency: 0, specialTokens: [] });
  // Alphabet by code point: b0 g1 h2 n3 p4 s5 u6. Pair counts: (u,g) 10+5+5 = 20 first; then (u,n) 12+4 = 16;
  // (h,ug) 10+5 = 15; (p,un) 12; then (p,ug) and (hug,s) both 5: ids (4,7) < (9,5), so "pug" before "hugs"; (b,un) 4.
  assert.deepEqual(merges, [['u', 'g'], ['u', 'n'], ['h', 'ug'], ['p', 'un'], ['p', 'ug'], ['hug', 's'], ['b', 'un']]);
  assert.deepEqual(vocab, ['b', 'g', 'h', 'n', 'p', 's', 'u', 'ug', 'un', 'hug', 'pun', 'pug', 'hugs', 'bun']);
});

test('BPE stops at the vocabulary size and below the min frequency', async () => {
  const small = await trainBpe(HUG_CORPUS, { vocabSize: 9, minFrequency: 0, specialTokens: [] });
  assert.deepEqual(small.vocab.slice(7), ['ug', 'un']);
  const frequent = await trainBpe(HUG_CORPUS, { vocabSize: 100, minFrequency: 5, specialTokens: [] });
  assert.equal(frequent.merges.length, 6, 'bun (4 times) is not merged');
  const none = await trainBpe(HUG_CORPUS, { vocabSize: 100, minFrequency: 21, specialTokens: [] });
  assert.deepEqual(none.merges, []);
});

test("BPE reproduces Hugging Face's documented trainer test (min frequency 2)", async () => {
  const words: Array<[string, number]> = [
    ['roses', 1], ['are', 2], ['red', 1], ['voilets', 1], ['blue', 1], ['BERT', 1], ['is', 2], ['big', 1], ['and', 1], ['so', 1], ['GPT-2', 1],
  ];
  const { vocab, merges } = await trainBpe(words, { vocabSize: 30000, minFrequency: 2, specialTokens: [] });
  assert.deepEqual(vocab, ['-', '2', 'B', 'E', 'G', 'P', 'R', 'T', 'a', 'b', 'd', 'e', 'g', 'i', 'l', 'n', 'o', 'r', 's', 't', 'u', 'v', 're', 'are', 'is']);
  assert.deepEqual(merges, [['r', 'e'], ['a', 're'], ['i', 's']]);
});

test('special tokens come first; the initial alphabet is always there; limited alphabets drop rare characters', async () => {
  const { vocab } = await trainBpe([['ab', 3], ['ac', 1]], { vocabSize: 10, minFrequency: 0, specialTokens: ['<s>', '<pad>', '<s>'], initialAlphabet: ['z'] });
  assert.deepEqual(vocab.slice(0, 6), ['<s>', '<pad>', 'a', 'b', 'c', 'z']);
  assert.equal(vocab[6], 'ab');
  const limited = await trainBpe([['ab', 3], ['ac', 1]], { vocabSize: 10, minFrequency: 0, specialTokens: [], limitAlphabet: 2 });
  assert.deepEqual(limited.vocab, ['a', 'b', 'ab'], 'c (once) is dropped from the alphabet and from words');
});

test('WordPiece marks word-inner symbols with ## and merges through the prefix (worked by hand)', async () => {
  const vocab = await trainWordPiece(HUG_CORPUS, { vocabSize: 100, minFrequency: 0, specialTokens: ['[PAD]', '[UNK]'] });
  // Same counts as the BPE example; "##u" + "##g" becomes "##ug", "h" + "##ug" becomes "hug". The tie at 5 is
  // (p, ##ug) = ids (6, 13) against (hug, ##s) = (15, 11): "pug" first.
  assert.deepEqual(vocab, [
    '[PAD]', '[UNK]', 'b', 'g', 'h', 'n', 'p', 's', 'u', '##g', '##n', '##s', '##u', '##ug', '##un', 'hug', 'pun', 'pug', 'hugs', 'bun',
  ]);
});

interface NativeTokenizer {
  setPreTokenizer(preTokenizer: unknown): void;
  train(files: string[]): void;
  save(file: string, pretty: boolean): void;
}
interface NativeModule {
  Tokenizer: new (model: unknown) => NativeTokenizer;
  BPE: { empty(): unknown };
  byteLevelPreTokenizer(addPrefixSpace: boolean, useRegex: boolean): unknown;
}
const native = ((): NativeModule | undefined => {
  try {
    return require('@anush008/tokenizers') as NativeModule;
  } catch {
    return undefined;
  }
})();
const noNative = native ? false : 'the native Hugging Face tokenizers binding is not available on this platform';

/**
 * HF's BpeTrainer with its defaults (every pair merged until one word is one token) on a file, against ours on the
 * words our engine's ByteLevel pre-tokenizer gives for the same file.
 */
async function compareWithHuggingFace(file: string): Promise<void> {
  const hf = new native!.Tokenizer(native!.BPE.empty());
  hf.setPreTokenizer(native!.byteLevelPreTokenizer(false, true));
  hf.train([file]);
  const saved = path.join(tmp, 'hf.json');
  hf.save(saved, false);
  const model = JSON.parse(readFileSync(saved, 'utf8')).model as { vocab: Record<string, number>; merges: Array<[string, string] | string> };
  const expectedVocab = Object.entries(model.vocab).sort((a, b) => a[1] - b[1]).map(([token]) => token);
  const expectedMerges = model.merges.map((merge) => (typeof merge === 'string' ? merge.split(' ') : merge));

  const words = await countCorpusWords([file], { splitter: wordSplitter(pipelineSections('bpe')), keepLineEnds: true });
  const ours = await trainBpe(words, { vocabSize: 30000, minFrequency: 0, specialTokens: [] });
  assert.equal(ours.merges.length, expectedMerges.length);
  for (let i = 0; i < expectedMerges.length; i++) assert.deepEqual(ours.merges[i], expectedMerges[i], `merge ${i}`);
  assert.deepEqual(ours.vocab, expectedVocab);
}

test('BPE training equals Hugging Face BpeTrainer on a random corpus: every merge in order', { skip: noNative }, async () => {
  const random = mulberry32(testSeed(0x7ba1));
  const syllables = ['ka', 'ri', 'to', 'ne', 'shi', 'mu', 'ra', 'e', 'o', 'an', 'th', 'ing', 'ed', 'é', '日', '本'];
  const lines: string[] = [];
  for (let l = 0; l < 400; l++) {
    const words: string[] = [];
    for (let w = int(random, 1, 12); w > 0; w--) {
      let word = '';
      for (let s = int(random, 1, 4); s > 0; s--) word += pick(random, syllables);
      words.push(random() < 0.1 ? `${word}${pick(random, [',', '.', '!', "'s", '42'])}` : word);
    }
    lines.push(words.join(random() < 0.05 ? '  ' : ' '));
  }
  const file = path.join(tmp, 'random.txt');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await compareWithHuggingFace(file);
});

test('BPE training equals Hugging Face BpeTrainer on Botchan: every merge in order', { skip: noNative || skipWithoutShared }, async () => {
  // HF keeps a byte-order mark as text; our reader drops it (it is not text), so compare on the text after it.
  const text = readFileSync(path.join(sharedDir!, 'corpora', 'botchan.txt'), 'utf8').replace(/^\ufeff/, '');
  const file = path.join(tmp, 'botchan.txt');
  writeFileSync(file, text);
  await compareWithHuggingFace(file);
});
