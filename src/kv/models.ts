/**
 * LLM model shapes and the sizes of their KV and E caches (docs/references.md §3, DroidSpeak). A
 * {@link ModelShape} is the resolved, read-only description of one decoder-only transformer;
 * the built-in shapes below are copied from each model's published `config.json` on Hugging
 * Face and checked against docs/references.md's "Model shapes" table, in one frozen place
 * (docs/design.md convention §9). Custom shapes from scenario files go through {@link validateModelShape}, which
 * collects every problem with its path and never throws for bad data (docs/design.md convention §4).
 *
 * Cache sizes follow docs/references.md §3: per token, KV bytes = 2 × layers × kvHeads × headDim ×
 * dtypeBytes; one layer's E cache (the hidden state entering the layer) = hiddenSize ×
 * dtypeBytes per token. The DroidSpeak "send all" and "send reused" strategies are priced by
 * {@link sendAllBytes} and {@link partialReuseBytes}.
 */
import type { Issue } from '../errors/index.ts';
import { InputError } from '../errors/index.ts';
import { bytes, type Bytes } from '../units/index.ts';
import { closest } from '../errors/suggest.ts';
import { lookupById } from './lookup.ts';

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
// Built-in shapes. Sources: each model's published config.json on Hugging Face (the repository
// is named per entry) and docs/references.md §3 "Model shapes"; parameter counts are the published
// totals (model cards / safetensors metadata). All are bf16 checkpoints: dtypeBytes = 2.
// ---------------------------------------------------------------------------------------------

/** Shared config of the Llama-3 / Llama-3.1 8B checkpoints (meta-llama/Meta-Llama-3-8B, Llama-3.1-8B). */
const LLAMA3_8B = {
  family: 'llama-3',
  layers: 32,
  hiddenSize: 4096,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  intermediateSize: 14336,
  vocabSize: 128256,
  experts: 1,
  expertsPerToken: 1,
  tieWordEmbeddings: false,
  parameterCount: 8.03e9, // model card: 8.03 B
  activeParameterCount: 8.03e9,
  dtypeBytes: 2,
} as const;

/** Shared config of the Llama-3 / Llama-3.1 70B checkpoints (meta-llama/Meta-Llama-3-70B, Llama-3.1-70B). */
const LLAMA3_70B = {
  family: 'llama-3',
  layers: 80,
  hiddenSize: 8192,
  heads: 64,
  kvHeads: 8,
  headDim: 128,
  intermediateSize: 28672,
  vocabSize: 128256,
  experts: 1,
  expertsPerToken: 1,
  tieWordEmbeddings: false,
  parameterCount: 70.6e9, // model card: 70.6 B
  activeParameterCount: 70.6e9,
  dtypeBytes: 2,
} as const;

/** Mistral-7B-v0.1 (mistralai/Mistral-7B-v0.1), the base of the DroidSpeak Mistral LoRA pairs and of MistralLite. */
const MISTRAL_7B = {
  family: 'mistral',
  layers: 32,
  hiddenSize: 4096,
  heads: 32,
  kvHeads: 8,
  headDim: 128,
  intermediateSize: 14336,
  vocabSize: 32000,
  experts: 1,
  expertsPerToken: 1,
  tieWordEmbeddings: false,
  parameterCount: 7.24e9, // model card: 7.24 B
  activeParameterCount: 7.24e9,
  dtypeBytes: 2,
} as const;

/**
 * Built-in model shapes keyed by a stable lowercase id. Frozen; add a model here (with its
 * config.json source) rather than anywhere else.
 */
