/** The hover's word-vector section: the hovered word's nearest neighbours with their cosine similarities. */
import type { WordNeighbour } from '../protocol';
import { inlineCode } from '../tokenLens/tokenDisplay';

export interface NeighboursSection {
  /** The word as found in the vectors (maybe lower-cased from the text). */
  word: string;
  /** The vectors file's short name, e.g. `word2vec-skipgram-100.vec`. */
  vectors: string;
  neighbours: WordNeighbour[];
  /** True when the word has no row and its vector came from fastText subwords. */
  fromSubwords: boolean;
}

export function neighboursMarkdown({ word, vectors, neighbours, fromSubwords }: NeighboursSection): string {
  const origin = fromSubwords ? ' (not in the vocabulary: vector from its character n-grams)' : '';
  const title = `**Word vectors** · ${vectors} · nearest to ${inlineCode(word)}${origin}`;
  if (neighbours.length === 0) return `${title}\n\nNo neighbours.`;
  // One line of "word similarity" pairs: a table would push the token section out of a hover's height.
  const list = neighbours.map(({ word: neighbour, similarity }) => `${inlineCode(neighbour)} ${similarity.toFixed(3)}`).join(' · ');
  return `${title}\n\n${list}`;
}
