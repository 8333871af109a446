/**
 * The local prefix cache in each replica's HBM (`serving.prefixCache`, docs/serving.md "A local
 * prefix cache in HBM"): a finished request's context stays in its replica's free KV blocks, and
 * the next request of the same variant and context there is served with no fetch; the cache only
 * ever holds blocks no sequence needs.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { computeCosts } from '../../src/planner/planner.ts';
import { play, runSimulation } from '../../src/sim/engine.ts';
import { createRunState } from '../../src/sim/setup.ts';
import type { RequestRecord, SimConfig } from '../../src/sim/types.ts';

const { scenario } = loadScenario('droidspeak-8b');
const octopus = compileFabric(loadTopology('octopus-96').graph);
const TOKENS = 8000;

/** One evolcode replica; two requests for the same 8,000-token context, at 0 s and at 60 s. */
function twice(prefixCache: boolean): SimConfig {
  return {
    ...scenario,
    planner: { policy: 'exact-only', strategy: 'best' },
    serving: {
      ...scenario.serving,
      replicas: [{ variant: 'evolcode', count: 1 }],
      prefixCache,
    },
    workload: {
      ...scenario.workload,
      arrival: { kind: 'trace', arrivalsNs: [0, 60e9] },
      requests: 2,
      contexts: { count: 1, length: { kind: 'fixed', tokens: TOKENS } },
      variants: [{ id: 'evolcode', weight: 1 }],
      crossVariantShare: 0,
    },
  } as SimConfig;
}

function records(cfg: SimConfig): { recs: RequestRecord[]; hits: number } {
  const recs: RequestRecord[] = [];
  const r = runSimulation(octopus, cfg, { onRecord: (x) => recs.push(x) });
  return { recs: recs.sort((a, b) => a.id - b.id), hits: r.hbm.localPrefix.hits };
}

describe('the local prefix cache', () => {
  it('the second request is served from its replica: no fetch, TTFT = its suffix prefill alone', () => {
    // The first request prefills everything and finishes long before 60 s; its context (8,000
    // tokens = 500 blocks) stays in the replica's free blocks. At 60 s nothing is queued, so
    // the second request's first token waits only for its 64-token suffix prefill over the
    // cached 8,000 — the planner's own suffix price.
    const { suffixNs } = computeCosts({
      model: scenario.models['llama-3.1-8b'] as never,
      gpu: scenario.gpu,
      tensorParallel: 1,
      contextTokens: TOKENS,
      suffixTokens: 64,
    });
    const on = records(twice(true));
    expect(on.hits).toBe(1);
    expect(on.recs[1]?.decision).toBe('exact');
    expect(on.recs[1]?.fetchBytes).toBe(0);
    expect(on.recs[1]?.ttftNs).toBeCloseTo(suffixNs, -1);
    // Without it, the same request is an exact hit in the pool: the 1.05 GB cache crosses the
    // fabric first (8,000 tokens × 128 KiB), so it waits longer.
    const off = records(twice(false));
    expect(off.hits).toBe(0);
    expect(off.recs[1]?.decision).toBe('exact');
    expect(off.recs[1]?.fetchBytes).toBe(8000 * 131072);
    expect(off.recs[1]?.ttftNs).toBeGreaterThan((on.recs[1]?.ttftNs ?? 0) + 1e7);
  });

  it('holds only blocks no sequence needs: sequences + cached prefixes never exceed the KV space', () => {
    // hbm-pressure fills KV memory (prefills wait, decodes are preempted): the cache must give
    // its blocks back each time, at every event.
    const { scenario: pressure } = loadScenario('hbm-pressure');
    const cfg = {
      ...pressure,
      serving: { ...pressure.serving, prefixCache: true },
      workload: { ...pressure.workload, requests: 200 },
    } as SimConfig;
    const s = createRunState(octopus, cfg, {});
    let evicting = false;
    play(s, (st) => {
      for (const r of st.replicas) {
        expect(r.kvUsedBlocks + r.localBlocks).toBeLessThanOrEqual(r.kvCapacityBlocks);
        if (r.localEvictions > 0) evicting = true;
      }
    });
    expect(evicting).toBe(true);
  });
});
