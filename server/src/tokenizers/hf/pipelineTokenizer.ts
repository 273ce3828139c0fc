/**
 * One pipeline for every Hugging Face tokenizer: added tokens → normalize → pre-tokenize → model → post-process,
 * and decode back through the decoder. Offsets come from the NormalizedString alignment, in UTF-16 units.
 */
import { readableBytes } from '../byteString';
import type { Encoding, EncodeOptions, Offset, Tokenizer } from '../types';
import { AddedVocabulary, type Piece } from './addedVocabulary';
import { byteLevelToBytes } from './byteLevel';
import type { Decoder } from './decoders';
import { type Model, TokenBuffer } from './model';
import type { Normalizer } from './normalizers';
import type { PostProcessor } from './postProcessors';
import type { PreTokenizer } from './preTokenizers';

export interface PipelineParts {
  normalizer?: Normalizer;
  preTokenizer?: PreTokenizer;
  model: Model;
  postProcessor?: PostProcessor;
  decoder?: Decoder;
  added: AddedVocabulary;
  /** Tokens are byte-level strings ("Ġword"), shown to people as the text they stand for. */
  byteLevel: boolean;
  /**
   * Every stage works within lines: cutting a long text at a line break between two non-space characters gives
   * the same tokens (see cutsAtLineStarts in tokenizerJson.ts). Long texts are then encoded a chunk at a time, which
   * keeps strings and arrays small.
   */
  cutsAtLineStarts: boolean;
}

/** Long texts that may be cut are encoded in chunks of about this many UTF-16 units. */
export const CHUNK_UNITS = 32 * 1024;
/**
 * A line break between two non-space characters: the only place a cut is safe for every line-local pipeline (GPT-2's
 * `\s+(?!\S)` would join whitespace before a break at the end of a chunk, "  \n" or "\r\n", into one piece).
 */
const LINE_START = /(?<=[^\s\x85])\n(?=[^\s\x85])/g;

export class PipelineTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly unknownTokenId: number | undefined;

  constructor(
    readonly name: string,
    private readonly parts: PipelineParts,
  ) {
    let extra = 0;
    for (const id of parts.added.byId.keys()) if (parts.model.idToToken(id) === undefined) extra++;
    this.vocabSize = parts.model.vocabSize + extra;
    this.unknownTokenId = parts.model.unknownId;
  }

  encode(text: string, options?: EncodeOptions): Encoding {
    const tokens = this.run(text, options, true);
    const offsets: Offset[] = tokens.ids.map((_, i) => [tokens.starts[i], tokens.ends[i]]);
    return { ids: tokens.ids, tokens: tokens.ids.map((id, i) => tokens.texts?.get(i) ?? this.tokenString(id)), offsets };
  }

  encodeIds(text: string, options?: EncodeOptions): number[] {
    return this.run(text, options, false).ids;
  }

  count(text: string, options?: EncodeOptions): number {
    return this.run(text, options, false).length;
  }

  /** HF's decode keeping special tokens (skip_special_tokens=False): every token goes through the decoder. */
  decode(ids: readonly number[]): string {
    const tokens: string[] = [];
    for (const id of ids) {
      const token = this.parts.added.byId.get(id)?.content ?? this.parts.model.idToToken(id);
      if (token !== undefined) tokens.push(token);
    }
    return this.parts.decoder ? this.parts.decoder.decode(tokens).join('') : tokens.join(' ');
  }

  /** The token as the vocabulary spells it (HF's `tokens`). */
  tokenString(id: number): string {
    return this.parts.added.byId.get(id)?.content ?? this.parts.model.idToToken(id) ?? '';
  }

  tokenText(id: number): string {
    const token = this.tokenString(id);
    if (!this.parts.byteLevel || this.parts.added.byId.has(id)) return token;
    const bytes = byteLevelToBytes(token);
    return bytes === undefined ? token : readableBytes(bytes);
  }

  private run(text: string, options: EncodeOptions | undefined, track: boolean): TokenBuffer {
    const tokens = new TokenBuffer(track);
    if (this.parts.cutsAtLineStarts && text.length > CHUNK_UNITS) {
      let start = 0;
      while (start < text.length) {
        const end = chunkEnd(text, start);
        this.encodeInto(text.slice(start, end), start, options, track, tokens);
        start = end;
      }
    } else this.encodeInto(text, 0, options, track, tokens);
    const { postProcessor } = this.parts;
    if (!postProcessor) return tokens;
    return postProcessor.process(tokens, options?.addSpecialTokens ?? false, (id) => this.tokenString(id));
  }

  /** Appends the tokens of `text`, which starts at `offset` in the whole input, before post-processing. */
  private encodeInto(text: string, offset: number, options: EncodeOptions | undefined, track: boolean, tokens: TokenBuffer): void {
    const { normalizer, preTokenizer, model, added } = this.parts;
    // HF matches special tokens in the text unless told not to (split_special_tokens).
    const pieces: Piece[] = added.extractAndNormalize(text, normalizer, options?.allowSpecial ?? true, track);
    for (const piece of pieces) {
      if (piece.addedId !== undefined) {
        // HF spells an added token as the text it matched (normalized, with any stripped whitespace).
        if (track && piece.text.text !== this.tokenString(piece.addedId)) (tokens.texts ??= new Map()).set(tokens.length, piece.text.text);
        const [start, end] = piece.text.originalRange(0, piece.text.text.length);
        tokens.push(piece.addedId, offset + start, offset + end);
        continue;
      }
      const words = preTokenizer ? preTokenizer.preTokenize([piece.text]) : piece.text.text.length > 0 ? [piece.text] : [];
      for (const word of words) {
        const first = tokens.length;
        model.tokenize(word.text, tokens);
        if (!track) continue;
        // The model gave ranges in the word; they become ranges in the original text.
        for (let t = first; t < tokens.length; t++) {
          if (model.spellsUnknownAsText && tokens.ids[t] === model.unknownId) {
            (tokens.texts ??= new Map()).set(t, word.text.slice(tokens.starts[t], tokens.ends[t]));
          }
          const [start, end] = word.originalRange(tokens.starts[t], tokens.ends[t]);
          tokens.starts[t] = offset + start;
          tokens.ends[t] = offset + end;
        }
      }
    }
  }
}

/** Where a chunk from `start` ends: at the first line start after CHUNK_UNITS, or the end of the text. */
function chunkEnd(text: string, start: number): number {
  LINE_START.lastIndex = start + CHUNK_UNITS;
  const cut = LINE_START.exec(text);
  return cut ? cut.index + 1 : text.length;
}
