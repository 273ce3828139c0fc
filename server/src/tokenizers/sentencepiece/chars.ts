/** UTF-16 units of the char at text[at] within text[.., end): 2 for a surrogate pair, else 1 (a lone surrogate too). */
export function charUnitsAt(text: string, at: number, end: number): number {
  const code = text.charCodeAt(at);
  return code >= 0xd800 && code <= 0xdbff && at + 1 < end && (text.charCodeAt(at + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}
