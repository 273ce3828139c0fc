/**
 * The arithmetic of word2vec/fastText training as a small WebAssembly module using 128-bit SIMD (four floats per
 * instruction), since JavaScript has no vector instructions and C tools with BLAS (gensim) run 3-4x faster than
 * scalar loops. Assembled here from opcodes, so the build needs no WebAssembly toolchain. It works on a shared
 * WebAssembly.Memory that holds the model, so every training thread updates the same matrices (Hogwild).
 *
 * trainExample: one training example, as fastText's Model::update over several targets:
 *   hidden = mean of the input rows; for each group of targets (a context word and its negatives, or a Huffman
 *   path), logistic updates of the output rows against `hidden`, whose summed gradient moves `hidden` and is added
 *   to every input row at the end. Skip-gram passes a centre word's rows and one group per context word; CBOW the
 *   context words' rows and one group. Returns the summed log loss. With a single input row (word2vec), `hidden` is
 *   that row itself, moved after each group: the same arithmetic without copying it in and out.
 *
 * One function with every loop inlined (V8 does not inline calls between WebAssembly functions); dot products keep
 * two accumulators, and each output row is read once per target for both of its updates.
 */
import { F32, f32Bytes, I32, kernelModuleBytes, signedLeb, unsignedLeb, V128 } from '../wasmModule';
import { MAX_SCORE, SIGMOID_SCALE, SIGMOID_TABLE_SIZE } from './sigmoidTable';

export interface SimdKernel {
  trainExample(
    hidden: number,
    gradient: number,
    windowGradient: number,
    input: number,
    output: number,
    inputRows: number,
    inputCount: number,
    targets: number,
    labels: number,
    groupEnds: number,
    groups: number,
    dim: number,
    learningRate: number,
    sigmoid: number,
    logLoss: number,
  ): number;
}

