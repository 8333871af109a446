/**
 * podsim's library API: the layers a script or a notebook needs, without the CLI. Topologies are
 * loaded (io) or generated (topology), compiled into a fabric, and asked for costs; `podsim/testing`
 * holds the fast-check arbitraries and law suites.
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
} from './fabric/rpc.ts';
export { fetchCost, reachableDevices, type FetchResult, type FetchSource } from './fabric/fetch.ts';
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
} from './io/index.ts';
export { EXPORTERS, topologyToJson } from './report/export.ts';
