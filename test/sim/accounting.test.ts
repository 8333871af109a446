/**
 * The engine's accounting (issue 12, item 10, and item 9; docs/serving.md): goodput per second of
 * the arrival window; whether a full prefill stores its KV; a cache visible only once its write
 * has landed; cache writes paced at a share of the writer's GPU links; a tensor-parallel
 * replica's fetch striped over its GPUs' own links.
 */
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { replicaSource } from '../../src/kv/pool.ts';
import { play, runSimulation } from '../../src/sim/engine.ts';
import { HBM_DEFAULTS } from '../../src/sim/constants.ts';
import { createRunState } from '../../src/sim/setup.ts';
import { fetchTransfer } from '../../src/sim/transfers.ts';
import type { RequestRecord, SimConfig } from '../../src/sim/types.ts';
import { bytes } from '../../src/units/index.ts';

const { scenario } = loadScenario('droidspeak-8b');
const { scenario: scenario70b } = loadScenario('droidspeak-70b');
const octopus = compileFabric(loadTopology('octopus-96').graph);

/** droidspeak-8b with 300 requests (the bundled rate and contexts). */
function small(over: Partial<SimConfig> = {}): SimConfig {
  return { ...scenario, workload: { ...scenario.workload, requests: 300 }, ...over };
}

/** The A100's PCIe 4 x16 link on octopus-96: the capacity of a GPU's first hop (B/ns). */
function gpuLinkBytesPerNs(gpu: string): number {
  const s = createRunState(octopus, small(), {});
  const ins = s.pool.insert(
    {
      variant: 'x',
      context: 'c',
      model: 'm',
      tokens: 1,
      kvBytes: bytes(1e9),
      eLayers: [],
      eBytesPerLayer: bytes(0),
    },
    'h0',
    0,
  );
  const src = replicaSource(ins.stored?.replicas[0] ?? []);
  const rep = s.replicas.find((r) => r.gpu === gpu) ?? s.replicas[0];
  const move = fetchTransfer(s, rep as never, src);
  return move === undefined ? 0 : s.net.estimateRateOn(move.route);
}

describe('goodput', () => {
  it('is requests meeting both SLOs per second of the arrival window (first to last arrival)', () => {
    const recs: RequestRecord[] = [];
    const r = runSimulation(octopus, small(), { onRecord: (x) => recs.push(x) });
    const first = Math.min(...recs.map((x) => x.arrivalNs));
    const last = Math.max(...recs.map((x) => x.arrivalNs));
    const good = recs.filter((x) => x.metSlo).length;
    expect(r.arrivalWindowNs).toBe(last - first);
    expect(r.goodputPerS).toBeCloseTo(good / ((last - first) / 1e9), 9);
    // The simulated time runs past the last arrival (decodes and trailing cache writes).
    expect(r.simulatedNs).toBeGreaterThan(r.arrivalWindowNs);
  });

  it('a trailing write drain does not change it: full prefill with and without cache writes', () => {
    // Under full prefill nothing is fetched, so writes cannot delay a first token: TTFTs and SLO
    // attainment agree, the simulated time (to the last write) differs, goodput must not. One
    // output token, so the last cache write (≈ 1 GB at 7 GB/s) lands after the last decode.
    const base = small({ planner: { policy: 'full-prefill', strategy: 'best' } });
    (base as { workload: SimConfig['workload'] }).workload = {
      ...base.workload,
      output: { kind: 'fixed', tokens: 1 },
    };
    const off = runSimulation(octopus, base);
    const on = runSimulation(octopus, { ...base, storeOnFullPrefill: true });
    expect(on.ttft).toEqual(off.ttft);
    expect(on.sloAttainment).toBe(off.sloAttainment);
    expect(on.simulatedNs).not.toBe(off.simulatedNs);
    expect(on.goodputPerS).toBe(off.goodputPerS);
  });
});

describe('storeOnFullPrefill', () => {
  it('is off by default under policy full-prefill: no writes, an empty pool, and the result says so', () => {
    const r = runSimulation(
      octopus,
      small({ planner: { policy: 'full-prefill', strategy: 'best' } }),
    );
    expect(r.bytesMoved.writes).toBe(0);
    expect(r.pool.objects).toBe(0);
    expect(r.pool.storeOnFullPrefill).toBe(false);
  });

  it('is on by default under the reuse policies, and can be set either way', () => {
    const reuse = runSimulation(octopus, small());
    expect(reuse.pool.storeOnFullPrefill).toBe(true);
    expect(reuse.bytesMoved.writes).toBeGreaterThan(0);
    const on = runSimulation(octopus, {
      ...small({ planner: { policy: 'full-prefill', strategy: 'best' } }),
      storeOnFullPrefill: true,
    });
    expect(on.pool.storeOnFullPrefill).toBe(true);
    expect(on.bytesMoved.writes).toBeGreaterThan(0);
  });
});

