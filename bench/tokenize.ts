/**
 * npm run bench:tokenize — throughput of our tiktoken engine beside the JavaScript peers in one run,
 * the pathological inputs, and hover latency through a real LSP client. Numbers, not assertions.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol';
import { TokenizerCatalog } from '../server/src/tokenizers/catalog';
import { LspTestClient } from '../test/support/lspClient';
import { repoRoot, sharedDir } from '../test/support/paths';
import { mulberry32 } from '../test/support/random';

const MB = 1024 * 1024;
const RUNS = 3;

interface Encoder {
  name: string;
  encode(text: string): number;
  free?(): void;
}

/** The first `bytes` of a UTF-8 file, cut at a line break. */
function prefix(file: string, bytes: number): string {
  const text = readFileSync(file).subarray(0, bytes).toString('utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** MB/s of the median of RUNS timed runs, after one warm-up run on the first MB. */
function throughput(encoder: Encoder, text: string): { mbps: number; tokens: number } {
  const megabytes = Buffer.byteLength(text) / MB;
  encoder.encode(text.slice(0, MB));
  const times: number[] = [];
  let tokens = 0;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    tokens = encoder.encode(text);
    times.push((performance.now() - start) / 1000);
  }
  return { mbps: megabytes / median(times), tokens };
}

async function peerEncoders(encoding: 'cl100k_base' | 'o200k_base'): Promise<Encoder[]> {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks = (await import(`js-tiktoken/ranks/${encoding}`)).default;
  const jsTiktoken = new Tiktoken(ranks);
  const gptTokenizer = await import(`gpt-tokenizer/encoding/${encoding}`);
  const { get_encoding } = await import('tiktoken');
  const wasm = get_encoding(encoding);
  return [
    { name: 'js-tiktoken', encode: (t) => jsTiktoken.encode(t).length },
    { name: 'gpt-tokenizer', encode: (t) => gptTokenizer.encode(t).length },
    { name: 'tiktoken (WASM)', encode: (t) => wasm.encode(t, [], []).length, free: () => wasm.free() },
  ];
}

async function benchThroughput(corpora: Record<string, string>): Promise<void> {
  console.log(`\n## Throughput (MB/s, median of ${RUNS} runs after a warm-up; higher is better)\n`);
  for (const encoding of ['cl100k_base', 'o200k_base'] as const) {
    const ours = await new TokenizerCatalog().load(encoding);
    const encoders: Encoder[] = [{ name: 'embedding-lens', encode: (t) => ours.encodeIds(t).length }, ...(await peerEncoders(encoding))];
    for (const [corpus, text] of Object.entries(corpora)) {
      const rows = encoders.map((encoder) => ({ encoder: encoder.name, ...throughput(encoder, text) }));
      const [mine, ...peers] = rows;
      const fastest = peers.reduce((a, b) => (b.mbps > a.mbps ? b : a));
      console.log(`${encoding} · ${corpus}`);
      for (const row of rows) {
        const agrees = row.tokens === mine.tokens ? '' : `  (token count ${row.tokens} differs from ours ${mine.tokens}!)`;
        console.log(`  ${row.encoder.padEnd(16)} ${row.mbps.toFixed(2).padStart(7)} MB/s  ${row.tokens} tokens${agrees}`);
      }
      console.log(`  ratio to the fastest peer (${fastest.encoder}): ${(mine.mbps / fastest.mbps).toFixed(2)}x (target ≥ 1.5x)\n`);
    }
    for (const encoder of encoders) encoder.free?.();
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
    const peers = await peerEncoders(encoding);
    for (const [label, text] of Object.entries(inputs)) {
      const start = performance.now();
      const tokens = ours.encodeIds(text).length;
      const seconds = (performance.now() - start) / 1000;
      // The peers' merge loops are quadratic on one long piece: a whole MB would run for hours, so they
      // get the first 8 KB, and the figure is their time for those 8 KB alone (not per MB).
      const small = text.slice(0, 8 * 1024);
      const peerFigures = peers.map((peer) => {
        const t0 = performance.now();
        peer.encode(small);
        return `${peer.name} ${((performance.now() - t0) / 1000).toFixed(3)} s`;
      });
      console.log(`  ${encoding} ${label.padEnd(24)} ours ${seconds.toFixed(3)} s/MB (${tokens} tokens) · peers for just 8 KB: ${peerFigures.join(', ')}`);
    }
    for (const peer of peers) peer.free?.();
  }
}

async function benchHover(text: string): Promise<void> {
  console.log('\n## Hover latency through an LSP client over stdio (5 MB document, cl100k_base)\n');
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
  if (!sharedDir) {
    console.error('bench:tokenize needs ../shared (corpora) beside the checkout; it is absent.');
    process.exit(1);
  }
  const gutenberg = path.join(sharedDir, 'corpora', 'gutenberg_en_60MB.txt');
  // Code corpus: TypeScript's own compiler (a pinned devDependency), so every run reads the same 10 MB.
  const codeFiles = ['typescript.js', '_tsc.js'].map((f) => path.join(repoRoot, 'node_modules', 'typescript', 'lib', f));
  const code = codeFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
  const codeText = code.slice(0, code.lastIndexOf('\n', 10 * MB) + 1);
  const corpora = { 'gutenberg 10 MB': prefix(gutenberg, 10 * MB), 'code 10 MB (TypeScript compiler JS)': codeText };
  console.log(`# bench:tokenize · node ${process.version} · ${new Date().toISOString()}`);
  for (const [name, text] of Object.entries(corpora)) console.log(`  ${name}: ${(Buffer.byteLength(text) / MB).toFixed(2)} MB`);
  await benchThroughput(corpora);
  await benchPathological();
  await benchHover(prefix(gutenberg, 5 * MB));
}

void main();
