/**
 * trainTokenizer end to end: files in, tokenizer.json out in Hugging Face's layouts, loaded by our engine and by
 * Hugging Face tokenizers (the Rust library, native binding) with equal ids; bad input named; cancellation.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { expandCorpusPaths } from '../../server/src/tokenizers/training/corpusFiles';
import { saveTokenizerJson } from '../../server/src/tokenizers/training/saveTokenizerJson';
import { BYTE_TO_CHAR } from '../../server/src/tokenizers/hf/byteLevel';
import { TrainingError } from '../../server/src/tokenizers/training/trainingError';
import { trainTokenizer, type TrainableModel, type TrainingProgressEvent } from '../../server/src/tokenizers/training/trainTokenizer';
import { WordCounts } from '../../server/src/tokenizers/training/wordCounts';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import { int, mulberry32, pick, testSeed } from '../support/random';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-training-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A corpus with some variety: made-up words, punctuation, numbers, accents, CJK, emoji, runs of spaces, CRLF. */
function writeCorpus(file: string, lines: number, seed: number): void {
  const random = mulberry32(testSeed(seed));
  const syllables = ['ka', 'ri', 'to', 'ne', 'shi', 'mu', 'ra', 'e', 'o', 'an', 'th', 'ing', 'ed', 'é', 'ü', '東', '京', '🙂'];
  const fixed = ['the', 'tokenizer', 'learns', 'from', 'text', 'café', 'naïve', 'Über', "don't", '2024', '3.14', 'x=1;', 'GPU'];
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const line: string[] = [];
    for (let w = int(random, 0, 14); w > 0; w--) {
      let word = '';
      if (random() < 0.3) word = pick(random, fixed);
      else for (let s = int(random, 1, 4); s > 0; s--) word += pick(random, syllables);
      line.push(word + (random() < 0.1 ? pick(random, [',', '.', '!', '?']) : ''));
    }
    out.push(line.join(random() < 0.05 ? '  ' : ' '));
  }
  writeFileSync(file, out.join(random() < 0.5 ? '\n' : '\r\n'));
}

const corpus = path.join(tmp, 'corpus.txt');
writeCorpus(corpus, 3000, 0xc0);

const PROBES = [
  'the tokenizer learns pieces from text',
  'Café NAÏVE über 東京のデータ 🙂🙂',
  "don't stop: 2024, 3.14 and x=1;",
  '  leading and trailing  ',
  'tabs\tand\nnewlines\r\n',
  'unseen: ζωή Ω ß ﬁ ａｂｃ',
  '<unk> <s> [CLS] [MASK] <|endoftext|>',
  '',
];

interface NativeTokenizer {
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<{ getIds(): number[] }>;
}
const native = ((): { Tokenizer: { fromFile(file: string): NativeTokenizer } } | undefined => {
  try {
    return require('@anush008/tokenizers') as { Tokenizer: { fromFile(file: string): NativeTokenizer } };
  } catch {
    return undefined;
  }
})();

for (const model of ['bpe', 'wordpiece', 'unigram'] as TrainableModel[]) {
  test(`${model}: the trained tokenizer.json loads in our engine and in Hugging Face tokenizers, with equal ids`, async () => {
    const json = await trainTokenizer({ model, vocabSize: 600, minFrequency: 2, files: [corpus] });
    const file = path.join(tmp, `${model}.json`);
    await saveTokenizerJson(json, file);
    const ours = await new TokenizerCatalog().load(file);
    assert.ok(ours.vocabSize > 300 && ours.vocabSize <= 600, `vocabulary of ${ours.vocabSize}`);
    for (const text of PROBES) {
      const ids = ours.encodeIds(text);
      assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < ours.vocabSize));
      if (model === 'bpe') assert.equal(ours.decode(ids), text, 'byte-level BPE decodes back to the text');
      if (!native) continue;
      const hf = native.Tokenizer.fromFile(file);
      for (const addSpecialTokens of [false, true]) {
        const expected = (await hf.encode(text, null, { addSpecialTokens })).getIds();
        assert.deepEqual(ours.encodeIds(text, { addSpecialTokens }), expected, `${JSON.stringify(text)} addSpecialTokens=${addSpecialTokens}`);
      }
    }
  });
}

