/**
 * Inter-island wiring of `octopus-islands` (docs/octopus-generators.md "Inter-island wiring"):
 * devices are filled one at a time, each joining hosts of up to N different islands that share
 * no device yet (so no host pair is covered twice), until the islands run out of free ports.
 *
 * - `spread` (default): take the N islands with the most free inter-island ports, preferring
 *   islands not yet joined to the others, ties broken by a seeded rotation — devices spread over
 *   the whole pod.
 * - `local`: anchor on the island with the most free ports (ties: lowest index), then choose the
 *   N − 1 others among the islands nearest to it in rack order, minimising the island-index span
 *   of the device (after joining separate groups first, then most free ports) — islands are
 *   placed in order along the row of racks, so a small span keeps cables within copper reach
 *   (docs/references.md §1).
 *
 * Both modes choose hosts the same way: in each island the host with the most free ports that
 * shares no device with the hosts already chosen; both are deterministic for the seed.
 */
import { GeneratorError } from '../../errors/index.ts';
import { mulberry32, shuffleInPlace } from '../../units/random.ts';
import type { IslandSplit } from './octopus-islands-split.ts';

/** How inter-island devices pick their islands. */
export type InterIslandMode = 'spread' | 'local';

/** Mutable wiring state shared by both modes. */
interface Wiring {
  readonly islands: number;
  readonly start: Int32Array;
  readonly free: Int32Array;
  readonly islandFree: Int32Array;
  readonly islandOf: readonly number[];
  readonly shared: Set<number>;
  readonly key: (a: number, b: number) => number;
  readonly find: (i: number) => number;
  readonly parent: Int32Array;
}

