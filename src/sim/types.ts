/**
 * The serving simulator's public types (docs/design.md "Simulator"): what a run takes
 * ({@link SimConfig}, {@link RunOptions}) and what it gives back ({@link SimResult}, one
 * {@link RequestRecord} per completed request). Kept apart from the engine so io/, cost/ and
 * report/ can name them without importing the simulator.
 */
import type { PlannerScenario } from '../planner/explain.ts';
import type { PlanOption, PolicyName } from '../planner/planner.ts';
import type { RoutingPolicy } from './constants.ts';
import type { RequestStream, WorkloadSpec } from './workload.ts';

/** Which GPUs serve which variant. */
export interface ServingSpec {
  readonly replicas: readonly { readonly variant: string; readonly count: number }[];
  /** `cache-aware`: the least-loaded replica that reaches a cached copy of the context directly (own variant's first, else a related one), else through relays, else the least-loaded. */
  readonly routing: RoutingPolicy;
  /** Largest decode batch per replica. */
  readonly maxBatch: number;
  /** Tokens per KV block (default 16, vLLM's: `HBM_DEFAULTS.blockTokens` in constants.ts; docs/serving.md). */
  readonly blockTokens?: number;
  /** Share of each GPU's HBM usable for weights + KV (default the compute model's 0.9; docs/serving.md). */
  readonly hbmUsableFraction?: number;
  /**
   * A local prefix cache in each replica's HBM, before the pool (vLLM's automatic prefix caching):
   * a finished request's context stays in its replica's free KV blocks until they are needed, and
   * a request of the same variant and context routed there reuses it with no fetch. Default off,
   * as in vLLM V0 (docs/serving.md "A local prefix cache in HBM").
   */
  readonly prefixCache?: boolean;
}

/** Everything a run needs besides the fabric (a scenario file resolves into this): the planner's part plus serving, workload and SLOs. */
export interface SimConfig extends PlannerScenario {
  readonly name: string;
  readonly seed: number;
  readonly serving: ServingSpec;
  readonly workload: WorkloadSpec;
  readonly slo: { readonly ttftNs: number; readonly e2eNs: number };
  /**
   * Whether a request served by a full prefill writes its KV to the pool. Absent: off under
   * `policy: full-prefill` (the baseline carries no cache traffic), on under the reuse policies.
   */
  readonly storeOnFullPrefill?: boolean;
}

/** One request's record (for `--records`). */
export interface RequestRecord {
  readonly id: number;
  readonly variant: string;
  readonly context: string;
  readonly contextTokens: number;
  readonly replica: number;
  readonly host: string;
  readonly arrivalNs: number;
  readonly ttftNs: number;
  readonly e2eNs: number;
  readonly decision: PlanOption['kind'];
  readonly strategy: string;
  readonly source: string;
  readonly recomputedLayers: number;
  readonly fetchBytes: number;
  readonly qualityLoss: number;
  readonly metSlo: boolean;
}

