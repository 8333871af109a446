/**
 * The pooling view of a pod (Octopus's cost argument, docs/references.md §1): pooling saves DRAM
 * because one host's memory demand has a peak well above its mean, and the peaks of many hosts
 * rarely coincide. A **dedicated** design buys every host its own p99 demand; a **pooled**
 * design keeps a share of that locally and serves each host's excess from the CXL devices it
 * reaches, which are sized for the p99 of the worst device's load. Net savings = DRAM not bought
 * locally − pool DRAM − fabric (MHDs, switches, cables, retimers), as a share of the server cost.
 *
 * Per-host demand is lognormal with a given mean and p99 = `peakToMean × mean`, drawn with the
 * project's one seeded PRNG (mulberry32), so the same seed gives the same answer. Which devices
 * a host reaches comes from the compiled fabric (`cxlPaths`), so a sparse Octopus pod pools only
 * among hosts that share devices, while a switched pool lets every host use every device.
 * Pure: no I/O, no mutation of the graph.
 */
import { compileFabric } from '../fabric/compile.ts';
import { cxlPaths } from '../fabric/paths.ts';
import { bytes, GiB, mulberry32, usd, type Bytes, type Random, type Usd } from '../units/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import type { CostCatalogue } from './catalogue.ts';
import { priceTopology, type CostLineKind } from './price.ts';

/** The standard normal's 99th percentile (≈ 2.3263), for the lognormal fit to a p99. */
export const Z_P99 = 2.326347874040841;

/** Largest p99 / mean a lognormal can have (σ = z₀.₉₉): `exp(z²/2)` ≈ 14.97. */
export const MAX_PEAK_TO_MEAN = Math.exp((Z_P99 * Z_P99) / 2);

/** What the pooling view is asked, resolved (docs/design.md convention §3): sizes in bytes, shares as fractions. */
export interface PoolingParams {
  /** Mean memory demand of one host, bytes. */
  readonly perHostMeanBytes: Bytes;
  /** p99 / mean of one host's demand (dimensionless, 1 … {@link MAX_PEAK_TO_MEAN}). */
  readonly peakToMean: number;
  /** Share of the dedicated DRAM (p99) a pooled host keeps locally, 0 … 1. */
  readonly localFraction: number;
  /** Monte Carlo draws (whole number ≥ 1). */
  readonly samples: number;
}

/**
 * Lognormal parameters with mean `meanBytes` and p99 = `peakToMean × mean`: σ solves
 * `z·σ − σ²/2 = ln(peakToMean)` (the smaller root), μ = ln(mean) − σ²/2.
 * @throws RangeError when `peakToMean` is below 1 or above {@link MAX_PEAK_TO_MEAN} (the loader refuses such plans first)
 */
export function lognormalFit(
  meanBytes: number,
  peakToMean: number,
): { readonly mu: number; readonly sigma: number } {
  if (!(peakToMean >= 1 && peakToMean <= MAX_PEAK_TO_MEAN))
    throw new RangeError(`peakToMean ${peakToMean} outside 1…${MAX_PEAK_TO_MEAN.toFixed(2)}`);
  const sigma = Z_P99 - Math.sqrt(Math.max(0, Z_P99 * Z_P99 - 2 * Math.log(peakToMean)));
  return { mu: Math.log(meanBytes) - (sigma * sigma) / 2, sigma };
}

