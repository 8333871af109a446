/**
 * Balanced incomplete block designs with λ = 1 (2-(v, k, 1) designs) for Octopus pods: points
 * are hosts, blocks are multi-headed devices, so every pair of hosts shares exactly one device.
 * With host degree X (replication r) and device ports N (block size k): v = X(N−1)+1 hosts and
 * b = vX/N devices (docs/references.md §1).
 *
 * Constructions: projective planes PG(2,q) (X = N = q+1), affine planes AG(2,q) (N = q, X = q+1),
 * Steiner triple systems (N = 3: Bose for v ≡ 3 mod 6, Stinson's hill-climbing for v ≡ 1 mod 6),
 * complete graphs (N = 2), the single block (X = 1), finite geometries (`geometries.ts`: the
 * Hermitian unital, e.g. 2-(28,4,1) for X = 9, N = 4; lines of PG(d,q) and AG(d,q)), and bounded
 * searches for difference families (`difference.ts`: cyclic, Z_p × Z_p and 1-rotational, e.g.
 * 2-(25,4,1), the X = 8, N = 4 pod). Refusals explain themselves (`existence.ts`). Hand-written:
 * no npm package builds block designs.
 */
import { GeneratorError } from '../../errors/index.ts';
import { finiteField, primePower } from './gf.ts';
import { mulberry32 } from '../../units/random.ts';
import { differenceFamily, oneRotationalFamily } from './difference.ts';
import { affineGeometry, hermitianUnital, projectiveGeometry } from './geometries.ts';
import {
  admissibleHostCounts,
  existenceGuaranteed,
  failedConditions,
  knownNonExistent,
} from './existence.ts';

export { differenceFamily, oneRotationalFamily } from './difference.ts';
export { affineGeometry, hermitianUnital, projectiveGeometry } from './geometries.ts';
export { knownNonExistent } from './existence.ts';

import type { BlockDesign } from './types.ts';

export type { BlockDesign, Construction } from './types.ts';

const sortBlock = (b: number[]): number[] => b.sort((x, y) => x - y);

/** PG(2,q): q²+q+1 points and lines, q+1 points per line. */
export function projectivePlane(q: number): BlockDesign {
  const F = finiteField(q);
  const vecs: [number, number, number][] = [];
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) vecs.push([1, a, b]);
  for (let a = 0; a < q; a++) vecs.push([0, 1, a]);
  vecs.push([0, 0, 1]);
  const blocks: number[][] = vecs.map((line) => {
    const pts: number[] = [];
    vecs.forEach((p, i) => {
      const dot = F.add(F.add(F.mul(p[0], line[0]), F.mul(p[1], line[1])), F.mul(p[2], line[2]));
      if (dot === 0) pts.push(i);
    });
    return pts;
  });
  return { points: vecs.length, blockSize: q + 1, blocks, construction: 'projective-plane' };
}

/** AG(2,q): q² points, q²+q lines of q points. */
export function affinePlane(q: number): BlockDesign {
  const F = finiteField(q);
  const blocks: number[][] = [];
  for (let m = 0; m < q; m++)
    for (let c = 0; c < q; c++) {
      const pts: number[] = [];
      for (let x = 0; x < q; x++) pts.push(x * q + F.add(F.mul(m, x), c));
      blocks.push(sortBlock(pts));
    }
  for (let c = 0; c < q; c++) {
    const pts: number[] = [];
    for (let y = 0; y < q; y++) pts.push(c * q + y);
    blocks.push(pts);
  }
  return { points: q * q, blockSize: q, blocks, construction: 'affine-plane' };
}

