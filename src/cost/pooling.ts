/**
 * The pooling view of a pod (Octopus's cost argument, docs/references.md §1; the model in
 * docs/pooling.md): pooling saves DRAM because one host's memory demand has a peak well above its
 * mean, and the peaks of many hosts rarely coincide. A **dedicated** design buys every host its
 * own demand quantile at a target risk; a **pooled** design keeps a share of that locally and
 * serves each host's overflow from the CXL devices it reaches, sized so that every host is short
 * of memory no more often than a dedicated host (./pooling-size.ts). Net savings = DRAM not bought
 * locally − pool DRAM − fabric (MHDs, switches, cables, retimers), as a share of server cost.
 *
 * The Monte Carlo ({@link sizeFabric}) and the money ({@link priceSizing}) are separate, so a
 * sensitivity analysis can re-price one sizing under many catalogues. Which devices a host
 * reaches comes from the compiled fabric (`cxlPaths`). Pure: no I/O, no mutation of the graph.
 */
import { compileFabric } from '../fabric/compile.ts';
import { cxlPaths } from '../fabric/paths.ts';
import { bytes, formatMoney, GiB, usd, type Bytes, type Usd } from '../units/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import type { CostCatalogue } from './catalogue.ts';
import { priceTopology, type CostLineKind, type TopologyPrice } from './price.ts';
import type { AllocationPolicy } from './pooling-alloc.ts';
import { demandMatrix, validationMatrix, type DemandModel } from './pooling-demand.ts';
import { sizePool, type PoolSizing } from './pooling-size.ts';

export {
  lognormalFit,
  MAX_PEAK_TO_MEAN,
  Z_P99,
  type DemandModel,
  type DemandTrace,
} from './pooling-demand.ts';
export { ALLOCATION_POLICIES, type AllocationPolicy } from './pooling-alloc.ts';
export { sizePool, type PoolSizing } from './pooling-size.ts';

/** What the pooling view is asked, resolved (docs/design.md convention §3). */
export interface PoolingParams {
  readonly demand: DemandModel;
  /** Share of the dedicated DRAM a pooled host keeps locally, 0 … 1. */
  readonly localFraction: number;
  /** Largest share of samples in which any one host may be short of memory (dedicated or pooled), 0 … 0.5. */
  readonly risk: number;
  readonly policy: AllocationPolicy;
}

/** How a fabric pools: `octopus` (MHDs), `switched` (CXL switches), `direct` (devices, no switch), `none`. */
export type PoolKind = 'octopus' | 'switched' | 'direct' | 'none';

/** Which pool devices each host of a topology reaches. */
export interface PoolReach {
  /** Per host (in host order), the device indices `0 … devices−1` it reaches, ascending. */
  readonly reach: readonly (readonly number[])[];
  readonly devices: number;
}

/** Which pool devices (MHDs, memory devices) each host of `graph` reaches over CXL. */
export function poolReach(graph: TopologyGraph): PoolReach {
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
  return { reach, devices: deviceIndex.size };
}

/**
 * Equal-risk sizing of a pod's pool: demand for its hosts (seeded), checked out of sample on
 * fresh draws when the demand is a distribution.
 * @param seed - Monte Carlo seed (the plan's)
 */
export function sizeFabric(pod: PoolReach, params: PoolingParams, seed: number): PoolSizing {
  const hosts = pod.reach.length;
  return sizePool(pod.reach, pod.devices, demandMatrix(params.demand, hosts, seed), {
    localFraction: params.localFraction,
    risk: params.risk,
    policy: params.policy,
    validation: validationMatrix(params.demand, hosts, seed),
  });
}

