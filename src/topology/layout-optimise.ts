/**
 * The layout optimiser (docs/layout.md "Optimiser"): places the hosts and MHDs of an Octopus pod
 * in the cells of a {@link cellGrid} so that every CXL cable fits copper reach where possible —
 * first the cables beyond reach, then the total length.
 *
 * 1. Host cells and device cells interleaved along a snake through the racks (rack 0 bottom-up,
 *    rack 1 top-down, …); hosts in order (islands contiguous, index order inside) into the host
 *    cells, so hosts next in order sit next to each other.
 * 2. Devices, most spread-out first, each into the free device position near its hosts that
 *    costs least.
 * 3. Simulated annealing (seeded, a fixed number of moves, so deterministic): a host or a device
 *    moves to a cell near one of its neighbours or near itself, trading places with what is
 *    there (a host with a host or with a cell of devices, a device with a device); moves are
 *    accepted by the Metropolis rule on a cost that is each cable's length plus a heavy penalty
 *    on its excess over reach, so shrinking the cables beyond reach comes first.
 *
 * Everything lives in typed arrays allocated once; a move allocates nothing.
 */
import { mulberry32 } from '../units/random.ts';
import { cellGrid, roundedLengthM, routedLengthM, type LayoutGeometry } from './layout-geometry.ts';
import { CABLE_SLACK_M, RACK_UNIT_M } from './defaults.ts';

/** A pod before placement: hosts, and the hosts each device is cabled to. */
export interface LayoutInput {
  readonly hosts: number;
  /** `devices[d]` lists the hosts cabled to device d. */
  readonly devices: readonly (readonly number[])[];
  /** Island of each host, when the pod has islands (kept contiguous in the first placement). */
  readonly islandOf?: readonly number[];
}

/** Where everything went and what the cables came to. */
export interface LayoutResult {
  /** Racks holding at least one item. */
  readonly racks: number;
  readonly hostRack: Int32Array;
  readonly hostSlotU: Int32Array;
  readonly deviceRack: Int32Array;
  readonly deviceSlotU: Int32Array;
  /** Longest cable (rounded as the builder stores it) and the host and device at its ends. */
  readonly longestCableM: number;
  readonly longestCable: { readonly host: number; readonly device: number };
  readonly totalCableM: number;
  /** Cables longer than the reach. */
  readonly beyondReach: number;
}

/**
 * Cost of a cable beyond reach on top of its length: a fixed step (so fewer such cables always
 * wins) plus a weight per metre of excess (so the longest shrink first). Estimates: large enough
 * that no saving in total length pays for a cable beyond reach.
 */
const BEYOND_STEP_M = 2;
const EXCESS_WEIGHT = 50;
/**
 * Annealing moves: 150 per item for the first 1,000 items, 20 per item beyond, so time grows
 * linearly and a 1,024-host pod (3,072 items) lays out well inside 2 s (estimate: tuned on the
 * bundled pods, where more moves stopped paying; docs/layout.md "Optimiser").
 */
export function annealingMoves(items: number): number {
  return 150 * Math.min(items, 1000) + 20 * Math.max(0, items - 1000);
}

/** The mutable state of one optimisation, all typed arrays. */
interface State {
  readonly pitch: number;
  readonly reach: number;
  readonly k: number;
  readonly cells: number;
  readonly cellRack: Int32Array;
  readonly cellU: Int32Array;
  /** Rack and U of each device position (cell × k + j). */
  readonly subU: Int32Array;
  readonly hostCell: Int32Array;
  readonly cellHost: Int32Array;
  readonly devSub: Int32Array;
  readonly subDev: Int32Array;
  /** Devices in each cell. */
  readonly cellDevs: Int32Array;
  /** CSR: devices of host h, hosts of device d. */
  readonly hStart: Int32Array;
  readonly hDevs: Int32Array;
  readonly dStart: Int32Array;
  readonly dHosts: Int32Array;
}

/** Cost of one cable: its routed length plus the weighted excess over reach. */
function cableCost(s: State, rackA: number, uA: number, rackB: number, uB: number): number {
  const len = Math.abs(rackA - rackB) * s.pitch + Math.abs(uA - uB) * RACK_UNIT_M + CABLE_SLACK_M;
  return len > s.reach ? len + BEYOND_STEP_M + EXCESS_WEIGHT * (len - s.reach) : len;
}

/** Cost of all cables of host h where it is now. */
function hostCost(s: State, h: number): number {
  const c = s.hostCell[h] ?? 0;
  const r = s.cellRack[c] ?? 0;
  const u = s.cellU[c] ?? 0;
  let sum = 0;
  for (let i = s.hStart[h] ?? 0; i < (s.hStart[h + 1] ?? 0); i++) {
    const p = s.devSub[s.hDevs[i] ?? 0] ?? 0;
    sum += cableCost(s, r, u, s.cellRack[Math.floor(p / s.k)] ?? 0, s.subU[p] ?? 0);
  }
  return sum;
}

