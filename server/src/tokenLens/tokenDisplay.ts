/** How a token's text is shown to people: whitespace and invisible characters made visible. */

const VISIBLE: Record<string, string> = { ' ': '·', '\t': '→', '\n': '↵', '\r': '␍' };

/** Replaces spaces, tabs, line breaks and other invisible characters with visible marks. */
export function visibleToken(text: string): string {
  let out = '';
  for (const char of text) {
    const mark = VISIBLE[char];
    if (mark !== undefined) out += mark;
    else if (isInvisible(char)) out += `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
    else out += char;
  }
  return out;
}

/** Control, format (zero-width, bidi), separator and unassigned/private-use characters, and U+FFFD. */
function isInvisible(char: string): boolean {
  return /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}\p{Co}\uFFFD]|[\p{Zs}]/u.test(char) && char !== ' ';
}

/** Markdown inline code that survives backticks inside the token. */
export function inlineCode(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  const longest = Math.max(...(text.match(/`+/g) ?? ['']).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${text} ${fence}`;
}
