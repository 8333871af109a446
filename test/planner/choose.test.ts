/**
 * The planner's fast path (planner.ts, "Fast path"): choose(policy, p) is plan(policy, p).chosen,
 * field for field, on arbitrary inputs — ties included, which is why bandwidths, latencies and
 * backlogs come from small sets and two senders share one frontier; computeCosts is what the
 * option list prices with; the estimator is asked at most once per replica of each cache; the
 * memoised frontier filter gives what an unmemoised one gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FetchSource } from '../../src/fabric/fetch.ts';
import { getGpu } from '../../src/kv/gpu.ts';
import { BUILTIN_MODEL_IDS, getModel, type ModelShape } from '../../src/kv/models.ts';
import {
  choose,
  computeCosts,
  eLayersFor,
  enumerateOptions,
  plan,
  POLICIES,
  STRATEGIES,
  type FetchEstimate,
  type PlanInput,
  type PlanOption,
  type PolicyName,
  type ReusableCache,
  type Strategy,
} from '../../src/planner/planner.ts';
import { frontierWithin, syntheticProfile, type PairProfile } from '../../src/planner/profiles.ts';

/**
 * Senders of the receiver `rx`. `Alpha` and `alpha` share one frontier (ties then fall to the
 * variant's localeCompare, which orders them unlike code units), `beta` has its own, `gamma` has
 * no profile (its caches are never reusable).
 */
const SENDERS = ['Alpha', 'alpha', 'beta', 'gamma'] as const;
const profilesOf = new Map<string, Map<string, PairProfile>>();
function profilesFor(m: ModelShape, seed: number): Map<string, PairProfile> {
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

type EstimateSpec = { latency: number; bandwidth: number } | 'unreachable' | 'nan';
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

interface CacheSpec {
  readonly sender: number;
  /** 0: what eLayersFor stores, 1: none, 2: every layer. */
  readonly eLayers: number;
  readonly replicas: readonly EstimateSpec[];
}

interface InputSpec {
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
  readonly ttftSloNs: number;
  readonly seed: number;
  readonly precomputedCosts: boolean;
}

const inputSpec = (withNaN: boolean): fc.Arbitrary<InputSpec> =>
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
    ttftSloNs: fc.constantFrom(5e8, 3e9, Number.POSITIVE_INFINITY),
    seed: fc.constantFrom(1, 7),
    precomputedCosts: fc.boolean(),
  });

/** A built input, with the estimator's calls counted per source object (one per cache replica). */
interface Built {
  readonly input: PlanInput;
  readonly calls: Map<FetchSource, number>;
}

function build(s: InputSpec): Built {
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
  };
  return { input: s.precomputedCosts ? { ...base, costs: computeCosts(base) } : base, calls };
}

/** The first key of enumerateOptions' sort order on which two options differ ('none': a complete tie). */
function decidingKey(a: PlanOption, b: PlanOption): string {
  if (
    a.ttftNs !== b.ttftNs &&
    !(a.ttftNs === Number.POSITIVE_INFINITY && b.ttftNs === Number.POSITIVE_INFINITY)
  )
    return 'ttft';
  if (a.qualityLoss !== b.qualityLoss) return 'loss';
  if (a.fetchBytes !== b.fetchBytes) return 'bytes';
  if (a.kind !== b.kind) return 'kind';
  if (sourceOf(a).variant !== sourceOf(b).variant) return 'variant';
  if (sourceOf(a).replica !== sourceOf(b).replica) return 'replica';
  if (sourceOf(a).strategy !== sourceOf(b).strategy) return 'strategy';
  return 'none';
}

/** An option's source keys, full prefill's being '', 0 and send-all as in the sort. */
function sourceOf(o: PlanOption): { variant: string; replica: number; strategy: Strategy } {
  if (o.kind === 'full-prefill') return { variant: '', replica: 0, strategy: 'send-all' };
  return {
    variant: o.sourceVariant,
    replica: o.replica,
    strategy: o.kind === 'partial' ? o.strategy : 'send-all',
  };
}

/** choose ≡ plan().chosen: deep-equal, same key order, the same source and groups objects. */
function expectSameChoice(policy: PolicyName, s: InputSpec): void {
  const fast = build(s);
  const got = choose(policy, fast.input);
  const want = plan(policy, build(s).input).chosen;
  expect(got).toStrictEqual(want);
  expect(Object.keys(got)).toEqual(Object.keys(want));
  for (const n of fast.calls.values()) expect(n).toBeLessThanOrEqual(1);
}

