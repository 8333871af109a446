/**
 * fabric-aware's system cost (docs/planner.md "The system cost"): TTFT + GPU work × requests
 * behind + load-slot hold × loads behind. Hand-derived cases of keeping and leaving an exact hit.
 */
import { describe, expect, it } from 'vitest';
import { getGpu } from '../../src/kv/gpu.ts';
import { getModel } from '../../src/kv/models.ts';
import { plan, STRATEGIES, type PlanInput } from '../../src/planner/planner.ts';

const MS = 1e6;

/**
 * One request with an exact hit and no related cache. Round prices (memoised costs and sizes):
 * the cache is 500 MB, fetched at 1 MB/ms (1 byte/ns) with no latency → 500 ms; suffix 5 ms;
 * full prefill 300 ms. TTFTs: exact 500 + 5 = 505 ms, full prefill 300 ms.
 */
function input(over: Partial<PlanInput>): PlanInput {
  return {
    variant: 'r',
    model: getModel('llama-3.1-8b'),
    gpu: getGpu('a100-80gb'),
    tensorParallel: 1,
    contextTokens: 1000,
    suffixTokens: 10,
    exact: { variant: 'r', key: 'k', eLayers: [], replicas: [{ kind: 'devices', devices: ['d'] }] },
    related: [],
    profiles: new Map(),
    qualityBudget: 0.05,
    estimate: () => ({ latencyNs: 0, bandwidthBytesPerNs: 1 }),
    strategies: STRATEGIES,
    queueLength: 0,
    ttftSloNs: Number.POSITIVE_INFINITY,
    costs: { suffixNs: 5 * MS, fullNs: 300 * MS, headNs: 0, perLayerNs: 10 * MS },
    sizes: { kvBytes: 500e6, kvLayerBytes: 500e6 / 32, eLayerBytes: 1e6 },
    ...over,
  };
}

describe('system cost', () => {
  it('nobody behind: the lower TTFT wins, so the slow exact hit is left', () => {
    // exact 505 ms vs full 300 ms; system cost = TTFT.
    const d = plan('fabric-aware', input({}));
    expect(d.chosen.kind).toBe('full-prefill');
    expect(d.chosen.systemCostNs).toBe(300 * MS);
    expect(d.reason).toMatch(/^left the exact hit/);
  });

  it('one request behind on the GPU: the exact hit is kept', () => {
    // full: 300 + 300 × 1 = 600 ms; exact: 505 + 5 × 1 = 510 ms → exact.
    const d = plan('fabric-aware', input({ waitingBehind: 1 }));
    expect(d.chosen.kind).toBe('exact');
    expect(d.chosen.systemCostNs).toBe(510 * MS);
    expect(d.options.find((o) => o.kind === 'full-prefill')?.systemCostNs).toBe(600 * MS);
    expect(d.reason).toMatch(/^kept the exact hit/);
  });

  it('a load waiting behind as well: the fetch is charged too, and the hit is left again', () => {
    // exact: 510 + 500 (slot held for the fetch) × 1 = 1,010 ms; full 600 ms → full prefill.
    const d = plan('fabric-aware', input({ waitingBehind: 1, loadsBehind: 1 }));
    expect(d.chosen.kind).toBe('full-prefill');
    expect(d.options.find((o) => o.kind === 'exact')?.systemCostNs).toBe(1010 * MS);
  });

  it('exact-only and droidspeak are unaffected: they take the hit whatever it costs', () => {
    for (const policy of ['exact-only', 'droidspeak'] as const)
      expect(plan(policy, input({ loadsBehind: 5 })).chosen.kind).toBe('exact');
  });
});
