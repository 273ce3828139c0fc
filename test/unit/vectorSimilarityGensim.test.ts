/**
 * Our queries against gensim's KeyedVectors on the shared GloVe file: most_similar (negatives, restrict_vocab),
 * most_similar_cosmul, doesnt_match and similarity, from the fixture scripts/gensim-queries.py writes. gensim sums in
 * float32 with BLAS, we in double, so similarities agree to 1e-5 and the words in order.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { doesntMatch, mostSimilar, mostSimilarCosMul, similarity, type Neighbour } from '../../server/src/vectors/similarity';
import { searchNeighbours } from '../../server/src/vectors/search/neighbourSearch';
import { cosineObjective } from '../../server/src/vectors/search/objective';
import { readVectorFile } from '../../server/src/vectors/vectorFiles';
import { repoRoot, sharedDir, skipWithoutShared } from '../support/paths';

interface NeighbourQuery {
  positive: string[];
  negative: string[];
  topn: number;
  restrict_vocab?: number;
  result: Array<[string, number]>;
}

interface GensimQueries {
  vectors: string;
  mostSimilar: NeighbourQuery[];
  mostSimilarCosmul: NeighbourQuery[];
  doesntMatch: Array<{ words: string[]; result: string }>;
  similarity: Array<{ words: [string, string]; result: number }>;
}

const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/vectors/gensim-queries.json'), 'utf8')) as GensimQueries;

function assertSameNeighbours(ours: Neighbour[], gensim: Array<[string, number]>, context: string): void {
  assert.deepEqual(ours.map((n) => n.word), gensim.map(([word]) => word), context);
  ours.forEach((n, i) => assert.ok(Math.abs(n.similarity - gensim[i][1]) < 1e-5, `${context}: ${n.word} ${n.similarity} vs gensim ${gensim[i][1]}`));
}

test('most_similar, most_similar_cosmul, doesnt_match and similarity agree with gensim on the shared GloVe file', { skip: skipWithoutShared }, async () => {
  const { vectors } = await readVectorFile(path.join(sharedDir!, fixture.vectors), { format: 'glove' });
  for (const q of fixture.mostSimilar) {
    const options = { topn: q.topn, restrictVocab: q.restrict_vocab };
    assertSameNeighbours(mostSimilar(vectors, q.positive, q.negative, options), q.result, `most_similar +${q.positive} -${q.negative}`);
  }
  for (const q of fixture.mostSimilarCosmul) {
    assertSameNeighbours(mostSimilarCosMul(vectors, q.positive, q.negative, { topn: q.topn }), q.result, `most_similar_cosmul +${q.positive} -${q.negative}`);
  }
  for (const q of fixture.doesntMatch) assert.equal(doesntMatch(vectors, q.words), q.result, `doesnt_match ${q.words}`);
  for (const q of fixture.similarity) assert.ok(Math.abs(similarity(vectors, ...q.words) - q.result) < 1e-6, `similarity ${q.words}`);

  // The file is below the size where queries take the index: force it once, it must answer the same.
  const query = vectors.unitVectors().slice(0, vectors.dim);
  assert.deepEqual(
    searchNeighbours(vectors, cosineObjective(query), 10, vectors.size, new Set([0]), 'indexed'),
    searchNeighbours(vectors, cosineObjective(query), 10, vectors.size, new Set([0]), 'exact'),
  );
});
