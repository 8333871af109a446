/**
 * Equal-risk pool sizing (docs/pooling.md §4). The dedicated design and the pool are sized to the
 * same risk: each host may be short of memory in at most `⌊risk × samples⌋` of the demand samples.
 * A dedicated host buys its own demand quantile at that risk; a pooled host keeps `localFraction`
 * of it locally and its overflow is served by the devices it reaches (./pooling-alloc.ts). Device
 * capacities are found per device: grow the devices of every host that is short too often by what
 * that host lacks (faster each round that still falls short), until every host meets the risk;
 * then shrink all capacities by the smallest common factor that still meets it. The stopping test *is* the constraint, evaluated on the same
 * samples, so the result always meets it; the search ends because each round grows some device
 * by at least a fixed step, and a known feasible bound (every device holding the worst overflow
 * of every host it serves) is used if the rounds run out. Pure and deterministic.
 */
import { bytes, type Bytes } from '../units/index.ts';
import {
  overflowOrder,
  reachRows,
  shortfalls,
  type AllocationPolicy,
  type ReachRows,
} from './pooling-alloc.ts';
import type { DemandMatrix } from './pooling-demand.ts';

/** What equal-risk sizing is asked (shares as fractions). */
export interface SizingOptions {
  /** Share of the dedicated DRAM a pooled host keeps locally, 0 … 1. */
  readonly localFraction: number;
  /** Largest share of samples in which any one host may be short of memory, 0 … 0.5. */
  readonly risk: number;
  readonly policy: AllocationPolicy;
  /** Fresh demand of the same hosts to check the sizing out of sample (none for a trace). */
  readonly validation?: DemandMatrix | undefined;
}

/** Shortfall rates (shares of samples) over hosts. */
export interface ShortfallRates {
  readonly meanRate: number;
  readonly maxRate: number;
}

/** What equal-risk sizing finds for one fabric. */
export interface PoolSizing {
  readonly policy: AllocationPolicy;
  readonly risk: number;
  readonly localFraction: number;
  readonly samples: number;
  readonly hosts: number;
  /** Mean over hosts of each host's dedicated DRAM (its demand quantile at `risk`). */
  readonly dedicatedPerHostBytes: Bytes;
  /** Mean over hosts of the DRAM each keeps locally (hosts reaching no device keep their dedicated DRAM). */
  readonly localPerHostBytes: Bytes;
  /** Hosts that reach at least one pool device. */
  readonly pooledHosts: number;
  /** Pool devices. */
  readonly devices: number;
  /** Capacity of each device, in device-index order. */
  readonly deviceCapacitiesBytes: readonly Bytes[];
  /** The largest device capacity. */
  readonly largestDeviceBytes: Bytes;
  /** Σ of the device capacities. */
  readonly poolBytes: Bytes;
  /** Σ over pooled hosts of (dedicated − local): a pool without statistical multiplexing. */
  readonly sumExcessBytes: Bytes;
  /** Shortfall rates in the sizing samples: the dedicated design and the pool. */
  readonly dedicatedShortfall: ShortfallRates;
  readonly poolShortfall: ShortfallRates;
  /** The same rates on fresh demand (dedicated and local DRAM and capacities fixed), when there was any. */
  readonly outOfSample?: { readonly dedicated: ShortfallRates; readonly pool: ShortfallRates };
  /** Grow rounds the search took. */
  readonly rounds: number;
}

/** Grow rounds before falling back to the feasible bound. */
const MAX_ROUNDS = 200;
/** Growth pace: each consecutive round that still falls short grows by this factor more, up to {@link PACE_MAX}. */
const PACE_GROWTH = 1.5;
const PACE_MAX = 32;
/** Halvings the shrink tries before bisecting (2⁻⁴⁰: any overshoot the growth pace can make). */
const MAX_HALVINGS = 40;
/** Bisection steps of the final common shrink factor (2⁻¹² ≈ 0.02 % precision). */
const SHRINK_STEPS = 12;

/** Each host's demand quantile at `risk`: the (⌊risk·S⌋+1)-th largest sample, so it is exceeded in at most ⌊risk·S⌋ samples. */
export function perHostQuantile(demand: DemandMatrix, risk: number): Float64Array {
  const { hosts, samples } = demand;
  const allowed = Math.floor(risk * samples + 1e-9);
  const q = new Float64Array(hosts);
  const col = new Float64Array(samples);
  for (let h = 0; h < hosts; h++) {
    for (let s = 0; s < samples; s++) col[s] = demand.bytes[s * hosts + h] ?? 0;
    col.sort();
    q[h] = samples === 0 ? 0 : (col[Math.max(0, samples - 1 - allowed)] ?? 0);
  }
  return q;
}

