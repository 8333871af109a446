/**
 * The workload's types (src/sim/workload.ts): the resolved spec a scenario's `workload` section
 * becomes — arrivals, context lengths, popularity, variants, outputs — and the {@link Request}s
 * the generator streams.
 */

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
  /**
   * A per-row trace (docs/workloads.md "Per-row traces"): row i is request i, arriving at
   * `arrival.arrivalsNs[i]` (so `arrival` is a trace of the same length) with the row's variant,
   * context and token counts — replayed exactly; `contexts`, `popularity`, `crossVariantShare`,
   * `suffixTokens` and `output` are not used. Only a row without a variant (an imported trace
   * that has none) draws one by `variants` weight from the variants stream.
   */
  readonly rows?: TraceRows;
  /**
   * An agent pipeline (docs/workloads.md "Agent pipelines"): each arrival is a *task* that runs
   * these steps; the task's first step asks for a context drawn as a one-shot request's is
   * (`contexts`, `popularity`), and every later step's context is its parent step's whole
   * sequence. `requests` counts requests (steps): tasks start while fewer than `requests`
   * requests have been started, and every started task runs all its steps. `variants`,
   * `crossVariantShare`, `suffixTokens` and `output` are not used (each step has its own).
   */
  readonly pipeline?: PipelineSpec;
}

/**
 * The rows of a per-row trace, column by column (typed arrays: a million rows in a few MB).
 * `variantIds` and `contextIds` are the distinct ids; `variant[i]` and `context[i]` index them
 * (`variant[i]` = −1: the row names no variant, one is drawn by weight).
 */
export interface TraceRows {
  readonly variantIds: readonly string[];
  readonly contextIds: readonly string[];
  readonly variant: Int32Array;
  readonly context: Int32Array;
  /** Tokens of the row's context (its KV cache is what the pool holds). */
  readonly contextTokens: Int32Array;
  /** New prompt tokens after the context, always prefilled. */
  readonly suffixTokens: Int32Array;
  /** Tokens to decode (≥ 1). */
  readonly outputTokens: Int32Array;
}

/**
 * Think time before a pipeline step arrives, after its parent completed: `fixed`,
 * `exponential` with a mean, or `uniform` over `[minNs, maxNs]`.
 */
export type ThinkSpec =
  | { readonly kind: 'fixed'; readonly ns: number }
  | { readonly kind: 'exponential'; readonly meanNs: number }
  | { readonly kind: 'uniform'; readonly minNs: number; readonly maxNs: number };

/** One step of an agent pipeline. */
export interface PipelineStepSpec {
  /** The step's name, unique in the pipeline (part of its hand-off context ids). */
  readonly id: string;
  /** The variant that serves the step. */
  readonly variant: string;
  /** Index of the step whose completion releases this one (an earlier step); −1 for the first step, which arrives with its task. */
  readonly parent: number;
  /** Delay between the parent's completion and this step's arrival (the first step has none: fixed 0). */
  readonly think: ThinkSpec;
  /** The step's own instructions after its context, in tokens. */
  readonly suffixTokens: number;
  /** The step's output length. */
  readonly output: OutputSpec;
}

/** An agent pipeline: steps forming a tree rooted at step 0 (a chain when each step's parent is the one before). */
export interface PipelineSpec {
  readonly steps: readonly PipelineStepSpec[];
}

/** One request, as the simulator receives it. */
export interface Request {
  /**
   * Unique per run. One-shot workloads: 0, 1, 2 … in arrival order. Per-row traces: the row's
   * index. Pipelines: task × steps + step index (task 0, 1, 2 … in task-arrival order; steps in
   * the pipeline's declared order), so follow-ups that interleave with other tasks keep ids that
   * say which task and step they are.
   */
  readonly id: number;
  /** Arrival time in ns from the start of the run (non-decreasing along the stream). */
  readonly arrivalNs: number;
  /** Id of the variant (fine-tuned model) serving the request. */
  readonly variant: string;
  /** Id of the shared context: `c<k>` with k the popularity rank, a trace row's context, or a pipeline hand-off id. */
  readonly context: string;
  /** Tokens of the shared context (its KV cache is what the pool holds), in tokens. */
  readonly contextTokens: number;
  /** New prompt tokens after the context (always prefilled), in tokens. */
  readonly suffixTokens: number;
  /** Tokens to decode, in tokens. */
  readonly outputTokens: number;
  /**
   * Agent pipelines: when this request completes, its whole sequence — context, suffix and
   * output, `tokens` tokens — is stored in the pool under context id `context` for its variant,
   * so the pipeline's next step (another variant) can reuse it. Absent for one-shot requests.
   */
  readonly handoff?: { readonly context: string; readonly tokens: number };
}
