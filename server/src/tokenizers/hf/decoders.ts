/** tokenizer.json `decoder` stage: token strings back to text, each decoder rewriting the list of strings. */
import { decodeUtf8Lossy } from '../byteString';
import { byteLevelToBytes } from './byteLevel';
import { type JsonObject, patternOf, requireField, UnsupportedFeature } from './jsonConfig';
import { findMatches } from './normalizedString';
import { prependSchemeOf } from './preTokenizers';

export interface Decoder {
  decode(tokens: string[]): string[];
}

class FunctionDecoder implements Decoder {
  constructor(readonly decode: (tokens: string[]) => string[]) {}
}

/** Byte-level tokens joined, turned back into bytes, read as UTF-8 (invalid bytes become U+FFFD). */
function byteLevelDecode(tokens: string[]): string[] {
  let bytes = '';
  for (const token of tokens) bytes += byteLevelToBytes(token) ?? Buffer.from(token, 'utf8').toString('latin1');
  return [decodeUtf8Lossy(bytes)];
}

const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;

/** Runs of <0xNN> tokens become their UTF-8 text, or one U+FFFD per byte when invalid (HF's ByteFallback). */
function byteFallbackDecode(tokens: string[]): string[] {
  const out: string[] = [];
  let pending: number[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const bytes = Buffer.from(pending);
    const text = bytes.toString('utf8');
    out.push(Buffer.from(text, 'utf8').equals(bytes) ? text : '\ufffd'.repeat(pending.length));
    pending = [];
  };
  for (const token of tokens) {
    const byte = BYTE_TOKEN.exec(token);
    if (byte) pending.push(parseInt(byte[1], 16));
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

const CLEANUPS: Array<[string, string]> = [
  [' .', '.'], [' ?', '?'], [' !', '!'], [' ,', ','], [" ' ", "'"], [" n't", "n't"], [" 'm", "'m"],
  [' do not', " don't"], [" 's", "'s"], [" 've", "'ve"], [" 're", "'re"],
];

/** BERT's clean-up of spaces before punctuation and contractions. */
export function cleanupTokenization(text: string): string {
  return CLEANUPS.reduce((current, [from, to]) => current.split(from).join(to), text);
}

function wordPieceDecode(prefix: string, cleanup: boolean): (tokens: string[]) => string[] {
  return (tokens) =>
    tokens.map((token, i) => {
      let text = token;
      if (i > 0) text = token.startsWith(prefix) ? token.slice(prefix.length) : ` ${token}`;
      return cleanup ? cleanupTokenization(text) : text;
    });
}

/** ▁ back to spaces; in the first token HF drops them when the pre-tokenizer prepends one. */
function metaspaceDecode(replacement: string, prependScheme: string): (tokens: string[]) => string[] {
  return (tokens) => tokens.map((token, i) => token.split(replacement).join(i === 0 && prependScheme !== 'never' ? '' : ' '));
}

function stripDecode(content: string, start: number, stop: number): (tokens: string[]) => string[] {
  return (tokens) =>
    tokens.map((token) => {
      const chars = [...token];
      let from = 0;
      while (from < start && from < chars.length && chars[from] === content) from++;
      let to = chars.length;
      while (chars.length - to < stop && to > from && chars[to - 1] === content) to--;
      return chars.slice(from, to).join('');
    });
}

function bpeDecode(suffix: string): (tokens: string[]) => string[] {
  return (tokens) => tokens.map((token, i) => token.split(suffix).join(i === tokens.length - 1 ? '' : ' '));
}

function replaceDecode(pattern: RegExp | string, content: string): (tokens: string[]) => string[] {
  return (tokens) =>
    tokens.map((token) => {
      let out = '';
      let last = 0;
      for (const [start, end] of findMatches(token, pattern)) {
        out += token.slice(last, start) + content;
        last = end;
      }
      return out + token.slice(last);
    });
}

class SequenceDecoder implements Decoder {
  constructor(private readonly decoders: Decoder[]) {}

  decode(tokens: string[]): string[] {
    return this.decoders.reduce((current, decoder) => decoder.decode(current), tokens);
  }
}

export function decoderFromJson(json: JsonObject, file: string): Decoder {
  const type = requireField<string>(json, 'type', 'decoder', file);
  switch (type) {
    case 'Sequence':
      return new SequenceDecoder(requireField<JsonObject[]>(json, 'decoders', 'Sequence decoder', file).map((d) => decoderFromJson(d, file)));
    case 'ByteLevel':
      return new FunctionDecoder(byteLevelDecode);
    case 'ByteFallback':
      return new FunctionDecoder(byteFallbackDecode);
    case 'Fuse':
      return new FunctionDecoder((tokens) => [tokens.join('')]);
    case 'WordPiece':
      return new FunctionDecoder(wordPieceDecode((json.prefix as string | undefined) ?? '##', (json.cleanup as boolean | undefined) ?? true));
    case 'Metaspace':
      return new FunctionDecoder(metaspaceDecode((json.replacement as string | undefined) ?? '▁', prependSchemeOf(json)));
    case 'BPEDecoder':
      return new FunctionDecoder(bpeDecode((json.suffix as string | undefined) ?? '</w>'));
    case 'Strip':
      return new FunctionDecoder(stripDecode(requireField<string>(json, 'content', 'Strip decoder', file), (json.start as number | undefined) ?? 0, (json.stop as number | undefined) ?? 0));
    case 'Replace':
      return new FunctionDecoder(replaceDecode(patternOf(json, file), requireField<string>(json, 'content', 'Replace decoder', file)));
    default:
      throw new UnsupportedFeature(file, `decoder "${type}"`);
  }
}
