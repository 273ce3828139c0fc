import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PieceType, readModelProto } from '../../server/src/tokenizers/sentencepiece/modelProto';
import { loadSentencePieceModel, type SentencePieceTokenizer } from '../../server/src/tokenizers/sentencepiece/sentencePieceTokenizer';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import { int, mulberry32, pick, testSeed } from '../support/random';
import { sharedDir, skipWithoutShared } from '../support/paths';

// A small protobuf writer, enough to hand-make ModelProto files.
const { normal: NORMAL, unknown: UNKNOWN, control: CONTROL, userDefined: USER_DEFINED, unused: UNUSED, byte: BYTE } = PieceType;

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = BigInt.asUintN(64, BigInt(value));
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return out;
}
const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);
const intField = (field: number, value: number | boolean): number[] => [...tag(field, 0), ...varint(Number(value))];
const bytesField = (field: number, bytes: Uint8Array | number[]): number[] => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const textField = (field: number, text: string): number[] => bytesField(field, Buffer.from(text, 'utf8'));
function floatField(field: number, value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  return [...tag(field, 5), ...bytes];
}

type PieceSpec = [piece: string, score: number, type?: number];

interface ModelSpec {
  pieces: PieceSpec[];
  /** TrainerSpec fields by number (3 model_type, 24 treat_whitespace_as_suffix, 35 byte_fallback, 41 bos_id, 44 unk_surface, ...). */
  trainer?: Record<number, number | boolean | string>;
  /** NormalizerSpec fields by number (3 add_dummy_prefix, 4 remove_extra_whitespaces, 5 escape_whitespaces). */
  normalizer?: Record<number, number | boolean>;
}

function modelBytes({ pieces, trainer = {}, normalizer = {} }: ModelSpec): Uint8Array {
  const out: number[] = [];
  for (const [piece, score, type] of pieces) {
    out.push(...bytesField(1, [...textField(1, piece), ...floatField(2, score), ...(type === undefined ? [] : intField(3, type))]));
  }
  const fields = (spec: Record<number, number | boolean | string>): number[] =>
    Object.entries(spec).flatMap(([field, value]) =>
      typeof value === 'string' ? textField(Number(field), value) : intField(Number(field), value),
    );
  out.push(...bytesField(2, fields(trainer)), ...bytesField(3, fields(normalizer)));
  return Uint8Array.from(out);
}

const load = (spec: ModelSpec): SentencePieceTokenizer => loadSentencePieceModel(modelBytes(spec), 'tiny.model');
const specials: PieceSpec[] = [['<unk>', 0, UNKNOWN], ['<s>', 0, CONTROL], ['</s>', 0, CONTROL]];
const bytePiece = (byte: number): string => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
const bytePieces: PieceSpec[] = Array.from({ length: 256 }, (_, byte) => [bytePiece(byte), 0, BYTE]);

/** Tokens as [token, start, end]: the readable summary the tests compare. */
function tokensOf(tokenizer: SentencePieceTokenizer, text: string, options = {}): [string, number, number][] {
  const { tokens, offsets } = tokenizer.encode(text, options);
  return tokens.map((token, i) => [token, ...offsets[i]]);
}

const unigramPieces: PieceSpec[] = [
  ...specials,
  ['▁', -2],
  ['▁a', -1],
  ['a', -3],
  ['b', -2],
  ['▁ab', -1.5],
  ['c', -4],
  ['▁b', -2.5],
];

