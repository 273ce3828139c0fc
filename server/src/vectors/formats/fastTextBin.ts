/**
 * fastText 0.9's .bin format (Facebook's FastText::saveModel), read and written:
 *   int32 magic 793712314, int32 version 12;
 *   args: int32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn, maxn, lrUpdateRate; float64 t;
 *   dictionary: int32 size, nwords, nlabels; int64 ntokens, pruneidx size; per entry the word's bytes and a NUL,
 *     int64 count, int8 type (0 word, 1 label); pruneidx pairs of int32;
 *   bool quantized; input matrix int64 rows, int64 columns, rows × columns float32;
 *   bool quantized output; output matrix the same way.
 * All little-endian. Quantized models (.ftz) store product-quantized matrices instead and are refused.
 */
import type { FastTextArgs, FastTextLoss, FastTextModel, FastTextModelKind } from '../fastTextModel';
import { finishInSlices } from '../chunkedWork';
import { writeFileAtomicallyWith } from './atomicFile';
import { withChunkedReader, type ChunkedReader } from './chunkedReader';
import { firstNonFiniteWork } from './finiteFloats';
import { VectorFileError, type VectorReadOptions } from './vectorFileError';
import { strictUtf8Decoder } from './wordBytes';

export const FASTTEXT_MAGIC = 793712314;
const FASTTEXT_VERSION = 12;
const LOSSES: readonly FastTextLoss[] = ['hs', 'ns', 'softmax', 'ova']; // fastText's enum values 1..4
const MODELS: readonly FastTextModelKind[] = ['cbow', 'skipgram', 'supervised']; // 1..3
const MAX_WORD_BYTES = 1 << 16;
const ARGS_BYTES = 12 * 4 + 8;
const DICTIONARY_HEADER_BYTES = 3 * 4 + 2 * 8;

export interface FastTextReadOptions extends VectorReadOptions {
  /** Also read the output matrix (needed to write the model again, not for its vectors). */
  withOutput?: boolean;
}

export async function readFastTextBin(file: string, options: FastTextReadOptions = {}): Promise<FastTextModel> {
  return withChunkedReader(file, options, async (reader) => {
    const fail = (problem: string): never => {
      throw new VectorFileError(file, problem);
    };
    const need = async (bytes: number, what: string): Promise<void> => {
      if (!(await reader.ensure(bytes))) fail(`truncated: the file ends at byte ${reader.size}, inside the ${what} (from byte offset ${reader.offsetOf(reader.pos)})`);
    };
    if (reader.size === 0) fail('empty file');
    await need(8, 'signature');
    const magic = reader.buffer.readInt32LE(reader.pos);
    const version = reader.buffer.readInt32LE(reader.pos + 4);
    if (magic !== FASTTEXT_MAGIC) fail(`not a fastText .bin model (it starts with ${magic}, not fastText's ${FASTTEXT_MAGIC})`);
    if (version > FASTTEXT_VERSION) fail(`fastText format version ${version} is newer than the ${FASTTEXT_VERSION} this reader knows`);
    reader.pos += 8;

    await need(ARGS_BYTES, 'arguments');
    const args = readArgs(reader, fail);
    // fastText's own rule: supervised models of version 11 had no character n-grams.
    if (version === 11 && args.model === 'supervised') args.maxn = 0;

    await need(DICTIONARY_HEADER_BYTES, 'dictionary header');
    const b = reader.buffer;
    const size = b.readInt32LE(reader.pos);
    const nwords = b.readInt32LE(reader.pos + 4);
    const nlabels = b.readInt32LE(reader.pos + 8);
    const tokenCount = Number(b.readBigInt64LE(reader.pos + 12));
    const pruneSize = Number(b.readBigInt64LE(reader.pos + 20));
    reader.pos += DICTIONARY_HEADER_BYTES;
    if (nwords < 0 || nlabels < 0 || size !== nwords + nlabels) fail(`malformed dictionary: ${size} entries, ${nwords} words and ${nlabels} labels`);
    // An entry takes at least 10 bytes (a NUL, its count and its type).
    if (size * 10 > reader.size) fail(`truncated or malformed dictionary: ${size} entries cannot fit in the file's ${reader.size} bytes`);

    const words: string[] = [];
    const counts = new Float64Array(nwords);
    const decoder = strictUtf8Decoder();
    for (let i = 0; i < size; i++) {
      const start = reader.offsetOf(reader.pos);
      let nul: number;
      while ((nul = reader.buffer.subarray(0, reader.end).indexOf(0, reader.pos)) < 0) {
        if (reader.end - reader.pos > MAX_WORD_BYTES) fail(`malformed dictionary entry ${i + 1} at byte offset ${start}: no end to its word within ${MAX_WORD_BYTES} bytes`);
        if (!(await reader.more())) fail(`truncated: the file ends inside dictionary entry ${i + 1} (byte offset ${start})`);
      }
      let word = '';
      try {
        word = decoder.decode(reader.buffer.subarray(reader.pos, nul));
      } catch {
        fail(`dictionary entry ${i + 1} at byte offset ${start}: invalid UTF-8 in the word`);
      }
      reader.pos = nul + 1;
      await need(9, `dictionary entry ${i + 1} ("${word}")`);
      const count = Number(reader.buffer.readBigInt64LE(reader.pos));
      const type = reader.buffer.readInt8(reader.pos + 8);
      reader.pos += 9;
      if (type !== (i < nwords ? 0 : 1)) fail(`malformed dictionary entry ${i + 1} ("${word}"): type ${type}, but words (0) come first, then labels (1)`);
      if (i < nwords) {
        words.push(word);
        counts[i] = count;
      }
    }
    if (pruneSize > 0 && !reader.skip(pruneSize * 8)) fail(`truncated: the file ends inside the pruned-bucket index`);

    await need(1, 'quantization flag');
    if (reader.buffer[reader.pos] !== 0) fail('a quantized fastText model (.ftz): its vectors are compressed, which this reader does not support; use the .bin model');
    reader.pos += 1;
    if (pruneSize > 0) fail('malformed model: a pruned dictionary without quantization');

    const input = await readMatrix(reader, 'input matrix', need, fail, options.signal);
    if (input.rows !== nwords + args.bucket || input.columns !== args.dim) {
      fail(`malformed model: the input matrix is ${input.rows} × ${input.columns}, but ${nwords} words + ${args.bucket} buckets × ${args.dim} dimensions were expected`);
    }
    await need(1, 'output quantization flag');
    reader.pos += 1;
    let output: Float32Array = new Float32Array(0);
    if (options.withOutput) output = (await readMatrix(reader, 'output matrix', need, fail, options.signal)).data;
    else {
      await need(16, 'output matrix header');
      const { rows, columns } = matrixShape(reader);
      if (!reader.skip(rows * columns * 4)) fail(`truncated: the output matrix (${rows} × ${columns}) runs past the end of the file at byte ${reader.size}`);
    }
    return { args, words, counts, input: input.data, output, tokenCount };
  });
}

