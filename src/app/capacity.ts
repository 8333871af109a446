/**
 * Capacity planning, what `podsim capacity` runs (docs/capacity.md): for each candidate family
 * of a plan and each of its host counts, builds the topology straight through the generator
 * (./generated-topology.ts), prices it and runs the scenario at every growth step
 * ({@link evaluateConfiguration}); then the verdicts of src/cost/capacity.ts (cheapest feasible,
 * Pareto frontier) and the pooling view of src/cost/pooling.ts (with its savings curve) on each
 * family's largest size that builds. A plan without a scenario is pooling-only (general-purpose
 * servers): sizes are priced, not simulated. Progress goes to a callback; tables and printing
 * are the CLI's.
 */
import {
  cheapestFeasible,
  paretoFrontier,
  reasonOf,
  type CapacityRow,
  type ReplicaScaling,
} from '../cost/capacity.ts';
import type { CostCatalogue } from '../cost/catalogue.ts';
import {
  poolingVerdict,
  poolReach,
  priceSizing,
  savingsCurve,
  sizeFabric,
  type CurvePoint,
  type PoolingView,
} from '../cost/pooling.ts';
import { priceTopology } from '../cost/price.ts';
import { PodsimError } from '../errors/index.ts';
import { candidateDocument, type CapacityPlan, type PlanCandidate } from '../io/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { breakEven, poolingSensitivity, type BreakEven } from './capacity-sensitivity.ts';
import type { SensitivityResult } from '../cost/sensitivity.ts';
import { buildGeneratorDocument } from './generated-topology.ts';
import { evaluateConfiguration, notRun, type ServingSearch } from './capacity-config.ts';

export { evaluateConfiguration, type ServingSearch } from './capacity-config.ts';

/** The pooling view of one family (at its largest size that builds), or why there is none. */
export interface FamilyPooling {
  readonly family: string;
  readonly hosts?: number;
  readonly view?: PoolingView;
  readonly verdict: string;
  /** Net savings as the share kept local varies (the plan's `curve`), for families with a pool. */
  readonly curve: readonly CurvePoint[];
  /** Fabric cost per host at which the net saving would be 0 and 3 % (families with a pool). */
  readonly breakEven?: BreakEven;
  /** Which inputs move the net saving, and which flip its sign (`--sensitivity`; families with a pool). */
  readonly sensitivity?: SensitivityResult;
}

/** What a capacity run computes beyond the plan itself. */
export interface CapacityOptions {
  /** Also run the sensitivity of each pool's net saving (app/capacity-sensitivity.ts). */
  readonly sensitivity?: boolean;
}

/** Everything `podsim capacity` reports. */
export interface CapacityReport {
  readonly plan: string;
  /** `serving`: a scenario is simulated at every size; `pooling`: a pooling-only plan (sizes are priced, not simulated). */
  readonly mode: 'serving' | 'pooling';
  /** The scenario's name; `null` in a pooling-only plan. */
  readonly scenario: string | null;
  readonly growth: readonly number[];
  readonly attainment: number;
  /** How replicas were sized at each candidate size (`scenario`: the scenario's own count). */
  readonly replicas: ReplicaScaling;
  /** The plan's target rate, requests per second; `null` without one. */
  readonly targetRatePerS: number | null;
  /** Tolerance of the rate search (fraction); `null` when the plan does not search (or is pooling-only). */
  readonly searchTolerance: number | null;
  /** Simulation runs the plan took (growth steps, searches and target runs). */
  readonly runs: number;
  /** What the reader should know before trusting a number (searches that found no limit). */
  readonly notes: readonly string[];
  readonly rows: readonly CapacityRow[];
  readonly cheapest: CapacityRow | null;
  readonly frontier: readonly CapacityRow[];
  readonly pooling: readonly FamilyPooling[];
}

/**
 * Runs a rate search is budgeted in progress (estimate: from a start rate that meets the SLOs,
 * one doubling that misses, then ⌈log2(1 ÷ 0.05)⌉ = 5 bisections at the default tolerance; a
 * search that takes more holds the bar until it ends, one that takes fewer jumps it).
 */
