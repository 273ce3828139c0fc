import { parseArgs } from 'node:util';
import { localTokenizerSource } from '../hub/hubReference';
import { TokenizerCatalog } from '../tokenizers/catalog';
import type { EncodeOptions } from '../tokenizers/types';
import { InputError, inputLines } from './inputLines';
import type { Output } from './output';

export const TOKENIZE_HELP = `Usage: embedding-lens tokenize --tokenizer <name-or-path> [options] [FILE|-]

Tokenizes each line of FILE (or standard input when FILE is - or absent) and prints one JSON line per input line:
  {"ids":[…],"tokens":[…],"offsets":[[start,end],…]}
offsets are [start, end) in UTF-16 code units of the input line; tokens are readable token texts
(bytes that are not whole UTF-8 characters are shown as <0xNN>). Input must be UTF-8; a byte-order
mark at its very start is not part of the text.

Options:
  --tokenizer, -t <name-or-path>  a bundled tokenizer (cl100k_base, o200k_base, p50k_base, r50k_base, gpt2)
                                  or a tokenizer file (.tiktoken rank file of a known encoding)
                                  or hf:org/name[@revision]: a Hugging Face Hub model's tokenizer, downloaded once
                                  (HF_ENDPOINT, HF_TOKEN and EMBEDDING_LENS_CACHE apply)
  --special                       text of special tokens (e.g. <|endoftext|>) becomes special tokens
                                  (tiktoken's allowed_special="all"); otherwise it is plain text
  --add-special-tokens            apply the tokenizer's post-processing template (HF semantics; no-op for tiktoken)
  --jsonl                         each input line is a JSON string, so texts may hold newlines
  --count                         print only the number of tokens of each input
  --help, -h                      show this help
`;

export async function tokenizeCommand(args: string[], out: Output): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      tokenizer: { type: 'string', short: 't' },
      special: { type: 'boolean', default: false },
      'add-special-tokens': { type: 'boolean', default: false },
      jsonl: { type: 'boolean', default: false },
      count: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return out.write(TOKENIZE_HELP);
  if (!values.tokenizer) throw new UsageError('tokenize needs --tokenizer <name-or-path>');
  if (positionals.length > 1) throw new UsageError(`tokenize takes one input file, got ${positionals.length}`);
  const input = positionals[0] ?? '-';
  const tokenizer = await new TokenizerCatalog().load(await localTokenizerSource(values.tokenizer));
  const options: EncodeOptions = { allowSpecial: values.special, addSpecialTokens: values['add-special-tokens'] };
  let lineNumber = 0;
  for await (const line of inputLines(input)) {
    lineNumber++;
    const text = values.jsonl ? jsonString(line, input, lineNumber) : line;
    if (text === undefined) continue;
    if (values.count) {
      await out.write(`${tokenizer.count(text, options)}\n`);
    } else {
      await out.write(`${JSON.stringify(tokenizer.encode(text, options))}\n`);
    }
  }
}

/** The JSON string on a --jsonl line; blank lines are skipped. */
function jsonString(line: string, input: string, lineNumber: number): string | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new InputError(`${input === '-' ? 'standard input' : input}: line ${lineNumber}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'string') throw new InputError(`${input === '-' ? 'standard input' : input}: line ${lineNumber}: expected a JSON string, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

export class UsageError extends Error {}