/** The pool view of one topology: sizing, money per host and net savings. */
export interface PoolingView {
  readonly topology: string;
  readonly hosts: number;
  /** False for fabrics without pool devices (RDMA): savings are 0 by definition. */
  readonly hasPool: boolean;
  readonly poolKind: PoolKind;
  readonly sizing: PoolSizing;
  /** Pool DRAM per host (`poolBytes / hosts`). */
  readonly poolPerHostBytes: Bytes;
  /** Server + GPUs + dedicated DRAM, per host. */
  readonly serverUsd: Usd;
  /** GPUs per host (0 for general-purpose servers). */
  readonly gpusPerHost: number;
  /** Share of {@link serverUsd} that is dedicated DRAM, 0 … 1. */
  readonly dramShareOfServer: number;
  /** Local DRAM not bought thanks to pooling, per host. */
  readonly dramSavedPerHostUsd: Usd;
  /** Pool DRAM bought, per host. */
  readonly poolDramPerHostUsd: Usd;
  /** Fabric without device DRAM (MHDs/devices, switches, cables, retimers, NICs …), per host. */
  readonly fabricPerHostUsd: Usd;
  /** `(dramSaved − poolDram − fabric) / serverUsd`; 0 when there is no pool. */
  readonly netSavingsShare: number;
}

/** Octopus's published net server-cost saving, as shares (docs/references.md §1: 3–5.4 %). */
export const OCTOPUS_NET_SAVING = Object.freeze({ low: 0.03, high: 0.054 });

/** Device-DRAM lines: the pool's DRAM is sized by the Monte Carlo, not taken from the generator's capacities. */
const DEVICE_DRAM: ReadonlySet<CostLineKind> = new Set<CostLineKind>([
  'mhd-dram',
  'memory-device-dram',
]);

/**
 * A bill's pod hardware per host: every fabric line (devices, switches, cables, retimers, NICs …)
 * except device DRAM, which pooling sizes on its own.
 */
export function fabricWithoutDramPerHostUsd(price: TopologyPrice): Usd {
  const total = price.lines.reduce(
    (s, l) => s + (l.fabric && !DEVICE_DRAM.has(l.kind) ? l.totalUsd : 0),
    0,
  );
  return usd(total / price.hosts);
}

/** The pool kind a priced bill shows: switches → switched, MHDs → octopus, other devices → direct. */
function kindOf(price: TopologyPrice, devices: number): PoolKind {
  const has = (k: CostLineKind): boolean => price.lines.some((l) => l.kind === k && l.count > 0);
  if (devices === 0) return 'none';
  return has('cxl-switch') ? 'switched' : has('mhd') ? 'octopus' : 'direct';
}

/**
 * Prices a sizing: a pure function of (sizing, priced bill, catalogue), so a sensitivity analysis
 * re-prices without rerunning the Monte Carlo. Server cost per host = the bill's server and GPU
 * lines per host + the dedicated DRAM at `dramUsdPerGiB`; fabric = every fabric line except device
 * DRAM (the pool's DRAM is the sizing's).
 */
export function priceSizing(
  sizing: PoolSizing,
  price: TopologyPrice,
  catalogue: CostCatalogue,
): PoolingView {
  const hosts = price.hosts;
  const sum = (pick: (kind: CostLineKind) => boolean): number =>
    price.lines.reduce((s, l) => s + (pick(l.kind) ? l.totalUsd : 0), 0);
  const perGiB = catalogue.dramUsdPerGiB;
  const dedicatedUsd = (sizing.dedicatedPerHostBytes / GiB) * perGiB;
  const serverUsd = sum((k) => k === 'server' || k === 'gpu') / hosts + dedicatedUsd;
  const gpus = price.lines.reduce((s, l) => s + (l.kind === 'gpu' ? l.count : 0), 0);
  const hasPool = sizing.devices > 0 && sizing.pooledHosts > 0;
  const fabric = fabricWithoutDramPerHostUsd(price);
  const saved = hasPool
    ? ((sizing.dedicatedPerHostBytes - sizing.localPerHostBytes) / GiB) * perGiB
    : 0;
  const poolDram = hasPool ? (sizing.poolBytes / hosts / GiB) * perGiB : 0;
  return Object.freeze({
    topology: price.name,
    hosts,
    hasPool,
    poolKind: hasPool ? kindOf(price, sizing.devices) : 'none',
    sizing,
    poolPerHostBytes: bytes(sizing.poolBytes / hosts),
    serverUsd: usd(serverUsd),
    gpusPerHost: gpus / hosts,
    dramShareOfServer: serverUsd > 0 ? dedicatedUsd / serverUsd : 0,
    dramSavedPerHostUsd: usd(saved),
    poolDramPerHostUsd: usd(poolDram),
    fabricPerHostUsd: usd(fabric),
    netSavingsShare: hasPool && serverUsd > 0 ? (saved - poolDram - fabric) / serverUsd : 0,
  });
}

