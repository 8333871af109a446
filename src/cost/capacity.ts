/**
 * Capacity planning's verdicts, the pure half of `podsim capacity`: given evaluated candidate
 * fabrics of several sizes, which is the cheapest that still meets the scenario's SLOs as demand
 * grows, and which configurations are worth their money (the cost-vs-goodput Pareto frontier)?
 *
 * A configuration is evaluated (src/app/capacity.ts) by pricing its topology and running the
 * scenario on it at each growth step, the arrival rate multiplied by the step
 * ({@link scaleArrival}: a replayed trace is compressed in time by the same factor). A configuration
 * whose replicas do not fit, or that a generator cannot build, becomes an infeasible row with the
 * reason; one that runs is feasible when its SLO attainment reaches the target at every step.
 */
import type { PodsimError } from '../errors/index.ts';
import type { SimConfig } from '../sim/types.ts';
import type { Usd } from '../units/index.ts';

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
