import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UnigramModel, type UnigramOptions, type UnigramPiece } from '../../server/src/tokenizers/unigramModel';
import { int, mulberry32, pick, testSeed } from '../support/random';

type Token = [id: number, start: number, end: number];

function segment(options: UnigramOptions, text: string): Token[] {
  const tokens: Token[] = [];
  new UnigramModel(options).encode(text, 0, text.length, (id, start, end) => tokens.push([id, start, end]));
  return tokens;
}

const pieces = (...entries: [string, number, UnigramPiece['kind']?][]): UnigramPiece[] =>
  entries.map(([piece, score, kind]) => ({ piece, score, kind }));

const bytePieces = (): UnigramPiece[] =>
  Array.from({ length: 256 }, (_, byte) => ({
    piece: `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`,
    score: 0,
    kind: 'excluded' as const,
  }));

test('best path on a hand-made vocab: abcd(10) a(0) cd(1), then the two unknown x fused', () => {
  // Paths for "acd": a+cd = 1 beats a+c+d = 0; each x is unknown at min score (0) - 10.
  const vocab = pieces(['<unk>', 0], ['a', 0], ['b', 0], ['c', 0], ['d', 0], ['cd', 1], ['ab', 2], ['abc', 5], ['abcd', 10]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, 'abcdacdxx'), [
    [8, 0, 4],
    [1, 4, 5],
    [5, 5, 7],
    [0, 7, 9],
  ]);
});

test('equal scores keep the earlier candidate (the longer piece from further left), as both references do', () => {
  // "xy" = -2 and x + y = -1 + -1 = -2: the candidate seen first (xy, starting at 0) stays.
  const vocab = pieces(['<unk>', 0], ['x', -1], ['y', -1], ['xy', -2]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, 'xy'), [[3, 0, 2]]);
});

test('float32 sums (SentencePiece) and f64 sums (HF) decide a near-tie differently', () => {
  const [x, y, xy] = [Math.fround(-0.1), Math.fround(-0.2), Math.fround(-0.3)];
  const vocab = pieces(['<unk>', 0, 'excluded'], ['x', x], ['y', y], ['xy', xy]);
  // In float32, x + y rounds to exactly xy: a tie, so the earlier xy stays. In f64, x + y is a little greater.
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0, float32Scores: true }, 'xy'), [[3, 0, 2]]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, 'xy'), [[1, 0, 1], [2, 1, 2]]);
});

test('a user-defined piece gets SentencePiece\'s bonus (UTF-8 length x max score - 0.1) instead of its score', () => {
  // aa+b = -1.5; a+ab = -1 + (2 x FLT_MIN - 0.1) = -1.1 (max over normal scores starts at FLT_MIN).
  const withUserDefined = pieces(['<unk>', 0, 'excluded'], ['a', -1], ['b', -1], ['aa', -0.5], ['ab', -100, 'userDefined']);
  assert.deepEqual(segment({ pieces: withUserDefined, unknownId: 0, float32Scores: true }, 'aab'), [[1, 0, 1], [4, 1, 3]]);
  const asNormal = pieces(['<unk>', 0, 'excluded'], ['a', -1], ['b', -1], ['aa', -0.5], ['ab', -100]);
  assert.deepEqual(segment({ pieces: asNormal, unknownId: 0, float32Scores: true }, 'aab'), [[3, 0, 2], [2, 2, 3]]);
});

test('excluded pieces never match text, and the unknown score is the normal minimum - 10', () => {
  // <s> is excluded, so "<s>" is three chars; '<' and '>' are unknown, 's' is a piece.
  const vocab = pieces(['<unk>', 0, 'excluded'], ['<s>', 0, 'excluded'], ['s', -3]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, '<s>'), [[0, 0, 1], [2, 1, 2], [0, 2, 3]]);
  // An unknown node (-3 - 10 each) loses to any path of pieces: "ss" as s+s (-6) rather than anything unknown.
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, 'ss'), [[2, 0, 1], [2, 1, 2]]);
});

test('unknown text: fused into one token by default, per char when not fusing; surrogate pairs stay whole', () => {
  const vocab = pieces(['<unk>', 0, 'excluded'], ['a', -1]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0 }, 'x😀ya'), [[0, 0, 4], [1, 4, 5]]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0, fuseUnknown: false }, 'x😀ya'), [[0, 0, 1], [0, 1, 3], [0, 3, 4], [1, 4, 5]]);
});

