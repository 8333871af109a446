/**
 * `octopus-sparse` with `wiring: reach` (docs/octopus-generators.md "Wired for the layout"): an
 * Octopus pod wired FOR its layout, so that every CXL cable fits copper reach by construction —
 * the setting the Octopus paper simulates (96-server pods within 1.5 m of copper,
 * docs/references.md §1).
 *
 * 1. Place first. Hosts and device cells of the layout's cell grid (../layout-geometry.ts)
 *    interleave evenly along the optimiser's snake through the racks (rack 0 bottom-up, rack 1
 *    top-down, …), packed from the first cell with no free cells in between; each device cell
 *    holds ⌊cell ÷ device height⌋ device positions. There are ⌈n·X ÷ N⌉ positions: enough for
 *    every host port.
 * 2. Reach. For each device position, the hosts whose cable to it — routed and rounded exactly
 *    as the builder derives it (docs/layout.md "Cable routing") — is at most the copper reach.
 * 3. Wire. Positions in snake order; each takes up to N hosts among its reachable ones with a
 *    free port, one at a time: the host that adds the most host pairs not yet sharing a device
 *    (the coverage wiring's objective; a host that adds none is not taken, so no pair is
 *    duplicated where avoidable); ties to a host in a group the members are not yet joined to
 *    (so the pod ends up as one), then to a host that must be taken now or lose a port (its
 *    slack — positions still to come that reach it, less its free ports — is ≤ 0), then to the
 *    host furthest along the snake from the members (a device joining hosts further apart
 *    shortens relay chains across the row; skipped when X(N − 1) ≤ 2, where the pod is one
 *    chain), then to less slack, then to a per-host priority drawn from the seed. A position
 *    left with fewer than 2 hosts stays empty.
 * 4. Fill. The same walk again, now letting a host with a port still free join where it adds
 *    no new pair: every pair it could add is covered already, and the port would idle.
 *
 * Every cable is one of step 2's, so the pod fits the reach whatever its size; the wiring is
 * refused (`generator.disconnected`) when the reach is too short to join the hosts into one pod.
 * O(P · N · C · N) for P positions of C reachable hosts each, with a hash set of covered pairs.
 */
import { GeneratorError } from '../../errors/index.ts';
import { mulberry32 } from '../../units/random.ts';
import { CABLE_SLACK_M } from '../defaults.ts';
import {
  cellGrid,
  roundedLengthM,
  routedLengthM,
  type LayoutGeometry,
} from '../layout-geometry.ts';
import { snakeCell } from '../layout-optimise.ts';
import type { Placement } from '../types.ts';
import type { Placed } from './octopus-common.ts';
import type { OctopusSparseParams } from './types.ts';

/** The reach wiring: which hosts each device serves, and where everything sits. */
export interface ReachWiring {
  /** `devices[d]` lists the hosts cabled to device d, ascending. */
  readonly devices: number[][];
  readonly placed: Placed;
}

/** Device positions and hosts laid out along the snake (step 1). */
interface Slots {
  readonly hosts: Placement[];
  /** Device positions in snake order. */
  readonly positions: Placement[];
  /** Host indices in each rack. */
  readonly hostsInRack: number[][];
}

/** Step 1: hosts and device cells interleaved evenly along the snake, packed from cell 0. */
function layOut(n: number, positionCount: number, g: LayoutGeometry): Slots {
  const grid = cellGrid(n, positionCount, g);
  const perRack = grid.cellsPerRack;
  const deviceCells = grid.deviceCells;
  const hosts: Placement[] = [];
  const positions: Placement[] = [];
  const hostsInRack: number[][] = Array.from({ length: grid.racks }, () => []);
  let h = 0;
  let dc = 0;
  for (let i = 0; i < n + deviceCells; i++) {
    const c = snakeCell(perRack, i);
    const rack = Math.floor(c / perRack);
    const slotU = (c % perRack) * grid.cellHeightU;
    // Each cell goes to the kind furthest behind its share (hosts first on a tie).
    const hostShare = h < n ? (h + 0.5) / n : 2;
    const deviceShare = dc < deviceCells ? (dc + 0.5) / deviceCells : 2;
    if (hostShare <= deviceShare) {
      hosts.push({ rack, slotU });
      hostsInRack[rack]?.push(h++);
    } else {
      dc++;
      for (let j = 0; j < grid.devicesPerCell && positions.length < positionCount; j++)
        positions.push({ rack, slotU: slotU + j * grid.deviceHeightU });
    }
  }
  return { hosts, positions, hostsInRack };
}