/** Cost of all cables of device d where it is now, leaving out the cable to host `skip`. */
function deviceCost(s: State, d: number, skip = -1): number {
  const p = s.devSub[d] ?? 0;
  const r = s.cellRack[Math.floor(p / s.k)] ?? 0;
  const u = s.subU[p] ?? 0;
  let sum = 0;
  for (let i = s.dStart[d] ?? 0; i < (s.dStart[d + 1] ?? 0); i++) {
    const h = s.dHosts[i] ?? 0;
    if (h === skip) continue;
    const c = s.hostCell[h] ?? 0;
    sum += cableCost(s, r, u, s.cellRack[c] ?? 0, s.cellU[c] ?? 0);
  }
  return sum;
}

/** CSR adjacency both ways from the device lists. */
function adjacency(input: LayoutInput): Pick<State, 'hStart' | 'hDevs' | 'dStart' | 'dHosts'> {
  const n = input.hosts;
  const hStart = new Int32Array(n + 1);
  let total = 0;
  for (const hs of input.devices) {
    total += hs.length;
    for (const h of hs) hStart[h + 1] = (hStart[h + 1] ?? 0) + 1;
  }
  for (let h = 0; h < n; h++) hStart[h + 1] = (hStart[h + 1] ?? 0) + (hStart[h] ?? 0);
  const fill = hStart.slice(0, n);
  const hDevs = new Int32Array(total);
  const dStart = new Int32Array(input.devices.length + 1);
  const dHosts = new Int32Array(total);
  input.devices.forEach((hs, d) => {
    dStart[d + 1] = (dStart[d] ?? 0) + hs.length;
    hs.forEach((h, i) => {
      dHosts[(dStart[d] ?? 0) + i] = h;
      hDevs[fill[h] ?? 0] = d;
      fill[h] = (fill[h] ?? 0) + 1;
    });
  });
  return { hStart, hDevs, dStart, dHosts };
}

/** The empty state for `input` on its cell grid. */
function emptyState(input: LayoutInput, geometry: LayoutGeometry, reachM: number): State {
  const grid = cellGrid(input.hosts, input.devices.length, geometry);
  const cells = grid.racks * grid.cellsPerRack;
  const k = grid.devicesPerCell;
  const cellRack = new Int32Array(cells);
  const cellU = new Int32Array(cells);
  const subU = new Int32Array(cells * k);
  for (let c = 0; c < cells; c++) {
    cellRack[c] = Math.floor(c / grid.cellsPerRack);
    cellU[c] = (c % grid.cellsPerRack) * grid.cellHeightU;
    for (let j = 0; j < k; j++) subU[c * k + j] = (cellU[c] ?? 0) + j * grid.deviceHeightU;
  }
  return {
    pitch: geometry.rackPitchM,
    reach: reachM,
    k,
    cells,
    cellRack,
    cellU,
    subU,
    hostCell: new Int32Array(input.hosts),
    cellHost: new Int32Array(cells).fill(-1),
    devSub: new Int32Array(input.devices.length),
    subDev: new Int32Array(cells * k).fill(-1),
    cellDevs: new Int32Array(cells),
    ...adjacency(input),
  };
}

/** Cells in snake order: rack 0 bottom-up, rack 1 top-down, … (the i-th cell of the snake). */
export function snakeCell(perRack: number, i: number): number {
  const r = Math.floor(i / perRack);
  const j = i % perRack;
  return r * perRack + (r % 2 === 0 ? j : perRack - 1 - j);
}

