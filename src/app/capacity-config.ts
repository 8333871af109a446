/**
 * One configuration of a capacity plan — a candidate family at one host count — evaluated
 * (docs/capacity.md "Scaling and the rate search"): priced, its replicas sized to the size
 * (`replicas` of the plan), run at every growth step, then searched for the highest offered rate
 * at which it still meets the SLO attainment (the what-if's {@link searchMaxRate}, over seeded
 * runs on one compiled fabric) and checked at the plan's target rate. src/app/capacity.ts runs
 * every configuration of a plan and draws the verdicts.
 */
import {
  atRate,
  offeredRatePerS,
  reasonOf,
  replicaCount,
  scaleArrival,
  scaleReplicas,
  type CapacityRow,
  type GrowthStep,
  type RateFound,
  type ReplicaScaling,
} from '../cost/capacity.ts';
import type { CostCatalogue } from '../cost/catalogue.ts';
import { priceTopology } from '../cost/price.ts';
import { PodsimError } from '../errors/index.ts';
import { compileFabric, type Fabric } from '../fabric/compile.ts';
import { runSimulation } from '../sim/engine.ts';
import { replicaRoom } from '../sim/replicas.ts';
import type { SimConfig } from '../sim/types.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { formatPercentFixed } from '../units/index.ts';
import { formatRate } from '../report/whatif-load.ts';
import { loadPoint, searchMaxRate, type LoadPoint } from './load-sweep.ts';

/** How a plan evaluates each configuration (from its `growth`, `slo`, `replicas`, `targetRate` and `search`). */
export interface ServingSearch {
  /** Growth multipliers on the scenario's arrival rate, ascending. */
  readonly growth: readonly number[];
  /** Target share of requests meeting the SLOs, 0 … 1. */
  readonly attainment: number;
  /** Replicas at each size (default: the scenario's own). */
  readonly replicas?: ReplicaScaling;
  /** Rate every feasible configuration must sustain, requests per second. */
  readonly targetRatePerS?: number;
  /** Relative tolerance of the rate search (fraction in (0, 1)); `null` or absent: no search. */
  readonly searchTolerance?: number | null;
}

/** A configuration's row when it did not run: `reason` from the user-level error `e`. */
export const notRun = (
  family: string,
  hosts: number,
  reason: string,
  cost: Partial<Pick<CapacityRow, 'totalUsd' | 'perHostUsd' | 'fabricPerHostUsd'>> = {},
): CapacityRow => ({ family, hosts, ran: false, feasible: false, reason, ...cost, steps: [] });

/**
 * The scenario with its replicas sized to the fabric under `scaling`, or why it cannot be. GPU
 * slots are counted as the simulator places replicas ({@link replicaRoom}).
 * @returns the sized scenario and its replica count, or a reason (fewer replicas than variants)
 */
export function sizeServing(
  f: Fabric,
  cfg: SimConfig,
  scaling: ReplicaScaling,
): { cfg: SimConfig; replicas: number } | { reason: string } {
  const own = cfg.serving.replicas.reduce((s, r) => s + r.count, 0);
  if (scaling.kind === 'scenario') return { cfg, replicas: own };
  const total = replicaCount(scaling, f.hosts.length, replicaRoom(f, cfg.tensorParallel), own);
  const replicas = scaleReplicas(cfg.serving.replicas, total);
  if (replicas === null) {
    const variants = cfg.serving.replicas.filter((r) => r.count > 0).length;
    return {
      reason: `${total} replicas at this size cannot serve the scenario's ${variants} variants (one each at least)`,
    };
  }
  return { cfg: { ...cfg, serving: { ...cfg.serving, replicas } }, replicas: total };
}

/**
 * The search for the highest rate meeting the SLOs, starting from the target (or the last growth
 * step's rate, reusing its run).
 * @param base the scenario's own offered rate ({@link offeredRatePerS}; null: none to scale)
 */
function searchRate(
  f: Fabric,
  cfg: SimConfig,
  search: ServingSearch,
  base: number | null,
  lastStep: LoadPoint | undefined,
  tolerance: number,
  onRun?: () => void,
): { found: RateFound; atTarget?: LoadPoint } | { reason: string } {
  if (base === null)
    return { reason: 'its trace has fewer than two arrival times, so there is no rate to search' };
  const start = search.targetRatePerS ?? lastStep?.ratePerS ?? base;
  let runs = 0;
  const r = searchMaxRate(
    (ratePerS) => {
      runs++;
      const p = loadPoint(runSimulation(f, atRate(cfg, ratePerS)), ratePerS, search.attainment);
      onRun?.();
      return p;
    },
    {
      startPerS: start,
      relTolerance: tolerance,
      ...(lastStep?.ratePerS === start ? { first: lastStep } : {}),
    },
  );
  const atTarget = r.points.find((p) => p.ratePerS === search.targetRatePerS);
  return {
    found: { maxRatePerS: r.ratePerS, failsAtPerS: r.failsAtPerS, runs },
    ...(atTarget === undefined ? {} : { atTarget }),
  };
}