/** Instructions, spelled as the WebAssembly text format names them. */
const op = {
  get: (i: number) => [0x20, ...unsignedLeb(i)],
  set: (i: number) => [0x21, ...unsignedLeb(i)],
  i32: (n: number) => [0x41, ...signedLeb(n)],
  f32: (x: number) => [0x43, ...f32Bytes(x)],
  i32Load: [0x28, 2, 0],
  f32Load: [0x2a, 2, 0],
  f32x4Splat: [0xfd, 0x13],
  f32x4Extract: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Add: [0xfd, ...unsignedLeb(228)],
  f32x4Mul: [0xfd, ...unsignedLeb(230)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i32Shl: [0x74],
  i32Eqz: [0x45],
  i32GeU: [0x4f],
  i32GtS: [0x4a],
  i32LtS: [0x48],
  f32Add: [0x92],
  f32Sub: [0x93],
  f32Mul: [0x94],
  f32Div: [0x95],
  f32Gt: [0x5e],
  f32FromI32: [0xb2],
  i32TruncSatF32: [0xfc, 0x00],
  select: [0x1b],
  end: [0x0b],
};

/** block { loop { if (counter >= limit) break; body; counter += step; continue } } — limits compared unsigned. */
function countedLoop(counter: number, limit: number[], step: number, body: number[]): number[] {
  return [0x02, 0x40, 0x03, 0x40, ...op.get(counter), ...limit, ...op.i32GeU, 0x0d, 1, ...body, ...op.get(counter), ...op.i32(step), ...op.i32Add, ...op.set(counter), 0x0c, 0, ...op.end, ...op.end];
}

// trainExample's parameters, then its locals (i32, then f32, then v128).
const [HIDDEN, GRAD, WINDOW, INPUT, OUTPUT, INPUT_ROWS, INPUT_COUNT, TARGETS, LABELS, GROUP_ENDS, GROUPS, DIM, LR, SIGMOID, LOG_LOSS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const PARAMS = 15;
const I32_LOCALS = 14;
const [R, G, T, T_END, BASE, ROW_BYTES, IDX, K, END8, END4, END1, HID, ROW, ONE_ROW] = Array.from({ length: I32_LOCALS }, (_, i) => PARAMS + i);
const F32_LOCALS = 5;
const [STEP, LABEL, SCORE, LOSS, SCALE] = Array.from({ length: F32_LOCALS }, (_, i) => PARAMS + I32_LOCALS + i);
const V128_LOCALS = 4;
const [ACC0, ACC1, STEPV, SCALEV] = Array.from({ length: V128_LOCALS }, (_, i) => PARAMS + I32_LOCALS + F32_LOCALS + i);

/** Loads/stores four floats (v128) or one at the address in local `pointer` + K + offset. */
const load = (pointer: number, offset: number, vector: boolean): number[] => [...op.get(pointer), ...op.get(K), ...op.i32Add, ...(vector ? [0xfd, 0x00, 0] : [0x2a, 2]), ...unsignedLeb(offset)];
const store = (pointer: number, offset: number, vector: boolean, value: number[]): number[] => [...op.get(pointer), ...op.get(K), ...op.i32Add, ...value, ...(vector ? [0xfd, 0x0b, 0] : [0x38, 2]), ...unsignedLeb(offset)];
const add = (vector: boolean): number[] => (vector ? op.f32x4Add : op.f32Add);
const mul = (vector: boolean): number[] => (vector ? op.f32x4Mul : op.f32Mul);

/**
 * One pass over a row's dim floats, inlined: eight floats a step (two independent v128 chains), then four, then
 * one at a time for a dim that is not a multiple of 4. `chunk(offset, vector)` does the floats at K + offset.
 */
function rowPass(chunk: (offset: number, vector: boolean) => number[]): number[] {
  return [
    ...op.i32(0), ...op.set(K),
    ...countedLoop(K, op.get(END8), 32, [...chunk(0, true), ...chunk(16, true)]),
    ...countedLoop(K, op.get(END4), 16, chunk(0, true)),
    ...countedLoop(K, op.get(END1), 4, chunk(0, false)),
  ];
}

/** score = hidden · row, with two v128 accumulators so the adds overlap. */
const dotPass = [
  ...op.f32(0), ...op.f32x4Splat, ...op.set(ACC0),
  ...op.f32(0), ...op.f32x4Splat, ...op.set(ACC1),
  ...op.i32(0), ...op.set(K),
  ...countedLoop(K, op.get(END8), 32, [
    ...op.get(ACC0), ...load(HID, 0, true), ...load(BASE, 0, true), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC0),
    ...op.get(ACC1), ...load(HID, 16, true), ...load(BASE, 16, true), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC1),
  ]),
  ...countedLoop(K, op.get(END4), 16, [...op.get(ACC0), ...load(HID, 0, true), ...load(BASE, 0, true), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC0)]),
  ...op.get(ACC0), ...op.get(ACC1), ...op.f32x4Add, ...op.set(ACC0),
  ...op.get(ACC0), ...op.f32x4Extract(0), ...op.get(ACC0), ...op.f32x4Extract(1), ...op.f32Add,
  ...op.get(ACC0), ...op.f32x4Extract(2), ...op.get(ACC0), ...op.f32x4Extract(3), ...op.f32Add, ...op.f32Add, ...op.set(SCORE),
  ...countedLoop(K, op.get(END1), 4, [...op.get(SCORE), ...load(HID, 0, false), ...load(BASE, 0, false), ...op.f32Mul, ...op.f32Add, ...op.set(SCORE)]),
];

const splatOrScalar = (v: number, s: number, vector: boolean): number[] => op.get(vector ? v : s);

/** gradient += step · row and row += step · hidden, in one pass (the gradient sees the row before its update). */
const updatePass = rowPass((o, v) => [
  ...store(GRAD, o, v, [...load(GRAD, o, v), ...load(BASE, o, v), ...splatOrScalar(STEPV, STEP, v), ...mul(v), ...add(v)]),
  ...store(BASE, o, v, [...load(BASE, o, v), ...load(HID, o, v), ...splatOrScalar(STEPV, STEP, v), ...mul(v), ...add(v)]),
]);

