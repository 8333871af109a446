/**
 * The operator roofline on a unit-sized model whose answers are derived by hand
 * (docs/compute.md "Operators"), and the laws the simulator and planner rely on: partial
 * recompute is exactly linear in layers, times are monotone in tokens, context and batch.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeStepLine,
  decodeStepNsOnLine,
  decodeStepTimeNs,
  getGpu,
  getModel,
  layerPrefillTimeNs,
  prefillTimeNs,
  batchPrefillTimeNs,
  type GpuProfile,
  type ModelShape,
} from '../../src/kv/index.ts';
import { bytes, bytesPerNs } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';

/**
 * One layer, every dimension 1, 1 byte per element: matmul weights per token P = Q,O (1 each) +
 * K,V (1 each) + one SwiGLU expert (3) = 7; KV per token per layer = 2 bytes; elementwise bytes
 * per token = 10·hidden + 2·(heads + kvHeads)·headDim + 3·intermediate = 10 + 4 + 3 = 17.
 */
const unitModel: ModelShape = {
  name: 'unit',
  family: 'test',
  layers: 1,
  hiddenSize: 1,
  heads: 1,
  kvHeads: 1,
  headDim: 1,
  intermediateSize: 1,
  vocabSize: 1,
  experts: 1,
  expertsPerToken: 1,
  tieWordEmbeddings: false,
  parameterCount: 9,
  activeParameterCount: 9,
  dtypeBytes: 1,
};

/** 1 FLOP/ns peak; GEMMs at 100 %, attention at 50 %; 1 byte/ns at 100 %; 10 ns per layer. */
function unitGpu(bandwidthBytesPerNs: number): GpuProfile {
  return {
    ...getGpu('a100-80gb'),
    peakFlopsPerNs: 1,
    hbmBytes: bytes(1e12),
    hbmBandwidthBytesPerNs: bytesPerNs(bandwidthBytesPerNs),
    gemmEfficiency: 1,
    attentionEfficiency: 0.5,
    memoryEfficiency: 1,
    layerOverheadNs: 10,
  };
}

describe('operator roofline, hand-derived', () => {
  it('compute-bound prefill of 4 tokens: 224 ns', () => {
    // gemm       = max(2·7·4 = 56 FLOPs ÷ 1, 7 weight bytes ÷ 1) = 56
    // attention  = max(4·1·1·4·avgSpan(=(4+1)/2) = 40 FLOPs ÷ 0.5 = 80, (4·2 KV + 2·4 Q/out) ÷ 1 = 16) = 80
    // writes     = 4 tokens · (2 KV + 17 elementwise) bytes ÷ 1 = 76
    // overhead   = 10                                  → layer = 222
    // LM head    = max(2·1·1 = 2 FLOPs, 1 byte) = 2     → prefill = 224
    const gpu = unitGpu(1);
    expect(layerPrefillTimeNs(unitModel, gpu, 4)).toBe(222);
    expect(prefillTimeNs(unitModel, gpu, 4)).toBe(224);
  });

  it('memory-bound prefill of 1 token at 0.1 byte/ns: 320 ns', () => {
    // gemm      = max(14 FLOPs, 7 bytes ÷ 0.1 = 70) = 70
    // attention = max(4 FLOPs ÷ 0.5 = 8, (2 + 2) bytes ÷ 0.1 = 40) = 40
    // writes    = 19 bytes ÷ 0.1 = 190; overhead 10 → layer 310; LM head max(2, 1 ÷ 0.1) = 10 → 320
    const gpu = unitGpu(0.1);
    expectApprox(prefillTimeNs(unitModel, gpu, 1), 320, 1e-12);
  });

  it('a decode step of batch 2 at context 3: 144 ns, and its two lines', () => {
    // gemm = max(2·7·2 = 28, 7) = 28; writes = 2·19 = 38; overhead 10; LM head max(2·2, 1) = 4
    //   → shared constant = 28 + 38 + 10 + 4 = 80
    // attention per attended token (x + 1 of them): compute 4·2 ÷ 0.5 = 16, memory 2·2 bytes = 4
    //   → lines: compute 80 + 16 + 16x, memory 80 + 4 + 4x; at x = 3: max(144, 96) = 144
    const gpu = unitGpu(1);
    const line = decodeStepLine(unitModel, gpu, 2);
    expect(line).toEqual({
      computeNs: 96,
      computeNsPerToken: 16,
      memoryNs: 84,
      memoryNsPerToken: 4,
    });
    expect(decodeStepNsOnLine(line, 3)).toBe(144);
    expect(decodeStepTimeNs(unitModel, gpu, 2, 3)).toBe(144);
  });

  it('a batched prefill shares the GEMMs: 2 prompts of 2 tokens cost less than two single prefills', () => {
    // per layer: gemm = max(2·7·4 = 56, 7) = 56; attention = 2 prompts × 4·2·(2+1)/2 = 24 FLOPs
    //   ÷ 0.5 = 48 (memory 2·2·2 + 2·4 = 16); writes 4·19 = 76; overhead 10 → 190; LM head for
    //   2 tokens max(4, 1) = 4 → 194. One prompt alone: 28 + 24 + 38 + 10 + 2 = 102, two = 204.
    const gpu = unitGpu(1);
    expect(batchPrefillTimeNs(unitModel, gpu, 2, 2)).toBe(194);
    expect(prefillTimeNs(unitModel, gpu, 2)).toBe(102);
  });
});

describe('laws the planner and simulator rely on', () => {
  const m = getModel('llama-3.1-8b');
  it('partial recompute of L layers costs exactly L × the per-layer cost + the head (layers: 0)', () => {
    for (const gpuId of ['a100-80gb', 'h100-80gb', 'b200']) {
      const gpu = getGpu(gpuId);
      for (const tokens of [64, 4096, 10_933]) {
        const head = prefillTimeNs(m, gpu, tokens, { layers: 0 });
        const perLayer = prefillTimeNs(m, gpu, tokens, { layers: 1 }) - head;
        expectApprox(perLayer, layerPrefillTimeNs(m, gpu, tokens), 1e-12);
        for (const layers of [2, 7, 16, 32])
          expectApprox(prefillTimeNs(m, gpu, tokens, { layers }), head + layers * perLayer, 1e-12);
      }
    }
  });

  it('is monotone: prefill in tokens and prior context, decode in batch and context', () => {
    const gpu = getGpu('a100-80gb');
    let last = 0;
    for (const t of [1, 16, 256, 1024, 4096, 16_384, 65_536]) {
      const now = prefillTimeNs(m, gpu, t);
      expect(now).toBeGreaterThan(last);
      expect(prefillTimeNs(m, gpu, t, { contextTokens: t + 1000 })).toBeGreaterThan(now);
      last = now;
    }
    for (const b of [1, 2, 8, 32, 64, 256])
      for (const x of [0, 1024, 8192]) {
        expect(decodeStepTimeNs(m, gpu, b + 1, x)).toBeGreaterThan(decodeStepTimeNs(m, gpu, b, x));
        expect(decodeStepTimeNs(m, gpu, b, x + 1)).toBeGreaterThan(decodeStepTimeNs(m, gpu, b, x));
      }
  });
});