const SEARCH_RUNS_BUDGET = 7;

/** Work units of one size of a serving plan: its growth steps and its rate search (or target run). */
function sizeWork(plan: CapacityPlan): number {
  const extra =
    plan.serving.searchTolerance !== null
      ? SEARCH_RUNS_BUDGET
      : plan.serving.targetRatePerS === undefined
        ? 0
        : 1;
  return Math.max(1, plan.growth.length + extra);
}

/** Work units of a plan (one per simulation run or priced size, one per family's pooling view and curve point), for progress. */
export function planWork(plan: CapacityPlan): number {
  const perSize = plan.scenario === undefined ? 1 : sizeWork(plan);
  return plan.candidates.reduce((s, c) => s + c.hosts.length * perSize + 1 + plan.curve.length, 0);
}

/** The plan's evaluation settings for each configuration. */
const servingSearch = (plan: CapacityPlan): ServingSearch => ({
  growth: plan.growth,
  attainment: plan.attainment,
  replicas: plan.serving.replicas,
  ...(plan.serving.targetRatePerS === undefined
    ? {}
    : { targetRatePerS: plan.serving.targetRatePerS }),
  searchTolerance: plan.serving.searchTolerance,
});

/** The pooling view (and savings curve) of a family at its largest size that built (`largest`), or why there is none. */
function familyPooling(
  plan: CapacityPlan,
  family: string,
  largest: { hosts: number; graph: TopologyGraph } | undefined,
  tick: (n?: number) => void,
  options: CapacityOptions,
): FamilyPooling {
  if (largest === undefined) {
    tick(1 + plan.curve.length);
    return {
      family,
      verdict: `${family}: no size could be built, so there is no pooling view.`,
      curve: [],
    };
  }
  try {
    const price = priceTopology(largest.graph, plan.catalogue);
    const pod = poolReach(largest.graph);
    const view = priceSizing(sizeFabric(pod, plan.memory, plan.seed), price, plan.catalogue);
    tick();
    const curve =
      view.hasPool && plan.curve.length > 0
        ? savingsCurve(pod, plan.memory, plan.seed, plan.curve, price, plan.catalogue)
        : [];
    tick(plan.curve.length);
    const extra = view.hasPool
      ? {
          breakEven: breakEven(view),
          ...(options.sensitivity === true
            ? {
                sensitivity: poolingSensitivity(
                  largest.graph,
                  plan.catalogue,
                  plan.memory,
                  view.sizing,
                  plan.seed,
                ),
              }
            : {}),
        }
      : {};
    return { family, hosts: largest.hosts, view, verdict: poolingVerdict(view), curve, ...extra };
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    tick(1 + plan.curve.length);
    return { family, hosts: largest.hosts, verdict: `${family}: ${reasonOf(e)}`, curve: [] };
  }
}

/** A size of a pooling-only plan: priced, not simulated (no serving scenario, so nothing to be infeasible for). */
function pricedOnly(family: string, graph: TopologyGraph, catalogue: CostCatalogue): CapacityRow {
  const hosts = graph.filterNodes((_n, a) => a.kind === 'host').length;
  try {
    const price = priceTopology(graph, catalogue);
    return {
      family,
      hosts,
      ran: false,
      feasible: true,
      totalUsd: price.totalUsd,
      perHostUsd: price.perHostUsd,
      fabricPerHostUsd: price.fabricPerHostUsd,
      steps: [],
    };
  } catch (e) {
    if (e instanceof PodsimError) return notRun(family, hosts, reasonOf(e));
    throw e;
  }
}

/**
 * Evaluates one candidate family at each of its host counts, in plan order: a size the generator
 * or validation refuses becomes an infeasible row (`cannot build: …`).
 * @param tick called with the work units done (one per growth step, whether simulated or skipped)
 */
