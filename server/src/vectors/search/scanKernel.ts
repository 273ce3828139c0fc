/**
 * The quantised scan as a tiny WebAssembly SIMD module, encoded here byte by byte (no assembler is needed at build
 * time). Its one function, in WAT terms:
 *
 *   (func $scan (param $rows $stride $rowCount $queries $queryCount $rowScales $queryScales $out $outStride i32)
 *     for r in [0, rowCount):                       ;; rows: int8, `stride` bytes each (a multiple of 16, zero-padded)
 *       for q in [0, queryCount):                   ;; queries: int16, `stride` values each
 *         acc = i32x4(0)
 *         for k in [0, stride) step 16:
 *           x = v128.load(rows + r·stride + k)
 *           acc += i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(x),  v128.load(queries + 2(q·stride + k)))
 *           acc += i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(x), v128.load(queries + 2(q·stride + k) + 16))
 *         out[q·outStride + r] = f32(sum of acc's lanes) · rowScales[r] · queryScales[q]
 *
 * The int8 × int16 products are exact in int32 (the index keeps |row·query| below 2^31), so only the conversion to
 * float and the two scalings round. dot_i16x8_s is one instruction on x86 (pmaddwd) and Arm (smull + addp).
 */
import { I32, kernelModuleBytes, unsignedLeb, V128 } from '../wasmModule';

const enum Op {
  Block = 0x02,
  Loop = 0x03,
  End = 0x0b,
  Br = 0x0c,
  BrIf = 0x0d,
  LocalGet = 0x20,
  LocalSet = 0x21,
  LocalTee = 0x22,
  F32Load = 0x2a,
  F32Store = 0x38,
  I32Const = 0x41,
  I32GeU = 0x4f,
  I32LtU = 0x49,
  I32Add = 0x6a,
  I32Mul = 0x6c,
  F32Mul = 0x94,
  F32ConvertI32S = 0xb2,
  SimdPrefix = 0xfd,
}

/** Opcodes after the 0xfd prefix (LEB128-encoded). */
const enum SimdOp {
  V128Load = 0x00,
  V128Const = 0x0c,
  I32x4ExtractLane = 0x1b,
  I16x8ExtendLowI8x16S = 0x87,
  I16x8ExtendHighI8x16S = 0x88,
  I32x4Add = 0xae,
  I32x4DotI16x8S = 0xba,
}

const VOID_BLOCK = 0x40;

/** Small non-negative i32 constants only (all this module needs). */
function i32Const(value: number): number[] {
  if (value < 0 || value > 63) throw new Error('scan kernel: constant out of range');
  return [Op.I32Const, value];
}

const simd = (op: SimdOp): number[] => [Op.SimdPrefix, ...unsignedLeb(op)];
const get = (local: number): number[] => [Op.LocalGet, local];
const set = (local: number): number[] => [Op.LocalSet, local];
const tee = (local: number): number[] => [Op.LocalTee, local];
/** A memory access's alignment (log2 bytes) and constant offset. */
const memarg = (alignLog2: number, offset = 0): number[] => [alignLog2, ...unsignedLeb(offset)];

// Parameters and locals of $scan.
const ROWS = 0;
const STRIDE = 1;
const ROW_COUNT = 2;
const QUERIES = 3;
const QUERY_COUNT = 4;
const ROW_SCALES = 5;
const QUERY_SCALES = 6;
const OUT = 7;
const OUT_STRIDE = 8; // floats from one query's scores to the next's (threads scan slices of the rows)
const PARAMETERS = 9;
const R = 9; // row
const Q = 10; // query
const K = 11; // byte offset in the row
const ROW_PTR = 12;
const QUERY_PTR = 13; // the current query's first int16
const ACC = 14; // v128
const X = 15; // v128

