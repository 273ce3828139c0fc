/**
 * The engines a benchmark compares, behind one interface (bench/measure.ts Engine): ours, the tiktoken peers,
 * Hugging Face's pure-JS and native Rust tokenizers, and Debian's spm_encode as a process.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TokenizerCatalog } from '../server/src/tokenizers/catalog';
import type { ScratchDir } from './corpora';
import type { Engine, Workload } from './measure';
import { runMeasured, type ProcessRun } from './measuredProcess';

export const OURS = 'embedding-lens';

/** An engine that encodes one text per synchronous call. */
function perText(name: string, countTokens: (text: string) => number, free?: () => void): Engine {
  return {
    name,
    encode: async (work) => {
      let tokens = 0;
      for (const text of work.texts) tokens += countTokens(text);
      return tokens;
    },
    free,
  };
}

export async function ourEngine(catalog: TokenizerCatalog, nameOrPath: string): Promise<Engine> {
  const tokenizer = await catalog.load(nameOrPath);
  return perText(OURS, (text) => tokenizer.encodeIds(text).length);
}

export async function tiktokenPeers(encoding: 'cl100k_base' | 'o200k_base'): Promise<Engine[]> {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks = (await import(`js-tiktoken/ranks/${encoding}`)).default;
  const jsTiktoken = new Tiktoken(ranks);
  const gptTokenizer = await import(`gpt-tokenizer/encoding/${encoding}`);
  const { get_encoding } = await import('tiktoken');
  const wasm = get_encoding(encoding);
  return [
    perText('js-tiktoken', (t) => jsTiktoken.encode(t).length),
    perText('gpt-tokenizer', (t) => gptTokenizer.encode(t).length),
    perText('tiktoken (WASM)', (t) => wasm.encode(t, [], []).length, () => wasm.free()),
  ];
}

export const HF_JS = '@huggingface/tokenizers (JS)';
export const HF_RUST = '@anush008/tokenizers (Rust)';

/** transformers.js's tokenizers, pure JS; it takes tokenizer_config.json beside the file when there is one. */
export async function huggingFaceJsEngine(tokenizerJson: string): Promise<Engine> {
  const { Tokenizer } = await import('@huggingface/tokenizers');
  const configFile = path.join(path.dirname(tokenizerJson), 'tokenizer_config.json');
  const config: object = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : {};
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(tokenizerJson, 'utf8')), config);
  return perText(HF_JS, (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length);
}

/**
 * Hugging Face tokenizers in Rust through napi. A whole text is one encode() call; many texts are one encodeBatch()
 * call, as its users encode many texts (awaiting encode() per line measures the async hop more than the tokenizer).
 */
export async function huggingFaceRustEngine(tokenizerJson: string): Promise<Engine> {
  // One thread, like ours: encodeBatch would otherwise spread the lines over every core (rayon).
  process.env.TOKENIZERS_PARALLELISM = 'false';
  const { Tokenizer } = await import('@anush008/tokenizers');
  const tokenizer = Tokenizer.fromFile(tokenizerJson);
  const options = { addSpecialTokens: false };
  return {
    name: HF_RUST,
    encode: async (work) => {
      const encodings =
        work.texts.length === 1 ? [await tokenizer.encode(work.texts[0], null, options)] : await tokenizer.encodeBatch([...work.texts], options);
      return encodings.reduce((tokens, encoding) => tokens + encoding.getIds().length, 0);
    },
  };
}

export const SPM_ENCODE = 'spm_encode (C++)';

/**
 * Debian's spm_encode as a process: it encodes its input line by line, so a workload becomes a file with one text
 * a line. Timed runs write ids to /dev/null, as a user would pipe them on; the token count comes from one more run.
 */
export function sentencePieceEncodeEngine(model: string, scratch: ScratchDir): Engine & { lastRun?: ProcessRun } {
  const inputs = new Map<Workload, string>();
  const args = [`--model=${model}`, '--output_format=id'];
  const input = (work: Workload): string => {
    if (work.texts.some((text) => text.includes('\n'))) throw new Error('spm_encode reads one text a line; this workload has texts with line breaks');
    let file = inputs.get(work);
    if (!file) inputs.set(work, (file = scratch.file(`spm-encode-${inputs.size}.txt`, `${work.texts.join('\n')}\n`)));
    return file;
  };
  const engine: Engine & { lastRun?: ProcessRun } = {
    name: SPM_ENCODE,
    prepare: (work) => void input(work),
    encode: async (work) => {
      engine.lastRun = runMeasured('spm_encode', args, { stdin: input(work), stdout: 'ignore' });
      return undefined;
    },
    count: async (work) => countWords(runMeasured('spm_encode', args, { stdin: input(work), stdout: 'pipe' }).stdout),
  };
  return engine;
}

/** Whitespace-separated fields of spm_encode's id output: one per token. */
export function countWords(output: Buffer): number {
  let words = 0;
  let inWord = false;
  for (const byte of output) {
    const space = byte === 0x20 || byte === 0x0a;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}
