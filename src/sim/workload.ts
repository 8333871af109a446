/**
 * The workload generator of the serving simulation: turns a resolved {@link WorkloadSpec} and one
 * seed into a stream of {@link Request}s in arrival order. It follows DroidSpeak's evaluation
 * setting (docs/references.md §3: Poisson arrivals, LongBench context lengths) and adds what a shared
 * KV pool needs on top: a fixed population of contexts with Zipf popularity, each with a *home*
 * variant, and a share of requests that come from another variant (the agent / multi-team
 * pattern that makes cross-variant reuse matter). The simulator pulls requests one at a time, so
 * the generator is a streaming iterator: its memory is O(contexts + variants) — per-context
 * lengths, home variants and the popularity CDF — never O(requests); a million requests play in
 * constant memory.
 *
 * **Determinism and independent streams.** Every draw comes from `mulberry32` (units/random.ts).
 * The seed is split into separate streams — arrivals, context lengths, context homes, popularity
 * (which context a request asks for), variants (cross-variant coin and pick) and outputs — each
 * seeded with `fmix32(seed ^ constant)`. Each stream is consumed only by its own quantity, so
 * changing one part of the spec leaves the others' draws alone: a new output distribution does
 * not move a single arrival, a new length distribution does not change which context each request
 * asks for, and so on. (A request cut by `durationNs` draws nothing but its arrival.)
 */
import type { Issue } from '../errors/index.ts';
import { InputError } from '../errors/index.ts';
import { mulberry32, NS_PER_S, type Random } from '../units/index.ts';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/**
 * When requests arrive.
 * - `poisson`: exponential inter-arrival times with mean `1 / ratePerSecond` seconds.
 * - `bursts`: groups of `burstSize` requests arriving together (same `arrivalNs`); burst starts
 *   are Poisson at `ratePerSecond / burstSize` bursts per second, so the request rate is
 *   `ratePerSecond`.
 * - `trace`: replays absolute arrival times in ns (already read from a file by io/); requests stop
 *   at the trace's end.
 */
export type ArrivalSpec =
  | { readonly kind: 'poisson'; readonly ratePerSecond: number }
  | { readonly kind: 'bursts'; readonly ratePerSecond: number; readonly burstSize: number }
  | { readonly kind: 'trace'; readonly arrivalsNs: readonly number[] };

/**
 * Distribution of context lengths in tokens, drawn once per context.
 * - `fixed`: every context has `tokens` tokens.
 * - `lognormal`: fitted to a median and a P95 — `mu = ln(medianTokens)`,
 *   `sigma = (ln(p95Tokens) − mu) / 1.6449` (1.6449 = the standard normal's 95th percentile) —
 *   then rounded to whole tokens and clamped to `[minTokens, maxTokens]`.
 */
export type LengthSpec =
  | { readonly kind: 'fixed'; readonly tokens: number }
  | {
      readonly kind: 'lognormal';
      readonly medianTokens: number;
      readonly p95Tokens: number;
      readonly minTokens: number;
      readonly maxTokens: number;
    };

/** A lognormal {@link LengthSpec}, the shape of every LongBench preset. */
export type LognormalLengthSpec = Extract<LengthSpec, { kind: 'lognormal' }>;

/** The LongBench data sets whose context lengths docs/references.md §3 tabulates. */
export type LongBenchDataset =
  'hotpotqa' | '2wikimqa' | 'multifieldqa_en' | 'multi_news' | 'lcc' | 'repobench-p';

/** Output (decode) length in tokens per request: fixed, or uniform over the integers `[minTokens, maxTokens]`. */
export type OutputSpec =
  | { readonly kind: 'fixed'; readonly tokens: number }
  | { readonly kind: 'uniform'; readonly minTokens: number; readonly maxTokens: number };

/**
 * Which context a request asks for. `zipf`: context of popularity rank k (0-based, id `c<k>`) with
 * probability ∝ `1 / (k + 1)^exponent` (exponent 0 is uniform); `uniform`: every context equally.
 */
export type PopularitySpec =
  { readonly kind: 'zipf'; readonly exponent: number } | { readonly kind: 'uniform' };

