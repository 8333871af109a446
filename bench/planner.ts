/**
 * Planner bench (issue 13, item 4): the cost of planning one request as the simulator does it —
 * `choose` (the fast path, called per request) and `plan` (the full enumeration behind
 * `podsim explain` and the droidspeak policy) — on a request shaped like the bundled
 * droidspeak-8b scenario: llama-3.1-8b, 10,933 context tokens + 64 new, an exact cache on two
 * replicas and three related caches on two replicas each, compute prices precomputed as the
 * simulator memoises them (and, in one row, the cache sizes too, as PlanInput.sizes allows).
 */
import { performance } from 'node:perf_hooks';
import type { FetchSource } from '../src/fabric/fetch.ts';
import { getGpu } from '../src/kv/gpu.ts';
import { getModel } from '../src/kv/models.ts';
import {
  choose,
  computeCosts,
  eLayersFor,
  plan,
  planSizes,
  STRATEGIES,
  type FetchEstimate,
  type PlanInput,
  type PolicyName,
  type ReusableCache,
} from '../src/planner/planner.ts';
import { syntheticProfile, type PairProfile } from '../src/planner/profiles.ts';
import type { BenchRow } from './types.ts';

const SENDERS = ['toolace', 'evolcode', 'mathcoder'] as const;

/** The request, with a fixed estimator (one answer per source object, no work per call). */
function benchInput(exact: boolean, withSizes = false): PlanInput {
  const model = getModel('llama-3.1-8b');
  const profiles = new Map<string, PairProfile>(
    SENDERS.map((sender, i) => [
      sender,
      syntheticProfile({ receiver: 'rx', sender, layers: model.layers, seed: 11 + i }),
    ]),
  );
  const answers = new Map<FetchSource, FetchEstimate>();
  let next = 0;
  const sources = (n: number): FetchSource[] =>
    Array.from({ length: n }, (_, i) => {
      const source: FetchSource = { kind: 'devices', devices: [`d${next++}`] };
      answers.set(source, { latencyNs: 2_000 + 1_000 * i, bandwidthBytesPerNs: 25 / (i + 1) });
      return source;
    });
  const related: ReusableCache[] = SENDERS.map((variant) => ({
    variant,
    key: `${variant}|c0`,
    eLayers: eLayersFor(variant, [...profiles.values()], 0.05),
    replicas: sources(2),
  }));
  const base = {
    variant: 'rx',
    model,
    gpu: getGpu('a100-80gb'),
    tensorParallel: 1,
    contextTokens: 10_933,
    suffixTokens: 64,
    exact: exact ? { variant: 'rx', key: 'rx|c0', eLayers: [], replicas: sources(2) } : undefined,
    related,
    profiles,
    qualityBudget: 0.05,
    estimate: (source: FetchSource) => answers.get(source),
    strategies: STRATEGIES,
    queueLength: 1,
    gpuBacklogNs: 1e6,
    ttftSloNs: 3e9,
  };
  const costs = computeCosts(base);
  return withSizes
    ? { ...base, costs, sizes: planSizes(model, base.contextTokens) }
    : { ...base, costs };
}

/** Mean µs per call of `f` over `calls` calls, best of `rounds` rounds (after one warm-up round). */
function microsPerCall(f: () => unknown, calls: number, rounds = 5): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r <= rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) f();
    const us = ((performance.now() - t0) * 1_000) / calls;
    if (r > 0) best = Math.min(best, us);
  }
  return best;
}

/** Runs the planner bench. */
export async function run(): Promise<readonly BenchRow[]> {
  const rows: BenchRow[] = [];
  const related = benchInput(false);
  const both = benchInput(true);
  const cases: [string, PolicyName, PlanInput][] = [
    ['choose fabric-aware, 3 related caches × 2 replicas', 'fabric-aware', related],
    ['choose fabric-aware, exact + 3 related caches', 'fabric-aware', both],
    [
      'choose fabric-aware, 3 related caches, cache sizes precomputed too',
      'fabric-aware',
      benchInput(false, true),
    ],
    ['choose exact-only, exact + 3 related caches', 'exact-only', both],
  ];
  for (const [name, policy, input] of cases)
    rows.push({
      name,
      value: microsPerCall(() => choose(policy, input), 200_000),
      unit: 'µs/call',
    });
  rows.push({
    name: 'plan fabric-aware (every option, sorted), 3 related caches × 2 replicas',
    value: microsPerCall(() => plan('fabric-aware', related), 10_000),
    unit: 'µs/call',
  });
  return rows;
}
