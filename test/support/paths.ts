import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, from a compiled test under out/test/... or a source file under test/... */
export const repoRoot = ((): string => {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'server'))) return dir;
  }
  throw new Error(`repository root not found above ${__dirname}`);
})();

/** ../shared beside the checkout (reference data for tests and benchmarks), or undefined when absent. */
export const sharedDir: string | undefined = ((): string | undefined => {
  const dir = process.env.EMBEDDING_LENS_SHARED ?? path.join(repoRoot, '..', 'shared');
  return existsSync(path.join(dir, 'tokenizers')) ? dir : undefined;
})();

/** node:test's `skip` option: a message when ../shared is absent, false when present. */
export const skipWithoutShared: string | false = sharedDir ? false : `../shared is absent beside ${repoRoot}: reference-data tests skipped`;

export const distDir = path.join(repoRoot, 'dist');