test('byte fallback: SentencePiece spells each unknown char, HF the fused run; each byte gets that range', () => {
  const vocab = [...pieces(['<unk>', 0, 'excluded'], ['a', -1]), ...bytePieces()];
  // é is C3 A9, € is E2 82 AC; bytes are ids 2 + value.
  const spelled = (bytes: number[], start: number, end: number): Token[] => bytes.map((value) => [2 + value, start, end]);
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0, byteFallback: true, fuseUnknown: false }, 'é€a'), [
    ...spelled([0xc3, 0xa9], 0, 1),
    ...spelled([0xe2, 0x82, 0xac], 1, 2),
    [1, 2, 3],
  ]);
  const fused = segment({ pieces: vocab, unknownId: 0, byteFallback: true }, 'é€a');
  assert.deepEqual(fused, [...spelled([0xc3, 0xa9, 0xe2, 0x82, 0xac], 0, 2), [1, 2, 3]]);
  // Without the <0xNN> pieces, byte fallback has nothing to spell with: the unknown id.
  assert.deepEqual(segment({ pieces: vocab.slice(0, 2), unknownId: 0, byteFallback: true }, 'éa'), [[0, 0, 1], [1, 1, 2]]);
});

test('HF looks a fused unknown run up first: the literal unk text keeps its id even with byte fallback', () => {
  // In HF every piece is matchable, so "<unk>" in the text matches piece 0, which is the unknown id.
  const vocab = [...pieces(['<unk>', 0], ['a', -1]), ...bytePieces()];
  assert.deepEqual(segment({ pieces: vocab, unknownId: 0, byteFallback: true, lookUpUnknownRuns: true }, '<unk>a'), [[0, 0, 5], [1, 5, 6]]);
});

test('text no piece covers is an error when there is no unknown id', () => {
  const vocab = pieces(['a', -1]);
  assert.throws(() => segment({ pieces: vocab, unknownId: undefined }, 'ab'), /no piece covers "b"/);
  assert.throws(() => new UnigramModel({ pieces: vocab, unknownId: 5 }), /outside the vocabulary/);
  assert.deepEqual(segment({ pieces: vocab, unknownId: undefined }, 'aa'), [[0, 0, 1], [0, 1, 2]]);
});

test('property: the path found scores as well as the best of all segmentations, and its tokens tile the text', () => {
  const random = mulberry32(testSeed(0x5eed));
  const alphabet = ['a', 'b', 'c', 'é', '😀'];
  for (let round = 0; round < 200; round++) {
    const vocab: UnigramPiece[] = [{ piece: '<unk>', score: 0, kind: 'excluded' }];
    const seen = new Set<string>();
    for (let k = int(random, 1, 12); k > 0; k--) {
      let piece = '';
      for (let n = int(random, 1, 3); n > 0; n--) piece += pick(random, alphabet);
      if (seen.has(piece)) continue;
      seen.add(piece);
      vocab.push({ piece, score: -int(random, 1, 200) / 8 });
    }
    let text = '';
    for (let n = int(random, 0, 7); n > 0; n--) text += pick(random, alphabet);
    const options: UnigramOptions = { pieces: vocab, unknownId: 0, fuseUnknown: false };
    const tokens = segment(options, text);
    let at = 0;
    for (const [, start, end] of tokens) {
      assert.equal(start, at, `tokens tile ${JSON.stringify(text)}`);
      assert.ok(end > start);
      at = end;
    }
    assert.equal(at, text.length);
    const unknownScore = Math.min(...vocab.slice(1).map((p) => p.score)) - 10;
    const scoreOf = ([id]: Token): number => (id === 0 ? unknownScore : vocab[id].score);
    const found = tokens.reduce((sum, token) => sum + scoreOf(token), 0);
    assert.ok(Math.abs(found - bestScore(vocab, unknownScore, [...text])) < 1e-9, `best path of ${JSON.stringify(text)}`);
  }
});

/** Brute force over char positions: a piece, or one unknown char where no single-char piece exists. */
function bestScore(vocab: UnigramPiece[], unknownScore: number, chars: string[]): number {
  const best = new Array<number>(chars.length + 1).fill(-Infinity);
  best[0] = 0;
  for (let start = 0; start < chars.length; start++) {
    let hasSingle = false;
    for (let end = start + 1; end <= chars.length; end++) {
      const text = chars.slice(start, end).join('');
      const entry = vocab.find((p, id) => id > 0 && p.piece === text);
      if (!entry) continue;
      if (end === start + 1) hasSingle = true;
      best[end] = Math.max(best[end], best[start] + entry.score);
    }
    if (!hasSingle) best[start + 1] = Math.max(best[start + 1], best[start] + unknownScore);
  }
  return best[chars.length];
}
