/**
 * The word-vector corpus: word splitters (Latin, Japanese and Chinese text, a tokenizer's tokens), the vocabulary
 * order, min count and max vocabulary, sentences (lines, long ones cut, empty ones gone) and bad input.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Tokenizer } from '../../server/src/tokenizers/types';
import { MAX_SENTENCE_WORDS, readCorpus } from '../../server/src/vectors/training/corpus';
import type { EncodedCorpus } from '../../server/src/vectors/training/vectorTrainingTypes';
import { lettersSplitter, tokenizerSplitter, unicodeSplitter } from '../../server/src/vectors/training/wordSplitters';
import { sharedDir, skipWithoutShared } from '../support/paths';

const tmp = mkdtempSync(path.join(tmpdir(), 'embedding-lens-vector-corpus-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function corpusFile(name: string, text: string | Buffer): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

/** The corpus as sentences of words, for readable assertions. */
function sentencesOf(corpus: EncodedCorpus): string[][] {
  const sentences: string[][] = [];
  let start = 0;
  for (const end of corpus.sentenceEnds) {
    sentences.push([...corpus.tokens.subarray(start, end)].map((id) => corpus.words[id]));
    start = end;
  }
  return sentences;
}

test('the unicode splitter keeps letters, marks and digits, inner apostrophes and hyphens; lowercase is an option', () => {
  const line = "Don't stop: the well-known Café naïve 42 times — «Ελληνικά» Привет, e\u0301te! end-";
  assert.deepEqual(unicodeSplitter({ lowercase: false }).words(line), ["Don't", 'stop', 'the', 'well-known', 'Café', 'naïve', '42', 'times', 'Ελληνικά', 'Привет', 'e\u0301te', 'end']);
  assert.deepEqual(unicodeSplitter({ lowercase: true }).words('The CAT and Ελληνικά'), ['the', 'cat', 'and', 'ελληνικά']);
});

test('the unicode splitter cuts Japanese and Chinese runs into words, not whole lines', () => {
  const splitter = unicodeSplitter({ lowercase: false });
  const japanese = splitter.words('吾輩は猫である。名前はまだ無い。');
  assert.ok(japanese.includes('吾輩') && japanese.includes('猫') && japanese.includes('名前'), japanese.join('|'));
  assert.ok(japanese.every((word) => word.length <= 3), japanese.join('|'));
  const chinese = splitter.words('我们今天去北京大学学习中文。');
  assert.ok(chinese.includes('北京') && chinese.includes('中文'), chinese.join('|'));
  assert.deepEqual(splitter.words('Tokyo 東京 2024年'), ['Tokyo', '東京', '2024', '年']);
});

test('the letters splitter lower-cases and splits on everything that is not a letter', () => {
  assert.deepEqual(lettersSplitter().words("It's 3rd-rate, naïve CAFÉ_bar42x"), ['it', 's', 'rd', 'rate', 'naïve', 'café', 'bar', 'x']);
  assert.deepEqual(lettersSplitter().words('1234 ...'), []);
});

test('the tokenizer splitter gives token texts, whitespace shown as ▁ and whitespace-only tokens dropped', () => {
  const pieces = ['Hello', ' world', ' ', '\n', '!'];
  const fake: Tokenizer = {
    name: 'fake',
    vocabSize: pieces.length,
    encode: () => ({ ids: [], tokens: [], offsets: [] }),
    encodeIds: () => [0, 1, 2, 4, 3, 1],
    count: () => 6,
    decode: () => '',
    tokenText: (id) => pieces[id],
  };
  const splitter = tokenizerSplitter(fake);
  assert.equal(splitter.name, 'tokenizer:fake');
  assert.deepEqual(splitter.words('ignored'), ['Hello', '▁world', '!', '▁world']);
});

