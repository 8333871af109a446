/**
 * What-if: the same scenario on several topologies (or one topology with and without failed
 * elements), side by side — what `podsim whatif` (and `npm start`) runs. For each fabric it
 * gathers the topology metrics, the headline costs (all-pairs RPC, a reference KV fetch), the RPC
 * split by locality under a traffic matrix (docs/rpc.md) and a full serving simulation, and
 * prices the fabric; rendering happens in report/, printing in cli/.
 * The result shapes ({@link WhatIfColumn}, {@link ReachLoss}) live in src/sim/whatif.ts.
 */
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../cost/index.ts';
import { compileFabric, type Fabric, type Failures } from '../fabric/compile.ts';
import type { PolicyName } from '../planner/planner.ts';
import { cxlPaths } from '../fabric/paths.ts';
import { rpcByLocality, UNIFORM_TRAFFIC, type TrafficMatrix } from '../fabric/rpc.ts';
import { fabricSummary, SMALL_RPC_BYTES } from '../fabric/summary.ts';
import { runSimulation } from '../sim/engine.ts';
import type { SimConfig, SimResult } from '../sim/types.ts';
import type { LoadCurve, ReachLoss, ReuseGain, WhatIfColumn } from '../sim/whatif.ts';
import { topologyMetrics } from '../topology/metrics.ts';
import type { TopologyGraph } from '../topology/types.ts';
import {
  LOAD_DEFAULTS,
  loadCurve,
  loadPoint,
  maxSustainableRate,
  withPolicy,
  withPoissonRate,
} from './load-sweep.ts';
import { boundOf } from './whatif-bounds.ts';

export type { ReachLoss, WhatIfColumn } from '../sim/whatif.ts';

/** The default what-if: the bundled DroidSpeak-like scenario on the bundled 96-host fabrics. */
export const DEFAULT_WHATIF = {
  scenario: 'droidspeak-8b',
  topologies: ['octopus-96', 'switched-96', 'rdma-96x3'],
} as const;

/** One column of a what-if. */
export interface WhatIfCase {
  /** Column label: the topology name, plus the failures when there are any. */
  readonly label: string;
  readonly graph: TopologyGraph;
  readonly failures: Failures;
}

/** Pooled bytes each host reaches over CXL on a compiled view (down elements excluded). */
function reachableBytes(f: Fabric): Map<string, number> {
  const out = new Map<string, number>();
  for (const h of f.hosts) {
    let sum = 0;
    for (const p of cxlPaths(f, h)) {
      const a = f.nodeAttrs[p.device];
      if (a !== undefined && (a.kind === 'mhd' || a.kind === 'memory-device'))
        sum += a.capacityBytes;
    }
    out.set(f.nodes[h] ?? '', sum);
  }
  return out;
}

/** Options of {@link whatIf}. */
export interface WhatIfOptions {
  /** Which host pairs send how many RPCs, for the RPC rows split by locality (default uniform). */
  readonly traffic?: TrafficMatrix;
  /**
   * Measure each column's gain over full prefill (docs/whatif.md "The reuse gain"): goodput at
   * the scenario's rate, and with `search` the highest rate meeting the SLOs under each policy,
   * found to `relTolerance` (default {@link LOAD_DEFAULTS}`.coarseTolerance`).
   */
  readonly reuseGain?: { readonly search: boolean; readonly relTolerance?: number };
  /** Offered rates (requests per second) of a load axis: one curve per column and policy. */
  readonly ratesPerS?: readonly number[];
  /** Policies of the load axis (default: the scenario's, then `full-prefill`). */
  readonly loadPolicies?: readonly PolicyName[];
  /** SLO attainment a rate must reach (fraction; default {@link LOAD_DEFAULTS}). */
  readonly targetShare?: number;
  /** Called after every extra run (load points, searches) with a short label. */
  readonly onRun?: (label: string) => void;
}

/**
 * Runs the what-if.
 * @param onProgress called with (columns done, columns) as each finishes
 * @throws InputError when a traffic matrix names hosts a topology lacks
 */
export function whatIf(
  cases: readonly WhatIfCase[],
  scenario: SimConfig,
  onProgress?: (done: number, total: number) => void,
  options: WhatIfOptions = {},
): WhatIfColumn[] {
  const traffic = options.traffic ?? UNIFORM_TRAFFIC;
  // a non-Poisson scenario with a load axis is refused before any work
  for (const r of options.ratesPerS ?? []) withPoissonRate(scenario, r);
  return cases.map((c, i) => {
    const f = compileFabric(c.graph, c.failures);
    const costs = fabricSummary(f);
    const reachLoss = hasFailures(c.failures)
      ? failureImpact(c.graph, c.failures, scenario)
      : undefined;
    const run = runSimulation(f, scenario);
    const gain = options.reuseGain === undefined ? undefined : reuseGain(f, scenario, run, options);
    const curves =
      options.ratesPerS === undefined ? undefined : loadCurves(f, c.label, scenario, options);
    const column: WhatIfColumn = {
      label: c.label,
      metrics: topologyMetrics(c.graph),
      costs,
      // the matrices fabricSummary computed, from the per-fabric cache
      rpcLocality: rpcByLocality(f, { payload: SMALL_RPC_BYTES, traffic }),
      run,
      ...(reachLoss === undefined ? {} : { reachLoss }),
      bound: boundOf(f, run, costs.fetch),
      ...(gain === undefined ? {} : { reuseGain: gain }),
      ...(curves === undefined ? {} : { loadCurves: curves }),
    };
    onProgress?.(i + 1, cases.length);
    return column;
  });
}

