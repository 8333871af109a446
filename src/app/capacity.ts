/**
 * Capacity planning, what `podsim capacity` runs (docs/capacity.md): every size of every
 * candidate family evaluated as an independent job (./capacity-jobs.ts: built straight through
 * the generator, priced, its replicas sized, run at every growth step and searched for its
 * highest rate meeting the SLOs, ./capacity-config.ts); then the verdicts of src/cost/capacity.ts
 * (cheapest feasible, Pareto frontier) and the pooling view of src/cost/pooling.ts (with its
 * savings curve) on each family's largest size that builds ({@link capacityReport}). A plan
 * without a scenario is pooling-only (general-purpose servers): sizes are priced, not simulated.
 * Progress goes to a callback; tables and printing are the CLI's.
 */
import {
  cheapestFeasible,
  paretoFrontier,
  reasonOf,
  type CapacityRow,
  type ReplicaScaling,
} from '../cost/capacity.ts';
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
import type { CapacityPlan } from '../io/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import { breakEven, poolingSensitivity, type BreakEven } from './capacity-sensitivity.ts';
import type { SensitivityResult } from '../cost/sensitivity.ts';
import { evaluateSize, largestBuilt, planTicker, sizeJobs, sizeProgress } from './capacity-jobs.ts';

export { evaluateConfiguration, type ServingSearch } from './capacity-config.ts';
export {
  evaluateSize,
  planTicker,
  planWork,
  sizeJobs,
  sizeProgress,
  type SizeJob,
} from './capacity-jobs.ts';

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
 * The report of a plan from its evaluated sizes (`rows`, in {@link sizeJobs} order): the pooling
 * view of each family at its largest size that builds, the cheapest feasible configuration and
 * the frontier.
 * @param runs simulation runs the rows took
 * @param tick called with the work units of the pooling views as they finish
 */
export function capacityReport(
  plan: CapacityPlan,
  rows: readonly CapacityRow[],
  runs: number,
  tick: (n?: number) => void = () => undefined,
  options: CapacityOptions = {},
): CapacityReport {
  const pooling = plan.candidates.map((c) =>
    familyPooling(plan, c.label, largestBuilt(plan, c), tick, options),
  );
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
    runs,
    notes: serving ? searchNotes(rows, plan.scenario?.workload.requests) : [],
    rows,
    cheapest: serving ? (cheapestFeasible(rows) ?? null) : null,
    frontier: serving ? paretoFrontier(rows) : [],
    pooling,
  };
}

/**
 * Runs the plan in this thread: every size in plan order ({@link evaluateSize}), then
 * {@link capacityReport}. The CLI can run the sizes on worker threads instead (same rows).
 * @param onProgress called with (work done, work total) as runs and sizes finish
 */
export function runCapacityPlan(
  plan: CapacityPlan,
  onProgress?: (done: number, total: number) => void,
  options: CapacityOptions = {},
): CapacityReport {
  const tick = planTicker(plan, onProgress);
  let runs = 0;
  const rows = sizeJobs(plan).map((job) => {
    const progress = sizeProgress(plan, tick);
    const r = evaluateSize(plan, job, progress.run);
    progress.end();
    runs += r.runs;
    return r.row;
  });
  return capacityReport(plan, rows, runs, tick, options);
}