describe('cache writes', () => {
  it('a cache is invisible to lookups until its write lands, then visible', () => {
    const s = createRunState(octopus, small(), {});
    let inFlight = 0;
    play(s, (st) => {
      for (const obj of st.flowObj) {
        if (obj === undefined) continue;
        inFlight++;
        expect(st.pool.get(obj.variant, obj.context)).toBeUndefined();
      }
    });
    expect(inFlight).toBeGreaterThan(0);
    // At the end every write has landed: every stored object is visible.
    const stats = s.pool.stats();
    expect(stats.objects).toBeGreaterThan(0);
    let visible = 0;
    for (const v of ['evolcode', 'toolace', 'llama-3.1-8b']) {
      for (let c = 0; c < 100; c++) if (s.pool.get(v, `c${c}`) !== undefined) visible++;
    }
    expect(visible).toBeGreaterThan(0);
  });

  it('a cache in the writer host’s own DRAM (RDMA pools) is written over the GPU link, paced and landing like any other', () => {
    // rdma-32x1 pools in host DRAM: the write never touches the network, but it crosses the
    // GPU's PCIe link, so it is a flow (invisible until it lands), capped like a CXL write.
    const rdma = compileFabric(loadTopology('rdma-32x1').graph);
    const s = createRunState(rdma, small(), {});
    let writes = 0;
    play(s, (st) => {
      st.flowObj.forEach((obj, h) => {
        if (obj === undefined) return;
        writes++;
        expect(st.pool.get(obj.variant, obj.context)).toBeUndefined();
        expect(st.net.rateOf(h)).toBeLessThanOrEqual(HBM_DEFAULTS.writeLinkShare * 28 * (1 + 1e-9));
      });
    });
    expect(writes).toBeGreaterThan(0);
  });

  it('are paced: each write flow at most writeLinkShare × its GPUs’ link rate, and reaches it', () => {
    // One A100 replica: PCIe 4 x16 ≈ 28 GB/s (fetch rate below), cap = 0.25 × 28 = 7 B/ns.
    const link = gpuLinkBytesPerNs('h0.gpu0');
    expect(link).toBeCloseTo(28, 6);
    const cap = HBM_DEFAULTS.writeLinkShare * link;
    const s = createRunState(octopus, small(), {});
    let most = 0;
    play(s, (st) => {
      st.flowObj.forEach((obj, h) => {
        if (obj === undefined) return;
        const rate = st.net.rateOf(h);
        most = Math.max(most, rate);
      });
    });
    expect(most).toBeLessThanOrEqual(cap * (1 + 1e-9));
    expect(most).toBeCloseTo(cap, 6);
  });
});

describe('tensor parallelism', () => {
  it('a 70B tp-4 replica fetches its four shards over four PCIe links: 4 × the single-link rate', () => {
    // octopus-96, a cache striped over the 8 devices h0 reaches. A tp-1 replica's fetch is bound
    // by its GPU's PCIe 4 x16 link (28 B/ns); a tp-4 replica moves a quarter of the bytes through
    // each of its 4 GPUs' links in lockstep, and h0's CXL links carry more than 4 × 28, so the
    // transfer runs at 4 × 28 = 112 B/ns.
    const single = gpuLinkBytesPerNs('h0.gpu0');
    const s = createRunState(octopus, scenario70b, {});
    const rep = s.replicas[0];
    expect(rep?.gpus).toEqual(['h0.gpu0', 'h0.gpu1', 'h0.gpu2', 'h0.gpu3']);
    const ins = s.pool.insert(
      {
        variant: 'x',
        context: 'c',
        model: 'm',
        tokens: 1,
        kvBytes: bytes(4.68e9),
        eLayers: [],
        eBytesPerLayer: bytes(0),
      },
      'h0',
      0,
    );
    const move = fetchTransfer(s, rep as never, replicaSource(ins.stored?.replicas[0] ?? []));
    const rate = move === undefined ? 0 : s.net.estimateRateOn(move.route);
    expect(rate).toBeCloseTo(4 * single, 6);
  });
});
