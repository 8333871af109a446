/**
 * The scenario schema's model-side sections: base models (built-in ids or custom shapes),
 * variants, DroidSpeak pair profiles, the planner, the KV pool and the GPU. Enumerated words come
 * from the layers that own them (./enums.ts).
 */
import { z } from 'zod';
import { BUILTIN_GPU_IDS } from '../../kv/gpu.ts';
import { BUILTIN_MODEL_IDS, DTYPE_BYTES_ALLOWED } from '../../kv/models.ts';
import { show, tagged } from '../issues.ts';
import { integer, MAX_COUNT, oneOfIntegers, optional, strict } from '../schema-fields.ts';
import { MAX_MODEL_LAYERS, SCENARIO_DEFAULTS } from './defaults.ts';
import {
  EVICTION_POLICIES,
  HOST_MEMORIES,
  PLANNER_POLICIES,
  PLANNER_STRATEGIES,
  WORD_PLACEMENTS,
} from './enums.ts';
import { fraction, id, nearest, positiveCount, unitInterval } from './fields.ts';

/** A built-in model id (a key of BUILTIN_MODELS), with did-you-mean for a near miss. */
export const builtinModelId = z
  .enum(BUILTIN_MODEL_IDS as [string, ...string[]], {
    error: (iss) =>
      tagged(
        'kv.unknown-model',
        `unknown model ${show(iss.input)}${nearest(iss.input, BUILTIN_MODEL_IDS)}built-in models: ${BUILTIN_MODEL_IDS.join(', ')} (or a custom shape: a mapping with \`id\`, \`layers\`, …)`,
      ),
  })
  .describe('a built-in model id');

const MAX_DIM = 1_000_000;
/** A custom model: a `ModelShape` (src/kv/models.ts) with an `id`; `name`, `family`, MoE fields, tying and dtype have defaults. */
export const customModel = strict({
  id: id('model id, used by variants (must not be a built-in id)'),
  name: optional(z.string().min(1).describe('display name; default: the id')),
  family: optional(z.string().min(1).describe('architecture family; default "custom"')),
  layers: integer(1, MAX_MODEL_LAYERS, 'decoder layers (num_hidden_layers)'),
  hiddenSize: integer(1, MAX_DIM, 'residual-stream width (hidden_size)'),
  heads: integer(1, MAX_DIM, 'query heads (num_attention_heads)'),
  kvHeads: integer(
    1,
    MAX_DIM,
    'key/value heads (num_key_value_heads); heads must be a multiple of it',
  ),
  headDim: integer(1, MAX_DIM, 'dimension of one head (head_dim)'),
  intermediateSize: integer(1, MAX_DIM * 10, 'MLP width of one expert (intermediate_size)'),
  vocabSize: integer(1, MAX_DIM * 10, 'vocabulary size (vocab_size)'),
  experts: optional(
    integer(1, 1024, 'MLP experts per layer (num_local_experts); default 1 (dense)'),
  ),
  expertsPerToken: optional(
    integer(1, 1024, 'experts each token is routed to (num_experts_per_tok); default 1'),
  ),
  tieWordEmbeddings: optional(
    z.boolean().describe('whether the LM head shares the embedding matrix; default false'),
  ),
  parameterCount: positiveCount('total parameters, as published (a count, e.g. 13.0e9)'),
  activeParameterCount: optional(
    positiveCount('parameters used per token; default parameterCount (required for MoE models)'),
  ),
  dtypeBytes: optional(
    oneOfIntegers(
      DTYPE_BYTES_ALLOWED as unknown as [number, ...number[]],
      'bytes per weight and cached element: 0.5 (int4), 1 (fp8/int8), 2 (bf16/fp16) or 4 (fp32); default 2',
    ),
  ),
}).meta({
  id: 'custom-model',
  description: 'A custom model shape (fields of ModelShape in src/kv/models.ts).',
});

/** One entry of `models`: a built-in id or a custom shape. */
export const modelEntry = z.union([builtinModelId, customModel], {
  error: (iss) =>
    tagged(
      'input.type',
      `expected a built-in model id (${BUILTIN_MODEL_IDS.join(', ')}) or a custom model mapping, got ${show(iss.input)}`,
    ),
});

/** One entry of `variants`. */
export const variantSchema = strict({
  id: id('variant id (a fine-tuned model), used by profiles'),
  model: id('the base model whose architecture the variant shares: an entry of `models`'),
}).meta({ id: 'variant', description: 'A fine-tuned variant of a base model.' });

const layerIndex = (what: string) => integer(0, MAX_MODEL_LAYERS - 1, what);
const frontierPointSchema = strict({
  groups: z
    .array(
      strict({
        start: layerIndex('first recomputed layer (0-based)'),
        end: layerIndex('last recomputed layer (inclusive)'),
      }),
    )
    .describe('recomputed layers as sorted, non-touching contiguous groups'),
  recomputedLayers: integer(
    0,
    MAX_MODEL_LAYERS,
    'number of recomputed layers (the groups’ sizes added)',
  ),
  eCacheLoads: integer(
    0,
    MAX_MODEL_LAYERS,
    'E-cache loads (= number of groups not starting at layer 0)',
  ),
  qualityLoss: unitInterval('expected quality loss, fraction of the receiver’s own score'),
});

