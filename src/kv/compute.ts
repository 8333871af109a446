/**
 * The GPU compute model (docs/design.md "GPU compute", docs/compute.md): prefill and decode
 * times from an operator-level roofline (`compute-operators.ts`: GEMMs, attention with its
 * quadratic term, the KV write, elementwise work and a fixed cost per layer, each the slower of
 * its compute and its HBM traffic at its own efficiency), priced per layer so that DroidSpeak's
 * partial recompute costs exactly the layers it recomputes; decode steps as two lines in the
 * context so a run prices in O(1); and how many KV tokens fit in HBM next to the weights.
 *
 * The FLOP counts below (`layerPrefillFlops`, `prefillFlops`, `decodeStepFlops`) are the
 * compute sides of those operators, kept for reports and tests:
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
 * vLLM-era kernels and DroidSpeak's long contexts run full causal attention.
 */
import { ns, type Nanoseconds } from '../units/index.ts';
import { COMPUTE_DEFAULTS, type GpuProfile } from './gpu.ts';
import {
  elementwiseBytesPerToken,
  layerGemmWeightBytes,
  layerPrefillNs,
  lmHeadNs,
  operatorRates,
  speedupOf,
  type OperatorRates,
} from './compute-operators.ts';
export {
  decodeStepFlops,
  decodeWeightBytes,
  expectedExpertsTouched,
  layerPrefillFlops,
  lmHeadFlops,
  prefillFlops,
} from './compute-flops.ts';
import {
  kvCacheBytes,
  kvBytesPerToken,
  kvBytesPerTokenPerLayer,
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
  return speedupOf(resolveTp(tp));
}

/**
 * The operator rates of `tp` GPUs, remembered for the last (gpu, tp) asked: the simulator and
 * planner price many prefills on one GPU kind, and a fresh rates object per call would be a
 * per-request allocation on the hot path (src/sim/state.ts speed notes).
 */
let lastGpu: GpuProfile | undefined;
let lastTp = 0;
let lastRates: OperatorRates | undefined;
function ratesFor(gpu: GpuProfile, tp: number): OperatorRates {
  if (gpu !== lastGpu || tp !== lastTp || lastRates === undefined) {
    lastRates = operatorRates(gpu, speedupOf(tp));
    lastGpu = gpu;
    lastTp = tp;
  }
  return lastRates;
}

/** Checks a prefill's token counts: tokens ≥ 0, contextTokens ≥ tokens. */
function checkTokens(tokens: number, contextTokens: number): void {
  requireNonNegative('tokens', tokens);
  requireNonNegative('contextTokens', contextTokens);
  if (contextTokens < tokens)
    throw new RangeError(`contextTokens (${contextTokens}) must be ≥ tokens (${tokens})`);
}

/**
 * Time for one layer to prefill `tokens` tokens on a GPU (or a tp group): the operator roofline
 * of `compute-operators.ts` (GEMMs, attention, KV write, elementwise, the per-layer overhead).
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
  const context = options.contextTokens ?? tokens;
  checkTokens(tokens, context);
  return ns(layerPrefillNs(m, ratesFor(gpu, tp), tokens, context));
}

/**
 * Time to prefill `tokens` tokens through all layers, or through `options.layers` of them
 * (DroidSpeak partial recompute: L layers cost exactly L × {@link layerPrefillTimeNs}), plus the
 * LM head for the last token (the "head", paid once; 0 tokens cost nothing).
 * @param tokens - new tokens (≥ 0).
 * @param options - `layers` (0…layers, default all), `tp` (default 1), `contextTokens` (default = tokens).
 * @example prefillTimeNs(getModel('llama-3.1-8b'), getGpu('a100-80gb'), 4096) // ≈ 0.29e9 ns
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
  const context = options.contextTokens ?? tokens;
  checkTokens(tokens, context);
  if (tokens === 0) return ns(0);
  const rates = ratesFor(gpu, tp);
  return ns(layers * layerPrefillNs(m, rates, tokens, context) + lmHeadNs(m, rates, 1));
}

/**
 * Time to prefill a batch of `sequences` fresh prompts of `tokensEach` tokens in one pass (the
 * GEMMs see all their tokens at once, each sequence attends only to itself; one LM head token
 * per sequence). Used by the calibration points measured on batched prompts.
 * @param sequences - prompts in the batch (integer ≥ 0).
 * @param tokensEach - tokens per prompt (≥ 0).
 */
