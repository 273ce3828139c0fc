/**
 * Builds a PipelineTokenizer from a Hugging Face tokenizer.json, refusing what it cannot do exactly.
 * `truncation` and `padding` are ignored on purpose: the lens shows and counts the whole text.
 */
import { TokenizerLoadError } from '../types';
import { AddedVocabulary, addedTokensFromJson } from './addedVocabulary';
import { bpeModelFromJson } from './bpeModel';
import { decoderFromJson } from './decoders';
import { type JsonObject, UnsupportedFeature } from './jsonConfig';
import { type Model, Vocabulary } from './model';
import { normalizerFromJson } from './normalizers';
import { PipelineTokenizer } from './pipelineTokenizer';
import { postProcessorFromJson } from './postProcessors';
import { preTokenizerFromJson } from './preTokenizers';
import { unigramModelFromJson } from './unigramAdapter';
import { wordLevelModelFromJson } from './wordLevelModel';
import { wordPieceModelFromJson } from './wordPieceModel';

/** tokenizer.json files name the model type; older ones leave it to be inferred from the fields. */
function modelType(model: JsonObject): string {
  if (typeof model.type === 'string') return model.type;
  if (model.merges !== undefined) return 'BPE';
  if (Array.isArray(model.vocab)) return 'Unigram';
  if (model.continuing_subword_prefix !== undefined || model.max_input_chars_per_word !== undefined) return 'WordPiece';
  return 'WordLevel';
}

function vocabularyOf(model: JsonObject, file: string): Vocabulary {
  const vocab = model.vocab;
  if (vocab === null || typeof vocab !== 'object' || Array.isArray(vocab)) throw new TokenizerLoadError(file, 'model "vocab" must be an object of token → id');
  const entries = Object.entries(vocab as Record<string, unknown>);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || (id as number) < 0) throw new TokenizerLoadError(file, `vocabulary entry "${token}" has id ${JSON.stringify(id)}, not a non-negative integer`);
  }
  return new Vocabulary(entries as Array<[string, number]>);
}

function modelFromJson(model: JsonObject, file: string): Model {
  const type = modelType(model);
  switch (type) {
    case 'BPE':
      return bpeModelFromJson(model, vocabularyOf(model, file), file);
    case 'WordPiece':
      return wordPieceModelFromJson(model, vocabularyOf(model, file), file);
    case 'WordLevel':
      return wordLevelModelFromJson(model, vocabularyOf(model, file), file);
    case 'Unigram':
      return unigramModelFromJson(model, file);
    default:
      throw new UnsupportedFeature(file, `model "${type}"`);
  }
}

/** Whether tokens are GPT-2 byte-level strings (then shown as the text they stand for). */
function isByteLevel(json: JsonObject): boolean {
  const types = (section: unknown): string[] => {
    if (!section || typeof section !== 'object') return [];
    const s = section as JsonObject;
    const children = (s.pretokenizers ?? s.decoders ?? []) as unknown[];
    return [String(s.type), ...children.flatMap(types)];
  };
  return types(json.decoder).includes('ByteLevel') || types(json.pre_tokenizer).includes('ByteLevel');
}

const LINE_LOCAL_NORMALIZERS = new Set(['Sequence', 'BertNormalizer', 'Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Nmt', 'Precompiled']);
const LINE_LOCAL_PRE_TOKENIZERS = new Set(['Sequence', 'Whitespace', 'WhitespaceSplit', 'BertPreTokenizer', 'Punctuation', 'Digits', 'ByteLevel']);
/** Pre-tokenizers that never leave a word across such a line break. */
const LINE_SPLITTING = new Set(['Whitespace', 'WhitespaceSplit', 'BertPreTokenizer', 'ByteLevel']);

/** Every component type in a (possibly nested) normalizer or pre-tokenizer section, with the section itself. */
function components(section: unknown): JsonObject[] {
  if (!section || typeof section !== 'object') return [];
  const s = section as JsonObject;
  const children = (s.normalizers ?? s.pretokenizers ?? []) as unknown[];
  return [s, ...children.flatMap(components)];
}

/**
 * Whether cutting a text after a line break between two non-space characters changes nothing: character-local
 * normalizers, pre-tokenizers that split there (ByteLevel only without add_prefix_space, which would add a space
 * at every cut, and only with its regex), and no added token that holds whitespace or strips it on its left.
 */
function cutsAtLineStarts(json: JsonObject): boolean {
  const normalizers = components(json.normalizer);
  const preTokenizers = components(json.pre_tokenizer);
  const addedTokens = (json.added_tokens ?? []) as Array<{ content?: string; lstrip?: boolean }>;
  return (
    normalizers.every((n) => LINE_LOCAL_NORMALIZERS.has(String(n.type))) &&
    preTokenizers.every((p) => LINE_LOCAL_PRE_TOKENIZERS.has(String(p.type)) && !(p.type === 'ByteLevel' && (p.add_prefix_space !== false || p.use_regex === false))) &&
    preTokenizers.some((p) => LINE_SPLITTING.has(String(p.type))) &&
    addedTokens.every((t) => !t.lstrip && !/\s/.test(t.content ?? ''))
  );
}

/** Parses tokenizer.json text. Errors name the file and the part that is wrong. */
export function tokenizerFromJsonText(text: string, file: string, name = file): PipelineTokenizer {
  let json: JsonObject;
  try {
    json = JSON.parse(text) as JsonObject;
  } catch (error) {
    throw new TokenizerLoadError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || typeof json.model !== 'object' || json.model === null) {
    throw new TokenizerLoadError(file, 'not a tokenizer.json: there is no "model" object');
  }
  const normalizer = json.normalizer ? normalizerFromJson(json.normalizer as JsonObject, file) : undefined;
  const model = modelFromJson(json.model as JsonObject, file);
  return new PipelineTokenizer(name, {
    normalizer,
    preTokenizer: json.pre_tokenizer ? preTokenizerFromJson(json.pre_tokenizer as JsonObject, file) : undefined,
    model,
    postProcessor: json.post_processor ? postProcessorFromJson(json.post_processor as JsonObject, file) : undefined,
    decoder: json.decoder ? decoderFromJson(json.decoder as JsonObject, file) : undefined,
    added: new AddedVocabulary(addedTokensFromJson(json.added_tokens, file), normalizer),
    byteLevel: isByteLevel(json),
    cutsAtLineStarts: cutsAtLineStarts(json),
  });
}
