/**
 * Capacity planning, the pure half of `podsim capacity`: given candidate fabrics of several
 * sizes, which is the cheapest that still meets the scenario's SLOs as demand grows, and which
 * configurations are worth their money (the cost-vs-goodput Pareto frontier)?
 *
 * One configuration is evaluated by pricing its topology ({@link priceTopology}) and running the
 * scenario on it at each growth step with `whatIf`, the arrival rate multiplied by the step
 * (a replayed trace is compressed in time by the same factor). A configuration whose replicas do
 * not fit, or that a generator cannot build, becomes an infeasible row with the reason; one that
 * runs is feasible when its SLO attainment reaches the target at every step. Building topologies
 * from files is I/O and lives in src/cli/capacity-run.ts.
 */
import { PodsimError } from '../errors/index.ts';
import type { TopologyGraph } from '../topology/types.ts';
import type { SimConfig } from '../sim/engine.ts';
import { whatIf } from '../sim/whatif.ts';
import type { Usd } from '../units/index.ts';
import type { CostCatalogue } from './catalogue.ts';
import { priceTopology } from './price.ts';

/** What one growth step measured. */
export interface GrowthStep {
  /** Multiplier on the scenario's arrival rate (dimensionless). */
  readonly growth: number;
  /** Goodput under the SLOs, requests per second. */
  readonly goodputPerS: number;
  /** Share of completed requests meeting the SLOs, 0 … 1. */
  readonly sloAttainment: number;
}

/** One evaluated configuration: a candidate family at one host count. */
export interface CapacityRow {
  /** Candidate label (its `name`, or its generator). */
  readonly family: string;
  readonly hosts: number;
  /** Built and simulated at every growth step. */
  readonly ran: boolean;
  /** Ran and met the SLO attainment at every growth step. */
  readonly feasible: boolean;
  /** Why it is infeasible (does not fit, cannot be built, misses the SLO at some step). */
  readonly reason?: string;
  readonly totalUsd?: Usd;
  readonly perHostUsd?: Usd;
  readonly fabricPerHostUsd?: Usd;
  /** One per growth step, in plan order (empty when it did not run). */
  readonly steps: readonly GrowthStep[];
}

/**
 * The scenario with its arrival rate multiplied by `growth` (a trace is compressed in time).
 * @param growth - multiplier > 0 (dimensionless)
 */
export function scaleArrival(cfg: SimConfig, growth: number): SimConfig {
  const a = cfg.workload.arrival;
  const arrival =
    a.kind === 'trace'
      ? { ...a, arrivalsNs: a.arrivalsNs.map((t) => t / growth) }
      : { ...a, ratePerSecond: a.ratePerSecond * growth };
  return { ...cfg, workload: { ...cfg.workload, arrival } };
}

/** A user-level failure as one line (issues joined by `; `). */
export function reasonOf(e: PodsimError): string {
  return e.message.replace(/\n\s*(- )?/g, '; ');
}

/**
 * Prices `graph` and runs `cfg` on it at every growth step.
 * @param attainment - target share of requests meeting the SLOs, 0 … 1
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
    if (e instanceof PodsimError)
      return { family, hosts, ran: false, feasible: false, reason: reasonOf(e), steps: [] };
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
      if (e instanceof PodsimError)
        return {
          family,
          hosts,
          ran: false,
          feasible: false,
          reason: reasonOf(e),
          ...cost,
          steps: [],
        };
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

/** Goodput at the largest growth step (the last in plan order), requests per second; 0 when the row did not run. */
export function finalGoodput(row: CapacityRow): number {
  return row.steps[row.steps.length - 1]?.goodputPerS ?? 0;
}

/**
 * The cheapest feasible configuration: lowest total cost, then higher final goodput, then
 * first in plan order. `undefined` when none is feasible.
 */
export function cheapestFeasible(rows: readonly CapacityRow[]): CapacityRow | undefined {
  let best: CapacityRow | undefined;
  for (const r of rows) {
    if (!r.feasible || r.totalUsd === undefined) continue;
    if (
      best === undefined ||
      r.totalUsd < (best.totalUsd ?? Infinity) ||
      (r.totalUsd === best.totalUsd && finalGoodput(r) > finalGoodput(best))
    )
      best = r;
  }
  return best;
}

/**
 * The cost-vs-goodput Pareto frontier of the rows that ran: no other row costs no more and
 * delivers at least as much goodput at the largest growth step, with one of the two strictly
 * better. Exact ties keep the first in plan order. Sorted by total cost ascending.
 */
export function paretoFrontier(rows: readonly CapacityRow[]): CapacityRow[] {
  const ran = rows.filter((r) => r.ran && r.totalUsd !== undefined);
  const front = ran.filter(
    (r, i) =>
      !ran.some((o, j) => {
        const oc = o.totalUsd as number;
        const rc = r.totalUsd as number;
        const og = finalGoodput(o);
        const rg = finalGoodput(r);
        const dominates = oc <= rc && og >= rg && (oc < rc || og > rg);
        const earlierTwin = j < i && oc === rc && og === rg;
        return dominates || earlierTwin;
      }),
  );
  return front.sort((a, b) => (a.totalUsd as number) - (b.totalUsd as number));
}
