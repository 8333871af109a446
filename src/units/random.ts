/**
 * The seeded PRNG behind every random choice in podsim (docs/design.md: one seed drives all
 * randomness). mulberry32: 32-bit state, fast, good enough for simulation draws; hand-written
 * because it is 8 lines and a dependency would add nothing.
 */

/** A generator of floats in [0, 1). */
export type Random = () => number;

/** mulberry32 seeded with a 32-bit integer. Same seed → same sequence. */
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

/** Integer in [0, n). */
export function randomInt(rand: Random, n: number): number {
  return Math.floor(rand() * n);
}

/** Fisher–Yates shuffle in place, deterministic for the generator. */
export function shuffleInPlace<T>(rand: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
  return items;
}