/** Percentiles of a latency distribution (ns). */
export interface LatencyStats {
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** What a run measured. Deterministic for the same inputs and seed. */
export interface SimResult {
  readonly scenario: string;
  readonly topology: string;
  readonly policy: PolicyName;
  readonly seed: number;
  /** Simulated time from 0 to the last event (ns). */
  readonly simulatedNs: number;
  readonly requests: {
    readonly arrived: number;
    readonly completed: number;
    readonly inFlight: number;
  };
  /** Completed requests per second of simulated time (to the last event, trailing writes included). */
  readonly throughputPerS: number;
  /**
   * Requests that met both SLOs per second of the arrival window (first to last arrival; when all
   * arrive at one instant, the simulated time since then): the offered-load window, so a trailing
   * cache-write drain does not dilute it.
   */
  readonly goodputPerS: number;
  /** The arrival window goodput divides by (ns). */
  readonly arrivalWindowNs: number;
  readonly sloAttainment: number;
  readonly ttft: LatencyStats;
  readonly e2e: LatencyStats;
  /** TTFT at percentiles 0, 2, 4, … 100 (51 points, ns), for CDF charts. */
  readonly ttftCdfNs: readonly number[];
  readonly decisions: {
    readonly fullPrefill: number;
    readonly exact: number;
    readonly partial: number;
    readonly byStrategy: Readonly<Record<string, number>>;
    readonly meanRecomputedLayers: number;
  };
  readonly meanQualityLoss: number;
  /** Bytes fetched over CXL (of which `fetchRelayed` through relay hosts) and over RDMA, and written to the pool. */
  readonly bytesMoved: {
    readonly fetchCxl: number;
    readonly fetchRelayed: number;
    readonly fetchRdma: number;
    readonly writes: number;
  };
  readonly utilisation: {
    readonly busiestLink: { readonly id: string; readonly utilisation: number };
    readonly busiestDevice: { readonly id: string; readonly utilisation: number };
    readonly meanCxlLink: number;
    /** The 20 busiest resources (link directions and device media), busiest first. */
    readonly top: readonly { readonly id: string; readonly utilisation: number }[];
    /** GPUs the replicas run on (replicas × tensor-parallel degree): the topology may have more. */
    readonly servingGpus: number;
    /** Serving GPUs: mean share of the simulated time a replica's GPU was busy (prefill or decode), and the busiest replica (`replica <i> (<gpu>)`). */
    readonly gpu: {
      readonly mean: number;
      readonly busiest: { readonly id: string; readonly utilisation: number };
    };
  };
  readonly pool: {
    readonly objects: number;
    readonly occupancy: number;
    readonly hits: { readonly exact: number; readonly crossVariant: number; readonly miss: number };
    readonly evictions: number;
    readonly rejected: number;
    /** Whether requests served by a full prefill wrote their KV to the pool in this run. */
    readonly storeOnFullPrefill: boolean;
  };
  /**
   * KV memory in HBM (docs/serving.md): blocks of `blockTokens` tokens; a prefill is admitted
   * when its blocks fit, decode grows sequences block by block, and when blocks run out the
   * latest-arrived running sequence is preempted and recomputed (vLLM V0's default).
   */
  readonly hbm: {
    readonly blockTokens: number;
    readonly preemptionMode: 'recompute';
    /** KV capacity and peak use of the replica that came closest to full (bytes), and that peak share. */
    readonly capacityBytes: number;
    readonly peakUsedBytes: number;
    readonly peakShare: number;
    /** Sequences preempted (their prompt and generated tokens recomputed). */
    readonly preemptions: number;
    /** With `serving.prefixCache`: requests served from their replica's local prefix cache, and cached prefixes evicted for KV blocks. */
    readonly localPrefix: {
      readonly enabled: boolean;
      readonly hits: number;
      readonly evictions: number;
    };
    /** Prefill jobs that waited at the head of their queue for KV blocks. */
    readonly admissionWaits: number;
  };
  /** Little's law check: time-average requests in the system vs arrival rate × mean time in system. */
  readonly littlesLaw: { readonly meanInSystem: number; readonly arrivalRateTimesMeanTime: number };
  readonly events: number;
  /** With `failAtEnd`: cached objects (and their bytes) the failure would destroy at the end of the run. */
  readonly lostAtEnd?: {
    readonly objects: number;
    readonly bytes: number;
    readonly replicasDropped: number;
  };
}

/**
 * One span of a run's timeline (`podsim run --trace`): GPU work on a replica (`gpu`: a prefill,
 * a preempted sequence's recompute, a decode run) or a transfer on the fabric (`fetch` into a
 * replica, `write` of a cache into the pool). Times in ns of simulated time.
 */
export interface TraceSpan {
  readonly track: 'gpu' | 'fetch' | 'write';
  /** The serving replica (its GPU work, or the fetch into it); -1 for a cache write. */
  readonly replica: number;
  readonly name: string;
  readonly startNs: number;
  readonly endNs: number;
  /** Request id (GPU work and fetches of one request), bytes (transfers), batch size (decode). */
  readonly request?: number;
  readonly bytes?: number;
  readonly batch?: number;
}

/** Options of a run. */
export interface RunOptions {
  /** Called with each span of the run's timeline as it ends (`podsim run --trace`); none when absent, at no cost. */
  readonly onSpan?: (span: TraceSpan) => void;
  /** Called with each completed request's record. */
  readonly onRecord?: (r: RequestRecord) => void;
  /** Called now and then with (requests completed, requests expected or 0 when unknown). */
  readonly onProgress?: (done: number, total: number) => void;
  /** After the run, fail these elements in the pool and report what is lost (the failure what-if). */
  readonly failAtEnd?: { readonly devices?: readonly string[]; readonly hosts?: readonly string[] };
  /**
   * Plays this request stream instead of the one the workload spec generates (a stream built in
   * code, e.g. `reproduce droidspeak`'s warm-pool workload); the spec still sizes the metrics.
   */
  readonly requests?: RequestStream;
}