function readArgs(reader: ChunkedReader, fail: (problem: string) => never): FastTextArgs {
  const b = reader.buffer;
  const int = (i: number): number => b.readInt32LE(reader.pos + 4 * i);
  const lossCode = int(6);
  const modelCode = int(7);
  const loss = LOSSES[lossCode - 1] ?? fail(`malformed arguments: unknown loss ${lossCode}`);
  const model = MODELS[modelCode - 1] ?? fail(`malformed arguments: unknown model ${modelCode}`);
  const args: FastTextArgs = {
    dim: int(0),
    ws: int(1),
    epoch: int(2),
    minCount: int(3),
    neg: int(4),
    wordNgrams: int(5),
    loss,
    model,
    bucket: int(8),
    minn: int(9),
    maxn: int(10),
    lrUpdateRate: int(11),
    t: b.readDoubleLE(reader.pos + 48),
  };
  reader.pos += ARGS_BYTES;
  if (args.dim <= 0 || args.bucket < 0 || args.minn < 0 || args.maxn < 0) fail(`malformed arguments: dim ${args.dim}, bucket ${args.bucket}, minn ${args.minn}, maxn ${args.maxn}`);
  return args;
}

function matrixShape(reader: ChunkedReader): { rows: number; columns: number } {
  const rows = Number(reader.buffer.readBigInt64LE(reader.pos));
  const columns = Number(reader.buffer.readBigInt64LE(reader.pos + 8));
  reader.pos += 16;
  return { rows, columns };
}

