/** Seeded randomness for property tests and benchmarks, so a failure can be replayed. */

export type Random = () => number;

/** mulberry32: a small, fast 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A test file's seed: its own default, or EMBEDDING_LENS_TEST_SEED to explore others. */
export function testSeed(fallback: number): number {
  return Number(process.env.EMBEDDING_LENS_TEST_SEED ?? fallback) >>> 0;
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
export const int = (random: Random, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
