/**
 * The compute model held against published and profiled figures (docs/references.md §8,
 * docs/compute.md "Calibration points"). Each point names a model, a GPU and a measured time;
 * {@link computeCalibrationRows} prices the same work with the compute model and gives the ratio
 * and the ±15 % verdict that `podsim calibrate` prints and `test/kv/compute-calibration.test.ts`
 * asserts. Points marked `fitted` are the ones `compute-fit.ts` fits the A100's efficiencies on;
 * the others only check.
 */
import {
  batchPrefillTimeNs,
  decodeRunNs,
  decodeStepLine,
  decodeStepTimeNs,
  prefillTimeNs,
} from './compute.ts';
import { attentionPrefillNs, operatorRates } from './compute-operators.ts';
import { getGpu, type GpuProfile } from './gpu.ts';
import { getModel } from './model-table.ts';

/** How a point's work is priced. */
export type ComputePointWork =
  /** One prompt of `tokens` tokens, prefilled alone (no prior context). */
  | { readonly kind: 'prefill'; readonly tokens: number }
  /** One decode step of `batch` sequences with `contextTokens` cached each. */
  | { readonly kind: 'decode-step'; readonly batch: number; readonly contextTokens: number }
  /**
   * A batch of `batch` prompts of `tokens` tokens, prefilled together, then decoded to
   * `outputTokens` tokens each (the first comes from the prefill): end-to-end latency.
   */
  | {
      readonly kind: 'batch-latency';
      readonly batch: number;
      readonly tokens: number;
      readonly outputTokens: number;
      /** Tensor-parallel degree of the replica. */
      readonly tp: number;
    }
  /**
   * The attention operator alone on one layer's shape with `heads` heads at head dim 128, causal
   * over `tokens` tokens: a kernel benchmark quoted as FLOP/s, stored as the time it implies.
   */
  | { readonly kind: 'attention-kernel'; readonly tokens: number; readonly heads: number };

/** One published or profiled figure the compute model is held against. */
export interface ComputeCalibrationPoint {
  /** Stable id (used by tests and the CSV). */
  readonly id: string;
  /** What was measured, in words. */
  readonly quantity: string;
  /** Built-in model id. */
  readonly modelId: string;
  /** Built-in GPU id. */
  readonly gpuId: string;
  readonly work: ComputePointWork;
  /** The published value, ns. */
  readonly publishedNs: number;
  /** Where it comes from (docs/references.md section and the figure). */
  readonly source: string;
  /** True when `compute-fit.ts` fits the efficiencies on this point (false: a check only). */
  readonly fitted: boolean;
  /** What else the reader should know about this point's row. */
  readonly note?: string;
}

const MS = 1e6;
const VIDUR = 'Vidur, docs/references.md §5';

/** FlashAttention-2 forward on an H100 SXM5, 16 K tokens, head dim 128: 370 TFLOP/s (docs/references.md §8). */
const FA2_H100_TFLOPS = 370;
/** The attention FLOPs of the kernel point (16 heads × 128, 16 384 tokens, causal; compute-flops.ts convention). */
const FA2_POINT_FLOPS = 4 * 16 * 128 * 16_384 * ((16_384 + 1) / 2);

/**
 * vLLM's latency benchmark (docs/references.md §8): 8 prompts of 32 tokens, 128 output tokens,
 * bf16; [model, tp, GPU, Buildkite build, mean end-to-end latency in ms].
 */
const VLLM_LATENCY = [
  ['llama-3.1-8b', 1, 'a100-80gb', 9523, 1579.27],
  ['llama-3.1-8b', 1, 'h100-80gb', 9555, 997.542],
  ['llama-3.1-8b', 1, 'h200', 9515, 833.421],
  ['llama-3-70b', 4, 'a100-80gb', 9523, 3990.59],
  ['llama-3-70b', 4, 'h100-80gb', 9555, 2444.47],
  ['llama-3-70b', 4, 'h200', 9515, 2077.53],
] as const;

/**
 * The calibration points (docs/references.md §8 gives each source). Vidur's prefill values are
 * the ones *without* its per-token KV-save term (docs/compute.md "Which Vidur prefill"): the term
 * is 17–19 % of its prefill and reads as a profiling artefact (docs/references.md §5); with it,
 * the 1 K and 4 K points would be 22–24 % above this model.
 */
