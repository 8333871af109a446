/**
 * DroidSpeak's goodput figures (docs/references.md §3 "Results", "Motivating numbers"): the
 * highest Poisson arrival rate a scenario sustains under its SLOs, found by a deterministic
 * bracket and bisection over simulated runs. The search stays behind one function,
 * {@link sustainableRate}, so the shared load sweep (src/app/load-sweep.ts, being built in
 * parallel) can replace its inside without touching the figures.
 */
import type { Fabric } from '../../fabric/compile.ts';
import { runSimulation } from '../../sim/engine.ts';
import type { SimConfig, SimResult } from '../../sim/types.ts';

/** Options of {@link sustainableRate}; every field has a default in {@link GOODPUT_DEFAULTS}. */
export interface SustainableRateOptions {
  /** Share of requests that must meet both SLOs for a rate to count as sustained (0…1). */
  readonly attainment?: number;
  /** Requests per simulated run. */
  readonly requests?: number;
  /** First rate tried (requests/s); the bracket doubles or halves from it. */
  readonly startPerS?: number;
  /** The search stops when the bracket's high end is within this share of its low end. */
  readonly relativeTolerance?: number;
  /** Rates beyond this (requests/s) are not tried: the result is capped there. */
  readonly maxPerS?: number;
  /** Rates below this (requests/s) are not tried: the result is 0 when even it fails. */
  readonly minPerS?: number;
}

/** The search's defaults. */
export const GOODPUT_DEFAULTS = Object.freeze({
  // (estimate) "meets the SLO" as a 90 % attainment target, the usual goodput definition of
  // LLM-serving evaluations; DroidSpeak states its SLO (3 s TTFT, docs/references.md §3) but
  // not the share of requests that must meet it
  attainment: 0.9,
  // (estimate) 600 requests: long enough that queues form at the knee (≈ 40 s simulated at
  // 16 replicas) and short enough that a whole reproduction stays under a minute
  requests: 600,
  // (estimate) one request per second: below the knee of every bundled setting, so the
  // bracket usually only doubles
  startPerS: 1,
  // (estimate) 3 %: finer than the figures' published bands (2–4×, up to 32×) need
  relativeTolerance: 0.03,
  // (estimate) no bundled setting sustains more than 4,096 requests/s; a cap keeps a
  // broken setting from searching forever
  maxPerS: 4096,
  // (estimate) below 1/64 requests/s a run of 600 requests spans hours of simulated time
  minPerS: 1 / 64,
});

/** One run at a rate: the share of measured requests that met the SLOs, and the run. */
export interface RateProbe {
  readonly attainment: number;
  readonly result: SimResult;
}

/** What the search found. */
export interface SustainableRate<P extends RateProbe = RateProbe> {
  /** Highest rate tried that met the attainment (requests/s); 0 when none did. */
  readonly ratePerS: number;
  /** Lowest rate tried that missed it (requests/s); Infinity when every rate met it. */
  readonly failedPerS: number;
  /** The run at `ratePerS` (absent when none met the attainment). */
  readonly atRate?: P;
  /** Simulated runs the search took. */
  readonly runs: number;
}

/** The result of a search over a monotone predicate (see {@link searchHighest}). */
export interface SearchResult {
  readonly low: number;
  readonly high: number;
  readonly evaluations: number;
}

/**
 * Highest x in [minX, maxX] with `meets(x)`, for a predicate that holds up to some threshold and
 * fails beyond: brackets from `start` by doubling (while it holds) or halving (while it fails),
 * then bisects geometrically until `high ≤ low × (1 + tolerance)`. `low` is 0 when even `minX`
 * fails; `high` is Infinity when even `maxX` holds. Deterministic: the same predicate gives the
 * same sequence of calls.
 */
export function searchHighest(
  meets: (x: number) => boolean,
  start: number,
  tolerance: number,
  minX: number,
  maxX: number,
): SearchResult {
  let evaluations = 0;
  const test = (x: number): boolean => {
    evaluations++;
    return meets(x);
  };
  let low = 0;
  let high = Number.POSITIVE_INFINITY;
  let x = Math.min(Math.max(start, minX), maxX);
  if (test(x)) {
    low = x;
    while (high === Number.POSITIVE_INFINITY && low < maxX) {
      x = Math.min(low * 2, maxX);
      if (test(x)) low = x;
      else high = x;
    }
  } else {
    high = x;
    while (low === 0 && high > minX) {
      x = Math.max(high / 2, minX);
      if (test(x)) low = x;
      else high = x;
    }
  }
  if (low === 0 || high === Number.POSITIVE_INFINITY) return { low, high, evaluations };
  while (high > low * (1 + tolerance)) {
    x = Math.sqrt(low * high);
    if (test(x)) low = x;
    else high = x;
  }
  return { low, high, evaluations };
}

/** `config` with Poisson arrivals at `ratePerS` and `requests` requests (no duration cap). */
export function atPoissonRate(config: SimConfig, ratePerS: number, requests: number): SimConfig {
  const { durationNs: _ignored, ...workload } = config.workload;
  return {
    ...config,
    workload: { ...workload, arrival: { kind: 'poisson', ratePerSecond: ratePerS }, requests },
  };
}

/**
 * The highest Poisson rate at which at least `attainment` of a run's requests meet both SLOs of
 * `config`, on `fabric`, by {@link searchHighest} over simulated runs of `requests` requests —
 * or over `probe`'s runs when given (a workload built in code, measuring only some requests).
 * Every run uses the config's seed, so the answer is deterministic.
 * @throws what runSimulation throws (a serving spec that does not fit the fabric)
 */
export function sustainableRate<P extends RateProbe = RateProbe>(
  fabric: Fabric,
  config: SimConfig,
  opts: SustainableRateOptions & { readonly probe?: (ratePerS: number) => P } = {},
): SustainableRate<P> {
  const o = { ...GOODPUT_DEFAULTS, ...opts };
  const plain = (ratePerS: number): RateProbe => {
    const result = runSimulation(fabric, atPoissonRate(config, ratePerS, o.requests));
    return { attainment: result.sloAttainment, result };
  };
  const probe = opts.probe ?? (plain as (ratePerS: number) => P);
  const runs = new Map<number, P>();
  const meets = (ratePerS: number): boolean => {
    const r = probe(ratePerS);
    runs.set(ratePerS, r);
    return r.attainment >= o.attainment;
  };
  const s = searchHighest(meets, o.startPerS, o.relativeTolerance, o.minPerS, o.maxPerS);
  const atRate = runs.get(s.low);
  return {
    ratePerS: s.low,
    failedPerS: s.high,
    runs: s.evaluations,
    ...(atRate === undefined ? {} : { atRate }),
  };
}
