/**
 * The reuse planner's vocabulary: policies and strategies, what a request brings to the planner
 * ({@link PlanInput}), the request's precomputable prices and sizes ({@link ComputeCosts},
 * {@link PlanSizes}), the options it weighs ({@link PlanOption}, one variant per kind) and its
 * decisions — plus {@link PlannerScenario}, the part of a scenario the planner reads.
 * docs/design.md describes the planner; planner.ts has the model in its header.
 */
import type { FetchSource } from '../fabric/fetch.ts';
import type { GpuProfile } from '../kv/gpu.ts';
import type { ModelShape } from '../kv/models.ts';
import type { PoolConfig } from '../kv/pool.ts';
import type { LayerGroup, PairProfile } from './profile-types.ts';

/** How a partial reuse is run. */
export type Strategy = 'send-all' | 'send-reused' | 'pipelined';
/** Strategies in a stable order (the option order's last key ranks them so). */
export const STRATEGIES: readonly Strategy[] = ['send-all', 'send-reused', 'pipelined'];
/** Planner policies. */
export type PolicyName = 'fabric-aware' | 'droidspeak' | 'exact-only' | 'full-prefill';
/** Policies in a stable order. */
export const POLICIES: readonly PolicyName[] = [
  'fabric-aware',
  'droidspeak',
  'exact-only',
  'full-prefill',
];

/** A cache the request could reuse, as the pool holds it. */
export interface ReusableCache {
  /** Variant that produced it (the receiver itself for an exact hit, a sender otherwise). */
  readonly variant: string;
  readonly key: string;
  /** Layers whose E cache is stored with the KV. */
  readonly eLayers: readonly number[];
  /** Where each replica lives, as fetch sources. */
  readonly replicas: readonly FetchSource[];
}

/** A source's fetch estimate: first-byte latency (ns) and bandwidth (bytes/ns). */
export interface FetchEstimate {
  readonly latencyNs: number;
  readonly bandwidthBytesPerNs: number;
}

/** Fetch estimate of a source for the consuming GPU, or undefined when unreachable. */
export type FetchEstimator = (source: FetchSource) => FetchEstimate | undefined;

/**
 * GPU compute prices of one request (ns), everything the planner needs from the compute model.
 * They depend only on the model, GPU, tensor parallelism and token counts, so a caller planning
 * many requests may memoise them ({@link PlanInput}.costs).
 */
export interface ComputeCosts {
  /** Prefill of the suffix (the new prompt tokens) over the context; 0 without a suffix. */
  readonly suffixNs: number;
  /** Full prefill: every layer over context and suffix, plus the LM head. */
  readonly fullNs: number;
  /** Fixed part of recomputing layers over the context: the LM head for the last token. */
  readonly headNs: number;
  /** One layer over the context: recomputing L ≥ 1 layers costs headNs + L × perLayerNs. */
  readonly perLayerNs: number;
}

/**
 * Byte sizes of the caches of one context, everything the planner needs from the KV model. They
 * depend only on the model and the context's tokens, so a caller planning many requests may
 * memoise them beside {@link ComputeCosts} ({@link PlanInput}.sizes).
 */
export interface PlanSizes {
  /** Every layer's KV cache of the context (what exact reuse and send-all fetch). */
  readonly kvBytes: number;
  /** One layer's KV cache of the context. */
  readonly kvLayerBytes: number;
  /** One layer's E cache (hidden states entering it) of the context: one E-cache load. */
  readonly eLayerBytes: number;
}

/** What the planner needs to know about the request and its surroundings. */
export interface PlanInput {
  readonly variant: string;
  readonly model: ModelShape;
  readonly gpu: GpuProfile;
  readonly tensorParallel: number;
  /** Reusable prefix (context) tokens. */
  readonly contextTokens: number;
  /** New prompt tokens after the context, always prefilled. */
  readonly suffixTokens: number;
  readonly exact: ReusableCache | undefined;
  /** Other variants' caches of the same context and base model. */
  readonly related: readonly ReusableCache[];
  /** Pair profiles with this variant as receiver, by sender variant. */
  readonly profiles: ReadonlyMap<string, PairProfile>;
  readonly qualityBudget: number;
  readonly estimate: FetchEstimator;
  /** Strategies the policy may use (`best` = all three). */
  readonly strategies: readonly Strategy[];
  /** Requests waiting for this GPU (DroidSpeak's queue-aware rule). */
  readonly queueLength: number;
  /** GPU work (ns) queued ahead of this request on its replica: compute it needs waits for it. */
  readonly gpuBacklogNs?: number;
  /**
   * Time (ns) until the replica's loader can start this request's load (docs/planner.md: one
   * load at a time per replica; send-all / send-reused hold it through their GPU work): every
   * fetch starts after it. Absent: 0.
   */
  readonly loadWaitNs?: number;
  /**
   * Requests expected to wait behind this request's GPU work on its replica (docs/planner.md
   * "The system cost"): every ns of GPU work an option adds delays each of them by one ns, so
   * `fabric-aware` ranks options by {@link OptionFigures}.systemCostNs = TTFT + GPU work ×
   * this. Absent: 0 (rank by TTFT alone).
   */
  readonly waitingBehind?: number;
  /**
   * Loads expected to wait behind this request's load for the replica's load slot: every ns an
   * option holds the slot (its fetch; through its GPU work for send-all / send-reused) delays
   * each of them, and the system cost charges it so. Absent: 0.
   */
  readonly loadsBehind?: number;
  /** TTFT SLO (ns), for DroidSpeak's idle-queue rule; Infinity when none. */
  readonly ttftSloNs: number;
  /**
   * Compute prices, when the caller has them memoised; absent: `computeCosts` of this input.
   * Must equal it.
   */
  readonly costs?: ComputeCosts;
  /**
   * Cache sizes, when the caller has them memoised; absent: `planSizes(model, contextTokens)`.
   * Must equal it.
   */
  readonly sizes?: PlanSizes;
}

