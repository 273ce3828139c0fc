import { NO_VALUE, type PrefixTrie } from './prefixTrie';

/** Receives one token: its id and [start, end) in UTF-16 units of the text being encoded. */
export type TokenSink = (id: number, start: number, end: number) => void;

export interface UnknownHandling {
  /** The id for text no piece covers; undefined: such text is an error (HF's Unigram without unk_id). */
  unknownId: number | undefined;
  /** Consecutive unknown pieces become one (SentencePiece without byte fallback, and HF's Unigram always). */
  fuseUnknown: boolean;
  /** Id of each byte's <0xNN> piece (-1 where absent); undefined: no byte fallback. */
  byteIds: Int32Array | undefined;
  /**
   * HF looks a fused unknown stretch up as a piece before falling back (it finds the literal unk piece text);
   * SentencePiece does not. Undefined: no lookup.
   */
  pieces?: PrefixTrie;
}

/** Id of each <0xNN> piece found by `idOf`, or undefined when `byteFallback` is off. */
export function byteFallbackIds(byteFallback: boolean, idOf: (piece: string) => number | undefined): Int32Array | undefined {
  if (!byteFallback) return undefined;
  const ids = new Int32Array(256);
  for (let byte = 0; byte < 256; byte++) ids[byte] = idOf(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`) ?? -1;
  return ids;
}

/**
 * The last step of a model's output, shared by the Unigram and BPE models: known pieces pass through;
 * unknown ones are fused into runs and/or spelled as byte pieces. Byte pieces all get the range of the
 * unknown stretch they spell (one char in SentencePiece, the fused run in HF).
 *
 * Use: begin(), piece() for each model piece in order, end().
 */
export class PieceEmitter {
  private text = '';
  private sink: TokenSink = () => undefined;
  private runStart = -1;
  private runEnd = -1;

  constructor(private readonly handling: UnknownHandling) {}

  begin(text: string, sink: TokenSink): void {
    this.text = text;
    this.sink = sink;
    this.runStart = -1;
  }

  piece(id: number, start: number, end: number): void {
    const { unknownId, fuseUnknown } = this.handling;
    if (id !== unknownId) {
      this.flushRun();
      this.sink(id, start, end);
    } else if (!fuseUnknown) {
      this.unknown(start, end);
    } else {
      if (this.runStart < 0) this.runStart = start;
      this.runEnd = end;
    }
  }

  end(): void {
    this.flushRun();
  }

  private flushRun(): void {
    if (this.runStart < 0) return;
    this.unknown(this.runStart, this.runEnd);
    this.runStart = -1;
  }

  private unknown(start: number, end: number): void {
    const { unknownId, byteIds, pieces } = this.handling;
    const known = pieces ? pieces.get(this.text, start, end) : NO_VALUE;
    if (known !== NO_VALUE) {
      this.sink(known, start, end);
      return;
    }
    if (byteIds && this.emitBytes(byteIds, start, end)) return;
    if (unknownId === undefined) {
      throw new Error(`no token covers ${JSON.stringify(this.text.slice(start, end))} and the model has no unknown token`);
    }
    this.sink(unknownId, start, end);
  }

  /** The stretch as byte pieces; false (nothing emitted) when one of its bytes has no piece. */
  private emitBytes(byteIds: Int32Array, start: number, end: number): boolean {
    const bytes = Buffer.from(this.text.slice(start, end), 'utf8');
    for (const byte of bytes) if (byteIds[byte] < 0) return false;
    for (const byte of bytes) this.sink(byteIds[byte], start, end);
    return true;
  }
}
