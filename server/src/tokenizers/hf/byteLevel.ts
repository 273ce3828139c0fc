/**
 * GPT-2's byte-to-unicode table: each of the 256 byte values is shown as one printable character (printable Latin-1
 * bytes as themselves, the others as U+0100 onwards), so byte-level vocabularies can be stored as JSON strings.
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const table = new Array<string>(256);
  let next = 256;
  for (let byte = 0; byte < 256; byte++) {
    const printable = (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
    table[byte] = String.fromCharCode(printable ? byte : next++);
  }
  return table;
})();

const CHAR_TO_BYTE = new Map(BYTE_TO_CHAR.map((char, byte) => [char, byte]));

/** The bytes a byte-level token stands for, as a byte string (one char per byte); undefined if it is not byte-level. */
export function byteLevelToBytes(token: string): string | undefined {
  let bytes = '';
  for (const char of token) {
    const byte = CHAR_TO_BYTE.get(char);
    if (byte === undefined) return undefined;
    bytes += String.fromCharCode(byte);
  }
  return bytes;
}
