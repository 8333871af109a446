/**
 * Capacity planning, what `podsim capacity` runs (docs/capacity.md): for each candidate family
 * of a plan and each of its host counts, builds the topology straight through the generator
 * (./generated-topology.ts), prices it and runs the scenario at every growth step
 * ({@link evaluateConfiguration}); then the verdicts of src/cost/capacity.ts (cheapest feasible,
 * Pareto frontier) and the pooling view of src/cost/pooling.ts on each family's largest size that
 * builds. Progress goes to a callback; tables and printing are the CLI's.
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
import { poolingVerdict, poolingView, type PoolingView } from '../cost/pooling.ts';
import { priceTopology } from '../cost/price.ts';
import { PodsimError } from '../errors/index.ts';
import { candidateDocument, type CapacityPlan, type PlanCandidate } from '../io/index.ts';
import type { SimConfig } from '../sim/types.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { buildGeneratorDocument } from './generated-topology.ts';
import { whatIf } from './whatif.ts';

/** The pooling view of one family (at its largest size that builds), or why there is none. */
export interface FamilyPooling {
  readonly family: string;
  readonly hosts?: number;
  readonly view?: PoolingView;
  readonly verdict: string;
}

/** Everything `podsim capacity` reports. */
export interface CapacityReport {
  readonly plan: string;
  readonly scenario: string;
  readonly growth: readonly number[];
  readonly attainment: number;
  readonly rows: readonly CapacityRow[];
  readonly cheapest: CapacityRow | null;
  readonly frontier: readonly CapacityRow[];
  readonly pooling: readonly FamilyPooling[];
}

/** Work units of a plan (one per simulated growth step, one per family's pooling view), for progress. */
export function planWork(plan: CapacityPlan): number {
  return plan.candidates.reduce((s, c) => s + c.hosts.length * plan.growth.length + 1, 0);
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
      : `SLO attainment ${(miss.sloAttainment * 100).toFixed(2)} % < ${(attainment * 100).toFixed(2)} % at growth ×${miss.growth}`;
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

/** The pooling view of a family at its largest size that built (`largest`), or why there is none. */
function familyPooling(
  plan: CapacityPlan,
  family: string,
  largest: { hosts: number; graph: TopologyGraph } | undefined,
): FamilyPooling {
  if (largest === undefined)
    return { family, verdict: `${family}: no size could be built, so there is no pooling view.` };
  try {
    const view = poolingView(largest.graph, plan.catalogue, plan.memory, plan.scenario.seed);
    return { family, hosts: largest.hosts, view, verdict: poolingVerdict(view) };
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    return { family, hosts: largest.hosts, verdict: `${family}: ${reasonOf(e)}` };
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
      tick(plan.growth.length);
      continue;
    }
    if (largest === undefined || hosts > largest.hosts) largest = { hosts, graph };
    let stepsDone = 0;
    const row = evaluateConfiguration(
      c.label,
      graph,
      plan.catalogue,
      plan.scenario,
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
  return { rows, pooling: familyPooling(plan, c.label, largest) };
}

/**
 * Runs the plan.
 * @param onProgress called with (work done, work total) as steps finish
 */
export function runCapacityPlan(
  plan: CapacityPlan,
  onProgress?: (done: number, total: number) => void,
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
    const family = evaluateFamily(plan, c, tick);
    rows.push(...family.rows);
    pooling.push(family.pooling);
    tick();
  }
  return {
    plan: plan.file,
    scenario: plan.scenario.name,
    growth: plan.growth,
    attainment: plan.attainment,
    rows,
    cheapest: cheapestFeasible(rows) ?? null,
    frontier: paretoFrontier(rows),
    pooling,
  };
}
