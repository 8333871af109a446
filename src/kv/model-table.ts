/**
 * The built-in model shapes, one frozen table (docs/design.md convention §9): each copied from
 * the model's published `config.json` on Hugging Face and checked against docs/references.md §3
 * "Model shapes". A data table, kept whole so every figure and its source read in one place;
 * src/kv/models.ts re-exports it.
 */
import { lookupById, nameTable } from './lookup.ts';
import type { ModelShape } from './model-shape.ts';

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
 * Built-in model shapes keyed by a stable lowercase id (a table without prototype). Frozen; add a model here (with its
 * config.json source) rather than anywhere else.
 */
export const BUILTIN_MODELS: Readonly<Record<string, ModelShape>> = nameTable({
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
