/**
 * What a model shape is and what follows from it (docs/references.md §3, DroidSpeak): the
 * {@link ModelShape} and {@link PartialReusePlan} types, parameter counts derived from a shape,
 * and the sizes of its KV and E caches — per token, KV bytes = 2 × layers × kvHeads × headDim ×
 * dtypeBytes; one layer's E cache = hiddenSize × dtypeBytes — including the DroidSpeak "send
 * all" and "send reused" strategies. Pure arithmetic; src/kv/models.ts re-exports it.
 */
import { bytes, type Bytes } from '../units/index.ts';

/** Resolved shape of one decoder-only transformer (GQA attention, SwiGLU MLP, optional MoE). */
export interface ModelShape {
  /** Display name, e.g. `Llama-3.1-8B`. */
  readonly name: string;
  /** Architecture family, e.g. `llama-3`, `mistral`, `mixtral`, `phi-3`. */
  readonly family: string;
  /** Decoder layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Residual-stream width (`hidden_size`); also the E-cache width per token per layer. */
  readonly hiddenSize: number;
  /** Query heads (`num_attention_heads`). */
  readonly heads: number;
  /** Key/value heads (`num_key_value_heads`); `heads` is a multiple of it (GQA). */
  readonly kvHeads: number;
  /** Dimension of one head (`head_dim`, else hidden/heads). Need not equal hidden/heads (Mistral-Small-24B). */
  readonly headDim: number;
  /** Width of one MLP (one expert for MoE) (`intermediate_size`). */
  readonly intermediateSize: number;
  /** Vocabulary size (`vocab_size`). */
  readonly vocabSize: number;
  /** MLP experts per layer (`num_local_experts`); 1 for a dense model. */
  readonly experts: number;
  /** Experts each token is routed to (`num_experts_per_tok`); 1 for a dense model. */
  readonly expertsPerToken: number;
  /** Whether the LM head shares the embedding matrix (`tie_word_embeddings`). */
  readonly tieWordEmbeddings: boolean;
  /** Total parameters, as published (count, not bytes). */
  readonly parameterCount: number;
  /** Parameters used per token, as published; equals `parameterCount` for a dense model. */
  readonly activeParameterCount: number;
  /** Bytes per weight and per cached KV/E element (2 for bf16/fp16). */
  readonly dtypeBytes: number;
}

/** How much of a cached context a DroidSpeak partial reuse fetches (docs/references.md §3). */
export interface PartialReusePlan {
  /** Layers whose KV cache is reused from the sender (the others are recomputed). */
  readonly reusedLayers: number;
  /** E caches loaded: one per contiguous recomputed group (at its transition layer). */
  readonly eCacheLoads: number;
}

// ---------------------------------------------------------------------------------------------
// Guards for programming errors (plain errors with a stack, not user errors; errors/index.ts).
// ---------------------------------------------------------------------------------------------

