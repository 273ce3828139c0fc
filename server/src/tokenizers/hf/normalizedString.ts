/**
 * A piece of text being normalized, that remembers where each of its UTF-16 units came from in the original input,
 * so offsets come out by construction (Hugging Face tokenizers' NormalizedString, with UTF-16 units instead of bytes).
 *
 * Alignment: for normalized unit i, [start[i], end[i]) is the range in the original input of the character it came
 * from. While nothing has changed the text, the alignment is the identity from `base` and no arrays exist (the common
 * case for byte-level models with no normalizer). When offsets are not wanted (`encodeIds`), nothing is tracked.
 */

/** One output character and how it relates to the input characters, as HF's `NormalizedString::transform` takes it:
 * 0 replaces the next input character, +1 is inserted after the previous one, -n replaces the next input character
 * and also consumes the n characters after it. */
export type CharChange = [char: string, change: number];

export class NormalizedString {
  private starts: Int32Array | undefined;
  private ends: Int32Array | undefined;

  /**
   * @param text normalized text (initially a slice of the original input)
   * @param base original offset of text[0] while the alignment is the identity
   * @param track whether to keep the alignment at all
   */
  constructor(
    public text: string,
    private base: number,
    readonly track: boolean,
  ) {}

  /** The original input range a normalized range [start, end) came from. An empty range maps to an empty one. */
  originalRange(start: number, end: number): [number, number] {
    if (!this.starts) return [this.base + start, this.base + end];
    if (this.text.length === 0) return [this.base, this.base];
    if (start >= end) {
      const at = start < this.text.length ? this.starts[start] : this.ends![this.text.length - 1];
      return [at, at];
    }
    return [this.starts[start], this.ends![end - 1]];
  }

  /** Where this piece starts in the original input. */
  get originalStart(): number {
    return this.originalRange(0, 0)[0];
  }

  /** A piece [start, end) of this string, keeping its alignment. */
  slice(start: number, end: number): NormalizedString {
    const piece = new NormalizedString(this.text.slice(start, end), this.base + start, this.track);
    if (this.starts) {
      piece.starts = this.starts.subarray(start, end);
      piece.ends = this.ends!.subarray(start, end);
    }
    return piece;
  }

