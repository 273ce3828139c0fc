// Byte strings (one char per byte) and the hand-written UTF-8 code, checked against Node's own encoder and
// decoders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  byteToUtf16Starts,
  decodeUtf8Lossy,
  decodeUtf8Strict,
  readableBytes,
  utf16EndAfterByte,
  utf8ByteString,
} from '../../server/src/tokenizers/byteString';
import { mulberry32, testSeed, int } from '../support/random';

const SEED = testSeed(0xb17e5);



/** Random UTF-16 text: every range of code units, lone surrogates and astral pairs included. */
function randomUtf16(random: () => number, maxLength: number, loneSurrogates: boolean): string {
  const ranges: [number, number][] = [
    [0x00, 0x7f], [0x80, 0x7ff], [0x800, 0xd7ff], [0xe000, 0xffff], [0x7f, 0x81], [0x7fe, 0x801], [0xfffd, 0xffff],
  ];
  let text = '';
  const n = int(random, 0, maxLength);
  for (let i = 0; i < n; i++) {
    const kind = int(random, 0, 9);
    if (kind < 6) {
      const [lo, hi] = ranges[int(random, 0, ranges.length - 1)];
      text += String.fromCharCode(int(random, lo, hi));
    } else if (kind < 8) {
      text += String.fromCodePoint(int(random, 0x10000, 0x10ffff));
    } else if (loneSurrogates) {
      text += String.fromCharCode(int(random, 0xd800, 0xdfff)); // may pair up with a neighbour, or not
    } else {
      text += 'a';
    }
  }
  return text;
}

const latin1 = (bytes: readonly number[]): string => String.fromCharCode(...bytes);
const bytesOfText = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

test('utf8ByteString: table', () => {
  const cases: [string, number[]][] = [
    ['', []],
    ['a', [0x61]],
    ['\u007f', [0x7f]],
    ['\u0080', [0xc2, 0x80]],
    ['é', [0xc3, 0xa9]],
    ['\u07ff', [0xdf, 0xbf]],
    ['\u0800', [0xe0, 0xa0, 0x80]],
    ['中', [0xe4, 0xb8, 0xad]],
    ['\uffff', [0xef, 0xbf, 0xbf]],
    ['😀', [0xf0, 0x9f, 0x98, 0x80]],
    ['\u{10ffff}', [0xf4, 0x8f, 0xbf, 0xbf]],
    ['\uD800', [0xef, 0xbf, 0xbd]],
    ['\uDC00', [0xef, 0xbf, 0xbd]],
    ['\uDC00\uD800', [0xef, 0xbf, 0xbd, 0xef, 0xbf, 0xbd]], // reversed pair: two lone surrogates
    ['\uD800x', [0xef, 0xbf, 0xbd, 0x78]],
    ['\uD83D\uD83D\uDE00', [0xef, 0xbf, 0xbd, 0xf0, 0x9f, 0x98, 0x80]],
    ['x\uD800', [0x78, 0xef, 0xbf, 0xbd]],
  ];
  for (const [text, bytes] of cases) assert.equal(utf8ByteString(text), latin1(bytes), JSON.stringify(text));
});

test(`utf8ByteString equals Buffer.from(s, 'utf8') on random strings (seed ${SEED})`, () => {
  const random = mulberry32(SEED);
  for (let i = 0; i < 2000; i++) {
    const text = randomUtf16(random, 40, true);
    const actual = utf8ByteString(text);
    const expected = bytesOfText(text);
    if (actual !== expected) assert.equal(actual, expected, `seed ${SEED} string ${i}: ${JSON.stringify(text)}`);
  }
});