/** Throws a RangeError unless `value` is a finite number ≥ 0 (token counts may be averages). */
export function requireNonNegative(what: string, value: number): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${what} must be a finite number ≥ 0, got ${value}`);
}

/** Throws a RangeError unless `value` is an integer in [min, max]. */
export function requireInteger(
  what: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Parameter counts from the shape (used by the compute model; checked against the published
// totals in tests).
// ---------------------------------------------------------------------------------------------

/** Attention projection weights of one layer: Q and O (hidden × heads·headDim each) + K and V (hidden × kvHeads·headDim each). */
export function attentionParameterCount(m: ModelShape): number {
  return 2 * m.hiddenSize * m.heads * m.headDim + 2 * m.hiddenSize * m.kvHeads * m.headDim;
}

/** Weights of one SwiGLU MLP (one expert): gate, up and down projections = 3 × hidden × intermediate. */
export function expertParameterCount(m: ModelShape): number {
  return 3 * m.hiddenSize * m.intermediateSize;
}

/** MoE router weights of one layer (hidden × experts); 0 for a dense model. */
export function routerParameterCount(m: ModelShape): number {
  return m.experts > 1 ? m.hiddenSize * m.experts : 0;
}

/**
 * Matrix-multiply weights one token passes through in one layer: attention projections +
 * `expertsPerToken` experts' MLPs + the router. This is the "per-layer parameters" of the
 * linear FLOP term (2 FLOPs per weight per token). Norm weights are excluded (not matmuls).
 */
export function layerActiveMatmulParameterCount(m: ModelShape): number {
  return (
    attentionParameterCount(m) +
    m.expertsPerToken * expertParameterCount(m) +
    routerParameterCount(m)
  );
}

/**
 * Parameters of one layer, all experts included (`'total'`) or only the experts one token uses
 * (`'active'`), plus the two RMSNorm weight vectors (2 × hidden).
 */
export function layerParameterCount(m: ModelShape, scope: 'total' | 'active' = 'total'): number {
  const experts = scope === 'total' ? m.experts : m.expertsPerToken;
  return (
    attentionParameterCount(m) +
    experts * expertParameterCount(m) +
    routerParameterCount(m) +
    2 * m.hiddenSize
  );
}

/**
 * Parameters implied by the shape: layers × {@link layerParameterCount} + embedding
 * (vocab × hidden) + LM head (vocab × hidden unless tied) + final norm (hidden). Matches the
 * published totals within ≈ 1 % for the built-ins (test/kv/models.test.ts).
 */
export function shapeParameterCount(m: ModelShape, scope: 'total' | 'active' = 'total'): number {
  const embeddings = m.vocabSize * m.hiddenSize * (m.tieWordEmbeddings ? 1 : 2);
  return m.layers * layerParameterCount(m, scope) + embeddings + m.hiddenSize;
}

/** Bytes of all weights (published total parameters × dtypeBytes). */
export function weightBytes(m: ModelShape): Bytes {
  return bytes(m.parameterCount * m.dtypeBytes);
}

// ---------------------------------------------------------------------------------------------
// KV and E cache sizes (docs/references.md §3).
// ---------------------------------------------------------------------------------------------

/** KV bytes per token in one layer: 2 (K and V) × kvHeads × headDim × dtypeBytes. */
export function kvBytesPerTokenPerLayer(m: ModelShape): Bytes {
  return bytes(2 * m.kvHeads * m.headDim * m.dtypeBytes);
}

/**
 * KV bytes per token over all layers: 2 × layers × kvHeads × headDim × dtypeBytes.
 * @example kvBytesPerToken(getModel('llama-3-8b')) // 131072 (128 KiB)
 */
export function kvBytesPerToken(m: ModelShape): Bytes {
  return bytes(m.layers * kvBytesPerTokenPerLayer(m));
}

/** E-cache bytes per token for one layer: hiddenSize × dtypeBytes. */
export function eBytesPerTokenPerLayer(m: ModelShape): Bytes {
  return bytes(m.hiddenSize * m.dtypeBytes);
}

/**
 * Whole KV cache (all layers) of a context.
 * @param tokens - context length in tokens (≥ 0).
 * @example kvCacheBytes(getModel('llama-3-8b'), 10_933) // ≈ 1.43 GB
 */
export function kvCacheBytes(m: ModelShape, tokens: number): Bytes {
  requireNonNegative('tokens', tokens);
  return bytes(tokens * kvBytesPerToken(m));
}

/**
 * One layer's KV cache of a context.
 * @param tokens - context length in tokens (≥ 0).
 */
export function kvLayerBytes(m: ModelShape, tokens: number): Bytes {
  requireNonNegative('tokens', tokens);
  return bytes(tokens * kvBytesPerTokenPerLayer(m));
}

/**
 * One layer's E cache (the hidden states entering that layer) of a context.
 * @param tokens - context length in tokens (≥ 0).
 */
export function eCacheBytes(m: ModelShape, tokens: number): Bytes {
  requireNonNegative('tokens', tokens);
  return bytes(tokens * eBytesPerTokenPerLayer(m));
}

function checkPlan(m: ModelShape, plan: PartialReusePlan): void {
  requireInteger('plan.reusedLayers', plan.reusedLayers, 0, m.layers);
  requireInteger('plan.eCacheLoads', plan.eCacheLoads, 0, m.layers);
}

/**
 * DroidSpeak "send reused": bytes fetched to run a partial reuse = reused layers' KV + the E
 * caches of the recomputed groups' transition layers.
 * @param tokens - context length in tokens (≥ 0).
 * @param plan - reused layers (0…layers) and E-cache loads (0…layers), integers.
 * @throws RangeError for a plan outside the model (a programming error).
 */
export function partialReuseBytes(m: ModelShape, tokens: number, plan: PartialReusePlan): Bytes {
  checkPlan(m, plan);
  return bytes(
    plan.reusedLayers * kvLayerBytes(m, tokens) + plan.eCacheLoads * eCacheBytes(m, tokens),
  );
}

/**
 * DroidSpeak "send all": bytes fetched when every layer's KV is loaded plus the plan's E caches,
 * whatever is then recomputed. Always ≥ {@link partialReuseBytes} for the same plan.
 * @param tokens - context length in tokens (≥ 0).
 * @param plan - only `eCacheLoads` matters here (`reusedLayers` is checked, then ignored).
 */
export function sendAllBytes(m: ModelShape, tokens: number, plan: PartialReusePlan): Bytes {
  checkPlan(m, plan);
  return bytes(m.layers * kvLayerBytes(m, tokens) + plan.eCacheLoads * eCacheBytes(m, tokens));
}

/**
 * Whether a receiver can consume a sender's KV and E caches byte for byte: same layers, KV
 * heads, head dim, hidden size and dtype (DroidSpeak pairs are variants of one base model).
 */
export function cacheLayoutsMatch(a: ModelShape, b: ModelShape): boolean {
  return (
    a.layers === b.layers &&
    a.kvHeads === b.kvHeads &&
    a.headDim === b.headDim &&
    a.hiddenSize === b.hiddenSize &&
    a.dtypeBytes === b.dtypeBytes
  );
}
