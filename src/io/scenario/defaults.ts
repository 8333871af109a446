/**
 * Every default of a scenario file, in the file's own terms and each with its source
 * (docs/design.md convention §9), and the bounds the format sets on sizes.
 */
import { PROFILE_DEFAULTS } from '../../planner/profiles.ts';
import type { LongBenchDataset } from '../../sim/workload.ts';
import type { EvictionPolicy } from '../../kv/pool.ts';
import type { PlannerPolicy, PlannerStrategy, RoutingPolicy } from './enums.ts';

/**
 * Every default of a scenario file, in the file's own terms, with its source (docs/references.md §3
 * for the DroidSpeak figures). *(estimate)* marks podsim's own choices.
 */
export const SCENARIO_DEFAULTS = Object.freeze({
  /** Seed of synthetic profiles. */
  seed: 1,
  /** DroidSpeak's testbed GPU: 2 VMs × 8 A100-80GB (docs/references.md §3, "Testbed"). */
  gpu: 'a100-80gb',
  /** One GPU per replica: an 8B model fits one A100-80GB (the paper's Llama-3.1-8B runs on one A100, docs/references.md §3). */
  tensorParallel: 1,
  /** DroidSpeak's quality target: "within 5 % of the receiver's own" (docs/references.md §3, "Profiling"); the planner's own default. */
  qualityBudget: PROFILE_DEFAULTS.qualityBudget,
  planner: Object.freeze({
    /** podsim's planner: DroidSpeak's choice, with the recompute range adapted to the fabric's bandwidth (docs/references.md §3, "Online choice": future work in the paper). */
    policy: 'fabric-aware' as PlannerPolicy,
    /** Price all three ways of running a partial reuse and take the fastest (docs/references.md §3). */
    strategy: 'best' as PlannerStrategy,
  }),
  pool: Object.freeze({
    /** Stripe each object over the devices its host reaches (bandwidth of all its CXL links). */
    placement: 'stripe' as const,
    /** Least recently used first. */
    eviction: 'lru' as EvictionPolicy,
    /** Half of each host's DRAM for the pool on RDMA fabrics *(estimate)*. */
    hostDramFraction: 0.5,
    /** 30 % of each GPU's HBM for cached KV when caches live in GPU memory (where DroidSpeak's testbed keeps them, docs/references.md §3) *(estimate)*. */
    gpuCacheFraction: 0.3,
  }),
  serving: Object.freeze({
    /** One replica per variant when `serving.replicas` is absent (a scenario used only by `podsim explain` needs no more). */
    replicasPerVariant: 1,
    /** Round-robin over a variant's replicas, as in DroidSpeak's testbed (docs/references.md §3, "Testbed"). */
    routing: 'round-robin' as RoutingPolicy,
    /** Decode batch cap per replica *(estimate)*: below vLLM's 256-sequence default, since long-context KV fills HBM first. */
    maxBatch: 64,
    /** Tokens per KV block: vLLM's default `--block-size` 16 (docs/serving.md "Sources"). */
    blockTokens: 16,
  }),
  /** The workload when the file has no `workload` section, in the file's own terms. All *(estimates)* except where a source is named. */
  workload: Object.freeze({
    /** Poisson arrivals, as in DroidSpeak's evaluation (docs/references.md §3, "Testbed"); the rate is an estimate. */
    arrival: Object.freeze({ poisson: '2 /s' }),
    /** Requests of a run *(estimate)*; only when the file has no `workload` (a written workload sets `requests` or `duration`). */
    requests: 1000,
    contexts: Object.freeze({
      /** Shared contexts *(estimate)*; hotpotQA has 300 (docs/references.md §3). */
      count: 100,
      /** hotpotQA lengths, DroidSpeak's main data set (docs/references.md §3, "Context lengths"). */
      length: 'hotpotqa' as LongBenchDataset,
    }),
    /** Zipf popularity with exponent 1 *(estimate)*. */
    popularity: Object.freeze({ zipf: 1.0 }),
    /** Half the requests for a context come from another variant *(estimate)*; 0 when fewer than two variants receive requests. */
    crossVariantShare: 0.5,
    /** New prompt tokens after the shared context *(estimate)*. */
    suffixTokens: 64,
    /** Decoded tokens per request *(estimate)*. */
    output: Object.freeze({ fixed: 128 }),
  }),
  slo: Object.freeze({
    /** DroidSpeak's TTFT SLO for Llama-3-8B (docs/references.md §3, "Motivating numbers"). */
    ttft: '3 s',
    /** End-to-end target *(estimate)*: 128 output tokens decode in seconds, so 60 s flags only stuck requests. */
    e2e: '60 s',
  }),
  /** Fields a custom model may leave out (its `name` defaults to its id; `activeParameterCount` to `parameterCount` when dense). */
  customModel: Object.freeze({
    /** Free text; only for display. */
    family: 'custom',
    /** Dense model. */
    experts: 1,
    expertsPerToken: 1,
    /** Separate LM head, as in every built-in model. */
    tieWordEmbeddings: false,
    /** bf16 weights and caches, as in every built-in model (src/kv/models.ts). */
    dtypeBytes: 2,
  }),
});

/**
 * Most layers a custom model may have. Llama-3.1-405B has 126; the bound keeps profile building
 * (O(layers³)) fast for any file.
 */
export const MAX_MODEL_LAYERS = 256;

/** Largest decode batch accepted (a sanity bound; vLLM's default cap is 256 sequences). */
export const MAX_BATCH = 4096;

/** Largest KV block a scenario may set, tokens (vLLM's largest `--block-size` choice is 128; 1,024 leaves room for experiments). */
export const MAX_BLOCK_TOKENS = 1024;
