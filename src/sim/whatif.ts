/**
 * What-if: the same scenario on several topologies (or one topology with and without failed
 * elements), side by side. For each fabric it gathers the topology metrics, the headline costs
 * (all-pairs RPC, a reference KV fetch) and a full serving simulation; pricing and rendering
 * happen in the layers above.
 */
import { compileFabric, type Fabric, type Failures } from '../fabric/compile.ts';
import { cxlPaths } from '../fabric/paths.ts';
import { fabricSummary, type FabricSummary } from '../fabric/summary.ts';
import { topologyMetrics, type TopologyMetrics } from '../topology/metrics.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { runSimulation, type SimConfig, type SimResult } from './engine.ts';

/** One column of a what-if. */
export interface WhatIfCase {
  /** Column label: the topology name, plus the failures when there are any. */
  readonly label: string;
  readonly graph: TopologyGraph;
  readonly failures: Failures;
}

/** Hosts that lost pooled memory to the failures, compared with the same topology intact, and the cached objects the failures destroy. */
export interface ReachLoss {
  /** Cached objects (and bytes) lost if the elements fail at the end of a run of the intact topology. */
  readonly objectsLost: number;
  readonly bytesLost: number;
  readonly hostsAffected: number;
  /** Host ids losing the most, with the bytes they can no longer reach (at most 10). */
  readonly worst: readonly { readonly host: string; readonly lostBytes: number }[];
  readonly lostBytesTotal: number;
}

/** Everything measured for one column. */
export interface WhatIfColumn {
  readonly label: string;
  readonly metrics: TopologyMetrics;
  readonly costs: FabricSummary;
  readonly run: SimResult;
  /** Only for columns with failures. */
  readonly reachLoss?: ReachLoss;
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

/**
 * Runs the what-if.
 * @param onProgress called with (columns done, columns) as each finishes
 */
export function whatIf(
  cases: readonly WhatIfCase[],
  scenario: SimConfig,
  onProgress?: (done: number, total: number) => void,
): WhatIfColumn[] {
  return cases.map((c, i) => {
    const f = compileFabric(c.graph, c.failures);
    const reachLoss = hasFailures(c.failures)
      ? failureImpact(c.graph, c.failures, scenario)
      : undefined;
    const column: WhatIfColumn = {
      label: c.label,
      metrics: topologyMetrics(c.graph),
      costs: fabricSummary(f),
      run: runSimulation(f, scenario),
      ...(reachLoss === undefined ? {} : { reachLoss }),
    };
    onProgress?.(i + 1, cases.length);
    return column;
  });
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