/** One standard normal draw (Box–Muller, one of the pair). */
function normal(rand: Random): number {
  const u = 1 - rand(); // (0, 1]
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** The p99 of `values` (nearest rank; sorts a copy). */
export function p99(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
}

/**
 * Adds `amount` to the loads of `devices` by water-filling: the least-loaded device is raised
 * first, up to the next one, then both, and so on (greedy least-loaded first, split as needed).
 * Mutates `load` (hence the name).
 */
export function waterFillInPlace(
  load: Float64Array,
  devices: readonly number[],
  amount: number,
): void {
  if (amount <= 0 || devices.length === 0) return;
  const order = [...devices].sort((a, b) => (load[a] ?? 0) - (load[b] ?? 0) || a - b);
  let left = amount;
  let k = 1;
  let level = load[order[0] as number] ?? 0;
  while (left > 0) {
    const next = k < order.length ? (load[order[k] as number] ?? 0) : Number.POSITIVE_INFINITY;
    const room = (next - level) * k;
    if (room >= left) {
      level += left / k;
      left = 0;
    } else {
      left -= room;
      level = next;
      k++;
    }
  }
  for (let i = 0; i < k; i++) load[order[i] as number] = level;
}

/** What the Monte Carlo finds for one fabric (bytes). */
export interface PoolSizing {
  /** Dedicated DRAM per host: the p99 of one host's demand. */
  readonly dedicatedPerHostBytes: Bytes;
  /** DRAM a pooled host keeps locally (`localFraction × dedicated`; hosts reaching no device keep `dedicated`). */
  readonly localPerHostBytes: Bytes;
  /** Hosts that reach at least one pool device. */
  readonly pooledHosts: number;
  /** Pool devices (MHDs and memory devices) reached by some host. */
  readonly devices: number;
  /** Capacity each device needs: p99 over samples of the most loaded device's load. */
  readonly deviceCapacityBytes: Bytes;
  /** `deviceCapacityBytes × devices`. */
  readonly poolBytes: Bytes;
  /** Σ over pooled hosts of the p99 of their own excess — what a pool without statistical multiplexing would need. */
  readonly sumExcessP99Bytes: Bytes;
}

/**
 * Sizes the pool for hosts whose reachable devices are `reach[h]` (device indices `0 … devices−1`).
 * Deterministic for `seed`.
 * @param reach - per host, the pool devices it reaches (empty: the host keeps its dedicated DRAM)
 * @param devices - number of pool devices
 */
export function sizePool(
  reach: readonly (readonly number[])[],
  devices: number,
  params: PoolingParams,
  seed: number,
): PoolSizing {
  const { mu, sigma } = lognormalFit(params.perHostMeanBytes, params.peakToMean);
  const dedicated = params.peakToMean * params.perHostMeanBytes;
  const local = params.localFraction * dedicated;
  const pooled = reach.map((r) => r.length > 0);
  const pooledHosts = pooled.filter(Boolean).length;
  const rand = mulberry32(seed);
  const maxLoads: number[] = [];
  const excessByHost: number[][] = reach.map(() => []);
  const load = new Float64Array(devices);
  const excess = new Float64Array(reach.length);
  const order = reach.map((_, h) => h);
  for (let s = 0; s < params.samples; s++) {
    for (let h = 0; h < reach.length; h++) {
      const d = Math.exp(mu + sigma * normal(rand));
      excess[h] = pooled[h] === true ? Math.max(0, d - local) : 0;
      if (pooled[h] === true) excessByHost[h]?.push(excess[h] ?? 0);
    }
    load.fill(0);
    order.sort((a, b) => (excess[b] ?? 0) - (excess[a] ?? 0) || a - b);
    for (const h of order) waterFillInPlace(load, reach[h] ?? [], excess[h] ?? 0);
    let max = 0;
    for (let i = 0; i < devices; i++) max = Math.max(max, load[i] ?? 0);
    maxLoads.push(max);
  }
  const deviceCapacity = devices > 0 && pooledHosts > 0 ? p99(maxLoads) : 0;
  return Object.freeze({
    dedicatedPerHostBytes: bytes(dedicated),
    localPerHostBytes: bytes(
      reach.length === 0
        ? dedicated
        : (pooledHosts * local + (reach.length - pooledHosts) * dedicated) / reach.length,
    ),
    pooledHosts,
    devices,
    deviceCapacityBytes: bytes(deviceCapacity),
    poolBytes: bytes(deviceCapacity * devices),
    sumExcessP99Bytes: bytes(
      excessByHost.reduce((sum, xs) => sum + (xs.length > 0 ? p99(xs) : 0), 0),
    ),
  });
}

/** The pool view of one topology: sizing, money per host and net savings. */
export interface PoolingView {
  readonly topology: string;
  readonly hosts: number;
  /** False for fabrics without pool devices (RDMA): savings are 0 by definition. */
  readonly hasPool: boolean;
  /** `octopus` (MHDs), `switched` (CXL switches) or `none`. */
  readonly poolKind: 'octopus' | 'switched' | 'direct' | 'none';
  readonly sizing: PoolSizing;
  /** Pool DRAM per host (`poolBytes / hosts`). */
  readonly poolPerHostBytes: Bytes;
  /** Server + GPUs + dedicated DRAM, per host. */
  readonly serverUsd: Usd;
  /** Local DRAM not bought thanks to pooling, per host. */
  readonly dramSavedPerHostUsd: Usd;
  /** Pool DRAM bought, per host. */
  readonly poolDramPerHostUsd: Usd;
  /** Fabric without device DRAM (MHDs/devices, switches, cables, retimers, NICs …), per host. */
  readonly fabricPerHostUsd: Usd;
  /** `(dramSaved − poolDram − fabric) / serverUsd`; 0 when there is no pool. */
  readonly netSavingsShare: number;
}

/** Device-DRAM lines: the pool's DRAM is sized by the Monte Carlo, not taken from the generator's capacities. */
const DEVICE_DRAM: ReadonlySet<CostLineKind> = new Set<CostLineKind>([
  'mhd-dram',
  'memory-device-dram',
]);

/**
 * The pooling view of `graph`: which devices each host reaches (compiled fabric, `cxlPaths`),
 * the pool sized by {@link sizePool}, and the money per host priced with `catalogue`.
 * @param seed - Monte Carlo seed (the scenario's)
 * @throws InputError what {@link priceTopology} throws (unknown GPU model, no host)
 */
export function poolingView(
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  params: PoolingParams,
  seed: number,
): PoolingView {
  const price = priceTopology(graph, catalogue);
  const f = compileFabric(graph);
  const deviceIndex = new Map<number, number>();
  const reach = Array.from(f.hosts, (h) =>
    [...new Set(cxlPaths(f, h).map((p) => p.device))]
      .filter((d) => {
        const a = f.nodeAttrs[d];
        return a !== undefined && (a.kind === 'mhd' || a.kind === 'memory-device');
      })
      .sort((a, b) => a - b)
      .map((d) => {
        if (!deviceIndex.has(d)) deviceIndex.set(d, deviceIndex.size);
        return deviceIndex.get(d) as number;
      }),
  );
  const hasPool = deviceIndex.size > 0;
  const sizing = hasPool
    ? sizePool(reach, deviceIndex.size, params, seed)
    : sizePool(
        reach.map(() => []),
        0,
        { ...params, samples: 0 },
        seed,
      );
  let switches = 0;
  let mhds = 0;
  graph.forEachNode((_id, a) => {
    if (a.kind === 'cxl-switch') switches++;
    if (a.kind === 'mhd') mhds++;
  });
  const hosts = price.hosts;
  const sumLines = (pick: (kind: CostLineKind, fabric: boolean) => boolean): number =>
    price.lines.reduce((s, l) => s + (pick(l.kind, l.fabric) ? l.totalUsd : 0), 0);
  const perGiB = catalogue.dramUsdPerGiB;
  const serverUsd =
    sumLines((k) => k === 'server' || k === 'gpu') / hosts +
    (sizing.dedicatedPerHostBytes / GiB) * perGiB;
  const fabricPerHost = sumLines((k, fabric) => fabric && !DEVICE_DRAM.has(k)) / hosts;
  const saved = hasPool
    ? ((sizing.dedicatedPerHostBytes - sizing.localPerHostBytes) / GiB) * perGiB
    : 0;
  const poolDram = hasPool ? (sizing.poolBytes / hosts / GiB) * perGiB : 0;
  return Object.freeze({
    topology: price.name,
    hosts,
    hasPool,
    poolKind: !hasPool ? 'none' : switches > 0 ? 'switched' : mhds > 0 ? 'octopus' : 'direct',
    sizing,
    poolPerHostBytes: bytes(sizing.poolBytes / hosts),
    serverUsd: usd(serverUsd),
    dramSavedPerHostUsd: usd(saved),
    poolDramPerHostUsd: usd(poolDram),
    fabricPerHostUsd: usd(fabricPerHost),
    netSavingsShare: hasPool ? (saved - poolDram - fabricPerHost) / serverUsd : 0,
  });
}

/**
 * One sentence comparing a pooling view with Octopus's published results (docs/references.md §1:
 * 3–5.4 % net server-cost savings for Octopus, a net increase for CXL switches), saying that
 * the prices are estimates and what drives the result.
 */
export function poolingVerdict(v: PoolingView): string {
  if (!v.hasPool)
    return `${v.topology}: no CXL pool (RDMA only), so pooling savings are 0 by definition; its fabric ($${Math.round(v.fabricPerHostUsd).toLocaleString('en-US')}/host) buys communication, not memory.`;
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const paper =
    v.poolKind === 'switched'
      ? 'Octopus reports a net cost increase for CXL switches'
      : 'Octopus reports 3–5.4 % net savings';
  const agree =
    v.poolKind === 'switched'
      ? v.netSavingsShare < 0
        ? 'agrees'
        : 'disagrees'
      : v.netSavingsShare >= 0.03 && v.netSavingsShare <= 0.054
        ? 'agrees'
        : v.netSavingsShare > 0
          ? 'is positive but outside that range'
          : 'disagrees (a net increase)';
  const money = (x: number): string => `$${Math.round(x).toLocaleString('en-US')}`;
  return (
    `${v.topology}: net ${pct(v.netSavingsShare)} of server cost; ${paper}, so this ${agree}. ` +
    `Driven by DRAM saved ${money(v.dramSavedPerHostUsd)}/host against pool DRAM ${money(v.poolDramPerHostUsd)} + fabric ${money(v.fabricPerHostUsd)}/host, ` +
    `over a ${money(v.serverUsd)} server (GPUs dominate it, which shrinks every share); all prices are estimates (no public MHD, CXL switch or cable prices).`
  );
}
