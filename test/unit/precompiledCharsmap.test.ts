import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PrecompiledCharsmap } from '../../server/src/tokenizers/precompiledCharsmap';
import { readModelProto } from '../../server/src/tokenizers/sentencepiece/modelProto';
import { TokenizerLoadError } from '../../server/src/tokenizers/types';
import { int, mulberry32, testSeed } from '../support/random';
import { sharedDir, skipWithoutShared } from '../support/paths';

interface TrieNode {
  children: Map<number, TrieNode>;
  value?: number;
}

/**
 * A charsmap blob built from rules, laid out as darts-clone does: a node's children sit at base ^ label,
 * its value (the replacement's pool offset, top bit set) at base itself; each node has its own base.
 */
function buildCharsmap(rules: Record<string, string>): Uint8Array {
  const pool: number[] = [];
  const root: TrieNode = { children: new Map() };
  for (const [source, replacement] of Object.entries(rules)) {
    let node = root;
    for (const byte of Buffer.from(source, 'utf8')) {
      if (!node.children.has(byte)) node.children.set(byte, { children: new Map() });
      node = node.children.get(byte)!;
    }
    node.value = pool.length;
    pool.push(...Buffer.from(replacement, 'utf8'), 0);
  }
  const units: number[] = [];
  const used = new Set([0]);
  // Like darts-clone, no two nodes share a base, or a byte could reach another node's child.
  const usedBases = new Set<number>();
  const place = (node: TrieNode, at: number): void => {
    const labels = [...node.children.keys(), ...(node.value === undefined ? [] : [0])];
    let base = 1;
    while (usedBases.has(base) || labels.some((label) => used.has(base ^ label))) base++;
    usedBases.add(base);
    for (const label of labels) used.add(base ^ label);
    units[at] = (units[at] ?? 0) | ((at ^ base) << 10) | (node.value === undefined ? 0 : 1 << 8);
    if (node.value !== undefined) units[base] = (0x80000000 | node.value) >>> 0;
    for (const [label, child] of node.children) {
      units[base ^ label] = label;
      place(child, base ^ label);
    }
  };
  place(root, 0);
  const blob = Buffer.alloc(4 + units.length * 4 + pool.length);
  blob.writeUInt32LE(units.length * 4, 0);
  for (let i = 0; i < units.length; i++) blob.writeUInt32LE(units[i] ?? 0, 4 + i * 4);
  Buffer.from(pool).copy(blob, 4 + units.length * 4);
  return blob;
}

const rules = {
  a: 'X',
  ab: 'Y',
  e: 'E',
  'e\u0301': 'é',
  'ﬁ': 'fi',
  '①': '1',
  '\u000b': '',
  'Ａ': 'A',
  '👨': 'M',
  '\r': ' ',
};
const charsmap = PrecompiledCharsmap.parse(buildCharsmap(rules), 'rules.model');

/** SentencePiece's way through a whole string: the longest rule at each position, else the char itself. */
function longestPrefixNormalize(map: PrecompiledCharsmap, text: string): string {
  let out = '';
  for (let at = 0; at < text.length; ) {
    const value = map.longestPrefix(text, at, text.length);
    if (value >= 0) {
      out += map.replacement(value);
      at += map.matchedUnits;
    } else {
      const char = String.fromCodePoint(text.codePointAt(at)!);
      out += char;
      at += char.length;
    }
  }
  return out;
}

test('SentencePiece mode takes the longest rule at a position and says how much text it consumed', () => {
  const value = charsmap.longestPrefix('abc', 0, 3);
  assert.equal(charsmap.replacement(value), 'Y');
  assert.equal(charsmap.matchedUnits, 2);
  assert.equal(charsmap.replacement(charsmap.longestPrefix('abc', 0, 1)), 'X', 'the end bounds the match');
  assert.equal(charsmap.longestPrefix('zab', 0, 3), -1);
  assert.equal(charsmap.replacement(charsmap.longestPrefix('xe\u0301', 1, 3)), 'é');
  assert.equal(charsmap.matchedUnits, 2);
  assert.equal(longestPrefixNormalize(charsmap, 'ﬁ①Ａ\u0308\u000bz'), 'fi1A\u0308z');
});

test('HF mode replaces a whole short grapheme by the FIRST (shortest) rule that prefixes it', () => {
  // "e\u0301" is one grapheme: its first matching prefix is "e", so HF writes "E" and drops the accent.
  assert.deepEqual(charsmap.hfTransformations('e\u0301'), [['E', -1]]);
  assert.equal(longestPrefixNormalize(charsmap, 'e\u0301'), 'é');
  assert.deepEqual(charsmap.hfTransformations('Ａ\u0308'), [['A', -1]]);
  assert.equal(charsmap.hfNormalize('abe\u0301'), 'XbE');
});

