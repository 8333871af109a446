/**
 * The reuse planner's laws (issue 4): pipelined ≤ send-reused ≤ send-all for the same plan; the
 * quality budget is never exceeded; with bandwidth → ∞ the fabric-aware planner recomputes no
 * more layers than the profile's minimum, with bandwidth → 0 it falls back to full prefill;
 * exact reuse wins when available and cheaper; DroidSpeak's queue-aware rule.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getGpu } from '../../src/kv/gpu.ts';
import { getModel } from '../../src/kv/models.ts';
import { prefillTimeNs } from '../../src/kv/compute.ts';
import {
  eLayersFor,
  partialTtftNs,
  plan,
  POLICIES,
  STRATEGIES,
  type PlanInput,
  type ReusableCache,
} from '../../src/planner/planner.ts';
import { frontierWithin, syntheticProfile, type PairProfile } from '../../src/planner/profiles.ts';

const model = getModel('llama-3.1-8b');
const gpu = getGpu('a100-80gb');
const profile: PairProfile = syntheticProfile({
  receiver: 'evolcode',
  sender: 'toolace',
  layers: model.layers,
  seed: 7,
});

function input(
  over: Partial<PlanInput> & { bandwidth?: number; latencyNs?: number; budget?: number } = {},
): PlanInput {
  const budget = over.budget ?? 0.05;
  const related: ReusableCache[] = [
    {
      variant: 'toolace',
      key: 'toolace|c1',
      eLayers: eLayersFor('toolace', [profile], budget),
      replicas: [{ kind: 'devices', devices: ['d0'] }],
    },
  ];
  const bw = over.bandwidth ?? 25;
  const lat = over.latencyNs ?? 2_000;
  return {
    variant: 'evolcode',
    model,
    gpu,
    tensorParallel: 1,
    contextTokens: 10_933,
    suffixTokens: 0,
    exact: undefined,
    related,
    profiles: new Map([['toolace', profile]]),
    qualityBudget: budget,
    estimate: () => ({ latencyNs: lat, bandwidthBytesPerNs: bw }),
    strategies: STRATEGIES,
    queueLength: 0,
    ttftSloNs: Number.POSITIVE_INFINITY,
    ...over,
  };
}

describe('strategies', () => {
  it('pipelined ≤ send-reused ≤ send-all for the same plan, whatever the GPU backlog', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        fc.double({ min: 0, max: 1e10, noNaN: true }),
        (latencyNs, bw, eBytes, reused, extra, recompute, backlog) => {
          const f = { latencyNs, bandwidthBytesPerNs: bw };
          const bytes = { eBytes, reusedKvBytes: reused, allKvBytes: reused + extra };
          const p = partialTtftNs('pipelined', f, bytes, recompute, backlog).ttftNs;
          const r = partialTtftNs('send-reused', f, bytes, recompute, backlog).ttftNs;
          const a = partialTtftNs('send-all', f, bytes, recompute, backlog).ttftNs;
          return p <= r * (1 + 1e-12) && r <= a * (1 + 1e-12);
        },
      ),
    );
  });
});

describe('plan', () => {
  it('never exceeds the quality budget, under any policy, bandwidth and budget', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(4),
        (policy, bw, budget, queue) => {
          const d = plan(policy, input({ bandwidth: bw, budget, queueLength: queue }));
          return (
            d.chosen.qualityLoss <= budget + 1e-12 &&
            d.options.every((o) => o.qualityLoss <= budget + 1e-12)
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with bandwidth → ∞, fabric-aware recomputes no more layers than the profile’s minimum within the budget', () => {
    for (const budget of [0.02, 0.05, 0.1, 0.3]) {
      const d = plan('fabric-aware', input({ bandwidth: 1e15, latencyNs: 0, budget }));
      const minLayers = Math.min(...frontierWithin(profile, budget).map((p) => p.recomputedLayers));
      expect(d.chosen.kind).toBe('partial');
      expect(d.chosen.recomputedLayers).toBe(minLayers);
    }
  });

  it('with bandwidth → 0, fabric-aware falls back to full prefill', () => {
    const d = plan('fabric-aware', input({ bandwidth: 1e-9 }));
    expect(d.chosen.kind).toBe('full-prefill');
    expect(d.chosen.ttftNs).toBeCloseTo(prefillTimeNs(model, gpu, 10_933), -3);
  });

  it('exact reuse is chosen when available and cheapest; never a partial that is slower than it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (bw) => {
        const exact: ReusableCache = {
          variant: 'evolcode',
          key: 'evolcode|c1',
          eLayers: [],
          replicas: [{ kind: 'devices', devices: ['d1'] }],
        };
        const d = plan('fabric-aware', input({ bandwidth: bw, exact }));
        const exactOpt = d.options.find((o) => o.kind === 'exact');
        if (exactOpt === undefined) return false;
        return (
          d.chosen.ttftNs <= exactOpt.ttftNs &&
          (d.chosen.kind !== 'partial' || d.chosen.ttftNs < exactOpt.ttftNs)
        );
      }),
      { numRuns: 50 },
    );
    const fast = plan(
      'fabric-aware',
      input({
        bandwidth: 1e15,
        latencyNs: 0,
        exact: {
          variant: 'evolcode',
          key: 'k',
          eLayers: [],
          replicas: [{ kind: 'devices', devices: ['d1'] }],
        },
      }),
    );
    expect(fast.chosen.kind).toBe('exact');
  });

  it('DroidSpeak: fewest layers with a queue, the most recomputation meeting the SLO when idle', () => {
    const within = frontierWithin(profile, 0.05).filter((p) => p.recomputedLayers < model.layers);
    const fewest = Math.min(...within.map((p) => p.recomputedLayers));
    expect(plan('droidspeak', input({ queueLength: 3 })).chosen.recomputedLayers).toBe(fewest);
    const idle = plan('droidspeak', input({ queueLength: 0, ttftSloNs: 3e9 }));
    const meeting = idle.options.filter(
      (o) => o.kind === 'partial' && o.strategy === 'pipelined' && o.ttftNs <= 3e9,
    );
    expect(idle.chosen.recomputedLayers).toBe(Math.max(...meeting.map((o) => o.recomputedLayers)));
    expect(idle.chosen.recomputedLayers).toBeGreaterThanOrEqual(fewest);
  });

  it('DroidSpeak ignores bandwidth: on a starved fabric it still reuses, fabric-aware does not', () => {
    const slow = input({ bandwidth: 0.01, queueLength: 1 });
    expect(plan('droidspeak', slow).chosen.kind).toBe('partial');
    expect(plan('fabric-aware', slow).chosen.kind).toBe('full-prefill');
  });

  it('is deterministic and explains itself with every option', () => {
    const a = plan('fabric-aware', input());
    const b = plan('fabric-aware', input());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.options.length).toBeGreaterThan(3);
    expect(a.reason.length).toBeGreaterThan(0);
  });

  it('a frontier point whose E caches were not stored is not offered', () => {
    const d = plan(
      'fabric-aware',
      input({
        related: [
          {
            variant: 'toolace',
            key: 'k',
            eLayers: [],
            replicas: [{ kind: 'devices', devices: ['d0'] }],
          },
        ],
      }),
    );
    expect(d.options.filter((o) => o.kind === 'partial' && o.eCacheLoads > 0)).toEqual([]);
  });

  it('a GPU backlog delays every option that computes, and not a fetch that needs none', () => {
    const exact: ReusableCache = {
      variant: 'evolcode',
      key: 'k',
      eLayers: [],
      replicas: [{ kind: 'devices', devices: ['d1'] }],
    };
    const idle = plan('fabric-aware', input({ exact }));
    const busy = plan('fabric-aware', input({ exact, gpuBacklogNs: 5e9 }));
    const full = (d: typeof idle) => d.options.find((o) => o.kind === 'full-prefill')?.ttftNs ?? 0;
    expect(full(busy) - full(idle)).toBeCloseTo(5e9, -3);
    expect(busy.options.find((o) => o.kind === 'exact')?.ttftNs).toBe(
      idle.options.find((o) => o.kind === 'exact')?.ttftNs,
    );
    expect(busy.chosen.kind).toBe('exact');
  });
});
