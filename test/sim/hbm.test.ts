/**
 * KV memory in HBM (docs/serving.md): the capacity formula, admission, block-by-block decode
 * growth and vLLM V0's preemption by recompute, on hand-built cases whose counts are derived in
 * the comments; a property that blocks held never exceed capacity at any event; a workload that
 * fits shows no preemption.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { decodeRunNs, decodeStepLine, maxBatchTokens } from '../../src/kv/compute.ts';
import { kvBytesPerToken, type ModelShape } from '../../src/kv/models.ts';
import { computeCosts } from '../../src/planner/planner.ts';
import { play, runSimulation } from '../../src/sim/engine.ts';
import { summarise } from '../../src/sim/metrics.ts';
import { createRunState } from '../../src/sim/setup.ts';
import type { RunState } from '../../src/sim/state.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { LONGBENCH_PRESETS } from '../../src/sim/workload.ts';

const { scenario } = loadScenario('droidspeak-8b');
const octopus = compileFabric(loadTopology('octopus-96').graph);
const model = scenario.models['llama-3.1-8b'] as ModelShape;

/** One replica of evolcode, full prefill, two requests arriving together (one burst). */
function tiny(contextTokens: number, suffixTokens: number, outputTokens: number, n = 2): SimConfig {
  return {
    ...scenario,
    seed: 1,
    planner: { policy: 'full-prefill', strategy: 'best' },
    serving: {
      replicas: [{ variant: 'evolcode', count: 1 }],
      routing: 'round-robin',
      maxBatch: 64,
    },
    workload: {
      arrival: { kind: 'bursts', ratePerSecond: 0.001 * n, burstSize: n },
      requests: n,
      contexts: { count: 1, length: { kind: 'fixed', tokens: contextTokens } },
      popularity: { kind: 'uniform' },
      variants: [{ id: 'evolcode', weight: 1 }],
      crossVariantShare: 0,
      suffixTokens,
      output: { kind: 'fixed', tokens: outputTokens },
    },
    slo: { ttftNs: 3e9, e2eNs: 60e9 },
  } as SimConfig;
}

/** Runs `cfg` with the single replica's KV capacity set to `blocks` (16-token blocks). */
function runWithCapacity(cfg: SimConfig, blocks: number): { s: RunState; ttftNs: number[] } {
  const ttftNs: number[] = [];
  const s = createRunState(octopus, cfg, { onRecord: (r) => ttftNs.push(r.ttftNs) });
  (s.replicas[0] as { kvCapacityBlocks: number }).kvCapacityBlocks = blocks;
  play(s);
  return { s, ttftNs };
}

describe('HBM: KV capacity', () => {
  it('is the tp group’s usable HBM minus weights (maxBatchTokens), in 16-token blocks', () => {
    const s = createRunState(octopus, tiny(100, 4, 1), {});
    const rep = s.replicas[0];
    // No GPU tier under stripe placement: ⌊maxBatchTokens ÷ 16⌋ blocks of 16 × kvBytesPerToken.
    expect(rep?.kvCapacityBlocks).toBe(Math.floor(maxBatchTokens(model, scenario.gpu) / 16));
    expect(rep?.kvBlockBytes).toBe(16 * kvBytesPerToken(model));
  });

  it('gives up the pool’s GPU tier when the pool keeps caches in GPU memory', () => {
    const cfg = {
      ...tiny(100, 4, 1),
      pool: { ...scenario.pool, placement: { kind: 'host-memory', memory: 'gpu' } },
    } as SimConfig;
    const s = createRunState(octopus, cfg, {});
    const rep = s.replicas[0];
    const gpuNode = octopus.nodeAttrs[octopus.nodeIndex.get(rep?.gpu ?? '') ?? -1];
    const hbm = gpuNode?.kind === 'gpu' ? gpuNode.hbmBytes : 0;
    // tier = 0.3 × the GPU's HBM, in whole tokens rounded up, taken before dividing into blocks.
    const tierTokens = Math.ceil((scenario.pool.gpuCacheFraction * hbm) / kvBytesPerToken(model));
    expect(rep?.kvCapacityBlocks).toBe(
      Math.floor((maxBatchTokens(model, scenario.gpu) - tierTokens) / 16),
    );
  });
});

