// Builds dist/: the three esbuild targets plus the CLI, and the bundled tiktoken rank files.
// Usage: node scripts/build.mjs [--watch] [--minify]
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const require = createRequire(import.meta.url);

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', absWorkingDir: root };
const targets = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  // The vector training threads' entry, started by path from the bundles above (tests start trainingThread.js in out/).
  { ...common, entryPoints: ['server/src/vectors/training/trainingThread.ts'], outfile: 'dist/vectorTrainingThread.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['webview/src/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

// The rank files come from js-tiktoken's compact tables ("! <first rank> <base64 token> …" per line).
// Each is written in the standard .tiktoken format and must hash to what OpenAI's tiktoken expects.
const RANK_FILES = {
  'cl100k_base.tiktoken': { source: 'cl100k_base', sha256: '223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7' },
  'o200k_base.tiktoken': { source: 'o200k_base', sha256: '446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d' },
  'p50k_base.tiktoken': { source: 'p50k_base', sha256: '94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069' },
  'r50k_base.tiktoken': { source: 'r50k_base', sha256: '306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930' },
};

function writeRankFiles() {
  const dir = path.join(dist, 'encodings');
  mkdirSync(dir, { recursive: true });
  for (const [file, { source, sha256 }] of Object.entries(RANK_FILES)) {
    const out = path.join(dir, file);
    if (existsSync(out) && hash(readFileSync(out)) === sha256) continue;
    const { bpe_ranks: compact } = require(`js-tiktoken/ranks/${source}`);
    const rows = [];
    for (const line of compact.split('\n')) {
      if (!line) continue;
      const [, first, ...tokens] = line.split(' ');
      tokens.forEach((token, i) => rows.push([Number(first) + i, token]));
    }
    rows.sort((a, b) => a[0] - b[0]);
    const content = Buffer.from(rows.map(([rank, token]) => `${token} ${rank}\n`).join(''));
    const actual = hash(content);
    if (actual !== sha256) throw new Error(`${file}: built from js-tiktoken it hashes to ${actual}, not tiktoken's ${sha256}`);
    writeFileSync(out, content);
  }
}

function hash(buffer) {
  return createHash('sha256').update(buffer).digest('hex');
}

writeRankFiles();
if (watch) {
  for (const options of targets) await (await esbuild.context(options)).watch();
  console.log('watching for changes…');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
}
