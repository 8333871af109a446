/**
 * `octopus-islands`: hosts grouped into islands with full pairwise overlap inside (an
 * intra-island λ = 1 design using r of each host's X ports), and the remaining X − r ports
 * cabled to inter-island MHDs whose N hosts all lie in different islands (docs/references.md §1:
 * low-latency communication inside an island, sparse links between islands to favour pooling).
 *
 * Inter-island wiring (greedy, deterministic for `seed`): devices are filled one at a time;
 * each takes hosts from the N islands with the most free inter-island ports (ties broken by a
 * seeded rotation), and within an island the host with most free ports that shares no device yet
 * with any host already chosen — so inter-island devices spread over many islands and never
 * duplicate a pair.
 */
import { GeneratorError } from '../../errors/index.ts';
import { mulberry32, shuffleInPlace } from '../../units/random.ts';
import { tryBibd, type BlockDesign } from '../designs/index.ts';
import { assembleOctopus } from './octopus-common.ts';
import type { Generator, OctopusIslandsParams } from './types.ts';

/** Island sizes s = r(N−1)+1 (r = intra-island ports, 1 ≤ r < X) that have a design, largest first. */
export function islandSizes(
  hostPorts: number,
  devicePorts: number,
  maxSize = Number.POSITIVE_INFINITY,
): { size: number; ports: number; design: BlockDesign }[] {
  const out: { size: number; ports: number; design: BlockDesign }[] = [];
  for (let r = hostPorts - 1; r >= 1; r--) {
    if (r * (devicePorts - 1) + 1 > maxSize) continue;
    const d = tryBibd(r, devicePorts);
    if (d !== undefined) out.push({ size: d.points, ports: r, design: d });
  }
  return out;
}

/** The `octopus-islands` generator. */
export const octopusIslands: Generator<OctopusIslandsParams> = {
  name: 'octopus-islands',
  family: 'octopus',
  summary:
    'islands with full pairwise overlap inside (a λ=1 design per island) and sparse inter-island MHDs on the remaining host ports; default island = largest that divides the host count',
  generate(params, options = {}) {
    const { hosts, hostPorts: X, devicePorts: N } = params;
    const chosen = chooseIsland(params);
    const s = chosen.size;
    const islands = hosts / s;
    const freePorts = X - chosen.ports;
    if (islands < N && freePorts > 0) {
      throw new GeneratorError([
        {
          code: 'generator.no-islands',
          path: ['params', 'devicePorts'],
          message: `${islands} islands cannot fill a ${N}-port inter-island device (needs ≥ ${N} islands); choose a smaller islandSize`,
        },
      ]);
    }
    const devices: number[][] = [];
    const islandOf: number[] = [];
    for (let i = 0; i < islands; i++) {
      for (let h = 0; h < s; h++) islandOf.push(i);
      for (const block of chosen.design.blocks) devices.push(block.map((p) => i * s + p));
    }
    addInterIslandDevices(params, s, freePorts, islandOf, devices);
    return assembleOctopus(
      { hosts, devices, islandOf },
      { hostPorts: X, devicePorts: N },
      {
        name: `octopus-islands-${hosts}`,
        description: `Octopus island pod: ${hosts} hosts in ${islands} islands of ${s} (${chosen.design.construction} inside, ${chosen.ports} ports), ${freePorts} inter-island ports per host, ${devices.length} ${N}-port MHDs`,
        generator: { name: 'octopus-islands', params: { ...params } },
      },
      options,
    );
  },
};

/** The island size to use: the one asked for, or the largest with a design that divides the hosts. */
function chooseIsland(params: OctopusIslandsParams): {
  size: number;
  ports: number;
  design: BlockDesign;
} {
  const { hosts, hostPorts: X, devicePorts: N } = params;
  const sizes = islandSizes(X, N, params.islandSize ?? Math.floor(hosts / 2));
  const fits = sizes.filter((s) => hosts % s.size === 0 && hosts / s.size >= 2);
  const chosen =
    params.islandSize === undefined ? fits[0] : sizes.find((s) => s.size === params.islandSize);
  if (chosen === undefined || hosts % chosen.size !== 0 || hosts / chosen.size < 2) {
    const listed =
      sizes.map((s) => `${s.size} (uses ${s.ports} of ${X} ports)`).join(', ') || 'none';
    const why =
      params.islandSize === undefined
        ? `no island size with a λ=1 design for devicePorts ${N} divides ${hosts} hosts into 2 or more islands`
        : `islandSize ${params.islandSize} is not usable for ${hosts} hosts`;
    throw new GeneratorError([
      {
        code: 'generator.no-islands',
        path: ['params', params.islandSize === undefined ? 'hosts' : 'islandSize'],
        message: `${why}; island sizes with a design for hostPorts ${X}, devicePorts ${N}: ${listed}; hosts must be a multiple (≥ 2×) of the island size. Use octopus-sparse for other host counts.`,
      },
    ]);
  }
  return chosen;
}

