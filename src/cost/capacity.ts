/**
 * Capacity planning's verdicts, the pure half of `podsim capacity`: given evaluated candidate
 * fabrics of several sizes, which is the cheapest that still meets the scenario's SLOs as demand
 * grows or at a target rate, and which configurations are worth their money (the cost-vs-capacity
 * Pareto frontier)?
 *
 * A configuration is evaluated (src/app/capacity.ts) by pricing its topology, sizing its replicas
 * ({@link ReplicaScaling}, {@link scaleReplicas}), running the scenario on it at each growth step
 * (the arrival rate multiplied by the step; {@link scaleArrival}: a replayed trace is compressed in
 * time by the same factor) and searching the highest rate meeting the SLOs ({@link atRate}). A
 * configuration whose replicas do not fit, or that a generator cannot build, becomes an infeasible
 * row with the reason; one that runs is feasible when its SLO attainment reaches the target at
 * every step and, with a target rate, at that rate.
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

/**
 * How many replicas serve at each candidate size (docs/capacity.md "Scaling and the rate search"):
 * the scenario's own count at every size, `perHost` replicas per host, or a `share` of the size's
 * GPU slots (a slot is `tensorParallel` GPUs of one host). The scenario's variant mix is kept
 * ({@link scaleReplicas}).
 */
export type ReplicaScaling =
  | { readonly kind: 'scenario' }
  | { readonly kind: 'per-host'; readonly perHost: number }
  | { readonly kind: 'gpu-share'; readonly share: number };

/** What the rate search found at one configuration (src/app/load-sweep.ts `searchMaxRate`). */
export interface RateFound {
  /** Highest offered rate seen to meet the SLO attainment, requests per second (0: none did). */
  readonly maxRatePerS: number;
  /** Lowest offered rate seen to miss it, requests per second (`null`: every rate tried met it). */
  readonly failsAtPerS: number | null;
  /** Simulation runs the search took. */
  readonly runs: number;
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
  /** Replicas serving at this size (absent when it was not sized: it could not be built or priced). */
  readonly replicas?: number;
  /** The highest rate meeting the SLOs (absent when the plan has `search: false` or it did not run). */
  readonly search?: RateFound;
  /** Whether it meets the SLOs at the plan's `targetRate` (absent without a target or when it did not run). */
  readonly meetsTarget?: boolean;
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

/**
 * The scenario's offered rate, requests per second: a Poisson or burst rate, or a trace's
 * arrivals over its span ((n − 1) gaps ÷ (last − first)); `null` for a trace with fewer than two
 * distinct arrival times (no rate to scale).
 */
export function offeredRatePerS(cfg: SimConfig): number | null {
  const a = cfg.workload.arrival;
  if (a.kind !== 'trace') return a.ratePerSecond;
  const n = a.arrivalsNs.length;
  const spanNs = n < 2 ? 0 : (a.arrivalsNs[n - 1] ?? 0) - (a.arrivalsNs[0] ?? 0);
  return spanNs > 0 ? ((n - 1) * 1e9) / spanNs : null;
}

/**
 * The scenario offered at `ratePerS` requests per second: a Poisson or burst rate set to it, a
 * trace compressed (or stretched) in time by `ratePerS ÷` {@link offeredRatePerS}.
 * @throws Error for a trace with no rate (a programming error: callers check offeredRatePerS first)
 */
export function atRate(cfg: SimConfig, ratePerS: number): SimConfig {
  const a = cfg.workload.arrival;
  if (a.kind !== 'trace')
    return { ...cfg, workload: { ...cfg.workload, arrival: { ...a, ratePerSecond: ratePerS } } };
  const base = offeredRatePerS(cfg);
  if (base === null) throw new Error('atRate: a trace with fewer than two arrival times');
  return scaleArrival(cfg, ratePerS / base);
}

/**
 * Replicas a size serves under `scaling`.
 * @param hosts - hosts of the size
 * @param slots - GPU slots of the size (Σ over hosts of ⌊GPUs ÷ tensor-parallel degree⌋)
 * @param scenarioReplicas - the scenario's own replica count
 */
export function replicaCount(
  scaling: ReplicaScaling,
  hosts: number,
  slots: number,
  scenarioReplicas: number,
): number {
  if (scaling.kind === 'per-host') return hosts * scaling.perHost;
  if (scaling.kind === 'gpu-share') return Math.floor(slots * scaling.share + 1e-9);
  return scenarioReplicas;
}

/**
 * The scenario's replica mix scaled to `total` replicas: each variant's exact share
 * (`count × total ÷ Σ count`) rounded down, the replicas left over given one each to the largest
 * remainders (ties: file order) — the largest-remainder method, so the counts sum to `total` and
 * none is more than one off its exact share — then a variant left with none takes one from the
 * variant with the most (ties: first), so every variant the scenario serves still has a replica.
 * @returns the scaled list, or `null` when `total` is below the number of variants served
 */
export function scaleReplicas(
  replicas: readonly { readonly variant: string; readonly count: number }[],
  total: number,
): { variant: string; count: number }[] | null {
  const served = replicas.filter((r) => r.count > 0);
  const sum = served.reduce((s, r) => s + r.count, 0);
  if (total < served.length || sum === 0) return null;
  const exact = served.map((r) => (r.count * total) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const byRemainder = exact
    .map((e, i) => ({ i, rem: e - Math.floor(e) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  counts.forEach((c, i) => {
    if (c > 0) return;
    const most = counts.indexOf(Math.max(...counts));
    counts[most] = (counts[most] ?? 0) - 1;
    counts[i] = 1;
  });
  return served.map((r, i) => ({ variant: r.variant, count: counts[i] ?? 0 }));
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
 * What a configuration delivers, requests per second: the highest rate meeting the SLOs when the
 * plan searched it, else the goodput at the largest growth step.
 */
export function capacityOf(row: CapacityRow): number {
  return row.search?.maxRatePerS ?? finalGoodput(row);
}

/**
 * The cheapest feasible configuration: lowest total cost, then higher capacity
 * ({@link capacityOf}), then first in plan order. `undefined` when none is feasible.
 */
export function cheapestFeasible(rows: readonly CapacityRow[]): CapacityRow | undefined {
  let best: CapacityRow | undefined;
  for (const r of rows) {
    if (!r.feasible || r.totalUsd === undefined) continue;
    if (
      best === undefined ||
      r.totalUsd < (best.totalUsd ?? Infinity) ||
      (r.totalUsd === best.totalUsd && capacityOf(r) > capacityOf(best))
    )
      best = r;
  }
  return best;
}

/**
 * The cost-vs-capacity Pareto frontier of the rows that ran: no other row costs no more and
 * delivers at least as much ({@link capacityOf}: the highest rate meeting the SLOs when searched,
 * else the goodput at the largest growth step), with one of the two strictly better. Exact ties
 * keep the first in plan order. Sorted by total cost ascending.
 */
export function paretoFrontier(rows: readonly CapacityRow[]): CapacityRow[] {
  const ran = rows.filter((r) => r.ran && r.totalUsd !== undefined);
  const front = ran.filter(
    (r, i) =>
      !ran.some((o, j) => {
        const oc = o.totalUsd as number;
        const rc = r.totalUsd as number;
        const og = capacityOf(o);
        const rg = capacityOf(r);
        const dominates = oc <= rc && og >= rg && (oc < rc || og > rg);
        const earlierTwin = j < i && oc === rc && og === rg;
        return dominates || earlierTwin;
      }),
  );
  return front.sort((a, b) => (a.totalUsd as number) - (b.totalUsd as number));
}