export const BUILTIN_MODELS: Readonly<Record<string, ModelShape>> = Object.freeze({
  'llama-3-8b': Object.freeze({ name: 'Llama-3-8B', ...LLAMA3_8B }),
  'llama-3.1-8b': Object.freeze({ name: 'Llama-3.1-8B', ...LLAMA3_8B }),
  'mistral-7b': Object.freeze({ name: 'Mistral-7B', ...MISTRAL_7B }),
  // amazon/MistralLite: Mistral-7B-v0.1 fine-tuned for 32 K context; config.json adds 3 tokens
  // (vocab_size 32003) and changes only rope_theta and the sliding window.
  mistrallite: Object.freeze({ name: 'MistralLite', ...MISTRAL_7B, vocabSize: 32003 }),
  // mistralai/Mixtral-8x7B-v0.1: 8 experts, top-2 routing. Totals from Mistral AI's
  // "Mixtral of experts" announcement: 46.7 B total, 12.9 B used per token.
  'mixtral-8x7b': Object.freeze({
    name: 'Mixtral-8x7B',
    ...MISTRAL_7B,
    family: 'mixtral',
    experts: 8,
    expertsPerToken: 2,
    parameterCount: 46.7e9,
    activeParameterCount: 12.9e9,
  }),
  // mistralai/Mistral-Small-24B-Base-2501: head_dim 128 × 32 heads = 4096 ≠ hidden 5120.
  'mistral-small-24b': Object.freeze({
    name: 'Mistral-Small-24B',
    family: 'mistral',
    layers: 40,
    hiddenSize: 5120,
    heads: 32,
    kvHeads: 8,
    headDim: 128,
    intermediateSize: 32768,
    vocabSize: 131072,
    experts: 1,
    expertsPerToken: 1,
    tieWordEmbeddings: false,
    parameterCount: 23.6e9, // Hugging Face safetensors metadata: 23.6 B (marketed as "24B")
    activeParameterCount: 23.6e9,
    dtypeBytes: 2,
  }),
  // microsoft/Phi-3.5-mini-instruct: full multi-head attention (kv heads = heads), fused qkv and
  // gate_up projections (same parameter count as separate ones).
  'phi-3.5-mini': Object.freeze({
    name: 'Phi-3.5-mini',
    family: 'phi-3',
    layers: 32,
    hiddenSize: 3072,
    heads: 32,
    kvHeads: 32,
    headDim: 96,
    intermediateSize: 8192,
    vocabSize: 32064,
    experts: 1,
    expertsPerToken: 1,
    tieWordEmbeddings: false,
    parameterCount: 3.82e9, // model card: 3.8 B; safetensors metadata 3.82 B
    activeParameterCount: 3.82e9,
    dtypeBytes: 2,
  }),
  'llama-3-70b': Object.freeze({ name: 'Llama-3-70B', ...LLAMA3_70B }),
  'llama-3.1-70b': Object.freeze({ name: 'Llama-3.1-70B', ...LLAMA3_70B }),
});

/** Ids of the built-in models, in table order. */
export const BUILTIN_MODEL_IDS: readonly string[] = Object.freeze(Object.keys(BUILTIN_MODELS));

/**
 * The built-in model with this id (case-insensitive).
 * @param id - e.g. `llama-3.1-8b`, `mistral-7b`; see {@link BUILTIN_MODEL_IDS}.
 * @param path - where the id came from in user input, for the error (default: none).
 * @throws InputError (`kv.unknown-model`) naming the closest id and listing all ids.
 * @example getModel('llama-3.1-8b').layers // 32
 */
