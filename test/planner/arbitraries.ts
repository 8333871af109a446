/**
 * Arbitrary planner inputs for the property tests (choose.test.ts, walker.test.ts): senders with
 * shared and own frontiers, estimates from small sets so that ties are common (NaN and
 * unreachable ones on demand), and an estimator that counts its calls per source.
 */
import fc from 'fast-check';
import type { FetchSource } from '../../src/fabric/fetch.ts';
import { getGpu } from '../../src/kv/gpu.ts';
import { BUILTIN_MODEL_IDS, getModel, type ModelShape } from '../../src/kv/models.ts';
import {
  computeCosts,
  eLayersFor,
  STRATEGIES,
  type FetchEstimate,
  type PlanInput,
  type ReusableCache,
  type Strategy,
} from '../../src/planner/planner.ts';
import { syntheticProfile, type PairProfile } from '../../src/planner/profiles.ts';

/**
 * Senders of the receiver `rx`. `Alpha` and `alpha` share one frontier (ties then fall to the
 * variant's localeCompare, which orders them unlike code units), `beta` has its own, `gamma` has
 * no profile (its caches are never reusable).
 */
export const SENDERS = ['Alpha', 'alpha', 'beta', 'gamma'] as const;
const profilesOf = new Map<string, Map<string, PairProfile>>();
export function profilesFor(m: ModelShape, seed: number): Map<string, PairProfile> {
  const key = `${m.name}|${seed}`;
  let profiles = profilesOf.get(key);
  if (profiles === undefined) {
    const shared = syntheticProfile({ receiver: 'rx', sender: 'Alpha', layers: m.layers, seed });
    const own = syntheticProfile({
      receiver: 'rx',
      sender: 'beta',
      layers: m.layers,
      seed: seed + 1,
    });
    profiles = new Map([
      ['Alpha', shared],
      ['alpha', { ...shared, sender: 'alpha' }],
      ['beta', own],
    ]);
    profilesOf.set(key, profiles);
  }
  return profiles;
}

/**
 * Estimates from small sets so that equal TTFTs are common; bandwidth 0 = an endless fetch (and,
 * with no context, 0 bytes ÷ 0 = a NaN fetch time for exact reuse: the fallback path).
 */
const LATENCIES_NS = [0, 2_000, 50_000, Number.POSITIVE_INFINITY] as const;
const BANDWIDTHS = [0, 0.5, 25, 1e15] as const;

export type EstimateSpec = { latency: number; bandwidth: number } | 'unreachable' | 'nan';
const estimateSpec = (withNaN: boolean): fc.Arbitrary<EstimateSpec> =>
  fc.oneof(
    // One common estimate, so that replicas and caches often tie exactly.
    { weight: 4, arbitrary: fc.constant<EstimateSpec>({ latency: 0, bandwidth: 2 }) },
    {
      weight: 4,
      arbitrary: fc.record({
        latency: fc.nat(LATENCIES_NS.length - 1),
        bandwidth: fc.nat(BANDWIDTHS.length - 1),
      }),
    },
    { weight: 1, arbitrary: fc.constant<EstimateSpec>('unreachable') },
    { weight: withNaN ? 1 : 0, arbitrary: fc.constant<EstimateSpec>('nan') },
  );

export interface CacheSpec {
  readonly sender: number;
  /** 0: what eLayersFor stores, 1: none, 2: every layer. */
  readonly eLayers: number;
  readonly replicas: readonly EstimateSpec[];
}

export interface InputSpec {
  readonly modelId: string;
  readonly gpuId: string;
  readonly tp: number;
  readonly contextTokens: number;
  readonly suffixTokens: number;
  readonly exact: readonly EstimateSpec[] | undefined;
  readonly related: readonly CacheSpec[];
  /**
   * Appends a twin of the first related cache, same estimates: of the same sender (options then
   * tie on every key but differ in source) or of the other sender of the pair that shares a
   * frontier (they tie up to the variant's localeCompare).
   */
  readonly twin: 'none' | 'same' | 'other';
  readonly budget: number;
  readonly strategies: readonly Strategy[];
  readonly queueLength: number;
  readonly backlogNs: number | undefined;
  /** The load slot's wait (ns) and the requests behind (docs/planner.md). */
  readonly waitNs?: number | undefined;
  readonly behind?: number | undefined;
  readonly loadsBehind?: number | undefined;
  readonly ttftSloNs: number;
  readonly seed: number;
  readonly precomputedCosts: boolean;
}