function evaluateFamily(
  plan: CapacityPlan,
  c: PlanCandidate,
  tick: (n?: number) => void,
  options: CapacityOptions,
  runs: { count: number },
): { rows: CapacityRow[]; pooling: FamilyPooling } {
  const rows: CapacityRow[] = [];
  let largest: { hosts: number; graph: TopologyGraph } | undefined;
  for (const hosts of c.hosts) {
    let graph: TopologyGraph;
    try {
      graph = buildGeneratorDocument(
        candidateDocument(c, hosts),
        `${plan.file}: candidate ${c.label} at ${hosts} hosts`,
      );
    } catch (e) {
      if (!(e instanceof PodsimError)) throw e;
      rows.push(notRun(c.label, hosts, `cannot build: ${reasonOf(e)}`));
      tick(plan.scenario === undefined ? 1 : sizeWork(plan));
      continue;
    }
    if (largest === undefined || hosts > largest.hosts) largest = { hosts, graph };
    const scenario = plan.scenario;
    if (scenario === undefined) {
      rows.push(pricedOnly(c.label, graph, plan.catalogue));
      tick();
      continue;
    }
    // each run ticks while within the size's budget; the rest of the budget when the size ends
    const budget = sizeWork(plan);
    let ticked = 0;
    const row = evaluateConfiguration(
      c.label,
      graph,
      plan.catalogue,
      scenario,
      servingSearch(plan),
      () => {
        runs.count++;
        if (ticked < budget - 1) {
          ticked++;
          tick();
        }
      },
    );
    tick(budget - ticked);
    rows.push(row);
  }
  return { rows, pooling: familyPooling(plan, c.label, largest, tick, options) };
}

/**
 * A note for the configurations whose search met the SLOs at every rate it tried: with few
 * requests per replica every replica serves its share before a queue forms, so no rate is too
 * high and the figure is not a capacity (docs/capacity.md "How far to trust the rate").
 */
function searchNotes(rows: readonly CapacityRow[], requests: number | undefined): string[] {
  const unbounded = rows.filter((r) => r.search !== undefined && r.search.failsAtPerS === null);
  if (unbounded.length === 0) return [];
  const which = unbounded.map((r) => `${r.family} at ${r.hosts} hosts`).join(', ');
  const per = unbounded
    .map((r) =>
      requests === undefined || r.replicas === undefined
        ? ''
        : `${(requests / r.replicas).toFixed(1)}`,
    )
    .filter((x, i, all) => x !== '' && all.indexOf(x) === i);
  const perText = per.length === 0 ? '' : ` (${per.join(', ')} requests per replica)`;
  return [
    `${which} met the SLOs at every rate the search tried: the scenario's requests${perText} are served before a queue forms, so these runs cannot find a limit. Raise the scenario's workload.requests to a few dozen per replica.`,
  ];
}

/**
 * Runs the plan.
 * @param onProgress called with (work done, work total) as steps finish
 */
export function runCapacityPlan(
  plan: CapacityPlan,
  onProgress?: (done: number, total: number) => void,
  options: CapacityOptions = {},
): CapacityReport {
  const total = planWork(plan);
  let done = 0;
  const tick = (n = 1): void => {
    done += n;
    onProgress?.(done, total);
  };
  const rows: CapacityRow[] = [];
  const pooling: FamilyPooling[] = [];
  const runs = { count: 0 };
  for (const c of plan.candidates) {
    const family = evaluateFamily(plan, c, tick, options, runs);
    rows.push(...family.rows);
    pooling.push(family.pooling);
  }
  const serving = plan.scenario !== undefined;
  return {
    plan: plan.file,
    mode: serving ? 'serving' : 'pooling',
    scenario: plan.scenario?.name ?? null,
    growth: plan.growth,
    attainment: plan.attainment,
    replicas: plan.serving.replicas,
    targetRatePerS: plan.serving.targetRatePerS ?? null,
    searchTolerance: serving ? plan.serving.searchTolerance : null,
    runs: runs.count,
    notes: serving ? searchNotes(rows, plan.scenario?.workload.requests) : [],
    rows,
    cheapest: serving ? (cheapestFeasible(rows) ?? null) : null,
    frontier: serving ? paretoFrontier(rows) : [],
    pooling,
  };
}