/** The configuration's verdict: the first growth step missing the attainment, else the target missed, else none. */
function verdictOf(
  steps: readonly GrowthStep[],
  search: ServingSearch,
  atTarget: LoadPoint | undefined,
): string | undefined {
  const want = formatPercentFixed(search.attainment);
  const miss = steps.find((s) => s.sloAttainment < search.attainment);
  if (miss !== undefined)
    return `SLO attainment ${formatPercentFixed(miss.sloAttainment)} < ${want} at growth ×${miss.growth}`;
  if (atTarget !== undefined && !atTarget.meetsSlo)
    return `SLO attainment ${formatPercentFixed(atTarget.sloAttainment)} < ${want} at the target ${formatRate(atTarget.ratePerS)}`;
  return undefined;
}

/** Runs the sized scenario on the fabric at every growth step, then the rate search or the target run. */
function runServing(
  f: Fabric,
  cfg: SimConfig,
  search: ServingSearch,
  onRun?: () => void,
): Pick<CapacityRow, 'steps' | 'search' | 'meetsTarget' | 'feasible' | 'reason'> {
  const steps: GrowthStep[] = [];
  let last: LoadPoint | undefined;
  const base = offeredRatePerS(cfg);
  for (const g of search.growth) {
    const run = runSimulation(f, scaleArrival(cfg, g));
    steps.push({ growth: g, goodputPerS: run.goodputPerS, sloAttainment: run.sloAttainment });
    if (base !== null) last = loadPoint(run, base * g, search.attainment);
    onRun?.();
  }
  const tolerance = search.searchTolerance ?? null;
  const target = search.targetRatePerS;
  let found: RateFound | undefined;
  let atTarget: LoadPoint | undefined;
  if (tolerance !== null) {
    const s = searchRate(f, cfg, search, base, last, tolerance, onRun);
    if ('reason' in s) return { steps, feasible: false, reason: s.reason };
    found = s.found;
    atTarget = s.atTarget;
  } else if (target !== undefined) {
    atTarget = loadPoint(runSimulation(f, atRate(cfg, target)), target, search.attainment);
    onRun?.();
  }
  const reason = verdictOf(steps, search, atTarget);
  return {
    steps,
    ...(found === undefined ? {} : { search: found }),
    ...(atTarget === undefined ? {} : { meetsTarget: atTarget.meetsSlo }),
    feasible: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Prices `graph`, sizes the scenario's replicas to it and runs the scenario on it: every growth
 * step, then the rate search (or, without one, the target rate).
 * @param onRun - called after each simulation run
 * @returns a row; a {@link PodsimError} (replicas do not fit, …) becomes an infeasible row, anything else is thrown
 */
export function evaluateConfiguration(
  family: string,
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  cfg: SimConfig,
  search: ServingSearch,
  onRun?: () => void,
): CapacityRow {
  const hosts = graph.filterNodes((_n, a) => a.kind === 'host').length;
  let cost;
  try {
    const price = priceTopology(graph, catalogue);
    cost = {
      totalUsd: price.totalUsd,
      perHostUsd: price.perHostUsd,
      fabricPerHostUsd: price.fabricPerHostUsd,
    };
  } catch (e) {
    if (e instanceof PodsimError) return notRun(family, hosts, reasonOf(e));
    throw e;
  }
  let replicas: number | undefined;
  try {
    const f = compileFabric(graph, {});
    const sized = sizeServing(f, cfg, search.replicas ?? { kind: 'scenario' });
    if ('reason' in sized) return notRun(family, hosts, sized.reason, cost);
    replicas = sized.replicas;
    const served = runServing(f, sized.cfg, search, onRun);
    return { family, hosts, ran: true, ...cost, replicas, ...served };
  } catch (e) {
    if (e instanceof PodsimError)
      return {
        ...notRun(family, hosts, reasonOf(e), cost),
        ...(replicas === undefined ? {} : { replicas }),
      };
    throw e;
  }
}