/** A resolved workload (docs/design.md convention §3): fully filled, readonly, units in the names. */
export interface WorkloadSpec {
  /** When requests arrive. */
  readonly arrival: ArrivalSpec;
  /** Stop after this many requests, or at this time, whichever first. At least one is set, except that a `trace` arrival may set neither (its end stops it). */
  readonly requests?: number;
  /** Stop when the next arrival would be at or after this time, in ns from the start. */
  readonly durationNs?: number;
  /** The population of shared contexts (ids `c0` … `c<count−1>`, `c0` the most popular) and their lengths. */
  readonly contexts: { readonly count: number; readonly length: LengthSpec };
  /** Which context a request asks for. */
  readonly popularity: PopularitySpec;
  /** Variants that receive requests, with weights (normalised; ≥ 0, positive sum). */
  readonly variants: readonly { readonly id: string; readonly weight: number }[];
  /**
   * Probability in [0, 1] that a request for a context comes from a variant other than the
   * context's home variant — the agent / multi-team pattern that makes cross-variant reuse
   * matter. Each context gets a home variant once (a draw by weight); a cross-variant request
   * picks among the other variants in proportion to their weights. With share 0 every request
   * of a context comes from its home; with share 1 none does.
   */
  readonly crossVariantShare: number;
  /** New prompt tokens after the shared context (always prefilled). */
  readonly suffixTokens: number;
  /** Output length per request. */
  readonly output: OutputSpec;
}

/** One request, as the simulator receives it. */
export interface Request {
  /** 0, 1, 2 … in arrival order. */
  readonly id: number;
  /** Arrival time in ns from the start of the run (non-decreasing along the stream). */
  readonly arrivalNs: number;
  /** Id of the variant (fine-tuned model) serving the request. */
  readonly variant: string;
  /** Id of the shared context, `c<k>` with k the popularity rank. */
  readonly context: string;
  /** Tokens of the shared context (its KV cache is what the pool holds), in tokens. */
  readonly contextTokens: number;
  /** New prompt tokens after the context (always prefilled), in tokens. */
  readonly suffixTokens: number;
  /** Tokens to decode, in tokens. */
  readonly outputTokens: number;
}

// ---------------------------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------------------------

/** Smallest and largest context of every LongBench preset, in tokens. */
const PRESET_MIN_TOKENS = 256;
const PRESET_MAX_TOKENS = 131_072;

function preset(medianTokens: number, p95Tokens: number): LognormalLengthSpec {
  return Object.freeze({
    kind: 'lognormal',
    medianTokens,
    p95Tokens,
    minTokens: PRESET_MIN_TOKENS,
    maxTokens: PRESET_MAX_TOKENS,
  });
}

/**
 * Context-length distributions of the LongBench sets DroidSpeak evaluates on, fitted as
 * lognormals to the (median, P95) of docs/references.md §3 "Context lengths (LongBench sets used by
 * DroidSpeak; tokens)", clamped to [256, 131072] tokens.
 * @example contexts: { count: 300, length: LONGBENCH_PRESETS.hotpotqa } // median 10,933, P95 18,650 tokens
 */
