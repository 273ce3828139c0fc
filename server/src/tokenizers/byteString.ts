/**
 * Byte strings: a sequence of bytes held in a JS string, one char (0..255) per byte.
 * V8 stores these one byte per char and hashes them fast, so they make good Map keys for BPE ranks.
 */

/** UTF-8 bytes of `text` as a byte string. Lone surrogates become U+FFFD, as TextEncoder does. */
export function utf8ByteString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out += text[i];
      continue;
    }
    if (c < 0x800) {
      out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/** Number of UTF-8 bytes the UTF-16 unit(s) at `i` encode to, and how many units they take. */
function utf8LengthAt(text: string, i: number): { bytes: number; units: number } {
  const c = text.charCodeAt(i);
  if (c < 0x80) return { bytes: 1, units: 1 };
  if (c < 0x800) return { bytes: 2, units: 1 };
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, units: 2 };
  }
  return { bytes: 3, units: 1 };
}

/**
 * For each byte boundary 0..byteLength of `text`'s UTF-8 form, the UTF-16 offset of the character that
 * contains that byte (a boundary inside a character maps to the character's start) — so a token that
 * covers part of a character is given the whole character, as Hugging Face tokenizers do.
 */
export function byteToUtf16Starts(text: string, byteLength: number): Uint32Array {
  const map = new Uint32Array(byteLength + 1);
  let byte = 0;
  for (let i = 0; i < text.length; ) {
    const { bytes, units } = utf8LengthAt(text, i);
    for (let k = 0; k < bytes; k++) map[byte + k] = i;
    byte += bytes;
    i += units;
  }
  map[byteLength] = text.length;
  return map;
}

/** UTF-16 offset just after the character containing byte `endByte - 1`. */
export function utf16EndAfterByte(starts: Uint32Array, text: string, endByte: number): number {
  if (endByte >= starts.length - 1) return text.length;
  const start = starts[endByte - 1];
  const next = starts[endByte];
  return next > start ? next : start + utf8LengthAt(text, start).units;
}

/**
 * A byte string decoded as UTF-8, or undefined when the bytes are not valid UTF-8 (overlong forms,
 * surrogates and truncated sequences included). Hand-written: it runs for every token when a table loads.
 */
export function decodeUtf8Strict(bytes: string): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes.charCodeAt(i);
    if (b0 < 0x80) {
      out += bytes[i++];
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    else return undefined;
    for (let k = 1; k <= need; k++) {
      const b = bytes.charCodeAt(i + k);
      if (!(b >= 0x80 && b <= 0xbf)) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** A byte string decoded as UTF-8 with U+FFFD for invalid sequences (what decode() returns). */
export function decodeUtf8Lossy(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Readable text of a token's bytes: valid UTF-8 sequences as text, other bytes as <0xNN>. */
export function readableBytes(bytes: string): string {
  const whole = decodeUtf8Strict(bytes);
  if (whole !== undefined) return whole;
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes.charCodeAt(i);
    const len = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    const char = len > 0 ? decodeUtf8Strict(bytes.slice(i, i + len)) : undefined;
    if (char !== undefined) {
      out += char;
      i += len;
    } else {
      out += `<0x${lead.toString(16).toUpperCase().padStart(2, '0')}>`;
      i += 1;
    }
  }
  return out;
}
