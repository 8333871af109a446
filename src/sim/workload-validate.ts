/**
 * Checks of a workload spec (src/sim/workload.ts): every problem at once, each with a stable
 * code and the path of the offending field (docs/design.md convention §4).
 */
import type { Issue } from '../errors/index.ts';
import { InputError, LimitError } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';
import { workloadKindIssues, workloadKindLimitIssues } from './workload-kinds.ts';
import type { ArrivalSpec, LengthSpec, PopularitySpec, WorkloadSpec } from './workload-types.ts';

type Path = readonly (string | number)[];

const isInt = (v: unknown, min: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Largest length an `Int32Array` of context lengths can hold, in tokens. */
const MAX_TOKENS = 2 ** 31 - 1;

/**
 * Checks a workload and returns every problem at once, each with a stable `code` and the `path`
 * of the offending field (docs/design.md convention §4). Codes: `input.range` (a number out of its range or not
 * an integer), `input.kind` (unknown `kind`), `input.required` (no variants; neither `requests`
 * nor `durationNs`), `input.type` (a variant id that is not a non-empty string),
 * `workload.min-max` (a minimum above its maximum), `workload.lognormal-fit` (P95 below the
 * median), `workload.weights` (weights without a positive sum), `workload.duplicate-id`,
 * `workload.cross-variant` (a positive `crossVariantShare` with fewer than two variants of
 * positive weight), `workload.trace-empty`, `workload.trace-order` (the first decrease in a trace).
 * A trace reports only its first bad time and its first decrease, so a bad million-line trace
 * gives two issues, not a million.
 * @param path - where the workload sits in the input, e.g. `['workload']`.
 */
export function validateWorkload(
  spec: WorkloadSpec,
  path: readonly (string | number)[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const at = (...rest: (string | number)[]): Path => [...path, ...rest];
  validateArrival(spec.arrival, at, issues);
  validateStops(spec, at, issues);
  if (!isInt(spec.contexts.count, 1))
    range(
      issues,
      at('contexts', 'count'),
      `contexts.count must be an integer ≥ 1, got ${spec.contexts.count}`,
    );
  validateLength(spec.contexts.length, at('contexts', 'length'), issues);
  validatePopularity(spec.popularity, at, issues);
  const weights = validateVariants(spec.variants, at, issues);
  validateShare(spec.crossVariantShare, weights, at, issues);
  validateOutput(spec, at, issues);
  workloadKindIssues(spec, at, issues);
  return issues;
}

/** Builds the path of a field below the workload's own. */
type At = (...rest: (string | number)[]) => Path;

function range(issues: Issue[], p: Path, message: string): void {
  issues.push({ code: 'input.range', path: p, message });
}

function validateArrival(a: ArrivalSpec, at: At, issues: Issue[]): void {
  if (a.kind === 'poisson' || a.kind === 'bursts') {
    if (!isFiniteNumber(a.ratePerSecond) || a.ratePerSecond <= 0)
      range(
        issues,
        at('arrival', 'ratePerSecond'),
        `ratePerSecond must be a finite number > 0 (requests per second), got ${a.ratePerSecond}`,
      );
    if (a.kind === 'bursts' && !isInt(a.burstSize, 1))
      range(
        issues,
        at('arrival', 'burstSize'),
        `burstSize must be an integer ≥ 1 (requests per burst), got ${a.burstSize}`,
      );
  } else if (a.kind === 'trace') {
    validateTrace(a.arrivalsNs, at, issues);
  } else {
    issues.push({
      code: 'input.kind',
      path: at('arrival', 'kind'),
      message: `unknown arrival kind "${String((a as { kind: unknown }).kind)}"; one of poisson, bursts, trace`,
    });
  }
}

/** A trace reports only its first bad time and its first decrease. */
function validateTrace(t: readonly number[], at: At, issues: Issue[]): void {
  if (t.length === 0)
    issues.push({
      code: 'workload.trace-empty',
      path: at('arrival', 'arrivalsNs'),
      message: 'the arrival trace is empty; it needs at least one arrival time',
    });
  let badValue = false;
  let badOrder = false;
  for (let i = 0; i < t.length && !(badValue && badOrder); i++) {
    const v = t[i] as number;
    if (!badValue && (!isFiniteNumber(v) || v < 0)) {
      badValue = true;
      range(
        issues,
        at('arrival', 'arrivalsNs', i),
        `arrival times must be finite and ≥ 0 ns, got ${v} (first bad time of the trace)`,
      );
    }
    const prev = i > 0 ? (t[i - 1] as number) : undefined;
    if (!badOrder && prev !== undefined && v < prev) {
      badOrder = true;
      issues.push({
        code: 'workload.trace-order',
        path: at('arrival', 'arrivalsNs', i),
        message: `arrival times must be sorted: ${v} ns comes after ${prev} ns (first decrease of the trace)`,
      });
    }
  }
}

function validateStops(spec: WorkloadSpec, at: At, issues: Issue[]): void {
  if (spec.requests !== undefined && !isInt(spec.requests, 1))
    range(issues, at('requests'), `requests must be an integer ≥ 1, got ${spec.requests}`);
  if (spec.durationNs !== undefined && (!isFiniteNumber(spec.durationNs) || spec.durationNs <= 0))
    range(
      issues,
      at('durationNs'),
      `durationNs must be a finite time > 0 ns, got ${spec.durationNs}`,
    );
  if (
    spec.requests === undefined &&
    spec.durationNs === undefined &&
    spec.arrival.kind !== 'trace'
  ) {
    issues.push({
      code: 'input.required',
      path: at('requests'),
      message: 'set requests or durationNs (or both): an open-ended arrival process needs a stop',
    });
  }
}

function validatePopularity(pop: PopularitySpec, at: At, issues: Issue[]): void {
  if (pop.kind === 'zipf') {
    if (!isFiniteNumber(pop.exponent) || pop.exponent < 0)
      range(
        issues,
        at('popularity', 'exponent'),
        `the Zipf exponent must be a finite number ≥ 0, got ${pop.exponent}`,
      );
  } else if (pop.kind !== 'uniform') {
    issues.push({
      code: 'input.kind',
      path: at('popularity', 'kind'),
      message: `unknown popularity kind "${String((pop as { kind: unknown }).kind)}"; one of zipf, uniform`,
    });
  }
}

/** What the cross-variant check needs to know of the weights. */
interface WeightSummary {
  readonly ok: boolean;
  readonly sum: number;
  /** Variants of positive weight. */
  readonly positive: number;
}

function validateVariants(
  variants: WorkloadSpec['variants'],
  at: At,
  issues: Issue[],
): WeightSummary {
  if (variants.length === 0)
    issues.push({
      code: 'input.required',
      path: at('variants'),
      message: 'at least one variant is needed',
    });
  const seen = new Set<string>();
  let sum = 0;
  let positive = 0;
  let ok = true;
  variants.forEach((v, i) => {
    if (typeof v.id !== 'string' || v.id.trim() === '')
      issues.push({
        code: 'input.type',
        path: at('variants', i, 'id'),
        message: `a variant id must be a non-empty string, got ${JSON.stringify(v.id)}`,
      });
    else if (seen.has(v.id))
      issues.push({
        code: 'workload.duplicate-id',
        path: at('variants', i, 'id'),
        message: `variant "${v.id}" is listed twice`,
      });
    else seen.add(v.id);
    if (!isFiniteNumber(v.weight) || v.weight < 0) {
      ok = false;
      range(
        issues,
        at('variants', i, 'weight'),
        `a variant weight must be a finite number ≥ 0, got ${v.weight}`,
      );
    } else {
      sum += v.weight;
      if (v.weight > 0) positive++;
    }
  });
  if (ok && variants.length > 0 && !(sum > 0))
    issues.push({
      code: 'workload.weights',
      path: at('variants'),
      message: 'variant weights must have a positive sum',
    });
  return { ok, sum, positive };
}

function validateShare(share: number, w: WeightSummary, at: At, issues: Issue[]): void {
  if (!isFiniteNumber(share) || share < 0 || share > 1)
    range(
      issues,
      at('crossVariantShare'),
      `crossVariantShare must be a probability in [0, 1], got ${share}`,
    );
  else if (share > 0 && w.ok && w.sum > 0 && w.positive < 2) {
    issues.push({
      code: 'workload.cross-variant',
      path: at('crossVariantShare'),
      message: `crossVariantShare ${share} needs at least two variants with a positive weight; there is ${w.positive}`,
    });
  }
}

function validateOutput(spec: WorkloadSpec, at: At, issues: Issue[]): void {
  if (!isInt(spec.suffixTokens, 0))
    range(
      issues,
      at('suffixTokens'),
      `suffixTokens must be an integer ≥ 0, got ${spec.suffixTokens}`,
    );
  const out = spec.output;
  if (out.kind === 'fixed') {
    if (!isInt(out.tokens, 1))
      range(
        issues,
        at('output', 'tokens'),
        `output tokens must be an integer ≥ 1, got ${out.tokens}`,
      );
  } else if (out.kind === 'uniform') {
    checkMinMax(out.minTokens, out.maxTokens, 1, at('output'), issues);
  } else {
    issues.push({
      code: 'input.kind',
      path: at('output', 'kind'),
      message: `unknown output kind "${String((out as { kind: unknown }).kind)}"; one of fixed, uniform`,
    });
  }
}

function validateLength(length: LengthSpec, path: Path, issues: Issue[]): void {
  if (length.kind === 'fixed') {
    if (!isInt(length.tokens, 1) || length.tokens > MAX_TOKENS)
      issues.push({
        code: 'input.range',
        path: [...path, 'tokens'],
        message: `tokens must be an integer in [1, ${MAX_TOKENS}], got ${length.tokens}`,
      });
  } else if (length.kind === 'lognormal') {
    const { medianTokens: median, p95Tokens: p95 } = length;
    const medianOk = isFiniteNumber(median) && median > 0;
    if (!medianOk)
      issues.push({
        code: 'input.range',
        path: [...path, 'medianTokens'],
        message: `medianTokens must be a finite number > 0, got ${median}`,
      });
    if (!isFiniteNumber(p95) || p95 <= 0)
      issues.push({
        code: 'input.range',
        path: [...path, 'p95Tokens'],
        message: `p95Tokens must be a finite number > 0, got ${p95}`,
      });
    else if (medianOk && p95 < median)
      issues.push({
        code: 'workload.lognormal-fit',
        path: [...path, 'p95Tokens'],
        message: `p95Tokens (${p95}) must be at least medianTokens (${median})`,
      });
    checkMinMax(length.minTokens, length.maxTokens, 1, path, issues);
  } else {
    issues.push({
      code: 'input.kind',
      path: [...path, 'kind'],
      message: `unknown length kind "${String((length as { kind: unknown }).kind)}"; one of fixed, lognormal`,
    });
  }
}

function checkMinMax(min: number, max: number, lowest: number, path: Path, issues: Issue[]): void {
  const minOk = isInt(min, lowest) && min <= MAX_TOKENS;
  const maxOk = isInt(max, lowest) && max <= MAX_TOKENS;
  if (!minOk)
    issues.push({
      code: 'input.range',
      path: [...path, 'minTokens'],
      message: `minTokens must be an integer in [${lowest}, ${MAX_TOKENS}], got ${min}`,
    });
  if (!maxOk)
    issues.push({
      code: 'input.range',
      path: [...path, 'maxTokens'],
      message: `maxTokens must be an integer in [${lowest}, ${MAX_TOKENS}], got ${max}`,
    });
  if (minOk && maxOk && min > max)
    issues.push({
      code: 'workload.min-max',
      path: [...path, 'maxTokens'],
      message: `maxTokens (${max}) must be at least minTokens (${min})`,
    });
}

/** Requests per second the simulator plays, for estimates (README, Performance: ≈ 100–200 k/s). */
export const SIM_REQUESTS_PER_SECOND = 150_000;

const fmt = (n: number): string =>
  n >= 1e15 ? n.toExponential(1) : Math.round(n).toLocaleString('en-US');
const human = (s: number): string =>
  s < 120
    ? `${Math.ceil(s)} s`
    : s < 7200
      ? `${Math.round(s / 60)} min`
      : s < 172_800
        ? `${Math.round(s / 3600)} h`
        : `${fmt(s / 86_400)} days`;

/**
 * The requests a valid workload will make: its `requests`, what its arrival rate makes in
 * `durationNs` (whichever stops it first), or its trace's length.
 */
export function expectedRequests(spec: WorkloadSpec): number {
  const a = spec.arrival;
  if (a.kind === 'trace') return Math.min(a.arrivalsNs.length, spec.requests ?? Infinity);
  const perSecond = a.kind === 'bursts' ? a.ratePerSecond * a.burstSize : a.ratePerSecond;
  const byDuration =
    spec.durationNs === undefined ? Infinity : Math.ceil((spec.durationNs / 1e9) * perSecond);
  return Math.min(spec.requests ?? Infinity, byDuration);
}

/**
 * The documented ceilings of a valid workload (docs/limits.md): requests of one run
 * (LIMITS.requests, with an estimate of the time it would take) and tokens of one request
 * (LIMITS.tokensPerRequest: longest context + suffix + longest output), each an issue with code
 * `limit.requests` or `limit.tokens` at the field that sets it.
 */
export function workloadLimitIssues(
  spec: WorkloadSpec,
  path: readonly (string | number)[] = [],
): Issue[] {
  const issues: Issue[] = [];
  const n = expectedRequests(spec);
  if (n > LIMITS.requests) {
    const field = spec.requests !== undefined && spec.requests === n ? 'requests' : 'durationNs';
    issues.push({
      code: 'limit.requests',
      path: [...path, field],
      message: `${field === 'requests' ? '' : 'at its arrival rate this duration makes '}≈ ${fmt(n)} requests (≈ ${human(n / SIM_REQUESTS_PER_SECOND)} at ≈ ${fmt(SIM_REQUESTS_PER_SECOND)} requests/s), above the limit of ${fmt(LIMITS.requests)} requests per run (limit requests, docs/limits.md); run fewer — percentiles settle long before that, and a sweep spreads larger studies over points`,
    });
  }
  const ctx = spec.contexts.length;
  const parts: [string, Path, number][] = [
    [
      'context',
      ['contexts', 'length', ctx.kind === 'fixed' ? 'tokens' : 'maxTokens'],
      ctx.kind === 'fixed' ? ctx.tokens : ctx.maxTokens,
    ],
    ['suffix', ['suffixTokens'], spec.suffixTokens],
    [
      'output',
      ['output', spec.output.kind === 'fixed' ? 'tokens' : 'maxTokens'],
      spec.output.kind === 'fixed' ? spec.output.tokens : spec.output.maxTokens,
    ],
  ];
  const total = parts.reduce((sum, [, , t]) => sum + t, 0);
  if (total > LIMITS.tokensPerRequest) {
    const largest = parts.reduce((a, b) => (b[2] > a[2] ? b : a));
    issues.push({
      code: 'limit.tokens',
      path: [...path, ...largest[1]],
      message: `a request may hold ${fmt(total)} tokens (${parts.map(([w, , t]) => `${w} ${fmt(t)}`).join(' + ')}), above the limit of ${fmt(LIMITS.tokensPerRequest)} tokens per request (limit tokensPerRequest, docs/limits.md: above every model's context window)`,
    });
  }
  workloadKindLimitIssues(spec, path, issues);
  return issues;
}

/**
 * Throws when {@link validateWorkload} finds problems, or the workload is past a documented limit.
 * @throws InputError listing every problem
 * @throws LimitError when it is valid but larger than {@link workloadLimitIssues} allows
 */
export function assertValid(spec: WorkloadSpec): void {
  const issues = validateWorkload(spec);
  const head = (list: readonly Issue[]): string | undefined =>
    list.length === 1 ? undefined : `${list.length} problems in the workload:`;
  if (issues.length > 0) throw new InputError(issues, undefined, head(issues));
  const limits = workloadLimitIssues(spec);
  if (limits.length > 0) throw new LimitError(limits, undefined, head(limits));
}
