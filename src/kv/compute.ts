/**
 * The GPU compute model (docs/design.md "GPU compute"): prefill time from a FLOP count over a
 * GPU's effective throughput, priced per layer so that DroidSpeak's partial recompute costs
 * exactly the layers it recomputes; decode steps from a roofline (the slower of compute and
 * HBM traffic); and how many KV tokens fit in HBM next to the weights.
 *
 * FLOP model of one layer prefilling `tokens` new tokens whose causal attention spans
 * `contextTokens` (the new tokens plus any prior context already in the KV cache):
 *
 *   linear    = 2 · P_layer · tokens, where P_layer = Q,O (hidden·heads·headDim each)
 *               + K,V (hidden·kvHeads·headDim each) + expertsPerToken · 3·hidden·intermediate
 *               (SwiGLU gate/up/down; Mixtral: top-2 of 8 experts) + router (hidden·experts);
 *   attention = 2 · 2 · heads · headDim · tokens · avgSpan, avgSpan = prior + (tokens + 1)/2
 *               (QKᵀ and AV, 2 FLOPs per multiply-add; token i of the new ones attends to
 *               prior + i keys, i = 1…tokens).
 *
 * A whole prefill adds the LM head for the last token only (2 · hidden · vocab); embedding
 * lookups cost nothing. Sliding-window attention (Mistral-7B-v0.1's 4 096 window) is ignored:
 * vLLM-era kernels and DroidSpeak's long contexts run full causal attention. Time = FLOPs ÷
 * (peakFlopsPerNs · computeEfficiency · tpSpeedup), tpSpeedup = tp · tensorParallelEfficiency
 * (1 for tp = 1).
 */
import { bytes, ns, type Bytes, type Nanoseconds } from '../units/index.ts';
import { COMPUTE_DEFAULTS, type GpuProfile } from './gpu.ts';
import {
  expertParameterCount,
  kvCacheBytes,
  kvBytesPerToken,
  layerActiveMatmulParameterCount,
  requireInteger,
  requireNonNegative,
  weightBytes,
  type ModelShape,
} from './models.ts';

/** Tensor parallelism of a model replica. */
export interface ParallelOptions {
  /** Tensor-parallel degree: GPUs one replica's weights and KV heads are split over (integer ≥ 1; default 1). */
  readonly tp?: number;
}

/** Options of {@link prefillTimeNs}. */
export interface PrefillOptions extends ParallelOptions {
  /**
   * Layers to compute (integer 0…layers; default all). DroidSpeak partial recompute of L layers
   * of a T-token context costs L × the per-layer cost (plus the LM head, which runs once).
   */
  readonly layers?: number;
  /**
   * Tokens the attention spans, new tokens included (≥ tokens; default = tokens, i.e. no prior
   * context). A prefill that extends a cached prefix of P tokens passes P + tokens.
   */
  readonly contextTokens?: number;
}

/** Options of {@link maxBatchTokens} and {@link fitsInHbm}. */
export interface HbmOptions extends ParallelOptions {
  /** Fraction of HBM usable for weights + KV (0 < f ≤ 1; default {@link COMPUTE_DEFAULTS}.hbmUsableFraction). */
  readonly hbmUsableFraction?: number;
}

function resolveTp(tp: number | undefined): number {
  const degree = tp ?? 1;
  requireInteger('tp', degree, 1);
  return degree;
}

/**
 * Throughput multiplier of tensor parallelism: tp × {@link COMPUTE_DEFAULTS}.tensorParallelEfficiency
 * for tp > 1, 1 for tp = 1 (ideal split ÷ tp, minus ≈ 10 % for the per-layer all-reduces *(estimate)*).
 * @param tp - tensor-parallel degree (integer ≥ 1).
 */
export function tensorParallelSpeedup(tp = 1): number {
  const degree = resolveTp(tp);
  return degree === 1 ? 1 : degree * COMPUTE_DEFAULTS.tensorParallelEfficiency;
}

/** Effective prefill throughput of a tp group, FLOPs per ns. */
function effectiveFlopsPerNs(gpu: GpuProfile, tp: number): number {
  return gpu.peakFlopsPerNs * gpu.computeEfficiency * tensorParallelSpeedup(tp);
}

/**
 * FLOPs for one layer to prefill `tokens` new tokens whose causal attention spans
 * `contextTokens` (see the file header for the formula).
 * @param tokens - new tokens (≥ 0).
 * @param contextTokens - tokens attended, new ones included (≥ tokens; default = tokens).
 * @returns FLOPs (count).
 */
