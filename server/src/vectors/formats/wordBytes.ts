/** A word's bytes as a string: ASCII the quick way, anything else strictly as UTF-8 (undefined when invalid). */
export function wordFromBytes(bytes: Uint8Array, start: number, end: number, decoder: TextDecoder): string | undefined {
  let highBits = 0;
  for (let i = start; i < end; i++) highBits |= bytes[i];
  if (highBits < 0x80) return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** A decoder that refuses bad UTF-8 rather than inventing U+FFFD. */
export function strictUtf8Decoder(): TextDecoder {
  return new TextDecoder('utf-8', { fatal: true });
}
