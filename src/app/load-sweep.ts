/**
 * The load axis of the what-if (docs/whatif.md): the same scenario at several offered rates — a
 * load curve of goodput and TTFT p99 with its knee — and a search for the highest rate that
 * still meets the SLOs (bracket by doubling or halving, then bisection on the rate). Each point
 * is one seeded run of {@link runSimulation} with the scenario's Poisson rate replaced, so the
 * same inputs give the same curve and the same answer. `podsim whatif --rates/--max-rate` and
 * the what-if's reuse gain use it; so can any other command (an exported API, no printing).
 */
import { InputError } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import type { PolicyName } from '../planner/planner.ts';
import { runSimulation } from '../sim/engine.ts';
import type { SimConfig, SimResult } from '../sim/types.ts';
import {
  SLO_TARGET_SHARE,
  type LoadCurve,
  type LoadPoint,
  type RateSearch,
} from '../sim/whatif.ts';

export type { LoadCurve, LoadPoint, RateSearch } from '../sim/whatif.ts';

/**
 * Defaults of the load axis (docs/design.md convention §9).
 * - `sloTargetShare` 0.99 ({@link SLO_TARGET_SHARE}, an estimate): a rate "meets the SLOs" when at
 *   least 99 % of its requests meet both the TTFT and the end-to-end SLO — the usual p99 reading
 *   of a latency SLO; a scenario file has no attainment target of its own (docs/whatif.md "The
 *   knee").
 * - `searchTolerance` 0.02 (estimate): `--max-rate` bisects until the bracket is within 2 % of
 *   its upper end, finer than the run-to-run spread of a 2,000-request run near the knee.
 * - `coarseTolerance` 0.1 (estimate): what `whatIf`'s reuse-gain search (src/app/whatif.ts) uses when the caller
 *   gives no tolerance — about 6 runs per policy instead of 8–9, for quick looks; the CLI's
 *   `--max-rate` asks for `searchTolerance` (docs/whatif.md "The reuse gain").
 * - `maxBracketSteps` 12: at most 12 doublings (or halvings) from the start rate, a factor of
 *   4,096 either way, before the search gives up bracketing.
 */
export const LOAD_DEFAULTS = Object.freeze({
  sloTargetShare: SLO_TARGET_SHARE,
  searchTolerance: 0.02,
  coarseTolerance: 0.1,
  maxBracketSteps: 12,
});

/**
 * The scenario with its Poisson arrival rate replaced (everything else, seed included, kept).
 * @param ratePerS offered rate, requests per second (> 0, finite)
 * @param flag the flag named in the error (e.g. `--rates`)
 * @throws InputError (path `[flag]`, a usage mistake) when the scenario's arrivals are not
 *   Poisson, or the rate is not a positive finite number
 */
export function withPoissonRate(
  scenario: SimConfig,
  ratePerS: number,
  flag = '--rates',
): SimConfig {
  const a = scenario.workload.arrival;
  if (a.kind !== 'poisson')
    throw new InputError([
      {
        code: 'cli.rates',
        path: [flag],
        message: `scenario "${scenario.name}" has ${a.kind} arrivals; ${flag} replaces a Poisson rate (workload.arrival: { poisson: "24 /s" }) and works only with Poisson arrivals`,
      },
    ]);
  if (!(Number.isFinite(ratePerS) && ratePerS > 0))
    throw new InputError([
      {
        code: 'cli.rates',
        path: [flag],
        message: `expected offered rates in requests per second greater than 0, got ${ratePerS}`,
      },
    ]);
  return {
    ...scenario,
    workload: { ...scenario.workload, arrival: { kind: 'poisson', ratePerSecond: ratePerS } },
  };
}

/** The scenario with its planner policy replaced. */
export function withPolicy(scenario: SimConfig, policy: PolicyName): SimConfig {
  return { ...scenario, planner: { ...scenario.planner, policy } };
}

/**
 * One point of a load curve from a run at `ratePerS`.
 * @param targetShare the SLO attainment (fraction) a rate must reach to meet the SLOs
 */
export function loadPoint(run: SimResult, ratePerS: number, targetShare: number): LoadPoint {
  return {
    ratePerS,
    goodputPerS: run.goodputPerS,
    ttftP50Ns: run.ttft.p50,
    ttftP99Ns: run.ttft.p99,
    sloAttainment: run.sloAttainment,
    meetsSlo: run.sloAttainment >= targetShare,
    gpuBusiest: run.utilisation.gpu.busiest.utilisation,
  };
}

/**
 * The knee of a load curve: the index of the highest rate such that it and every lower rate of
 * the curve meet the SLOs (points sorted by rate); −1 when even the lowest rate misses them.
 * A rate that recovers after a miss does not move the knee — past the first miss the system is
 * already overloaded, and a later pass is run-to-run noise.
 */
export function kneeIndex(points: readonly Pick<LoadPoint, 'ratePerS' | 'meetsSlo'>[]): number {
  let knee = -1;
  for (let i = 0; i < points.length; i++) {
    if (points[i]?.meetsSlo !== true) break;
    knee = i;
  }
  return knee;
}

/** Options of {@link loadCurve} and {@link maxSustainableRate}. */
export interface LoadOptions {
  /** Attainment a rate must reach to meet the SLOs (fraction; default {@link LOAD_DEFAULTS}). */
  readonly targetShare?: number;
  /** Called after each run (for progress). */
  readonly onPoint?: (point: LoadPoint) => void;
}

/**
 * The scenario at each offered rate on one fabric: goodput, TTFT and SLO attainment per rate
 * (sorted, duplicates dropped) and the knee.
 * @param ratesPerS offered rates, requests per second
 * @throws InputError when the scenario's arrivals are not Poisson or a rate is not positive
 */
