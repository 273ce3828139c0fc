/**
 * npm run bench:tokenize — throughput of every tokenizer family beside its peers in one run (tiktoken encodings,
 * Hugging Face tokenizer.json models, the Llama-2 SentencePiece model), the pathological inputs, and hover latency
 * through a real LSP client. Numbers, not assertions.
 *
 * `--mb N` sets the corpus size (default 10; use 1 while developing), `--only families,llama2` picks sections.
 * Run under `node --expose-gc` so every timed run starts from a collected heap (the npm script does).
 */
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { TokenizerCatalog } from '../server/src/tokenizers/catalog';
import { LspTestClient } from '../test/support/lspClient';
import { repoRoot } from '../test/support/paths';
import { mulberry32 } from '../test/support/random';
import { compareEngines } from './comparison';
import { codeCorpus, gutenbergFile, prefix, requireShared, ScratchDir } from './corpora';
import { grouped, isUnavailable, MB, mib, nonEmptyLines, percentile, tryEngine, workload, type Engine, type Unavailable, type Workload } from './measure';
import { benchOptions, wants } from './options';
import { HF_JS, HF_RUST, huggingFaceJsEngine, huggingFaceRustEngine, OURS, ourEngine, sentencePieceEncodeEngine, SPM_ENCODE, tiktokenPeers } from './peers';

const SECTIONS = ['tiktoken', 'families', 'llama2', 'pathological', 'hover'] as const;
/** The Hugging Face tokenizer.json models of the issue, one per family: WordPiece, byte-level BPE, Unigram, SentencePiece-style BPE. */
const HF_MODELS = ['bert-base-uncased', 'roberta-base', 't5-small', 'mistral-7b-instruct-v0.3'] as const;

interface Corpus {
  name: string;
  text: string;
  whole: Workload;
  lines: Workload;
}

function corpus(name: string, text: string): Corpus {
  const lines = nonEmptyLines(text);
  return { name, text, whole: workload('whole text (1 call)', [text]), lines: workload(`per line (${grouped(lines.length)} calls)`, lines) };
}

function freeAll(engines: readonly (Engine | Unavailable)[]): void {
  for (const engine of engines) if (!isUnavailable(engine)) engine.free?.();
}

async function benchTiktoken(corpora: readonly Corpus[]): Promise<void> {
  console.log('\n## tiktoken encodings (MB/s, median of up to 3 runs after a warm-up; higher is better)\n');
  for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
    const engines = [await tryEngine(OURS, () => ourEngine(new TokenizerCatalog(), encoding)), ...(await tiktokenPeers(encoding))];
    for (const { name, whole } of corpora) {
      await compareEngines({ title: `${encoding} · ${name}`, engines, workloads: [whole], reference: 'tiktoken (WASM)', targets: [{ min: 1.5 }] });
    }
    freeAll(engines);
  }
}

async function benchFamilies(shared: string, corpora: readonly Corpus[]): Promise<void> {
  console.log('## Hugging Face tokenizer.json models (MB/s; token counts checked against the Rust tokenizers)\n');
  console.log(`  ${HF_RUST}: encode() for the whole text, one encodeBatch() for the lines, on one thread like ours.\n`);
  for (const model of HF_MODELS) {
    const file = path.join(shared, 'tokenizers', model, 'tokenizer.json');
    const engines = [
      await tryEngine(OURS, () => ourEngine(new TokenizerCatalog(), file)),
      await tryEngine(HF_JS, () => huggingFaceJsEngine(file)),
      await tryEngine(HF_RUST, () => huggingFaceRustEngine(file)),
    ];
    for (const { name, whole, lines } of corpora) {
      await compareEngines({
        title: `${model} · ${name}`,
        engines,
        workloads: [whole, lines],
        reference: HF_RUST,
        targets: [
          { peer: HF_JS, min: 2 },
          { peer: HF_RUST, min: 0.5 },
        ],
      });
    }
  }
}