function wiringState(split: IslandSplit, hostPorts: number, islandOf: readonly number[]): Wiring {
  const hosts = islandOf.length;
  const islands = split.length;
  const start = new Int32Array(islands + 1);
  split.forEach((k, i) => (start[i + 1] = (start[i] ?? 0) + k.size));
  const free = Int32Array.from(islandOf, (i) => hostPorts - (split[i]?.ports ?? hostPorts));
  const islandFree = Int32Array.from(split, (k) => k.size * (hostPorts - k.ports));
  const parent = Int32Array.from({ length: islands }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const key = (a: number, b: number): number => (a < b ? a * hosts + b : b * hosts + a);
  return { islands, start, free, islandFree, islandOf, shared: new Set(), key, find, parent };
}

/** Picks one host per island in `order` (up to N): most free ports, no pair shared yet. */
function pickHosts(w: Wiring, order: readonly number[], N: number): number[] {
  const members: number[] = [];
  for (const isl of order) {
    if (members.length === N) break;
    if (members.some((m) => w.islandOf[m] === isl)) continue;
    let best = -1;
    for (let h = w.start[isl] ?? 0; h < (w.start[isl + 1] ?? 0); h++) {
      if ((w.free[h] ?? 0) === 0 || members.some((m) => w.shared.has(w.key(m, h)))) continue;
      if (best === -1 || (w.free[h] ?? 0) > (w.free[best] ?? 0)) best = h;
    }
    if (best !== -1) members.push(best);
  }
  return members;
}

/** Records a device: ports used, pairs shared, islands joined. */
function commit(w: Wiring, members: number[], devices: number[][]): void {
  for (const m of members) {
    w.free[m] = (w.free[m] ?? 0) - 1;
    const isl = w.islandOf[m] ?? 0;
    w.islandFree[isl] = (w.islandFree[isl] ?? 0) - 1;
    for (const o of members) if (o !== m) w.shared.add(w.key(m, o));
  }
  const root = w.find(w.islandOf[members[0] ?? 0] ?? 0);
  for (const m of members) w.parent[w.find(w.islandOf[m] ?? 0)] = root;
  devices.push(members.sort((a, b) => a - b));
}

/** Islands in `spread` order: most free ports, unjoined groups first, seeded rotation on ties. */
function spreadOrder(w: Wiring, rank: Int32Array, N: number): number[] | undefined {
  const candidates = Array.from({ length: w.islands }, (_, i) => i)
    .filter((i) => (w.islandFree[i] ?? 0) > 0)
    .sort(
      (a, b) => (w.islandFree[b] ?? 0) - (w.islandFree[a] ?? 0) || (rank[a] ?? 0) - (rank[b] ?? 0),
    );
  if (candidates.length < N) return undefined;
  const touched = new Set<number>();
  const firstPass = candidates.filter((isl) => {
    const c = w.find(isl);
    if (touched.has(c)) return false;
    touched.add(c);
    return true;
  });
  return [...firstPass, ...candidates.filter((i) => !firstPass.includes(i))];
}

/** All k-subsets of `items` (small: at most C(2N, N−1)). */
function subsets(items: readonly number[], k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  items.forEach((x, i) => {
    for (const rest of subsets(items.slice(i + 1), k - 1)) out.push([x, ...rest]);
  });
  return out;
}

/** Whether score a comes before score b, comparing entries left to right. */
function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** Islands in `local` order: the anchor, the best nearby N − 1, then the rest by distance. */
function localOrder(w: Wiring, N: number): number[] | undefined {
  const candidates = Array.from({ length: w.islands }, (_, i) => i).filter(
    (i) => (w.islandFree[i] ?? 0) > 0,
  );
  if (candidates.length < N) return undefined;
  let anchor = candidates[0] ?? 0;
  for (const i of candidates) if ((w.islandFree[i] ?? 0) > (w.islandFree[anchor] ?? 0)) anchor = i;
  const byDistance = candidates
    .filter((i) => i !== anchor)
    .sort((a, b) => Math.abs(a - anchor) - Math.abs(b - anchor) || a - b);
  const near = byDistance.slice(0, 2 * (N - 1));
  const ranked = subsets(near, N - 1)
    .map((set) => {
      const all = [anchor, ...set];
      const groups = new Set(all.map((i) => w.find(i))).size;
      const span = Math.max(...all) - Math.min(...all);
      const freeSum = all.reduce((sum, i) => sum + (w.islandFree[i] ?? 0), 0);
      return { all, score: [-groups, span, -freeSum] };
    })
    .sort((a, b) => (lexLess(a.score, b.score) ? -1 : lexLess(b.score, a.score) ? 1 : 0));
  // the best-scoring island set whose islands can each supply a host without repeating a pair
  const full = ranked.find((r) => pickHosts(w, r.all, N).length === N);
  const chosen = full?.all ?? ranked[0]?.all ?? [anchor];
  return [...chosen, ...byDistance.filter((i) => !chosen.includes(i))];
}

/**
 * `local` end game: devices left with fewer than N hosts take hosts that still have free ports,
 * nearest island first, when their island is not on the device yet and they share no pair with
 * its hosts — so `local` keeps the pooling reach (hosts per device, devices per host) of `spread`.
 */
function topUp(w: Wiring, devices: number[][], N: number): void {
  for (const d of devices) {
    if (d.length >= N || d.length < 2) continue;
    const here = new Set(d.map((h) => w.islandOf[h] ?? 0));
    const mid = w.islandOf[d[0] ?? 0] ?? 0;
    const spare: number[] = [];
    w.free.forEach((f, h) => {
      if (f > 0) spare.push(h);
    });
    spare.sort(
      (a, b) =>
        Math.abs((w.islandOf[a] ?? 0) - mid) - Math.abs((w.islandOf[b] ?? 0) - mid) || a - b,
    );
    for (const h of spare) {
      if (d.length >= N) break;
      const isl = w.islandOf[h] ?? 0;
      if (here.has(isl) || d.some((m) => w.shared.has(w.key(m, h)))) continue;
      for (const m of d) {
        w.shared.add(w.key(m, h));
        w.shared.add(w.key(h, m));
      }
      w.free[h] = (w.free[h] ?? 0) - 1;
      w.islandFree[isl] = (w.islandFree[isl] ?? 0) - 1;
      here.add(isl);
      d.push(h);
      d.sort((a, b) => a - b);
    }
  }
}

/**
 * Appends the inter-island devices to `devices` (see the file header).
 * @throws GeneratorError `generator.disconnected` when the islands end up in separate groups
 */
export function addInterIslandDevices(
  params: { hostPorts: number; devicePorts: number; seed: number },
  split: IslandSplit,
  islandOf: readonly number[],
  devices: number[][],
  mode: InterIslandMode = 'spread',
): void {
  const { hostPorts: X, devicePorts: N } = params;
  const w = wiringState(split, X, islandOf);
  const rand = mulberry32(params.seed);
  const order = shuffleInPlace(
    rand,
    Array.from({ length: w.islands }, (_, i) => i),
  );
  const rank = new Int32Array(w.islands);
  order.forEach((isl, k) => (rank[isl] = k));
  for (let guard = 0; guard < islandOf.length * X; guard++) {
    const islands = mode === 'local' ? localOrder(w, N) : spreadOrder(w, rank, N);
    if (islands === undefined) break;
    const members = pickHosts(w, islands, N);
    if (members.length < 2) break;
    commit(w, members, devices);
    // rotate tie-breaking so successive devices start from different islands
    order.push(order.shift() ?? 0);
    order.forEach((isl, k) => (rank[isl] = k));
  }
  if (mode === 'local') topUp(w, devices, N);
  const roots = new Set(Array.from({ length: w.islands }, (_, i) => w.find(i)));
  if (roots.size > 1) {
    const free = split.map((k) => X - k.ports);
    const range =
      Math.min(...free) === Math.max(...free)
        ? `${free[0]}`
        : `${Math.min(...free)}–${Math.max(...free)}`;
    throw new GeneratorError([
      {
        code: 'generator.disconnected',
        path: ['params', 'hostPorts'],
        message: `${w.islands} islands of ${split[0]?.size ?? 0}${split.some((k) => k.size !== split[0]?.size) ? ' and fewer' : ''} with ${range} inter-island port${range === '1' ? '' : 's'} per host and ${N}-port devices end up as ${roots.size} separate groups; raise hostPorts, choose a smaller islandSize, or use octopus-sparse`,
      },
    ]);
  }
}

/** For each inter-island device (a device whose hosts lie in ≥ 2 islands): the island-index span. */
export function interIslandSpans(
  devices: readonly (readonly number[])[],
  islandOf: readonly number[],
): number[] {
  const out: number[] = [];
  for (const d of devices) {
    const isl = d.map((h) => islandOf[h] ?? 0);
    const span = Math.max(...isl) - Math.min(...isl);
    if (span > 0) out.push(span);
  }
  return out;
}