/** Bose construction of STS(6t+3) on Z_{2t+1} × Z_3. */
function boseSts(v: number): number[][] {
  const n = ((v - 3) / 6) * 2 + 1; // 2t+1
  const half = (n + 1) / 2; // inverse of 2 mod n
  const id = (x: number, i: number): number => x * 3 + i;
  const op = (a: number, b: number): number => ((a + b) * half) % n;
  const blocks: number[][] = [];
  for (let x = 0; x < n; x++) blocks.push([id(x, 0), id(x, 1), id(x, 2)]);
  for (let x = 0; x < n; x++)
    for (let y = x + 1; y < n; y++)
      for (let i = 0; i < 3; i++)
        blocks.push(sortBlock([id(x, i), id(y, i), id(op(x, y), (i + 1) % 3)]));
  return blocks;
}

/**
 * Stinson's hill-climbing for STS(v) (v ≡ 1, 3 mod 6): repeatedly pick a live point x and two
 * uncovered pairs {x,y},{x,z}; add {x,y,z}, evicting the block that covered {y,z} if any.
 * Terminates with probability 1, fast in practice; deterministic for the seed.
 */
function hillClimbSts(v: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  const r = (v - 1) / 2;
  const blockOf = new Int32Array(v * v).fill(-1); // pair → block index
  const blocks: ([number, number, number] | undefined)[] = [];
  const free: number[] = [];
  const degree = new Int32Array(v);
  let count = 0;
  const target = (v * (v - 1)) / 6;
  const setPairs = (b: readonly number[], idx: number): void => {
    for (let i = 0; i < 3; i++)
      for (let j = i + 1; j < 3; j++) {
        const a = b[i] ?? 0;
        const c = b[j] ?? 0;
        blockOf[a * v + c] = idx;
        blockOf[c * v + a] = idx;
      }
  };
  for (let guard = 0; count < target; guard++) {
    if (guard > 200 * v * v) throw new Error(`STS(${v}) hill-climbing did not converge`);
    const live: number[] = [];
    for (let x = 0; x < v; x++) if ((degree[x] ?? 0) < r) live.push(x);
    const x = live[pick(live.length)] ?? 0;
    const partners: number[] = [];
    for (let y = 0; y < v; y++) if (y !== x && blockOf[x * v + y] === -1) partners.push(y);
    const y = partners.splice(pick(partners.length), 1)[0] ?? 0;
    const z = partners[pick(partners.length)] ?? 0;
    const old = blockOf[y * v + z] ?? -1;
    if (old !== -1) {
      const ob = blocks[old];
      if (ob !== undefined) {
        setPairs(ob, -1);
        for (const p of ob) degree[p] = (degree[p] ?? 0) - 1;
      }
      blocks[old] = undefined;
      free.push(old);
      count--;
    }
    const nb: [number, number, number] = [x, y, z];
    const idx = free.pop() ?? blocks.length;
    blocks[idx] = nb;
    setPairs(nb, idx);
    for (const p of nb) degree[p] = (degree[p] ?? 0) + 1;
    count++;
  }
  return blocks
    .filter((b): b is [number, number, number] => b !== undefined)
    .map((b) => sortBlock([...b]))
    .sort(
      (a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0),
    );
}

/** A Steiner triple system STS(v), v ≡ 1 or 3 (mod 6). */
export function steinerTripleSystem(v: number, seed = 1): BlockDesign {
  if (v % 6 !== 1 && v % 6 !== 3) throw new RangeError(`STS(${v}) needs v ≡ 1 or 3 (mod 6)`);
  return {
    points: v,
    blockSize: 3,
    blocks: v % 6 === 3 ? boseSts(v) : hillClimbSts(v, seed),
    construction: 'steiner-triple',
  };
}

/** Necessary conditions for a 2-(v, N, 1) design with v = X(N−1)+1 (divisibility and Fisher's inequality). */
export function designAdmissible(X: number, N: number): boolean {
  const v = X * (N - 1) + 1;
  if (X === 1) return true;
  return (v * X) % N === 0 && (v * (v - 1)) % (N * (N - 1)) === 0 && X >= N;
}

const dfCache = new Map<string, BlockDesign | undefined>();

