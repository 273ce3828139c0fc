/**
 * What a neighbour query ranks rows by: a score combined from the row's cosines with a few query terms (unit
 * vectors). 3CosAdd has one term (the normalised mean); 3CosMul one per positive and negative word. The score is
 * increasing in each positive cosine and decreasing in each negative one, which lets the quantised index bound it
 * from approximate cosines (see neighbourSearch.ts).
 */
import type { CombineCosines } from './exactScan';

export interface Objective {
  /** Unit query vectors; cosines[t] is the row's cosine with terms[t]. */
  terms: Float32Array[];
  /** terms[0, positiveCount) raise the score, the rest lower it. */
  positiveCount: number;
  combine: CombineCosines;
}

/** Plain cosine with one unit vector (3CosAdd's mean, or any vector). */
export function cosineObjective(unitQuery: Float32Array): Objective {
  return { terms: [unitQuery], positiveCount: 1, combine: (cosines) => cosines[0] };
}

/** gensim's most_similar_cosmul: each cosine shifted to [0, 1] as (1 + cos) / 2 (Levy and Goldberg's footnote 7). */
export const COSMUL_EPSILON = 1e-6;

export function cosMulObjective(positive: Float32Array[], negative: Float32Array[]): Objective {
  const positiveCount = positive.length;
  const termCount = positive.length + negative.length;
  return {
    terms: [...positive, ...negative],
    positiveCount,
    combine: (cosines) => {
      let numerator = 1;
      let denominator = 1;
      for (let t = 0; t < positiveCount; t++) numerator *= (1 + cosines[t]) / 2;
      for (let t = positiveCount; t < termCount; t++) denominator *= (1 + cosines[t]) / 2;
      return numerator / (denominator + COSMUL_EPSILON);
    },
  };
}