/**
 * Appends the inter-island devices to `devices` (greedy, deterministic for `params.seed`; see the
 * file header), each joining hosts of different islands that share no device yet.
 * @throws GeneratorError when the islands end up in more than one connected group
 */
function addInterIslandDevices(
  params: OctopusIslandsParams,
  s: number,
  freePorts: number,
  islandOf: readonly number[],
  devices: number[][],
): void {
  const { hosts, hostPorts: X, devicePorts: N } = params;
  const islands = hosts / s;
  const rand = mulberry32(params.seed);
  const free = new Int32Array(hosts).fill(freePorts);
  const islandFree = new Int32Array(islands).fill(freePorts * s);
  const shared = new Set<number>();
  const key = (a: number, b: number): number => (a < b ? a * hosts + b : b * hosts + a);
  // Union-find over islands: each device prefers islands from components it does not yet
  // touch, so inter-island devices join the islands into one fabric whenever ports allow.
  const parent = Int32Array.from({ length: islands }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] ?? i] ?? i;
    return i;
  };
  const order = shuffleInPlace(
    rand,
    Array.from({ length: islands }, (_, i) => i),
  );
  const rank = new Int32Array(islands);
  order.forEach((isl, k) => (rank[isl] = k));
  for (let guard = 0; guard < hosts * X; guard++) {
    const candidates = Array.from({ length: islands }, (_, i) => i)
      .filter((i) => (islandFree[i] ?? 0) > 0)
      .sort(
        (a, b) => (islandFree[b] ?? 0) - (islandFree[a] ?? 0) || (rank[a] ?? 0) - (rank[b] ?? 0),
      );
    if (candidates.length < N) break;
    const members: number[] = [];
    const touched = new Set<number>();
    const firstPass = candidates.filter((isl) => {
      const c = find(isl);
      if (touched.has(c)) return false;
      touched.add(c);
      return true;
    });
    for (const isl of [...firstPass, ...candidates.filter((i) => !firstPass.includes(i))]) {
      if (members.length === N) break;
      if (members.some((m) => islandOf[m] === isl)) continue;
      let best = -1;
      for (let h = isl * s; h < (isl + 1) * s; h++) {
        if ((free[h] ?? 0) === 0 || members.some((m) => shared.has(key(m, h)))) continue;
        if (best === -1 || (free[h] ?? 0) > (free[best] ?? 0)) best = h;
      }
      if (best !== -1) members.push(best);
    }
    if (members.length < 2) break;
    for (const m of members) {
      free[m] = (free[m] ?? 0) - 1;
      islandFree[islandOf[m] ?? 0] = (islandFree[islandOf[m] ?? 0] ?? 0) - 1;
      for (const o of members) if (o !== m) shared.add(key(m, o));
    }
    for (const m of members) parent[find(islandOf[m] ?? 0)] = find(islandOf[members[0] ?? 0] ?? 0);
    devices.push(members.sort((a, b) => a - b));
    // rotate tie-breaking so successive devices start from different islands
    order.push(order.shift() ?? 0);
    order.forEach((isl, k) => (rank[isl] = k));
  }
  const roots = new Set(Array.from({ length: islands }, (_, i) => find(i)));
  if (roots.size > 1) {
    throw new GeneratorError([
      {
        code: 'generator.disconnected',
        path: ['params', 'hostPorts'],
        message: `${islands} islands of ${s} with ${freePorts} inter-island port${freePorts === 1 ? '' : 's'} per host and ${N}-port devices end up as ${roots.size} separate groups; raise hostPorts, choose a smaller islandSize, or use octopus-sparse`,
      },
    ]);
  }
}
