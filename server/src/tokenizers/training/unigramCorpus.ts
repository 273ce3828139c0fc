/**
 * The Unigram trainer's view of a corpus: its words re-spelled over a dense alphabet, one UTF-16 unit per
 * character (so a character outside the BMP is one unit and lattice positions are characters), with characters
 * outside the required set (SentencePiece's character_coverage) replaced by RARE, which no piece may contain.
 */
import { scriptOf } from './unicodeScript';
import { characterCounts } from './wordCounts';

export const RARE = '\u0000';
/** Appended to the last word of each line while counting (see unigramSeeds); never part of a word otherwise. */
export const LINE_FINAL_MARK = '\n';
/** Words longer than this (in characters) are left out: URLs, hashes and such, not language. */
const MAX_WORD_CHARS = 1024;
const MAX_SYMBOLS = 0xffff - 0x800 - 1;

export interface UnigramCorpus {
  /** The distinct words, spelled in units, and how often each occurs. */
  words: string[];
  counts: Float64Array;
  /**
   * The words again, split by how they end: occurrences that end a line apart from the others (see unigramSeeds).
   * Entry i: word endingWord[i], endingCount[i] times, at a line's end when endingLineFinal[i] is 1.
   */
  endingWord: Int32Array;
  endingCount: Float64Array;
  endingLineFinal: Uint8Array;
  /** The required characters, most frequent first, with their counts. */
  requiredChars: Array<[char: string, count: number]>;
  /** The unit spelling each required character, in the same order. */
  requiredUnits: string[];
  /** Per unit: the character it spells (RARE spells nothing). */
  unitChars: string[];
  /** Per unit: its character's script (for SentencePiece's rule that a piece has one script). */
  unitScripts: Int32Array;
  /** The unit of the word-boundary mark (▁), or -1. */
  boundaryUnit: number;
}

/** Unit for symbol k (k ≥ 1), skipping the surrogate range so every unit is a lone, valid UTF-16 unit. */
function unitOf(symbol: number): number {
  return symbol < 0xd800 ? symbol : symbol + 0x800;
}

/**
 * Required characters: the most frequent ones until `coverage` of all character occurrences is reached
 * (SentencePiece's rule: a character is added while the coverage before it is below the target).
 */
export function requiredCharacters(counts: Map<string, number>, coverage: number): Array<[string, number]> {
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0;
  for (const [, count] of sorted) total += count;
  const required: Array<[string, number]> = [];
  let covered = 0;
  for (const entry of sorted) {
    if (covered / total >= coverage || required.length >= MAX_SYMBOLS) break;
    covered += entry[1];
    required.push(entry);
  }
  return required;
}

/** `wordCounts` may hold words marked with LINE_FINAL_MARK: they are kept apart from the same word mid-line. */
export function prepareUnigramCorpus(wordCounts: Iterable<readonly [string, number]>, coverage: number, boundary: string): UnigramCorpus {
  const entries: Array<[string, number, number]> = [];
  for (const [word, count] of wordCounts) {
    const final = word.endsWith(LINE_FINAL_MARK);
    const bare = final ? word.slice(0, -LINE_FINAL_MARK.length) : word;
    if (bare.length > 0 && bare.length <= MAX_WORD_CHARS * 2) entries.push([bare, count, final ? 1 : 0]);
  }
  const requiredChars = requiredCharacters(characterCounts(entries), coverage);
  const unitOfChar = new Map<string, string>();
  const unitChars: string[] = [];
  const unitScripts = new Int32Array(unitOf(requiredChars.length) + 1);
  const requiredUnits: string[] = [];
  requiredChars.forEach(([char], i) => {
    const unit = unitOf(i + 1);
    requiredUnits.push(String.fromCharCode(unit));
    unitOfChar.set(char, requiredUnits[i]);
    unitChars[unit] = char;
    unitScripts[unit] = scriptOf(char.codePointAt(0)!);
  });
  const indexOf = new Map<string, number>();
  const words: string[] = [];
  const counts: number[] = [];
  const endingWord: number[] = [];
  const endingCount: number[] = [];
  const endingLineFinal: number[] = [];
  for (const [word, count, final] of entries) {
    let spelled = '';
    for (const char of word) spelled += unitOfChar.get(char) ?? RARE;
    if (spelled.length > MAX_WORD_CHARS) continue;
    let w = indexOf.get(spelled);
    if (w === undefined) {
      w = words.push(spelled) - 1;
      indexOf.set(spelled, w);
      counts.push(0);
    }
    counts[w] += count;
    endingWord.push(w);
    endingCount.push(count);
    endingLineFinal.push(final);
  }
  const boundaryUnit = unitOfChar.get(boundary)?.charCodeAt(0) ?? -1;
  return {
    words,
    counts: Float64Array.from(counts),
    endingWord: Int32Array.from(endingWord),
    endingCount: Float64Array.from(endingCount),
    endingLineFinal: Uint8Array.from(endingLineFinal),
    requiredChars,     requiredUnits,
    unitChars,
    unitScripts,
    boundaryUnit,
  };
}

/** A piece spelled in units, back as text. */
export function pieceText(corpus: UnigramCorpus, piece: string): string {
  let text = '';
  for (let i = 0; i < piece.length; i++) text += corpus.unitChars[piece.charCodeAt(i)];
  return text;
}

/**
 * SentencePiece's IsValidSentencePiece with its default settings: no rare characters, the boundary mark only
 * at the start, and one script throughout (the boundary mark has none).
 */
export function isValidPiece(corpus: UnigramCorpus, piece: string, maxLength: number): boolean {
  if (piece.length === 0 || piece.length > maxLength) return false;
  let script = -1;
  for (let i = 0; i < piece.length; i++) {
    const unit = piece.charCodeAt(i);
    if (unit === 0) return false;
    if (unit === corpus.boundaryUnit) {
      if (i > 0) return false;
      continue;
    }
    const s = corpus.unitScripts[unit];
    if (script >= 0 && s !== script) return false;
    script = s;
  }
  return true;
}
