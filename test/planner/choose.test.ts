/**
 * The planner's best-only walk (planner.ts, "One walker, two paths"): choose(policy, p) is
 * plan(policy, p).chosen, field for field, on arbitrary inputs — ties included, which is why
 * bandwidths, latencies and backlogs come from small sets and two senders share one frontier;
 * computeCosts is what the option list prices with; the estimator is asked at most once per
 * replica of each cache; the memoised frontier filter gives what an unmemoised one gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  choose,
  computeCosts,
  enumerateOptions,
  plan,
  POLICIES,
  STRATEGIES,
  type PlanInput,
  type PlanOption,
  type PolicyName,
  type ReusableCache,
  type Strategy,
} from '../../src/planner/planner.ts';
import { frontierWithin, type PairProfile } from '../../src/planner/profiles.ts';
import { getModel } from '../../src/kv/models.ts';
import { build, inputSpec, profilesFor, type InputSpec } from './arbitraries.ts';

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
                pt.recomputedLayers < model.layers &&
                pt.groups.every((g) => g.start === 0 || set.has(g.start)),
            )
            .map((pt) => pt.recomputedLayers);
          expect(offered).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
