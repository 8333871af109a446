/**
 * The app layer (docs/design.md): what podsim's long-running commands do, as library functions
 * that print nothing — the what-if (one scenario on several fabrics, with failures), sweeps (a
 * grid of topology and scenario parameters, shard files and their merge) and capacity planning
 * (the cheapest fabric meeting the SLOs as demand grows), plus building a generator-form
 * topology document in memory. Progress, where there is any, goes to a callback.
 */
export {
  DEFAULT_WHATIF,
  whatIf,
  whatIfCases,
  hasFailures,
  failureImpact,
  fabricCostsPerHostUsd,
  type WhatIfCase,
  type WhatIfColumn,
  type WhatIfOptions,
  type ReachLoss,
} from './whatif.ts';
export {
  runCapacityPlan,
  evaluateConfiguration,
  planWork,
  type CapacityReport,
  type FamilyPooling,
} from './capacity.ts';
export { buildGeneratorDocument } from './generated-topology.ts';
export { prepareSweep, evaluatePoint, type SweepSpec, type SweepContext } from './sweep.ts';
export {
  SCENARIO_GRID_KEYS,
  parseGrid,
  gridSize,
  gridPoint,
  expandGrid,
  parseShard,
  inShard,
  splitParams,
  applyScenarioParams,
  type GridValue,
  type GridAxis,
  type Grid,
  type GridPoint,
  type GridContext,
  type ScenarioGridKey,
  type Shard,
} from './sweep-grid.ts';
export {
  sweepRecord,
  sweepHeader,
  renderJsonl,
  parseJsonl,
  mergeShards,
  type SweepMetrics,
  type SweepRecord,
  type SweepHeader,
} from './sweep-records.ts';
export {
  LOAD_DEFAULTS,
  loadCurve,
  loadPoint,
  kneeIndex,
  maxSustainableRate,
  searchMaxRate,
  scenarioRatePerS,
  withPoissonRate,
  withPolicy,
  type LoadCurve,
  type LoadOptions,
  type LoadPoint,
  type RateSearch,
  type SearchOptions,
} from './load-sweep.ts';
export {
  BOUND_THRESHOLDS,
  boundOf,
  classifyBound,
  resourceClasses,
  type BoundInput,
  type ResourceClass,
} from './whatif-bounds.ts';
