/**
 * Differential test against Hugging Face tokenizers itself (the Rust library, through the @anush008/tokenizers
 * binding): random text through real tokenizer.json files and through configurations no reference row covers
 * (every split behaviour, Digits, Punctuation, NFKC, Strip, Replace, WordLevel …), comparing ids, tokens and offsets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHUNK_UNITS } from '../../server/src/tokenizers/hf/pipelineTokenizer';
import { tokenizerFromJsonText } from '../../server/src/tokenizers/hf/tokenizerJson';
import { codePointOffsetsToUtf16 } from '../support/golden';
import { sharedDir } from '../support/paths';
import { int, mulberry32, pick, testSeed, type Random } from '../support/random';

interface NativeEncoding {
  getIds(): number[];
  getTokens(): string[];
  getOffsets(): Array<[number, number]>;
}
interface NativeTokenizer {
  encode(text: string, pair: null, options: { addSpecialTokens: boolean }): Promise<NativeEncoding>;
}
type NativeModule = { Tokenizer: { fromFile(file: string): Promise<NativeTokenizer> } };

const native = ((): NativeModule | undefined => {
  try {
    return require('@anush008/tokenizers') as NativeModule;
  } catch {
    return undefined;
  }
})();
const skip = !native ? 'the native HF tokenizers binding (@anush008/tokenizers) is not available on this platform' : !sharedDir ? '../shared is absent: no tokenizer files to compare' : false;

const FRAGMENTS = [
  'Hello', 'world', 'the', ' ', '  ', '\t', '\n', '\r\n', 'naïve', 'café', 'e\u0301', 'Straße', 'İstanbul', 'ΑΣ', 'ﬁ', 'ｆｕｌｌ', '①',
  '™', '😀', '👍🏽', '👨\u200d👩\u200d👧', '🇨🇳', '中文', '日本語', 'カタカナ', '한국어', 'русский', 'العربي', 'हिन्दी', '123', '3.14', '1,000',
  "'s", "n't", '...', '!!', '?', '-', '_', '(', ')', '{', '}', '<b>', '&amp;', 'x=1;', '\u00a0', '\u2003', '\u200b', '\u0000', '\u0085',
  '\ufeff', '▁', 'Ġ', '[CLS]', '[MASK]', '<s>', '</s>', '<unk>', '<|endoftext|>', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'abababababab', 'camelCase',
];

/** Blocks assigned long ago, so Unicode-version differences between V8 and the Rust crates do not show up as noise. */
const STABLE_BLOCKS: Array<[number, number]> = [
  [0x20, 0x7e], [0xa0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x5d0, 0x5ea], [0x621, 0x64a], [0x900, 0x970], [0xe01, 0xe3a],
  [0x2010, 0x2027], [0x2160, 0x2188], [0x3041, 0x3096], [0x30a1, 0x30fa], [0x4e00, 0x9fa5], [0xac00, 0xd7a3], [0xff01, 0xff5e], [0x1f600, 0x1f64f],
];

function randomText(random: Random): string {
  let text = '';
  const parts = int(random, 0, 12);
  for (let i = 0; i < parts; i++) {
    const [lo, hi] = pick(random, STABLE_BLOCKS);
    text += random() < 0.85 ? pick(random, FRAGMENTS) : String.fromCodePoint(int(random, lo, hi));
    if (random() < 0.5) text += ' ';
  }
  return text;
}