/** Whether the cable between a host and a device position fits the reach, as the builder measures it. */
function fits(g: LayoutGeometry, reachM: number, a: Placement, b: Placement): boolean {
  return roundedLengthM(routedLengthM(g.rackPitchM, a.rack, a.slotU, b.rack, b.slotU)) <= reachM;
}

/** Step 2: for each position, the hosts within reach (CSR: `start[p]` … `start[p + 1]`). */
function reachable(
  slots: Slots,
  g: LayoutGeometry,
  reachM: number,
): { start: Int32Array; hosts: Int32Array } {
  const racks = slots.hostsInRack.length;
  // Racks further apart than this cannot be joined even at equal height.
  const rackSpan =
    reachM < CABLE_SLACK_M ? -1 : Math.floor((reachM - CABLE_SLACK_M) / g.rackPitchM + 1e-9);
  const start = new Int32Array(slots.positions.length + 1);
  const out: number[] = [];
  slots.positions.forEach((p, q) => {
    for (let r = Math.max(0, p.rack - rackSpan); r <= Math.min(racks - 1, p.rack + rackSpan); r++)
      for (const h of slots.hostsInRack[r] ?? [])
        if (fits(g, reachM, slots.hosts[h] ?? p, p)) out.push(h);
    start[q + 1] = out.length;
  });
  return { start, hosts: Int32Array.from(out) };
}

/** Mutable state of the greedy. */
interface Greedy {
  readonly n: number;
  readonly free: Int32Array;
  /** Positions not yet processed that reach each host. */
  readonly remaining: Int32Array;
  readonly priority: Float64Array;
  readonly covered: Set<number>;
  /**
   * Whether to prefer spread: not when a host meets at most 2 partners (X(N − 1) ≤ 2), as then
   * the pod is one chain, and jumping ahead would leave parallel chains that cannot meet.
   */
  readonly spread: boolean;
  /** Union-find over hosts: which hosts the devices so far join into one group. */
  readonly parent: Int32Array;
}

/** The group of host h (path halving). */
function root(s: Greedy, h: number): number {
  let x = h;
  while ((s.parent[x] ?? x) !== x) {
    const up = s.parent[s.parent[x] ?? x] ?? x;
    s.parent[x] = up;
    x = up;
  }
  return x;
}

/** Spare chances of host h: positions still to come that reach it, less its free ports. */
function slack(s: Greedy, h: number): number {
  return (s.remaining[h] ?? 0) - (s.free[h] ?? 0);
}

/** What a candidate brings to a position: new pairs, and how far it is from the members. */
interface Offer {
  readonly host: number;
  /** Host pairs with the members not yet sharing a device. */
  readonly gain: number;
  /** Whether the host is in a group none of the members is in (so the device joins groups). */
  readonly joins: boolean;
  /** Σ over members of |host − member|: hosts are numbered along the snake, so far apart in rack order. */
  readonly spread: number;
}

/**
 * Whether offer a beats b: more new pairs; then a host joining a group not yet joined to the
 * members (so few ports, as with X = 2, still give one pod); then a host that must be taken now or lose a port
 * (slack ≤ 0); then more spread (a device joining hosts further apart shortens relay chains
 * across the row); then less slack; then the seeded priority.
 */
function better(s: Greedy, a: Offer, b: Offer): boolean {
  if (a.gain !== b.gain) return a.gain > b.gain;
  if (a.joins !== b.joins) return a.joins;
  const sa = slack(s, a.host);
  const sb = slack(s, b.host);
  if (sa <= 0 !== sb <= 0) return sa <= 0;
  if (s.spread && a.spread !== b.spread) return a.spread > b.spread;
  if (sa !== sb) return sa < sb;
  return (s.priority[a.host] ?? 0) < (s.priority[b.host] ?? 0);
}

/** Host pairs between c and `members` not yet sharing a device. */
function gainOf(s: Greedy, members: readonly number[], c: number): number {
  let gain = 0;
  for (const m of members) if (!s.covered.has(m < c ? m * s.n + c : c * s.n + m)) gain++;
  return gain;
}

/**
 * Step 3 for one position: adds hosts to `members` (fewer than 2 means the position stays
 * empty). `duplicates`: whether a host adding no new pair may still be taken (step 4).
 */