export const LONGBENCH_PRESETS: Readonly<Record<LongBenchDataset, LognormalLengthSpec>> =
  Object.freeze({
    // docs/references.md §3, table "Context lengths": dataset → median, P95 (tokens).
    hotpotqa: preset(10_933, 18_650),
    '2wikimqa': preset(7_466, 10_705),
    multifieldqa_en: preset(8_084, 14_680),
    multi_news: preset(7_624, 17_547),
    lcc: preset(12_562, 26_066),
    'repobench-p': preset(14_285, 30_376),
  });

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

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
  const range = (p: Path, message: string): void => {
    issues.push({ code: 'input.range', path: p, message });
  };

  // Arrivals.
  const a = spec.arrival;
  if (a.kind === 'poisson' || a.kind === 'bursts') {
    if (!isFiniteNumber(a.ratePerSecond) || a.ratePerSecond <= 0)
      range(
        at('arrival', 'ratePerSecond'),
        `ratePerSecond must be a finite number > 0 (requests per second), got ${a.ratePerSecond}`,
      );
    if (a.kind === 'bursts' && !isInt(a.burstSize, 1))
      range(
        at('arrival', 'burstSize'),
        `burstSize must be an integer ≥ 1 (requests per burst), got ${a.burstSize}`,
      );
  } else if (a.kind === 'trace') {
    const t = a.arrivalsNs;
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
  } else {
    issues.push({
      code: 'input.kind',
      path: at('arrival', 'kind'),
      message: `unknown arrival kind "${String((a as { kind: unknown }).kind)}"; one of poisson, bursts, trace`,
    });
  }

  // Stop conditions.
  if (spec.requests !== undefined && !isInt(spec.requests, 1))
    range(at('requests'), `requests must be an integer ≥ 1, got ${spec.requests}`);
  if (spec.durationNs !== undefined && (!isFiniteNumber(spec.durationNs) || spec.durationNs <= 0))
    range(at('durationNs'), `durationNs must be a finite time > 0 ns, got ${spec.durationNs}`);
  if (spec.requests === undefined && spec.durationNs === undefined && a.kind !== 'trace') {
    issues.push({
      code: 'input.required',
      path: at('requests'),
      message: 'set requests or durationNs (or both): an open-ended arrival process needs a stop',
    });
  }

  // Contexts.
  if (!isInt(spec.contexts.count, 1))
    range(
      at('contexts', 'count'),
      `contexts.count must be an integer ≥ 1, got ${spec.contexts.count}`,
    );
  validateLength(spec.contexts.length, at('contexts', 'length'), issues);

  // Popularity.
  const pop = spec.popularity;
  if (pop.kind === 'zipf') {
    if (!isFiniteNumber(pop.exponent) || pop.exponent < 0)
      range(
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

  // Variants.
  if (spec.variants.length === 0)
    issues.push({
      code: 'input.required',
      path: at('variants'),
      message: 'at least one variant is needed',
    });
  const seen = new Set<string>();
  let weightSum = 0;
  let positive = 0;
  let weightsOk = true;
  spec.variants.forEach((v, i) => {
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
      weightsOk = false;
      range(
        at('variants', i, 'weight'),
        `a variant weight must be a finite number ≥ 0, got ${v.weight}`,
      );
    } else {
      weightSum += v.weight;
      if (v.weight > 0) positive++;
    }
  });
  if (weightsOk && spec.variants.length > 0 && !(weightSum > 0))
    issues.push({
      code: 'workload.weights',
      path: at('variants'),
      message: 'variant weights must have a positive sum',
    });

  // Cross-variant share.
  const share = spec.crossVariantShare;
  if (!isFiniteNumber(share) || share < 0 || share > 1)
    range(
      at('crossVariantShare'),
      `crossVariantShare must be a probability in [0, 1], got ${share}`,
    );
  else if (share > 0 && weightsOk && weightSum > 0 && positive < 2) {
    issues.push({
      code: 'workload.cross-variant',
      path: at('crossVariantShare'),
      message: `crossVariantShare ${share} needs at least two variants with a positive weight; there is ${positive}`,
    });
  }

  // Suffix and output.
  if (!isInt(spec.suffixTokens, 0))
    range(at('suffixTokens'), `suffixTokens must be an integer ≥ 0, got ${spec.suffixTokens}`);
  const out = spec.output;
  if (out.kind === 'fixed') {
    if (!isInt(out.tokens, 1))
      range(at('output', 'tokens'), `output tokens must be an integer ≥ 1, got ${out.tokens}`);
  } else if (out.kind === 'uniform') {
    checkMinMax(out.minTokens, out.maxTokens, 1, at('output'), issues);
  } else {
    issues.push({
      code: 'input.kind',
      path: at('output', 'kind'),
      message: `unknown output kind "${String((out as { kind: unknown }).kind)}"; one of fixed, uniform`,
    });
  }
  return issues;
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

function assertValid(spec: WorkloadSpec): void {
  const issues = validateWorkload(spec);
  if (issues.length > 0)
    throw new InputError(
      issues,
      undefined,
      issues.length === 1 ? undefined : `${issues.length} problems in the workload:`,
    );
}

// ---------------------------------------------------------------------------------------------
// Streams and samplers
// ---------------------------------------------------------------------------------------------

/**
 * Per-stream constants XORed into the seed (then mixed by {@link fmix32}), one per random
 * quantity so each is drawn from its own mulberry32 stream. Changing these changes every
 * workload: they are part of the output's definition.
 */
const STREAM = Object.freeze({
  arrivals: 0x9e3779b9,
  lengths: 0x85ebca6b,
  homes: 0xc2b2ae35,
  popularity: 0x27d4eb2f,
  variants: 0x165667b1,
  outputs: 0xd3a2646c,
});

/** murmur3's 32-bit finaliser: spreads nearby seeds (1, 2, 3 …) over the mulberry32 cycle. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function stream(seed: number, which: keyof typeof STREAM): Random {
  return mulberry32(fmix32((seed ^ STREAM[which]) >>> 0));
}

/** Smallest index k with `cdf[k] > u` (the last index when none is, guarding float round-off). */
function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Normalised cumulative distribution of non-negative weights; the last entry is exactly 1. */
function cumulative(weights: ArrayLike<number>): Float64Array {
  const n = weights.length;
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i] as number;
    cdf[i] = total;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] as number) / total;
  // Zero-weight tail entries must stay unreachable: set every entry from the last positive weight on to 1.
  for (let i = n - 1; i >= 0; i--) {
    cdf[i] = 1;
    if ((weights[i] as number) > 0) break;
  }
  return cdf;
}

