/**
 * Translates the Oniguruma regexes found in tokenizer.json files (HF tokenizers compiles them with Onig) into
 * JavaScript RegExps with the same matches:
 * - `\s`/`\S` follow Onig's Unicode whitespace (which has U+0085 and not U+FEFF, unlike JS's `\s`);
 * - `(?i:…)` groups become explicit case classes, since Node's RegExp has no inline modifiers;
 * - possessive quantifiers (`++`, `*+`, `?+`) become greedy ones. For the tokenizer patterns in use they match the
 *   same text, because what follows never needs the quantifier to give back characters.
 * Anything we cannot translate faithfully is refused with the feature named.
 */
const ONIG_SPACE = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

export function onigToJsRegExp(source: string, flags = 'gu'): RegExp {
  let out = '';
  let inClass = 0;
  let caseless = 0;
  const groupIsCaseless: boolean[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === 's') out += inClass ? ONIG_SPACE : `[${ONIG_SPACE}]`;
      else if (next === 'S') {
        if (inClass) throw new Error('\\S inside a character class');
        out += `[^${ONIG_SPACE}]`;
      } else if (next === 'p' || next === 'P') {
        const end = source.indexOf('}', i);
        out += source.slice(i, end + 1);
        i = end - 1;
      } else if (next === 'h' || next === 'A' || next === 'z' || next === 'Z' || next === 'G') {
        throw new Error(`\\${next}`);
      } else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[') throw new Error('nested character classes');
      if (c === ']') inClass--;
      out += caseless && /[a-zA-Z]/.test(c) ? caseVariants(c) : c;
      continue;
    }
    if (c === '[') {
      inClass++;
      out += c;
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?i:', i)) {
        groupIsCaseless.push(true);
        caseless++;
        out += '(?:';
        i += 3;
        continue;
      }
      if (source[i + 1] === '?' && !/[:=!<]/.test(source[i + 2])) throw new Error(`group "${source.slice(i, i + 4)}"`);
      groupIsCaseless.push(false);
      out += c;
      continue;
    }
    if (c === ')') {
      if (groupIsCaseless.pop()) caseless--;
      out += c;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && source[i + 1] === '+') {
      out += c;
      i++; // possessive -> greedy
      continue;
    }
    out += caseless && /[a-zA-Z]/.test(c) ? `[${caseVariants(c)}]` : c;
  }
  return new RegExp(out, flags);
}

/** Both cases of an ASCII letter, plus the non-ASCII characters Unicode case folding maps onto it. */
function caseVariants(letter: string): string {
  const lower = letter.toLowerCase();
  const extra = lower === 's' ? 'ſ' : lower === 'k' ? 'K' : '';
  return lower + lower.toUpperCase() + extra;
}