/** spm_encode reads lines, so every engine gets the lines; the HF engines load the same model converted to tokenizer.json. */
async function benchLlama2(shared: string, corpora: readonly Corpus[], scratch: ScratchDir): Promise<void> {
  console.log('## Llama-2 SentencePiece model (per line, as spm_encode reads its input; MB/s)\n');
  const model = path.join(shared, 'tokenizers', 'llama2-sentencepiece', 'tokenizer.model');
  const converted = path.join(shared, 'tokenizers', 'llama2-hf', 'tokenizer.json');
  const spm = sentencePieceEncodeEngine(model, scratch);
  const engines = [
    await tryEngine(OURS, () => ourEngine(new TokenizerCatalog(), model)),
    spm,
    await tryEngine(HF_JS, () => huggingFaceJsEngine(converted)),
    await tryEngine(HF_RUST, () => huggingFaceRustEngine(converted)),
  ];
  // spm_encode has no thread option; its CPU time over wall time shows how many cores it kept busy.
  const spmCores = (): string | undefined => {
    const run = spm.lastRun;
    if (run?.cpuSeconds === undefined) return undefined;
    return `spm_encode kept ${(run.cpuSeconds / run.seconds).toFixed(2)} cores busy (CPU ${run.cpuSeconds.toFixed(2)} s in ${run.seconds.toFixed(2)} s, process start and model load included)`;
  };
  for (const { name, lines } of corpora) {
    await compareEngines({ title: `llama2 · ${name}`, engines, workloads: [lines], reference: SPM_ENCODE, targets: [{ peer: SPM_ENCODE, min: 1 }], footnote: spmCores });
  }
}

async function benchPathological(): Promise<void> {
  console.log('## Pathological inputs (seconds per MB; lower is better; target < 0.5)\n');
  const random = mulberry32(42);
  const inputs: Record<string, string> = {
    '1 MB of "a"': 'a'.repeat(MB),
    '1 MB of spaces': ' '.repeat(MB),
    '1 MB of "!"': '!'.repeat(MB),
    '1 MB random-letter word': Array.from({ length: MB }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join(''),
  };
  for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
    const ours = await new TokenizerCatalog().load(encoding);
    const peers = await tiktokenPeers(encoding);
    for (const [label, text] of Object.entries(inputs)) {
      const start = performance.now();
      const tokens = ours.encodeIds(text).length;
      const seconds = (performance.now() - start) / 1000;
      // The peers' merge loops are quadratic on one long piece: a whole MB would run for hours, so they
      // get the first 8 KB, and the figure is their time for those 8 KB alone (not per MB).
      const small = workload('8 KB', [text.slice(0, 8 * 1024)]);
      const peerFigures: string[] = [];
      for (const peer of peers) {
        const t0 = performance.now();
        await peer.encode(small);
        peerFigures.push(`${peer.name} ${((performance.now() - t0) / 1000).toFixed(3)} s`);
      }
      console.log(`  ${encoding} ${label.padEnd(24)} ours ${seconds.toFixed(3)} s/MB (${tokens} tokens) · peers for just 8 KB: ${peerFigures.join(', ')}`);
    }
    freeAll(peers);
  }
}

async function benchHover(text: string): Promise<void> {
  console.log(`\n## Hover latency through an LSP client over stdio (${mib(Buffer.byteLength(text))} document, cl100k_base)\n`);
  const client = new LspTestClient();
  await client.initialize();
  const uri = `file://${path.join(repoRoot, 'bench-hover.txt')}`;
  await client.open(uri, text);
  const lines = text.split('\n');
  const random = mulberry32(7);
  const hover = async (): Promise<number> => {
    let line: number;
    do line = Math.floor(random() * lines.length);
    while (lines[line].length === 0);
    const character = Math.floor(random() * lines[line].length);
    const start = performance.now();
    await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
    return performance.now() - start;
  };
  const cold = await hover();
  const times: number[] = [];
  for (let i = 0; i < 200; i++) times.push(await hover());
  await client.stop();
  console.log(`  first hover (loads the tokenizer): ${cold.toFixed(1)} ms`);
  console.log(`  200 hovers: p50 ${percentile(times, 50).toFixed(2)} ms · p95 ${percentile(times, 95).toFixed(2)} ms (target p95 < 15 ms)`);
}

async function main(): Promise<void> {
  const options = benchOptions('out/bench/tokenize.js', 10, SECTIONS);
  const shared = requireShared('bench:tokenize');
  const gutenberg = gutenbergFile(shared);
  const bytes = options.mb * MB;
  const corpora = [corpus(`gutenberg ${options.mb} MB`, prefix(gutenberg, bytes)), corpus(`code ${options.mb} MB (TypeScript compiler JS)`, codeCorpus(bytes))];
  console.log(`# bench:tokenize · node ${process.version} · ${new Date().toISOString()}`);
  for (const { name, text, lines } of corpora) console.log(`  ${name}: ${mib(Buffer.byteLength(text))}, ${grouped(lines.texts.length)} non-empty lines`);
  const scratch = new ScratchDir();
  try {
    if (wants(options, 'tiktoken')) await benchTiktoken(corpora);
    if (wants(options, 'families')) await benchFamilies(shared, corpora);
    if (wants(options, 'llama2')) await benchLlama2(shared, corpora, scratch);
    if (wants(options, 'pathological')) await benchPathological();
    if (wants(options, 'hover')) await benchHover(prefix(gutenberg, Math.min(bytes, 5 * MB)));
  } finally {
    scratch.dispose();
  }
}

void main();