/** Steps 1 and 2: host cells and device cells interleaved along the snake, then devices greedily. */
function initialPlacement(s: State, input: LayoutInput, perRack: number): void {
  const n = input.hosts;
  const m = input.devices.length;
  const order = Array.from({ length: n }, (_, h) => h);
  const isl = input.islandOf;
  if (isl !== undefined) order.sort((a, b) => (isl[a] ?? 0) - (isl[b] ?? 0) || a - b);
  const deviceCells = Math.ceil(m / s.k);
  const isDeviceCell = new Uint8Array(s.cells);
  // Hosts, device cells and free cells spread evenly along the snake: each cell goes to the kind
  // furthest behind its share.
  const free = s.cells - n - deviceCells;
  let h = 0;
  let dc = 0;
  let fc = 0;
  for (let i = 0; i < s.cells; i++) {
    const c = snakeCell(perRack, i);
    const hs = h < n ? (h + 0.5) / n : 2;
    const ds = dc < deviceCells ? (dc + 0.5) / deviceCells : 2;
    const fs = fc < free ? (fc + 0.5) / free : 2;
    if (hs <= ds && hs <= fs) {
      const host = order[h++] ?? 0;
      s.hostCell[host] = c;
      s.cellHost[c] = host;
    } else if (ds <= fs) {
      isDeviceCell[c] = 1;
      dc++;
    } else {
      fc++; // left free: room for moves
    }
  }
  // Devices in order of their hosts' mean position along the snake, into the device cells in
  // snake order: a one-dimensional matching that never runs out of room near the end.
  const hostRank = new Float64Array(n);
  order.forEach((host, i) => (hostRank[host] = i));
  const key = new Float64Array(m);
  for (let d = 0; d < m; d++) {
    let sum = 0;
    for (let i = s.dStart[d] ?? 0; i < (s.dStart[d + 1] ?? 0); i++)
      sum += hostRank[s.dHosts[i] ?? 0] ?? 0;
    const deg = (s.dStart[d + 1] ?? 0) - (s.dStart[d] ?? 0);
    key[d] = deg === 0 ? 0 : sum / deg;
  }
  const devOrder = Array.from({ length: m }, (_, d) => d).sort(
    (a, b) => (key[a] ?? 0) - (key[b] ?? 0) || a - b,
  );
  let next = 0;
  for (let i = 0; i < s.cells && next < m; i++) {
    const c = snakeCell(perRack, i);
    if (isDeviceCell[c] !== 1) continue;
    for (let j = 0; j < s.k && next < m; j++) placeDevice(s, devOrder[next++] ?? 0, c * s.k + j);
  }
}

function placeDevice(s: State, d: number, p: number): void {
  s.devSub[d] = p;
  s.subDev[p] = d;
  const c = Math.floor(p / s.k);
  s.cellDevs[c] = (s.cellDevs[c] ?? 0) + 1;
}

/**
 * Lays out a pod (see the file header). Deterministic for `geometry.seed`.
 * @param reachM copper reach in metres (cables longer than this are penalised, then counted)
 * @throws RangeError when a host or device is taller than a rack
 */
export function optimiseLayout(
  input: LayoutInput,
  geometry: LayoutGeometry,
  reachM: number,
): LayoutResult {
  const s = emptyState(input, geometry, reachM);
  const perRack = s.cells / Math.max(1, (s.cellRack[s.cells - 1] ?? 0) + 1);
  initialPlacement(s, input, perRack);
  anneal(s, geometry.seed, perRack);
  return result(s, input);
}

/** Step 3: simulated annealing over host and device moves. */
function anneal(s: State, seed: number, perRack: number): void {
  const n = s.hostCell.length;
  const items = n + s.devSub.length;
  if (items === 0) return;
  const moves = annealingMoves(items);
  const rnd = mulberry32(seed);
  const t0 = s.pitch * 0.5;
  const cool = Math.pow(0.002 / t0, 1 / moves);
  const racks = s.cells / perRack;
  let temp = t0;
  for (let i = 0; i < moves; i++, temp *= cool) {
    const pick = Math.floor(rnd() * items);
    const hostMove = pick < n;
    const item = hostMove ? pick : pick - n;
    const start = hostMove ? (s.hStart[item] ?? 0) : (s.dStart[item] ?? 0);
    const deg = (hostMove ? (s.hStart[item + 1] ?? 0) : (s.dStart[item + 1] ?? 0)) - start;
    // Near one of its neighbours half the time, near itself otherwise.
    let anchorCell: number;
    if (deg > 0 && rnd() < 0.5) {
      const nb = hostMove
        ? (s.hDevs[start + Math.floor(rnd() * deg)] ?? 0)
        : (s.dHosts[start + Math.floor(rnd() * deg)] ?? 0);
      anchorCell = hostMove ? Math.floor((s.devSub[nb] ?? 0) / s.k) : (s.hostCell[nb] ?? 0);
    } else
      anchorCell = hostMove ? (s.hostCell[item] ?? 0) : Math.floor((s.devSub[item] ?? 0) / s.k);
    const rack = Math.min(
      racks - 1,
      Math.max(0, (s.cellRack[anchorCell] ?? 0) + Math.floor(rnd() * 3) - 1),
    );
    // Within the rack, a cell up to a quarter of the rack above or below the anchor's height.
    const span = Math.max(1, perRack >> 2);
    const at = (anchorCell % perRack) + Math.floor(rnd() * (2 * span + 1)) - span;
    const cell = rack * perRack + Math.min(perRack - 1, Math.max(0, at));
    if (hostMove) moveHost(s, item, cell, temp, rnd);
    else moveDevice(s, item, cell * s.k + Math.floor(rnd() * s.k), temp, rnd);
  }
}