test('the protobuf reader: pieces, float scores, types, specs, and proto2 defaults for absent fields', () => {
  const proto = readModelProto(modelBytes({ pieces: [['<unk>', 0, UNKNOWN], ['▁x', -1.25], ['y', 0.1, USER_DEFINED]] }), 'tiny.model');
  assert.deepEqual(proto.pieces, [
    { piece: '<unk>', score: 0, type: UNKNOWN },
    { piece: '▁x', score: -1.25, type: NORMAL },
    { piece: 'y', score: Math.fround(0.1), type: USER_DEFINED },
  ]);
  assert.equal(proto.trainerSpec.modelType, 'unigram');
  assert.deepEqual([proto.trainerSpec.unkId, proto.trainerSpec.bosId, proto.trainerSpec.eosId, proto.trainerSpec.padId], [0, 1, 2, -1]);
  assert.equal(proto.trainerSpec.unkSurface, ' \u2047 ');
  assert.deepEqual(
    [proto.normalizerSpec.addDummyPrefix, proto.normalizerSpec.removeExtraWhitespaces, proto.normalizerSpec.escapeWhitespaces],
    [true, true, true],
  );
  assert.equal(proto.normalizerSpec.precompiledCharsmap.length, 0);
  assert.equal(proto.denormalizerSpec, undefined);

  const customSpec: ModelSpec = {
    pieces: [['<unk>', 0, UNKNOWN]],
    trainer: { 3: 2, 43: -1, 41: -1, 44: '?', 24: true },
    normalizer: { 3: false },
  };
  const custom = readModelProto(modelBytes(customSpec), 't.model');
  assert.equal(custom.trainerSpec.modelType, 'bpe');
  assert.equal(custom.trainerSpec.padId, -1, 'a negative int32 is a 10-byte varint');
  assert.equal(custom.trainerSpec.bosId, -1);
  assert.equal(custom.trainerSpec.unkSurface, '?');
  assert.equal(custom.trainerSpec.treatWhitespaceAsSuffix, true);
  assert.equal(custom.normalizerSpec.addDummyPrefix, false);
});

test('the protobuf reader skips fields it does not know, of every wire type', () => {
  const unknownFields = [
    ...intField(99, 7),
    ...tag(98, 1), ...[1, 2, 3, 4, 5, 6, 7, 8],
    ...tag(97, 5), ...[1, 2, 3, 4],
    ...bytesField(96, [1, 2, 3]),
    ...tag(95, 3), ...intField(1, 5), ...tag(95, 4),
  ];
  const bytes = Uint8Array.from([...unknownFields, ...modelBytes({ pieces: [['<unk>', 0, UNKNOWN], ['a', -1]] })]);
  assert.equal(readModelProto(bytes, 'x.model').pieces.length, 2);
});

