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
import { cxlPaths } from '../fabric/paths.ts';
import { rpcByLocality, UNIFORM_TRAFFIC, type TrafficMatrix } from '../fabric/rpc.ts';
import { fabricSummary, SMALL_RPC_BYTES } from '../fabric/summary.ts';
import { runSimulation } from '../sim/engine.ts';
import type { SimConfig } from '../sim/types.ts';
import type { ReachLoss, WhatIfColumn } from '../sim/whatif.ts';
import { topologyMetrics } from '../topology/metrics.ts';
import type { TopologyGraph } from '../topology/types.ts';

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
  return cases.map((c, i) => {
    const f = compileFabric(c.graph, c.failures);
    const costs = fabricSummary(f);
    const reachLoss = hasFailures(c.failures)
      ? failureImpact(c.graph, c.failures, scenario)
      : undefined;
    const column: WhatIfColumn = {
      label: c.label,
      metrics: topologyMetrics(c.graph),
      costs,
      // the matrices fabricSummary computed, from the per-fabric cache
      rpcLocality: rpcByLocality(f, { payload: SMALL_RPC_BYTES, traffic }),
      run: runSimulation(f, scenario),
      ...(reachLoss === undefined ? {} : { reachLoss }),
    };
    onProgress?.(i + 1, cases.length);
    return column;
  });
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
