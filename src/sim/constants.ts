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