/** The design for host degree X and device ports N, or undefined when no construction applies. */
export function tryBibd(
  X: number,
  N: number,
  seed = 1,
  searchBudget = 2_000_000,
): BlockDesign | undefined {
  if (!Number.isInteger(X) || !Number.isInteger(N) || X < 1 || N < 2) return undefined;
  const v = X * (N - 1) + 1;
  if (X === 1)
    return {
      points: N,
      blockSize: N,
      blocks: [Array.from({ length: N }, (_, i) => i)],
      construction: 'single-block',
    };
  if (!designAdmissible(X, N)) return undefined;
  if (N === 2) {
    const blocks: number[][] = [];
    for (let a = 0; a < v; a++) for (let b = a + 1; b < v; b++) blocks.push([a, b]);
    return { points: v, blockSize: 2, blocks, construction: 'complete-graph' };
  }
  if (X === N && primePower(N - 1) !== undefined) return projectivePlane(N - 1);
  if (X === N + 1 && primePower(N) !== undefined) return affinePlane(N);
  if (N === 3) return steinerTripleSystem(v, seed);
  const key = `${v},${N},${searchBudget}`;
  if (!dfCache.has(key)) dfCache.set(key, searched(X, N, searchBudget));
  return dfCache.get(key);
}

/** Finite geometries, then the difference-family searches, for N ≥ 4 (cached by the caller). */
function searched(X: number, N: number, budget: number): BlockDesign | undefined {
  const v = X * (N - 1) + 1;
  const geometry = geometryFor(X, N);
  if (geometry !== undefined) return geometry;
  if (v > 400) return undefined;
  return differenceFamily(v, N, budget) ?? oneRotationalFamily(v, N, budget);
}

/** A finite-geometry design with host degree X and block size N, when one has that shape. */
function geometryFor(X: number, N: number): BlockDesign | undefined {
  const q = N - 1;
  // Hermitian unital of order q: v = q³+1, X = q² (GF(q²) tables stay small for q ≤ 7).
  if (primePower(q) !== undefined && X === q * q && q <= 7) return hermitianUnital(q);
  for (let d = 3; d <= 6; d++) {
    // PG(d, q): X = (v−1)/q lines through a point; AG(d, N): X = (v−1)/(N−1).
    const vp = (q ** (d + 1) - 1) / (q - 1);
    if (primePower(q) !== undefined && vp <= 2000 && X === (vp - 1) / q)
      return projectiveGeometry(d, q);
    const va = N ** d;
    if (primePower(N) !== undefined && va <= 2000 && X === (va - 1) / (N - 1))
      return affineGeometry(d, N);
  }
  return undefined;
}

/** Nearby (X, N) pairs that have a construction, nearest first. */
export function nearestFeasible(
  X: number,
  N: number,
  count = 4,
): { hostPorts: number; devicePorts: number; hosts: number; devices: number }[] {
  const out: {
    hostPorts: number;
    devicePorts: number;
    hosts: number;
    devices: number;
    dist: number;
  }[] = [];
  for (let n = Math.max(2, N - 2); n <= N + 2; n++)
    for (let x = Math.max(2, X - 6); x <= X + 6; x++) {
      if (x === X && n === N) continue;
      // A small search budget: suggestions must come fast, and the well-known sizes need none.
      const d = tryBibd(x, n, 1, 20_000);
      if (d !== undefined)
        out.push({
          hostPorts: x,
          devicePorts: n,
          hosts: d.points,
          devices: d.blocks.length,
          dist: Math.abs(n - N) * 3 + Math.abs(x - X),
        });
    }
  out.sort((a, b) => a.dist - b.dist || a.devicePorts - b.devicePorts || a.hostPorts - b.hostPorts);
  return out.slice(0, count).map(({ dist: _d, ...rest }) => rest);
}