  /**
   * Rewrites the text with HF's transformation list. `initialRemoved` input characters at the start are dropped.
   * A replacing character takes the alignment of the input character it replaces; an inserted one takes the
   * alignment of the unit before it (HF's rule, which makes e.g. a prepended ▁ point at the first character).
   */
  transform(changes: readonly CharChange[], initialRemoved = 0): void {
    let text = '';
    for (const [char] of changes) text += char;
    if (!this.track) {
      this.text = text;
      return;
    }
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    const old = this.text;
    let at = 0; // position in the old text, in units
    for (let skip = 0; skip < initialRemoved; skip++) at += unitsAt(old, at);
    let out = 0;
    for (const [char, change] of changes) {
      let start: number;
      let end: number;
      if (change > 0) {
        [start, end] = at > 0 ? this.unitAlignment(at - 1) : [this.originalStart, this.originalStart];
      } else {
        [start, end] = this.unitAlignment(at);
        at += unitsAt(old, at);
        for (let removed = 0; removed < -change; removed++) at += unitsAt(old, at);
      }
      for (let unit = 0; unit < char.length; unit++, out++) {
        starts[out] = start;
        ends[out] = end;
      }
    }
    this.text = text;
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Replaces characters by `map(char)`: empty removes it; several characters: the first replaces, the rest are
   * inserted (HF's usual way). Only characters matched by `candidates` (a global, one-character RegExp) are looked
   * at, so text without any costs one scan.
   */
  mapChars(map: (char: string) => string, candidates: RegExp = ANY_CHAR): void {
    this.rewriteSegments(candidates, (char) => {
      const mapped = map(char);
      if (mapped === char) return undefined;
      const changes: CharChange[] = [];
      for (const out of mapped) changes.push([out, changes.length === 0 ? 0 : 1]);
      return changes;
    });
  }

  /**
   * Rewrites each match of `segments` (a global RegExp) by `changesOf(match)`: HF-style changes over the match's
   * characters (an empty list deletes the match), or undefined to keep it. The rest of the text is untouched.
   */
  rewriteSegments(segments: RegExp, changesOf: (segment: string) => CharChange[] | undefined): void {
    const text = this.text;
    const pieces: NormalizedString[] = [];
    let last = 0;
    segments.lastIndex = 0;
    for (let m = segments.exec(text); m !== null; m = segments.exec(text)) {
      if (m[0].length === 0) {
        segments.lastIndex++;
        continue;
      }
      const changes = changesOf(m[0]);
      if (changes === undefined) continue;
      if (m.index > last) pieces.push(this.slice(last, m.index));
      const end = m.index + m[0].length;
      if (changes.length > 0) {
        const segment = this.slice(m.index, end);
        segment.transform(changes);
        pieces.push(segment);
      }
      last = end;
    }
    if (pieces.length === 0 && last === 0) return;
    if (last < text.length) pieces.push(this.slice(last, text.length));
    this.concatFrom(pieces);
  }

  /** Puts `prefix` in front; every added unit points at the first character. Nothing happens to an empty string. */
  prepend(prefix: string): void {
    if (this.text.length === 0 || prefix.length === 0) return;
    this.concatFrom([this.constantPiece(prefix, 0), this.slice(0, this.text.length)]);
  }

  /**
   * Replaces every match of `pattern` (a global RegExp or a literal string) by `content`; the inserted characters point
   * at the last character of the match (HF's `replace`).
   */
  replace(pattern: RegExp | string, content: string): void {
    const matches = findMatches(this.text, pattern);
    if (matches.length === 0) return;
    const pieces: NormalizedString[] = [];
    let last = 0;
    for (const [start, end] of matches) {
      if (start > last) pieces.push(this.slice(last, start));
      if (content.length > 0) pieces.push(this.constantPiece(content, end - 1));
      last = end;
    }
    if (last < this.text.length) pieces.push(this.slice(last, this.text.length));
    this.concatFrom(pieces);
  }

  /** Removes leading and/or trailing whitespace (Unicode White_Space). */
  strip(left: boolean, right: boolean): void {
    let start = 0;
    let end = this.text.length;
    if (left) while (start < end && isWhitespaceUnit(this.text.charCodeAt(start))) start++;
    if (right) while (end > start && isWhitespaceUnit(this.text.charCodeAt(end - 1))) end--;
    if (start === 0 && end === this.text.length) return;
    const kept = this.slice(start, end);
    this.text = kept.text;
    this.base = kept.base;
    this.starts = kept.starts;
    this.ends = kept.ends;
  }

  /**
   * Unicode normalization with per-character alignment. ASCII is stable under every form, so only runs of
   * non-ASCII text (with the character before, which a combining mark may join) are normalized, cluster by cluster.
   */
  normalizeForm(form: 'NFC' | 'NFD' | 'NFKC' | 'NFKD'): void {
    if (this.text.normalize(form) === this.text) return;
    const decomposing = form === 'NFD' || form === 'NFKD';
    this.rewriteSegments(NON_ASCII_RUN, (segment) => {
      if (segment.normalize(form) === segment) return undefined;
      const changes: CharChange[] = [];
      for (const match of segment.matchAll(CLUSTER)) {
        const cluster = match[0];
        const normalized = cluster.normalize(form);
        const inputChars = [...cluster];
        if (normalized === cluster) {
          for (const char of inputChars) changes.push([char, 0]);
        } else if (inputChars.length === 1 || decomposing || inputChars.map((char) => char.normalize(form)).join('') === normalized) {
          // Each input character normalizes on its own (a decomposition, or ﬁ → fi before a mark): it expands in place.
          for (const char of inputChars) {
            let first = true;
            for (const out of char.normalize(form)) {
              changes.push([out, first ? 0 : 1]);
              first = false;
            }
          }
        } else {
          changes.push(...compositionChanges(inputChars, [...normalized], form as 'NFC' | 'NFKC'));
        }
      }
      return changes;
    });
  }

  private unitAlignment(unit: number): [number, number] {
    if (!this.starts) {
      const width = unitsAt(this.text, unit);
      // The second unit of a surrogate pair belongs to the same character as the first.
      const low = unit > 0 && isLowSurrogate(this.text.charCodeAt(unit)) && isHighSurrogate(this.text.charCodeAt(unit - 1));
      const start = this.base + (low ? unit - 1 : unit);
      return [start, start + (low ? 2 : width)];
    }
    return [this.starts[unit], this.ends![unit]];
  }

  /** `text` with every unit aligned to the character at `unit`. */
  private constantPiece(text: string, unit: number): NormalizedString {
    const piece = new NormalizedString(text, 0, this.track);
    if (this.track) {
      const [start, end] = this.unitAlignment(unit);
      piece.starts = new Int32Array(text.length).fill(start);
      piece.ends = new Int32Array(text.length).fill(end);
    }
    return piece;
  }

  /** Becomes the concatenation of `pieces` (each with its own alignment). */
  private concatFrom(pieces: NormalizedString[]): void {
    const text = pieces.length === 1 ? pieces[0].text : pieces.map((p) => p.text).join('');
    if (!this.track) {
      this.text = text;
      return;
    }
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    let out = 0;
    for (const piece of pieces) {
      if (piece.starts) {
        starts.set(piece.starts, out);
        ends.set(piece.ends!, out);
        out += piece.text.length;
      } else {
        for (let unit = 0; unit < piece.text.length; unit++, out++) [starts[out], ends[out]] = piece.unitAlignment(unit);
      }
    }
    this.text = text;
    this.starts = starts;
    this.ends = ends;
  }
}

/** A character with the combining marks after it, or a Hangul syllable's conjoining jamo: what normalization joins. */
const CLUSTER = /[\u1100-\u115f\ua960-\ua97c][\u1160-\u11a7\ud7b0-\ud7c6]*[\u11a8-\u11ff\ud7cb-\ud7fb]*\p{M}*|[\uac00-\ud7a3][\u11a8-\u11ff]*\p{M}*|\P{M}\p{M}*|\p{M}+/gsu;
const NON_ASCII_RUN = /[\x00-\x7f]?[^\x00-\x7f]+/g;
const ANY_CHAR = /[\s\S]/gu;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Changes for a cluster that composes: each output character replaces the shortest run of input characters that
 * normalizes to it (é from e + U+0301). If no such run exists (marks reordered), output characters replace input
 * ones in order and the last absorbs the surplus.
 */
function compositionChanges(input: string[], output: string[], form: 'NFC' | 'NFKC'): CharChange[] {
  const changes: CharChange[] = [];
  let at = 0;
  for (const char of output) {
    let taken = 0;
    for (let k = 1; at + k <= input.length && taken === 0; k++) {
      if (input.slice(at, at + k).join('').normalize(form) === char) taken = k;
    }
    if (taken === 0) return inOrderChanges(input, output);
    changes.push([char, -(taken - 1)]);
    at += taken;
  }
  return at === input.length ? changes : inOrderChanges(input, output);
}

function inOrderChanges(input: string[], output: string[]): CharChange[] {
  const surplus = input.length - output.length;
  return output.map((char, i): CharChange => {
    if (i >= input.length) return [char, 1];
    return [char, i === output.length - 1 && surplus > 0 ? -surplus : 0];
  });
}

/** Units taken by the character starting at `i` (2 for a surrogate pair). */
export function unitsAt(text: string, i: number): number {
  return isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
}

const WHITESPACE_UNIT = /\p{White_Space}/u;

/** Rust's char::is_whitespace (Unicode White_Space); every such character is a single UTF-16 unit. */
export function isWhitespaceUnit(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0x85) return false;
  return WHITESPACE_UNIT.test(String.fromCharCode(code));
}

/** Non-empty, non-overlapping matches of a global RegExp or a literal string, left to right. */
export function findMatches(text: string, pattern: RegExp | string): Array<[number, number]> {
  const matches: Array<[number, number]> = [];
  if (typeof pattern === 'string') {
    if (pattern.length === 0) return matches;
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + pattern.length)) {
      matches.push([at, at + pattern.length]);
    }
    return matches;
  }
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex = m.index + unitsAt(text, m.index);
      continue;
    }
    matches.push([m.index, m.index + m[0].length]);
  }
  return matches;
}