export function batchPrefillTimeNs(
  m: ModelShape,
  gpu: GpuProfile,
  sequences: number,
  tokensEach: number,
  options: ParallelOptions = {},
): Nanoseconds {
  requireInteger('sequences', sequences, 0);
  requireNonNegative('tokensEach', tokensEach);
  const rates = ratesFor(gpu, resolveTp(options.tp));
  if (sequences === 0 || tokensEach === 0) return ns(0);
  return ns(
    m.layers * layerPrefillNs(m, rates, tokensEach, tokensEach, sequences) +
      lmHeadNs(m, rates, sequences),
  );
}

/**
 * Time of one decode step (one new token for each of `batch` sequences): the operator roofline
 * of `compute-operators.ts` summed over the layers — per layer the GEMMs (weights read once for
 * the batch, or 2 · P · batch FLOPs when that is slower), attention over each sequence's cached
 * context (its KV read, or its FLOPs), the KV write and elementwise work of the new tokens and
 * the per-layer overhead — plus the LM head for the batch. Small batches are bound by the weight
 * read, long contexts by the KV read. Monotone in batch and context. 0 for an empty batch.
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
 * sequence x: step(x) = max(computeNs + computeNsPerToken·x, memoryNs + memoryNsPerToken·x).
 * Only attention depends on x, and it is the slower of a compute line and a memory line; every
 * other operator is a constant both lines share. The simulator prices every step of a decode
 * run, so it takes these four numbers once per batch size instead of re-deriving them each step.
 */
export interface DecodeStepLine {
  /** Step time at context 0 when attention is compute-bound (ns): the shared constant + attention FLOPs of one token. */
  readonly computeNs: number;
  /** Added attention compute per context token per sequence (ns). */
  readonly computeNsPerToken: number;
  /** Step time at context 0 when attention is memory-bound (ns): the shared constant + the new token's KV read. */
  readonly memoryNs: number;
  /** Added attention KV read per context token per sequence (ns). */
  readonly memoryNsPerToken: number;
}

/**
 * The coefficients of {@link DecodeStepLine} for `batch` sequences (integer ≥ 1). The shared
 * constant is layers × (GEMM roofline at `batch` tokens + KV write and elementwise bytes of
 * `batch` tokens + layerOverheadNs) + the LM head for `batch` tokens; attention adds, per
 * sequence and per attended token (x + 1 of them), 4 · layers · heads · headDim FLOPs on the
 * compute line or kvBytesPerToken on the memory line.
 */
export function decodeStepLine(
  m: ModelShape,
  gpu: GpuProfile,
  batch: number,
  options: ParallelOptions = {},
): DecodeStepLine {
  requireInteger('batch', batch, 1);
  const r = ratesFor(gpu, resolveTp(options.tp));
  const gemm = Math.max(
    (2 * layerActiveMatmulParameterCount(m) * batch) / r.gemmFlopsPerNs,
    layerGemmWeightBytes(m, batch) / r.bytesPerNs,
  );
  const kvPerLayer = kvBytesPerTokenPerLayer(m);
  const writes = (batch * (kvPerLayer + elementwiseBytesPerToken(m))) / r.bytesPerNs;
  const shared = m.layers * (gemm + writes + r.layerOverheadNs) + lmHeadNs(m, r, batch);
  const perTokenCompute = (4 * m.layers * m.heads * m.headDim * batch) / r.attentionFlopsPerNs;
  const perTokenMemory = (m.layers * batch * kvPerLayer) / r.bytesPerNs;
  return {
    computeNs: shared + perTokenCompute,
    computeNsPerToken: perTokenCompute,
    memoryNs: shared + perTokenMemory,
    memoryNsPerToken: perTokenMemory,
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