export function layerPrefillFlops(
  m: ModelShape,
  tokens: number,
  contextTokens: number = tokens,
): number {
  requireNonNegative('tokens', tokens);
  requireNonNegative('contextTokens', contextTokens);
  if (contextTokens < tokens)
    throw new RangeError(`contextTokens (${contextTokens}) must be ≥ tokens (${tokens})`);
  if (tokens === 0) return 0;
  const linear = 2 * layerActiveMatmulParameterCount(m) * tokens;
  const avgSpan = contextTokens - tokens + (tokens + 1) / 2;
  const attention = 2 * 2 * m.heads * m.headDim * tokens * avgSpan;
  return linear + attention;
}

/** FLOPs of the LM head for one token: 2 × hidden × vocab. Runs once per prefill (the first output token). */
export function lmHeadFlops(m: ModelShape): number {
  return 2 * m.hiddenSize * m.vocabSize;
}

/**
 * FLOPs of a whole prefill: Σ layers {@link layerPrefillFlops} + the LM head for the last token
 * (none when `tokens` = 0); embeddings are free.
 * @param tokens - new tokens (≥ 0).
 * @param contextTokens - tokens attended, new ones included (≥ tokens; default = tokens).
 * @returns FLOPs (count).
 */
export function prefillFlops(
  m: ModelShape,
  tokens: number,
  contextTokens: number = tokens,
): number {
  const perLayer = layerPrefillFlops(m, tokens, contextTokens);
  return tokens === 0 ? 0 : m.layers * perLayer + lmHeadFlops(m);
}

/**
 * Time for one layer to prefill `tokens` tokens on a GPU (or a tp group).
 * @param tokens - new tokens (≥ 0).
 * @param options - `tp` (default 1), `contextTokens` (default = tokens).
 */
export function layerPrefillTimeNs(
  m: ModelShape,
  gpu: GpuProfile,
  tokens: number,
  options: Omit<PrefillOptions, 'layers'> = {},
): Nanoseconds {
  const tp = resolveTp(options.tp);
  return ns(
    layerPrefillFlops(m, tokens, options.contextTokens ?? tokens) / effectiveFlopsPerNs(gpu, tp),
  );
}

/**
 * Time to prefill `tokens` tokens through all layers, or through `options.layers` of them
 * (DroidSpeak partial recompute: L layers cost L × {@link layerPrefillTimeNs}), plus the LM
 * head for the last token.
 * @param tokens - new tokens (≥ 0).
 * @param options - `layers` (0…layers, default all), `tp` (default 1), `contextTokens` (default = tokens).
 * @example prefillTimeNs(getModel('llama-3.1-8b'), getGpu('a100-80gb'), 40_000) // ≈ 4e9 ns
 */
export function prefillTimeNs(
  m: ModelShape,
  gpu: GpuProfile,
  tokens: number,
  options: PrefillOptions = {},
): Nanoseconds {
  const layers = options.layers ?? m.layers;
  requireInteger('layers', layers, 0, m.layers);
  const tp = resolveTp(options.tp);
  const perLayer = layerPrefillFlops(m, tokens, options.contextTokens ?? tokens);
  const flops = tokens === 0 ? 0 : layers * perLayer + lmHeadFlops(m);
  return ns(flops / effectiveFlopsPerNs(gpu, tp));
}

/**
 * Expected distinct experts per MoE layer that a decode batch touches: each of `batch` tokens
 * picks `expertsPerToken` of `experts` (assumed uniform and independent), so
 * E · (1 − (1 − k/E)^batch). Mixtral (E = 8, k = 2): 2 at batch 1, 4.6 at batch 3, 7.2 at
 * batch 8, → 8. Equals `expertsPerToken` for dense models.
 * @param batch - sequences in the decode step (integer ≥ 0).
 */
export function expectedExpertsTouched(m: ModelShape, batch: number): number {
  requireInteger('batch', batch, 0);
  if (m.experts <= 1 || batch === 0) return batch === 0 ? 0 : m.expertsPerToken;
  return m.experts * (1 - (1 - m.expertsPerToken / m.experts) ** batch);
}

/**
 * Weight bytes one decode step reads from HBM (whole tp group). Dense: all weights
 * (activeParameterCount × dtypeBytes). MoE: the always-used weights plus the experts the batch
 * touches ({@link expectedExpertsTouched}) — about the active parameters at batch 1 and nearly
 * all parameters from batch ≈ 8 on (Mixtral: 12.9 B at batch 1, 42 B at batch 8, → 46.7 B).
 * This smooth expectation replaces a step rule ("active below batch 8, total from 8 on").
 * @param batch - sequences in the decode step (integer ≥ 0).
 */
export function decodeWeightBytes(m: ModelShape, batch: number): Bytes {
  requireInteger('batch', batch, 0);
  if (batch === 0) return bytes(0);
  const expertWeights = m.layers * expertParameterCount(m);
  const alwaysUsed = m.activeParameterCount - m.expertsPerToken * expertWeights;
  const params =
    m.experts <= 1
      ? m.activeParameterCount
      : alwaysUsed + expectedExpertsTouched(m, batch) * expertWeights;
  return bytes(params * m.dtypeBytes);
}