test('decodeUtf8Strict rejects what is not UTF-8', () => {
  const invalid: [string, number[]][] = [
    ['overlong NUL (C0 80)', [0xc0, 0x80]],
    ['overlong C1', [0xc1, 0xbf]],
    ['overlong 3-byte (E0 80 80)', [0xe0, 0x80, 0x80]],
    ['overlong 3-byte (E0 9F BF)', [0xe0, 0x9f, 0xbf]],
    ['overlong 4-byte (F0 80 80 80)', [0xf0, 0x80, 0x80, 0x80]],
    ['overlong 4-byte (F0 8F BF BF)', [0xf0, 0x8f, 0xbf, 0xbf]],
    ['high surrogate (ED A0 80)', [0xed, 0xa0, 0x80]],
    ['low surrogate (ED BF BF)', [0xed, 0xbf, 0xbf]],
    ['CESU-8 pair', [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]],
    ['above U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80]],
    ['F5 lead', [0xf5, 0x80, 0x80, 0x80]],
    ['FF', [0xff]],
    ['FE', [0xfe]],
    ['truncated 2-byte', [0xc3]],
    ['truncated 3-byte', [0xe4, 0xb8]],
    ['truncated 4-byte', [0xf0, 0x9f, 0x98]],
    ['truncated then ASCII', [0xe4, 0xb8, 0x41]],
    ['truncated in the middle', [0x61, 0xf0, 0x9f, 0x62]],
    ['stray continuation', [0x80]],
    ['stray continuation after ASCII', [0x61, 0xbf]],
    ['extra continuation', [0xc3, 0xa9, 0xa9]],
    ['lead then lead', [0xc3, 0xc3, 0xa9]],
  ];
  for (const [label, bytes] of invalid) {
    assert.equal(decodeUtf8Strict(latin1(bytes)), undefined, label);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes)), TypeError, `the oracle agrees: ${label}`);
  }
  const valid: [number[], string][] = [
    [[], ''],
    [[0x00], '\u0000'],
    [[0xc2, 0x80], '\u0080'],
    [[0xe0, 0xa0, 0x80], '\u0800'],
    [[0xed, 0x9f, 0xbf], '\ud7ff'],
    [[0xee, 0x80, 0x80], '\ue000'],
    [[0xef, 0xbb, 0xbf], '\ufeff'],
    [[0xf0, 0x90, 0x80, 0x80], '\u{10000}'],
    [[0xf4, 0x8f, 0xbf, 0xbf], '\u{10ffff}'],
  ];
  for (const [bytes, text] of valid) assert.equal(decodeUtf8Strict(latin1(bytes)), text, Buffer.from(bytes).toString('hex'));
});

test(`decodeUtf8Strict accepts every valid string, and agrees with a fatal TextDecoder on random bytes (seed ${SEED})`, () => {
  const random = mulberry32(SEED ^ 0xdec0de);
  for (let i = 0; i < 2000; i++) {
    const text = randomUtf16(random, 30, false);
    const decoded = decodeUtf8Strict(bytesOfText(text));
    if (decoded !== text) assert.equal(decoded, text, `seed ${SEED} valid string ${i}: ${JSON.stringify(text)}`);
  }
  const fatal = new TextDecoder('utf-8', { fatal: true });
  // Random bytes, biased towards lead and continuation bytes so that near-valid sequences are common.
  const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
  for (let i = 0; i < 5000; i++) {
    const bytes: number[] = [];
    const n = int(random, 1, 8);
    for (let k = 0; k < n; k++) bytes.push(random() < 0.7 ? interesting[int(random, 0, interesting.length - 1)] : int(random, 0, 255));
    let expected: string | undefined;
    try {
      expected = fatal.decode(Uint8Array.from(bytes));
    } catch {
      expected = undefined;
    }
    const actual = decodeUtf8Strict(latin1(bytes));
    if (actual !== expected) assert.equal(actual, expected, `seed ${SEED} bytes ${Buffer.from(bytes).toString('hex')}`);
    assert.equal(decodeUtf8Lossy(latin1(bytes)), new TextDecoder().decode(Uint8Array.from(bytes)), `lossy ${Buffer.from(bytes).toString('hex')}`);
  }
});

