export interface TextSize {
  /** Unicode code points (what people call characters), not UTF-16 units. */
  characters: number;
  /** UTF-8 bytes. */
  bytes: number;
}

export function textSize(text: string): TextSize {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return { characters: text.length - pairs, bytes: Buffer.byteLength(text, 'utf8') };
}