test('truncated or garbled model files are load errors that name the file and the problem', () => {
  const good = modelBytes({ pieces: [['<unk>', 0, UNKNOWN], ['abc', -1]] });
  const cases: [Uint8Array, RegExp][] = [
    [Uint8Array.from([0x0a, 0x80]), /truncated varint at byte 1/],
    [good.subarray(0, 5), /length \d+ at byte 1 runs past the end/],
    [Uint8Array.from(varint((99 << 3) | 7)), /unexpected wire type 7 for field 99 at byte 0/],
    [Uint8Array.from([0x08, 0x01]), /ModelProto field 1 has wire type 0, expected 2/],
    [Uint8Array.from([0x00]), /invalid field number 0/],
    [new Uint8Array(0), /it has no pieces/],
    [Uint8Array.from([...varint((95 << 3) | 3), 0x08]), /group of field 95 at byte 0 is never closed|truncated varint/],
    [Uint8Array.from([...good, ...bytesField(2, intField(3, 9))]), /unknown model_type 9/],
    [Uint8Array.from(bytesField(1, [...textField(1, 'a'), ...intField(3, 8)])), /piece 0 has unknown type 8/],
    [Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), /varint longer than 10 bytes at byte 0/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => readModelProto(bytes, 'broken.model'), (error: unknown) => {
      assert.ok(error instanceof TokenizerLoadError, String(error));
      assert.match(error.message, /^broken\.model: not a valid SentencePiece model: /);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('models sentencepiece would refuse are refused the same way', () => {
  const cases: [ModelSpec, RegExp][] = [
    [{ pieces: [['<unk>', 0, UNKNOWN], ['', -1]] }, /piece 1 is empty/],
    [{ pieces: [['<unk>', 0, UNKNOWN], ['a', -1], ['a', -2]] }, /piece "a" \(id 2\) is already defined/],
    [{ pieces: [['a', -1]] }, /no unknown piece is defined/],
    [{ pieces: [['<unk>', 0, UNKNOWN], ['<unk2>', 0, UNKNOWN]] }, /two unknown pieces \(ids 0 and 1\)/],
    [{ pieces: [['<unk>', 0, UNKNOWN], ['<0x41>', 0, BYTE]] }, /byte piece <0x41> \(id 1\) is found although byte_fallback is false/],
    [{ pieces: [['<unk>', 0, UNKNOWN], ['<0xZZ>', 0, BYTE]], trainer: { 35: true } }, /is not of the form <0xNN>/],
    [{ pieces: [['<unk>', 0, UNKNOWN], ...bytePieces.slice(0, 255)], trainer: { 35: true } }, /only 255 of the 256 byte pieces/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(() => load(spec), (error: unknown) => {
      assert.ok(error instanceof TokenizerLoadError);
      assert.match(error.message, /^tiny\.model: /);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('unigram encoding: pieces, unknown runs fused into their text, offsets into the original text', () => {
  const tokenizer = load({ pieces: unigramPieces });
  assert.deepEqual(tokensOf(tokenizer, 'a b'), [['▁a', 0, 1], ['▁b', 1, 3]]);
  assert.deepEqual(tokensOf(tokenizer, 'ab'), [['▁ab', 0, 2]]);
  // Leading, repeated and trailing spaces are dropped; a kept space covers the run it stands for.
  assert.deepEqual(tokensOf(tokenizer, '  a   b  '), [['▁a', 2, 3], ['▁b', 3, 7]]);
  const unknown = tokenizer.encode('axyb');
  assert.deepEqual(unknown.tokens, ['▁a', 'xy', 'b']);
  assert.deepEqual(unknown.ids, [4, 0, 6]);
  assert.deepEqual(unknown.offsets, [[0, 1], [1, 3], [3, 4]]);
  assert.deepEqual(tokenizer.encode('').ids, []);
  assert.deepEqual(tokenizer.encode('   ').ids, []);
  assert.equal(tokenizer.count('a b'), 2);
  assert.deepEqual(tokenizer.encodeIds('a b'), [4, 9]);
});

test('normalizer options: no dummy prefix, kept whitespace, unescaped spaces, whitespace as suffix', () => {
  const pieces: PieceSpec[] = [...specials, ['▁', -2], ['a', -1], ['b', -1], [' ', -2]];
  assert.deepEqual(tokensOf(load({ pieces, normalizer: { 3: false } }), 'a b'), [['a', 0, 1], ['▁', 1, 2], ['b', 2, 3]]);
  const kept = tokensOf(load({ pieces, normalizer: { 3: false, 4: false } }), ' a  b ');
  assert.deepEqual(kept, [['▁', 0, 1], ['a', 1, 2], ['▁', 2, 3], ['▁', 3, 4], ['b', 4, 5], ['▁', 5, 6]]);
  assert.deepEqual(tokensOf(load({ pieces, normalizer: { 3: false, 5: false } }), 'a b'), [['a', 0, 1], [' ', 1, 2], ['b', 2, 3]]);
  const suffixPieces: PieceSpec[] = [...pieces, ['a▁', -0.5], ['b▁', -0.5]];
  assert.deepEqual(tokensOf(load({ pieces: suffixPieces, trainer: { 24: true } }), 'a b'), [['a▁', 0, 2], ['b▁', 2, 3]]);
});

test('BPE: highest score first, leftmost on ties, frozen user-defined symbols, unused pieces split back', () => {
  const base: PieceSpec[] = [...specials, ['▁', -1], ['a', -1], ['b', -1], ['c', -1], ['▁a', -1], ['ab', -2], ['bc', -2]];
  const bpe = (pieces: PieceSpec[]): SentencePieceTokenizer => load({ pieces, trainer: { 3: 2 }, normalizer: { 3: false } });
  // ▁a (-1) merges first; then only bc (-2) remains possible.
  assert.deepEqual(load({ pieces: base, trainer: { 3: 2 } }).encode('abc').tokens, ['▁a', 'bc']);
  // ab and bc tie at -2: the leftmost pair merges.
  assert.deepEqual(bpe(base).encode('abc').tokens, ['ab', 'c']);
  // An UNUSED bc merges first (score -0.5), but is split back since no piece extends it.
  const unused = base.map(([piece, score, type]): PieceSpec => (piece === 'bc' ? [piece, -0.5, UNUSED] : [piece, score, type]));
  assert.deepEqual(bpe(unused).encode('abc').tokens, ['a', 'b', 'c']);
  assert.deepEqual(bpe([...unused, ['abc', -3]]).encode('abc').tokens, ['abc'], 'an unused piece inside a used one stays merged');
  // A user-defined bc is one frozen symbol: ab can no longer form.
  const frozen = base.map(([piece, score, type]): PieceSpec => (piece === 'bc' ? [piece, -9, USER_DEFINED] : [piece, score, type]));
  assert.deepEqual(tokensOf(bpe(frozen), 'abcbc'), [['a', 0, 1], ['bc', 1, 3], ['bc', 3, 5]]);
  // Unknown chars are fused into one unknown piece.
  assert.deepEqual(tokensOf(bpe(base), 'axyzb'), [['a', 0, 1], ['xyz', 1, 4], ['b', 4, 5]]);
});

test('byte fallback spells each unknown char as <0xNN> pieces that all cover that char', () => {
  const tokenizer = load({ pieces: [...specials, ...bytePieces, ['▁', -1], ['a', -1]], trainer: { 3: 2, 35: true } });
  const spelled = tokensOf(tokenizer, 'aé😀');
  assert.deepEqual(spelled.slice(0, 2), [['▁', 0, 0], ['a', 0, 1]]);
  assert.deepEqual(spelled.slice(2, 4), [['<0xC3>', 1, 2], ['<0xA9>', 1, 2]]);
  assert.deepEqual(spelled.slice(4), ['<0xF0>', '<0x9F>', '<0x98>', '<0x80>'].map((byte) => [byte, 2, 4]));
  assert.equal(tokenizer.decode(tokenizer.encodeIds('aé😀')), 'aé😀');
});

test('WORD and CHAR models', () => {
  const word = load({ pieces: [...specials, ['▁hello', -1], ['▁world', -2]], trainer: { 3: 3 } });
  assert.deepEqual(tokensOf(word, 'hello big world'), [['▁hello', 0, 5], ['▁big', 5, 9], ['▁world', 9, 15]]);
  assert.deepEqual(word.encode('hello big world').ids, [3, 0, 4]);
  const char = load({ pieces: [...specials, ['▁', -1], ['a', -1], ['bc', -1, USER_DEFINED]], trainer: { 3: 4 } });
  assert.deepEqual(tokensOf(char, 'abca'), [['▁', 0, 0], ['a', 0, 1], ['bc', 1, 3], ['a', 3, 4]]);
});

test('control text is plain text unless allowSpecial; addSpecialTokens puts <s> first when it is a control piece', () => {
  const tokenizer = load({ pieces: unigramPieces });
  assert.ok(!tokenizer.encode('<s>a').ids.includes(1));
  assert.deepEqual(tokensOf(tokenizer, '<s>a</s>', { allowSpecial: true }), [['<s>', 0, 3], ['▁a', 3, 4], ['</s>', 4, 8]]);
  assert.deepEqual(tokenizer.encode('a', { allowSpecial: true }).ids, [4]);
  assert.deepEqual(tokensOf(tokenizer, 'a', { addSpecialTokens: true }), [['<s>', 0, 0], ['▁a', 0, 1]]);
  assert.equal(tokenizer.bosId, 1);
  const noBos = load({ pieces: [['<unk>', 0, UNKNOWN], ['▁a', -1]], trainer: { 41: -1 } });
  assert.deepEqual(noBos.encode('a', { addSpecialTokens: true }).ids, [1]);
});

test('decode as sentencepiece: ▁ to space, dummy space dropped, controls vanish, unk surface, bytes per byte', () => {
  const pieces: PieceSpec[] = [...specials, ...bytePieces, ['▁', -1], ['▁a', -1], ['b', -1]];
  const tokenizer = load({ pieces, trainer: { 35: true } });
  const piece = (text: string): number => pieces.findIndex(([p]) => p === text);
  assert.equal(tokenizer.decode([piece('<s>'), piece('▁a'), piece('▁a'), piece('b'), piece('</s>')]), 'a ab');
  assert.equal(tokenizer.decode([piece('<unk>'), piece('b')]), ' \u2047 b');
  assert.equal(load({ pieces, trainer: { 35: true, 44: '<?>' } }).decode([piece('<unk>')]), '<?>');
  // Bytes: valid sequences join into chars; each invalid byte is its own U+FFFD.
  assert.equal(tokenizer.decode([piece('<0xC3>'), piece('<0xA9>')]), 'é');
  assert.equal(tokenizer.decode([piece('<0xF0>'), piece('<0x9F>'), piece('<0x98>'), piece('b')]), '\ufffd\ufffd\ufffdb');
  // With extra whitespace removed, every leading ▁ piece is dropped; without, only the first space.
  assert.equal(tokenizer.decode([piece('▁'), piece('▁a')]), 'a');
  const keepSpaces = load({ pieces, trainer: { 35: true }, normalizer: { 4: false } });
  assert.equal(keepSpaces.decode([piece('▁'), piece('▁a')]), ' a');
  assert.throws(() => tokenizer.decode([99999]), RangeError);
  assert.equal(tokenizer.tokenText(piece('▁a')), '▁a');
  assert.throws(() => tokenizer.tokenText(-1), RangeError);
});

const realModels = [
  'llama2-sentencepiece/tokenizer.model',
  'albert-base-v2/spiece.model',
  'xlnet-base-cased/spiece.model',
  'sentencepiece-test-models/test_ja_model.model',
];

test('offsets on real models: every range lies in the text and ranges ascend', { skip: skipWithoutShared }, () => {
  const random = mulberry32(testSeed(0x0ff5e7));
  const fragments = ['Hello', ' ', '  ', '\t', 'ｆｕｌｌ', 'e\u0301', 'ﬁ', '😀', '👨\u200d👩\u200d👧', '中文', 'カタカナ'];
  fragments.push('\u3000', '\r\n', '<s>', '\u0000', '\ud800', '123', '▁');
  const texts = Array.from({ length: 150 }, () => Array.from({ length: int(random, 0, 8) }, () => pick(random, fragments)).join(''));
  for (const model of realModels) {
    const file = path.join(sharedDir!, 'tokenizers', model);
    const tokenizer = loadSentencePieceModel(readFileSync(file), file);
    for (const text of texts) {
      const { ids, offsets } = tokenizer.encode(text);
      assert.equal(offsets.length, ids.length);
      let [lastStart, lastEnd] = [0, 0];
      for (const [start, end] of offsets) {
        assert.ok(start >= 0 && start <= end && end <= text.length, `${model} ${JSON.stringify(text)}: [${start}, ${end})`);
        assert.ok(start >= lastStart && end >= lastEnd, `${model} ${JSON.stringify(text)}: ranges ascend`);
        [lastStart, lastEnd] = [start, end];
      }
    }
  }
});

test('Llama round trip: decode(encode(text)) gives the text back (byte fallback, no normalization)', { skip: skipWithoutShared }, () => {
  const file = path.join(sharedDir!, 'tokenizers', 'llama2-sentencepiece', 'tokenizer.model');
  const tokenizer = loadSentencePieceModel(readFileSync(file), file);
  const random = mulberry32(testSeed(0x11a3a));
  const chars = ['a', 'Z', ' ', '  ', '\n', '\t', 'é', '😀', '中', '\u0000', 'ｆ', '\u200d', '🇨🇳'];
  for (let round = 0; round < 200; round++) {
    const text = Array.from({ length: int(random, 0, 12) }, () => pick(random, chars)).join('');
    assert.equal(tokenizer.decode(tokenizer.encodeIds(text)), text);
  }
});

test('a real model cut short anywhere is a load error or a shorter model, never a crash', { skip: skipWithoutShared }, () => {
  const file = path.join(sharedDir!, 'tokenizers', 'sentencepiece-test-models', 'test_model.model');
  const bytes = readFileSync(file);
  const random = mulberry32(testSeed(0xc07));
  for (let round = 0; round < 60; round++) {
    const cut = int(random, 0, bytes.length - 1);
    try {
      readModelProto(bytes.subarray(0, cut), file);
    } catch (error) {
      assert.ok(error instanceof TokenizerLoadError, `cut at ${cut}: ${String(error)}`);
    }
  }
});
