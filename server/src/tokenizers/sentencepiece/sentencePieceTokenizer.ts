import * as path from 'node:path';
import { PrecompiledCharsmap } from '../precompiledCharsmap';
import { SpecialTokenMatcher } from '../specialTokens';
import type { Encoding, EncodeOptions, Offset, Tokenizer } from '../types';
import { UnigramModel, type UnigramPieceKind } from '../unigramModel';
import { PieceType, readModelProto, type ModelProto, type NormalizerSpec } from './modelProto';
import { PieceEmitter, type TokenSink } from './pieceEmitter';
import { SpBpeModel } from './spBpe';
import { SpDecoder } from './spDecoder';
import { SpNormalizer } from './spNormalizer';
import { SpVocabulary } from './spVocabulary';
import { SpCharModel, SpWordModel } from './spWordCharModels';

/** Segments normalized text; every SentencePiece model type does this one thing differently. */
interface Segmenter {
  encode(text: string, start: number, end: number, sink: TokenSink): void;
}

/** Reads a SentencePiece `.model` file. Throws TokenizerLoadError naming `file` when it cannot be used. */
export function loadSentencePieceModel(bytes: Uint8Array, file: string, name?: string): SentencePieceTokenizer {
  return new SentencePieceTokenizer(readModelProto(bytes, file), file, name ?? path.basename(file).replace(/\.model$/, ''));
}

/**
 * A SentencePiece model, encoding exactly as sentencepiece's SentencePieceProcessor::Encode (ids, and pieces
 * as `tokens`) and decoding as its Decode. Offsets come from the normalizer's alignment, so every token's
 * range is in the original text; byte-fallback pieces all get the range of the char they spell.
 */
