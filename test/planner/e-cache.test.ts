/**
 * A recompute group that starts at the first layer needs no E cache (issue 12 item 2,
 * docs/planner.md "E caches"): its input is the token embeddings, computed from the tokens. Hand
 * cases for every place that counts E caches: the frontier's points, `evaluateRecompute`,
 * `eLayersFor` (what a sender stores), profile validation (and its message), and the planner's
 * bytes and TTFTs.
 */
import { describe, expect, it } from 'vitest';
import { getGpu } from '../../src/kv/gpu.ts';
import { getModel } from '../../src/kv/models.ts';
import {
  eLayersFor,
  plan,
  STRATEGIES,
  type PartialReuseOption,
  type PlanInput,
} from '../../src/planner/planner.ts';
import {
  buildFrontier,
  evaluateRecompute,
  syntheticProfile,
  validatePairProfile,
  type PairProfile,
} from '../../src/planner/profiles.ts';

/**
 * A 4-layer profile written by hand: reusing layer 0 alone costs 0.3 (critical), the others
 * 0.001. Frontier: nothing (loss 0.5), layer 0 alone (a group at layer 0: no E cache), layers
 * 0–1 (still one group at layer 0), layer 2 alone (one E cache, at layer 2), all layers.
 */
const hand: PairProfile = {
  receiver: 'r',
  sender: 's',
  layers: 4,
  layerSensitivity: [0.3, 0.001, 0.001, 0.001],
  fullReuseLoss: 0.5,
  frontier: [
    { groups: [], recomputedLayers: 0, eCacheLoads: 0, qualityLoss: 0.5 },
    { groups: [{ start: 0, end: 0 }], recomputedLayers: 1, eCacheLoads: 0, qualityLoss: 0.04 },
    {
      groups: [
        { start: 0, end: 0 },
        { start: 2, end: 2 },
      ],
      recomputedLayers: 2,
      eCacheLoads: 1,
      qualityLoss: 0.02,
    },
    { groups: [{ start: 0, end: 3 }], recomputedLayers: 4, eCacheLoads: 0, qualityLoss: 0 },
  ],
};

describe('E caches of a group at layer 0', () => {
  it('evaluateRecompute counts one E cache per group not starting at layer 0', () => {
    const p = syntheticProfile({ receiver: 'r', sender: 's', layers: 32, seed: 7 });
    // Groups 0–3 and 10–12: only 10–12 loads an E cache (at layer 10).
    expect(
      evaluateRecompute(p, [
        { start: 0, end: 3 },
        { start: 10, end: 12 },
      ]),
    ).toMatchObject({ recomputedLayers: 7, eCacheLoads: 1 });
    // One group at layer 0: none; one group at layer 1: one.
    expect(evaluateRecompute(p, [{ start: 0, end: 5 }]).eCacheLoads).toBe(0);
    expect(evaluateRecompute(p, [{ start: 1, end: 5 }]).eCacheLoads).toBe(1);
  });

  it("the frontier's every-layer point (one group at layer 0) loads no E cache", () => {
    const f = buildFrontier({ ...hand, frontier: undefined } as never);
    const last = f[f.length - 1];
    expect(last).toMatchObject({ recomputedLayers: 4, eCacheLoads: 0 });
  });

  it('eLayersFor stores no E cache for layer 0', () => {
    // Within budget 0.05: points {0}, {0, 2} (the all-layers point is full prefill, not stored
    // for). Group starts 0, 0 and 2 → layer 0 needs nothing, so only layer 2 is stored.
    expect(eLayersFor('s', [hand], 0.05)).toEqual([2]);
  });

  it('validation accepts eCacheLoads 0 for a group at layer 0 and explains a mismatch', () => {
    expect(validatePairProfile(hand)).toEqual([]);
    const bad = JSON.parse(JSON.stringify(hand)) as { frontier: Record<string, unknown>[] };
    (bad.frontier[1] as Record<string, unknown>)['eCacheLoads'] = 1; // the old rule: one per group
    const issues = validatePairProfile(bad, ['profiles', 0, 'data']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'profile.point-mismatch',
      path: ['profiles', 0, 'data', 'frontier', 1, 'eCacheLoads'],
    });
    expect(issues[0]?.message).toMatch(/eCacheLoads is 1 but the groups give 0/);
    expect(issues[0]?.message).toMatch(/layer 0 reads the token embeddings/);
  });

  it('the planner fetches no E cache for a layer-0 group and pipelined starts at once', () => {
    // Round prices (given as memoised costs and sizes): one layer's recompute 1 ms, the head 0;
    // one layer's KV 1 MB, one E cache 1 MB; the fetch 1 MB/ms (1 byte/ns), no latency.
    // Point {0}: reuse layers 1–3 → 3 MB of KV, no E cache.
    //   send-reused: fetch 3 ms, then recompute 1 ms → TTFT 4 ms;
    //   pipelined: recompute starts at 0 (no E cache to wait for), ends at 1 ms; the KV stream
    //   lands at 3 ms → TTFT max(1, 3) = 3 ms.
    // Point {0, 2}: reuse layers 1 and 3 → 2 MB of KV, plus the E cache at layer 2 (1 MB).
    //   send-reused: 3 MB → 3 ms, then 2 ms → 5 ms; pipelined: E lands at 1 ms, recompute to
    //   3 ms, everything lands at 3 ms → 3 ms.
    const ms = 1e6;
    const input: PlanInput = {
      variant: 'r',
      model: { ...getModel('llama-3.1-8b'), layers: 4 },
      gpu: getGpu('a100-80gb'),
      tensorParallel: 1,
      contextTokens: 1000,
      suffixTokens: 0,
      exact: undefined,
      related: [
        { variant: 's', key: 'k', eLayers: [2], replicas: [{ kind: 'devices', devices: ['d'] }] },
      ],
      profiles: new Map([['s', hand]]),
      qualityBudget: 0.05,
      estimate: () => ({ latencyNs: 0, bandwidthBytesPerNs: 1 }),
      strategies: STRATEGIES,
      queueLength: 0,
      ttftSloNs: Number.POSITIVE_INFINITY,
      costs: { suffixNs: 0, fullNs: 4 * ms, headNs: 0, perLayerNs: ms },
      sizes: { kvBytes: 4e6, kvLayerBytes: 1e6, eLayerBytes: 1e6 },
    };
    const partials = plan('fabric-aware', input).options.filter(
      (o): o is PartialReuseOption => o.kind === 'partial',
    );
    const at = (layers: number, s: string): PartialReuseOption | undefined =>
      partials.find((o) => o.recomputedLayers === layers && o.strategy === s);
    expect(at(1, 'send-reused')).toMatchObject({ eCacheLoads: 0, fetchBytes: 3e6, ttftNs: 4 * ms });
    expect(at(1, 'pipelined')).toMatchObject({ eCacheLoads: 0, fetchBytes: 3e6, ttftNs: 3 * ms });
    expect(at(2, 'send-reused')).toMatchObject({ eCacheLoads: 1, fetchBytes: 3e6, ttftNs: 5 * ms });
    expect(at(2, 'pipelined')).toMatchObject({ eCacheLoads: 1, fetchBytes: 3e6, ttftNs: 3 * ms });
  });
});