/** A dense matrix, read straight into its Float32Array; NaN or an infinity in it is an error naming its place. */
async function readMatrix(
  reader: ChunkedReader,
  what: string,
  need: (bytes: number, what: string) => Promise<void>,
  fail: (problem: string) => never,
  signal: AbortSignal | undefined,
): Promise<{ rows: number; columns: number; data: Float32Array }> {
  await need(16, `${what} header`);
  const start = reader.offsetOf(reader.pos);
  const { rows, columns } = matrixShape(reader);
  if (rows < 0 || columns < 0 || start + 16 + rows * columns * 4 > reader.size) {
    fail(`truncated: the ${what} (${rows} × ${columns} floats from byte offset ${start + 16}) runs past the end of the file at byte ${reader.size}`);
  }
  const data = new Float32Array(rows * columns);
  if (!(await reader.readInto(new Uint8Array(data.buffer)))) fail(`truncated: the file ends inside the ${what}`);
  const bad = await finishInSlices(firstNonFiniteWork(data), data.length, { signal });
  if (bad >= 0) {
    const row = Math.floor(bad / columns);
    fail(`the ${what} holds ${data[bad]} at row ${row + 1}, column ${(bad % columns) + 1} (byte offset ${start + 16 + 4 * bad}); a model's values must be finite numbers`);
  }
  return { rows, columns, data };
}

/** Writes the model as fastText 0.9 does, so `fasttext` loads it; atomically. */
export async function writeFastTextBin(file: string, model: FastTextModel): Promise<void> {
  const { args, words, input, output } = model;
  const problem = modelProblem(model);
  if (problem) throw new VectorFileError(file, `cannot write the fastText model: ${problem}`);
  await writeFileAtomicallyWith(file, async (sink) => {
    const head = Buffer.alloc(8 + ARGS_BYTES + DICTIONARY_HEADER_BYTES);
    let at = head.writeInt32LE(FASTTEXT_MAGIC, 0);
    at = head.writeInt32LE(FASTTEXT_VERSION, at);
    const ints = [args.dim, args.ws, args.epoch, args.minCount, args.neg, args.wordNgrams, LOSSES.indexOf(args.loss) + 1, MODELS.indexOf(args.model) + 1, args.bucket, args.minn, args.maxn, args.lrUpdateRate];
    for (const value of ints) at = head.writeInt32LE(value, at);
    at = head.writeDoubleLE(args.t, at);
    at = head.writeInt32LE(words.length, at); // entries
    at = head.writeInt32LE(words.length, at); // words
    at = head.writeInt32LE(0, at); // labels
    let tokenCount = model.tokenCount ?? 0;
    if (model.tokenCount === undefined) for (let i = 0; i < words.length; i++) tokenCount += model.counts[i];
    at = head.writeBigInt64LE(BigInt(Math.round(tokenCount)), at);
    head.writeBigInt64LE(-1n, at); // no pruned-bucket index
    await sink.bytes(head);
    const entryTail = Buffer.alloc(10);
    for (let i = 0; i < words.length; i++) {
      entryTail.writeUInt8(0, 0); // the word's NUL
      entryTail.writeBigInt64LE(BigInt(Math.round(model.counts[i])), 1);
      entryTail.writeInt8(0, 9); // a word, not a label
      await sink.text(words[i]);
      await sink.bytes(entryTail);
    }
    await sink.bytes(Uint8Array.of(0)); // not quantized
    await writeMatrix(sink, input, words.length + args.bucket, args.dim);
    await sink.bytes(Uint8Array.of(0)); // output not quantized
    await writeMatrix(sink, output, output.length / args.dim, args.dim);
  });
}

async function writeMatrix(sink: { bytes(bytes: Uint8Array): Promise<void> }, data: Float32Array, rows: number, columns: number): Promise<void> {
  const shape = Buffer.alloc(16);
  shape.writeBigInt64LE(BigInt(rows), 0);
  shape.writeBigInt64LE(BigInt(columns), 8);
  await sink.bytes(shape);
  await sink.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function modelProblem(model: FastTextModel): string | undefined {
  const { args, words, counts, input, output } = model;
  if (!LOSSES.includes(args.loss)) return `unknown loss "${args.loss}"`;
  if (!MODELS.includes(args.model)) return `unknown model "${args.model}"`;
  if (!(args.dim > 0) || args.bucket < 0) return `dim ${args.dim} and bucket ${args.bucket} are not valid`;
  if (counts.length !== words.length) return `${words.length} words but ${counts.length} counts`;
  if (input.length !== (words.length + args.bucket) * args.dim) return `the input matrix has ${input.length} floats, not (${words.length} words + ${args.bucket} buckets) × ${args.dim}`;
  if (output.length % args.dim !== 0) return `the output matrix has ${output.length} floats, not a multiple of ${args.dim}`;
  const bad = words.find((word) => word === '' || word.includes('\0'));
  if (bad !== undefined) return `the word ${JSON.stringify(bad)} cannot be stored (empty, or containing a NUL)`;
  return undefined;
}