export const inputSpec = (withNaN: boolean): fc.Arbitrary<InputSpec> =>
  fc.record({
    modelId: fc.constantFrom(...BUILTIN_MODEL_IDS),
    gpuId: fc.constantFrom('a100-80gb', 'h100-80gb'),
    tp: fc.constantFrom(1, 2),
    // No context: nothing to fetch, so exact reuse and full prefill can tie on every number.
    contextTokens: fc.oneof(fc.constantFrom(0, 1, 10_933), fc.integer({ min: 0, max: 40_000 })),
    suffixTokens: fc.oneof(fc.constantFrom(0, 64), fc.integer({ min: 0, max: 2_000 })),
    exact: fc.option(fc.array(estimateSpec(withNaN), { maxLength: 3 }), { nil: undefined }),
    related: fc.array(
      fc.record({
        sender: fc.nat(SENDERS.length - 1),
        eLayers: fc.constantFrom(0, 0, 1, 2),
        replicas: fc.array(estimateSpec(withNaN), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
    twin: fc.constantFrom('none', 'same', 'other'),
    budget: fc.constantFrom(0, 0.02, 0.05, 0.1, 0.3, 1),
    // Any order, duplicates allowed: enumeration order and the sort's strategy rank then differ.
    strategies: fc.oneof(
      fc.constant(STRATEGIES),
      fc.shuffledSubarray([...STRATEGIES], { minLength: 2 }),
      fc.array(fc.constantFrom(...STRATEGIES), { maxLength: 4 }),
    ),
    queueLength: fc.nat(3),
    backlogNs: fc.option(fc.constantFrom(0, 0, 1e6, 5e8, 3e9), { nil: undefined }),
    waitNs: fc.option(fc.constantFrom(0, 0, 1e6, 2e8), { nil: undefined }),
    // Fractions too: an M/G/1-style expectation of arrivals behind is not a whole number.
    behind: fc.option(fc.constantFrom(0, 0, 0.5, 1, 3, 19), { nil: undefined }),
    loadsBehind: fc.option(fc.constantFrom(0, 0, 0.25, 2, 19), { nil: undefined }),
    ttftSloNs: fc.constantFrom(5e8, 3e9, Number.POSITIVE_INFINITY),
    seed: fc.constantFrom(1, 7),
    precomputedCosts: fc.boolean(),
  });

/** A built input, with the estimator's calls counted per source object (one per cache replica). */
export interface Built {
  readonly input: PlanInput;
  readonly calls: Map<FetchSource, number>;
}

export function build(s: InputSpec): Built {
  const model = getModel(s.modelId);
  const profiles = profilesFor(model, s.seed);
  const answers = new Map<FetchSource, FetchEstimate | undefined>();
  const calls = new Map<FetchSource, number>();
  let next = 0;
  const sourcesOf = (specs: readonly EstimateSpec[]): FetchSource[] =>
    specs.map((e) => {
      const source: FetchSource = { kind: 'devices', devices: [`d${next++}`] };
      answers.set(
        source,
        e === 'unreachable'
          ? undefined
          : e === 'nan'
            ? { latencyNs: Number.NaN, bandwidthBytesPerNs: 25 }
            : {
                latencyNs: LATENCIES_NS[e.latency] ?? 0,
                bandwidthBytesPerNs: BANDWIDTHS[e.bandwidth] ?? 1,
              },
      );
      return source;
    });
  const first = s.related[0];
  const twin =
    first === undefined || s.twin === 'none'
      ? []
      : [
          {
            ...first,
            sender: s.twin === 'same' ? first.sender : first.sender <= 1 ? 1 - first.sender : 0,
          },
        ];
  const related: ReusableCache[] = [...s.related, ...twin].map((c, k) => {
    const variant = SENDERS[c.sender] ?? 'gamma';
    const profile = profiles.get(variant);
    const eLayers =
      c.eLayers === 1 || profile === undefined
        ? []
        : c.eLayers === 0
          ? eLayersFor(variant, [profile], s.budget)
          : Array.from({ length: model.layers }, (_, i) => i);
    return { variant, key: `${variant}|${k}`, eLayers, replicas: sourcesOf(c.replicas) };
  });
  const base = {
    variant: 'rx',
    model,
    gpu: getGpu(s.gpuId),
    tensorParallel: s.tp,
    contextTokens: s.contextTokens,
    suffixTokens: s.suffixTokens,
    exact:
      s.exact === undefined
        ? undefined
        : { variant: 'rx', key: 'rx|c', eLayers: [], replicas: sourcesOf(s.exact) },
    related,
    profiles,
    qualityBudget: s.budget,
    estimate: (source: FetchSource) => {
      calls.set(source, (calls.get(source) ?? 0) + 1);
      return answers.get(source);
    },
    strategies: s.strategies,
    queueLength: s.queueLength,
    ttftSloNs: s.ttftSloNs,
    ...(s.backlogNs === undefined ? {} : { gpuBacklogNs: s.backlogNs }),
    ...(s.waitNs === undefined ? {} : { loadWaitNs: s.waitNs }),
    ...(s.behind === undefined ? {} : { waitingBehind: s.behind }),
    ...(s.loadsBehind === undefined ? {} : { loadsBehind: s.loadsBehind }),
  };
  return { input: s.precomputedCosts ? { ...base, costs: computeCosts(base) } : base, calls };
}