export const COMPUTE_CALIBRATION_POINTS: readonly ComputeCalibrationPoint[] = Object.freeze([
  ...(
    [
      [1024, 78.5],
      [4096, 304],
      [10_240, 837],
    ] as const
  ).map(([tokens, ms]) => ({
    id: `a100-prefill-${tokens}`,
    quantity: `Llama-3-8B prefill, ${tokens.toLocaleString('en-US')} tokens, A100`,
    modelId: 'llama-3-8b',
    gpuId: 'a100-80gb',
    work: { kind: 'prefill', tokens } as const,
    publishedNs: ms * MS,
    source: `${VIDUR} (without the KV-save term)`,
    fitted: true,
  })),
  {
    id: 'a100-prefill-40000',
    quantity: 'Llama-3.1-8B prefill, 40,000 tokens, A100',
    modelId: 'llama-3.1-8b',
    gpuId: 'a100-80gb',
    work: { kind: 'prefill', tokens: 40_000 },
    publishedNs: 4000 * MS,
    source: 'DroidSpeak, docs/references.md §3 "Motivating numbers"',
    fitted: true,
  },
  ...(
    [
      [4096, 1, 11.0],
      [4096, 32, 23.0],
      [4096, 64, 35.9],
      [10_240, 1, 11.9],
      [10_240, 32, 40.7],
    ] as const
  ).map(([contextTokens, batch, ms]) => ({
    id: `a100-decode-${contextTokens}-b${batch}`,
    quantity: `Llama-3-8B decode step, ${contextTokens / 1024} K context, batch ${batch}, A100`,
    modelId: 'llama-3-8b',
    gpuId: 'a100-80gb',
    work: { kind: 'decode-step', batch, contextTokens } as const,
    publishedNs: ms * MS,
    source: VIDUR,
    fitted: true,
  })),
  {
    id: 'h100-fa2-attention-16k',
    quantity: 'FlashAttention-2 forward, 16 K tokens, 16 heads × 128 (370 TFLOP/s), H100',
    modelId: 'llama-3-8b',
    gpuId: 'h100-80gb',
    work: { kind: 'attention-kernel', tokens: 16_384, heads: 16 },
    publishedNs: FA2_POINT_FLOPS / (FA2_H100_TFLOPS * 1e3),
    source: 'FlashAttention-3 paper, H100 forward-speed figure, docs/references.md §8',
    fitted: false,
    note: 'sets the Hopper attention efficiency, so 1× by construction; shows the operator is compute-bound there',
  },
  ...VLLM_LATENCY.map(([modelId, tp, gpuId, build, ms]) => ({
    id: `${gpuId}-vllm-latency-${modelId.includes('70b') ? '70b-tp4' : '8b'}`,
    quantity: `${modelId.includes('70b') ? 'Llama-3-70B, tp 4' : 'Llama-3.1-8B'}, 8 prompts × 32 tokens → 128 output tokens, end to end, ${getGpu(gpuId).name}`,
    modelId,
    gpuId,
    work: { kind: 'batch-latency', batch: 8, tokens: 32, outputTokens: 128, tp } as const,
    publishedNs: ms * MS,
    source: `vLLM performance benchmark, build ${build}, docs/references.md §8`,
    fitted: false,
  })),
]);

/** The compute model's time for a point's work on `gpu` (default: the point's built-in GPU), ns. */
export function pointModelNs(
  p: ComputeCalibrationPoint,
  gpu: GpuProfile = getGpu(p.gpuId),
): number {
  const m = getModel(p.modelId);
  const w = p.work;
  switch (w.kind) {
    case 'prefill':
      return prefillTimeNs(m, gpu, w.tokens);
    case 'decode-step':
      return decodeStepTimeNs(m, gpu, w.batch, w.contextTokens);
    case 'batch-latency':
      return (
        batchPrefillTimeNs(m, gpu, w.batch, w.tokens, { tp: w.tp }) +
        decodeRunNs(decodeStepLine(m, gpu, w.batch, { tp: w.tp }), w.tokens, w.outputTokens - 1)
      );
    case 'attention-kernel': {
      const shape = { ...m, heads: w.heads, kvHeads: w.heads, headDim: 128 };
      return attentionPrefillNs(shape, operatorRates(gpu, 1), w.tokens, w.tokens);
    }
  }
}

/** The accepted band around each published value: model ÷ published within 1 ± this. */
export const COMPUTE_CALIBRATION_TOLERANCE = 0.15;

/** One row of `podsim calibrate`'s compute table: raw numbers in base units. */
export interface ComputeCalibrationRow {
  readonly id: string;
  readonly quantity: string;
  readonly gpu: string;
  readonly source: string;
  readonly publishedNs: number;
  readonly modelNs: number;
  /** modelNs ÷ publishedNs. */
  readonly ratio: number;
  /** |ratio − 1| ≤ {@link COMPUTE_CALIBRATION_TOLERANCE}. */
  readonly within: boolean;
  readonly fitted: boolean;
  /** The point's note, when it has one. */
  readonly note?: string;
}

/** Every calibration point beside the model's value, in table order. */
export function computeCalibrationRows(): ComputeCalibrationRow[] {
  return COMPUTE_CALIBRATION_POINTS.map((p) => {
    const modelNs = pointModelNs(p);
    const ratio = modelNs / p.publishedNs;
    return {
      id: p.id,
      quantity: p.quantity,
      gpu: getGpu(p.gpuId).name,
      source: p.source,
      publishedNs: p.publishedNs,
      modelNs,
      ratio,
      within: Math.abs(ratio - 1) <= COMPUTE_CALIBRATION_TOLERANCE,
      fitted: p.fitted,
      ...(p.note === undefined ? {} : { note: p.note }),
    };
  });
}
