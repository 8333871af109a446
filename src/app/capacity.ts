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
  scaleArrival,
  type CapacityRow,
  type GrowthStep,
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
import type { SimConfig } from '../sim/types.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { formatPercentFixed } from '../units/index.ts';
import { breakEven, poolingSensitivity, type BreakEven } from './capacity-sensitivity.ts';
import type { SensitivityResult } from '../cost/sensitivity.ts';
import { buildGeneratorDocument } from './generated-topology.ts';
import { whatIf } from './whatif.ts';

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
  readonly rows: readonly CapacityRow[];
  readonly cheapest: CapacityRow | null;
  readonly frontier: readonly CapacityRow[];
  readonly pooling: readonly FamilyPooling[];
}

/** Work units of a plan (one per simulated growth step or priced size, one per family's pooling view and curve point), for progress. */
export function planWork(plan: CapacityPlan): number {
  const perSize = Math.max(1, plan.growth.length);
  return plan.candidates.reduce((s, c) => s + c.hosts.length * perSize + 1 + plan.curve.length, 0);
}

/** A configuration's row when it did not run: `reason` from the user-level error `e`. */
const notRun = (
  family: string,
  hosts: number,
  reason: string,
  cost: Partial<Pick<CapacityRow, 'totalUsd' | 'perHostUsd' | 'fabricPerHostUsd'>> = {},
): CapacityRow => ({ family, hosts, ran: false, feasible: false, reason, ...cost, steps: [] });

/**
 * Prices `graph` and runs `cfg` on it at every growth step.
 * @param attainment - target share of requests that meet the SLOs, 0 … 1
 * @param onStep - called after each simulated step
 * @returns a row; a {@link PodsimError} (replicas do not fit, …) becomes an infeasible row, anything else is thrown
 */
export function evaluateConfiguration(
  family: string,
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  cfg: SimConfig,
  growth: readonly number[],
  attainment: number,
  onStep?: () => void,
): CapacityRow {
  const hosts = graph.filterNodes((_n, a) => a.kind === 'host').length;
  let price;
  try {
    price = priceTopology(graph, catalogue);
  } catch (e) {
    if (e instanceof PodsimError) return notRun(family, hosts, reasonOf(e));
    throw e;
  }
  const cost = {
    totalUsd: price.totalUsd,
    perHostUsd: price.perHostUsd,
    fabricPerHostUsd: price.fabricPerHostUsd,
  };
  const steps: GrowthStep[] = [];
  for (const g of growth) {
    try {
      const [column] = whatIf(
        [{ label: graph.getAttribute('name'), graph, failures: {} }],
        scaleArrival(cfg, g),
      );
      if (column === undefined) throw new Error('whatIf returned no column');
      steps.push({
        growth: g,
        goodputPerS: column.run.goodputPerS,
        sloAttainment: column.run.sloAttainment,
      });
    } catch (e) {
      if (e instanceof PodsimError) return notRun(family, hosts, reasonOf(e), cost);
      throw e;
    }
    onStep?.();
  }
  const miss = steps.find((s) => s.sloAttainment < attainment);
  const reason =
    miss === undefined
      ? undefined
      : `SLO attainment ${formatPercentFixed(miss.sloAttainment)} < ${formatPercentFixed(attainment)} at growth ×${miss.growth}`;
  return {
    family,
    hosts,
    ran: true,
    feasible: miss === undefined,
    ...(reason === undefined ? {} : { reason }),
    ...cost,
    steps,
  };
}

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
      tick(Math.max(1, plan.growth.length));
      continue;
    }
    if (largest === undefined || hosts > largest.hosts) largest = { hosts, graph };
    const scenario = plan.scenario;
    if (scenario === undefined) {
      rows.push(pricedOnly(c.label, graph, plan.catalogue));
      tick();
      continue;
    }
    let stepsDone = 0;
    const row = evaluateConfiguration(
      c.label,
      graph,
      plan.catalogue,
      scenario,
      plan.growth,
      plan.attainment,
      () => {
        stepsDone++;
        tick();
      },
    );
    tick(plan.growth.length - stepsDone);
    rows.push(row);
  }
  return { rows, pooling: familyPooling(plan, c.label, largest, tick, options) };
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
  for (const c of plan.candidates) {
    const family = evaluateFamily(plan, c, tick, options);
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
    rows,
    cheapest: serving ? (cheapestFeasible(rows) ?? null) : null,
    frontier: serving ? paretoFrontier(rows) : [],
    pooling,
  };
}