test('bpe with addPrefixSpace: line-initial words are learned as " word", and both engines agree', async () => {
  const json = await trainTokenizer({ model: 'bpe', vocabSize: 500, files: [corpus], addPrefixSpace: true });
  assert.equal((json.pre_tokenizer as { add_prefix_space: boolean }).add_prefix_space, true);
  const file = path.join(tmp, 'bpe-prefix.json');
  await saveTokenizerJson(json, file);
  const ours = await new TokenizerCatalog().load(file);
  assert.deepEqual(ours.encodeIds('the text'), [...ours.encodeIds(' the text')], 'the same ids with or without a leading space');
  if (!native) return;
  const hf = native.Tokenizer.fromFile(file);
  for (const text of PROBES) assert.deepEqual(ours.encodeIds(text), (await hf.encode(text, null, { addSpecialTokens: false })).getIds(), JSON.stringify(text));
});

test('the layouts are those of ByteLevelBPETokenizer, BertWordPieceTokenizer and SentencePieceUnigramTokenizer', async () => {
  const bpe = await trainTokenizer({ model: 'bpe', vocabSize: 400, files: [corpus] });
  const bpeVocab = bpe.model.vocab as Record<string, number>;
  assert.equal(bpeVocab['<|endoftext|>'], 0);
  const byteChars = [...BYTE_TO_CHAR].sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  byteChars.forEach((char, i) => assert.equal(bpeVocab[char], i + 1, 'the 256 byte characters follow, as GPT-2 orders them'));
  assert.deepEqual(bpe.pre_tokenizer, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true });
  assert.ok((bpe.model.merges as string[]).every((merge) => merge.split(' ').length === 2));
  assert.deepEqual(bpe.added_tokens, [{ id: 0, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }]);

  const wordPiece = await trainTokenizer({ model: 'wordpiece', vocabSize: 400, files: [corpus] });
  const wpVocab = wordPiece.model.vocab as Record<string, number>;
  assert.deepEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => wpVocab[t]), [0, 1, 2, 3, 4]);
  assert.equal(wordPiece.model.unk_token, '[UNK]');
  assert.equal((wordPiece.post_processor as { type: string }).type, 'TemplateProcessing');
  assert.ok(Object.keys(wpVocab).some((token) => token.startsWith('##')));

  const unigram = await trainTokenizer({ model: 'unigram', vocabSize: 400, files: [corpus], specialTokens: ['<s>', '</s>'] });
  const pieces = unigram.model.vocab as Array<[string, number]>;
  assert.deepEqual(pieces.slice(0, 3), [['<unk>', 0], ['<s>', 0], ['</s>', 0]], 'the unknown token is added first when missing');
  assert.equal(unigram.model.unk_id, 0);
  assert.deepEqual(unigram.pre_tokenizer, { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true });
  assert.equal(pieces.length, 400);
});

