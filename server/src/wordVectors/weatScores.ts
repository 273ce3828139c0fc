/** The WEAT part of embeddingLens/evaluateWordVectors: built-in sets by id, then the tests of each JSON file. */
import type { WeatRequest, WeatScores } from '../protocol';
import { weat } from '../vectors/evaluation/weat';
import { readWeatFile } from '../vectors/evaluation/weatFile';
import { WEAT_SETS, weatSet, type WeatWordSets } from '../vectors/evaluation/weatSets';
import type { WordVectors } from '../vectors/wordVectors';

/** `resolve` makes a given path absolute (workspace-relative ones). Unknown ids and bad files are errors that say so. */
export async function weatScores(vectors: WordVectors, request: WeatRequest, resolve: (file: string) => string): Promise<WeatScores[]> {
  const builtIn = (request.sets ?? []).map((id) => weatSet(id) ?? unknownSet(id));
  const fromFiles: { file: string; title: string; sets: WeatWordSets }[] = [];
  for (const given of request.files ?? []) {
    const file = resolve(given);
    for (const sets of await readWeatFile(file)) fromFiles.push({ file, title: sets.title, sets });
  }
  const run = (name: string, sets: WeatWordSets): Omit<WeatScores, 'id' | 'file' | 'title'> => {
    try {
      const { effectSize, pValue, permutations, exact, missing } = weat(vectors, sets);
      return { effectSize, pValue, permutations, exact, missing };
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`);
    }
  };
  return [
    ...builtIn.map((set) => ({ id: set.id, title: set.title, ...run(set.id, set) })),
    ...fromFiles.map(({ file, title, sets }) => ({ file, title, ...run(`${file} (${title})`, sets) })),
  ];
}

function unknownSet(id: string): never {
  throw new Error(`unknown WEAT set "${id}"; the sets are ${WEAT_SETS.map((set) => set.id).join(', ')}`);
}
