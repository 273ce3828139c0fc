import { PieceType, type NormalizerSpec } from './modelProto';
import type { SpNormalizer } from './spNormalizer';
import type { SpVocabulary } from './spVocabulary';

const SPACE_SYMBOL = '\u2581';
const BYTE_PIECE = /^<0x([0-9A-F]{2})>$/;

/**
 * SentencePiece's Decode (sentencepiece_processor.cc): control pieces vanish, <unk> becomes unk_surface,
 * runs of byte pieces are decoded as UTF-8 with one U+FFFD per invalid byte (not per maximal subpart, as
 * TextDecoder does), ▁ becomes a space, and the dummy-prefix space of the first piece is dropped. The
 * denormalizer, when the model has one, runs over the result.
 */
export class SpDecoder {
  constructor(
    private readonly vocabulary: SpVocabulary,
    private readonly normalizerSpec: NormalizerSpec,
    private readonly unkSurface: string,
    private readonly denormalizer: SpNormalizer | undefined,
    private readonly modelName: string,
  ) {}

  decode(ids: readonly number[]): string {
    const { pieces } = this.vocabulary;
    let text = '';
    let bytes: number[] = [];
    let expectBosSpace = true;
    let bosSpaceSeen = false;
    for (const id of ids) {
      const entry = pieces[id];
      if (entry === undefined) throw new RangeError(`${this.modelName}: no token has id ${id}`);
      // sentencepiece decodes ids through their pieces, so a piece is read back as its canonical id.
      const pieceId = this.vocabulary.idOf(entry.piece);
      const type = pieces[pieceId].type;
      if (type === PieceType.byte) {
        bytes.push(parseInt(BYTE_PIECE.exec(entry.piece)![1], 16));
        continue;
      }
      text += decodeBytes(bytes);
      bytes = [];
      if (bosSpaceSeen || text.length > 0) expectBosSpace = false;
      const [decoded, consumedBosSpace] = this.decodePiece(entry.piece, type, expectBosSpace);
      bosSpaceSeen = consumedBosSpace;
      text += decoded;
    }
    text += decodeBytes(bytes);
    return this.denormalizer ? this.denormalizer.normalize(text).text : text;
  }

  /** One non-byte piece; the flag tells whether it consumed the leading dummy space. */
  private decodePiece(piece: string, type: number, expectBosSpace: boolean): [string, boolean] {
    if (type === PieceType.control) return ['', false];
    if (type === PieceType.unknown) return [this.unkSurface, false];
    const { addDummyPrefix, removeExtraWhitespaces } = this.normalizerSpec;
    let consumed = false;
    if (expectBosSpace && (addDummyPrefix || removeExtraWhitespaces) && piece.startsWith(SPACE_SYMBOL)) {
      piece = piece.slice(1);
      // With extra whitespace removed, every leading space goes, so the next piece is still at the start.
      consumed = !removeExtraWhitespaces;
    }
    return [piece.replaceAll(SPACE_SYMBOL, ' '), consumed];
  }
}

/** sentencepiece's DecodeUTF8 over a run of bytes: each invalid byte is one U+FFFD (a literal U+FFFD is valid). */
export function decodeBytes(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const [code, length] = decodeOne(bytes, i);
    out += code < 0 ? '\ufffd' : String.fromCodePoint(code);
    i += length;
  }
  return out;
}

function decodeOne(bytes: readonly number[], at: number): [code: number, length: number] {
  const b0 = bytes[at];
  const left = bytes.length - at;
  const trail = (k: number): boolean => (bytes[at + k] & 0xc0) === 0x80;
  if (b0 < 0x80) return [b0, 1];
  if (left >= 2 && (b0 & 0xe0) === 0xc0 && trail(1)) {
    const code = ((b0 & 0x1f) << 6) | (bytes[at + 1] & 0x3f);
    if (code >= 0x80) return [code, 2];
  } else if (left >= 3 && (b0 & 0xf0) === 0xe0 && trail(1) && trail(2)) {
    const code = ((b0 & 0x0f) << 12) | ((bytes[at + 1] & 0x3f) << 6) | (bytes[at + 2] & 0x3f);
    if (code >= 0x800 && (code < 0xd800 || code > 0xdfff)) return [code, 3];
  } else if (left >= 4 && (b0 & 0xf8) === 0xf0 && trail(1) && trail(2) && trail(3)) {
    const code = ((b0 & 0x07) << 18) | ((bytes[at + 1] & 0x3f) << 12) | ((bytes[at + 2] & 0x3f) << 6) | (bytes[at + 3] & 0x3f);
    if (code >= 0x10000 && code <= 0x10ffff) return [code, 4];
  }
  return [-1, 1];
}