/**
 * The pooling view of `graph`: reach from the compiled fabric, equal-risk sizing, priced with `catalogue`.
 * @param seed - Monte Carlo seed (the plan's)
 * @throws InputError what {@link priceTopology} throws (unknown GPU model, no host)
 */
export function poolingView(
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  params: PoolingParams,
  seed: number,
): PoolingView {
  const price = priceTopology(graph, catalogue);
  return priceSizing(sizeFabric(poolReach(graph), params, seed), price, catalogue);
}

/** One point of the savings curve: the pool re-sized with pooled hosts keeping `localFraction` locally. */
export interface CurvePoint {
  readonly localFraction: number;
  readonly localPerHostBytes: Bytes;
  readonly poolPerHostBytes: Bytes;
  readonly dramSavedPerHostUsd: Usd;
  readonly poolDramPerHostUsd: Usd;
  readonly netSavingsShare: number;
}

/**
 * Net savings as the share kept local goes over `fractions` (each 0 … 1): one equal-risk sizing
 * per point on the same demand draws (same `seed`), priced like {@link priceSizing}.
 */
export function savingsCurve(
  pod: PoolReach,
  params: PoolingParams,
  seed: number,
  fractions: readonly number[],
  price: TopologyPrice,
  catalogue: CostCatalogue,
): CurvePoint[] {
  const demand = demandMatrix(params.demand, pod.reach.length, seed);
  return fractions.map((localFraction) => {
    const sizing = sizePool(pod.reach, pod.devices, demand, { ...params, localFraction });
    const v = priceSizing(sizing, price, catalogue);
    return Object.freeze({
      localFraction,
      localPerHostBytes: sizing.localPerHostBytes,
      poolPerHostBytes: v.poolPerHostBytes,
      dramSavedPerHostUsd: v.dramSavedPerHostUsd,
      poolDramPerHostUsd: v.poolDramPerHostUsd,
      netSavingsShare: v.netSavingsShare,
    });
  });
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const money = (x: number): string => formatMoney(usd(x));

/** What the server cost is made of, for the verdict: GPUs dominate, or DRAM's share. */
function serverNote(v: PoolingView): string {
  if (v.gpusPerHost > 0)
    return `a ${money(v.serverUsd)} GPU server (${v.gpusPerHost} GPUs; DRAM is ${pct(v.dramShareOfServer)} of it, which shrinks every share)`;
  return `a ${money(v.serverUsd)} general-purpose server (DRAM is ${pct(v.dramShareOfServer)} of it; Pond: about half)`;
}

/**
 * One sentence comparing a pooling view with Octopus's published results (docs/references.md §1:
 * 3–5.4 % net server-cost savings for Octopus, a net increase for CXL switches), saying that
 * the prices are estimates and what drives the result.
 */
export function poolingVerdict(v: PoolingView): string {
  if (!v.hasPool)
    return `${v.topology}: no CXL pool (RDMA only), so pooling savings are 0 by definition; its fabric (${money(v.fabricPerHostUsd)}/host) buys communication, not memory.`;
  const switched = v.poolKind === 'switched';
  const paper = switched
    ? 'Octopus reports a net cost increase for CXL switches'
    : 'Octopus reports 3–5.4 % net savings';
  const share = v.netSavingsShare;
  const agree = switched
    ? share < 0
      ? 'agrees'
      : 'disagrees'
    : share >= OCTOPUS_NET_SAVING.low && share <= OCTOPUS_NET_SAVING.high
      ? 'agrees'
      : share > 0
        ? 'is positive but outside that range'
        : 'disagrees (a net increase)';
  return (
    `${v.topology}: net ${pct(share)} of server cost; ${paper}, so this ${agree}. ` +
    `Driven by DRAM saved ${money(v.dramSavedPerHostUsd)}/host against pool DRAM ${money(v.poolDramPerHostUsd)} + fabric ${money(v.fabricPerHostUsd)}/host, ` +
    `over ${serverNote(v)}; all prices are estimates (no public MHD, CXL switch or cable prices).`
  );
}