/** A profile's `data`: its shape and ranges; the planner's validatePairProfile checks the rest (./checks.ts). */
export const profileDataSchema = strict({
  layerSensitivity: z
    .array(unitInterval('quality drop when reusing this layer alone'))
    .describe('one quality drop (0..1) per layer: reusing that layer alone from the sender'),
  fullReuseLoss: unitInterval(
    'quality drop when reusing every layer (DroidSpeak Finding 1: > 0.5 for most pairs)',
  ),
  frontier: optional(
    z
      .array(frontierPointSchema)
      .describe(
        'Pareto frontier of recomputed layers vs loss; default: built from the sensitivities',
      ),
  ),
}).meta({ id: 'profile-data', description: 'A measured (or hand-written) pair profile.' });

const syntheticSchema = strict({
  seed: optional(integer(0, 2 ** 32 - 1, 'seed of this profile; default: the scenario seed')),
  criticalFraction: optional(
    unitInterval('expected fraction of critical layers; default 0.11 (DroidSpeak Finding 2)'),
  ),
}).meta({
  id: 'profile-synthetic',
  description: 'A synthetic profile following DroidSpeak’s statistics.',
});

/** One entry of `profiles`. */
export const profileSchema = strict({
  receiver: id('the variant that reuses the cache'),
  sender: id('the variant whose prefix KV cache is reused'),
  synthetic: optional(syntheticSchema),
  data: optional(profileDataSchema),
}).meta({
  id: 'profile',
  description: 'A (receiver ← sender) pair profile: `synthetic` or `data`, exactly one.',
});

/** `pool.placement`: a word or a one-key mapping, resolved to the kv layer's PlacementPolicy. */
export const placementSchema = z
  .union(
    [
      z
        .enum(WORD_PLACEMENTS)
        .describe(
          'local: the host’s own memory; stripe: striped over every device the host reaches',
        ),
      strict({ spread: integer(1, MAX_COUNT, 'devices each object is spread over') }),
      strict({ replicas: integer(1, MAX_COUNT, 'copies of each object') }),
      strict({
        'host-memory': z
          .enum(HOST_MEMORIES)
          .describe('keep caches in hosts’ DRAM or GPU memory (no CXL tier)'),
      }),
    ],
    {
      error: (iss) =>
        tagged(
          'input.type',
          `expected local, stripe, { spread: <devices> }, { replicas: <count> } or { host-memory: dram | gpu }, got ${show(iss.input)}`,
        ),
    },
  )
  .describe('placement of cached objects; default stripe');

/** The `planner` section. */
export const plannerSchema = strict({
  policy: optional(
    z.enum(PLANNER_POLICIES).describe('how the planner decides; default fabric-aware'),
  ),
  strategy: optional(z.enum(PLANNER_STRATEGIES).describe('how a partial reuse runs; default best')),
}).meta({ id: 'planner' });

/** The `pool` section (src/kv/pool.ts). */
export const poolSchema = strict({
  placement: optional(placementSchema),
  eviction: optional(z.enum(EVICTION_POLICIES).describe('eviction order; default lru')),
  hostDramFraction: optional(
    fraction('share of each host’s DRAM the pool may use (RDMA fabrics); default 0.5'),
  ),
  gpuCacheFraction: optional(
    fraction(
      'share of each GPU’s HBM for the pool’s cached KV under placement host-memory: gpu (taken from the replicas’ KV space); default 0.3',
    ),
  ),
  storeOnFullPrefill: optional(
    z
      .boolean()
      .describe(
        'whether a request served by a full prefill writes its KV to the pool; default false under policy full-prefill (the baseline carries no cache traffic), true otherwise',
      ),
  ),
}).meta({ id: 'pool' });

/** `gpu`: a built-in GPU id. */
export const gpuSchema = z
  .enum(BUILTIN_GPU_IDS as [string, ...string[]], {
    error: (iss) =>
      tagged(
        'kv.unknown-gpu',
        `unknown GPU ${show(iss.input)}${nearest(iss.input, BUILTIN_GPU_IDS)}built-in GPUs: ${BUILTIN_GPU_IDS.join(', ')}`,
      ),
  })
  .describe('GPU model of every replica; default a100-80gb');

/** A custom model entry as the schema reads it. */
export type CustomModel = z.output<typeof customModel>;

/** A custom entry with its defaults filled in, as a `ModelShape` candidate (id removed). */
export function fillCustom(m: CustomModel): Record<string, unknown> {
  const { id: modelId, ...rest } = m;
  return {
    ...SCENARIO_DEFAULTS.customModel,
    name: modelId,
    ...rest,
    activeParameterCount: m.activeParameterCount ?? m.parameterCount,
  };
}
