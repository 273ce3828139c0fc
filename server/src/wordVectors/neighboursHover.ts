/** The word-vector section of the hover: the hovered word's nearest neighbours in the active vectors. */
import * as path from 'node:path';
import { mostSimilar } from '../vectors/similarity';
import type { WordVectors } from '../vectors/wordVectors';
import { neighboursMarkdown } from './neighboursMarkdown';
import { lookupSpellings, wordAt } from './wordAt';

/**
 * Markdown for the word of `line` at `offset` (UTF-16 units): its `topn` nearest neighbours, or undefined when there
 * is no word there or the vectors do not know it (for fastText models every word gets a vector from its n-grams).
 */
export function neighboursHover(vectors: WordVectors, file: string, line: string, offset: number, topn: number): string | undefined {
  const span = wordAt(line, offset, (word) => lookupSpellings(word).some((spelling) => vectors.has(spelling)));
  if (!span || topn <= 0) return undefined;
  const spellings = lookupSpellings(span.word);
  const known = spellings.find((spelling) => vectors.has(spelling));
  // Subword vectors only for words with no row in any spelling; the lower-cased spelling is the likely one.
  const word = known ?? (vectors.subwords ? span.word.toLowerCase() : undefined);
  if (word === undefined) return undefined;
  const neighbours = mostSimilar(vectors, [word], [], { topn });
  return neighboursMarkdown({ word, vectors: path.basename(file), neighbours, fromSubwords: known === undefined });
}
