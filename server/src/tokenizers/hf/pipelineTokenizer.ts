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
}

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
    const { normalizer, preTokenizer, model, postProcessor, added } = this.parts;
    // HF matches special tokens in the text unless told not to (split_special_tokens).
    const pieces: Piece[] = added.extractAndNormalize(text, normalizer, options?.allowSpecial ?? true, track);
    const tokens = new TokenBuffer(track);
    for (const piece of pieces) {
      if (piece.addedId !== undefined) {
        // HF spells an added token as the text it matched (normalized, with any stripped whitespace).
        if (track && piece.text.text !== this.tokenString(piece.addedId)) (tokens.texts ??= new Map()).set(tokens.length, piece.text.text);
        const [start, end] = piece.text.originalRange(0, piece.text.text.length);
        tokens.push(piece.addedId, start, end);
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
          [tokens.starts[t], tokens.ends[t]] = word.originalRange(tokens.starts[t], tokens.ends[t]);
        }
      }
    }
    if (!postProcessor) return tokens;
    return postProcessor.process(tokens, options?.addSpecialTokens ?? false, (id) => this.tokenString(id));
  }
}
