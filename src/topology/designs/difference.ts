/**
 * Difference families: a λ = 1 design as all translates of a few base blocks in an abelian group
 * (docs/octopus-generators.md "octopus-bibd: every pair shares one device"). Two searches:
 *
 * - cyclic (and Z_p × Z_p): (v−1)/(k(k−1)) base blocks in a group of order v whose differences
 *   cover every non-zero element once, e.g. 2-(25,4,1) and 2-(37,4,1);
 * - 1-rotational: points Z_m ∪ {∞} (m = v−1), one short orbit {∞, 0, m/(k−1), 2m/(k−1), …}
 *   that covers the differences of the subgroup of order k−1, and (m−k+1)/(k(k−1)) full base
 *   blocks covering the rest, e.g. 2-(16,4,1), 2-(28,4,1), 2-(40,4,1) (v ≡ 4 mod 12 for k = 4).
 *
 * Both are bounded depth-first searches, deterministic (elements tried in ascending order).
 */
import { primePower } from './gf.ts';
import type { BlockDesign } from './types.ts';

const sortBlock = (b: number[]): number[] => b.sort((x, y) => x - y);

/** An abelian group of order v as add/neg tables: Z_v, or Z_p × Z_p when `square` is set. */
function group(
  v: number,
  square: boolean,
): { add: (a: number, b: number) => number; neg: (a: number) => number } {
  if (!square) return { add: (a, b) => (a + b) % v, neg: (a) => (v - a) % v };
  const p = Math.round(Math.sqrt(v));
  return {
    add: (a, b) => ((Math.floor(a / p) + Math.floor(b / p)) % p) * p + (((a % p) + (b % p)) % p),
    neg: (a) => ((p - Math.floor(a / p)) % p) * p + ((p - (a % p)) % p),
  };
}

type Group = ReturnType<typeof group>;

/**
 * Depth-first search for `t` base blocks of size k, each containing 0, in a group of order v,
 * whose differences cover every element not pre-marked in `used` exactly once. At most `budget`
 * search nodes; undefined when none is found within it.
 */
function searchBases(
  G: Group,
  v: number,
  k: number,
  t: number,
  used: Uint8Array,
  budget: number,
): number[][] | undefined {
  const bases: number[][] = [];
  let nodes = 0;
  const diffOk = (block: number[], x: number, mark: number[]): boolean => {
    for (const y of block) {
      const d1 = G.add(x, G.neg(y));
      const d2 = G.add(y, G.neg(x));
      if (used[d1] === 1 || used[d2] === 1 || d1 === d2) return false;
      used[d1] = 1;
      used[d2] = 1;
      mark.push(d1, d2);
    }
    return true;
  };
  const search = (block: number[], start: number): boolean => {
    if (++nodes > budget) return false;
    if (block.length === k) {
      bases.push([...block]);
      if (bases.length === t) return true;
      // the next base block starts at 0 and its second element above the previous one's (symmetry)
      if (search([0], (bases[bases.length - 1]?.[1] ?? 0) + 1)) return true;
      bases.pop();
      return false;
    }
    for (let x = start; x < v; x++) {
      const mark: number[] = [];
      if (diffOk(block, x, mark)) {
        block.push(x);
        if (search(block, x + 1)) return true;
        block.pop();
      }
      for (const d of mark) used[d] = 0;
    }
    return false;
  };
  if (t === 0) return [];
  return search([0], 1) ? bases : undefined;
}

/**
 * Searches a (v, k, 1) difference family with (v−1)/(k(k−1)) base blocks, each containing 0, in
 * Z_v and (for v = p²) Z_p × Z_p; the design is all translates of the base blocks. Bounded
 * depth-first search (at most `budget` nodes); undefined when none is found within it.
 */
export function differenceFamily(
  v: number,
  k: number,
  budget = 2_000_000,
): BlockDesign | undefined {
  if ((v - 1) % (k * (k - 1)) !== 0) return undefined;
  const t = (v - 1) / (k * (k - 1));
  const p = Math.round(Math.sqrt(v));
  const groups = [false, ...(p * p === v && primePower(p)?.[1] === 1 ? [true] : [])];
  for (const square of groups) {
    const G = group(v, square);
    const used = new Uint8Array(v);
    used[0] = 1;
    const bases = searchBases(G, v, k, t, used, budget);
    if (bases !== undefined) {
      const blocks: number[][] = [];
      for (const base of bases)
        for (let g = 0; g < v; g++) blocks.push(sortBlock(base.map((x) => G.add(x, g))));
      return { points: v, blockSize: k, blocks, construction: 'difference-family' };
    }
  }
  return undefined;
}

/**
 * Searches a 1-rotational (v, k, 1) difference family over Z_m ∪ {∞}, m = v − 1 (see the file
 * header): applies when (k−1) divides m and k(k−1) divides m − k + 1. Point ∞ is v − 1. Bounded
 * like {@link differenceFamily}; undefined when the shape does not apply or nothing is found.
 */
export function oneRotationalFamily(
  v: number,
  k: number,
  budget = 2_000_000,
): BlockDesign | undefined {
  const m = v - 1;
  if (k < 3 || m % (k - 1) !== 0 || (m - k + 1) % (k * (k - 1)) !== 0 || m - k + 1 < 0)
    return undefined;
  const step = m / (k - 1);
  const t = (m - k + 1) / (k * (k - 1));
  const G = group(m, false);
  const used = new Uint8Array(m);
  used[0] = 1;
  for (let j = 1; j < k - 1; j++) used[j * step] = 1; // covered by the short orbit
  const bases = searchBases(G, m, k, t, used, budget);
  if (bases === undefined) return undefined;
  const blocks: number[][] = [];
  for (let g = 0; g < step; g++)
    blocks.push(sortBlock([...Array.from({ length: k - 1 }, (_, j) => g + j * step), m]));
  for (const base of bases)
    for (let g = 0; g < m; g++) blocks.push(sortBlock(base.map((x) => G.add(x, g))));
  return { points: v, blockSize: k, blocks, construction: 'one-rotational' };
}
