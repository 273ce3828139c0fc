/**
 * Seed pieces for Unigram training, as SentencePiece makes them: every character, plus the frequent substrings
 * found as the internal nodes of a suffix tree (substrings that occur at least twice and are followed by more
 * than one distinct symbol), scored by frequency × length, the best `seedSize` kept, all turned into log
 * probabilities. SentencePiece builds its suffix array over the raw sentences; ours runs over the distinct words
 * with each suffix weighted by its word's count, which gives the same frequencies from a much shorter text.
 * The suffix array also says where every seed occurs, so the words' lattices come out of it without a search.
 */
import { sortWordSuffixes } from './suffixArray';
import { isValidPiece, type UnigramCorpus } from './unigramCorpus';
import { WordLattices } from './unigramLattice';

/**
 * After every word, a symbol above every unit, so no piece spans two words: one for words followed by another
 * word, one for words that end a line. SentencePiece's suffix array runs over whole lines, where what follows a
 * word's last letters is "▁" (the next word) or the line's end; a substring seen before both branches there, and
 * is a seed. Two end symbols keep exactly that distinction.
 */
const WORD_END = 0x10000;
const LINE_END = 0x10001;

export interface SeedOptions {
  maxPieceLength: number;
  seedSize: number;
}

export interface Seeds {
  /** Pieces spelled in units: the required characters (most frequent first), then substrings, best first. */
  pieces: string[];
  logProbs: Float64Array;
  /** Every word's lattice over the seed pieces. */
  lattices: WordLattices;
}

/** A substring seed: the suffix-array interval [lb, rb] of the suffixes that start with it. */
interface Candidate {
  piece: string;
  score: number;
  lb: number;
  rb: number;
}

export function seedPieces(corpus: UnigramCorpus, options: SeedOptions): Seeds {
  const { words, endingWord, endingCount, endingLineFinal } = corpus;
  // The text: every word ending (a word, and whether it ended a line) once, with its count as weight.
  let length = 0;
  for (const w of endingWord) length += words[w].length + 1;
  const text = new Int32Array(length);
  const weight = new Float64Array(length);
  const wordStart = new Int32Array(words.length).fill(-1);
  let at = 0;
  endingWord.forEach((w, e) => {
    const word = words[w];
    if (wordStart[w] < 0) wordStart[w] = at;
    for (let i = 0; i < word.length; i++) {
      text[at] = word.charCodeAt(i);
      weight[at++] = endingCount[e];
    }
    text[at++] = endingLineFinal[e] ? LINE_END : WORD_END;
  });

  const maxLength = options.maxPieceLength;
  const { order, lcp } = sortWordSuffixes(text, WORD_END, maxLength + 1);
  // weightBefore[i]: total weight of suffixes order[0..i), so an interval's frequency is one subtraction.
  const weightBefore = new Float64Array(length + 1);
  for (let i = 0; i < length; i++) weightBefore[i + 1] = weightBefore[i] + weight[order[i]];

  const candidates: Candidate[] = [];
  const report = (depth: number, lb: number, rb: number): void => {
    if (depth < 2 || depth > maxLength) return;
    const start = order[lb];
    let piece = '';
    for (let k = 0; k < depth; k++) {
      const symbol = text[start + k];
      if (symbol >= WORD_END) return;
      piece += String.fromCharCode(symbol);
    }
    if (!isValidPiece(corpus, piece, maxLength)) return;
    candidates.push({ piece, score: (weightBefore[rb + 1] - weightBefore[lb]) * depth, lb, rb });
  };
  // Bottom-up walk of the LCP intervals: each popped interval is an internal node [lb, rb] at depth `depth`.
  const depths = [0];
  const lefts = [0];
  for (let i = 1; i <= length; i++) {
    const current = i < length ? lcp[i] : 0;
    let lb = i - 1;
    while (current < depths[depths.length - 1]) {
      const depth = depths.pop()!;
      lb = lefts.pop()!;
      report(depth, lb, i - 1);
    }
    if (current > depths[depths.length - 1]) {
      depths.push(current);
      lefts.push(lb);
    }
  }
  candidates.sort((a, b) => b.score - a.score || (a.piece < b.piece ? -1 : a.piece > b.piece ? 1 : 0));
  candidates.length = Math.min(candidates.length, Math.max(0, options.seedSize - corpus.requiredUnits.length));

  const pieces = [...corpus.requiredUnits];
  const scores = corpus.requiredChars.map(([, count]) => count);
  for (const candidate of candidates) {
    pieces.push(candidate.piece);
    scores.push(candidate.score);
  }
  let sum = 0;
  for (const score of scores) sum += score;
  const logSum = Math.log(sum);
  const logProbs = Float64Array.from(scores, (score) => Math.log(score) - logSum);
  return { pieces, logProbs, lattices: latticesFromOccurrences(corpus, text, wordStart, order, candidates) };
}

/**
 * Edges at every text position: its character (piece index = character rank, or -1 for a rare one) and each
 * substring seed whose suffix-array interval holds the position. A word's lattice is read off one of its endings.
 */
function latticesFromOccurrences(corpus: UnigramCorpus, text: Int32Array, wordStart: Int32Array, order: Int32Array, candidates: readonly Candidate[]): WordLattices {
  const charPiece = new Int32Array(WORD_END).fill(-1);
  corpus.requiredUnits.forEach((unit, i) => (charPiece[unit.charCodeAt(0)] = i));
  // slots[p]..slots[p + 1]: the edges at text position p, in scratch arrays.
  const slots = new Int32Array(text.length + 1);
  for (let p = 0; p < text.length; p++) if (text[p] < WORD_END) slots[p + 1]++;
  for (const { lb, rb } of candidates) for (let j = lb; j <= rb; j++) slots[order[j] + 1]++;
  for (let p = 0; p < text.length; p++) slots[p + 1] += slots[p];
  const edgeLengths = new Uint8Array(slots[text.length]);
  const edgePieces = new Int32Array(slots[text.length]);
  const fill = slots.slice(0, text.length);
  const firstSubstring = corpus.requiredUnits.length;
  for (let p = 0; p < text.length; p++) {
    if (text[p] >= WORD_END) continue;
    edgeLengths[fill[p]] = 1;
    edgePieces[fill[p]++] = charPiece[text[p]];
  }
  candidates.forEach(({ piece, lb, rb }, c) => {
    for (let j = lb; j <= rb; j++) {
      const p = order[j];
      edgeLengths[fill[p]] = piece.length;
      edgePieces[fill[p]++] = firstSubstring + c;
    }
  });
  // Each distinct word once, from its first ending's positions.
  const { words } = corpus;
  let total = 0;
  for (let w = 0; w < words.length; w++) total += slots[wordStart[w] + words[w].length] - slots[wordStart[w]];
  const first = new Int32Array(words.length + 1);
  const starts = new Uint16Array(total);
  const lengths = new Uint8Array(total);
  const pieces = new Int32Array(total);
  let out = 0;
  words.forEach((word, w) => {
    first[w] = out;
    for (let i = 0; i < word.length; i++) {
      const p = wordStart[w] + i;
      for (let k = slots[p]; k < slots[p + 1]; k++, out++) {
        starts[out] = i;
        lengths[out] = edgeLengths[k];
        pieces[out] = edgePieces[k];
      }
    }
  });
  first[words.length] = out;
  return new WordLattices(first, starts, lengths, pieces, Uint16Array.from(words, (word) => word.length));
}
