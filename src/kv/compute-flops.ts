/**
 * FLOP and byte counts of prefill and decode (docs/compute.md "Operators"): the compute sides of
 * the operator roofline, for reports, tests and the planner's explanations. Formulas in the
 * header of `compute.ts`.
 */
import { bytes, type Bytes } from '../units/index.ts';
import {
  expertParameterCount,
  layerActiveMatmulParameterCount,
  requireInteger,
  requireNonNegative,
  type ModelShape,
} from './models.ts';

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
 * Weight bytes a decode step touches, whole model (whole tp group), for reports: dense, all
 * weights (activeParameterCount × dtypeBytes). The step's time reads only the matmul weights and
 * the LM head (`compute-operators.ts`; the embedding table is indexed, not streamed). MoE: the always-used weights plus the experts the batch
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