/** Shortfall rates of per-host counts over `samples`. */
export function rates(counts: ArrayLike<number>, samples: number): ShortfallRates {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < counts.length; i++) {
    sum += counts[i] ?? 0;
    max = Math.max(max, counts[i] ?? 0);
  }
  const n = Math.max(1, counts.length) * Math.max(1, samples);
  return { meanRate: sum / n, maxRate: max / Math.max(1, samples) };
}

/** How much each host still lacks: per too-often-short host, the shortfall it must cover in its (count − allowed) cheapest short samples. */
function needs(
  counts: Int32Array,
  unserved: Float64Array,
  hosts: number,
  samples: number,
  allowed: number,
): Float64Array {
  const need = new Float64Array(hosts);
  const mine: number[] = [];
  for (let h = 0; h < hosts; h++) {
    const excess = (counts[h] ?? 0) - allowed;
    if (excess <= 0) continue;
    mine.length = 0;
    for (let s = 0; s < samples; s++) {
      const u = unserved[s * hosts + h] ?? 0;
      if (u > 0) mine.push(u);
    }
    mine.sort((a, b) => a - b);
    need[h] = mine[excess - 1] ?? 0;
  }
  return need;
}

/** True when no host is short in more than `allowed` samples. */
const meets = (counts: Int32Array, allowed: number): boolean => counts.every((c) => c <= allowed);

/** The per-device capacities of each device class meeting the risk (grow, fall back to the bound, shrink). */
function searchCapacities(
  rows: ReachRows,
  over: ReturnType<typeof overflowOrder>,
  policy: AllocationPolicy,
  allowed: number,
  step: number,
): { capacity: Float64Array; rounds: number } {
  const { hosts, classes: devices } = rows;
  const samples = over.samples;
  const unserved = new Float64Array(samples * hosts);
  const bound = new Float64Array(devices);
  for (let h = 0; h < hosts; h++) {
    let worst = 0;
    for (let s = 0; s < samples; s++) worst = Math.max(worst, over.bytes[s * hosts + h] ?? 0);
    for (let i = rows.offsets[h] ?? 0; i < (rows.offsets[h + 1] ?? 0); i++) {
      const d = rows.reached[i] ?? 0;
      bound[d] = (bound[d] ?? 0) + worst;
    }
  }
  let capacity = new Float64Array(devices);
  let rounds = 0;
  let pace = 1;
  for (;;) {
    const counts = shortfalls(policy, rows, capacity, over, unserved);
    if (meets(counts, allowed)) break;
    if (++rounds > MAX_ROUNDS) {
      capacity = bound;
      break;
    }
    const need = needs(counts, unserved, hosts, samples, allowed);
    const grow = new Float64Array(devices);
    for (let h = 0; h < hosts; h++) {
      const from = rows.offsets[h] ?? 0;
      const k = (rows.offsets[h + 1] ?? 0) - from;
      if ((need[h] ?? 0) <= 0 || k === 0) continue;
      let reachable = 0;
      for (let i = 0; i < k; i++) reachable += rows.weight[rows.reached[from + i] ?? 0] ?? 1;
      const share = Math.max(step, (pace * (need[h] ?? 0)) / reachable);
      for (let i = 0; i < k; i++) {
        const d = rows.reached[from + i] ?? 0;
        grow[d] = Math.max(grow[d] ?? 0, share);
      }
    }
    for (let d = 0; d < devices; d++)
      capacity[d] = Math.min(bound[d] ?? 0, (capacity[d] ?? 0) + (grow[d] ?? 0));
    // Each round still short speeds the next up (the final shrink takes back any overshoot).
    pace = Math.min(PACE_MAX, pace * PACE_GROWTH);
  }
  return {
    capacity: trim(shrink(capacity, rows, over, policy, allowed), rows, over, policy, allowed),
    rounds,
  };
}

/**
 * Lowers each class to the highest load it carried. Under `first-fit` and `balanced` a class
 * that never filled up never limited an allocation, so the samples play out the same (exact);
 * under `most-free` capacities steer allocations, so the trimmed capacities are kept only if
 * they still meet the risk.
 */
function trim(
  capacity: Float64Array,
  rows: ReachRows,
  over: ReturnType<typeof overflowOrder>,
  policy: AllocationPolicy,
  allowed: number,
): Float64Array {
  const peak = new Float64Array(capacity.length);
  shortfalls(policy, rows, capacity, over, undefined, peak);
  const trimmed = capacity.map((c, i) => Math.min(c, peak[i] ?? 0));
  return meets(shortfalls(policy, rows, trimmed, over), allowed) ? trimmed : capacity;
}

/**
 * The smallest common factor by which `capacity` can shrink and still meet the risk: halve while
 * it still meets (finds the magnitude of any overshoot), then bisect between the last two factors.
 */
