/** Seeded randomness for property tests and benchmarks, so a failure can be replayed. */

import { seededRandom } from '../../server/src/vectors/seededRandom';

export type Random = () => number;

/** mulberry32, the engine's seeded generator: returns numbers in [0, 1). */
export const mulberry32: (seed: number) => Random = seededRandom;

/** A test file's seed: its own default, or EMBEDDING_LENS_TEST_SEED to explore others. */
export function testSeed(fallback: number): number {
  return Number(process.env.EMBEDDING_LENS_TEST_SEED ?? fallback) >>> 0;
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
export const int = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
