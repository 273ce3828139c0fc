// The two implementations of the tiktoken merge rule (flat scan, binary heap) must give the same parts,
// and both must equal a plain-as-possible statement of the rule written here.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { bytePairMerge, mergeByHeap, mergeByScan, type RankOf } from '../../server/src/tokenizers/bytePairMerge';
import { utf8ByteString } from '../../server/src/tokenizers/byteString';
import { readRankFile } from '../../server/src/tokenizers/rankFile';
import { distDir } from '../support/paths';
import { mulberry32, testSeed, pick, int } from '../support/random';

const SEED = testSeed(0xb9e);



/**
 * The rule, stated directly: while some adjacent pair of parts concatenates to a ranked token, merge the pair
 * with the lowest rank, the leftmost of those on ties. Returns the parts' end offsets.
 */
function oracle(piece: string, rankOf: RankOf): number[] {
  const parts = [...piece];
  for (;;) {
    let best = Infinity;
    let at = -1;
    for (let i = 0; i + 1 < parts.length; i++) {
      const pair = parts[i] + parts[i + 1];
      const rank = rankOf(pair, 0, pair.length);
      if (rank !== undefined && rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) break;
    parts.splice(at, 2, parts[at] + parts[at + 1]);
  }
  const ends: number[] = [];
  let end = 0;
  for (const part of parts) ends.push((end += part.length));
  return ends;
}

function fromTable(table: Record<string, number>): RankOf {
  const map = new Map(Object.entries(table));
  return (bytes, start, end) => map.get(bytes.slice(start, end));
}

function checkAll(piece: string, rankOf: RankOf, where: string): void {
  const expected = oracle(piece, rankOf);
  const scan = mergeByScan(piece, rankOf);
  const heap = mergeByHeap(piece, rankOf);
  const chosen = bytePairMerge(piece, rankOf);
  const same = (a: number[]): boolean => a.length === expected.length && a.every((x, i) => x === expected[i]);
  if (!same(scan) || !same(heap) || !same(chosen)) {
    const label = `${where}: piece ${JSON.stringify(piece.length > 120 ? `${piece.slice(0, 120)}…` : piece)} (${piece.length} bytes)`;
    assert.deepEqual(scan, expected, `mergeByScan, ${label}`);
    assert.deepEqual(heap, expected, `mergeByHeap, ${label}`);
    assert.deepEqual(chosen, expected, `bytePairMerge, ${label}`);
  }
}

test('merge table: known answers, lowest rank first, leftmost on ties', () => {
  const ranks: Record<string, number> = { a: 0, b: 1, c: 2, d: 3, ab: 4, bc: 5, aa: 6, abc: 7, aaaa: 8, cd: 9, bcd: 10, dd: 11 };
  const rankOf = fromTable(ranks);
  const cases: [string, number[]][] = [
    ['', []],
    ['a', [1]],
    ['ab', [2]],
    ['abc', [3]], // ab (4) before bc (5), then abc
    ['bcd', [3]], // bc (5) before cd (9), then bcd
    ['abcd', [3, 4]], // ab (4); then (ab,c)=abc (7) before (c,d)=cd (9); abcd is no token
    ['aaa', [2, 3]], // aa at 0 and 1 tie: the leftmost wins
    ['aaaa', [4]], // aa, aa, then aaaa
    ['aaaaa', [4, 5]],
    ['aaaaaa', [4, 6]],
    ['dddd', [2, 4]],
    ['ddd', [2, 3]],
    ['xyz', [1, 2, 3]], // unranked bytes stay single
    ['cab', [1, 3]],
  ];
  for (const [piece, expected] of cases) {
    assert.deepEqual(oracle(piece, rankOf), expected, `oracle on ${piece}`);
    assert.deepEqual(mergeByScan(piece, rankOf), expected, `mergeByScan on ${piece}`);
    assert.deepEqual(mergeByHeap(piece, rankOf), expected, `mergeByHeap on ${piece}`);
    assert.deepEqual(bytePairMerge(piece, rankOf), expected, `bytePairMerge on ${piece}`);
  }
  // Long runs go through the heap in bytePairMerge; tie-breaking must still be leftmost-first.
  const run = 'a'.repeat(401);
  const expected = [...Array.from({ length: 100 }, (_, i) => 4 * (i + 1)), 401];
  assert.deepEqual(bytePairMerge(run, rankOf), expected);
  assert.deepEqual(mergeByScan(run, rankOf), expected);
  assert.deepEqual(mergeByHeap(run, rankOf), expected);
});

/**
 * A vocabulary grown like BPE training: every byte of the alphabet is a token, and each new token joins two
 * existing ones (the first of them often a recent one, so long tokens and chains of merges appear). Ranks
 * are unique, as in every tiktoken file; `shuffled` gives later tokens lower ranks at random, which the
 * merge rule allows.
 */
function syntheticVocabulary(random: () => number, alphabet: string, size: number, shuffled: boolean): Map<string, number> {
  const tokens = [...alphabet];
  const seen = new Set(tokens);
  for (let tries = 0; tokens.length < size && tries < size * 20; tries++) {
    const left = random() < 0.5 ? tokens[tokens.length - 1 - Math.floor(random() * Math.min(5, tokens.length))] : pick(random, tokens);
    const token = left + pick(random, tokens);
    if (token.length > 12 || seen.has(token)) continue;
    seen.add(token);
    tokens.push(token);
  }
  const ranks = tokens.map((_, i) => i);
  if (shuffled) {
    for (let i = ranks.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
    }
  }
  return new Map(tokens.map((token, i) => [token, ranks[i]]));
}

/** Random pieces over the alphabet: plain random, runs of one byte, repeated patterns, patterns with noise. */
function randomPiece(random: () => number, alphabet: string, vocabulary: readonly string[], maxLength: number): string {
  const length = int(random, 1, maxLength);
  const kind = int(random, 0, 4);
  let piece = '';
  if (kind === 0) {
    while (piece.length < length) piece += pick(random, [...alphabet]);
  } else if (kind === 1) {
    piece = pick(random, [...alphabet]).repeat(length);
  } else if (kind === 2) {
    const unit = pick(random, vocabulary);
    while (piece.length < length) piece += unit;
  } else if (kind === 3) {
    // Tokens of the vocabulary strung together: long merges happen.
    while (piece.length < length) piece += pick(random, vocabulary);
  } else {
    const unit = pick(random, vocabulary) + pick(random, vocabulary);
    while (piece.length < length) piece += random() < 0.9 ? unit : pick(random, [...alphabet]);
  }
  return piece.slice(0, length);
}

test(`mergeByScan and mergeByHeap agree on synthetic vocabularies (seed ${SEED})`, () => {
  const random = mulberry32(SEED);
  const alphabets = ['ab', 'abc', 'xyz\u00ff', '\u0000\u0001', 'abcd', 'a'];
  for (let v = 0; v < 150; v++) {
    const alphabet = alphabets[v % alphabets.length];
    const vocabulary = syntheticVocabulary(random, alphabet, int(random, alphabet.length, 60), v % 2 === 1);
    const rankOf: RankOf = (bytes, start, end) => vocabulary.get(bytes.slice(start, end));
    const tokens = [...vocabulary.keys()];
    for (let p = 0; p < 12; p++) {
      const piece = randomPiece(random, alphabet, tokens, p < 4 ? 300 : 40);
      checkAll(piece, rankOf, `seed ${SEED} vocabulary ${v} (${JSON.stringify([...vocabulary])}) piece ${p}`);
    }
  }
});

test(`mergeByScan and mergeByHeap agree with cl100k_base ranks (seed ${SEED})`, () => {
  const ranks = readRankFile(path.join(distDir, 'encodings', 'cl100k_base.tiktoken'));
  const rankOf: RankOf = (bytes, start, end) => ranks.byBytes.get(bytes.slice(start, end));
  const random = mulberry32(SEED ^ 0xc1100);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const atoms = ['a', 'e', 'th', 'ing', ' ', '  ', '\n', 'é', '中', '😀', '1', '23', '.', '!', "'s", 'Q', '\u0301', 'the', 'ab'];
  let checked = 0;
  for (let k = 0; k < 400; k++) {
    const length = int(random, 1, 300);
    const kind = k % 6;
    let text = '';
    if (kind === 0) {
      while (text.length < length) text += pick(random, atoms);
    } else if (kind === 1) {
      while (text.length < length) text += letters[Math.floor(random() * 26)];
    } else if (kind === 2) {
      text = pick(random, ['a', ' ', '!', '1', '中', 'ab', 'abc', '\n', 'é', 'ſ']).repeat(length);
    } else if (kind === 3) {
      const unit = Array.from({ length: int(random, 2, 7) }, () => letters[Math.floor(random() * 26)]).join('');
      while (text.length < length) text += random() < 0.95 ? unit : pick(random, atoms);
    } else if (kind === 4) {
      // raw bytes, valid UTF-8 or not: BPE works on bytes
      for (let i = 0; i < length; i++) text += String.fromCharCode(Math.floor(random() * 256));
    } else {
      while (text.length < length) text += pick(random, ['\u4e2d\u6587', '\u65e5\u672c\u8a9e', ' the', ' of', 'ation', '\t', '\r\n']);
    }
    // Byte strings: the UTF-8 of the text, cut to at most 300 bytes.
    const piece = (kind === 4 ? text : utf8ByteString(text)).slice(0, 300);
    checkAll(piece, rankOf, `seed ${SEED} cl100k string ${k} kind ${kind}`);
    checked++;
  }
  assert.equal(checked, 400);
});
