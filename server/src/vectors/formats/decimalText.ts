/**
 * Numbers in text vector files, parsed straight from the bytes and written back so they read as the same float32.
 *
 * Parsing: most values ("0.123456", "-1.5e-3") have at most 15 significant digits and a small exponent, so the
 * digits as an integer times (or over) an exact power of ten is one correctly rounded operation (Clinger's fast
 * path) and equals parseFloat. Plain "-0.123456" (the common case, no exponent, 15 digits at most) takes a
 * shorter loop still; anything else goes to parseFloat on the token. The float32 is then Math.fround of that
 * double, as numpy and gensim get it.
 */

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact in a double up to 10^22
/** Below this, ten times the mantissa plus a digit stays under 2^53, so it is an exact integer. */
const MANTISSA_LIMIT = 9e14;

/** Where the last `parseDecimal` stopped: `end` is the first byte after the number. */
export const parsed = { end: 0 };

/**
 * The number starting at bytes[start] (before `limit`), or NaN when no number starts there (the caller reports it,
 * with `describeBadNumber`). Sets `parsed.end`. Does not check what follows the number.
 */
export function parseDecimal(bytes: Uint8Array, start: number, limit: number): number {
  let p = start;
  let c = bytes[p];
  const negative = c === 45; /* - */
  if (negative || c === 43 /* + */) c = bytes[++p];
  let digits = 0;
  let fractionDigits = 0;
  let value = 0;
  let d = c - 48;
  for (; p < limit && d >= 0 && d <= 9; digits++) {
    value = value * 10 + d;
    d = bytes[++p] - 48;
  }
  if (p < limit && bytes[p] === 46 /* . */) {
    d = bytes[++p] - 48;
    for (; p < limit && d >= 0 && d <= 9; fractionDigits++) {
      value = value * 10 + d;
      d = bytes[++p] - 48;
    }
  }
  // Exact below 10^15 (< 2^53); an exponent, more digits or no digits take the general path.
  if (digits + fractionDigits === 0 || digits + fractionDigits > 15 || (p < limit && (bytes[p] | 0x20) === 101 /* e, E */)) return parseGeneral(bytes, start, limit);
  parsed.end = p;
  if (fractionDigits > 0) value /= POWERS_OF_TEN[fractionDigits];
  return negative ? -value : value;
}

function parseGeneral(bytes: Uint8Array, start: number, limit: number): number {
  let p = start;
  let negative = false;
  let c = bytes[p];
  if (c === 45 /* - */) {
    negative = true;
    p++;
  } else if (c === 43 /* + */) p++;
  let mantissa = 0;
  let exponent = 0;
  let digits = false;
  let exact = true;
  for (; p < limit; p++) {
    const d = bytes[p] - 48;
    if (d < 0 || d > 9) break;
    digits = true;
    if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + d;
    else {
      exponent++;
      if (d !== 0) exact = false;
    }
  }
  if (p < limit && bytes[p] === 46 /* . */) {
    for (p++; p < limit; p++) {
      const d = bytes[p] - 48;
      if (d < 0 || d > 9) break;
      digits = true;
      if (mantissa < MANTISSA_LIMIT) {
        mantissa = mantissa * 10 + d;
        exponent--;
      } else if (d !== 0) exact = false;
    }
  }
  if (!digits) {
    parsed.end = p;
    return NaN;
  }
  if (p < limit && (bytes[p] | 0x20) === 101 /* e, E */) {
    let q = p + 1;
    let exponentNegative = false;
    if (bytes[q] === 45) {
      exponentNegative = true;
      q++;
    } else if (bytes[q] === 43) q++;
    let value = 0;
    const first = q;
    for (; q < limit; q++) {
      const d = bytes[q] - 48;
      if (d < 0 || d > 9) break;
      if (value < 100_000) value = value * 10 + d;
    }
    // "1e" or "1e+" is the number 1 followed by junk, as in parseFloat; the caller sees the junk.
    if (q > first) {
      exponent += exponentNegative ? -value : value;
      p = q;
    }
  }
  parsed.end = p;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exact && exponent >= -22 && exponent <= 22) {
    value = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
  } else value = Math.abs(parseFloat(latin1(bytes, start, p)));
  return negative ? -value : value;
}

/** What is wrong with the token at [start, end), which `parseDecimal` refused or which had junk after the number. */
export function describeBadNumber(bytes: Uint8Array, start: number, end: number): string {
  const token = latin1(bytes, start, Math.min(end, start + 40));
  if (/^[-+]?nan$/i.test(token)) return 'a NaN value';
  if (/^[-+]?inf(inity)?$/i.test(token)) return 'an infinite value';
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80 || (b < 0x20 && b !== 9)) return 'binary data where text was expected (is this a word2vec binary file? then read it as word2vec-binary)';
  }
  return `"${token}${end - start > 40 ? '…' : ''}" is not a number`;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * The shortest decimal that reads back (parseFloat, then float32) as exactly this float32 value. Fewer digits
 * round-trip only if more do too, so a binary search over 1..9 significant digits finds it.
 */
export function float32Text(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  let low = 1;
  let high = 9;
  let best = value.toPrecision(9);
  while (low < high) {
    const middle = (low + high) >> 1;
    const text = value.toPrecision(middle);
    if (Math.fround(Number(text)) === value) {
      best = text;
      high = middle;
    } else low = middle + 1;
  }
  // toPrecision writes "1e+2" for 100; JavaScript's own form is plainer and reads back the same.
  return best.includes('e') ? String(Number(best)) : best;
}