/** The baseline the reuse gain is measured against. */
const BASELINE: PolicyName = 'full-prefill';

/**
 * The gain of the scenario's policy over full prefill on one fabric (same seed): goodput at the
 * scenario's rate, and with `search` the highest rate meeting the SLOs under each (the first
 * point of the policy's search is the column's own run). When the scenario's policy is full
 * prefill, it is its own baseline (×1) and nothing runs twice.
 */
function reuseGain(
  f: Fabric,
  scenario: SimConfig,
  run: SimResult,
  options: WhatIfOptions,
): ReuseGain | undefined {
  const policy = scenario.planner.policy;
  if (options.reuseGain === undefined) return undefined;
  // a full-prefill scenario is its own baseline: ×1 by definition, no second run
  const own = policy === BASELINE;
  const base = withPolicy(scenario, BASELINE);
  const baseRun = own ? run : runSimulation(f, base);
  if (!own) options.onRun?.(`${BASELINE} at the scenario's rate`);
  const a = scenario.workload.arrival;
  const ratePerS = a.kind === 'poisson' ? a.ratePerSecond : null;
  const gain: ReuseGain = {
    policy,
    baselinePolicy: BASELINE,
    ratePerS,
    goodputPerS: run.goodputPerS,
    baselineGoodputPerS: baseRun.goodputPerS,
    goodputRatio: baseRun.goodputPerS > 0 ? run.goodputPerS / baseRun.goodputPerS : null,
  };
  if (!options.reuseGain.search || ratePerS === null) return gain;
  const target = options.targetShare ?? LOAD_DEFAULTS.sloTargetShare;
  const search = (cfg: SimConfig, own: SimResult): ReturnType<typeof maxSustainableRate> =>
    maxSustainableRate(f, cfg, {
      targetShare: target,
      relTolerance: options.reuseGain?.relTolerance ?? LOAD_DEFAULTS.coarseTolerance,
      first: loadPoint(own, ratePerS, target),
      onPoint: (p) => options.onRun?.(`${cfg.planner.policy} at ${p.ratePerS} /s`),
    });
  const mine = search(scenario, run);
  const theirs = own ? mine : search(base, baseRun);
  return {
    ...gain,
    sustainable: {
      policy: mine,
      baseline: theirs,
      ratio: theirs.ratePerS > 0 ? mine.ratePerS / theirs.ratePerS : null,
    },
  };
}

/** The load curves of one fabric: one per policy of the load axis. */
function loadCurves(
  f: Fabric,
  label: string,
  scenario: SimConfig,
  options: WhatIfOptions,
): LoadCurve[] {
  const policies = options.loadPolicies ?? [
    ...new Set<PolicyName>([scenario.planner.policy, BASELINE]),
  ];
  return policies.map((p) =>
    loadCurve(f, label, withPolicy(scenario, p), options.ratesPerS ?? [], {
      ...(options.targetShare === undefined ? {} : { targetShare: options.targetShare }),
      onPoint: (pt) => options.onRun?.(`${p} at ${pt.ratePerS} /s`),
    }),
  );
}

/**
 * The columns of one topology: intact, and — when `failLabel` is given — with `failures`, labelled
 * `<name> (fail <failLabel>)`. The failures are checked against the topology here, before any
 * work.
 * @throws InputError (issue paths under `fail`) naming every element the topology does not have
 */
export function whatIfCases(
  graph: TopologyGraph,
  failures: Failures,
  failLabel?: string,
): WhatIfCase[] {
  const label = graph.getAttribute('name');
  const intact: WhatIfCase = { label, graph, failures: {} };
  if (failLabel === undefined) return [intact];
  compileFabric(graph, failures);
  return [intact, { label: `${label} (fail ${failLabel})`, graph, failures }];
}

/** Fabric cost (CXL devices, cables, NICs, switches) per host of each case's topology, USD, at the default catalogue. */
export function fabricCostsPerHostUsd(cases: readonly WhatIfCase[]): number[] {
  return cases.map((c) => priceTopology(c.graph, DEFAULT_COST_CATALOGUE).fabricPerHostUsd);
}

/** Whether a failure list names anything. */
export function hasFailures(failures: Failures): boolean {
  return (
    (failures.links?.length ?? 0) +
      (failures.devices?.length ?? 0) +
      (failures.hosts?.length ?? 0) >
    0
  );
}

/**
 * What failing some elements costs the pool: hosts that lose pooled memory (against the intact
 * topology) and the cached objects destroyed if the elements fail at the end of an intact run of
 * the scenario.
 * @throws InputError when a failure names an element the topology does not have
 */
export function failureImpact(
  graph: TopologyGraph,
  failures: Failures,
  scenario: SimConfig,
): ReachLoss {
  const before = reachableBytes(compileFabric(graph));
  const after = reachableBytes(compileFabric(graph, failures));
  const losses = [...before.entries()]
    .map(([host, b]) => ({ host, lostBytes: b - (after.get(host) ?? 0) }))
    .filter((x) => x.lostBytes > 0);
  losses.sort(
    (a, b) => b.lostBytes - a.lostBytes || a.host.localeCompare(b.host, 'en', { numeric: true }),
  );
  const intact = runSimulation(compileFabric(graph), scenario, {
    failAtEnd: { devices: [...(failures.devices ?? [])], hosts: [...(failures.hosts ?? [])] },
  });
  return {
    hostsAffected: losses.length,
    worst: losses.slice(0, 10),
    lostBytesTotal: losses.reduce((sum, x) => sum + x.lostBytes, 0),
    objectsLost: intact.lostAtEnd?.objects ?? 0,
    bytesLost: intact.lostAtEnd?.bytes ?? 0,
  };
}
