/**
 * The resolved scenario type. A scenario file resolves into the sim layer's {@link SimConfig}
 * (which is the planner's `PlannerScenario` plus serving, workload and SLOs); io adds only what
 * the file has beyond a run's needs — its description. The fields are declared and documented
 * once, in those layers; nothing here repeats them. The raw file's types are inferred from the
 * zod schema (`ScenarioFileInput` in ./schema.ts).
 */
import type { EvictionPolicy, PlacementPolicy, PoolConfig } from '../../kv/pool.ts';
import type { SimConfig } from '../../sim/types.ts';

// The pool settings are the kv layer's own types (src/kv/pool.ts), re-exported for io's users.
export type { EvictionPolicy, PlacementPolicy, PoolConfig };

/**
 * A resolved scenario: read-only, every default filled in, every unit resolved. It is a
 * {@link SimConfig} plus the file's free-text description.
 */
export interface Scenario extends SimConfig {
  /** What the scenario is and where its numbers come from (the file's `description`, trimmed; '' when absent). */
  readonly description: string;
}

/** A fine-tuned variant: its id and the base model (a key of {@link Scenario.models}) it shares a KV layout with. */
export type Variant = Scenario['variants'][number];
