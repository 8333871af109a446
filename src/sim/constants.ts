/**
 * Word lists of the sim layer, so that the layers above (io's scenario schema, sweeps) take their
 * allowed values from here instead of repeating them.
 */

/**
 * How requests are routed among a variant's replicas: `round-robin` (DroidSpeak's testbed),
 * `least-loaded`, or `cache-aware` (the least-loaded replica that reaches a cached copy of the
 * context). In the order the scenario format documents them.
 */
export const ROUTING_POLICIES = ['round-robin', 'least-loaded', 'cache-aware'] as const;

/** A routing policy name; the same union as `ServingSpec['routing']` (src/sim/types.ts). */
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/**
 * Defaults of the engine's KV-memory model and write pacing (docs/serving.md).
 */
export const HBM_DEFAULTS = Object.freeze({
  /** vLLM's default KV block size, 16 tokens (vLLM engine arguments, `--block-size`; docs/serving.md "Sources"). */
  blockTokens: 16,
  /**
   * Share of the writer's GPU-link bandwidth a cache write may use *(estimate)*: writes are
   * background work nobody waits for, so each is capped at a quarter of its GPUs' links, leaving
   * three quarters to the fetches a first token waits on (LMCache-style offload runs on a side
   * stream for the same reason; docs/serving.md).
   */
  writeLinkShare: 0.25,
});