const zero = (v: boolean): number[] => (v ? [...op.f32(0), ...op.f32x4Splat] : op.f32(0));

/** After a group: hidden += gradient (and, with several input rows, window += gradient); gradient = 0. */
const groupEndOneRow = rowPass((o, v) => [...store(HID, o, v, [...load(HID, o, v), ...load(GRAD, o, v), ...add(v)]), ...store(GRAD, o, v, zero(v))]);
const groupEndRows = rowPass((o, v) => [
  ...store(HID, o, v, [...load(HID, o, v), ...load(GRAD, o, v), ...add(v)]),
  ...store(WINDOW, o, v, [...load(WINDOW, o, v), ...load(GRAD, o, v), ...add(v)]),
  ...store(GRAD, o, v, zero(v)),
]);

/** Byte address of row `index` (an i32 on the stack) of a matrix at local `matrix`. */
const rowAddress = (matrix: number): number[] => [...op.get(ROW_BYTES), ...op.i32Mul, ...op.get(matrix), ...op.i32Add];
/** Loads int32 number `counter` (a count, ×4 for bytes) of the list at local `list`. */
const listItem = (list: number, counter: number, load: number[]): number[] => [...op.get(list), ...op.get(counter), ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...load];
/** Runs `then` when the i32 on the stack is non-zero, `otherwise` when it is zero. */
const ifElse = (then: number[], otherwise: number[]): number[] => [0x04, 0x40, ...then, 0x05, ...otherwise, ...op.end];

/** ROW = address of input row number R of the example. */
const inputRowR = [...listItem(INPUT_ROWS, R, op.i32Load), ...rowAddress(INPUT), ...op.set(ROW)];

