/** tokenizer.json `post_processor` stage: special tokens around the sequence, offset trimming for byte-level BPE. */
import { TokenizerLoadError } from '../types';
import { BYTE_TO_CHAR } from './byteLevel';
import { type JsonObject, requireField, UnsupportedFeature } from './jsonConfig';
import { TokenBuffer } from './model';

export interface PostProcessor {
  /** Returns the final tokens; special tokens get the empty range [0, 0), as in HF. */
  process(tokens: TokenBuffer, addSpecialTokens: boolean, tokenText: (id: number) => string): TokenBuffer;
}

/** Tokens around one sequence, e.g. [CLS] A [SEP]: ids before and after. */
class SurroundProcessor implements PostProcessor {
  constructor(
    private readonly before: number[],
    private readonly after: number[],
    private readonly trim?: ByteLevelTrim,
  ) {}

  process(tokens: TokenBuffer, addSpecialTokens: boolean, tokenText: (id: number) => string): TokenBuffer {
    if (this.trim) tokens = this.trim.process(tokens, addSpecialTokens, tokenText);
    if (!addSpecialTokens) return tokens;
    const out = new TokenBuffer(tokens.offsets);
    for (const id of this.before) out.push(id, 0, 0);
    for (let i = 0; i < tokens.length; i++) out.push(tokens.ids[i], tokens.starts[i], tokens.ends[i]);
    for (const id of this.after) out.push(id, 0, 0);
    if (tokens.texts) out.texts = new Map([...tokens.texts].map(([i, text]) => [i + this.before.length, text]));
    return out;
  }
}

const SPACE_CHAR = BYTE_TO_CHAR[0x20];
const WHITESPACE = /\p{White_Space}/u;
const isSpace = (char: string): boolean => char === SPACE_CHAR || WHITESPACE.test(char);

/** Byte-level BPE tokens carry their leading space ("Ġword"); trimming moves offsets off it (HF's process_offsets). */
class ByteLevelTrim implements PostProcessor {
  constructor(private readonly addPrefixSpace: boolean) {}

  process(tokens: TokenBuffer, _addSpecialTokens: boolean, tokenText: (id: number) => string): TokenBuffer {
    if (!tokens.offsets) return tokens;
    for (let i = 0; i < tokens.length; i++) {
      const chars = [...tokenText(tokens.ids[i])];
      let leading = 0;
      while (leading < chars.length && isSpace(chars[leading])) leading++;
      let trailing = 0;
      while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing])) trailing++;
      if (leading > 0) {
        const isFirst = i === 0 || tokens.starts[i] === 0;
        if (!(isFirst && this.addPrefixSpace && leading === 1)) tokens.starts[i] = Math.min(tokens.starts[i] + leading, tokens.ends[i]);
      }
      if (trailing > 0 && tokens.ends[i] >= trailing) tokens.ends[i] = Math.max(tokens.ends[i] - trailing, tokens.starts[i]);
    }
    return tokens;
  }
}

class SequenceProcessor implements PostProcessor {
  constructor(private readonly processors: PostProcessor[]) {}

  process(tokens: TokenBuffer, addSpecialTokens: boolean, tokenText: (id: number) => string): TokenBuffer {
    return this.processors.reduce((current, processor) => processor.process(current, addSpecialTokens, tokenText), tokens);
  }
}

function tokenPair(json: JsonObject, field: string, file: string): number {
  const pair = requireField<unknown[]>(json, field, `${String(json.type)} post-processor`, file);
  if (!Array.isArray(pair) || typeof pair[1] !== 'number') throw new TokenizerLoadError(file, `${String(json.type)} "${field}" must be [token, id]`);
  return pair[1];
}

/** TemplateProcessing's `single` template: the ids before and after sequence A. */
function templateSurround(json: JsonObject, file: string): { before: number[]; after: number[] } {
  const single = requireField<JsonObject[]>(json, 'single', 'TemplateProcessing', file);
  const specials = (json.special_tokens as Record<string, { ids: number[] }> | undefined) ?? {};
  const before: number[] = [];
  const after: number[] = [];
  let seenSequence = false;
  for (const item of single) {
    if (item.Sequence) {
      if (seenSequence) throw new UnsupportedFeature(file, 'a single-sequence template that repeats the sequence');
      seenSequence = true;
      continue;
    }
    const special = item.SpecialToken as { id: string } | undefined;
    if (!special) throw new TokenizerLoadError(file, `TemplateProcessing item ${JSON.stringify(item)} is neither Sequence nor SpecialToken`);
    const ids = specials[special.id]?.ids;
    if (!ids) throw new TokenizerLoadError(file, `TemplateProcessing uses "${special.id}", which is not in its special_tokens`);
    (seenSequence ? after : before).push(...ids);
  }
  return { before, after };
}

export function postProcessorFromJson(json: JsonObject, file: string): PostProcessor {
  const type = requireField<string>(json, 'type', 'post_processor', file);
  switch (type) {
    case 'TemplateProcessing': {
      const { before, after } = templateSurround(json, file);
      return new SurroundProcessor(before, after);
    }
    case 'BertProcessing':
      return new SurroundProcessor([tokenPair(json, 'cls', file)], [tokenPair(json, 'sep', file)]);
    case 'RobertaProcessing': {
      const trim = (json.trim_offsets as boolean | undefined) ?? true;
      const addPrefixSpace = (json.add_prefix_space as boolean | undefined) ?? true;
      return new SurroundProcessor([tokenPair(json, 'cls', file)], [tokenPair(json, 'sep', file)], trim ? new ByteLevelTrim(addPrefixSpace) : undefined);
    }
    case 'ByteLevel': {
      const trim = (json.trim_offsets as boolean | undefined) ?? true;
      return trim ? new ByteLevelTrim((json.add_prefix_space as boolean | undefined) ?? true) : new SequenceProcessor([]);
    }
    case 'Sequence':
      return new SequenceProcessor(requireField<JsonObject[]>(json, 'processors', 'Sequence post-processor', file).map((p) => postProcessorFromJson(p, file)));
    default:
      throw new UnsupportedFeature(file, `post-processor "${type}"`);
  }
}
