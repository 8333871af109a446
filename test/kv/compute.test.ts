/**
 * The GPU compute model: DroidSpeak's 40 K-token Llama-3.1-8B prefill on an A100 (≈ 4 s,
 * docs/references.md §3; one of the fitted points, docs/compute.md), the per-layer pricing of
 * partial recompute, the decode step as an operator roofline (an independent statement of it
 * at the end of this file), HBM fit and tensor parallelism. The laws run as one contract over every built-in model × GPU (docs/design.md convention §12).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  A100_PREFILL_CALIBRATION,
  BUILTIN_GPUS,
  BUILTIN_GPU_IDS,
  BUILTIN_MODEL_IDS,
  A100_FITTED_EFFICIENCIES,
  HOPPER_ATTENTION_EFFICIENCY,
  COMPUTE_DEFAULTS,
  decodeStepLine,
  decodeStepNsOnLine,
  decodeRunNs,
  decodeStepTimeNs,
  decodeWeightBytes,
  expectedExpertsTouched,
  fitsInHbm,
  getGpu,
  getModel,
  kvCacheBytes,
  layerPrefillFlops,
  layerPrefillTimeNs,
  maxBatchTokens,
  minTensorParallel,
  prefillFlops,
  prefillTimeNs,
  tensorParallelSpeedup,
  weightBytes,
} from '../../src/kv/index.ts';
import { InputError } from '../../src/errors/index.ts';
import { GB, NS_PER_MS, NS_PER_S } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';

const a100 = getGpu('a100-80gb');
const llama8b = getModel('llama-3.1-8b');

describe('calibration (DroidSpeak: 40 K-token Llama-3.1-8B prefill on one A100 ≈ 4 s)', () => {
  it('prefill takes 4.0 s ± 15 % (one of the fitted points; the model gives ≈ 4.44 s)', () => {
    const { modelId, gpuId, tokens, prefillTimeNs: measuredNs } = A100_PREFILL_CALIBRATION;
    const t = prefillTimeNs(getModel(modelId), getGpu(gpuId), tokens);
    expect(Math.abs(t / measuredNs - 1)).toBeLessThanOrEqual(0.15);
    expectApprox(t / NS_PER_S, 4.44, 0.01);
  });

  it('the FLOP count is the one documented in gpu.ts (9.7779e14)', () => {
    expectApprox(layerPrefillFlops(llama8b, 40_000), 3.055583232e13, 1e-12);
    expectApprox(prefillFlops(llama8b, 40_000), 9.777876849e14, 1e-9);
  });

  it("every built-in GPU uses the A100's fitted figures (stated assumption), Hopper and Blackwell with FlashAttention-2's H100 attention fraction", () => {
    for (const id of BUILTIN_GPU_IDS) {
      const gpu = BUILTIN_GPUS[id];
      expect(gpu?.gemmEfficiency).toBe(A100_FITTED_EFFICIENCIES.gemmEfficiency);
      expect(gpu?.memoryEfficiency).toBe(A100_FITTED_EFFICIENCIES.memoryEfficiency);
      expect(gpu?.layerOverheadNs).toBe(A100_FITTED_EFFICIENCIES.layerOverheadNs);
      const hopperLike = ['h100-80gb', 'h200', 'gh200', 'b200'].includes(id);
      expect(gpu?.attentionEfficiency).toBe(
        hopperLike ? HOPPER_ATTENTION_EFFICIENCY : A100_FITTED_EFFICIENCIES.attentionEfficiency,
      );
    }
    expectApprox(HOPPER_ATTENTION_EFFICIENCY, 0.374, 0.001);
  });

  it('loading the 40 K-token KV is far cheaper than recomputing it (docs/references.md: 4 s vs ≈ 0.08 s)', () => {
    // 40 000 × 128 KiB ≈ 5.24 GB; at ≈ 65 GB/s that is ≈ 0.08 s — about 50× below the prefill.
    const kv = kvCacheBytes(llama8b, 40_000);
    expectApprox(kv / GB, 5.24, 0.01);
    expect(prefillTimeNs(llama8b, a100, 40_000) / (kv / 65)).toBeGreaterThan(40);
  });
});

describe('prefill', () => {
  it('grows super-linearly with tokens (the attention term)', () => {
    const t10 = prefillTimeNs(llama8b, a100, 10_000);
    const t20 = prefillTimeNs(llama8b, a100, 20_000);
    const t40 = prefillTimeNs(llama8b, a100, 40_000);
    expect(t20).toBeGreaterThan(2 * t10);
    expect(t40).toBeGreaterThan(2 * t20);
  });

  it('partial recompute of L layers costs L/layers of the layer part; the LM head runs once', () => {
    const tokens = 10_933;
    const full = prefillTimeNs(llama8b, a100, tokens);
    const head = prefillTimeNs(llama8b, a100, tokens, { layers: 0 }); // the LM head
    expect(head).toBeGreaterThan(0);
    for (const layers of [0, 1, 4, 12, 31, 32]) {
      const partial = prefillTimeNs(llama8b, a100, tokens, { layers });
      expectApprox(partial - head, ((full - head) * layers) / llama8b.layers, 1e-9);
      expectApprox(partial - head, layers * layerPrefillTimeNs(llama8b, a100, tokens), 1e-9);
    }
    expect(prefillTimeNs(llama8b, a100, tokens, { layers: 32 })).toBe(full);
  });

  it('a prefill over a cached prefix attends to it: cost rises with contextTokens', () => {
    const fresh = layerPrefillFlops(llama8b, 1000);
    const extended = layerPrefillFlops(llama8b, 1000, 21_000);
    // Same linear part; attention span grows by the 20 000 prior tokens.
    expectApprox(extended - fresh, 4 * llama8b.heads * llama8b.headDim * 1000 * 20_000, 1e-12);
    expect(() => layerPrefillFlops(llama8b, 1000, 999)).toThrow(RangeError);
  });

  it('tensor parallelism divides every operator but the fixed per-layer cost by tp × 0.9 (estimate)', () => {
    const t1 = prefillTimeNs(llama8b, a100, 8000);
    expectApprox(prefillTimeNs(llama8b, a100, 8000, { tp: 1 }), t1);
    const layer1 = layerPrefillTimeNs(llama8b, a100, 8000) - a100.layerOverheadNs;
    const layer2 = layerPrefillTimeNs(llama8b, a100, 8000, { tp: 2 }) - a100.layerOverheadNs;
    expectApprox(layer2, layer1 / (2 * COMPUTE_DEFAULTS.tensorParallelEfficiency), 1e-12);
    expect(() => prefillTimeNs(llama8b, a100, 8000, { tp: 0 })).toThrow(RangeError);
    expect(() => prefillTimeNs(llama8b, a100, 8000, { layers: 33 })).toThrow(RangeError);
  });

  it('a faster GPU prefills faster; zero tokens cost nothing', () => {
    expect(prefillTimeNs(llama8b, getGpu('h100-80gb'), 8000)).toBeLessThan(
      prefillTimeNs(llama8b, a100, 8000),
    );
    expect(prefillTimeNs(llama8b, a100, 0)).toBe(0);
  });
});

describe('decode (roofline)', () => {
  it('batch 1 on an 8B model is memory-bound: ≈ matmul weights ÷ effective HBM bandwidth + the per-layer overhead', () => {
    const t = decodeStepTimeNs(llama8b, a100, 1, 0);
    // Matmul weights read: 32 layers × 218 103 808 + LM head 4096 × 128 256 (the embedding
    // table is only indexed) = 7.5046e9 parameters × 2 bytes.
    const weightsRead = (32 * 218_103_808 + 4096 * 128_256) * 2;
    const bw = a100.hbmBandwidthBytesPerNs * a100.memoryEfficiency;
    expectApprox(t, weightsRead / bw + 32 * a100.layerOverheadNs, 0.01);
    expect(t / NS_PER_MS).toBeGreaterThan(5);
    expect(t / NS_PER_MS).toBeLessThan(15);
  });

  it('a large batch with short contexts hits the compute roof', () => {
    const batch = 4096;
    const t = decodeStepTimeNs(llama8b, a100, batch, 0);
    const gemmNs =
      (2 * (32 * 218_103_808 + 4096 * 128_256) * batch) /
      (a100.peakFlopsPerNs * a100.gemmEfficiency);
    // GEMMs dominate; attention, writes and the overhead add a few per cent.
    expect(t).toBeGreaterThan(gemmNs);
    expect(t).toBeLessThan(1.1 * gemmNs);
  });

  it('Mixtral reads its active weights at batch 1 and nearly all of them from batch ≈ 8', () => {
    const mixtral = getModel('mixtral-8x7b');
    expectApprox(expectedExpertsTouched(mixtral, 1), 2, 1e-12);
    expectApprox(expectedExpertsTouched(mixtral, 8), 8 * (1 - 0.75 ** 8), 1e-12);
    expectApprox(
      decodeWeightBytes(mixtral, 1),
      mixtral.activeParameterCount * mixtral.dtypeBytes,
      1e-9,
    );
    expect(decodeWeightBytes(mixtral, 8)).toBeGreaterThan(0.85 * weightBytes(mixtral));
    expectApprox(decodeWeightBytes(mixtral, 256), weightBytes(mixtral), 0.01);
    expect(decodeWeightBytes(llama8b, 64)).toBe(weightBytes(llama8b));
  });

  it('an empty batch takes no time', () => {
    expect(decodeStepTimeNs(llama8b, a100, 0, 5000)).toBe(0);
  });
});

describe('HBM fit and tensor parallelism', () => {
  it('an 8B model leaves room for ≈ 467 K tokens of KV on one A100 (90 % usable)', () => {
    const tokens = maxBatchTokens(llama8b, a100);
    expectApprox(tokens, (0.9 * a100.hbmBytes - weightBytes(llama8b)) / (128 * 1024), 1e-5);
    expect(fitsInHbm(llama8b, a100, tokens)).toBe(true);
    expect(fitsInHbm(llama8b, a100, tokens + 1)).toBe(false);
  });

  it('a 70B model needs tp ≥ 2 on 80 GB GPUs', () => {
    const llama70b = getModel('llama-3.1-70b');
    expect(maxBatchTokens(llama70b, a100)).toBe(0);
    expect(fitsInHbm(llama70b, a100, 0)).toBe(false);
    expect(maxBatchTokens(llama70b, a100, { tp: 2 })).toBeGreaterThan(0);
    expect(minTensorParallel(llama70b, a100)).toBe(2);
    expect(minTensorParallel(llama70b, a100, 200_000)).toBe(4);
    expect(minTensorParallel(llama8b, a100)).toBe(1);
    expect(minTensorParallel(llama70b, getGpu('l40s'), 10_000_000)).toBeUndefined();
  });
});

describe('getGpu', () => {
  it("accepts a topology's gpuModel spelling and suggests near misses", () => {
    expect(getGpu('A100-80GB')).toBe(a100);
    expect(() => getGpu('a100-80')).toThrow(InputError);
    try {
      getGpu('h100');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).issues[0]?.code).toBe('kv.unknown-gpu');
      expect((e as InputError).message).toContain('h100-80gb');
    }
  });
});

// ---- one law suite for every built-in model × GPU ----

const pairs = fc.record({
  modelId: fc.constantFrom(...BUILTIN_MODEL_IDS),
  gpuId: fc.constantFrom(...BUILTIN_GPU_IDS),
});
const tokens = fc.integer({ min: 1, max: 200_000 });

describe('compute-model laws (every built-in model × GPU)', () => {
  it('prefill time is positive, increasing and super-linear in tokens', () => {
    fc.assert(
      fc.property(pairs, tokens, tokens, ({ modelId, gpuId }, a, b) => {
        fc.pre(a < b);
        const m = getModel(modelId);
        const gpu = getGpu(gpuId);
        const ta = prefillTimeNs(m, gpu, a);
        const tb = prefillTimeNs(m, gpu, b);
        expect(ta).toBeGreaterThan(0);
        expect(tb).toBeGreaterThan(ta);
        // Per-token layer cost grows with the prompt (attention).
        expect(layerPrefillFlops(m, b) / b).toBeGreaterThan(layerPrefillFlops(m, a) / a);
      }),
    );
  });

  it('prefill time is monotone in recomputed layers and never exceeds the full prefill', () => {
    fc.assert(
      fc.property(
        pairs,
        tokens,
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ modelId, gpuId }, t, f) => {
          const m = getModel(modelId);
          const gpu = getGpu(gpuId);
          const layers = Math.floor(f * m.layers);
          const partial = prefillTimeNs(m, gpu, t, { layers });
          expect(partial).toBeLessThanOrEqual(prefillTimeNs(m, gpu, t));
          if (layers < m.layers)
            expect(prefillTimeNs(m, gpu, t, { layers: layers + 1 })).toBeGreaterThan(partial);
        },
      ),
    );
  });

  it('decode step time is monotone in batch and in context', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 512 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(1, 2, 4, 8),
        ({ modelId, gpuId }, batch, extraBatch, context, extraContext, tp) => {
          const m = getModel(modelId);
          const gpu = getGpu(gpuId);
          const base = decodeStepTimeNs(m, gpu, batch, context, { tp });
          expect(base).toBeGreaterThan(0);
          expect(
            decodeStepTimeNs(m, gpu, batch + extraBatch, context, { tp }),
          ).toBeGreaterThanOrEqual(base);
          expect(
            decodeStepTimeNs(m, gpu, batch, context + extraContext, { tp }),
          ).toBeGreaterThanOrEqual(base);
        },
      ),
    );
  });

  it('decode steps are the operator roofline, recomputed here from the formulas of compute-operators.ts, fractional contexts too', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.integer({ min: 1, max: 512 }),
        fc.oneof(
          fc.integer({ min: 0, max: 100_000 }),
          fc.double({ min: 0, max: 100_000, noNaN: true }),
        ),
        fc.constantFrom(1, 2, 4, 8),
        ({ modelId, gpuId }, batch, context, tp) => {
          const m = getModel(modelId);
          const gpu = getGpu(gpuId);
          const oracle = decodeStepOracleNs(m, gpu, batch, context, tensorParallelSpeedup(tp));
          expectApprox(decodeStepTimeNs(m, gpu, batch, context, { tp }), oracle, 1e-9);
          expectApprox(
            decodeStepNsOnLine(decodeStepLine(m, gpu, batch, { tp }), context),
            oracle,
            1e-9,
          );
        },
      ),
    );
    expect(() => decodeStepLine(getModel('llama-3.1-8b'), getGpu('a100-80gb'), 0)).toThrow();
  });

  it('a decode run in closed form equals the sum of its steps', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.integer({ min: 1, max: 512 }),
        fc.oneof(
          fc.integer({ min: 0, max: 100_000 }),
          fc.double({ min: 0, max: 100_000, noNaN: true }),
        ),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom(1, 2, 4, 8),
        ({ modelId, gpuId }, batch, context, steps, tp) => {
          const line = decodeStepLine(getModel(modelId), getGpu(gpuId), batch, { tp });
          let sum = 0;
          for (let j = 0; j < steps; j++) sum += decodeStepNsOnLine(line, context + j);
          expectApprox(decodeRunNs(line, context, steps), sum, 1e-9);
        },
      ),
    );
    // Lines that cross inside the run: memory-bound first, compute-bound after (and the reverse).
    const crossing = { computeNs: 10, computeNsPerToken: 2, memoryNs: 20, memoryNsPerToken: 1 };
    expect(decodeRunNs(crossing, 0, 20)).toBe(
      [...Array(20).keys()].reduce((t, j) => t + Math.max(10 + 2 * j, 20 + j), 0),
    );
    const reverse = { computeNs: 20, computeNsPerToken: 1, memoryNs: 10, memoryNsPerToken: 2 };
    expect(decodeRunNs(reverse, 0, 20)).toBe(
      [...Array(20).keys()].reduce((t, j) => t + Math.max(20 + j, 10 + 2 * j), 0),
    );
    expect(decodeRunNs(crossing, 5, 0)).toBe(0);
  });

  it('more tensor parallelism is never slower and never holds fewer tokens', () => {
    fc.assert(
      fc.property(pairs, tokens, ({ modelId, gpuId }, t) => {
        const m = getModel(modelId);
        const gpu = getGpu(gpuId);
        for (const [lo, hi] of [
          [1, 2],
          [2, 4],
          [4, 8],
        ] as const) {
          expect(prefillTimeNs(m, gpu, t, { tp: hi })).toBeLessThan(
            prefillTimeNs(m, gpu, t, { tp: lo }),
          );
          expect(decodeStepTimeNs(m, gpu, 8, t, { tp: hi })).toBeLessThan(
            decodeStepTimeNs(m, gpu, 8, t, { tp: lo }),
          );
          expect(maxBatchTokens(m, gpu, { tp: hi })).toBeGreaterThanOrEqual(
            maxBatchTokens(m, gpu, { tp: lo }),
          );
        }
      }),
    );
  });
});

/** An independent statement of one decode step (docs/compute.md "Operators"), operator by operator. */
function decodeStepOracleNs(
  m: ReturnType<typeof getModel>,
  gpu: ReturnType<typeof getGpu>,
  batch: number,
  context: number,
  speedup: number,
): number {
  const gemmRate = gpu.peakFlopsPerNs * gpu.gemmEfficiency * speedup;
  const attnRate = gpu.peakFlopsPerNs * gpu.attentionEfficiency * speedup;
  const bw = gpu.hbmBandwidthBytesPerNs * gpu.memoryEfficiency * speedup;
  const d = m.dtypeBytes;
  const attnParams =
    2 * m.hiddenSize * m.heads * m.headDim + 2 * m.hiddenSize * m.kvHeads * m.headDim;
  const expert = 3 * m.hiddenSize * m.intermediateSize;
  const router = m.experts > 1 ? m.hiddenSize * m.experts : 0;
  const touched =
    m.experts > 1 ? m.experts * (1 - (1 - m.expertsPerToken / m.experts) ** batch) : 1;
  const flopsParams = attnParams + m.expertsPerToken * expert + router;
  const readParams = attnParams + touched * expert + router;
  const gemm = Math.max((2 * flopsParams * batch) / gemmRate, (readParams * d) / bw);
  const kvLayer = 2 * m.kvHeads * m.headDim * d;
  const ew =
    (10 * m.hiddenSize +
      2 * (m.heads + m.kvHeads) * m.headDim +
      3 * m.intermediateSize * m.expertsPerToken) *
    d;
  const attention = Math.max(
    (4 * m.heads * m.headDim * batch * (context + 1)) / attnRate,
    (batch * (context + 1) * kvLayer) / bw,
  );
  const perLayer = gemm + attention + (batch * (kvLayer + ew)) / bw + gpu.layerOverheadNs;
  const head = Math.max(
    (2 * m.hiddenSize * m.vocabSize * batch) / gemmRate,
    (m.hiddenSize * m.vocabSize * d) / bw,
  );
  return m.layers * perLayer + head;
}
