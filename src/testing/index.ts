/**
 * `podsim/testing`: fast-check arbitraries of valid topology-generator parameters and generated
 * topologies, and the law suite every topology generator must pass (docs/design.md convention §12). podsim runs
 * the suite on its own generators (test/topology/laws.test.ts); run it on yours the same way —
 * wrap each generated graph with `generatedTopology(generator, params, options)` so the laws see
 * the parameters and can regenerate, then make one test per law in vitest:
 *
 * ```ts
 * import fc from 'fast-check';
 * import { it } from 'vitest';
 * import { generatedTopology, topologyLawProperties } from 'podsim/testing';
 *
 * const myArbitrary = fc.record({ hosts: fc.integer({ min: 2, max: 40 }), seed: fc.nat() })
 *   .map((params) => generatedTopology(myGenerator, params));
 * for (const law of topologyLawProperties(myArbitrary)) it(law.name, () => fc.assert(law.property));
 * ```
 *
 * Pass a subset of `TOPOLOGY_LAWS` (or your own `TopologyLaw`s) as the second argument to pick
 * laws; `checkTopologyLaws` runs them once on a single topology.
 */
export {
  DEFAULT_ARBITRARY_LIMITS,
  feasibleBibdShapes,
  feasibleIslandShapes,
  fullPodParams,
  generatedTopology,
  hybridParams,
  octopusBibdParams,
  octopusIslandsParams,
  octopusSparseParams,
  paramsArbitrary,
  rdmaRackParams,
  switchedCxlParams,
  topologyArbitrary,
} from './arbitraries.ts';
export type {
  ArbitrarySizeOptions,
  GeneratedTopology,
  IslandShape,
  PodsimTopology,
  RdmaArbitraryOptions,
} from './arbitraries.ts';
export {
  checkTopologyLaws,
  cxlMemoryReach,
  cxlReachableMemory,
  degreesWithinPorts,
  deterministic,
  exportJson,
  hostsConnected,
  idConventions,
  LawViolation,
  linksSymmetric,
  octopusDegrees,
  pairOverlapClaims,
  TOPOLOGY_LAWS,
  topologyLawProperties,
  validationClean,
} from './laws.ts';
export type { TopologyLaw } from './laws.ts';
