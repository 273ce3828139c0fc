import { NOT_FOUND, PieceTable } from '../pieceTable';
import { TokenizerLoadError } from '../types';
import { PieceType, type ModelPiece, type ModelProto } from './modelProto';
import { byteFallbackIds } from './pieceEmitter';
import { PrefixTrie } from './prefixTrie';

const BYTE_PIECE = /^<0x([0-9A-F]{2})>$/;

/**
 * The pieces of a SentencePiece model as its ModelInterface sees them (model_interface.cc InitializePieces):
 * NORMAL, USER_DEFINED and UNUSED pieces are matchable text; CONTROL, UNKNOWN and BYTE pieces are reserved
 * and found only by their id or exact text. Loading checks what sentencepiece checks and fails the same way.
 */
export class SpVocabulary {
  readonly pieces: readonly ModelPiece[];
  readonly unknownId: number;
  /** Id of each <0xNN> piece when the model has byte fallback. */
  readonly byteIds: Int32Array | undefined;
  /** User-defined symbols, which the normalizer and the BPE/char models never split; undefined when none. */
  readonly userDefined: PrefixTrie | undefined;
  private readonly matchable: PieceTable;
  private readonly reserved: PieceTable;

  constructor(proto: ModelProto, file: string) {
    const { pieces } = proto;
    const fail = (problem: string): never => {
      throw new TokenizerLoadError(file, problem);
    };
    this.pieces = pieces;
    this.matchable = new PieceTable(pieces.length);
    this.reserved = new PieceTable(64);
    let unknownId = -1;
    let userDefined: PrefixTrie | undefined;
    const bytesSeen = new Set<number>();
    pieces.forEach(({ piece, type }, id) => {
      if (piece.length === 0) fail(`piece ${id} is empty`);
      const isMatchable = type === PieceType.normal || type === PieceType.userDefined || type === PieceType.unused;
      const table = isMatchable ? this.matchable : this.reserved;
      if (table.get(piece, 0, piece.length) !== NOT_FOUND) fail(`piece ${JSON.stringify(piece)} (id ${id}) is already defined`);
      table.add(piece, id);
      if (type === PieceType.userDefined) (userDefined ??= new PrefixTrie()).add(piece, id);
      if (type === PieceType.unknown) {
        if (unknownId >= 0) fail(`two unknown pieces (ids ${unknownId} and ${id})`);
        unknownId = id;
      }
      if (type === PieceType.byte) {
        if (!proto.trainerSpec.byteFallback) fail(`byte piece ${piece} (id ${id}) is found although byte_fallback is false`);
        const match = BYTE_PIECE.exec(piece);
        if (!match) fail(`byte piece ${JSON.stringify(piece)} (id ${id}) is not of the form <0xNN>`);
        bytesSeen.add(parseInt(match![1], 16));
      }
    });
    if (unknownId < 0) fail('no unknown piece is defined');
    if (proto.trainerSpec.byteFallback && bytesSeen.size < 256) {
      fail(`byte_fallback is on but only ${bytesSeen.size} of the 256 byte pieces exist`);
    }
    this.unknownId = unknownId;
    this.userDefined = userDefined;
    this.byteIds = byteFallbackIds(proto.trainerSpec.byteFallback, (piece) => this.reservedId(piece));
  }

  /** sentencepiece's PieceToId for text[start, end): reserved pieces first, then matchable ones, else unknown. */
  idOf(text: string, start = 0, end = text.length): number {
    const reserved = this.reserved.get(text, start, end);
    if (reserved !== NOT_FOUND) return reserved;
    const id = this.matchable.get(text, start, end);
    return id === NOT_FOUND ? this.unknownId : id;
  }

  /** The id of a matchable piece (NORMAL, USER_DEFINED, UNUSED), or NOT_FOUND. */
  matchableId(text: string, start: number, end: number): number {
    return this.matchable.get(text, start, end);
  }

  typeOf(id: number): number {
    return this.pieces[id].type;
  }

  private reservedId(piece: string): number | undefined {
    const id = this.reserved.get(piece, 0, piece.length);
    return id === NOT_FOUND ? undefined : id;
  }
}
