// The shape of an Encoding: ids, readable tokens and UTF-16 offsets agree with each other and with the text.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { TIKTOKEN_ENCODINGS } from '../../models/tiktokenEncodings';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import { parseRanks, readRankFile, type Ranks } from '../../server/src/tokenizers/rankFile';
import { TiktokenTokenizer } from '../../server/src/tokenizers/tiktoken';
import type { EncodeOptions, Encoding, Tokenizer } from '../../server/src/tokenizers/types';
import { distDir } from '../support/paths';
import { mulberry32, testSeed } from '../support/random';

const SEED = testSeed(0x0ff5e7);


const ATOMS: readonly string[] = [
  'a', 'hello', ' world', 'X', 'é', 'ſ', "'s", "'LL", '1', '2024', '.', '!', '(', '<', '|', '>',
  ' ', '  ', '\n', '\r\n', '\t', '\u0085', '\u00A0', '\uFEFF', '\u200B',
  '中', '日本語', '한', 'e\u0301', '\u0301',
  '😀', '👩‍💻', '🇫🇷', '👍🏽', '\uD800', '\uDFFF', '<|endoftext|>',
];

function randomText(random: () => number): string {
  const n = Math.floor(random() * 30);
  let text = '';
  for (let i = 0; i < n; i++) text += ATOMS[Math.floor(random() * ATOMS.length)];
  return text;
}

const withReplacedSurrogates = (text: string): string =>
  text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/**
 * Expected offsets, worked out independently from the token byte lengths: for each UTF-8 byte of the text
 * the UTF-16 start and end of its character; a token gets the start of its first byte's character and the
 * end of its last byte's character.
 */
function expectedOffsets(text: string, byteLengths: readonly number[]): [number, number][] | string {
  const charStart: number[] = [];
  const charEnd: number[] = [];
  let unit = 0;
  for (const char of text) {
    const units = char.length;
    const bytes = Buffer.byteLength(char, 'utf8'); // a lone surrogate is 3 bytes (U+FFFD)
    for (let k = 0; k < bytes; k++) {
      charStart.push(unit);
      charEnd.push(unit + units);
    }
    unit += units;
  }
  const total = byteLengths.reduce((sum, n) => sum + n, 0);
  if (total !== charStart.length) return `tokens hold ${total} bytes, the text ${charStart.length}`;
  const offsets: [number, number][] = [];
  let byte = 0;
  for (const length of byteLengths) {
    offsets.push([charStart[byte], charEnd[byte + length - 1]]);
    byte += length;
  }
  return offsets;
}

interface Loaded {
  tokenizer: Tokenizer;
  ranks: Ranks;
  specials: Map<number, string>;
}

const catalog = new TokenizerCatalog();
const loaded = new Map<string, Loaded>();

async function load(name: string): Promise<Loaded> {
  let entry = loaded.get(name);
  if (!entry) {
    const spec = TIKTOKEN_ENCODINGS.find((s) => s.name === name)!;
    entry = {
      tokenizer: await catalog.load(name),
      ranks: readRankFile(path.join(distDir, 'encodings', spec.rankFile)),
      specials: new Map(Object.entries(spec.specialTokens).map(([text, id]) => [id, text])),
    };
    loaded.set(name, entry);
  }
  return entry;
}

