/**
 * How `octopus-islands` splits the hosts into islands (docs/octopus-generators.md
 * "Choosing the islands"). An island of s = r(N−1)+1 hosts is a λ = 1 design on r < X ports;
 * every host's other X − r ports go to inter-island devices, each joining N different islands,
 * so a split needs at least N islands. Rule, when `islandSize` is not given:
 *
 * 1. equal islands: the largest island size with a design that divides the host count into ≥ N
 *    islands (this is the split podsim always chose when one existed);
 * 2. otherwise two island sizes a·s₁ + b·s₂ (s₁ > s₂, big islands first) with ≥ N islands and
 *    port balance — no island holds more than 1/N of all inter-island ports, else some of its
 *    ports could never meet N − 1 other islands — choosing the most host pairs inside islands,
 *    then the fewest islands;
 * 3. otherwise a `generator.no-islands` error naming the nearest host counts below and above
 *    that split, with their splits.
 */
import { GeneratorError } from '../../errors/index.ts';
import { tryBibd, type BlockDesign } from '../designs/index.ts';
import type { OctopusIslandsParams } from './types.ts';

/** One island kind: its size, the ports its design uses and the design. */
export interface IslandKind {
  readonly size: number;
  readonly ports: number;
  readonly design: BlockDesign;
}

/** Islands in host order: `islands[i]` is the kind of island i. */
export type IslandSplit = readonly IslandKind[];

/** Island sizes s = r(N−1)+1 (r = intra-island ports, 1 ≤ r < X) that have a design, largest first. */
export function islandSizes(
  hostPorts: number,
  devicePorts: number,
  maxSize = Number.POSITIVE_INFINITY,
): IslandKind[] {
  const out: IslandKind[] = [];
  for (let r = hostPorts - 1; r >= 1; r--) {
    if (r * (devicePorts - 1) + 1 > maxSize) continue;
    const d = tryBibd(r, devicePorts);
    if (d !== undefined) out.push({ size: d.points, ports: r, design: d });
  }
  return out;
}

const pairs = (s: number): number => (s * (s - 1)) / 2;

/** Whether a split leaves every island at most 1/N of the inter-island ports. */
function balanced(split: IslandSplit, X: number, N: number): boolean {
  const ports = split.map((k) => k.size * (X - k.ports));
  const total = ports.reduce((a, b) => a + b, 0);
  return ports.every((p) => p * N <= total);
}

/** The automatic split for `hosts` (rules 1 and 2 of the file header), or undefined. */
export function autoSplit(
  hosts: number,
  X: number,
  N: number,
  sizes: readonly IslandKind[] = islandSizes(X, N, Math.floor(hosts / N)),
): IslandSplit | undefined {
  const equal = sizes.find((k) => hosts % k.size === 0 && hosts / k.size >= N);
  if (equal !== undefined) return Array<IslandKind>(hosts / equal.size).fill(equal);
  let best: { split: IslandSplit; score: number } | undefined;
  for (const big of sizes)
    for (const small of sizes) {
      if (small.size >= big.size) continue;
      for (let a = 1; a * big.size < hosts; a++) {
        const rest = hosts - a * big.size;
        if (rest % small.size !== 0) continue;
        const b = rest / small.size;
        const split = [...Array<IslandKind>(a).fill(big), ...Array<IslandKind>(b).fill(small)];
        if (a + b < N || !balanced(split, X, N)) continue;
        const score = a * pairs(big.size) + b * pairs(small.size);
        if (
          best === undefined ||
          score > best.score ||
          (score === best.score && split.length < best.split.length)
        )
          best = { split, score };
      }
    }
  return best?.split;
}

/** A split written for messages: "6 islands of 16" or "2 islands of 16 + 4 of 4". */
export function describeSplit(split: IslandSplit): string {
  const runs: { size: number; count: number }[] = [];
  for (const k of split) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last.size === k.size) last.count++;
    else runs.push({ size: k.size, count: 1 });
  }
  return runs
    .map((r, i) => `${r.count}${i === 0 ? ` island${r.count === 1 ? '' : 's'}` : ''} of ${r.size}`)
    .join(' + ');
}

/** The nearest host counts below and above `hosts` that {@link autoSplit} can split. */
function nearestSplittable(
  hosts: number,
  X: number,
  N: number,
  sizes: readonly IslandKind[],
): string {
  const out: string[] = [];
  const look = (h: number): boolean => {
    const s = h >= 2 ? autoSplit(h, X, N, sizes) : undefined;
    if (s !== undefined) out.push(`${h} hosts (${describeSplit(s)})`);
    return s !== undefined;
  };
  for (let h = hosts - 1; h >= 2 && !look(h); h--);
  for (let h = hosts + 1; h <= hosts + 4 * X * N * N && !look(h); h++);
  return out.join(', ') || 'none nearby';
}

/**
 * The island split to use: equal islands of `islandSize` when given, else {@link autoSplit}.
 * @throws GeneratorError `generator.no-islands` naming the island sizes with a design and the
 *   nearest host counts that split
 */
export function chooseSplit(params: OctopusIslandsParams): IslandSplit {
  const { hosts, hostPorts: X, devicePorts: N } = params;
  // sizes up to the host count: enough for this split and for the nearest counts in the message
  const sizes = islandSizes(X, N, Math.max(hosts, 2));
  if (params.islandSize === undefined) {
    const split = autoSplit(hosts, X, N, sizes);
    if (split !== undefined) return split;
  } else {
    const k = sizes.find((s) => s.size === params.islandSize);
    if (k !== undefined && hosts % k.size === 0 && hosts / k.size >= N)
      return Array<IslandKind>(hosts / k.size).fill(k);
  }
  const listed = sizes.map((s) => `${s.size} (uses ${s.ports} of ${X} ports)`).join(', ') || 'none';
  const why =
    params.islandSize === undefined
      ? `${hosts} hosts do not split into ${N} or more islands with a λ=1 design for devicePorts ${N}, equal or of two sizes, without some island holding more than 1/${N} of the inter-island ports`
      : `islandSize ${params.islandSize} is not usable for ${hosts} hosts: it needs a design on fewer than ${X} ports and must divide the hosts into ≥ ${N} islands (each inter-island device joins ${N} islands)`;
  throw new GeneratorError([
    {
      code: 'generator.no-islands',
      path: ['params', params.islandSize === undefined ? 'hosts' : 'islandSize'],
      message: `${why}; island sizes with a design for hostPorts ${X}, devicePorts ${N}: ${listed}. Nearest host counts that split: ${nearestSplittable(hosts, X, N, sizes)}. Use octopus-sparse for other host counts.`,
    },
  ]);
}