/** The numbers every option has: what it fetches, computes and costs in time and quality. */
interface OptionFigures {
  /** Layers computed over the context. */
  readonly recomputedLayers: number;
  /** Those layers as contiguous groups. */
  readonly groups: readonly LayerGroup[];
  /** E caches fetched (one per recomputed group). */
  readonly eCacheLoads: number;
  readonly fetchBytes: number;
  /** Time to fetch `fetchBytes` (ns). */
  readonly fetchNs: number;
  /** GPU time over the context (ns): full prefill, or recomputing the groups. */
  readonly recomputeNs: number;
  /** GPU time of the suffix after a reuse (ns). */
  readonly suffixNs: number;
  /** Estimated time to first token (ns). */
  readonly ttftNs: number;
  /**
   * What the option costs everyone (ns): its TTFT plus the delay its GPU work (recompute and
   * suffix, or the full prefill) adds to the requests waiting for the GPU behind it — GPU work
   * × {@link PlanInput}.waitingBehind — and the delay its hold on the load slot adds to the loads
   * behind it — hold × {@link PlanInput}.loadsBehind. `fabric-aware` ranks by it; equals `ttftNs`
   * with nobody behind.
   */
  readonly systemCostNs: number;
  /** Expected quality loss, fraction of the receiver's own score. */
  readonly qualityLoss: number;
}

/** Full prefill: every layer over context and suffix on the GPU, nothing fetched. */
export interface FullPrefillOption extends OptionFigures {
  readonly kind: 'full-prefill';
  readonly eCacheLoads: 0;
  readonly fetchBytes: 0;
  readonly fetchNs: 0;
  /** The suffix is part of the full prefill (`recomputeNs`). */
  readonly suffixNs: 0;
  readonly qualityLoss: 0;
}

/** Exact reuse: the variant's own cache of the context fetched whole from one replica. */
export interface ExactReuseOption extends OptionFigures {
  readonly kind: 'exact';
  /** The receiver itself. */
  readonly sourceVariant: string;
  readonly replica: number;
  readonly source: FetchSource;
  readonly recomputedLayers: 0;
  readonly groups: readonly [];
  readonly eCacheLoads: 0;
  readonly recomputeNs: 0;
  readonly qualityLoss: 0;
}

/** Partial reuse (DroidSpeak): a sender's cache from one replica, a frontier point recomputed. */
export interface PartialReuseOption extends OptionFigures {
  readonly kind: 'partial';
  readonly strategy: Strategy;
  /** The sender whose cache is reused. */
  readonly sourceVariant: string;
  readonly replica: number;
  readonly source: FetchSource;
}

/** One option the planner considered, by kind. */
export type PlanOption = FullPrefillOption | ExactReuseOption | PartialReuseOption;

/** A decision with everything considered. */
export interface PlanDecision {
  readonly policy: PolicyName;
  readonly chosen: PlanOption;
  /** Every option enumerated, by estimated TTFT. */
  readonly options: readonly PlanOption[];
  readonly reason: string;
}

/** The parts of a scenario the planner needs. */
export interface PlannerScenario {
  readonly gpu: GpuProfile;
  readonly tensorParallel: number;
  /** Models by id; read with `ownEntry` (src/kv/lookup.ts), so no inherited name is a model. */
  readonly models: Readonly<Record<string, ModelShape>>;
  readonly variants: readonly { readonly id: string; readonly model: string }[];
  readonly profiles: readonly PairProfile[];
  readonly qualityBudget: number;
  readonly planner: { readonly policy: PolicyName; readonly strategy: Strategy | 'best' };
  readonly pool: PoolConfig;
}
