import { TokenizerLoadError } from '../types';

/**
 * The protobuf wire format, read by hand (no protobuf dependency): varints, fixed32/64, length-delimited
 * values and groups, with bounds checked everywhere so a truncated or garbled file is a load error that
 * names the file and the byte offset, never a crash.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Reads one protobuf message in bytes[start, end); errors name the file and the byte offset. */
export class WireReader {
  private pos: number;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly file: string, start: number, private readonly end: number) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Calls `onField` for each field; the handler must consume the value through the read* methods. */
  forEachField(message: string, onField: (field: number, wireType: number) => boolean): void {
    while (this.pos < this.end) {
      const tagAt = this.pos;
      const tag = this.readVarint();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 0) this.fail(`invalid field number 0 in ${message} at byte ${tagAt}`);
      if (!onField(field, wireType)) this.skip(wireType, field, tagAt);
    }
  }

  /** The low 32 bits of a varint as a signed integer: right for int32, enum and bool (negative int32 uses 10 bytes). */
  readVarint(): number {
    const start = this.pos;
    let low = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) this.fail(`truncated varint at byte ${start}`);
      const byte = this.bytes[this.pos++];
      if (shift < 32) low |= (byte & 0x7f) << shift;
      if (byte < 0x80) return low;
    }
    return this.fail(`varint longer than 10 bytes at byte ${start}`);
  }

  readFloat32(): number {
    this.need(4, 'float');
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** A length-delimited value: its [start, end) in the file. */
  readLength(): [number, number] {
    const at = this.pos;
    const length = this.readVarint() >>> 0;
    if (length > this.end - this.pos) this.fail(`length ${length} at byte ${at} runs past the end of its message (byte ${this.end})`);
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  readString(): string {
    const [start, end] = this.readLength();
    return utf8.decode(this.bytes.subarray(start, end));
  }

  readBytes(): Uint8Array {
    const [start, end] = this.readLength();
    return this.bytes.subarray(start, end);
  }

  child(start: number, end: number): WireReader {
    return new WireReader(this.bytes, this.file, start, end);
  }

  expect(wireType: number, expected: number, what: string): void {
    if (wireType !== expected) this.fail(`${what} has wire type ${wireType}, expected ${expected} (before byte ${this.pos})`);
  }

  fail(problem: string): never {
    throw new TokenizerLoadError(this.file, `not a valid SentencePiece model: ${problem}`);
  }

  private need(count: number, what: string): void {
    if (this.end - this.pos < count) this.fail(`truncated ${what} at byte ${this.pos}`);
  }

  private skip(wireType: number, field: number, tagAt: number): void {
    if (wireType === WIRE_VARINT) {
      this.readVarint();
    } else if (wireType === WIRE_LENGTH) {
      this.readLength();
    } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      const size = wireType === WIRE_FIXED64 ? 8 : 4;
      this.need(size, `fixed${size * 8}`);
      this.pos += size;
    } else if (wireType === WIRE_START_GROUP) {
      this.skipGroup(field, tagAt);
    } else {
      this.fail(`unexpected wire type ${wireType} for field ${field} at byte ${tagAt}`);
    }
  }

  private skipGroup(field: number, tagAt: number): void {
    for (;;) {
      if (this.pos >= this.end) this.fail(`group of field ${field} at byte ${tagAt} is never closed`);
      const innerAt = this.pos;
      const tag = this.readVarint();
      if ((tag & 7) === WIRE_END_GROUP) {
        if (tag >>> 3 !== field) this.fail(`group end at byte ${innerAt} closes field ${tag >>> 3}, not ${field}`);
        return;
      }
      this.skip(tag & 7, tag >>> 3, innerAt);
    }
  }
}
