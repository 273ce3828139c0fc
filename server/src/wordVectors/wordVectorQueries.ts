/** The embeddingLens/wordVectorQuery kinds answered from the engine's similarity queries. */
import type { WordNeighbour, WordVectorQuery, WordVectorQueryResult } from '../protocol';
import { analogy, doesntMatchScores, mostSimilar, oddOneOut, type Neighbour } from '../vectors/similarity';
import type { WordVectors } from '../vectors/wordVectors';
import { InvalidParams, optionalChoice, optionalStrings, optionalWholeNumber, paramsObject, requiredString } from '../requestErrors';

/** Neighbours one query may ask for. */
const MAX_QUERY_TOPN = 1000;

/** The query as sent, checked field by field (any LSP client may send one); InvalidParams says what is wrong. */
export function checkedQuery(raw: unknown): WordVectorQuery {
  const params = paramsObject(raw, 'word-vector query');
  const topn = (): number | undefined => optionalWholeNumber(params, 'topn', 1, MAX_QUERY_TOPN);
  const restrictVocab = (): number | undefined => optionalWholeNumber(params, 'restrictVocab', 0, Number.MAX_SAFE_INTEGER);
  switch (params.kind) {
    case 'similar':
      return { kind: 'similar', positive: wordList(params, 'positive'), negative: optionalStrings(params, 'negative'), topn: topn(), restrictVocab: restrictVocab() };
    case 'analogy': {
      const [a, b, c] = ['a', 'b', 'c'].map((key) => requiredString(params, key));
      return { kind: 'analogy', a, b, c, method: optionalChoice(params, 'method', ['add', 'mul'] as const), topn: topn(), restrictVocab: restrictVocab() };
    }
    case 'doesntMatch':
      return { kind: 'doesntMatch', words: wordList(params, 'words') };
    default:
      throw new InvalidParams(`unknown query kind ${JSON.stringify(params.kind)}: similar, analogy or doesntMatch`);
  }
}

function wordList(params: Record<string, unknown>, key: string): string[] {
  const words = optionalStrings(params, key, true);
  if (!words?.length) throw new InvalidParams(`${key} is required (a non-empty array of words)`);
  return words;
}

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
      const scores = doesntMatchScores(vectors, query.words);
      return { kind: 'doesntMatch', query, odd: oddOneOut(scores, query.words), similarities: leastSimilarFirst(scores) };
    }
  }
}

/** Each known word once, least similar to the mean first: what Doesn't Match ranks by, so the answer can be judged. */
function leastSimilarFirst(scores: readonly WordNeighbour[]): WordNeighbour[] {
  const seen = new Set<string>();
  return scores
    .filter(({ word }) => !seen.has(word) && seen.add(word))
    .sort((a, b) => a.similarity - b.similarity);
}

function plain(neighbours: readonly Neighbour[]): WordNeighbour[] {
  return neighbours.map(({ word, similarity }) => ({ word, similarity }));
}