test('the vocabulary is most frequent first, ties in first-seen order; min count and max vocabulary cut it', async () => {
  const file = corpusFile('order.txt', 'b a c a\nd b a\n\nc e c\n');
  const all = await readCorpus([file], { splitter: lettersSplitter(), minCount: 1, maxVocab: 0 });
  assert.deepEqual(all.words, ['a', 'c', 'b', 'd', 'e']);
  assert.deepEqual([...all.counts], [3, 3, 2, 1, 1]);
  assert.deepEqual(sentencesOf(all), [['b', 'a', 'c', 'a'], ['d', 'b', 'a'], ['c', 'e', 'c']]);
  assert.ok(all.tokens.buffer instanceof SharedArrayBuffer && all.sentenceEnds.buffer instanceof SharedArrayBuffer);

  const frequent = await readCorpus([file], { splitter: lettersSplitter(), minCount: 2, maxVocab: 0 });
  assert.deepEqual(frequent.words, ['a', 'c', 'b']);
  assert.deepEqual(sentencesOf(frequent), [['b', 'a', 'c', 'a'], ['b', 'a'], ['c', 'c']]);

  const top = await readCorpus([file], { splitter: lettersSplitter(), minCount: 1, maxVocab: 1 });
  assert.deepEqual(top.words, ['a']);
  assert.deepEqual(sentencesOf(top), [['a', 'a'], ['a']], 'a sentence left without words disappears');
});

test('folders are walked; a line longer than 10,000 words becomes several sentences', async () => {
  const dir = path.join(tmp, 'folder');
  const long = Array.from({ length: MAX_SENTENCE_WORDS * 2 + 5 }, (_, i) => (i % 2 ? 'x' : 'y')).join(' ');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'a.txt'), `${long}\n`);
  writeFileSync(path.join(dir, 'b.txt'), 'x y\n');
  const corpus = await readCorpus([dir], { splitter: lettersSplitter(), minCount: 1, maxVocab: 0 });
  assert.deepEqual([...corpus.sentenceEnds], [MAX_SENTENCE_WORDS, 2 * MAX_SENTENCE_WORDS, 2 * MAX_SENTENCE_WORDS + 5, 2 * MAX_SENTENCE_WORDS + 7]);
});

test('bad UTF-8 and missing files are errors naming the file', async () => {
  const bad = corpusFile('bad.txt', Buffer.from([0x61, 0x20, 0xff, 0x62, 0x0a]));
  await assert.rejects(readCorpus([bad], { splitter: lettersSplitter(), minCount: 1, maxVocab: 0 }), (error: Error) => error.message.includes(bad) && /UTF-8/.test(error.message));
  const missing = path.join(tmp, 'missing.txt');
  await assert.rejects(readCorpus([missing], { splitter: lettersSplitter(), minCount: 1, maxVocab: 0 }), (error: Error) => error.message.includes(missing));
});

test('cancelling while reading stops with an abort', async () => {
  const file = corpusFile('cancel.txt', 'a b c\n'.repeat(1000));
  const aborter = new AbortController();
  aborter.abort();
  await assert.rejects(readCorpus([file], { splitter: lettersSplitter(), minCount: 1, maxVocab: 0, signal: aborter.signal }));
});

test('Natsume Sōseki\'s novel gives Japanese words', { skip: skipWithoutShared }, async () => {
  const corpus = await readCorpus([path.join(sharedDir!, 'corpora', 'wagahaiwa_nekodearu.txt')], { splitter: unicodeSplitter({ lowercase: false }), minCount: 5, maxVocab: 0 });
  for (const word of ['吾輩', '猫', '人間', '主人']) assert.ok(corpus.words.includes(word), `${word} is a word`);
  const lengths = corpus.words.map((word) => [...word].length).sort((a, b) => a - b);
  assert.ok(lengths[Math.floor(lengths.length / 2)] <= 3, `median word length ${lengths[Math.floor(lengths.length / 2)]} characters`);
  assert.ok(corpus.words.length > 1000 && corpus.tokens.length > 100_000, `${corpus.words.length} words, ${corpus.tokens.length} tokens`);
});