export class SentencePieceTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly unknownTokenId: number;
  /** <s> when it is a control piece (sentencepiece's bos_id()), else undefined. */
  readonly bosId: number | undefined;
  private readonly vocabulary: SpVocabulary;
  private readonly normalizer: SpNormalizer;
  private readonly segmenter: Segmenter;
  private readonly decoder: SpDecoder;
  private readonly specials: SpecialTokenMatcher;

  constructor(proto: ModelProto, file: string, readonly name: string) {
    const { trainerSpec, normalizerSpec, denormalizerSpec } = proto;
    this.vocabulary = new SpVocabulary(proto, file);
    this.vocabSize = proto.pieces.length;
    this.unknownTokenId = this.vocabulary.unknownId;
    const bosId = this.vocabulary.idOf(trainerSpec.bosPiece || '<s>');
    this.bosId = proto.pieces[bosId].type === PieceType.control ? bosId : undefined;
    this.normalizer = new SpNormalizer({
      spec: normalizerSpec,
      treatWhitespaceAsSuffix: trainerSpec.treatWhitespaceAsSuffix,
      charsmap: charsmapOf(normalizerSpec, file),
      userDefined: this.vocabulary.userDefined,
    });
    // sentencepiece runs a denormalizer only when the model has rules for one.
    const denormalizer = denormalizerSpec && denormalizerSpec.precompiledCharsmap.length > 0
      ? new SpNormalizer({
          spec: denormalizerSpec,
          treatWhitespaceAsSuffix: false,
          charsmap: charsmapOf(denormalizerSpec, file),
          userDefined: undefined,
        })
      : undefined;
    this.decoder = new SpDecoder(this.vocabulary, normalizerSpec, trainerSpec.unkSurface, denormalizer, name);
    this.segmenter = this.segmenterFor(proto);
    // Text of control pieces (and <unk>) becomes those tokens only when allowSpecial asks for it.
    const specialIds = new Map<string, number>();
    proto.pieces.forEach(({ piece, type }, id) => {
      if (type === PieceType.control || type === PieceType.unknown) specialIds.set(piece, id);
    });
    this.specials = new SpecialTokenMatcher(specialIds);
  }

  encode(text: string, options: EncodeOptions = {}): Encoding {
    const ids: number[] = [];
    const tokens: string[] = [];
    const offsets: Offset[] = [];
    const { pieces } = this.vocabulary;
    this.forEachToken(text, options, (id, start, end, normalized, pieceStart, pieceEnd) => {
      ids.push(id);
      offsets.push([start, end]);
      // sentencepiece's piece is the normalized text it covers, except byte pieces (<0xNN>) and specials.
      const isModelText = normalized !== undefined && pieces[id].type !== PieceType.byte;
      tokens.push(isModelText ? normalized.slice(pieceStart, pieceEnd) : pieces[id].piece);
    });
    return { ids, tokens, offsets };
  }

  encodeIds(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    this.forEachToken(text, options, (id) => ids.push(id));
    return ids;
  }

  count(text: string, options: EncodeOptions = {}): number {
    let count = 0;
    this.forEachToken(text, options, () => count++);
    return count;
  }

  decode(ids: readonly number[]): string {
    return this.decoder.decode(ids);
  }

  tokenText(id: number): string {
    const entry = this.vocabulary.pieces[id];
    if (entry === undefined) throw new RangeError(`${this.name}: no token has id ${id}`);
    return entry.piece;
  }

  /**
   * Calls `onToken` with each token's id and original range; model tokens also get the normalized text and
   * their range in it. Specials (BOS, allowed control text) get no normalized text.
   */
  private forEachToken(
    text: string,
    options: EncodeOptions,
    onToken: (id: number, start: number, end: number, normalized?: string, pieceStart?: number, pieceEnd?: number) => void,
  ): void {
    if (options.addSpecialTokens && this.bosId !== undefined) onToken(this.bosId, 0, 0);
    const encodeStretch = (start: number, end: number): void => {
      const stretch = start === 0 && end === text.length ? text : text.slice(start, end);
      const { text: normalized, toOriginal } = this.normalizer.normalize(stretch);
      this.segmenter.encode(normalized, 0, normalized.length, (id, pieceStart, pieceEnd) => {
        onToken(id, start + toOriginal[pieceStart], start + toOriginal[pieceEnd], normalized, pieceStart, pieceEnd);
      });
    };
    if (options.allowSpecial) this.specials.split(text, encodeStretch, onToken);
    else encodeStretch(0, text.length);
  }

  private segmenterFor(proto: ModelProto): Segmenter {
    const { trainerSpec } = proto;
    const vocabulary = this.vocabulary;
    const handling = { unknownId: vocabulary.unknownId, fuseUnknown: !trainerSpec.byteFallback, byteIds: vocabulary.byteIds };
    switch (trainerSpec.modelType) {
      case 'unigram':
        return new UnigramModel({
          pieces: proto.pieces.map(({ piece, score, type }) => ({ piece, score, kind: unigramKind(type) })),
          unknownId: vocabulary.unknownId,
          byteFallback: trainerSpec.byteFallback,
          fuseUnknown: !trainerSpec.byteFallback,
          float32Scores: true,
        });
      case 'bpe':
        return new SpBpeModel(vocabulary, new PieceEmitter(handling));
      case 'char':
        return new SpCharModel(vocabulary, new PieceEmitter(handling));
      case 'word':
        return new SpWordModel(
          vocabulary,
          new PieceEmitter(handling),
          trainerSpec.treatWhitespaceAsSuffix,
          trainerSpec.allowWhitespaceOnlyPieces,
        );
    }
  }
}

function unigramKind(type: number): UnigramPieceKind {
  if (type === PieceType.normal) return 'normal';
  return type === PieceType.userDefined ? 'userDefined' : 'excluded';
}

function charsmapOf(spec: NormalizerSpec, file: string): PrecompiledCharsmap | undefined {
  return spec.precompiledCharsmap.length > 0 ? PrecompiledCharsmap.parse(spec.precompiledCharsmap, file) : undefined;
}