function accept(delta: number, temp: number, rnd: () => number): boolean {
  return delta <= 0 || rnd() < Math.exp(-delta / temp);
}

/** Swaps the contents of host h's cell and cell `to` (a host, a cell of devices, or nothing). */
function swapHostCell(s: State, h: number, to: number): void {
  const from = s.hostCell[h] ?? 0;
  const other = s.cellHost[to] ?? -1;
  s.hostCell[h] = to;
  s.cellHost[to] = h;
  s.cellHost[from] = other;
  if (other >= 0) s.hostCell[other] = from;
  for (let j = 0; j < s.k; j++) {
    const a = from * s.k + j;
    const b = to * s.k + j;
    const db = s.subDev[b] ?? -1;
    const da = s.subDev[a] ?? -1;
    s.subDev[a] = db;
    s.subDev[b] = da;
    if (db >= 0) s.devSub[db] = a;
    if (da >= 0) s.devSub[da] = b;
  }
  const t = s.cellDevs[from] ?? 0;
  s.cellDevs[from] = s.cellDevs[to] ?? 0;
  s.cellDevs[to] = t;
}

/** Cost of host h plus the devices in cell `c` (without their cables to h, counted with h). */
function hostMoveCost(s: State, h: number, c: number): number {
  let sum = hostCost(s, h);
  const other = s.cellHost[c] ?? -1;
  if (other >= 0 && other !== h) sum += hostCost(s, other);
  for (let p = c * s.k; p < (c + 1) * s.k; p++) {
    const d = s.subDev[p] ?? -1;
    if (d >= 0) sum += deviceCost(s, d, h);
  }
  return sum;
}

function moveHost(s: State, h: number, to: number, temp: number, rnd: () => number): void {
  const from = s.hostCell[h] ?? 0;
  if (to === from) return;
  const before = hostMoveCost(s, h, to);
  swapHostCell(s, h, to);
  const after = hostMoveCost(s, h, from);
  if (!accept(after - before, temp, rnd)) swapHostCell(s, h, from);
}

function moveDevice(s: State, d: number, to: number, temp: number, rnd: () => number): void {
  const from = s.devSub[d] ?? 0;
  const toCell = Math.floor(to / s.k);
  if (to === from || (s.cellHost[toCell] ?? -1) >= 0) return;
  const other = s.subDev[to] ?? -1;
  const before = deviceCost(s, d) + (other >= 0 ? deviceCost(s, other) : 0);
  const swap = (a: number, b: number): void => {
    s.devSub[d] = b;
    s.subDev[b] = d;
    s.subDev[a] = other;
    if (other >= 0) s.devSub[other] = a;
    else {
      const ca = Math.floor(a / s.k);
      const cb = Math.floor(b / s.k);
      s.cellDevs[ca] = (s.cellDevs[ca] ?? 0) - 1;
      s.cellDevs[cb] = (s.cellDevs[cb] ?? 0) + 1;
    }
  };
  swap(from, to);
  const after = deviceCost(s, d) + (other >= 0 ? deviceCost(s, other) : 0);
  if (!accept(after - before, temp, rnd)) swap(to, from);
}

/** Placements and cable figures of the final state, lengths rounded as the builder stores them. */
function result(s: State, input: LayoutInput): LayoutResult {
  const hostRack = Int32Array.from(s.hostCell, (c) => s.cellRack[c] ?? 0);
  const hostSlotU = Int32Array.from(s.hostCell, (c) => s.cellU[c] ?? 0);
  const deviceRack = Int32Array.from(s.devSub, (p) => s.cellRack[Math.floor(p / s.k)] ?? 0);
  const deviceSlotU = Int32Array.from(s.devSub, (p) => s.subU[p] ?? 0);
  let longest = 0;
  let longestCable = { host: 0, device: 0 };
  let total = 0;
  let beyond = 0;
  input.devices.forEach((hs, d) => {
    for (const h of hs) {
      const len = roundedLengthM(
        routedLengthM(
          s.pitch,
          hostRack[h] ?? 0,
          hostSlotU[h] ?? 0,
          deviceRack[d] ?? 0,
          deviceSlotU[d] ?? 0,
        ),
      );
      total += len;
      if (len > s.reach) beyond++;
      if (len > longest) {
        longest = len;
        longestCable = { host: h, device: d };
      }
    }
  });
  let racks = 0;
  for (const r of hostRack) racks = Math.max(racks, r + 1);
  for (const r of deviceRack) racks = Math.max(racks, r + 1);
  return {
    racks,
    hostRack,
    hostSlotU,
    deviceRack,
    deviceSlotU,
    longestCableM: longest,
    longestCable,
    totalCableM: Number(total.toFixed(4)),
    beyondReach: beyond,
  };
}
