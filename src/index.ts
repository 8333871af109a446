/**
 * podsim's library API: the layers a script or a notebook needs, without the CLI. Topologies are
 * loaded (io) or generated (topology) and compiled into a fabric that answers cost questions
 * (RPC, KV fetch, flows); scenarios are loaded (io) and simulated on a fabric (sim), several
 * fabrics side by side (what-if) or candidate fabrics priced against growing demand (capacity).
 * `podsim/testing` holds the fast-check arbitraries and law suites. The README's "Use as a
 * library" section has a runnable example (test/package/library.test.ts runs it).
 *
 * @example
 * import { loadTopology, compileFabric, rpcCost, bytes } from 'podsim';
 * const f = compileFabric(loadTopology('prototype-3').graph);
 * rpcCost(f, 'h0', 'h1', bytes(64)).best?.roundTripNs; // ≈ 1.18 µs
 */
export * from './errors/index.ts';
export * from './units/index.ts';
export type * from './topology/types.ts';
export { NODE_KINDS } from './topology/types.ts';
export {
  DEFAULT_COMPONENTS,
  ESTIMATED_COMPONENTS,
  type ComponentProfile,
} from './topology/defaults.ts';
export { TopologyBuilder } from './topology/builder.ts';
export { GENERATORS, GENERATOR_NAMES, generate } from './topology/generators/index.ts';
export type * from './topology/generators/types.ts';
export { validateTopology, type TopologyIssue } from './topology/validate.ts';
export { topologyMetrics, cxlReach, type TopologyMetrics } from './topology/metrics.ts';
export { compileFabric, type Fabric, type Failures } from './fabric/compile.ts';
export {
  rpcCost,
  rpcAllPairs,
  rpcOneWayMatrices,
  RPC_MEDIA,
  type RpcMedium,
  type RpcResult,
  type RpcSummary,
  rpcByLocality,
  rpcLocalityOf,
  RPC_LOCALITIES,
  weightedPercentile,
  trafficMatrixOf,
  trafficLabel,
  TRAFFIC_DEFAULTS,
  UNIFORM_TRAFFIC,
  type RpcLocality,
  type RpcLocalityOptions,
  type LocalityStats,
  type TrafficMatrix,
  type TrafficEntry,
} from './fabric/rpc.ts';
export { parseTrafficCsv, readTrafficFile } from './io/traffic-file.ts';
export {
  fetchCost,
  reachableDevices,
  type FetchResult,
  type FetchSource,
  type FetchStripe,
} from './fabric/fetch.ts';
export { fabricSummary, type FabricSummary } from './fabric/summary.ts';
export { dataRoute, type DataRoute } from './fabric/route.ts';
export { FluidNetwork, simulateFlows, type FlowSpec, type FlowResult } from './fabric/flows.ts';
export { calibrate, type Calibration } from './fabric/calibrate.ts';
export * from './kv/index.ts';
export {
  loadTopology,
  parseTopologyText,
  listPresets,
  renderTopologyFile,
  topologyJsonSchema,
  type TopologyFileDocument,
  loadScenario,
  parseScenarioText,
  listScenarioPresets,
  scenarioJsonSchema,
  SCENARIO_DEFAULTS,
  type ParseScenarioOptions,
  type Scenario,
  loadPlan,
  parsePlanText,
  type CapacityPlan,
  type PlanCandidate,
} from './io/index.ts';
export { runSimulation } from './sim/engine.ts';
export {
  type SimConfig,
  type ServingSpec,
  type SimResult,
  type RunOptions,
  type RequestRecord,
  type LatencyStats,
} from './sim/types.ts';
export { generateRequests, type WorkloadSpec, type Request } from './sim/workload.ts';
export { type WhatIfColumn, type ReachLoss } from './sim/whatif.ts';
export * from './cost/index.ts';
export {
  cheapestFeasible,
  paretoFrontier,
  scaleArrival,
  type CapacityRow,
  type GrowthStep,
} from './cost/capacity.ts';
export { poolingView, poolingVerdict, type PoolingView } from './cost/pooling.ts';
// The app layer: what-if, sweeps and capacity planning as functions that print nothing.
export {
  DEFAULT_WHATIF,
  whatIf,
  whatIfCases,
  hasFailures,
  failureImpact,
  fabricCostsPerHostUsd,
  type WhatIfCase,
  type WhatIfOptions,
  runCapacityPlan,
  evaluateConfiguration,
  planWork,
  type CapacityReport,
  type FamilyPooling,
  buildGeneratorDocument,
} from './app/index.ts';
export { whatIfTable } from './report/whatif.ts';
export { renderText, renderMarkdown, renderCsv, type Table } from './report/table.ts';
export { EXPORTERS, topologyToJson } from './report/export.ts';
