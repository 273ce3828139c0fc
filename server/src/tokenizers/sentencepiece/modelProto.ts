import { WIRE_FIXED32, WIRE_LENGTH, WIRE_VARINT, WireReader } from './protobufWire';

/**
 * A SentencePiece `.model` file (protobuf `ModelProto`, sentencepiece_model.proto) read with a small wire-format
 * reader: only the fields encoding and decoding need, with proto2 defaults for absent ones. Unknown fields are
 * skipped, as protobuf does, so models written by newer trainers still load.
 */

export const PieceType = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;
export type PieceTypeValue = (typeof PieceType)[keyof typeof PieceType];

export interface ModelPiece {
  piece: string;
  /** A float32 in the file; the Unigram model sums these in float32 arithmetic. */
  score: number;
  type: PieceTypeValue;
}

export type ModelType = 'unigram' | 'bpe' | 'word' | 'char';
const MODEL_TYPES: Record<number, ModelType> = { 1: 'unigram', 2: 'bpe', 3: 'word', 4: 'char' };

export interface TrainerSpec {
  modelType: ModelType;
  vocabSize: number;
  byteFallback: boolean;
  treatWhitespaceAsSuffix: boolean;
  allowWhitespaceOnlyPieces: boolean;
  splitDigits: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  unkPiece: string;
  bosPiece: string;
  eosPiece: string;
  padPiece: string;
  /** What decode writes for <unk> (" ⁇ " by default). */
  unkSurface: string;
}