test('bad input is an error naming the file and the problem', async () => {
  const bad = path.join(tmp, 'latin1.txt');
  writeFileSync(bad, Buffer.concat([Buffer.from('fine text\ncaf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]));
  await assert.rejects(trainTokenizer({ model: 'bpe', vocabSize: 500, files: [corpus, bad] }), (error: unknown) => {
    assert.ok(error instanceof TokenizerLoadError);
    assert.equal(error.file, bad);
    assert.match(error.message, /invalid UTF-8 at byte 13; training files must be UTF-8 text/);
    return true;
  });
  await assert.rejects(trainTokenizer({ model: 'bpe', vocabSize: 500, files: [path.join(tmp, 'missing.txt')] }), /missing\.txt: cannot read.*ENOENT/);
  const empty = path.join(tmp, 'empty-folder');
  mkdirSync(empty);
  await assert.rejects(trainTokenizer({ model: 'unigram', vocabSize: 500, files: [empty] }), TrainingError);
  await assert.rejects(trainTokenizer({ model: 'unigram', vocabSize: 20, files: [corpus] }), /vocabulary size 20 is too small: the corpus needs \d+ characters/);
  await assert.rejects(trainTokenizer({ model: 'wordpiece', vocabSize: 3, files: [corpus] }), /above the 5 special tokens/);
  await assert.rejects(trainTokenizer({ model: 'bpe', vocabSize: 500, minFrequency: -1, files: [corpus] }), /min frequency/);
});

test('an abort stops training with the abort reason, and progress is reported phase by phase', async () => {
  const events: TrainingProgressEvent[] = [];
  const aborter = new AbortController();
  const reason = new Error('stop now');
  const run = trainTokenizer({
    model: 'unigram',
    vocabSize: 800,
    files: [corpus],
    signal: aborter.signal,
    onProgress: (event) => {
      events.push(event);
      if (event.phase === 'EM') aborter.abort(reason);
    },
  });
  await assert.rejects(run, (error) => error === reason);
  assert.deepEqual([...new Set(events.map((e) => e.phase))], ['read corpus', 'seed pieces', 'EM']);
  assert.ok(events.every((e) => e.done <= e.total));
});

test('folders contribute their text files, not hidden folders, dependencies or binary files', async () => {
  const root = path.join(tmp, 'workspace');
  for (const dir of ['docs', '.git', 'node_modules/pkg', '.embedding-lens/tokenizers']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'a.md'), '# text\n');
  writeFileSync(path.join(root, 'docs', 'b.txt'), 'more text\n');
  writeFileSync(path.join(root, 'docs', 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  writeFileSync(path.join(root, 'docs', 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  writeFileSync(path.join(root, '.git', 'config'), 'x\n');
  writeFileSync(path.join(root, 'node_modules', 'pkg', 'index.js'), 'x\n');
  writeFileSync(path.join(root, '.embedding-lens', 'tokenizers', 'bpe-8000.json'), '{}\n');
  assert.deepEqual(await expandCorpusPaths([root]), [path.join(root, 'a.md'), path.join(root, 'docs', 'b.txt')]);
  assert.deepEqual(await expandCorpusPaths([path.join(root, 'docs', 'latin1.txt')]), [path.join(root, 'docs', 'latin1.txt')], 'a file given by name is read (and its bad UTF-8 reported)');
});

test('word counts stay bounded: the rarest words go, frequent ones keep exact counts', () => {
  const counts = new WordCounts(100);
  const random = mulberry32(testSeed(0xb0));
  for (let i = 0; i < 20000; i++) {
    counts.add(random() < 0.5 ? `frequent${i % 10}` : `rare${int(random, 0, 1_000_000)}`);
    assert.ok(counts.size <= 100);
  }
  assert.ok(counts.prunes > 0);
  for (let k = 0; k < 10; k++) assert.ok(counts.get(`frequent${k}`)! >= 900, `frequent${k}`);
});

test('saving writes the whole file or nothing', async () => {
  const folder = path.join(tmp, 'saved');
  const json = await trainTokenizer({ model: 'bpe', vocabSize: 300, files: [corpus] });
  await saveTokenizerJson(json, path.join(folder, 'deep', 'bpe.json'));
  assert.deepEqual(readdirSync(path.join(folder, 'deep')), ['bpe.json'], 'no temporary file left');
  await assert.rejects(saveTokenizerJson(json, path.join(folder, 'deep')), /EISDIR|EPERM|directory/i, 'renaming onto a folder fails');
  assert.deepEqual(readdirSync(path.join(folder, 'deep')), ['bpe.json'], 'and leaves no temporary file');
});
