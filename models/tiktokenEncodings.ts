/**
 * The tiktoken encodings bundled with Embedding Lens.
 *
 * Rank data: taken at build time from the npm package js-tiktoken (MIT, by the maintainer of the `tiktoken`
 * npm bindings), which ships OpenAI's rank tables for offline use; scripts/build.mjs rewrites them as
 * standard `.tiktoken` files and refuses to build unless each one's sha256 equals the hash that OpenAI's
 * tiktoken (tiktoken_ext/openai_public.py) expects for it.
 *
 * Patterns: tiktoken 0.14's pre-tokenizer patterns, rewritten for JavaScript's regex engine:
 * - `\s` becomes `\p{White_Space}`: JavaScript's `\s` adds U+FEFF and lacks U+0085, Rust's does not.
 * - possessive quantifiers (`++`, `?+`) become greedy ones; each such atom is followed by a disjoint class or
 *   by `$`, so backtracking into it can never produce a different match.
 * - `(?i:...)` becomes explicit case classes; Unicode case folding also maps `s` to U+017F (ſ).
 */

export interface TiktokenEncodingSpec {
  name: string;
  description: string;
  /** Basename of the rank file in the bundled encodings folder. */
  rankFile: string;
  /** sha256 of the rank file, as tiktoken expects it. */
  sha256: string;
  /** JavaScript regex source, used with the `gu` flags. */
  pattern: string;
  specialTokens: Record<string, number>;
}

const WS = '\\p{White_Space}';
const NOT_WS = '\\P{White_Space}';
const ENDOFTEXT = '<|endoftext|>';

// tiktoken: '(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s
const GPT2_PATTERN = `'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+|${WS}+$|${WS}+(?!${NOT_WS})|${WS}`;

// tiktoken: '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
const CL100K_PATTERN =
  `'(?:[sSſdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*` +
  `|${WS}+$|${WS}*[\\r\\n]|${WS}+(?!${NOT_WS})|${WS}`;

// tiktoken: [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//          |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
//          |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
const CONTRACTION = `(?:'(?:[sSſdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE]))?`;
const UPPERISH = '[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]';
const LOWERISH = '[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]';
const O200K_PATTERN =
  `[^\\r\\n\\p{L}\\p{N}]?${UPPERISH}*${LOWERISH}+${CONTRACTION}|[^\\r\\n\\p{L}\\p{N}]?${UPPERISH}+${LOWERISH}*${CONTRACTION}` +
  `|\\p{N}{1,3}| ?[^${WS}\\p{L}\\p{N}]+[\\r\\n/]*|${WS}*[\\r\\n]+|${WS}+(?!${NOT_WS})|${WS}+`;

export const TIKTOKEN_ENCODINGS: readonly TiktokenEncodingSpec[] = [
  {
    name: 'cl100k_base',
    description: 'GPT-4, GPT-3.5-turbo, text-embedding-3 / ada-002',
    rankFile: 'cl100k_base.tiktoken',
    sha256: '223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7',
    pattern: CL100K_PATTERN,
    specialTokens: {
      [ENDOFTEXT]: 100257,
      '<|fim_prefix|>': 100258,
      '<|fim_middle|>': 100259,
      '<|fim_suffix|>': 100260,
      '<|endofprompt|>': 100276,
    },
  },
  {
    name: 'o200k_base',
    description: 'GPT-4o, GPT-4.1, o1, o3, o4-mini',
    rankFile: 'o200k_base.tiktoken',
    sha256: '446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d',
    pattern: O200K_PATTERN,
    specialTokens: { [ENDOFTEXT]: 199999, '<|endofprompt|>': 200018 },
  },
  {
    name: 'p50k_base',
    description: 'Codex, text-davinci-002/003',
    rankFile: 'p50k_base.tiktoken',
    sha256: '94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069',
    pattern: GPT2_PATTERN,
    specialTokens: { [ENDOFTEXT]: 50256 },
  },
  {
    name: 'r50k_base',
    description: 'GPT-3 (davinci)',
    rankFile: 'r50k_base.tiktoken',
    sha256: '306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930',
    pattern: GPT2_PATTERN,
    specialTokens: { [ENDOFTEXT]: 50256 },
  },
  {
    // tiktoken builds gpt2 from GPT-2's encoder.json + vocab.bpe; the resulting ranks are r50k_base's.
    name: 'gpt2',
    description: 'GPT-2',
    rankFile: 'r50k_base.tiktoken',
    sha256: '306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930',
    pattern: GPT2_PATTERN,
    specialTokens: { [ENDOFTEXT]: 50256 },
  },
];
