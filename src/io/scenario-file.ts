/**
 * Scenario files: what is served and how it is asked for. YAML or JSON in, a resolved, read-only
 * {@link Scenario} out — or an {@link InputError} naming the file and listing **every** problem,
 * each with a path into the file (docs/design.md convention §3–5). The format is documented in
 * docs/scenario-files.md (every field, its default and where the default comes from).
 *
 * The mechanism lives in ./scenario/, one file per stage: the schema (`schema*.ts`, with the
 * field builders, rates and the enumerated words each layer owns), the defaults, the checks on
 * the raw data (`checks-*.ts`, `trace.ts`), resolution (`resolve*.ts`) and loading (`load.ts`).
 * A resolved {@link Scenario} is the sim layer's `SimConfig` plus a description.
 */
export { MAX_BATCH, MAX_MODEL_LAYERS, SCENARIO_DEFAULTS } from './scenario/defaults.ts';
export {
  LONGBENCH_DATASETS,
  PLANNER_POLICIES,
  PLANNER_STRATEGIES,
  ROUTING_POLICIES,
  type PlannerPolicy,
  type PlannerStrategy,
  type RoutingPolicy,
} from './scenario/enums.ts';
export {
  listScenarioPresets,
  loadScenario,
  parseScenarioText,
  SCENARIOS_DIR,
  type ParseScenarioOptions,
} from './scenario/load.ts';
export { parseRatePerSecond } from './scenario/rates.ts';
export {
  scenarioFileSchema,
  scenarioJsonSchema,
  type ScenarioFile,
  type ScenarioFileInput,
} from './scenario/schema.ts';
export type {
  EvictionPolicy,
  PlacementPolicy,
  PoolConfig,
  Scenario,
  Variant,
} from './scenario/types.ts';
