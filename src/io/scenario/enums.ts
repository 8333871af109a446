/**
 * The words a scenario file may use for its enumerated fields, each taken from the layer that
 * owns it (planner policies and strategies from src/planner/planner.ts, routing from
 * src/sim/constants.ts, LongBench sets from src/sim/workload.ts). The kv layer states its pool
 * settings as types only, so their lists here are checked against those types by the compiler,
 * both ways: a word missing from a list or a word the type lacks fails `tsc`.
 */
import type { EvictionPolicy, PlacementPolicy } from '../../kv/pool.ts';
import { POLICIES, STRATEGIES, type PolicyName, type Strategy } from '../../planner/planner.ts';
import { ROUTING_POLICIES, type RoutingPolicy } from '../../sim/constants.ts';
import type { ServingSpec } from '../../sim/types.ts';
import { LONGBENCH_PRESETS, type LongBenchDataset } from '../../sim/workload.ts';

/**
 * `list`, once the compiler has proved that it names every member of `T` (and, by its element
 * type, nothing else).
 * @example const EVICTION = everyMember<'lru' | 'gdsf'>()(['lru', 'gdsf']);
 */
export function everyMember<T extends string>() {
  return <const L extends readonly [T, ...T[]]>(
    list: L &
      ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

/** How the reuse planner decides per request: the planner's own {@link POLICIES}, in its order. */
export const PLANNER_POLICIES: readonly PolicyName[] = POLICIES;
/** How a partial reuse is run (the planner's {@link STRATEGIES}, docs/references.md §3), or `best` of them. */
export const PLANNER_STRATEGIES: readonly (Strategy | 'best')[] = [...STRATEGIES, 'best'];
/** A planner policy name. */
export type PlannerPolicy = PolicyName;
/** A partial-reuse strategy name, or `best`. */
export type PlannerStrategy = Strategy | 'best';

// The sim layer's routing list must name exactly the routings the engine implements.
everyMember<ServingSpec['routing']>()(ROUTING_POLICIES);
/** How requests are routed among a variant's replicas (the sim layer's list). */
export { ROUTING_POLICIES, type RoutingPolicy };

/** The kinds of a placement union written as a bare word (no field besides `kind`). */
type BareKind<P> = P extends { readonly kind: infer K }
  ? [Exclude<keyof P, 'kind'>] extends [never]
    ? K
    : never
  : never;

/** Pool eviction orders (the kv layer's {@link EvictionPolicy}). */
export const EVICTION_POLICIES = everyMember<EvictionPolicy>()(['lru', 'gdsf']);
/** Placements written as a bare word (the kv layer's {@link PlacementPolicy} kinds without a parameter). */
export const WORD_PLACEMENTS = everyMember<BareKind<PlacementPolicy>>()(['local', 'stripe']);
/** Where a `host-memory` placement keeps caches. */
export const HOST_MEMORIES = everyMember<
  Extract<PlacementPolicy, { kind: 'host-memory' }>['memory']
>()(['dram', 'gpu']);

/** The LongBench context-length presets a workload may name (docs/references.md §3; src/sim/workload.ts). */
export const LONGBENCH_DATASETS = Object.keys(LONGBENCH_PRESETS) as LongBenchDataset[];
