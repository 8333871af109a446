/**
 * The io layer: topology files (YAML/JSON) in, typed graphs out; scenario files in, resolved
 * scenarios (SimConfigs plus a description, arrival traces read) out; presets; the JSON Schemas of both formats.
 * With `cli/`, the only code that touches the file system (docs/design.md).
 */
export {
  parseTopologyText,
  loadTopology,
  listPresets,
  renderTopologyFile,
  TOPOLOGIES_DIR,
  DEFAULT_SCHEMA_REF,
  type TopologyFileDocument,
} from './topology-file.ts';
export { buildGenerated } from './topology/generated.ts';
export {
  GENERATOR_PARAM_SCHEMAS,
  COMPONENT_KEYS,
  topologyJsonSchema,
  topologyFileSchema,
  type ComponentFileKey,
  type ComponentKeyInfo,
  type GeneratorFileParams,
} from './schema.ts';
export { closest, editDistance } from './issues.ts';
export {
  parseScenarioText,
  loadScenario,
  listScenarioPresets,
  scenarioJsonSchema,
  scenarioFileSchema,
  SCENARIOS_DIR,
  SCENARIO_DEFAULTS,
  PLANNER_POLICIES,
  PLANNER_STRATEGIES,
  ROUTING_POLICIES,
  LONGBENCH_DATASETS,
  MAX_MODEL_LAYERS,
  MAX_BATCH,
  parseRatePerSecond,
  type ParseScenarioOptions,
  type Scenario,
  type ScenarioFileInput,
  type RoutingPolicy,
  type Variant,
  type PoolConfig,
  type PlacementPolicy,
  type EvictionPolicy,
  type PlannerPolicy,
  type PlannerStrategy,
} from './scenario-file.ts';
export {
  parsePlanText,
  loadPlan,
  candidateDocument,
  planFileSchema,
  PLAN_GENERATORS,
  PLAN_DEFAULTS,
  PLANS_DIR,
  type CapacityPlan,
  type PlanCandidate,
  type ParsePlanOptions,
} from './plan-file.ts';
