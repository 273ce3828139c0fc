// The hover: visible token text, inline code, finding the hovered token, and the Markdown itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverMarkdown, tokenAt } from '../../server/src/tokenLens/hoverMarkdown';
import { inlineCode, visibleToken } from '../../server/src/tokenLens/tokenDisplay';
import { TokenizerCatalog } from '../../server/src/tokenizers/catalog';
import type { Encoding } from '../../server/src/tokenizers/types';
import { mulberry32, testSeed } from '../support/random';

const SEED = testSeed(0x40fe2);


test('visibleToken makes whitespace and invisible characters visible', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['hello', 'hello'],
    [' ', '·'],
    [' world', '·world'],
    ['  ', '··'],
    ['\t', '→'],
    ['\n', '↵'],
    ['\r', '␍'],
    ['\r\n', '␍↵'],
    [' \n\t', '·↵→'],
    ['\u200B', '<U+200B>'],
    ['a\u200Bb', 'a<U+200B>b'],
    ['\u00A0', '<U+00A0>'],
    ['\u3000', '<U+3000>'],
    ['\u2028', '<U+2028>'],
    ['\u2029', '<U+2029>'],
    ['\u0085', '<U+0085>'],
    ['\uFEFF', '<U+FEFF>'],
    ['\u0000', '<U+0000>'],
    ['\u001b', '<U+001B>'],
    ['\u007f', '<U+007F>'],
    ['\u200D', '<U+200D>'],
    ['\u202E', '<U+202E>'],
    ['\uE000', '<U+E000>'],
    ['\uFFFD', '<U+FFFD>'],
    ['\u{E0001}', '<U+E0001>'],
    ['\u000B\u000C', '<U+000B><U+000C>'],
    ['中文', '中文'],
    ['😀', '😀'],
    ['👩‍💻', '👩<U+200D>💻'],
    ['e\u0301', 'e\u0301'],
    ['<0xF0><0x9F>', '<0xF0><0x9F>'],
    ['·', '·'],
  ];
  for (const [text, shown] of cases) assert.equal(visibleToken(text), shown, JSON.stringify(text));
});