const trainBody = [
  ...op.get(DIM), ...op.i32(2), ...op.i32Shl, ...op.set(ROW_BYTES),
  ...op.get(ROW_BYTES), ...op.set(END1),
  ...op.get(DIM), ...op.i32(-4), ...op.i32And, ...op.i32(2), ...op.i32Shl, ...op.set(END4),
  ...op.get(DIM), ...op.i32(-8), ...op.i32And, ...op.i32(2), ...op.i32Shl, ...op.set(END8),
  ...op.get(INPUT_COUNT), ...op.i32(1), ...op.i32Sub, ...op.i32Eqz, ...op.set(ONE_ROW),
  // The example's input: with one input row (word2vec's skip-gram), that row itself, updated after every group
  // (as word2vec.c does); with several, their mean in `hidden`, whose summed gradient goes to each row at the end.
  ...op.get(ONE_ROW),
  ...ifElse(
    [...op.i32(0), ...op.set(R), ...inputRowR, ...op.get(ROW), ...op.set(HID)],
    [
      // hidden = first row (window = 0 in the same pass), + the middle rows, then (+ the last row) / count
      ...op.get(HIDDEN), ...op.set(HID),
      ...op.i32(0), ...op.set(R), ...inputRowR,
      ...rowPass((o, v) => [...store(HID, o, v, load(ROW, o, v)), ...store(WINDOW, o, v, zero(v))]),
      ...op.i32(1), ...op.set(R),
      ...countedLoop(R, [...op.get(INPUT_COUNT), ...op.i32(1), ...op.i32Sub], 1, [...inputRowR, ...rowPass((o, v) => store(HID, o, v, [...load(HID, o, v), ...load(ROW, o, v), ...add(v)]))]),
      ...op.f32(1), ...op.get(INPUT_COUNT), ...op.f32FromI32, ...op.f32Div, ...op.set(SCALE),
      ...op.get(SCALE), ...op.f32x4Splat, ...op.set(SCALEV),
      ...inputRowR,
      ...rowPass((o, v) => store(HID, o, v, [...load(HID, o, v), ...load(ROW, o, v), ...add(v), ...splatOrScalar(SCALEV, SCALE, v), ...mul(v)])),
    ],
  ),
  ...rowPass((o, v) => store(GRAD, o, v, zero(v))),
  ...op.f32(0), ...op.set(LOSS),
  ...op.i32(0), ...op.set(T),
  ...op.i32(0), ...op.set(G),
  ...countedLoop(G, op.get(GROUPS), 1, [
    ...listItem(GROUP_ENDS, G, op.i32Load), ...op.set(T_END),
    ...countedLoop(T, op.get(T_END), 1, [
      ...listItem(TARGETS, T, op.i32Load), ...rowAddress(OUTPUT), ...op.set(BASE),
      ...listItem(LABELS, T, op.f32Load), ...op.set(LABEL),
      ...dotPass,
      // index = clamp(trunc((score + MAX) · SCALE + 0.5), 0, SIZE)
      ...op.get(SCORE), ...op.f32(MAX_SCORE), ...op.f32Add, ...op.f32(SIGMOID_SCALE), ...op.f32Mul, ...op.f32(0.5), ...op.f32Add, ...op.i32TruncSatF32, ...op.set(IDX),
      ...op.get(IDX), ...op.i32(0), ...op.get(IDX), ...op.i32(0), ...op.i32GtS, ...op.select, ...op.set(IDX),
      ...op.get(IDX), ...op.i32(SIGMOID_TABLE_SIZE), ...op.get(IDX), ...op.i32(SIGMOID_TABLE_SIZE), ...op.i32LtS, ...op.select, ...op.set(IDX),
      // step = lr · (label − sigmoid[index])
      ...op.get(LR), ...op.get(LABEL), ...listItem(SIGMOID, IDX, op.f32Load), ...op.f32Sub, ...op.f32Mul, ...op.set(STEP),
      ...op.get(STEP), ...op.f32x4Splat, ...op.set(STEPV),
      ...updatePass,
      // loss += −log σ(score) for a positive label, −log σ(−score) for a negative one
      ...op.get(LOSS),
      ...op.get(LOG_LOSS), ...op.get(IDX), ...op.i32(SIGMOID_TABLE_SIZE), ...op.get(IDX), ...op.i32Sub, ...op.get(LABEL), ...op.f32(0.5), ...op.f32Gt, ...op.select,
      ...op.i32(2), ...op.i32Shl, ...op.i32Add, ...op.f32Load, ...op.f32Add, ...op.set(LOSS),
    ]),
    ...op.get(ONE_ROW),
    ...ifElse(groupEndOneRow, groupEndRows),
  ]),
  // with several input rows: every one += the summed gradient
  ...op.get(ONE_ROW), ...op.i32Eqz,
  ...ifElse(
    [
      ...op.i32(0), ...op.set(R),
      ...countedLoop(R, op.get(INPUT_COUNT), 1, [...inputRowR, ...rowPass((o, v) => store(ROW, o, v, [...load(ROW, o, v), ...load(WINDOW, o, v), ...add(v)]))]),
    ],
    [],
  ),
  ...op.get(LOSS),
];

/** The module's bytes; it imports env.memory, a shared memory of `pages` 64 KiB pages. */
export function simdKernelBytes(pages: number): Uint8Array<ArrayBuffer> {
  return kernelModuleBytes({
    exportName: 'trainExample',
    params: [...new Array<number>(12).fill(I32), F32, I32, I32],
    results: [F32],
    memory: { min: pages, max: pages, shared: true },
    locals: [[I32_LOCALS, I32], [F32_LOCALS, F32], [V128_LOCALS, V128]],
    code: trainBody,
  });
}

/** Instantiates the kernel on `memory` (synchronously: modules this small may be compiled on any thread). */
export function instantiateSimdKernel(memory: WebAssembly.Memory, pages: number): SimdKernel {
  const module = new WebAssembly.Module(simdKernelBytes(pages));
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernel;
}