/**
 * FLOPs of one decode step: per sequence 2 × activeParameterCount (every weight once) plus the
 * attention over its cached context, 2 · 2 · layers · heads · headDim · (context + 1).
 * @param batch - sequences (integer ≥ 0).
 * @param contextTokensPerSequence - tokens already cached per sequence (≥ 0).
 */
export function decodeStepFlops(
  m: ModelShape,
  batch: number,
  contextTokensPerSequence: number,
): number {
  requireInteger('batch', batch, 0);
  requireNonNegative('contextTokensPerSequence', contextTokensPerSequence);
  const attention = 4 * m.layers * m.heads * m.headDim * (contextTokensPerSequence + 1);
  return batch * (2 * m.activeParameterCount + attention);
}

/**
 * Time of one decode step (one new token for each of `batch` sequences), by a roofline model:
 * max(compute, memory), where
 * - compute = {@link decodeStepFlops} ÷ (peakFlopsPerNs · computeEfficiency · tpSpeedup),
 * - memory = ({@link decodeWeightBytes} + batch · {@link kvCacheBytes}(context)) ÷
 *   (hbmBandwidthBytesPerNs · memoryEfficiency · tpSpeedup).
 * Small batches are memory-bound (weights dominate), large batches and long contexts approach
 * the compute roof or the KV-read term. Monotone in batch and context. 0 for an empty batch.
 * @param batch - sequences in the step (integer ≥ 0).
 * @param contextTokensPerSequence - tokens already cached per sequence (≥ 0).
 * @param options - `tp` (default 1).
 */
export function decodeStepTimeNs(
  m: ModelShape,
  gpu: GpuProfile,
  batch: number,
  contextTokensPerSequence: number,
  options: ParallelOptions = {},
): Nanoseconds {
  resolveTp(options.tp);
  requireInteger('batch', batch, 0);
  requireNonNegative('contextTokensPerSequence', contextTokensPerSequence);
  if (batch === 0) return ns(0);
  return ns(decodeStepNsOnLine(decodeStepLine(m, gpu, batch, options), contextTokensPerSequence));
}

/**
 * {@link decodeStepTimeNs} for a fixed model, GPU, batch and tp as two lines in the context per
 * sequence x: step(x) = max(computeNs + computeNsPerToken·x, memoryNs + memoryNsPerToken·x)
 * (both roofline terms are linear in x). The simulator prices every step of a decode run, so it
 * takes these four numbers once per batch size instead of re-deriving them each step.
 */
export interface DecodeStepLine {
  /** Compute-roof time of a step at context 0 (ns). */
  readonly computeNs: number;
  /** Added compute-roof time per context token per sequence (ns). */
  readonly computeNsPerToken: number;
  /** Memory-roof time of a step at context 0: the weights read (ns). */
  readonly memoryNs: number;
  /** Added memory-roof time per context token per sequence: its KV read (ns). */
  readonly memoryNsPerToken: number;
}

/**
 * The coefficients of {@link DecodeStepLine} for `batch` sequences (integer ≥ 1): the roofline of
 * {@link decodeStepTimeNs} — compute = {@link decodeStepFlops} ÷ effective FLOP rate, memory =
 * ({@link decodeWeightBytes} + batch · KV bytes of the context) ÷ effective HBM bandwidth —
 * split into its value at context 0 and its slope per context token.
 */
export function decodeStepLine(
  m: ModelShape,
  gpu: GpuProfile,
  batch: number,
  options: ParallelOptions = {},
): DecodeStepLine {
  requireInteger('batch', batch, 1);
  const tp = resolveTp(options.tp);
  const flopsPerNs = effectiveFlopsPerNs(gpu, tp);
  const bytesPerNs = gpu.hbmBandwidthBytesPerNs * gpu.memoryEfficiency * tensorParallelSpeedup(tp);
  const computeNs = decodeStepFlops(m, batch, 0) / flopsPerNs;
  return {
    computeNs,
    computeNsPerToken: decodeStepFlops(m, batch, 1) / flopsPerNs - computeNs,
    memoryNs: decodeWeightBytes(m, batch) / bytesPerNs,
    memoryNsPerToken: (batch * kvBytesPerToken(m)) / bytesPerNs,
  };
}

/** One decode step's time (ns) from its {@link DecodeStepLine} at `contextTokensPerSequence`. */
export function decodeStepNsOnLine(
  line: DecodeStepLine,
  contextTokensPerSequence: number,
): Nanoseconds {
  return ns(
    Math.max(
      line.computeNs + line.computeNsPerToken * contextTokensPerSequence,
      line.memoryNs + line.memoryNsPerToken * contextTokensPerSequence,
    ),
  );
}