/**
 * The λ = 1 design for host degree X and device ports N.
 * @throws GeneratorError `generator.no-design` when the necessary conditions fail (no such design can
 *   exist), `generator.no-construction` when none of podsim's constructions applies; both suggest the
 *   nearest feasible (X, N).
 */
export function bibdFor(X: number, N: number, seed = 1): BlockDesign {
  const d = tryBibd(X, N, seed);
  if (d !== undefined) return d;
  const v = X * (N - 1) + 1;
  const failed = failedConditions(X, N);
  const impossible = knownNonExistent(X, N);
  const shape = `hostPorts ${X}, devicePorts ${N}`;
  const near = nearestFeasible(X, N)
    .map(
      (s) =>
        `hostPorts ${s.hostPorts}, devicePorts ${s.devicePorts} (${s.hosts} hosts, ${s.devices} devices)`,
    )
    .join('; ');
  const sizes = nearestHostCounts(X, N)
    .map((s) => `${s.hosts} hosts (hostPorts ${s.hostPorts})`)
    .join(', ');
  const admissible = admissibleHostCounts(N, Math.max(2 * v, 60)).slice(0, 10);
  let why: string;
  if (failed.length > 0)
    why = `no λ=1 block design exists for ${shape}: ${v} hosts; ${failed.join('; ')}. With devicePorts ${N} a design needs v − 1 divisible by ${N - 1}, v(v−1) divisible by ${N * (N - 1)} and hostPorts ≥ ${N}: v = ${admissible.join(', ')}, …`;
  else if (impossible !== undefined)
    why = `no λ=1 block design exists for ${shape}: ${v} hosts; ${impossible}`;
  else
    why = `no construction in podsim builds a 2-(${v},${N},1) design for ${shape} (${v} hosts)${existenceGuaranteed(N) ? ` (one exists: every admissible 2-(v,${N},1) does, Hanani 1961/1975)` : ''}`;
  throw new GeneratorError([
    {
      code:
        failed.length > 0 || impossible !== undefined
          ? 'generator.no-design'
          : 'generator.no-construction',
      path: ['params'],
      message: `${why}. Nearest feasible: ${near}. Nearest sizes podsim builds with devicePorts ${N}: ${sizes || 'none nearby'}; or use octopus-sparse for any host count.`,
    },
  ]);
}

/** The nearest host counts below and above X(N−1)+1 that podsim builds with the same N. */
export function nearestHostCounts(X: number, N: number): { hostPorts: number; hosts: number }[] {
  const found = (x: number): { hostPorts: number; hosts: number } | undefined => {
    const d = tryBibd(x, N, 1, 20_000);
    return d === undefined ? undefined : { hostPorts: x, hosts: d.points };
  };
  let below: { hostPorts: number; hosts: number } | undefined;
  for (let x = X - 1; x >= 2 && below === undefined; x--) below = found(x);
  let above: { hostPorts: number; hosts: number } | undefined;
  for (let x = X + 1; x <= X + 24 && above === undefined; x++) above = found(x);
  return [below, above].filter((s): s is { hostPorts: number; hosts: number } => s !== undefined);
}

/** Checks that every pair of the v points lies in exactly `lambda` blocks. */
export function verifyPairwiseBalanced(
  v: number,
  blocks: readonly (readonly number[])[],
  lambda = 1,
): boolean {
  const count = new Uint16Array(v * v);
  for (const b of blocks)
    for (let i = 0; i < b.length; i++)
      for (let j = i + 1; j < b.length; j++) {
        const x = b[i] ?? 0;
        const y = b[j] ?? 0;
        if (x === y || x < 0 || y < 0 || x >= v || y >= v) return false;
        const k = Math.min(x, y) * v + Math.max(x, y);
        count[k] = (count[k] ?? 0) + 1;
      }
  for (let x = 0; x < v; x++)
    for (let y = x + 1; y < v; y++) if (count[x * v + y] !== lambda) return false;
  return true;
}