test('inlineCode: a fence longer than any run of backticks inside', () => {
  assert.equal(inlineCode('abc'), '`abc`');
  assert.equal(inlineCode(''), '``');
  assert.equal(inlineCode('a`b'), '`` a`b ``');
  assert.equal(inlineCode('`'), '`` ` ``');
  assert.equal(inlineCode('``'), '``` `` ```');
  assert.equal(inlineCode('a``b`c'), '``` a``b`c ```');
  assert.equal(inlineCode('x```'), '```` x``` ````');
  // What Markdown renders: strip the fence and the one space on each side, and the text is back.
  for (const text of ['`', 'a`b', '``x``', '`a`', 'a````b']) {
    const code = inlineCode(text);
    const fence = code.match(/^`+/)![0];
    assert.ok(code.endsWith(fence), code);
    assert.ok(!text.includes(fence), `the fence ${fence} does not occur in ${text}`);
    assert.equal(code.slice(fence.length + 1, code.length - fence.length - 1), text);
  }
});

function encodingOf(tokens: string[], offsets: [number, number][], ids = tokens.map((_, i) => 100 + i)): Encoding {
  return { ids, tokens, offsets };
}

test('tokenAt: binary search over offsets', () => {
  const e = encodingOf(['Hello', ' world', '!'], [[0, 5], [5, 11], [11, 12]]);
  const expected = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2];
  expected.forEach((index, offset) => assert.equal(tokenAt(e, offset), index, `offset ${offset}`));
  assert.equal(tokenAt(e, 12), -1, 'the end of the text is in no token');
  assert.equal(tokenAt(e, 99), -1);
  assert.equal(tokenAt(e, -1), -1);
  assert.equal(tokenAt(encodingOf([], []), 0), -1, 'empty encoding');
});

test('tokenAt: tokens that split one character report the first of them', () => {
  // "a😀b" in r50k_base: the emoji (2 UTF-16 units) is two byte tokens sharing [1, 3).
  const e = encodingOf(['a', '<0xF0><0x9F><0x98>', '<0x80>', 'b'], [[0, 1], [1, 3], [1, 3], [3, 4]]);
  assert.deepEqual([0, 1, 2, 3].map((o) => tokenAt(e, o)), [0, 1, 1, 3]);
  // Many tokens sharing one character, so the binary search lands in the middle of them.
  const many = encodingOf(['x', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'y'], [[0, 1], [1, 3], [1, 3], [1, 3], [1, 3], [1, 3], [1, 3], [3, 4]]);
  assert.deepEqual([0, 1, 2, 3].map((o) => tokenAt(many, o)), [0, 1, 1, 7]);
  // A token that starts inside a character and runs on past it.
  const overlapping = encodingOf(['a', 'p', 'qb', 'c'], [[0, 1], [1, 3], [1, 4], [4, 5]]);
  assert.deepEqual([0, 1, 2, 3, 4].map((o) => tokenAt(overlapping, o)), [0, 1, 1, 2, 3]);
});

test(`tokenAt finds the first token containing each offset, on real encodings (seed ${SEED})`, async () => {
  const catalog = new TokenizerCatalog();
  const random = mulberry32(SEED);
  const atoms = ['a', ' b', 'word', '😀', '👩‍💻', '中', ' ', '\n', '1234', 'é', '\u0301', '!?'];
  for (const name of ['r50k_base', 'cl100k_base']) {
    const tokenizer = await catalog.load(name);
    for (let i = 0; i < 200; i++) {
      let text = '';
      const n = Math.floor(random() * 20);
      for (let k = 0; k < n; k++) text += atoms[Math.floor(random() * atoms.length)];
      const encoding = tokenizer.encode(text);
      for (let offset = -1; offset <= text.length; offset++) {
        const expected = encoding.offsets.findIndex(([start, end]) => start <= offset && offset < end);
        assert.equal(tokenAt(encoding, offset), expected, `${name} seed ${SEED} text ${JSON.stringify(text)} offset ${offset}`);
      }
    }
  }
});

test('hoverMarkdown: header, hovered token and all tokens', () => {
  const encoding = encodingOf(['Hello', ' world', '!'], [[0, 5], [5, 11], [11, 12]], [9906, 1917, 0]);
  assert.equal(
    hoverMarkdown([{ tokenizer: 'cl100k_base', encoding, hovered: 1, scope: 'line 1' }]),
    [
      '**Embedding Lens** · cl100k_base · 3 tokens in line 1',
      'Token 2 of 3: `·world` id **1917**',
      '`Hello` **`·world`** `!`',
      'ids: 9906 **1917** 0',
    ].join('\n\n'),
  );
  // Nothing hovered: no token line, nothing bold.
  assert.equal(
    hoverMarkdown([{ tokenizer: 'cl100k_base', encoding, hovered: -1, scope: 'selection' }]),
    ['**Embedding Lens** · cl100k_base · 3 tokens in selection', '`Hello` `·world` `!`', 'ids: 9906 1917 0'].join('\n\n'),
  );
});

test('hoverMarkdown: one token, no tokens, backticks and invisible characters', () => {
  const one = encodingOf(['\t'], [[0, 1]], [197]);
  assert.equal(
    hoverMarkdown([{ tokenizer: 'r50k_base', encoding: one, hovered: 0, scope: 'line 7' }]),
    ['**Embedding Lens** · r50k_base · 1 token in line 7', 'Token 1 of 1: `→` id **197**', '**`→`**', 'ids: **197**'].join('\n\n'),
  );
  assert.equal(
    hoverMarkdown([{ tokenizer: 'gpt2', encoding: encodingOf([], []), hovered: -1, scope: 'line 2' }]),
    '**Embedding Lens** · gpt2 · 0 tokens in line 2',
  );
  const ticks = encodingOf(['`', '``x', '\u200B'], [[0, 1], [1, 4], [4, 5]], [63, 15506, 9999]);
  const md = hoverMarkdown([{ tokenizer: 'cl100k_base', encoding: ticks, hovered: 0, scope: 'line 1' }]);
  assert.ok(md.includes('Token 1 of 3: `` ` `` id **63**'), md);
  assert.ok(md.includes('**`` ` ``** ``` ``x ``` `<U+200B>`'), md);
});

test('hoverMarkdown: sections joined by a rule, counts with thousands separators', () => {
  const many = encodingOf(Array.from({ length: 1234 }, () => 'a'), Array.from({ length: 1234 }, (_, i): [number, number] => [i, i + 1]));
  const small = encodingOf(['hi'], [[0, 2]], [5]);
  const md = hoverMarkdown([
    { tokenizer: 'cl100k_base', encoding: small, hovered: 0, scope: 'line 1' },
    { tokenizer: 'o200k_base', encoding: many, hovered: -1, scope: 'line 1' },
  ]);
  const sections = md.split('\n\n---\n\n');
  assert.equal(sections.length, 2);
  assert.ok(sections[0].startsWith('**Embedding Lens** · cl100k_base · 1 token in line 1'));
  assert.ok(sections[1].startsWith('**Embedding Lens** · o200k_base · 1,234 tokens in line 1'), sections[1].slice(0, 80));
  assert.equal(hoverMarkdown([]), '');
});

/** The token and id lines of a one-section hover. */
function windowLines(n: number, hovered: number): { tokens: string; ids: string } {
  const encoding = encodingOf(
    Array.from({ length: n }, (_, i) => `t${i}`),
    Array.from({ length: n }, (_, i): [number, number] => [i, i + 1]),
    Array.from({ length: n }, (_, i) => i),
  );
  const lines = hoverMarkdown([{ tokenizer: 'cl100k_base', encoding, hovered, scope: 'line 1' }]).split('\n\n');
  return { tokens: lines[lines.length - 2], ids: lines[lines.length - 1] };
}

test('hoverMarkdown: more than 200 tokens shows 200 around the hovered one, with "… N more"', () => {
  const middle = windowLines(500, 250);
  assert.ok(middle.tokens.startsWith('… 150 more · `t150` '), middle.tokens.slice(0, 60));
  assert.ok(middle.tokens.endsWith(' `t349` · … 150 more'), middle.tokens.slice(-60));
  assert.ok(middle.tokens.includes(' **`t250`** '));
  assert.equal(middle.tokens.match(/`t\d+`/g)!.length, 200);
  assert.ok(middle.ids.startsWith('ids: … 150 more · 150 151 '), middle.ids.slice(0, 60));
  assert.ok(middle.ids.endsWith(' 349 · … 150 more'));
  assert.ok(middle.ids.includes(' **250** '));

  const start = windowLines(500, 10);
  assert.ok(start.tokens.startsWith('`t0` `t1` '), 'nothing hidden before');
  assert.ok(start.tokens.endsWith(' `t199` · … 300 more'), start.tokens.slice(-40));

  const end = windowLines(500, 495);
  assert.ok(end.tokens.startsWith('… 300 more · `t300` '), end.tokens.slice(0, 40));
  assert.ok(end.tokens.endsWith(' `t499`'), 'nothing hidden after');
  assert.ok(end.tokens.includes('**`t495`**'));

  const none = windowLines(500, -1);
  assert.ok(none.tokens.startsWith('`t0` '));
  assert.ok(none.tokens.endsWith(' `t199` · … 300 more'));
  assert.ok(!none.tokens.includes('**'));

  const justOver = windowLines(201, 200);
  assert.ok(justOver.tokens.startsWith('… 1 more · `t1` '), justOver.tokens.slice(0, 40));
  assert.ok(justOver.tokens.endsWith('**`t200`**'));

  const exactly = windowLines(200, 199);
  assert.ok(!exactly.tokens.includes('more'), '200 tokens: all shown');
  assert.equal(exactly.tokens.match(/`t\d+`/g)!.length, 200);
});
