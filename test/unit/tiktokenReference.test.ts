// Differential tests: our tiktoken engine against the `tiktoken` npm package (the WASM build of OpenAI's
// Rust core). `.encode(text, [], [])` is tiktoken's encode(disallowed_special=()) — special-token text is
// plain text — and `.encode(text, 'all')` is allowed_special="all".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import type { Tokenizer } from '../../server/src/tokenizers/types';
import { mulberry32, testSeed } from '../support/random';

const ENCODINGS = ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base', 'gpt2'] as const;

/** Fixed unless EMBEDDING_LENS_TEST_SEED is set, so a failure can be replayed or other seeds explored. */
const SEED = testSeed(0x5eed7);
const RANDOM_STRINGS = 300;


/** Self-made tricky cases: each runs with special tokens off and on. */
const TABLE: readonly string[] = [
  '',
  // contractions, in every case, and U+017F (ſ), which case-folds to s
  "don't", "DON'T", "I'M here", "you'RE", "we'Ve", "they'LL", "he'D", "it'S", "it'ſ", "ſ's", "'ſ", "'ſt", "ſtraße",
  " I'ſ", "I'ſt", "You'ſſ", "'s'S'ſ'd'D", "a'sx", "''s", "'ll've're'm", "rock'n'roll", " 's", "x 'T", "'\n's", "O'Neil's", "’s curly",
  // whitespace: trailing, runs, newlines, CRLF, tabs
  'a \n \n ', 'a\n', 'a \n', '\n', '\n\n\n', ' \n', '\n ', 'a  \n\n  b', '   leading', 'x    y', 'word    ', '  \n  word',
  '\t\n \n\t', 'a \t \n', 'hello   \n\n\n   ', ' \n \n \n',
  'line1\r\nline2\r\n', '\r\n\r\n', 'a\r\rb', '\r', 'a \r\n b', ' \r\n', '\r\n  x',
  '\tindented\n\t\tmore', 'a\t\tb', '\t \t', '\t', 'x\t',
  // digits
  '1234567', '12345678901234567890', '3.14159', 'x1234y', ' 1 22 333 4444', '1,000,000', '١٢٣٤٥', '½ ² ⅷ', 'v1.2.3-rc4',
  // letters, marks and scripts
  'naïve café', 'Ångström', 'e\u0301', '\u0301\u0301x', 'ﬁne ﬂow', 'Ελληνικά', 'русский текст', 'עברית', 'العربية',
  'हिन्दी', 'ภาษาไทย', '中文字符', '日本語のテキスト', '한국어 문장', 'ǅungla ǈ', 'ÉCOLE École', 'ᾼ', 'İstanbul', 'ﬀ',
  'CamelCaseWord', 'HTTPServer', 'iPhone', 'x\u0308\u0301y',
  // emoji: ZWJ sequences, modifiers, flags, variation selectors
  '👩‍👩‍👧‍👦', '👍🏽', '🇺🇳🇫🇷', '❤️', 'a😀b', '😀😀😀', ' 😀', '👩‍💻 coder', '#️⃣', '🏳️‍🌈',
  // lone surrogates (become U+FFFD)
  '\uD800x', 'x\uDC00', '\uDBFF\uDBFF', 'a\uD83D', '\uDE00b', ' \uD800 ', '\uD800',
  // unusual whitespace and invisible characters
  'a\u0085b', '\u0085', ' \u0085 ', '\u0085\n', '\uFEFFhello', 'a\uFEFF b', '\uFEFF', '\u00A0a', 'a\u00A0 \u00A0b', '\u00A0',
  '\u2028\u2029', '\u3000中', '\u200Bzero\u200Bwidth', '\u000B\u000C', '\u1680x', '\u202Fy', 'a\u0085 \n',
  // special-token text: plain text unless special tokens are allowed
  '<|endoftext|>', 'a<|endoftext|>b', '<|endoftext|><|endoftext|>', ' <|endoftext|> ', '<|endoftext|>\n', '\n<|endoftext|>',
  'hello <|endoftext|>world', "it's<|endoftext|>'s", '<|endofprompt|>', '<|fim_prefix|>x<|fim_middle|>y<|fim_suffix|>',
  '<|endoftext', '<|endoftext|', '<<|endoftext|>>', '<|ENDOFTEXT|>', '<|endoftext|>  ', '   <|endoftext|>',
  // code, punctuation, control characters
  'function f(x) { return x*2; }\n', '    if (a) {\n        b();\n    }\n', 'https://example.com/path?q=1&r=2', 'a/b/c//d',
  '// comment\n/* block */', '!!!???...', '---\n===', ' !!', '!\n\n', '?\r\n', '<div class="x">', 'x => x ** 2',
  'Hello, World! It\'s 2024.\n', '\u0000\u0001\u007f', '\u001b[31mred\u001b[0m', '$$$ %%% ^^^', '"quoted"', '…—–',
];

/** Pieces the random strings are made of. */
const ATOMS: readonly string[] = [
  'a', 'b', 'z', 'Q', 'X', 'hello', 'World', 'x', 'é', 'Ö', 'ß', 'ñ', 'ſ',
  '0', '7', '42', '123', '9999',
  '.', ',', '!', '?', '/', '(', ')', '{', '-', '_', '"', '#', '<', '>', '|',
  ' ', ' ', ' ', '  ', '    ', '\n', '\n', '\r', '\r\n', '\t',
  '中', '文', '日本', '한', 'Ж', 'ש',
  '😀', '👍🏽', '👩‍💻', '🇫🇷', '❤️',
  '\u0301', '\u0308', '\u0085', '\u00A0', '\uFEFF', '\u3000',
  "'", "'s", "'S", "'t", "'T", "'re", "'RE", "'rE", "'ve", "'Ve", "'m", "'M", "'ll", "'lL", "'d", "'D", "'ſ",
  '<|endoftext|>',
];