export function getModel(id: string, path: readonly (string | number)[] = []): ModelShape {
  return lookupById(BUILTIN_MODELS, id, 'model', 'kv.unknown-model', path);
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

// ---------------------------------------------------------------------------------------------
// Validation of custom shapes (scenario files).
// ---------------------------------------------------------------------------------------------

/** Integer fields of a {@link ModelShape}, each ≥ 1. */
const INTEGER_FIELDS = [
  'layers',
  'hiddenSize',
  'heads',
  'kvHeads',
  'headDim',
  'intermediateSize',
  'vocabSize',
  'experts',
  'expertsPerToken',
] as const;

/** Element sizes accepted for `dtypeBytes`: int4 (0.5), fp8/int8 (1), bf16/fp16 (2), fp32 (4). */
export const DTYPE_BYTES_ALLOWED: readonly number[] = Object.freeze([0.5, 1, 2, 4]);

/**
 * How far the shape-derived parameter count may stray from the declared `parameterCount`
 * before validation flags it (fraction). The built-ins agree within ≈ 1 %; biases, extra
 * norms or vision towers in custom models justify some slack. *(estimate)*
 */
export const PARAMETER_COUNT_TOLERANCE = 0.1;

const ALL_FIELDS: readonly string[] = Object.freeze([
  'name',
  'family',
  ...INTEGER_FIELDS,
  'tieWordEmbeddings',
  'parameterCount',
  'activeParameterCount',
  'dtypeBytes',
]);

/**
 * Checks a candidate model shape (e.g. a custom model from a scenario file, already turned into
 * a {@link ModelShape}-like object) and returns every problem, each with a code and a path under
 * `path`; `[]` means the value is a valid {@link ModelShape}. Never throws for bad data.
 *
 * Codes: `input.type` (not an object / wrong type), `input.required`, `input.integer`,
 * `input.range`, `input.unknown-key`, `model.kv-heads` (heads not a multiple of kvHeads),
 * `model.experts` (expertsPerToken > experts), `model.parameter-count` (declared counts
 * inconsistent with each other or with the shape). `headDim × heads` is *not* required to equal
 * `hiddenSize` (Mistral-Small-24B: 128 × 32 = 4096 ≠ 5120).
 * @param path - path of the shape inside the input, e.g. `['models', 'my-model']`.
 */
export function validateModelShape(raw: unknown, path: readonly (string | number)[] = []): Issue[] {
  const issues: Issue[] = [];
  const at = (key: string): (string | number)[] => [...path, key];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [
      {
        code: 'input.type',
        path,
        message: `expected a model shape object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}`,
      },
    ];
  }
  const obj = raw as Record<string, unknown>;

  for (const key of Object.keys(obj)) {
    if (!ALL_FIELDS.includes(key)) {
      const near = closest(key, ALL_FIELDS);
      issues.push({
        code: 'input.unknown-key',
        path: at(key),
        message: `unknown key "${key}"${near === undefined ? '' : `; did you mean "${near}"?`}`,
      });
    }
  }

  for (const key of ['name', 'family'] as const) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (a non-empty string)`,
      });
    else if (typeof v !== 'string' || v.trim() === '')
      issues.push({
        code: 'input.type',
        path: at(key),
        message: `${key} must be a non-empty string`,
      });
  }

  const ints: Partial<Record<(typeof INTEGER_FIELDS)[number], number>> = {};
  for (const key of INTEGER_FIELDS) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (an integer ≥ 1)`,
      });
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      issues.push({
        code: 'input.integer',
        path: at(key),
        message: `${key} must be an integer ≥ 1, got ${String(v)}`,
      });
    } else ints[key] = v;
  }

  const tie = obj['tieWordEmbeddings'];
  if (tie === undefined)
    issues.push({
      code: 'input.required',
      path: at('tieWordEmbeddings'),
      message: 'tieWordEmbeddings is required (true or false)',
    });
  else if (typeof tie !== 'boolean')
    issues.push({
      code: 'input.type',
      path: at('tieWordEmbeddings'),
      message: `tieWordEmbeddings must be true or false, got ${String(tie)}`,
    });

  const dtype = obj['dtypeBytes'];
  if (dtype === undefined)
    issues.push({
      code: 'input.required',
      path: at('dtypeBytes'),
      message: `dtypeBytes is required (one of ${DTYPE_BYTES_ALLOWED.join(', ')})`,
    });
  else if (typeof dtype !== 'number' || !DTYPE_BYTES_ALLOWED.includes(dtype)) {
    issues.push({
      code: 'input.range',
      path: at('dtypeBytes'),
      message: `dtypeBytes must be one of ${DTYPE_BYTES_ALLOWED.join(', ')}, got ${String(dtype)}`,
    });
  }

  const counts: Partial<Record<'parameterCount' | 'activeParameterCount', number>> = {};
  for (const key of ['parameterCount', 'activeParameterCount'] as const) {
    const v = obj[key];
    if (v === undefined)
      issues.push({
        code: 'input.required',
        path: at(key),
        message: `${key} is required (a positive count)`,
      });
    else if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      issues.push({
        code: 'input.range',
        path: at(key),
        message: `${key} must be a positive number, got ${String(v)}`,
      });
    } else counts[key] = v;
  }

  if (ints.heads !== undefined && ints.kvHeads !== undefined && ints.heads % ints.kvHeads !== 0) {
    issues.push({
      code: 'model.kv-heads',
      path: at('kvHeads'),
      message: `heads (${ints.heads}) must be a multiple of kvHeads (${ints.kvHeads})`,
    });
  }
  if (
    ints.experts !== undefined &&
    ints.expertsPerToken !== undefined &&
    ints.expertsPerToken > ints.experts
  ) {
    issues.push({
      code: 'model.experts',
      path: at('expertsPerToken'),
      message: `expertsPerToken (${ints.expertsPerToken}) must be ≤ experts (${ints.experts})`,
    });
  }
  if (counts.parameterCount !== undefined && counts.activeParameterCount !== undefined) {
    if (counts.activeParameterCount > counts.parameterCount) {
      issues.push({
        code: 'model.parameter-count',
        path: at('activeParameterCount'),
        message: `activeParameterCount (${counts.activeParameterCount}) must be ≤ parameterCount (${counts.parameterCount})`,
      });
    } else if (ints.experts === 1 && counts.activeParameterCount !== counts.parameterCount) {
      issues.push({
        code: 'model.parameter-count',
        path: at('activeParameterCount'),
        message: `a dense model (experts = 1) uses every parameter: activeParameterCount must equal parameterCount (${counts.parameterCount})`,
      });
    }
  }

  // Declared total vs the shape's own count, only when everything it needs is valid.
  if (issues.length === 0) {
    const shape = obj as unknown as ModelShape;
    const derived = shapeParameterCount(shape, 'total');
    const declared = shape.parameterCount;
    if (Math.abs(derived - declared) > PARAMETER_COUNT_TOLERANCE * declared) {
      issues.push({
        code: 'model.parameter-count',
        path: at('parameterCount'),
        message: `parameterCount ${declared.toExponential(3)} is more than ${PARAMETER_COUNT_TOLERANCE * 100} % away from the ${derived.toExponential(3)} the shape implies`,
      });
    }
  }
  return issues;
}

/**
 * Validates a candidate shape and returns it as a frozen {@link ModelShape}.
 * @param path - path of the shape inside the input, for the issues.
 * @param file - the file the shape came from, for the error message.
 * @throws InputError carrying every issue {@link validateModelShape} found.
 */
export function toModelShape(
  raw: unknown,
  path: readonly (string | number)[] = [],
  file?: string,
): ModelShape {
  const issues = validateModelShape(raw, path);
  if (issues.length > 0) throw new InputError(issues, file);
  const r = raw as ModelShape;
  return Object.freeze({
    name: r.name,
    family: r.family,
    layers: r.layers,
    hiddenSize: r.hiddenSize,
    heads: r.heads,
    kvHeads: r.kvHeads,
    headDim: r.headDim,
    intermediateSize: r.intermediateSize,
    vocabSize: r.vocabSize,
    experts: r.experts,
    expertsPerToken: r.expertsPerToken,
    tieWordEmbeddings: r.tieWordEmbeddings,
    parameterCount: r.parameterCount,
    activeParameterCount: r.activeParameterCount,
    dtypeBytes: r.dtypeBytes,
  });
}