function scanBody(): number[] {
  const horizontalSum = [
    ...get(ACC), ...simd(SimdOp.I32x4ExtractLane), 0,
    ...get(ACC), ...simd(SimdOp.I32x4ExtractLane), 1, Op.I32Add,
    ...get(ACC), ...simd(SimdOp.I32x4ExtractLane), 2, Op.I32Add,
    ...get(ACC), ...simd(SimdOp.I32x4ExtractLane), 3, Op.I32Add,
  ];
  const addDot = (queryOffset: number, extend: SimdOp): number[] => [
    ...get(ACC),
    ...get(X), ...simd(extend),
    ...get(QUERY_PTR), ...get(K), ...i32Const(1), 0x74 /* i32.shl */, Op.I32Add,
    ...simd(SimdOp.V128Load), ...memarg(4, queryOffset),
    ...simd(SimdOp.I32x4DotI16x8S),
    ...simd(SimdOp.I32x4Add),
    ...set(ACC),
  ];
  const code = [
    ...i32Const(0), ...set(R),
    Op.Block, VOID_BLOCK, // $done
    Op.Loop, VOID_BLOCK, // $rows
    ...get(R), ...get(ROW_COUNT), Op.I32GeU, Op.BrIf, 1,
    ...get(ROWS), ...get(R), ...get(STRIDE), Op.I32Mul, Op.I32Add, ...set(ROW_PTR),
    ...i32Const(0), ...set(Q),
    ...get(QUERIES), ...set(QUERY_PTR),
    Op.Loop, VOID_BLOCK, // $queries
    ...simd(SimdOp.V128Const), ...new Array<number>(16).fill(0), ...set(ACC),
    ...i32Const(0), ...set(K),
    Op.Loop, VOID_BLOCK, // $columns
    ...get(ROW_PTR), ...get(K), Op.I32Add, ...simd(SimdOp.V128Load), ...memarg(4), ...set(X),
    ...addDot(0, SimdOp.I16x8ExtendLowI8x16S),
    ...addDot(16, SimdOp.I16x8ExtendHighI8x16S),
    ...get(K), ...i32Const(16), Op.I32Add, ...tee(K), ...get(STRIDE), Op.I32LtU, Op.BrIf, 0,
    Op.End, // $columns
    // out[q·outStride + r] = f32(Σ acc) · rowScales[r] · queryScales[q]
    ...get(OUT), ...get(Q), ...get(OUT_STRIDE), Op.I32Mul, ...get(R), Op.I32Add, ...i32Const(2), 0x74, Op.I32Add,
    ...horizontalSum, Op.F32ConvertI32S,
    ...get(ROW_SCALES), ...get(R), ...i32Const(2), 0x74, Op.I32Add, Op.F32Load, ...memarg(2), Op.F32Mul,
    ...get(QUERY_SCALES), ...get(Q), ...i32Const(2), 0x74, Op.I32Add, Op.F32Load, ...memarg(2), Op.F32Mul,
    Op.F32Store, ...memarg(2),
    ...get(QUERY_PTR), ...get(STRIDE), ...i32Const(1), 0x74, Op.I32Add, ...set(QUERY_PTR),
    ...get(Q), ...i32Const(1), Op.I32Add, ...tee(Q), ...get(QUERY_COUNT), Op.I32LtU, Op.BrIf, 0,
    Op.End, // $queries
    ...get(R), ...i32Const(1), Op.I32Add, ...set(R),
    Op.Br, 0,
    Op.End, // $rows
    Op.End, // $done
  ];
  return code;
}

/** The module's bytes; it imports its memory as env.memory (shared when the scan is split across threads). */
export function scanKernelBytes(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({
    exportName: 'scan',
    params: new Array<number>(PARAMETERS).fill(I32), // → ()
    results: [],
    memory: sharedMemory ? { min: 1, max: 65536, shared: true } : { min: 1 },
    locals: [[5, I32], [2, V128]],
    code: scanBody(),
  });
}

export type ScanFunction = (
  rows: number, stride: number, rowCount: number, queries: number, queryCount: number, rowScales: number, queryScales: number, out: number,
  outStride: number,
) => void;

/** The compiled module, once per process and kind of memory (worker threads receive it compiled). */
export function scanKernelModule(sharedMemory: boolean): WebAssembly.Module {
  const module = (sharedMemory ? compiledShared : compiledPlain) ?? new WebAssembly.Module(scanKernelBytes(sharedMemory));
  if (sharedMemory) compiledShared = module;
  else compiledPlain = module;
  return module;
}

/** The scan bound to `memory`. */
export function instantiateScan(memory: WebAssembly.Memory, sharedMemory: boolean): ScanFunction {
  const instance = new WebAssembly.Instance(scanKernelModule(sharedMemory), { env: { memory } });
  return instance.exports.scan as ScanFunction;
}

let compiledPlain: WebAssembly.Module | undefined;
let compiledShared: WebAssembly.Module | undefined;