function randomString(random: () => number): string {
  const atoms = Math.floor(random() * 25);
  let text = '';
  for (let i = 0; i < atoms; i++) text += ATOMS[Math.floor(random() * ATOMS.length)];
  return text;
}

/** Long repetitive inputs: one regex piece each (mostly), so they go through the heap merge. */
function longInputs(): [string, string][] {
  const random = mulberry32(SEED ^ 0x10f9);
  let word = '';
  for (let i = 0; i < 20000; i++) word += 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)];
  return [
    ['"a" x 20000', 'a'.repeat(20000)],
    ['" " x 20000', ' '.repeat(20000)],
    ['"ab" x 10000', 'ab'.repeat(10000)],
    ['random 20000-letter word', word],
    ['" " + random word', ` ${word.slice(0, 19999)}`],
    // "中" is 3 bytes: 6700 of them make a piece of 20100 bytes.
    ['"中" x 6700', '中'.repeat(6700)],
    ['"!" x 20000', '!'.repeat(20000)],
    ['digits x 20000', '1234567890'.repeat(2000)],
    ['"\\n" x 20000', '\n'.repeat(20000)],
  ];
}

function sameIds(a: readonly number[], b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function reference(ref: Tiktoken, text: string, allowSpecial: boolean): number[] {
  return Array.from(allowSpecial ? ref.encode(text, 'all') : ref.encode(text, [], []));
}

function checkOne(name: string, ours: Tokenizer, ref: Tiktoken, text: string, allowSpecial: boolean, where: string): void {
  const expected = reference(ref, text, allowSpecial);
  const actual = ours.encodeIds(text, { allowSpecial });
  if (!sameIds(actual, expected)) {
    assert.deepEqual(actual, expected, `${name} ${where} allowSpecial=${allowSpecial} text=${JSON.stringify(text)}`);
  }
}

const catalog = new TokenizerCatalog();

for (const name of ENCODINGS) {
  test(`${name} equals the tiktoken npm package`, async (t) => {
    const ours = await catalog.load(name);
    const ref = get_encoding(name);
    try {
      await t.test('table of tricky cases', () => {
        TABLE.forEach((text, i) => {
          for (const allowSpecial of [false, true]) {
            checkOne(name, ours, ref, text, allowSpecial, `table case ${i}`);
            const expected = reference(ref, text, allowSpecial);
            assert.deepEqual(ours.encode(text, { allowSpecial }).ids, expected, `${name} encode().ids of table case ${i} ${JSON.stringify(text)}`);
            assert.equal(ours.count(text, { allowSpecial }), expected.length, `${name} count() of table case ${i} ${JSON.stringify(text)}`);
            const refText = new TextDecoder('utf-8', { ignoreBOM: true }).decode(ref.decode(Uint32Array.from(expected)));
            assert.equal(ours.decode(expected), refText, `${name} decode of table case ${i} ${JSON.stringify(text)}`);
          }
        });
      });

      await t.test('special tokens are only special when allowed', () => {
        const special = ours.encodeIds('<|endoftext|>', { allowSpecial: true });
        assert.equal(special.length, 1, 'allowed: <|endoftext|> is one token');
        assert.deepEqual(special, reference(ref, '<|endoftext|>', true));
        const plain = ours.encodeIds('<|endoftext|>');
        assert.ok(plain.length > 1, 'not allowed: <|endoftext|> is plain text');
        assert.ok(!plain.includes(special[0]), 'not allowed: the special id does not appear');
      });

      await t.test('token bytes read as tiktoken decodes them', () => {
        // A sample of ids: tokenText is the token's text when its bytes are whole UTF-8, else shows <0xNN>.
        const random = mulberry32(SEED ^ 0x7e7);
        const fatal = new TextDecoder('utf-8', { fatal: true });
        const maxRank = { cl100k_base: 100255, o200k_base: 199997, p50k_base: 50280, r50k_base: 50255, gpt2: 50255 }[name];
        for (let k = 0; k < 500; k++) {
          const id = Math.floor(random() * (maxRank + 1));
          if (name === 'p50k_base' && id === 50256) continue; // the hole where <|endoftext|> lives
          const bytes = ref.decode_single_token_bytes(id);
          let text: string | undefined;
          try {
            text = fatal.decode(bytes);
          } catch {
            text = undefined;
          }
          if (text !== undefined) assert.equal(ours.tokenText(id), text, `${name} tokenText(${id})`);
          else assert.match(ours.tokenText(id), /<0x[0-9A-F]{2}>/, `${name} tokenText(${id}) of bytes ${Buffer.from(bytes).toString('hex')}`);
        }
      });

      await t.test(`${RANDOM_STRINGS} random strings (seed ${SEED})`, () => {
        const random = mulberry32(SEED ^ ENCODINGS.indexOf(name));
        for (let i = 0; i < RANDOM_STRINGS; i++) {
          const text = randomString(random);
          for (const allowSpecial of [false, true]) {
            checkOne(name, ours, ref, text, allowSpecial, `seed ${SEED} random string ${i}`);
          }
        }
      });

      await t.test('long repetitive inputs', () => {
        for (const [label, text] of longInputs()) {
          const expected = reference(ref, text, false);
          const actual = ours.encodeIds(text);
          assert.ok(sameIds(actual, expected), `${name} ${label}: ${actual.length} ids, tiktoken has ${expected.length}; first difference at ${actual.findIndex((id, i) => id !== expected[i])}`);
          assert.equal(ours.count(text), expected.length, `${name} count of ${label}`);
        }
      });
    } finally {
      ref.free();
    }
  });
}