function checkShape({ tokenizer, ranks, specials }: Loaded, text: string, options: EncodeOptions, where: string): void {
  const label = `${tokenizer.name} ${where} allowSpecial=${options.allowSpecial ?? false} text=${JSON.stringify(text)}`;
  const encoding: Encoding = tokenizer.encode(text, options);
  const { ids, tokens, offsets } = encoding;
  assert.deepEqual(ids, tokenizer.encodeIds(text, options), `encode().ids equals encodeIds(): ${label}`);
  assert.equal(tokenizer.count(text, options), ids.length, `count(): ${label}`);
  assert.equal(tokens.length, ids.length, `tokens.length: ${label}`);
  assert.equal(offsets.length, ids.length, `offsets.length: ${label}`);
  ids.forEach((id, i) => assert.equal(tokens[i], tokenizer.tokenText(id), `tokens[${i}] is tokenText(${id}): ${label}`));
  if (!options.allowSpecial) {
    for (const id of ids) assert.ok(!specials.has(id), `no special id without allowSpecial: ${label}`);
  }

  // General invariants of the offsets.
  let covered = 0; // text reproduced so far: [0, covered)
  let rebuilt = '';
  let previousStart = 0;
  offsets.forEach(([start, end], i) => {
    assert.ok(Number.isInteger(start) && Number.isInteger(end), `integer offsets at ${i}: ${label}`);
    assert.ok(0 <= start && start < end && end <= text.length, `offsets[${i}] = [${start}, ${end}] within the text: ${label}`);
    assert.ok(start >= previousStart, `offsets non-decreasing at ${i}: ${label}`);
    assert.ok(start <= covered, `no gap before token ${i}: ${label}`);
    const bytes = specials.get(ids[i]) ?? ranks.bytesOf[ids[i]];
    const beginsMidCharacter = !specials.has(ids[i]) && (bytes.charCodeAt(0) & 0xc0) === 0x80;
    // A token overlaps the one before exactly when it begins inside a character that the one before began.
    assert.equal(start < covered, beginsMidCharacter, `token ${i} overlaps the one before iff it starts with a continuation byte: ${label}`);
    if (end > covered) {
      rebuilt += text.slice(covered, end);
      covered = end;
    }
    previousStart = start;
  });
  assert.equal(rebuilt, text, `the offsets cover the text: ${label}`);

  // The exact offsets, from the token bytes.
  const byteLengths = ids.map((id) => (specials.has(id) ? Buffer.byteLength(specials.get(id)!, 'utf8') : ranks.bytesOf[id].length));
  const expected = expectedOffsets(text, byteLengths);
  assert.deepEqual(offsets, expected, `offsets: ${label}`);
  // The token bytes are the text's UTF-8.
  const joined = ids.map((id) => (specials.has(id) ? Buffer.from(specials.get(id)!, 'utf8').toString('latin1') : ranks.bytesOf[id])).join('');
  assert.equal(joined, Buffer.from(text, 'utf8').toString('latin1'), `token bytes are the UTF-8 of the text: ${label}`);

  assert.equal(tokenizer.decode(ids), withReplacedSurrogates(text), `decode(ids): ${label}`);
}

const NAMES = TIKTOKEN_ENCODINGS.map((s) => s.name);

for (const name of NAMES) {
  test(`${name}: encode, count, offsets, tokens and decode agree (seed ${SEED})`, async () => {
    const entry = await load(name);
    const random = mulberry32(SEED ^ NAMES.indexOf(name));
    const fixed = ['', 'a', '😀', 'a😀b', '😀b', '\uD800', 'x\uDC00y', '<|endoftext|>', 'a<|endoftext|>b', '中文 ok\r\n', 'e\u0301\u0301', '👩‍👩‍👧‍👦 family'];
    for (const text of fixed) {
      checkShape(entry, text, {}, 'fixed');
      checkShape(entry, text, { allowSpecial: true }, 'fixed');
    }
    for (let i = 0; i < 150; i++) {
      const text = randomText(random);
      checkShape(entry, text, {}, `seed ${SEED} random ${i}`);
      checkShape(entry, text, { allowSpecial: true }, `seed ${SEED} random ${i}`);
    }
    // A long piece goes through the heap merge; its offsets follow the same rules.
    checkShape(entry, `${'ab'.repeat(150)}😀${'中'.repeat(60)} ${'x'.repeat(200)}`, {}, 'long');
  });
}