/** Variants of a base file that exercise components the reference files do not use. */
function variants(bertJson: Record<string, unknown>, gpt2Json: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  const withParts = (base: Record<string, unknown>, parts: Record<string, unknown>): Record<string, unknown> => ({ ...base, ...parts });
  const split = (behavior: string, invert = false): unknown => ({ type: 'Split', pattern: { Regex: '\\s+|[,.!?]' }, behavior, invert });
  return [
    ['bert + NFKC + Lowercase + Whitespace', withParts(bertJson, { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] }, pre_tokenizer: { type: 'Whitespace' } })],
    ['bert + NFD + StripAccents + Punctuation + Digits', withParts(bertJson, { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }, { type: 'Lowercase' }] }, pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Punctuation', behavior: 'Isolated' }, { type: 'Digits', individual_digits: true }] } })],
    ['bert + Strip + Replace + Digits contiguous', withParts(bertJson, { normalizer: { type: 'Sequence', normalizers: [{ type: 'Strip', strip_left: true, strip_right: true }, { type: 'Replace', pattern: { String: 'the' }, content: 'THE' }, { type: 'Lowercase' }] }, pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Digits', individual_digits: false }] } })],
    ...['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'].flatMap((behavior): Array<[string, Record<string, unknown>]> => [
      [`gpt2 + Split ${behavior}`, withParts(gpt2Json, { pre_tokenizer: { type: 'Sequence', pretokenizers: [split(behavior), { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] } })],
      [`gpt2 + Split ${behavior} inverted`, withParts(gpt2Json, { pre_tokenizer: { type: 'Sequence', pretokenizers: [split(behavior, true), { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] } })],
    ]),
    ['gpt2 + NFC + Prepend + Metaspace-free ByteLevel with prefix space', withParts(gpt2Json, { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Prepend', prepend: '>' }] }, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } })],
  ];
}

function writeJson(dir: string, name: string, json: unknown): string {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

test('tokenizer.json pipeline agrees with HF tokenizers (Rust) on random text', { skip }, async () => {
  const root = path.join(sharedDir!, 'tokenizers');
  const tmp = mkdtempSync(path.join(tmpdir(), 'hf-diff-'));
  const files = ['bert-base-uncased', 'bert-base-chinese', 'gpt2', 'roberta-base', 't5-small', 'mistral-7b-instruct-v0.3', 'phi-2', 'xlnet-base-cased', 'clip', 'all-minilm-l6-v2'].map(
    (name): [string, string] => [name, path.join(root, name, 'tokenizer.json')],
  );
  const bertJson = JSON.parse(readFileSync(path.join(root, 'bert-base-uncased', 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  const gpt2Json = JSON.parse(readFileSync(path.join(root, 'gpt2', 'tokenizer.json'), 'utf8')) as Record<string, unknown>;
  for (const [name, json] of variants(bertJson, gpt2Json)) files.push([name, writeJson(tmp, name, json)]);
  // Both sides see the whole text: the saved truncation and padding of some files are turned off, as in the references.
  for (const entry of files) {
    const json = JSON.parse(readFileSync(entry[1], 'utf8')) as Record<string, unknown>;
    entry[1] = writeJson(tmp, entry[0], { ...json, truncation: null, padding: null });
  }
  const random = mulberry32(testSeed(0x5eed3));
  const failures: string[] = [];
  let compared = 0;
  for (const [name, file] of files) {
    const ours = tokenizerFromJsonText(readFileSync(file, 'utf8'), file, name);
    const theirs = await native!.Tokenizer.fromFile(file);
    for (let i = 0; i < 60; i++) {
      // Mostly short texts; some long ones, which take the long-text paths (heap merges, cut points, windows).
      let text = randomText(random);
      if (i % 20 === 0) while (text.length < 3000) text += randomText(random);
      // One text long enough to be encoded in chunks, with many line breaks (where chunks are cut).
      if (i === 1) while (text.length < CHUNK_UNITS * 2.5) text += `${randomText(random)}${pick(random, ['\n', '\n\n', ' \n', '\r\n'])}`;
      const addSpecialTokens = random() < 0.5;
      const expected = await theirs.encode(text, null, { addSpecialTokens });
      const actual = ours.encode(text, { addSpecialTokens });
      compared++;
      const expectedOffsets = codePointOffsetsToUtf16(text, expected.getOffsets());
      const same =
        JSON.stringify(actual.ids) === JSON.stringify(expected.getIds()) &&
        JSON.stringify(actual.tokens) === JSON.stringify(expected.getTokens()) &&
        JSON.stringify(actual.offsets) === JSON.stringify(expectedOffsets);
      if (!same) {
        failures.push(`${name} ${JSON.stringify(text)}: ids ${JSON.stringify(actual.ids)} vs ${JSON.stringify(expected.getIds())}; tokens ${JSON.stringify(actual.tokens)} vs ${JSON.stringify(expected.getTokens())}; offsets ${JSON.stringify(actual.offsets)} vs ${JSON.stringify(expectedOffsets)}`);
      }
    }
  }
  console.log(`hf differential: ${compared - failures.length}/${compared} random encodings agree`);
  assert.deepEqual(failures.slice(0, 8), []);
});