export interface NormalizerSpec {
  name: string;
  /** Empty when the model does not normalize characters (the "identity" rule). */
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface ModelProto {
  pieces: ModelPiece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
  /** Present only when the file has one; decode applies it to the decoded text. */
  denormalizerSpec?: NormalizerSpec;
}


/** Parses a `.model` file. Throws TokenizerLoadError naming `file` and what is wrong. */
export function readModelProto(bytes: Uint8Array, file: string): ModelProto {
  const reader = new WireReader(bytes, file, 0, bytes.length);
  const pieces: ModelPiece[] = [];
  let trainerSpec: TrainerFields | undefined;
  let normalizerSpec: NormalizerSpec | undefined;
  let denormalizerSpec: NormalizerSpec | undefined;
  reader.forEachField('ModelProto', (field, wireType) => {
    if (field < 1 || field > 5 || field === 4) return false;
    reader.expect(wireType, WIRE_LENGTH, `ModelProto field ${field}`);
    const [start, end] = reader.readLength();
    const inner = reader.child(start, end);
    if (field === 1) pieces.push(readPiece(inner, pieces.length));
    else if (field === 2) trainerSpec = readTrainerSpec(inner, trainerSpec);
    else if (field === 3) normalizerSpec = readNormalizerSpec(inner, normalizerSpec);
    else denormalizerSpec = readNormalizerSpec(inner, denormalizerSpec);
    return true;
  });
  if (pieces.length === 0) reader.fail('it has no pieces');
  return {
    pieces,
    trainerSpec: checkedTrainerSpec(reader, trainerSpec ?? TRAINER_DEFAULTS),
    normalizerSpec: normalizerSpec ?? readNormalizerSpec(reader.child(0, 0)),
    denormalizerSpec,
  };
}

function readPiece(reader: WireReader, index: number): ModelPiece {
  const result: ModelPiece = { piece: '', score: 0, type: PieceType.normal };
  reader.forEachField(`piece ${index}`, (field, wireType) => {
    if (field === 1) {
      reader.expect(wireType, WIRE_LENGTH, `piece ${index} text`);
      result.piece = reader.readString();
    } else if (field === 2) {
      reader.expect(wireType, WIRE_FIXED32, `piece ${index} score`);
      result.score = reader.readFloat32();
    } else if (field === 3) {
      reader.expect(wireType, WIRE_VARINT, `piece ${index} type`);
      const type = reader.readVarint();
      if (type < 1 || type > 6) reader.fail(`piece ${index} has unknown type ${type}`);
      result.type = type as PieceTypeValue;
    } else {
      return false;
    }
    return true;
  });
  return result;
}

/** Field number -> how to store it; a repeated sub-message (proto2 merges them) starts from the earlier result. */
type FieldTable<T> = Record<number, (reader: WireReader, wireType: number, into: T) => void>;

const varint = <T>(apply: (into: T, value: number) => void): FieldTable<T>[number] => (reader, wireType, into) => {
  reader.expect(wireType, WIRE_VARINT, 'integer field');
  apply(into, reader.readVarint());
};
const text = <T>(apply: (into: T, value: string) => void): FieldTable<T>[number] => (reader, wireType, into) => {
  reader.expect(wireType, WIRE_LENGTH, 'string field');
  apply(into, reader.readString());
};

/** TrainerSpec as read, before the model type number is checked. */
type TrainerFields = Omit<TrainerSpec, 'modelType'> & { modelType: number };

const TRAINER_FIELDS: FieldTable<TrainerFields> = {
  3: varint((spec, value) => (spec.modelType = value)),
  4: varint((spec, value) => (spec.vocabSize = value)),
  24: varint((spec, value) => (spec.treatWhitespaceAsSuffix = value !== 0)),
  25: varint((spec, value) => (spec.splitDigits = value !== 0)),
  26: varint((spec, value) => (spec.allowWhitespaceOnlyPieces = value !== 0)),
  35: varint((spec, value) => (spec.byteFallback = value !== 0)),
  40: varint((spec, value) => (spec.unkId = value)),
  41: varint((spec, value) => (spec.bosId = value)),
  42: varint((spec, value) => (spec.eosId = value)),
  43: varint((spec, value) => (spec.padId = value)),
  44: text((spec, value) => (spec.unkSurface = value)),
  45: text((spec, value) => (spec.unkPiece = value)),
  46: text((spec, value) => (spec.bosPiece = value)),
  47: text((spec, value) => (spec.eosPiece = value)),
  48: text((spec, value) => (spec.padPiece = value)),
};

const NORMALIZER_FIELDS: FieldTable<NormalizerSpec> = {
  1: text((spec, value) => (spec.name = value)),
  2: (reader, wireType, spec) => {
    reader.expect(wireType, WIRE_LENGTH, 'precompiled_charsmap');
    spec.precompiledCharsmap = reader.readBytes();
  },
  3: varint((spec, value) => (spec.addDummyPrefix = value !== 0)),
  4: varint((spec, value) => (spec.removeExtraWhitespaces = value !== 0)),
  5: varint((spec, value) => (spec.escapeWhitespaces = value !== 0)),
};

function readFields<T>(reader: WireReader, message: string, table: FieldTable<T>, into: T): T {
  reader.forEachField(message, (field, wireType) => {
    const read = table[field];
    if (!read) return false;
    read(reader, wireType, into);
    return true;
  });
  return into;
}

const TRAINER_DEFAULTS: TrainerFields = {
  modelType: 1,
  vocabSize: 8000,
  byteFallback: false,
  treatWhitespaceAsSuffix: false,
  allowWhitespaceOnlyPieces: false,
  splitDigits: false,
  unkId: 0,
  bosId: 1,
  eosId: 2,
  padId: -1,
  unkPiece: '<unk>',
  bosPiece: '<s>',
  eosPiece: '</s>',
  padPiece: '<pad>',
  unkSurface: ' \u2047 ',
};

function readTrainerSpec(reader: WireReader, earlier?: TrainerFields): TrainerFields {
  return readFields(reader, 'TrainerSpec', TRAINER_FIELDS, { ...(earlier ?? TRAINER_DEFAULTS) });
}

function checkedTrainerSpec(reader: WireReader, fields: TrainerFields): TrainerSpec {
  const modelType = MODEL_TYPES[fields.modelType];
  if (!modelType) reader.fail(`unknown model_type ${fields.modelType}`);
  return { ...fields, modelType };
}

function readNormalizerSpec(reader: WireReader, earlier?: NormalizerSpec): NormalizerSpec {
  const defaults: NormalizerSpec = {
    name: '',
    precompiledCharsmap: new Uint8Array(0),
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
  return readFields(reader, 'NormalizerSpec', NORMALIZER_FIELDS, { ...(earlier ?? defaults) });
}