describe('choose', () => {
  it('returns plan(policy, p).chosen for every policy, ties included', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), inputSpec(false), (policy, s) => {
        expectSameChoice(policy, s);
      }),
      { numRuns: 1_000 },
    );
  });

  it('meets ties at every level of the sort order, so the property above covers them', () => {
    // With the same generator: in how many inputs the winner beats some other option only on a
    // given key of the sort order ('none': a complete tie, the earlier one wins).
    const inputs = new Map<string, number>();
    fc.assert(
      fc.property(inputSpec(false), (s) => {
        const [first, ...rest] = enumerateOptions(build(s).input);
        if (first === undefined) return;
        for (const key of new Set(rest.map((o) => decidingKey(first, o))))
          inputs.set(key, (inputs.get(key) ?? 0) + 1);
      }),
      { numRuns: 500 },
    );
    for (const key of ['ttft', 'loss', 'bytes', 'kind', 'variant', 'replica', 'strategy', 'none'])
      expect(inputs.get(key) ?? 0, `${key} in ${JSON.stringify([...inputs])}`).toBeGreaterThan(5);
  });

  it('with NaN estimates returns what the sort returns, asking each source once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<PolicyName>('fabric-aware', 'full-prefill', 'droidspeak'),
        inputSpec(true),
        (policy, s) => {
          expectSameChoice(policy, s);
        },
      ),
      { numRuns: 300 },
    );
    // exact-only asks nothing about related caches, which it never picks: NaN only among its own.
    fc.assert(
      fc.property(inputSpec(true), (s) => {
        expectSameChoice('exact-only', {
          ...s,
          related: s.related.map((c) => ({
            ...c,
            replicas: c.replicas.map((r) => (r === 'nan' ? 'unreachable' : r)),
          })),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('asks the estimator at most once per replica of each cache, under every policy', () => {
    const spec: InputSpec = {
      modelId: 'llama-3.1-8b',
      gpuId: 'a100-80gb',
      tp: 1,
      contextTokens: 10_933,
      suffixTokens: 64,
      exact: [{ latency: 1, bandwidth: 2 }, 'unreachable', { latency: 1, bandwidth: 2 }],
      related: [
        {
          sender: 0,
          eLayers: 0,
          replicas: [
            { latency: 1, bandwidth: 2 },
            { latency: 2, bandwidth: 1 },
          ],
        },
        { sender: 2, eLayers: 2, replicas: ['unreachable', { latency: 0, bandwidth: 3 }] },
        { sender: 3, eLayers: 0, replicas: [{ latency: 0, bandwidth: 3 }] },
      ],
      twin: 'none',
      budget: 0.05,
      strategies: STRATEGIES,
      queueLength: 1,
      backlogNs: 1e6,
      ttftSloNs: 3e9,
      seed: 1,
      precomputedCosts: false,
    };
    for (const policy of POLICIES) {
      const { input, calls } = build(spec);
      choose(policy, input);
      expect([...calls.values()].every((n) => n === 1)).toBe(true);
      if (policy === 'fabric-aware') expect(calls.size).toBe(7); // every replica but gamma's (no profile)
      if (policy === 'exact-only') expect(calls.size).toBe(3);
      if (policy === 'full-prefill') expect(calls.size).toBe(0);
    }
    // Replayed on a NaN: plan() runs, but the sources already asked are not asked again.
    const { input, calls } = build({
      ...spec,
      related: [
        {
          sender: 0,
          eLayers: 0,
          replicas: [{ latency: 1, bandwidth: 2 }, 'nan', { latency: 0, bandwidth: 2 }],
        },
        ...spec.related,
      ],
    });
    expect(choose('fabric-aware', input)).toStrictEqual(
      plan(
        'fabric-aware',
        build({
          ...spec,
          related: [
            {
              sender: 0,
              eLayers: 0,
              replicas: [{ latency: 1, bandwidth: 2 }, 'nan', { latency: 0, bandwidth: 2 }],
            },
            ...spec.related,
          ],
        }).input,
      ).chosen,
    );
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
  });

  it('does not skip a pure fetch (no recompute, no suffix) on a busy GPU', () => {
    // The zero-recompute point with no suffix needs no GPU, so the backlog does not bound its TTFT.
    const s: InputSpec = {
      modelId: 'llama-3.1-8b',
      gpuId: 'a100-80gb',
      tp: 1,
      contextTokens: 10_933,
      suffixTokens: 0,
      exact: [{ latency: 0, bandwidth: 1 }],
      related: [{ sender: 2, eLayers: 0, replicas: [{ latency: 0, bandwidth: 2 }] }],
      twin: 'none',
      budget: 1,
      strategies: STRATEGIES,
      queueLength: 0,
      backlogNs: 3e9,
      ttftSloNs: 1e9,
      seed: 1,
      precomputedCosts: false,
    };
    const want = plan('fabric-aware', build(s).input).chosen;
    expect(want).toMatchObject({ kind: 'partial', recomputedLayers: 0 });
    expect(choose('fabric-aware', build(s).input)).toStrictEqual(want);
  });

  it('throws where plan throws: an invalid budget with a profiled related cache', () => {
    const s: InputSpec = {
      modelId: 'llama-3.1-8b',
      gpuId: 'a100-80gb',
      tp: 1,
      contextTokens: 100,
      suffixTokens: 0,
      exact: undefined,
      related: [{ sender: 0, eLayers: 1, replicas: [] }],
      twin: 'none',
      budget: 0.05,
      strategies: STRATEGIES,
      queueLength: 0,
      backlogNs: undefined,
      ttftSloNs: 1e9,
      seed: 1,
      precomputedCosts: false,
    };
    for (const policy of POLICIES) {
      const input = { ...build(s).input, qualityBudget: -1 };
      expect(() => plan(policy, input)).toThrow(RangeError);
      expect(() => choose(policy, input)).toThrow(RangeError);
    }
  });
});

describe('computeCosts', () => {
  it('gives the prices enumerateOptions uses, and enumerateOptions uses the ones passed', () => {
    const cases: [string, number, number, number][] = [
      ['llama-3.1-8b', 10_933, 64, 1],
      ['llama-3.1-8b', 1, 0, 1],
      ['mixtral-8x7b', 18_650, 300, 2],
      ['llama-3.1-70b', 4_000, 1, 4],
    ];
    for (const [modelId, contextTokens, suffixTokens, tp] of cases) {
      const s: InputSpec = {
        modelId,
        gpuId: 'a100-80gb',
        tp,
        contextTokens,
        suffixTokens,
        exact: [{ latency: 1, bandwidth: 2 }],
        related: [{ sender: 2, eLayers: 2, replicas: [{ latency: 1, bandwidth: 2 }] }],
        twin: 'none',
        budget: 1,
        strategies: STRATEGIES,
        queueLength: 0,
        backlogNs: 0,
        ttftSloNs: 1e9,
        seed: 1,
        precomputedCosts: false,
      };
      const { input } = build(s);
      const c = computeCosts(input);
      const options = enumerateOptions(input);
      expect(options.find((o) => o.kind === 'full-prefill')?.recomputeNs).toBe(c.fullNs);
      expect(options.find((o) => o.kind === 'exact')?.suffixNs).toBe(c.suffixNs);
      const partials = options.filter((o) => o.kind === 'partial');
      expect(partials.length).toBeGreaterThan(0);
      for (const o of partials)
        expect(o.recomputeNs).toBe(
          o.recomputedLayers === 0 ? 0 : c.headNs + o.recomputedLayers * c.perLayerNs,
        );
      if (suffixTokens === 0) expect(c.suffixNs).toBe(0);

      const given = { suffixNs: 1, fullNs: 1_000, headNs: 10, perLayerNs: 100 };
      const priced = enumerateOptions({ ...input, costs: given });
      expect(priced.find((o) => o.kind === 'full-prefill')?.recomputeNs).toBe(1_000);
      for (const o of priced.filter((x) => x.kind === 'partial'))
        expect(o.recomputeNs).toBe(o.recomputedLayers === 0 ? 0 : 10 + o.recomputedLayers * 100);
      expect(choose('fabric-aware', { ...input, costs: given })).toStrictEqual(priced[0]);
    }
  });
});

describe('memoised frontier filter', () => {
  it('offers what an unmemoised filter offers, whatever the eLayers array’s identity', () => {
    const model = getModel('llama-3.1-8b');
    const profile = profilesFor(model, 1).get('beta') as PairProfile;
    fc.assert(
      fc.property(
        fc.subarray(Array.from({ length: model.layers }, (_, i) => i)),
        fc.constantFrom(0.02, 0.05, 0.3),
        fc.boolean(),
        (stored, budget, sameArray) => {
          const eLayers = sameArray ? stored : [...stored];
          const related: ReusableCache[] = [
            {
              variant: 'beta',
              key: 'k',
              eLayers,
              replicas: [{ kind: 'devices', devices: ['d0'] }],
            },
          ];
          const input: PlanInput = {
            ...build({
              modelId: 'llama-3.1-8b',
              gpuId: 'a100-80gb',
              tp: 1,
              contextTokens: 1_000,
              suffixTokens: 0,
              exact: undefined,
              related: [],
              twin: 'none',
              budget,
              strategies: ['pipelined'],
              queueLength: 0,
              backlogNs: undefined,
              ttftSloNs: 1e9,
              seed: 1,
              precomputedCosts: false,
            }).input,
            related,
            estimate: () => ({ latencyNs: 0, bandwidthBytesPerNs: 25 }),
          };
          const offered = enumerateOptions(input)
            .filter((o) => o.kind === 'partial')
            .map((o) => o.recomputedLayers)
            .sort((a, b) => a - b);
          const set = new Set(stored);
          const expected = frontierWithin(profile, budget)
            .filter(
              (pt) =>
                pt.recomputedLayers < model.layers && pt.groups.every((g) => set.has(g.start)),
            )
            .map((pt) => pt.recomputedLayers);
          expect(offered).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