test('tokenText shows <0xNN> for tokens that are not whole characters', async () => {
  const { tokenizer } = await load('r50k_base');
  const emoji = tokenizer.encode('😀');
  assert.deepEqual(emoji.ids, [47249, 222]);
  assert.deepEqual(emoji.tokens, ['<0xF0><0x9F><0x98>', '<0x80>']);
  assert.deepEqual(emoji.offsets, [[0, 2], [0, 2]], 'both parts of the emoji share its offsets');
  const around = tokenizer.encode('a😀b');
  assert.deepEqual(around.tokens, ['a', '<0xF0><0x9F><0x98>', '<0x80>', 'b']);
  assert.deepEqual(around.offsets, [[0, 1], [1, 3], [1, 3], [3, 4]]);
  assert.equal(tokenizer.tokenText(220), ' ');
  assert.equal(tokenizer.tokenText(50256), '<|endoftext|>');
  assert.equal(tokenizer.decode([47249]), '\uFFFD', 'decoding part of a character gives U+FFFD');
  assert.equal(tokenizer.decode([47249, 222]), '😀');

  const cl100k = (await load('cl100k_base')).tokenizer;
  const zwj = cl100k.encode('👩‍💻');
  assert.ok(zwj.tokens.some((t) => /^(<0x[0-9A-F]{2}>)+$/.test(t)), `some byte tokens in ${JSON.stringify(zwj.tokens)}`);
  for (const token of zwj.tokens) assert.ok(!token.includes('\uFFFD'), 'no U+FFFD in readable tokens');
});

test('unknown ids are a RangeError', async () => {
  const { tokenizer } = await load('r50k_base');
  assert.throws(() => tokenizer.decode([50257]), RangeError);
  assert.throws(() => tokenizer.decode([-1]), RangeError);
  assert.throws(() => tokenizer.tokenText(10 ** 6), RangeError);
  const p50k = (await load('p50k_base')).tokenizer;
  assert.equal(p50k.decode([50256]), '<|endoftext|>', 'the hole in p50k_base ranks is <|endoftext|>');
  assert.equal(p50k.tokenText(50280), ' '.repeat(25));
});

test('vocabSize is the highest id plus one, as tiktoken n_vocab', async () => {
  // tiktoken's n_vocab (max_token_value + 1) for each encoding.
  const expected: Record<string, number> = { cl100k_base: 100277, o200k_base: 200019, p50k_base: 50281, r50k_base: 50257, gpt2: 50257 };
  for (const name of NAMES) {
    const { tokenizer, ranks, specials } = await load(name);
    const highest = Math.max(ranks.bytesOf.length - 1, ...specials.keys());
    assert.equal(tokenizer.vocabSize, highest + 1, `${name}: vocabSize against its highest id ${highest}`);
    assert.equal(tokenizer.vocabSize, expected[name], `${name}: vocabSize against tiktoken's n_vocab`);
  }
});

test('vocabSize of a tokenizer whose highest id is a rank, with or without special tokens', () => {
  const lines = Array.from({ length: 256 }, (_, b) => `${Buffer.from([b]).toString('base64')} ${b}`);
  const ranks = parseRanks(`${lines.join('\n')}\n${Buffer.from('ab').toString('base64')} 256\n`, 'small.tiktoken');
  const pattern = TIKTOKEN_ENCODINGS[0].pattern;
  const plain = new TiktokenTokenizer({ name: 'small', ranks, pattern, specialTokens: {} });
  assert.equal(plain.vocabSize, 257, 'ids 0..256');
  const withSpecial = new TiktokenTokenizer({ name: 'small+', ranks, pattern, specialTokens: { '<|x|>': 100 } });
  assert.equal(withSpecial.vocabSize, 257, 'ids 0..256; the special token reuses a low id');
  const above = new TiktokenTokenizer({ name: 'small++', ranks, pattern, specialTokens: { '<|x|>': 300 } });
  assert.equal(above.vocabSize, 301, 'ids 0..300');
  assert.deepEqual(plain.encodeIds('abab'), [256, 256]);
});