/** Standard normal draws by Box–Muller, using both values of each pair. */
function normalSampler(rand: Random): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(1 - rand())); // 1 − u ∈ (0, 1]: no log(0)
    const theta = 2 * Math.PI * rand();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** The standard normal's 95th percentile (≈ 1.6449), for the lognormal fit to a P95. */
const Z95 = 1.6448536269514722;

function drawLengths(spec: WorkloadSpec, seed: number): Int32Array {
  const { count, length } = spec.contexts;
  const out = new Int32Array(count);
  if (length.kind === 'fixed') return out.fill(length.tokens);
  const mu = Math.log(length.medianTokens);
  const sigma = (Math.log(length.p95Tokens) - mu) / Z95;
  const normal = normalSampler(stream(seed, 'lengths'));
  for (let k = 0; k < count; k++) {
    const tokens = Math.round(Math.exp(mu + sigma * normal()));
    out[k] = Math.min(length.maxTokens, Math.max(length.minTokens, tokens));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public generators
// ---------------------------------------------------------------------------------------------

/**
 * The length of every context in tokens, index k for context `c<k>`: exactly the lengths
 * {@link generateRequests} uses for the same spec and seed (drawn once per context from the
 * lengths stream), for tests and reports.
 * @param seed - 32-bit integer seed (the run's one seed).
 * @throws InputError when {@link validateWorkload} finds problems.
 */
export function contextLengths(spec: WorkloadSpec, seed: number): Int32Array {
  assertValid(spec);
  return drawLengths(spec, seed);
}

/**
 * Streams the requests of a workload in arrival order, ids 0, 1, 2 …. Deterministic: the same spec
 * and seed give the same sequence, and each random quantity has its own stream (file header).
 * Memory is O(contexts + variants) whatever the number of requests. Stops after `requests`
 * requests, when the next arrival would be at or after `durationNs`, or at the end of a trace —
 * whichever comes first.
 *
 * The spec is validated when this is called (not at the first `next()`).
 * @param seed - 32-bit integer seed (the run's one seed); other numbers are taken modulo 2³².
 * @throws InputError when {@link validateWorkload} finds problems.
 * @example
 * let n = 0;
 * for (const r of generateRequests(spec, 42)) if (r.variant !== 'base') n++;
 */
export function generateRequests(spec: WorkloadSpec, seed: number): RequestStream {
  return new RequestStream(spec, seed);
}

/**
 * The request stream {@link generateRequests} returns: an iterator (and iterable) over the
 * requests, plus {@link RequestStream.nextRequest} for a driver that pulls one at a time
 * without an iterator result object per request. A class rather than a generator function: the
 * simulator pulls every request through it.
 */
export class RequestStream implements IterableIterator<Request> {
  private readonly ids: readonly string[];
  private readonly contextIds: readonly string[];
  private readonly lengths: Int32Array;
  private readonly homes: Int32Array;
  private readonly variantCdf: Float64Array;
  private readonly zipfCdf: Float64Array | undefined;
  private readonly count: number;
  private readonly arrivalRand: Random;
  private readonly popRand: Random;
  private readonly variantRand: Random;
  private readonly outputRand: Random;
  private readonly spec: WorkloadSpec;
  private readonly maxRequests: number;
  private readonly durationNs: number;
  private nextId = 0;
  private ended = false;
  /** Arrival clock (ns), requests still to come in the current burst, position in a trace. */
  private t = 0;
  private left = 0;
  private traceIndex = 0;

  /**
   * The stream of a workload (as {@link generateRequests}).
   * @throws InputError when {@link validateWorkload} finds problems.
   */
  constructor(spec: WorkloadSpec, seed: number) {
    assertValid(spec);
    const count = spec.contexts.count;
    this.spec = spec;
    this.count = count;
    this.lengths = drawLengths(spec, seed);

    // Variants: one CDF over all weights; homes drawn once per context from their own stream.
    this.ids = spec.variants.map((v) => v.id);
    this.variantCdf = cumulative(Float64Array.from(spec.variants, (v) => v.weight));
    this.homes = new Int32Array(count);
    if (this.ids.length > 1) {
      const homeRand = stream(seed, 'homes');
      for (let k = 0; k < count; k++) this.homes[k] = searchCdf(this.variantCdf, homeRand());
    }

    // Popularity: a Zipf CDF over ranks (binary search, one draw per request) or a plain uniform draw.
    const pop = spec.popularity;
    if (pop.kind === 'zipf' && pop.exponent > 0) {
      const w = new Float64Array(count);
      for (let k = 0; k < count; k++) w[k] = (k + 1) ** -pop.exponent;
      this.zipfCdf = cumulative(w);
    }

    // One id string per context, made once: requests share them (no new string, and no re-hashing
    // in every map the simulator looks them up in).
    this.contextIds = Array.from({ length: count }, (_, k) => `c${k}`);
    this.arrivalRand = stream(seed, 'arrivals');
    this.popRand = stream(seed, 'popularity');
    this.variantRand = stream(seed, 'variants');
    this.outputRand = stream(seed, 'outputs');
    this.maxRequests = spec.requests ?? Number.POSITIVE_INFINITY;
    this.durationNs = spec.durationNs ?? Number.POSITIVE_INFINITY;
  }

  /** The next request, or undefined once the stream has ended. */
  nextRequest(): Request | undefined {
    if (this.ended || this.nextId >= this.maxRequests) return this.end();
    const arrivalNs = this.nextArrival();
    if (arrivalNs < 0 || arrivalNs >= this.durationNs) return this.end();
    const spec = this.spec;

    const k =
      this.zipfCdf !== undefined
        ? searchCdf(this.zipfCdf, this.popRand())
        : Math.floor(this.popRand() * this.count);

    const home = this.homes[k] as number;
    let v = home;
    const share = spec.crossVariantShare;
    if (share > 0 && this.variantRand() < share)
      v = pickOther(this.variantCdf, home, this.variantRand());

    const out = spec.output;
    const outputTokens =
      out.kind === 'fixed'
        ? out.tokens
        : out.minTokens + Math.floor(this.outputRand() * (out.maxTokens - out.minTokens + 1));

    return {
      id: this.nextId++,
      arrivalNs,
      variant: this.ids[v] as string,
      context: this.contextIds[k] as string,
      contextTokens: this.lengths[k] as number,
      suffixTokens: spec.suffixTokens,
      outputTokens,
    };
  }

  /** The iterator protocol over {@link RequestStream.nextRequest}. */
  next(): IteratorResult<Request, undefined> {
    const r = this.nextRequest();
    return r === undefined ? { done: true, value: undefined } : { done: false, value: r };
  }

  /** The stream itself (it is its own iterator, consumed once). */
  [Symbol.iterator](): RequestStream {
    return this;
  }

  private end(): undefined {
    this.ended = true;
    return undefined;
  }

  /** The next arrival time in ns, or -1 at the end of a trace. */
  private nextArrival(): number {
    const a = this.spec.arrival;
    switch (a.kind) {
      case 'poisson':
        this.t += (-Math.log(1 - this.arrivalRand()) * NS_PER_S) / a.ratePerSecond;
        return this.t;
      case 'bursts':
        if (this.left === 0) {
          this.t += (-Math.log(1 - this.arrivalRand()) * NS_PER_S * a.burstSize) / a.ratePerSecond;
          this.left = a.burstSize;
        }
        this.left--;
        return this.t;
      case 'trace':
        return this.traceIndex < a.arrivalsNs.length
          ? (a.arrivalsNs[this.traceIndex++] as number)
          : -1;
    }
  }
}

/**
 * A variant other than `home`, by weight among the others, from one uniform `u`: scale `u` to
 * the mass outside `home` and step over `home`'s slice of the CDF. Validation guarantees another
 * variant of positive weight exists.
 */
function pickOther(cdf: Float64Array, home: number, u: number): number {
  const lo = home === 0 ? 0 : (cdf[home - 1] as number);
  const hi = cdf[home] as number;
  let x = u * (1 - (hi - lo));
  if (x >= lo) x += hi - lo;
  const v = searchCdf(cdf, x);
  if (v !== home && cdfWeight(cdf, v) > 0) return v;
  // Float round-off landed on `home` or past the end (probability ~1e-16): take the next variant of positive weight.
  for (let i = 1; i < cdf.length; i++) {
    const j = (home + i) % cdf.length;
    if (cdfWeight(cdf, j) > 0) return j;
  }
  return home;
}

/** The weight of entry `j` of a cumulative distribution. */
function cdfWeight(cdf: Float64Array, j: number): number {
  return (cdf[j] as number) - (j === 0 ? 0 : (cdf[j - 1] as number));
}