test('readableBytes: whole characters as text, other bytes as <0xNN>', () => {
  const cases: [number[], string][] = [
    [[], ''],
    [[0x61, 0x62, 0x63], 'abc'],
    [[0x20], ' '],
    [[0xe4, 0xb8, 0xad], '中'],
    [[0xf0, 0x9f, 0x98, 0x80], '😀'],
    [[0xf0, 0x9f, 0x98], '<0xF0><0x9F><0x98>'],
    [[0x80], '<0x80>'],
    [[0x0a], '\n'],
    [[0xff], '<0xFF>'],
    [[0x61, 0xe4, 0xb8], 'a<0xE4><0xB8>'],
    [[0xe4, 0xb8, 0xad, 0x62, 0xe4], '中b<0xE4>'],
    [[0x80, 0x61], '<0x80>a'],
    [[0xc0, 0x80], '<0xC0><0x80>'],
    [[0xe0, 0x80, 0x80], '<0xE0><0x80><0x80>'],
    [[0xed, 0xa0, 0x80], '<0xED><0xA0><0x80>'],
    [[0xf0, 0x9f, 0x98, 0x80, 0x80], '😀<0x80>'],
    [[0x9f, 0x98, 0x80, 0xc3, 0xa9], '<0x9F><0x98><0x80>é'],
    [[0xc3, 0xe4, 0xb8, 0xad], '<0xC3>中'],
    [[0x0f], '\u000f'],
  ];
  for (const [bytes, text] of cases) assert.equal(readableBytes(latin1(bytes)), text, Buffer.from(bytes).toString('hex'));
});

test(`readableBytes loses nothing: its <0xNN> and text give the bytes back (seed ${SEED})`, () => {
  const random = mulberry32(SEED ^ 0x4ead);
  const interesting = [0x41, 0x20, 0x80, 0xa9, 0xbf, 0xc3, 0xe4, 0xb8, 0xad, 0xed, 0xf0, 0x9f, 0x98, 0xf4, 0xff];
  for (let i = 0; i < 3000; i++) {
    const bytes: number[] = [];
    const n = int(random, 1, 10);
    for (let k = 0; k < n; k++) {
      const b = random() < 0.6 ? interesting[int(random, 0, interesting.length - 1)] : int(random, 0, 255);
      bytes.push(b === 0x3c ? 0x3d : b); // no literal "<", so <0xNN> is unambiguous
    }
    const readable = readableBytes(latin1(bytes));
    const back = readable
      .split(/(<0x[0-9A-F]{2}>)/)
      .map((part) => (/^<0x[0-9A-F]{2}>$/.test(part) ? String.fromCharCode(parseInt(part.slice(3, 5), 16)) : bytesOfText(part)))
      .join('');
    assert.equal(back, latin1(bytes), `seed ${SEED} bytes ${Buffer.from(bytes).toString('hex')} read as ${JSON.stringify(readable)}`);
    assert.ok(!readable.includes('\uFFFD') || bytes.join(',').includes('239,191,189'), `no U+FFFD made up: ${JSON.stringify(readable)}`);
  }
});

test(`byteToUtf16Starts and utf16EndAfterByte map bytes to whole characters (seed ${SEED})`, () => {
  const random = mulberry32(SEED ^ 0x0ff);
  for (let i = 0; i < 1000; i++) {
    const text = randomUtf16(random, 20, true);
    const byteLength = Buffer.byteLength(text, 'utf8');
    const starts = byteToUtf16Starts(text, byteLength);
    // Independent: walk the characters, recording each byte's character start and end.
    const charStart: number[] = [];
    const charEnd: number[] = [];
    let unit = 0;
    for (const char of text) {
      for (let k = 0; k < Buffer.byteLength(char, 'utf8'); k++) {
        charStart.push(unit);
        charEnd.push(unit + char.length);
      }
      unit += char.length;
    }
    const label = `seed ${SEED} string ${i} ${JSON.stringify(text)}`;
    assert.equal(starts.length, byteLength + 1, label);
    assert.deepEqual(Array.from(starts), [...charStart, text.length], label);
    for (let end = 1; end <= byteLength; end++) {
      assert.equal(utf16EndAfterByte(starts, text, end), charEnd[end - 1], `end after byte ${end - 1}: ${label}`);
    }
  }
});
