/**
 * The operator-level roofline behind the compute model (docs/compute.md "Operators"). One
 * transformer layer's forward pass is a sum of operators, each priced as the slower of its
 * compute at its own efficiency and its HBM traffic at the memory efficiency:
 *
 *   gemm        = max(2 · P · n / gemmRate, weightBytes / memRate)      P = matmul weights per token
 *   attention   = max(4 · heads · headDim · Σ spans / attnRate,         (QKᵀ and AV, causal)
 *                     (KV read of the span + Q read + output write) / memRate)
 *   kvWrite     = n · kvBytesPerTokenPerLayer / memRate                  (the new K and V to HBM)
 *   elementwise = n · elementwiseBytesPerToken / memRate                 (norms, rotary, SwiGLU, residuals)
 *   overhead    = layerOverheadNs                                        (launches; once per layer per pass)
 *
 * where n is the tokens of the pass and the rates are the GPU's peaks × efficiencies × the
 * tensor-parallel speed-up (the overhead is not divided). Pure arithmetic on numbers: the hot
 * paths call these with plain arguments and allocate nothing.
 */
import {
  expertParameterCount,
  kvBytesPerTokenPerLayer,
  layerActiveMatmulParameterCount,
  type ModelShape,
} from './models.ts';
import { COMPUTE_DEFAULTS, type GpuProfile } from './gpu.ts';

/** A GPU group's effective roofs: FLOPs/ns per operator class, bytes/ns, and the fixed cost per layer. */
export interface OperatorRates {
  /** GEMM throughput, FLOPs per ns (peak × gemmEfficiency × tp speed-up). */
  readonly gemmFlopsPerNs: number;
  /** Attention throughput, FLOPs per ns (peak × attentionEfficiency × tp speed-up). */
  readonly attentionFlopsPerNs: number;
  /** Memory-bound throughput, bytes per ns (HBM bandwidth × memoryEfficiency × tp speed-up). */
  readonly bytesPerNs: number;
  /** Fixed cost per layer per forward pass, ns (not divided by tp). */
  readonly layerOverheadNs: number;
}

/**
 * The effective roofs of `tp` GPUs of one kind: each peak × its efficiency × `speedup`
 * (the tensor-parallel speed-up, 1 for one GPU).
 */
export function operatorRates(gpu: GpuProfile, speedup: number): OperatorRates {
  return {
    gemmFlopsPerNs: gpu.peakFlopsPerNs * gpu.gemmEfficiency * speedup,
    attentionFlopsPerNs: gpu.peakFlopsPerNs * gpu.attentionEfficiency * speedup,
    bytesPerNs: gpu.hbmBandwidthBytesPerNs * gpu.memoryEfficiency * speedup,
    layerOverheadNs: gpu.layerOverheadNs,
  };
}

/** Tensor-parallel speed-up: tp × {@link COMPUTE_DEFAULTS}.tensorParallelEfficiency for tp > 1, 1 for tp = 1. */
export function speedupOf(tp: number): number {
  return tp === 1 ? 1 : tp * COMPUTE_DEFAULTS.tensorParallelEfficiency;
}

/**
 * HBM bytes the elementwise operators of one layer move per token (read + write):
 * two RMSNorms (2 × 2 · hidden), two residual adds (2 × 3 · hidden), rotary on Q and K
 * (2 · (heads + kvHeads) · headDim) and the SwiGLU activation of each active expert
 * (read gate and up, write one: 3 · intermediate), × dtypeBytes.
 * Llama-3-8B: (10 · 4096 + 2 · 40 · 128 + 3 · 14 336) · 2 = 188 416 bytes.
 */
export function elementwiseBytesPerToken(m: ModelShape): number {
  const elements =
    10 * m.hiddenSize +
    2 * (m.heads + m.kvHeads) * m.headDim +
    3 * m.intermediateSize * m.expertsPerToken;
  return elements * m.dtypeBytes;
}

/**
 * Expected distinct experts `tokens` tokens touch (each picks k of E uniformly):
 * E · (1 − (1 − k/E)^tokens); k for a dense model. Real-valued `tokens` allowed.
 */
export function expertsTouched(m: ModelShape, tokens: number): number {
  if (m.experts <= 1) return m.expertsPerToken;
  return m.experts * (1 - (1 - m.expertsPerToken / m.experts) ** tokens);
}

/** Matmul weight bytes one layer reads when `tokens` tokens pass through it (MoE: the experts they touch). */
export function layerGemmWeightBytes(m: ModelShape, tokens: number): number {
  const expert = expertParameterCount(m);
  const params =
    layerActiveMatmulParameterCount(m) + (expertsTouched(m, tokens) - m.expertsPerToken) * expert;
  return params * m.dtypeBytes;
}

/**
 * One layer's prefill time, ns: `sequences` sequences of `tokens` new tokens each, whose causal
 * attention spans `contextTokens` (new tokens included, so ≥ tokens) — the operators of the file
 * header. 0 for no tokens. Callers validate the arguments.
 */
export function layerPrefillNs(
  m: ModelShape,
  r: OperatorRates,
  tokens: number,
  contextTokens: number,
  sequences = 1,
): number {
  if (tokens === 0 || sequences === 0) return 0;
  const n = tokens * sequences;
  const gemm = Math.max(
    (2 * layerActiveMatmulParameterCount(m) * n) / r.gemmFlopsPerNs,
    layerGemmWeightBytes(m, n) / r.bytesPerNs,
  );
  const attention = attentionPrefillNs(m, r, tokens, contextTokens, sequences);
  const writes = (n * (kvBytesPerTokenPerLayer(m) + elementwiseBytesPerToken(m))) / r.bytesPerNs;
  return gemm + attention + writes + r.layerOverheadNs;
}

/**
 * The attention operator of one layer's prefill, ns: `sequences` sequences of `tokens` new tokens
 * attending causally over `contextTokens` each — the slower of 4 · heads · headDim · tokens ·
 * avgSpan FLOPs per sequence (avgSpan = prior + (tokens + 1)/2) and reading the span's KV plus
 * Q and writing the output.
 */
export function attentionPrefillNs(
  m: ModelShape,
  r: OperatorRates,
  tokens: number,
  contextTokens: number,
  sequences = 1,
): number {
  const n = tokens * sequences;
  const avgSpan = contextTokens - tokens + (tokens + 1) / 2;
  const readBytes =
    sequences * contextTokens * kvBytesPerTokenPerLayer(m) +
    2 * n * m.heads * m.headDim * m.dtypeBytes;
  return Math.max(
    (4 * m.heads * m.headDim * n * avgSpan) / r.attentionFlopsPerNs,
    readBytes / r.bytesPerNs,
  );
}

/** The LM head for `tokens` tokens (one per sequence at the end of a prefill or per decode step), ns. */
export function lmHeadNs(m: ModelShape, r: OperatorRates, tokens: number): number {
  if (tokens === 0) return 0;
  const params = m.hiddenSize * m.vocabSize;
  return Math.max((2 * params * tokens) / r.gemmFlopsPerNs, (params * m.dtypeBytes) / r.bytesPerNs);
}
