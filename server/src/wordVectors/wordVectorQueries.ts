/** The embeddingLens/wordVectorQuery kinds answered from the engine's similarity queries. */
import type { WordNeighbour, WordVectorQuery, WordVectorQueryResult } from '../protocol';
import { analogy, doesntMatch, doesntMatchScores, mostSimilar, type Neighbour } from '../vectors/similarity';
import type { WordVectors } from '../vectors/wordVectors';

export function answerQuery(vectors: WordVectors, query: WordVectorQuery): WordVectorQueryResult {
  switch (query.kind) {
    case 'similar': {
      const options = { topn: query.topn, restrictVocab: query.restrictVocab };
      return { kind: 'similar', query, neighbours: plain(mostSimilar(vectors, query.positive, query.negative ?? [], options)) };
    }
    case 'analogy': {
      const options = { topn: query.topn, restrictVocab: query.restrictVocab, method: query.method };
      return { kind: 'analogy', query, neighbours: plain(analogy(vectors, query.a, query.b, query.c, options)) };
    }
    case 'doesntMatch': {
      const odd = doesntMatch(vectors, query.words);
      return { kind: 'doesntMatch', query, odd, similarities: similaritiesToMean(vectors, query.words) };
    }
  }
}

/** Each known word once, least similar to the mean first: what Doesn't Match ranks by, so the answer can be judged. */
function similaritiesToMean(vectors: WordVectors, words: readonly string[]): WordNeighbour[] {
  const seen = new Set<string>();
  return doesntMatchScores(vectors, words)
    .filter(({ word }) => !seen.has(word) && seen.add(word))
    .sort((a, b) => a.similarity - b.similarity);
}

function plain(neighbours: readonly Neighbour[]): WordNeighbour[] {
  return neighbours.map(({ word, similarity }) => ({ word, similarity }));
}