/** Σ_{lo ≤ j < hi} (first + slope·j): an arithmetic series (a top-level function, not a closure made per call). */
function series(first: number, slope: number, lo: number, hi: number): number {
  return (hi - lo) * first + (slope * (lo + hi - 1) * (hi - lo)) / 2;
}

/**
 * Time (ns) of `steps` consecutive decode steps on one {@link DecodeStepLine} whose context per
 * sequence is `contextTokensPerSequence` at the first step and grows by one token per step:
 * Σ_{j<steps} max(compute(x₀ + j), memory(x₀ + j)). In closed form — each roofline term is an
 * arithmetic series, and the two lines cross at most once — so a decode run of hundreds of
 * steps costs O(1) to price; equal to the step-by-step sum up to rounding.
 * @param steps - number of steps (integer ≥ 0).
 */
export function decodeRunNs(
  line: DecodeStepLine,
  contextTokensPerSequence: number,
  steps: number,
): Nanoseconds {
  if (steps <= 0) return ns(0);
  const a = line.computeNs + line.computeNsPerToken * contextTokensPerSequence;
  const b = line.computeNsPerToken;
  const c = line.memoryNs + line.memoryNsPerToken * contextTokensPerSequence;
  const d = line.memoryNsPerToken;
  // Steps [0, split) take one line, [split, steps) the other; compute ≥ memory ⟺ (a − c) + (b − d)·j ≥ 0.
  if (b === d) return ns(a >= c ? series(a, b, 0, steps) : series(c, d, 0, steps));
  const cross = (c - a) / (b - d); // compute = memory at j = cross
  const split = Math.min(steps, Math.max(0, Math.ceil(cross)));
  // b > d: memory-bound before the crossing, compute-bound from it; b < d: the reverse.
  return ns(
    b > d
      ? series(c, d, 0, split) + series(a, b, split, steps)
      : series(a, b, 0, split) + series(c, d, split, steps),
  );
}

/**
 * KV tokens (summed over all sequences) that fit in the HBM of a tp group next to the weights:
 * ⌊(tp · hbmBytes · hbmUsableFraction − weightBytes) ÷ kvBytesPerToken⌋, 0 when the weights do
 * not fit. Weights and KV heads are split evenly across the tp GPUs. A 70 B model (≈ 141 GB of
 * bf16 weights) needs tp ≥ 2 on 80 GB GPUs.
 * @param options - `tp` (default 1), `hbmUsableFraction` (default 0.9).
 * @returns tokens (integer ≥ 0).
 */
export function maxBatchTokens(m: ModelShape, gpu: GpuProfile, options: HbmOptions = {}): number {
  const free = freeHbmBytes(m, gpu, options);
  return free <= 0 ? 0 : Math.floor(free / kvBytesPerToken(m));
}

/** Usable HBM of the tp group minus the weights (may be negative). */
function freeHbmBytes(m: ModelShape, gpu: GpuProfile, options: HbmOptions): number {
  const tp = resolveTp(options.tp);
  const usable = options.hbmUsableFraction ?? COMPUTE_DEFAULTS.hbmUsableFraction;
  if (!(usable > 0 && usable <= 1))
    throw new RangeError(`hbmUsableFraction must be in (0, 1], got ${usable}`);
  return tp * gpu.hbmBytes * usable - weightBytes(m);
}

/**
 * Whether the weights plus `kvTokens` tokens of KV cache fit in the HBM of a tp group.
 * @param kvTokens - KV tokens held at once, all sequences together (≥ 0).
 * @param options - `tp` (default 1), `hbmUsableFraction` (default 0.9).
 */
export function fitsInHbm(
  m: ModelShape,
  gpu: GpuProfile,
  kvTokens: number,
  options: HbmOptions = {},
): boolean {
  requireNonNegative('kvTokens', kvTokens);
  return freeHbmBytes(m, gpu, options) >= kvCacheBytes(m, kvTokens);
}

/**
 * Smallest power-of-two tensor-parallel degree (1, 2, 4, 8) whose HBM holds the weights plus
 * `kvTokens` tokens of KV; `undefined` if even 8 GPUs are not enough.
 * @param kvTokens - KV tokens to hold besides the weights (≥ 0; default 0).
 */
export function minTensorParallel(
  m: ModelShape,
  gpu: GpuProfile,
  kvTokens = 0,
  options: Omit<HbmOptions, 'tp'> = {},
): number | undefined {
  for (const tp of [1, 2, 4, 8]) {
    if (fitsInHbm(m, gpu, kvTokens, { ...options, tp })) return tp;
  }
  return undefined;
}