describe('HBM: admission and preemption (hand-derived)', () => {
  it('preempts the latest-arrived sequence when decode runs out of blocks: 1 preemption', () => {
    // Capacity 3 blocks (48 tokens). A and B arrive together, prompts of 12 + 4 = 16 tokens
    // (1 block each), 30 output tokens (46 in all: 3 blocks, so each fits alone).
    // A's prefill (1 block); A's first token; B's prefill is admitted (2 ≤ 3). Decode [A, B] at
    // 16 tokens: one step takes each to 17 tokens = 2 blocks, +2 > 1 free → no step fits →
    // preempt B (latest: same arrival, higher id), freeing 1. A alone: 30 steps reach 46
    // tokens = 3 blocks ≤ 3, so A finishes; then B's recompute (16 tokens, 1 block) and its 30
    // steps. One preemption, no admission wait (B's recompute is admitted when A completes).
    const { s } = runWithCapacity(tiny(12, 4, 30), 3);
    const r = summarise(s);
    expect(r.requests.completed).toBe(2);
    expect(r.hbm.preemptions).toBe(1);
    expect(r.hbm.admissionWaits).toBe(0);
    expect(s.replicas[0]?.kvPeakBlocks).toBe(3);
    expect(s.replicas[0]?.kvUsedBlocks).toBe(0);
    expect(r.hbm.preemptionMode).toBe('recompute');
  });

  it('holds a prefill until its blocks fit: 1 admission wait, B’s first token after A completes', () => {
    // Capacity 3 blocks. A and B arrive together, prompts 28 + 4 = 32 tokens (2 blocks), 8
    // output tokens (40 in all: 3 blocks). A's prefill takes 2 blocks; B needs 2 more: 4 > 3,
    // so B waits (1 admission wait) while A decodes alone: 8 steps from 32 tokens reach 40 =
    // 3 blocks ≤ 3, no preemption. A completes and frees its 3 blocks; B's prefill starts.
    // B's TTFT = A's prefill + A's 8 decode steps (batch 1, mean context 32) + B's prefill.
    const cfg = tiny(28, 4, 8);
    const { s, ttftNs } = runWithCapacity(cfg, 3);
    const r = summarise(s);
    expect(r.hbm.preemptions).toBe(0);
    expect(r.hbm.admissionWaits).toBe(1);
    const prefillNs = computeCosts({
      model,
      gpu: scenario.gpu,
      tensorParallel: 1,
      contextTokens: 28,
      suffixTokens: 4,
    }).fullNs;
    const decodeNs = decodeRunNs(decodeStepLine(model, scenario.gpu, 1, { tp: 1 }), 32, 8);
    const expected = 2 * prefillNs + decodeNs;
    expect(Math.abs((ttftNs[1] ?? 0) - expected) / expected).toBeLessThan(1e-9);
  });

  it('without the limit (ample HBM) the same workload neither waits nor preempts', () => {
    const r = runSimulation(octopus, tiny(28, 4, 8));
    expect(r.hbm.preemptions).toBe(0);
    expect(r.hbm.admissionWaits).toBe(0);
  });

  it('refuses a request whose whole sequence can never fit, naming it', () => {
    // 48 + 4 prompt + 30 output = 82 tokens = 6 blocks > 3.
    expect(() => runWithCapacity(tiny(48, 4, 30), 3)).toThrow(/request 0 needs 82 tokens of KV/);
  });
});

describe('HBM: invariants', () => {
  it('blocks held (plus a running decode’s planned growth) never exceed capacity at any event', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 7, max: 14 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom(4, 8, 64),
        (seed, capacity, output, maxBatch) => {
          const cfg = {
            ...tiny(12, 4, output, 40),
            seed,
            planner: { policy: 'droidspeak', strategy: 'best' },
            serving: {
              replicas: [{ variant: 'evolcode', count: 1 }],
              routing: 'round-robin',
              maxBatch,
            },
            workload: {
              ...tiny(12, 4, output, 40).workload,
              arrival: { kind: 'poisson', ratePerSecond: 50 },
              contexts: {
                count: 5,
                length: {
                  kind: 'lognormal',
                  medianTokens: 16,
                  p95Tokens: 32,
                  minTokens: 1,
                  maxTokens: 40,
                },
              },
            },
          } as unknown as SimConfig;
          const s = createRunState(octopus, cfg, {});
          // Each request needs ≤ 40 + 4 + 64 = 108 tokens = 7 blocks: capacity ≥ 7, so all finish.
          (s.replicas[0] as { kvCapacityBlocks: number }).kvCapacityBlocks = capacity;
          let worst = 0;
          play(s, (st) => {
            const rep = st.replicas[0];
            if (rep === undefined) return;
            worst = Math.max(worst, rep.kvUsedBlocks + (rep.run?.growBlocks ?? 0));
          });
          expect(worst).toBeLessThanOrEqual(capacity);
          expect(s.replicas[0]?.kvUsedBlocks).toBe(0);
          expect(s.metrics.completed).toBe(40);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a workload that fits shows no preemption and no admission wait (droidspeak-8b, 600 requests)', () => {
    const r = runSimulation(octopus, {
      ...scenario,
      workload: {
        ...scenario.workload,
        requests: 600,
        contexts: { count: 100, length: LONGBENCH_PRESETS.hotpotqa },
      },
    });
    expect(r.hbm.preemptions).toBe(0);
    expect(r.hbm.admissionWaits).toBe(0);
    expect(r.hbm.peakUsedBytes).toBeGreaterThan(0);
    expect(r.hbm.peakUsedBytes).toBeLessThanOrEqual(r.hbm.capacityBytes);
  });
});