export function loadCurve(
  fabric: Fabric,
  label: string,
  scenario: SimConfig,
  ratesPerS: readonly number[],
  options: LoadOptions = {},
): LoadCurve {
  const target = options.targetShare ?? LOAD_DEFAULTS.sloTargetShare;
  const rates = [...new Set(ratesPerS)].sort((a, b) => a - b);
  const configs = rates.map((r) => withPoissonRate(scenario, r));
  const points = configs.map((cfg, i) => {
    const p = loadPoint(runSimulation(fabric, cfg), rates[i] ?? 0, target);
    options.onPoint?.(p);
    return p;
  });
  const knee = kneeIndex(points);
  return {
    label,
    policy: scenario.planner.policy,
    targetShare: target,
    ttftSloNs: scenario.slo.ttftNs,
    points,
    kneeRatePerS: knee < 0 ? null : (points[knee]?.ratePerS ?? null),
  };
}

/** Options of {@link searchMaxRate}. */
export interface SearchOptions {
  /** First rate tried (requests per second, > 0). */
  readonly startPerS: number;
  /** Stop when (fails − meets) ≤ tolerance × fails (fraction, in (0, 1)). */
  readonly relTolerance: number;
  /** Doublings or halvings allowed while bracketing (default {@link LOAD_DEFAULTS}). */
  readonly maxBracketSteps?: number;
  /** A point already measured at `startPerS` (e.g. the what-if's own run), used instead of a run. */
  readonly first?: LoadPoint;
}

/**
 * The highest rate meeting the SLOs, for any `evaluate(rate)` whose pass/fail is monotone in the
 * rate (pure: the caller decides what a point is). Bracket: from `startPerS`, double while the
 * rate meets the SLOs (or halve while it does not) until one rate meets and the next does not;
 * then bisect the bracket at its midpoint until its width is within `relTolerance` of its upper
 * end. Returns the highest rate seen to meet (0 when none did down to start ÷ 2^steps) and the
 * lowest seen to fail (null when every rate up to start × 2^steps met).
 * @throws Error when the start rate or tolerance is out of range (a programming error)
 */
export function searchMaxRate(
  evaluate: (ratePerS: number) => LoadPoint,
  options: SearchOptions,
): RateSearch {
  const { startPerS, relTolerance } = options;
  const steps = options.maxBracketSteps ?? LOAD_DEFAULTS.maxBracketSteps;
  if (!(startPerS > 0 && Number.isFinite(startPerS)) || !(relTolerance > 0 && relTolerance < 1))
    throw new Error(
      `searchMaxRate: start ${startPerS} /s or tolerance ${relTolerance} out of range`,
    );
  const points: LoadPoint[] = [];
  const meets = (r: number): boolean => {
    const p = evaluate(r);
    points.push(p);
    return p.meetsSlo;
  };
  let lo = 0;
  let hi: number | null = null;
  const first = options.first?.ratePerS === startPerS ? options.first : undefined;
  if (first !== undefined) points.push(first);
  if (first?.meetsSlo ?? meets(startPerS)) {
    lo = startPerS;
    for (let i = 0; i < steps && hi === null; i++) {
      if (meets(lo * 2)) lo *= 2;
      else hi = lo * 2;
    }
  } else {
    hi = startPerS;
    for (let i = 0; i < steps && lo === 0; i++) {
      if (meets(hi / 2)) lo = hi / 2;
      else hi /= 2;
    }
  }
  if (lo > 0 && hi !== null) {
    let top: number = hi;
    while (top - lo > relTolerance * top) {
      const mid: number = (lo + top) / 2;
      if (meets(mid)) lo = mid;
      else top = mid;
    }
    hi = top;
  }
  points.sort((a, b) => a.ratePerS - b.ratePerS);
  return { ratePerS: lo, failsAtPerS: hi, relTolerance, points };
}

/**
 * The highest Poisson rate at which the scenario meets its SLOs on a fabric
 * ({@link searchMaxRate} over seeded runs; docs/whatif.md "Maximum sustainable rate").
 * @param options.startPerS first rate tried (default: the scenario's own rate)
 * @throws InputError when the scenario's arrivals are not Poisson
 */
export function maxSustainableRate(
  fabric: Fabric,
  scenario: SimConfig,
  options: LoadOptions & Partial<SearchOptions> & { readonly flag?: string } = {},
): RateSearch {
  const target = options.targetShare ?? LOAD_DEFAULTS.sloTargetShare;
  const flag = options.flag ?? '--max-rate';
  const start = options.startPerS ?? scenarioRatePerS(scenario, flag);
  return searchMaxRate(
    (r) => {
      const p = loadPoint(runSimulation(fabric, withPoissonRate(scenario, r, flag)), r, target);
      options.onPoint?.(p);
      return p;
    },
    {
      startPerS: start,
      relTolerance: options.relTolerance ?? LOAD_DEFAULTS.searchTolerance,
      ...(options.maxBracketSteps === undefined
        ? {}
        : { maxBracketSteps: options.maxBracketSteps }),
      ...(options.first === undefined ? {} : { first: options.first }),
    },
  );
}

/**
 * The scenario's Poisson rate (requests per second).
 * @throws InputError (path `[flag]`) when its arrivals are not Poisson
 */
export function scenarioRatePerS(scenario: SimConfig, flag = '--max-rate'): number {
  const a = scenario.workload.arrival;
  if (a.kind === 'poisson') return a.ratePerSecond;
  withPoissonRate(scenario, 1, flag); // throws the not-Poisson error
  return 0;
}