function shrink(
  capacity: Float64Array,
  rows: ReachRows,
  over: ReturnType<typeof overflowOrder>,
  policy: AllocationPolicy,
  allowed: number,
): Float64Array {
  const trial = new Float64Array(capacity.length);
  const ok = (factor: number): boolean => {
    for (let d = 0; d < capacity.length; d++) trial[d] = (capacity[d] ?? 0) * factor;
    return meets(shortfalls(policy, rows, trial, over), allowed);
  };
  let hi = 1;
  let halvings = 0;
  while (halvings++ < MAX_HALVINGS && ok(hi / 2)) hi /= 2;
  let lo = halvings > MAX_HALVINGS ? 0 : hi / 2;
  for (let i = 0; i < SHRINK_STEPS; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return capacity.map((c) => c * hi);
}

/**
 * Sizes the pool for hosts whose reachable devices are `reach[h]` (device indices `0 … devices−1`)
 * under `demand`, to equal risk with the dedicated design (see the file header).
 * @param reach - per host, the pool devices it reaches (empty: the host keeps its dedicated DRAM)
 * @param devices - number of pool devices
 */
export function sizePool(
  reach: readonly (readonly number[])[],
  devices: number,
  demand: DemandMatrix,
  options: SizingOptions,
): PoolSizing {
  const { hosts, samples } = demand;
  if (reach.length !== hosts) throw new Error(`reach lists ${reach.length} hosts, demand ${hosts}`);
  const rows = reachRows(reach, devices);
  const allowed = Math.floor(options.risk * samples + 1e-9);
  const dedicated = perHostQuantile(demand, options.risk);
  const pooled = reach.map((r) => r.length > 0);
  const local = dedicated.map((q, h) => (pooled[h] === true ? options.localFraction * q : q));
  const over = overflowOrder(overflow(demand, local), hosts, samples);
  let excess = 0;
  let sumDedicated = 0;
  let sumLocal = 0;
  for (let h = 0; h < hosts; h++) {
    excess += (dedicated[h] ?? 0) - (local[h] ?? 0);
    sumDedicated += dedicated[h] ?? 0;
    sumLocal += local[h] ?? 0;
  }
  const step = (1e-3 * excess) / Math.max(1, hosts);
  const { capacity, rounds } = searchCapacities(rows, over, options.policy, allowed, step);
  const v = options.validation;
  const outOfSample =
    v === undefined || v.hosts !== hosts
      ? undefined
      : {
          dedicated: rates(exceed(v, dedicated), v.samples),
          pool: rates(
            shortfalls(
              options.policy,
              rows,
              capacity,
              overflowOrder(overflow(v, local), hosts, v.samples),
            ),
            v.samples,
          ),
        };
  const caps = Array.from(rows.deviceClass, (c) => bytes(capacity[c] ?? 0));
  return Object.freeze({
    policy: options.policy,
    risk: options.risk,
    localFraction: options.localFraction,
    samples,
    hosts,
    dedicatedPerHostBytes: bytes(hosts === 0 ? 0 : sumDedicated / hosts),
    localPerHostBytes: bytes(hosts === 0 ? 0 : sumLocal / hosts),
    pooledHosts: pooled.filter(Boolean).length,
    devices,
    deviceCapacitiesBytes: Object.freeze(caps),
    largestDeviceBytes: bytes(caps.reduce((m, c) => Math.max(m, c), 0)),
    poolBytes: bytes(caps.reduce((t, c) => t + c, 0)),
    sumExcessBytes: bytes(excess),
    dedicatedShortfall: rates(exceed(demand, dedicated), samples),
    poolShortfall: rates(shortfalls(options.policy, rows, capacity, over), samples),
    ...(outOfSample === undefined ? {} : { outOfSample }),
    rounds,
  });
}

/** Overflow of each host over its local DRAM `local[h]`, bytes at `[s × hosts + h]`. */
function overflow(demand: DemandMatrix, local: Float64Array): Float64Array {
  const { hosts, samples } = demand;
  const out = new Float64Array(samples * hosts);
  for (let s = 0; s < samples; s++)
    for (let h = 0; h < hosts; h++)
      out[s * hosts + h] = Math.max(0, (demand.bytes[s * hosts + h] ?? 0) - (local[h] ?? 0));
  return out;
}

/** Per host, the samples whose demand exceeds `have[h]` (a dedicated host's shortfalls). */
function exceed(demand: DemandMatrix, have: Float64Array): Int32Array {
  const { hosts, samples } = demand;
  const counts = new Int32Array(hosts);
  for (let s = 0; s < samples; s++)
    for (let h = 0; h < hosts; h++)
      if ((demand.bytes[s * hosts + h] ?? 0) > (have[h] ?? 0)) counts[h] = (counts[h] ?? 0) + 1;
  return counts;
}