test('HF mode transformations follow precompiled.rs replace: insertions, removals, and the start-of-text quirk', () => {
  assert.deepEqual(charsmap.hfTransformations('ﬁx'), [['f', 0], ['i', 1], ['x', 0]]);
  assert.deepEqual(charsmap.hfTransformations('①'), [['1', 0]]);
  // A removed char is carried by the char before it...
  assert.deepEqual(charsmap.hfTransformations('z\u000bq'), [['z', -1], ['q', 0]]);
  // ...and at the very start nothing carries it, as in HF.
  assert.deepEqual(charsmap.hfTransformations('\u000bq'), [['q', 0]]);
  assert.equal(charsmap.hfTransformations('zzz'), undefined, 'nothing changes: no transformations');
});

test('HF mode: a grapheme of 6 UTF-8 bytes or more is looked up char by char (emoji ZWJ sequences)', () => {
  const family = '👨\u200d👩\u200d👧';
  assert.deepEqual(charsmap.hfTransformations(family), [['M', 0], ['\u200d', 0], ['👩', 0], ['\u200d', 0], ['👧', 0]]);
  // "\r\n" is one grapheme under 6 bytes: "\r" prefixes it, so HF replaces both chars; SentencePiece only "\r".
  assert.deepEqual(charsmap.hfTransformations('\r\n'), [[' ', -1]]);
  assert.equal(longestPrefixNormalize(charsmap, '\r\n'), ' \n');
});

test('a NUL byte ends the key in HF mode; lone surrogates are looked up as U+FFFD in SentencePiece mode', () => {
  assert.equal(charsmap.hfTransformations('\u0000'), undefined);
  assert.equal(charsmap.longestPrefix('\ud800', 0, 1), -1);
});

test('malformed blobs are load errors naming the file', () => {
  const cases: [Uint8Array, RegExp][] = [
    [Uint8Array.of(1, 2, 3), /only 3 bytes/],
    [Uint8Array.of(0xff, 0, 0, 0, 1, 2, 3, 4), /trie size 255 exceeds the 4 bytes/],
    [Uint8Array.of(6, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7), /not a positive multiple of 4/],
  ];
  for (const [blob, message] of cases) {
    assert.throws(() => PrecompiledCharsmap.parse(blob, 'broken.model'), (error: unknown) => {
      assert.ok(error instanceof TokenizerLoadError);
      assert.match(error.message, /^broken\.model: precompiled charsmap is broken/);
      assert.match(error.message, message);
      return true;
    });
  }
});

test('a corrupt table never crashes a lookup', () => {
  const random = mulberry32(testSeed(0xc0ffee));
  const texts = ['abc', 'e\u0301ﬁ', '👨\u200d👩', '\u0000\u000b', 'Ａ①'];
  for (let round = 0; round < 300; round++) {
    const units = int(random, 1, 64);
    const blob = new Uint8Array(4 + units * 4 + int(random, 0, 16));
    new DataView(blob.buffer).setUint32(0, units * 4, true);
    for (let i = 4; i < blob.length; i++) blob[i] = int(random, 0, 255);
    const map = PrecompiledCharsmap.parse(blob, 'fuzz.model');
    for (const text of texts) {
      for (let at = 0; at < text.length; at++) {
        const value = map.longestPrefix(text, at, text.length);
        if (value >= 0) map.replacement(value);
      }
      map.hfTransformations(text);
    }
  }
});

test('the nmt_nfkc charsmap of a real model, both ways', { skip: skipWithoutShared }, () => {
  const file = path.join(sharedDir!, 'tokenizers', 'albert-base-v2', 'spiece.model');
  const nfkc = PrecompiledCharsmap.parse(readModelProto(readFileSync(file), file).normalizerSpec.precompiledCharsmap, file);
  const same: [string, string][] = [
    ['ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['ﬁ', 'fi'],
    ['①', '1'],
    ['™', 'TM'],
    ['½', '1⁄2'],
    ['㍿', '株式会社'],
    ['e\u0301', 'é'],
    ['\u3000\t\u200b', '   '],
    ['a\u000bb', 'ab'],
    ['👨\u200d👩\u200d👧', '👨 👩 👧'],
    ['\u212b', '\u00c5'],
    ['\u00c5', '\u00c5'],
  ];
  for (const [text, expected] of same) {
    assert.equal(longestPrefixNormalize(nfkc, text), expected, `SentencePiece ${JSON.stringify(text)}`);
    assert.equal(nfkc.hfNormalize(text), expected, `HF ${JSON.stringify(text)}`);
  }
  // Where the two readers differ: HF replaces the whole grapheme by the rule for its first char.
  assert.equal(longestPrefixNormalize(nfkc, 'Ａ\u0308'), 'Ä');
  assert.equal(nfkc.hfNormalize('Ａ\u0308'), 'A');
  assert.equal(longestPrefixNormalize(nfkc, '\r\n'), '  ');
  assert.equal(nfkc.hfNormalize('\r\n'), ' ');
  assert.deepEqual(nfkc.hfTransformations('™x'), [['T', 0], ['M', 1], ['x', 0]]);
});