function fillPosition(
  s: Greedy,
  candidates: Int32Array,
  N: number,
  members: number[] = [],
  duplicates = false,
): number[] {
  while (members.length < N) {
    let best: Offer | undefined;
    for (const host of candidates) {
      if ((s.free[host] ?? 0) === 0 || members.includes(host)) continue;
      // The first host adds no pair; later ones must add at least one (unless `duplicates`).
      const gain = members.length === 0 ? 1 : gainOf(s, members, host);
      if (gain === 0 && !duplicates) continue;
      let spread = 0;
      let joins = members.length > 0;
      const r = root(s, host);
      for (const m of members) {
        spread += Math.abs(m - host);
        if (root(s, m) === r) joins = false;
      }
      const offer = { host, gain, joins, spread };
      if (best === undefined || better(s, offer, best)) best = offer;
    }
    if (best === undefined) break;
    members.push(best.host);
  }
  return members;
}

/** Takes a port of each host in `added` and covers its pairs with every host of `members`. */
function commit(s: Greedy, added: readonly number[], members: readonly number[]): void {
  for (const a of added) {
    s.parent[root(s, a)] = root(s, members[0] ?? a);
    s.free[a] = (s.free[a] ?? 0) - 1;
    for (const o of members) if (o !== a) s.covered.add(a < o ? a * s.n + o : o * s.n + a);
  }
}

/**
 * The reach wiring of an `octopus-sparse` pod (see the file header). Deterministic per seed.
 * @param reachM copper reach in metres; every cable of the result is at most this long
 * @throws GeneratorError `generator.disconnected` when the hosts do not end up in one pod
 */
export function reachIncidence(
  params: OctopusSparseParams,
  g: LayoutGeometry,
  reachM: number,
): ReachWiring {
  const { hosts: n, hostPorts: X, devicePorts: N } = params;
  const slots = layOut(n, Math.ceil((n * X) / N), g);
  const cand = reachable(slots, g, reachM);
  const rand = mulberry32(params.seed);
  const s: Greedy = {
    n,
    free: new Int32Array(n).fill(X),
    remaining: new Int32Array(n),
    priority: Float64Array.from({ length: n }, () => rand()),
    covered: new Set<number>(),
    parent: Int32Array.from({ length: n }, (_, i) => i),
    spread: X * (N - 1) > 2,
  };
  const members: number[][] = slots.positions.map(() => []);
  // Step 3, then step 4: the same walk again, now letting hosts with ports still free join even
  // where they add no new pair (every such pair is already covered, so the port would idle).
  for (const duplicates of [false, true]) {
    s.remaining.fill(0);
    for (const h of cand.hosts) s.remaining[h] = (s.remaining[h] ?? 0) + 1;
    members.forEach((m, q) => {
      const candidates = cand.hosts.subarray(cand.start[q] ?? 0, cand.start[q + 1] ?? 0);
      const before = m.length;
      fillPosition(s, candidates, N, m, duplicates);
      for (const c of candidates) s.remaining[c] = (s.remaining[c] ?? 0) - 1;
      if (m.length < 2) m.length = 0;
      else commit(s, m.slice(before), m);
    });
  }
  const devices: number[][] = [];
  const devicePlacements: Placement[] = [];
  members.forEach((m, q) => {
    if (m.length === 0) return;
    devices.push(m.sort((a, b) => a - b));
    devicePlacements.push(slots.positions[q] ?? { rack: 0, slotU: 0 });
  });
  refuseDisconnected(s, reachM);
  return { devices, placed: { hosts: slots.hosts, devices: devicePlacements } };
}

/** Throws `generator.disconnected` unless the devices joined all hosts into one group. */
function refuseDisconnected(s: Greedy, reachM: number): void {
  let groups = 0;
  for (let h = 0; h < s.n; h++) if (root(s, h) === h) groups++;
  if (groups <= 1) return;
  const n = s.n;
  throw new GeneratorError([
    {
      code: 'generator.disconnected',
      path: ['params', 'wiring'],
      message: `wiring: reach with a ${reachM} m copper reach leaves these ${n} hosts in ${groups} separate groups (a cable cannot join hosts and devices further apart than the reach); raise the reach (components.copperReach), bring racks closer (options.layout.rackPitch) or use wiring: coverage with retimers`,
    },
  ]);
}
