/**
 * Loads any tokenizer file by what it is: a Hugging Face tokenizer.json, a SentencePiece model (protobuf), a
 * tiktoken rank file (bundled encodings recognised by sha256, others with a config giving the pattern and special
 * tokens), or a BERT vocab.txt.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { TIKTOKEN_ENCODINGS, type TiktokenEncodingSpec } from '../../../models/tiktokenEncodings';
import { cachedModelId } from '../hub/hubCache';
import { bertVocabTokenizer } from './hf/bertVocab';
import { onigToJsRegExp } from './hf/onigRegex';
import { tokenizerFromJsonText } from './hf/tokenizerJson';
import { parseRanks } from './rankFile';
import { loadSentencePieceModel } from './sentencepiece/sentencePieceTokenizer';
import { TiktokenTokenizer } from './tiktoken';
import { TokenizerLoadError, type Tokenizer } from './types';

/** Files larger than this are not tokenizers (the largest real ones are ~20 MB); refusing keeps memory safe. */
const MAX_TOKENIZER_FILE_BYTES = 256 * 1024 * 1024;

export async function readTokenizerFile(file: string): Promise<Buffer> {
  let content: Buffer;
  try {
    content = await readFile(file);
  } catch (error) {
    throw new TokenizerLoadError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (content.length > MAX_TOKENIZER_FILE_BYTES) throw new TokenizerLoadError(file, `${content.length} bytes is too large for a tokenizer file`);
  if (content.length === 0) throw new TokenizerLoadError(file, 'the file is empty');
  return content;
}

/** Loads a tokenizer file, naming it after the file (its folder too, for generic names like tokenizer.json). */
export async function loadTokenizerFile(file: string, name = displayName(file)): Promise<Tokenizer> {
  const content = await readTokenizerFile(file);
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.json')) return tokenizerFromJsonText(decodeText(content, file), file, name);
  if (base.endsWith('.tiktoken')) return loadTiktoken(content, file, name);
  if (base.endsWith('.txt')) return bertVocabTokenizer(decodeText(content, file), file, name, await readSiblingJson(file, 'tokenizer_config.json'));
  if (/\.model(\.v\d+)?$/.test(base) || base.endsWith('.spm')) {
    // tokenizer.model is a SentencePiece protobuf, except in tiktoken-based models (e.g. Llama 3), where it is a rank file.
    return looksLikeRankFile(content) ? loadTiktoken(content, file, name) : loadSentencePieceModel(content, file, name);
  }
  throw new TokenizerLoadError(file, 'unknown tokenizer file type: expected tokenizer.json, a SentencePiece .model, a .tiktoken rank file or a BERT vocab.txt');
}

function displayName(file: string): string {
  const base = path.basename(file);
  const hubModel = cachedModelId(file);
  if (hubModel) return hubModel;
  const generic = /^(tokenizer\.json|tokenizer\.model|vocab\.txt|spiece\.model)$/i.test(base);
  return generic ? `${path.basename(path.dirname(file))}/${base}` : base;
}

function decodeText(content: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new TokenizerLoadError(file, 'the file is not valid UTF-8 text');
  }
}

/** A rank file is lines of "base64 rank"; a protobuf starts with a field tag byte such as 0x0a. */
function looksLikeRankFile(content: Buffer): boolean {
  return /^[A-Za-z0-9+/=]+ \d+\r?\n/.test(content.subarray(0, 200).toString('latin1'));
}

async function readSiblingJson(file: string, sibling: string): Promise<Record<string, unknown> | undefined> {
  const candidate = path.join(path.dirname(file), sibling);
  if (!existsSync(candidate)) return undefined;
  try {
    return JSON.parse(await readFile(candidate, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new TokenizerLoadError(candidate, `not valid JSON (${(error as Error).message})`);
  }
}

/**
 * The pattern and special tokens for a rank file that is not a bundled encoding: from `<file>.json` or
 * `tiktoken_config.json` beside it, with `pattern` (or tiktoken's `pat_str`) and `special_tokens` ({ text: id }).
 */
async function tiktokenConfig(file: string): Promise<{ config: Record<string, unknown>; configFile: string } | undefined> {
  for (const sibling of [`${path.basename(file)}.json`, 'tiktoken_config.json']) {
    const config = await readSiblingJson(file, sibling);
    if (config) return { config, configFile: path.join(path.dirname(file), sibling) };
  }
  return undefined;
}

export async function loadTiktoken(content: Buffer, file: string, name: string, spec?: TiktokenEncodingSpec): Promise<Tokenizer> {
  const ranks = parseRanks(content.toString('latin1'), file);
  if (!spec) {
    const sha = createHash('sha256').update(content).digest('hex');
    spec = TIKTOKEN_ENCODINGS.find((s) => s.sha256 === sha);
  }
  if (spec) return new TiktokenTokenizer({ name: spec.name, ranks, pattern: spec.pattern, specialTokens: spec.specialTokens });
  const found = await tiktokenConfig(file);
  if (!found) {
    throw new TokenizerLoadError(
      file,
      `this rank file is not a bundled encoding, and a rank file alone does not say how to pre-tokenize: put a JSON config beside it (${path.basename(file)}.json or tiktoken_config.json) with "pattern" and "special_tokens"`,
    );
  }
  const { config, configFile } = found;
  const source = (config.pattern ?? config.pat_str) as unknown;
  if (typeof source !== 'string') throw new TokenizerLoadError(configFile, 'needs a "pattern" (or "pat_str") string: the pre-tokenizer regex');
  let pattern: string;
  try {
    pattern = onigToJsRegExp(source).source;
  } catch (error) {
    throw new TokenizerLoadError(configFile, `cannot use the pattern (${(error as Error).message})`);
  }
  const specials = (config.special_tokens ?? {}) as Record<string, unknown>;
  const specialTokens: Record<string, number> = {};
  for (const [text, id] of Object.entries(specials)) {
    if (!Number.isInteger(id)) throw new TokenizerLoadError(configFile, `special token ${JSON.stringify(text)} needs an integer id`);
    specialTokens[text] = id as number;
  }
  return new TiktokenTokenizer({ name, ranks, pattern, specialTokens });
}
