/**
 * Scenario files: what is served and how it is asked for. YAML or JSON in, a resolved, read-only
 * {@link Scenario} out — or an {@link InputError} naming the file and listing **every** problem,
 * each with a path into the file (docs/design.md convention §3–5). The format is documented in
 * docs/scenario-files.md; in short:
 *
 * ```yaml
 * name: droidspeak-8b              # optional; default: the file name without extension
 * seed: 1                          # drives every synthetic profile and the workload
 * gpu: a100-80gb                   # a BUILTIN_GPUS id
 * tensorParallel: 1                # GPUs per replica: 1, 2, 4 or 8
 * models: [llama-3.1-8b, { id: my-13b, layers: 40, … }]   # built-in ids or custom shapes
 * variants: [{ id: evolcode, model: llama-3.1-8b }, { id: toolace, model: llama-3.1-8b }]
 * profiles:                        # receiver ← sender
 *   - { receiver: evolcode, sender: toolace, synthetic: {} }
 *   - { receiver: toolace, sender: evolcode, data: { layerSensitivity: […], fullReuseLoss: 0.6 } }
 * qualityBudget: 5 %               # or 0.05
 * planner: { policy: fabric-aware, strategy: best }
 * pool: { placement: stripe, eviction: lru, hostDramFraction: 0.5, gpuCacheFraction: 0.3 }
 * serving: { replicas: [{ variant: evolcode, count: 8 }], routing: round-robin, maxBatch: 64 }
 * workload:
 *   arrival: { poisson: "4 /s" }   # or { bursts: { rate, size } } or { trace: arrivals.csv }
 *   requests: 2000                 # and/or duration: "10 min"
 *   contexts: { count: 200, length: hotpotqa }
 *   popularity: { zipf: 1.0 }
 *   variants: { evolcode: 1 }
 *   crossVariantShare: 50 %
 *   suffixTokens: 64
 *   output: { fixed: 128 }
 * slo: { ttft: "3 s", e2e: "30 s" }
 * ```
 *
 * The mechanism lives in ./scenario/, one file per stage: the schema (`schema*.ts`, with the
 * field builders, rates and the enumerated words each layer owns), the defaults, the checks on
 * the raw data (`checks-*.ts`, `trace.ts`), resolution (`resolve*.ts`) and loading (`load.ts`).
 * All problems of a file are reported together, each with a path into the file
 * (docs/design.md convention §3–5); a resolved {@link Scenario} is the sim layer's `SimConfig`
 * plus a description.
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
