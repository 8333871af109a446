/**
 * Scenario files: what is served and how it is asked for. YAML or JSON in, a resolved, read-only
 * {@link Scenario} out — or an {@link InputError} naming the file and listing **every** problem,
 * each with a path into the file (docs/design.md convention §3–5). The format is documented in
 * docs/scenario-files.md; in short:
 *
 * ```yaml
 * name: droidspeak-8b              # optional; default: the file name without extension
 * seed: 1                          # drives every synthetic profile and the workload
 * gpu: a100-80gb                   # a BUILTIN_GPUS id
 * tensorParallel: 1                # GPUs per replica: 1, 2, 4 or 8
 * models: [llama-3.1-8b, { id: my-13b, layers: 40, … }]   # built-in ids or custom shapes
 * variants: [{ id: evolcode, model: llama-3.1-8b }, { id: toolace, model: llama-3.1-8b }]
 * profiles:                        # receiver ← sender
 *   - { receiver: evolcode, sender: toolace, synthetic: {} }
 *   - { receiver: toolace, sender: evolcode, data: { layerSensitivity: […], fullReuseLoss: 0.6 } }
 * qualityBudget: 5 %               # or 0.05
 * planner: { policy: fabric-aware, strategy: best }
 * pool: { placement: stripe, eviction: lru, hostDramFraction: 0.5, gpuCacheFraction: 0.3 }
 * serving: { replicas: [{ variant: evolcode, count: 8 }], routing: round-robin, maxBatch: 64 }
 * workload:
 *   arrival: { poisson: "4 /s" }   # or { bursts: { rate, size } } or { trace: arrivals.csv }
 *   requests: 2000                 # and/or duration: "10 min"
 *   contexts: { count: 200, length: hotpotqa }
 *   popularity: { zipf: 1.0 }
 *   variants: { evolcode: 1 }
 *   crossVariantShare: 50 %
 *   suffixTokens: 64
 *   output: { fixed: 128 }
 * slo: { ttft: "3 s", e2e: "30 s" }
 * ```
 *
 * Loading runs in two stages. First YAML syntax (→ InputError with line and column). Then, all
 * reported together in one InputError: the zod schema (types, ranges, unknown keys with
 * did-you-mean, unit, rate and percentage strings), cross-references checked on the raw data
 * (model and variant ids, base models of each pair, duplicates, served variants), the semantic
 * checks of the kv/, planner/ and sim/ layers on entries that passed the schema
 * ({@link validateModelShape} under `models[i]`, {@link validatePairProfile} under
 * `profiles[i].data`, {@link validateWorkload} under `workload`), an arrival trace file (read
 * here, relative to the scenario file; bad lines reported with their line numbers), and whether
 * each model's weights fit `tensorParallel` GPUs. Only then is the scenario resolved: defaults
 * from {@link SCENARIO_DEFAULTS}, synthetic profiles generated, missing frontiers built — so
 * nothing downstream re-checks or defaults. A resolved Scenario is a {@link SimConfig}.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GeneratorError, InputError, UnitError, type Issue } from '../errors/index.ts';
import { BUILTIN_GPU_IDS, BUILTIN_GPUS, type GpuProfile } from '../kv/gpu.ts';
import { minTensorParallel } from '../kv/compute.ts';
import {
  BUILTIN_MODEL_IDS,
  BUILTIN_MODELS,
  DTYPE_BYTES_ALLOWED,
  validateModelShape,
  type ModelShape,
} from '../kv/models.ts';
import type { EvictionPolicy, PlacementPolicy, PoolConfig } from '../kv/pool.ts';
import {
  buildFrontier,
  PROFILE_DEFAULTS,
  syntheticProfile,
  validatePairProfile,
  type FrontierPoint,
  type PairProfile,
} from '../planner/profiles.ts';
import type { ServingSpec, SimConfig } from '../sim/engine.ts';
import {
  LONGBENCH_PRESETS,
  validateWorkload,
  type ArrivalSpec,
  type LengthSpec,
  type LongBenchDataset,
  type OutputSpec,
  type PopularitySpec,
  type WorkloadSpec,
} from '../sim/workload.ts';
import { parseTime } from '../units/index.ts';
import { closest, fromZodIssues, show, suggestion, tagged } from './issues.ts';
import { byPathIn, isRecord, listBundled, readFileOrPreset, readYaml, stem } from './files.ts';
import { integer, MAX_COUNT, oneOfIntegers, optional, strict, unitString } from './schema.ts';

// ---------------------------------------------------------------------------------------------
// Resolved types
// ---------------------------------------------------------------------------------------------

// The pool settings are the kv layer's own types (src/kv/pool.ts), re-exported for io's users.
export type { EvictionPolicy, PlacementPolicy, PoolConfig };

/** How the reuse planner decides per request (full prefill, exact reuse or partial reuse). */
export const PLANNER_POLICIES = [
  'fabric-aware',
  'droidspeak',
  'exact-only',
  'full-prefill',
] as const;
/** How a partial reuse is run (docs/references.md §3: send all, send reused, pipelined), or `best` of them. */
export const PLANNER_STRATEGIES = ['send-all', 'send-reused', 'pipelined', 'best'] as const;
/** A planner policy name. */
export type PlannerPolicy = (typeof PLANNER_POLICIES)[number];
/** A partial-reuse strategy name. */
export type PlannerStrategy = (typeof PLANNER_STRATEGIES)[number];

/** A fine-tuned variant: its id and the base model (a key of {@link Scenario.models}) it shares a KV layout with. */
export interface Variant {
  readonly id: string;
  readonly model: string;
}

/** How requests are routed among a variant's replicas (src/sim/engine.ts). */
export const ROUTING_POLICIES = [
  'round-robin',
  'least-loaded',
  'cache-aware',
] as const satisfies readonly ServingSpec['routing'][];

/** The LongBench context-length presets a workload may name (docs/references.md §3; src/sim/workload.ts). */
export const LONGBENCH_DATASETS = Object.keys(LONGBENCH_PRESETS) as LongBenchDataset[];

/**
 * A resolved scenario: read-only, every default filled in, every unit resolved. It is a
 * {@link SimConfig} (the `extends` makes the compiler prove it), plus a description.
 */
export interface Scenario extends SimConfig {
  readonly name: string;
  readonly description: string;
  /** Seed of every synthetic profile and of the workload; integer. */
  readonly seed: number;
  readonly gpu: GpuProfile;
  /** GPUs per replica (1, 2, 4 or 8). */
  readonly tensorParallel: number;
  /** Base models by id (built-in ids or the file's custom ids). */
  readonly models: Readonly<Record<string, ModelShape>>;
  /** Variants in file order. */
  readonly variants: readonly Variant[];
  /** Pair profiles in file order; `receiver`/`sender` are variant ids; every frontier is filled. */
  readonly profiles: readonly PairProfile[];
  /** Largest expected quality loss of a partial reuse, fraction 0..1. */
  readonly qualityBudget: number;
  readonly planner: { readonly policy: PlannerPolicy; readonly strategy: PlannerStrategy };
  /** KV-pool settings (src/kv/pool.ts). */
  readonly pool: PoolConfig;
  /** Replicas per variant (file order; default one per variant), routing and decode batch cap. */
  readonly serving: ServingSpec;
  /** The request stream (src/sim/workload.ts); times in ns, rates per second. Trace arrivals are read from their file. */
  readonly workload: WorkloadSpec;
  /** Latency targets: time to first token and end-to-end, in ns. */
  readonly slo: { readonly ttftNs: number; readonly e2eNs: number };
}

// ---------------------------------------------------------------------------------------------
// Defaults (docs/design.md convention §9)
// ---------------------------------------------------------------------------------------------

/**
 * Every default of a scenario file, in the file's own terms, with its source (docs/references.md §3
 * for the DroidSpeak figures). *(estimate)* marks podsim's own choices.
 */
export const SCENARIO_DEFAULTS = Object.freeze({
  /** Seed of synthetic profiles. */
  seed: 1,
  /** DroidSpeak's testbed GPU: 2 VMs × 8 A100-80GB (docs/references.md §3, "Testbed"). */
  gpu: 'a100-80gb',
  /** One GPU per replica: an 8B model fits one A100-80GB (the paper's Llama-3.1-8B runs on one A100, docs/references.md §3). */
  tensorParallel: 1,
  /** DroidSpeak's quality target: "within 5 % of the receiver's own" (docs/references.md §3, "Profiling"); the planner's own default. */
  qualityBudget: PROFILE_DEFAULTS.qualityBudget,
  planner: Object.freeze({
    /** podsim's planner: DroidSpeak's choice, with the recompute range adapted to the fabric's bandwidth (docs/references.md §3, "Online choice": future work in the paper). */
    policy: 'fabric-aware' as PlannerPolicy,
    /** Price all three ways of running a partial reuse and take the fastest (docs/references.md §3). */
    strategy: 'best' as PlannerStrategy,
  }),
  pool: Object.freeze({
    /** Stripe each object over the devices its host reaches (bandwidth of all its CXL links). */
    placement: 'stripe' as const,
    /** Least recently used first. */
    eviction: 'lru' as EvictionPolicy,
    /** Half of each host's DRAM for the pool on RDMA fabrics *(estimate)*. */
    hostDramFraction: 0.5,
    /** 30 % of each GPU's HBM for cached KV when caches live in GPU memory (where DroidSpeak's testbed keeps them, docs/references.md §3) *(estimate)*. */
    gpuCacheFraction: 0.3,
  }),
  serving: Object.freeze({
    /** One replica per variant when `serving.replicas` is absent (a scenario used only by `podsim explain` needs no more). */
    replicasPerVariant: 1,
    /** Round-robin over a variant's replicas, as in DroidSpeak's testbed (docs/references.md §3, "Testbed"). */
    routing: 'round-robin' as ServingSpec['routing'],
    /** Decode batch cap per replica *(estimate)*: below vLLM's 256-sequence default, since long-context KV fills HBM first. */
    maxBatch: 64,
  }),
  /** The workload when the file has no `workload` section, in the file's own terms. All *(estimates)* except where a source is named. */
  workload: Object.freeze({
    /** Poisson arrivals, as in DroidSpeak's evaluation (docs/references.md §3, "Testbed"); the rate is an estimate. */
    arrival: Object.freeze({ poisson: '2 /s' }),
    /** Requests of a run *(estimate)*; only when the file has no `workload` (a written workload sets `requests` or `duration`). */
    requests: 1000,
    contexts: Object.freeze({
      /** Shared contexts *(estimate)*; hotpotQA has 300 (docs/references.md §3). */
      count: 100,
      /** hotpotQA lengths, DroidSpeak's main data set (docs/references.md §3, "Context lengths"). */
      length: 'hotpotqa' as LongBenchDataset,
    }),
    /** Zipf popularity with exponent 1 *(estimate)*. */
    popularity: Object.freeze({ zipf: 1.0 }),
    /** Half the requests for a context come from another variant *(estimate)*; 0 when fewer than two variants receive requests. */
    crossVariantShare: 0.5,
    /** New prompt tokens after the shared context *(estimate)*. */
    suffixTokens: 64,
    /** Decoded tokens per request *(estimate)*. */
    output: Object.freeze({ fixed: 128 }),
  }),
  slo: Object.freeze({
    /** DroidSpeak's TTFT SLO for Llama-3-8B (docs/references.md §3, "Motivating numbers"). */
    ttft: '3 s',
    /** End-to-end target *(estimate)*: 128 output tokens decode in seconds, so 60 s flags only stuck requests. */
    e2e: '60 s',
  }),
  /** Fields a custom model may leave out (its `name` defaults to its id; `activeParameterCount` to `parameterCount` when dense). */
  customModel: Object.freeze({
    /** Free text; only for display. */
    family: 'custom',
    /** Dense model. */
    experts: 1,
    expertsPerToken: 1,
    /** Separate LM head, as in every built-in model. */
    tieWordEmbeddings: false,
    /** bf16 weights and caches, as in every built-in model (src/kv/models.ts). */
    dtypeBytes: 2,
  }),
});

/**
 * Most layers a custom model may have. Llama-3.1-405B has 126; the bound keeps profile building
 * (O(layers³)) fast for any file.
 */
export const MAX_MODEL_LAYERS = 256;

// ---------------------------------------------------------------------------------------------
// Schema
// ---------------------------------------------------------------------------------------------

const id = (what: string) => z.string().min(1).describe(what);

/** A percentage: a number, optional spaces, `%` (`"5 %"`, `"12.5%"`). */
const PERCENT = /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*%\s*$/;

/** A share in [0, 1]: a plain number (`0.05`) or a percentage string (`"5 %"`). */
function fraction(description: string) {
  const wanted = 'a fraction between 0 and 1 (such as 0.05) or a percentage (such as "5 %")';
  const range = (iss: { input?: unknown }): string =>
    tagged('input.range', `expected ${wanted}, got ${show(iss.input)}`);
  const number = z
    .number({ error: (iss) => tagged('input.type', `expected ${wanted}, got ${show(iss.input)}`) })
    .min(0, { error: range })
    .max(1, { error: range });
  const percent = z
    .string()
    .regex(PERCENT, {
      error: (iss) => tagged('unit.invalid', `cannot read ${show(iss.input)}; expected ${wanted}`),
    })
    .meta({ examples: ['5 %'] })
    .transform((text, ctx): number => {
      const value = Number(PERCENT.exec(text)?.[1]) / 100;
      if (!(value >= 0 && value <= 1)) {
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: tagged('input.range', `${show(text)} is outside 0 %…100 %; expected ${wanted}`),
        });
        return z.NEVER;
      }
      return value;
    });
  return z
    .union([number, percent], {
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', `required: expected ${wanted}`)
          : tagged('input.type', `expected ${wanted}, got ${show(iss.input)}`),
    })
    .describe(description);
}

/** A number in [0, 1] (profile data: sensitivities and losses are plain numbers, as validatePairProfile reads them). */
const unitInterval = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a number between 0 and 1')
          : tagged('input.type', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .min(0, {
      error: (iss) =>
        tagged('input.range', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .max(1, {
      error: (iss) =>
        tagged('input.range', `expected a number between 0 and 1, got ${show(iss.input)}`),
    })
    .describe(description);

const positiveCount = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a positive number')
          : tagged('input.type', `expected a positive number, got ${show(iss.input)}`),
    })
    .positive({
      error: (iss) => tagged('input.range', `expected a positive number, got ${show(iss.input)}`),
    })
    .max(Number.MAX_SAFE_INTEGER, {
      error: (iss) => tagged('input.range', `expected a finite number, got ${show(iss.input)}`),
    })
    .describe(description);

/** `; did you mean "x"? ` or `; ` — followed by the full list. */
const nearest = (input: unknown, allowed: readonly string[]): string => {
  const near = typeof input === 'string' ? closest(input, allowed) : undefined;
  return near === undefined ? '; ' : `; did you mean "${near}"? `;
};

const builtinModelId = z
  .enum(BUILTIN_MODEL_IDS as [string, ...string[]], {
    error: (iss) =>
      tagged(
        'kv.unknown-model',
        `unknown model ${show(iss.input)}${nearest(iss.input, BUILTIN_MODEL_IDS)}built-in models: ${BUILTIN_MODEL_IDS.join(', ')} (or a custom shape: a mapping with \`id\`, \`layers\`, …)`,
      ),
  })
  .describe('a built-in model id');

const MAX_DIM = 1_000_000;
/** A custom model: a {@link ModelShape} with an `id`; `name`, `family`, MoE fields, tying and dtype have defaults. */
const customModel = strict({
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

const modelEntry = z.union([builtinModelId, customModel], {
  error: (iss) =>
    tagged(
      'input.type',
      `expected a built-in model id (${BUILTIN_MODEL_IDS.join(', ')}) or a custom model mapping, got ${show(iss.input)}`,
    ),
});

const variantSchema = strict({
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
  eCacheLoads: integer(0, MAX_MODEL_LAYERS, 'E-cache loads (= number of groups)'),
  qualityLoss: unitInterval('expected quality loss, fraction of the receiver’s own score'),
});

const profileDataSchema = strict({
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

const profileSchema = strict({
  receiver: id('the variant that reuses the cache'),
  sender: id('the variant whose prefix KV cache is reused'),
  synthetic: optional(syntheticSchema),
  data: optional(profileDataSchema),
}).meta({
  id: 'profile',
  description: 'A (receiver ← sender) pair profile: `synthetic` or `data`, exactly one.',
});

const placementSchema = z
  .union(
    [
      z
        .enum(['local', 'stripe'])
        .describe(
          'local: the host’s own memory; stripe: striped over every device the host reaches',
        ),
      strict({ spread: integer(1, MAX_COUNT, 'devices each object is spread over') }),
      strict({ replicas: integer(1, MAX_COUNT, 'copies of each object') }),
      strict({
        'host-memory': z
          .enum(['dram', 'gpu'])
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

const plannerSchema = strict({
  policy: optional(
    z.enum(PLANNER_POLICIES).describe('how the planner decides; default fabric-aware'),
  ),
  strategy: optional(z.enum(PLANNER_STRATEGIES).describe('how a partial reuse runs; default best')),
}).meta({ id: 'planner' });

const poolSchema = strict({
  placement: optional(placementSchema),
  eviction: optional(z.enum(['lru', 'gdsf']).describe('eviction order; default lru')),
  hostDramFraction: optional(
    fraction('share of each host’s DRAM the pool may use (RDMA fabrics); default 0.5'),
  ),
  gpuCacheFraction: optional(
    fraction('share of each GPU’s HBM for cached KV (GPU-memory placement); default 0.3'),
  ),
}).meta({ id: 'pool' });

const gpuSchema = z
  .enum(BUILTIN_GPU_IDS as [string, ...string[]], {
    error: (iss) =>
      tagged(
        'kv.unknown-gpu',
        `unknown GPU ${show(iss.input)}${nearest(iss.input, BUILTIN_GPU_IDS)}built-in GPUs: ${BUILTIN_GPU_IDS.join(', ')}`,
      ),
  })
  .describe('GPU model of every replica; default a100-80gb');

// ---- rates -----------------------------------------------------------------------------------

/** A request rate: a number, then `/` or `per`, then a time unit (`"4 /s"`, `"240/min"`, `"2 requests per second"`). */
const RATE =
  /^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:(?:req|reqs|requests?)\s*)?(?:\/|per\s)\s*(s|secs?|seconds?|min|mins|minutes?|h|hrs?|hours?)\s*$/i;
const RATE_EXPECTED = 'expected a request rate such as "4 /s", "240 /min" or "2 per second"';

/** Reads a rate, or says why not (code and message). */
function readRate(text: string): { value: number } | { code: string; message: string } {
  const m = RATE.exec(text);
  if (m === null) {
    const why = /^\s*[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?\s*$/.test(text)
      ? `"${text}" has no unit`
      : `cannot read "${text}" as a request rate`;
    return { code: 'unit.invalid', message: `${why}; ${RATE_EXPECTED}` };
  }
  const unit = (m[2] ?? 's').toLowerCase();
  const perSecond = Number(m[1]) / (unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1);
  if (!Number.isFinite(perSecond))
    return { code: 'input.range', message: `"${text}" is not finite; ${RATE_EXPECTED}` };
  if (!(perSecond > 0))
    return {
      code: 'input.range',
      message: `"${text}" must be more than zero requests per unit of time`,
    };
  return { value: perSecond };
}

/**
 * Parses a request rate into requests per second. Bare numbers, other dimensions (`"4 GB/s"`),
 * zero and negatives are refused.
 * @param text - `"<number> /s"`, `"/min"` or `"/h"`, or the same with `per second` (`minute`, `hour`) and an optional `requests`
 * @param path - field path, used in the error
 * @returns requests per second
 * @throws UnitError naming the input and the expected `request rate`
 * @example parseRatePerSecond('240 /min') // 4
 */
export function parseRatePerSecond(text: string, path: readonly (string | number)[] = []): number {
  const r = readRate(String(text));
  if ('value' in r) return r.value;
  throw new UnitError(String(text), 'request rate', r.message, path);
}

/** A rate string in the file, resolved to requests per second. */
function rate(description: string) {
  return z
    .string({
      error: (iss) => {
        if (iss.input === undefined) return tagged('input.required', `required: ${RATE_EXPECTED}`);
        return tagged(
          'unit.invalid',
          typeof iss.input === 'number'
            ? `got the bare number ${show(iss.input)} with no unit; ${RATE_EXPECTED}`
            : `got ${show(iss.input)}; ${RATE_EXPECTED}`,
        );
      },
    })
    .meta({ examples: ['4 /s', '240 /min'] })
    .transform((text, ctx): number => {
      const r = readRate(text);
      if ('value' in r) return r.value;
      ctx.issues.push({ code: 'custom', input: text, message: tagged(r.code, r.message) });
      return z.NEVER;
    })
    .describe(`${description} (a rate, e.g. "4 /s")`);
}

/** A finite number ≥ 0 (weights, the Zipf exponent). */
const nonNegative = (description: string) =>
  z
    .number({
      error: (iss) =>
        iss.input === undefined
          ? tagged('input.required', 'required: expected a number ≥ 0')
          : tagged('input.type', `expected a number ≥ 0, got ${show(iss.input)}`),
    })
    .min(0, {
      error: (iss) => tagged('input.range', `expected a number ≥ 0, got ${show(iss.input)}`),
    })
    .max(1e9, {
      error: (iss) => tagged('input.range', `expected a number ≤ 1e9, got ${show(iss.input)}`),
    })
    .describe(description);

/**
 * The message of a union of one-key mappings (`{ poisson: … }`, `{ fixed: … }`) when the value
 * matches no form: an unknown form key (with did-you-mean), several form keys, or the wrong type.
 */
function formsError(keys: readonly string[], wanted: string) {
  return (iss: { input?: unknown }): string => {
    const input = iss.input;
    if (input === undefined) return tagged('input.required', `required: expected ${wanted}`);
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      const given = Object.keys(input);
      const unknown = given.find((k) => !keys.includes(k));
      if (unknown !== undefined)
        return tagged(
          'input.kind',
          `unknown form \`${unknown}\`${suggestion(unknown, keys, (k) => `\`${k}\``)}; expected ${wanted}`,
        );
      if (given.length === 0)
        return tagged('input.required', `got an empty mapping; expected ${wanted}`);
      if (given.length > 1)
        return tagged(
          'input.form',
          `the keys ${given.map((k) => `\`${k}\``).join(', ')} do not make one form; expected ${wanted}`,
        );
    }
    return tagged('input.type', `expected ${wanted}, got ${show(input)}`);
  };
}

// ---- serving ---------------------------------------------------------------------------------

/** Largest decode batch accepted (a sanity bound; vLLM's default cap is 256 sequences). */
export const MAX_BATCH = 4096;

const replicaSchema = strict({
  variant: id('the variant these replicas serve: an entry of `variants`'),
  count: integer(1, MAX_COUNT, 'replicas of the variant, each on tensorParallel GPUs of one host'),
}).meta({ id: 'replica', description: 'How many replicas serve one variant.' });

const servingSchema = strict({
  replicas: optional(
    z
      .array(replicaSchema)
      .min(1)
      .describe(
        'which variants are served and by how many replicas (each variant once); default one replica per variant',
      ),
  ),
  routing: optional(
    z
      .enum(ROUTING_POLICIES)
      .describe(
        'how requests pick one of their variant’s replicas: round-robin (DroidSpeak’s testbed), least-loaded, or cache-aware (the least-loaded replica that can fetch a cached copy of the context); default round-robin',
      ),
  ),
  maxBatch: optional(integer(1, MAX_BATCH, 'decode batch cap per replica; default 64 (estimate)')),
}).meta({
  id: 'serving',
  description: 'Which variants are served, by how many replicas, and how requests are routed.',
});

// ---- workload --------------------------------------------------------------------------------

/** Most tokens of one context or output (lengths are kept in an Int32Array). */
const MAX_TOKENS = 2 ** 31 - 1;
const tokens = (min: number, what: string) => integer(min, MAX_TOKENS, what);

const ARRIVAL_FORMS =
  '{ poisson: "<n> /s" }, { bursts: { rate: "<n> /s", size: <n> } } or { trace: <file> }';
const arrivalSchema = z
  .union(
    [
      strict({ poisson: rate('mean request rate of a Poisson process (DroidSpeak’s arrivals)') }),
      strict({
        bursts: strict({
          rate: rate('request rate; bursts start as a Poisson process at rate ÷ size'),
          size: integer(1, MAX_COUNT, 'requests per burst, arriving together'),
        }),
      }),
      strict({
        trace: z
          .string()
          .min(1)
          .describe(
            'file of arrival times, relative to the scenario file: one time with a unit per line ("12.5 ms"), sorted; blank lines and # comments skipped',
          ),
      }),
    ],
    { error: formsError(['poisson', 'bursts', 'trace'], ARRIVAL_FORMS) },
  )
  .meta({
    id: 'arrival',
    description: `When requests arrive: ${ARRIVAL_FORMS}; default { poisson: "2 /s" }.`,
  });

const LENGTH_FORMS = `a LongBench set (${LONGBENCH_DATASETS.join(', ')}), { fixed: <tokens> } or { median: <tokens>, p95: <tokens>, min?, max? }`;
const lengthSchema = z
  .union(
    [
      z
        .enum(LONGBENCH_DATASETS as [LongBenchDataset, ...LongBenchDataset[]], {
          error: (iss) =>
            tagged(
              'input.enum',
              `unknown LongBench set ${show(iss.input)}${nearest(iss.input, LONGBENCH_DATASETS)}LongBench sets: ${LONGBENCH_DATASETS.join(', ')}`,
            ),
        })
        .describe(
          'a LongBench set whose context lengths DroidSpeak evaluates on (docs/references.md §3): lognormal fitted to its median and P95',
        ),
      strict({ fixed: tokens(1, 'tokens of every context') }),
      strict({
        median: positiveCount('median context length, tokens'),
        p95: positiveCount('95th-percentile context length, tokens (≥ median)'),
        min: optional(tokens(1, 'shortest context, tokens; default 256')),
        max: optional(tokens(1, 'longest context, tokens; default 131072')),
      }),
    ],
    { error: formsError(['fixed', 'median', 'p95', 'min', 'max'], LENGTH_FORMS) },
  )
  .meta({
    id: 'context-length',
    description: `Context lengths: ${LENGTH_FORMS}; default hotpotqa.`,
  });

const popularitySchema = z
  .union(
    [
      z.literal('uniform').describe('every context equally often'),
      strict({
        zipf: nonNegative(
          'Zipf exponent: context of rank k asked with probability ∝ 1/(k+1)^exponent',
        ),
      }),
    ],
    {
      error: formsError(['zipf'], 'uniform or { zipf: <exponent> }'),
    },
  )
  .describe(
    'which context a request asks for: uniform or { zipf: <exponent> }; default { zipf: 1.0 }',
  );

const outputSchema = z
  .union(
    [
      strict({ fixed: tokens(1, 'output tokens of every request') }),
      strict({
        uniform: z
          .tuple([tokens(1, 'fewest output tokens'), tokens(1, 'most output tokens')])
          .describe('[min, max] tokens, uniform over the integers'),
      }),
    ],
    {
      error: formsError(['fixed', 'uniform'], '{ fixed: <tokens> } or { uniform: [<min>, <max>] }'),
    },
  )
  .describe(
    'output (decode) tokens per request: { fixed: <tokens> } or { uniform: [<min>, <max>] }; default { fixed: 128 }',
  );

const workloadSchema = strict({
  arrival: optional(arrivalSchema),
  requests: optional(
    integer(
      1,
      Number.MAX_SAFE_INTEGER,
      'stop after this many requests (set requests, duration or both, unless arrivals come from a trace)',
    ),
  ),
  duration: optional(
    unitString('time', 'stop when the next arrival would come at or after this time', {
      positive: true,
    }),
  ),
  contexts: optional(
    strict({
      count: optional(
        integer(
          1,
          10_000_000,
          'shared contexts (ids c0 … c<count−1>, c0 the most popular); default 100',
        ),
      ),
      length: optional(lengthSchema),
    }).describe('the population of shared contexts and their lengths'),
  ),
  popularity: optional(popularitySchema),
  variants: optional(
    z
      .record(z.string().min(1), nonNegative('relative request weight of the variant'))
      .describe(
        'request weight per variant (each must be served); default weight 1 for every served variant',
      ),
  ),
  crossVariantShare: optional(
    fraction(
      'share of a context’s requests that come from a variant other than its home variant; default 0.5 (0 with one variant)',
    ),
  ),
  suffixTokens: optional(tokens(0, 'new prompt tokens after the shared context; default 64')),
  output: optional(outputSchema),
}).meta({
  id: 'workload',
  description:
    'The request stream: arrivals, stop, contexts and their popularity, variants, output lengths (src/sim/workload.ts).',
});

// ---- slo -------------------------------------------------------------------------------------

const sloSchema = strict({
  ttft: optional(
    unitString('time', 'time-to-first-token target; default "3 s" (DroidSpeak, Llama-3-8B)', {
      positive: true,
    }),
  ),
  e2e: optional(
    unitString('time', 'end-to-end latency target; default "60 s" (estimate)', { positive: true }),
  ),
}).meta({ id: 'slo', description: 'Latency targets; a request meets the SLO when it meets both.' });

/** The zod schema of a scenario file; the loader's first check and the source of the JSON Schema. */
export const scenarioFileSchema = strict(
  {
    name: optional(
      z.string().min(1).describe('scenario name; default: the file name without extension'),
    ),
    description: optional(
      z.string().describe('what the scenario is and where its numbers come from'),
    ),
    seed: optional(integer(0, 2 ** 32 - 1, 'seed of every synthetic profile; default 1')),
    gpu: optional(gpuSchema),
    tensorParallel: optional(
      oneOfIntegers([1, 2, 4, 8], 'GPUs per replica (tensor parallelism); default 1'),
    ),
    models: z.array(modelEntry).min(1).describe('base models: built-in ids or custom shapes'),
    variants: z.array(variantSchema).min(1).describe('fine-tuned variants, each of one base model'),
    profiles: optional(
      z.array(profileSchema).describe('DroidSpeak pair profiles (receiver ← sender); default none'),
    ),
    qualityBudget: optional(
      fraction('largest expected quality loss of a partial reuse; default 5 % (DroidSpeak)'),
    ),
    planner: optional(plannerSchema),
    pool: optional(poolSchema),
    serving: optional(servingSchema),
    workload: optional(workloadSchema),
    slo: optional(sloSchema),
  },
  { slos: 'the key is `slo` (one mapping with `ttft` and `e2e`)' },
).meta({
  title: 'podsim scenario file',
  description:
    'What a podsim simulation serves and how it is asked for: models, fine-tuned variants, DroidSpeak pair profiles, quality budget, GPU, planner, KV-pool settings, serving replicas, workload and SLOs. See docs/scenario-files.md.',
});

/** A parsed (not yet resolved) scenario file. */
type ScenarioFile = z.output<typeof scenarioFileSchema>;
type CustomModel = z.output<typeof customModel>;
type WorkloadFile = z.output<typeof workloadSchema>;

/**
 * The JSON Schema (draft 2020-12) of the scenario file format, for editors
 * (`# yaml-language-server: $schema=scenario.schema.json`). Cross-references (variant and
 * model ids, base models of pairs) and model-shape consistency are checked by the loader only.
 */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioFileSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
}

// ---------------------------------------------------------------------------------------------
// Reading YAML and ordering issues (as topology-file.ts does)
// ---------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];

/** Order issues by where they are in the file (top-level keys in format order, then index order; a whole value before its parts). */
const byPath = byPathIn(Object.keys(scenarioFileSchema.shape), true);

type ZodIssue = z.core.$ZodIssue;

/**
 * Replaces each `invalid_union` issue (a value matching none of a union's forms) by the issues of
 * the form the value was evidently meant for, so `{ spread: 0 }` reports `spread` out of range
 * rather than "matches no form". A form is out of the running when it rejects the value's type
 * at its root; of the rest, forms that take every key of a mapping come first, and the one with
 * the fewest issues wins (first on ties). The union's own message (which lists the forms) is kept
 * when no form takes the value's type, and when several forms do but none takes all of a
 * mapping's keys or the mapping is empty (`{ burst: … }`, `{}`: which form was meant is unclear).
 */
function resolveUnions(issues: readonly ZodIssue[]): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const issue of issues) {
    if (
      issue.code !== 'invalid_union' ||
      (issue as { discriminator?: string }).discriminator !== undefined ||
      issue.errors.length === 0
    ) {
      out.push(issue);
      continue;
    }
    const input = (issue as { input?: unknown }).input;
    const rejectsType = (branch: readonly ZodIssue[]): boolean =>
      branch.every(
        (i) =>
          i.path.length === 0 &&
          (i.code === 'invalid_type' ||
            (i.code === 'invalid_value' && !i.values.some((v) => typeof v === typeof input))),
      );
    const candidates = issue.errors.filter((branch) => !rejectsType(branch));
    const takesKeys = candidates.filter(
      (branch) => !branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0),
    );
    const unclear =
      candidates.length > 1 &&
      isRecord(input) &&
      (takesKeys.length === 0 || Object.keys(input).length === 0);
    if (candidates.length === 0 || unclear) {
      out.push({ ...issue, errors: [] });
      continue;
    }
    const best = (takesKeys.length > 0 ? takesKeys : candidates).reduce((a, b) =>
      b.length < a.length ? b : a,
    );
    out.push(
      ...resolveUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as ZodIssue)),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cross-references and semantic checks (on the raw data, so they are reported with the schema's)
// ---------------------------------------------------------------------------------------------

/** A custom entry with its defaults filled in, as a {@link ModelShape} candidate (id removed). */
function fillCustom(m: CustomModel): Record<string, unknown> {
  const { id: modelId, ...rest } = m;
  return {
    ...SCENARIO_DEFAULTS.customModel,
    name: modelId,
    ...rest,
    activeParameterCount: m.activeParameterCount ?? m.parameterCount,
  };
}

interface Known {
  /** Model id → layers (undefined when the entry is broken). */
  readonly models: Map<string, number | undefined>;
  /** False when some model entry's id cannot be read or is not a built-in (then references to models are not flagged). */
  readonly allModels: boolean;
  /** Variant id → its model id (undefined when unreadable). */
  readonly variants: Map<string, string | undefined>;
  readonly allVariants: boolean;
}

function modelIssues(raw: unknown[], issues: Issue[]): Pick<Known, 'models' | 'allModels'> {
  const models = new Map<string, number | undefined>();
  const firstAt = new Map<string, number>();
  let allModels = true;
  raw.forEach((entry, i) => {
    let modelId: string;
    let at: Path;
    let layers: number | undefined;
    if (typeof entry === 'string') {
      modelId = entry;
      at = ['models', i];
      layers = Object.hasOwn(BUILTIN_MODELS, entry) ? BUILTIN_MODELS[entry]?.layers : undefined;
      // An unknown id is reported at the entry; variants naming the intended model are not blamed too.
      if (layers === undefined) allModels = false;
    } else if (isRecord(entry) && typeof entry['id'] === 'string') {
      modelId = entry['id'];
      at = ['models', i, 'id'];
      const l = entry['layers'];
      layers =
        typeof l === 'number' && Number.isInteger(l) && l >= 1 && l <= MAX_MODEL_LAYERS
          ? l
          : undefined;
      if (Object.hasOwn(BUILTIN_MODELS, modelId)) {
        issues.push({
          code: 'scenario.reserved-id',
          path: at,
          message: `"${modelId}" is a built-in model; give the custom model another id, or write "${modelId}" alone to use the built-in shape`,
        });
      }
      const parsed = customModel.safeParse(entry);
      if (parsed.success) {
        if (
          parsed.data.experts !== undefined &&
          parsed.data.experts > 1 &&
          parsed.data.activeParameterCount === undefined
        ) {
          issues.push({
            code: 'input.required',
            path: ['models', i, 'activeParameterCount'],
            message:
              'required for a mixture-of-experts model (experts > 1): the parameters one token uses',
          });
        } else {
          issues.push(...validateModelShape(fillCustom(parsed.data), ['models', i]));
        }
      }
    } else {
      allModels = false;
      return;
    }
    const first = firstAt.get(modelId);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-model',
        path: at,
        message: `duplicate model "${modelId}" (first at models[${first}])`,
      });
    else {
      firstAt.set(modelId, i);
      models.set(modelId, layers);
    }
  });
  return { models, allModels };
}

function variantIssues(
  raw: unknown[],
  known: Pick<Known, 'models' | 'allModels'>,
  issues: Issue[],
): Pick<Known, 'variants' | 'allVariants'> {
  const variants = new Map<string, string | undefined>();
  const firstAt = new Map<string, number>();
  let allVariants = true;
  raw.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry['id'] !== 'string' || entry['id'] === '') {
      allVariants = false;
      return;
    }
    const vid = entry['id'];
    const model = entry['model'];
    const first = firstAt.get(vid);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-variant',
        path: ['variants', i, 'id'],
        message: `duplicate variant "${vid}" (first at variants[${first}])`,
      });
    else firstAt.set(vid, i);
    let modelId: string | undefined;
    if (typeof model === 'string' && model !== '') {
      if (known.models.has(model)) modelId = model;
      else if (known.allModels) {
        const declared = [...known.models.keys()];
        const builtin = Object.hasOwn(BUILTIN_MODELS, model)
          ? `; "${model}" is a built-in model: add it to \`models\``
          : suggestion(model, declared);
        issues.push({
          code: 'scenario.unknown-model',
          path: ['variants', i, 'model'],
          message: `unknown model "${model}"${builtin}`,
        });
      }
    }
    if (first === undefined) variants.set(vid, modelId);
  });
  return { variants, allVariants };
}

function profileIssues(raw: unknown[], known: Known, issues: Issue[]): void {
  const firstAt = new Map<string, number>();
  raw.forEach((entry, k) => {
    if (!isRecord(entry)) return;
    const at: Path = ['profiles', k];
    const hasSynthetic = Object.hasOwn(entry, 'synthetic');
    const hasData = Object.hasOwn(entry, 'data');
    if (hasSynthetic === hasData) {
      issues.push({
        code: 'input.form',
        path: at,
        message: hasData
          ? 'has both `synthetic` and `data`: a profile is either generated (synthetic) or given (data)'
          : 'needs `synthetic: {}` (generated from the seed) or `data: { layerSensitivity, fullReuseLoss }`',
      });
    }
    const names: (string | undefined)[] = [];
    for (const end of ['receiver', 'sender'] as const) {
      const v = entry[end];
      if (typeof v !== 'string' || v === '') {
        names.push(undefined);
        continue;
      }
      if (!known.variants.has(v) && known.allVariants) {
        issues.push({
          code: 'scenario.unknown-variant',
          path: [...at, end],
          message: `unknown variant "${v}"${suggestion(v, [...known.variants.keys()])}`,
        });
      }
      names.push(v);
    }
    const [receiver, sender] = names;
    if (receiver === undefined || sender === undefined) return;
    if (receiver === sender) {
      issues.push({
        code: 'profile.same-model',
        path: [...at, 'sender'],
        message: `sender must differ from receiver ("${receiver}"): a variant reusing its own cache is exact reuse, which needs no profile`,
      });
      return;
    }
    const key = `${receiver}\u0000${sender}`;
    const first = firstAt.get(key);
    if (first !== undefined)
      issues.push({
        code: 'scenario.duplicate-profile',
        path: at,
        message: `duplicate profile ${receiver} ← ${sender} (first at profiles[${first}])`,
      });
    else firstAt.set(key, k);

    const rm = known.variants.get(receiver);
    const sm = known.variants.get(sender);
    if (rm === undefined || sm === undefined) return;
    const rl = known.models.get(rm);
    const sl = known.models.get(sm);
    if (rm !== sm) {
      const layers =
        rl !== undefined && sl !== undefined && rl !== sl ? ` with ${rl} and ${sl} layers` : '';
      issues.push({
        code: 'profile.base-model',
        path: [...at, 'sender'],
        message: `receiver "${receiver}" is a variant of ${rm} and sender "${sender}" of ${sm}${layers}: DroidSpeak reuses caches only between variants of one base model`,
      });
      return;
    }
    if (rl === undefined || !hasData || hasSynthetic) return;
    // Profile data: length, frontier order and ends, by the planner's own validator.
    const data = profileDataSchema.safeParse(entry['data']);
    if (!data.success) return;
    const candidate = {
      receiver,
      sender,
      layers: rl,
      ...(entry['data'] as Record<string, unknown>),
    };
    const dataPath = [...at, 'data'];
    const absentFrontier = data.data.frontier === undefined;
    for (const issue of validatePairProfile(candidate, dataPath)) {
      const field = issue.path[dataPath.length];
      if (field === 'receiver' || field === 'sender' || field === 'layers') continue;
      if (absentFrontier && field === 'frontier' && issue.code === 'input.required') continue;
      issues.push(issue);
    }
  });
}

/**
 * The weights of every variant's model must fit `tensorParallel` GPUs (docs/references.md §3 model
 * shapes: a 70B model needs at least 2 × 80 GB). Checked whenever `gpu`, `tensorParallel`,
 * `models` and `variants` are readable, whatever else is wrong.
 */
function fitIssues(data: Readonly<Record<string, unknown>>, issues: Issue[]): void {
  const gpuId = optional(gpuSchema).safeParse(data['gpu']);
  const tpRead = z.literal([1, 2, 4, 8]).optional().safeParse(data['tensorParallel']);
  const modelsRead = z.array(modelEntry).safeParse(data['models']);
  const variantsRead = z.array(variantSchema).safeParse(data['variants']);
  if (!gpuId.success || !tpRead.success || !modelsRead.success || !variantsRead.success) return;
  const gpu = BUILTIN_GPUS[gpuId.data ?? SCENARIO_DEFAULTS.gpu];
  if (gpu === undefined) return;
  const tp = tpRead.data ?? SCENARIO_DEFAULTS.tensorParallel;
  const used = new Set(variantsRead.data.map((v) => v.model));
  const seen = new Set<string>();
  for (const m of modelsRead.data) {
    const modelId = typeof m === 'string' ? m : m.id;
    if (!used.has(modelId) || seen.has(modelId)) continue;
    seen.add(modelId);
    const shape = typeof m === 'string' ? BUILTIN_MODELS[m] : fillCustom(m);
    if (shape === undefined || (typeof m !== 'string' && validateModelShape(shape).length > 0))
      continue;
    const need = minTensorParallel(shape as ModelShape, gpu);
    if (need !== undefined && need <= tp) continue;
    issues.push({
      code: 'scenario.model-fit',
      path: ['tensorParallel'],
      message:
        need === undefined
          ? `the weights of ${modelId} do not fit even 8 × ${gpu.name}`
          : `the weights of ${modelId} need at least ${need} × ${gpu.name} per replica, but tensorParallel is ${tp}${tpRead.data === undefined ? ' (the default)' : ''}; set tensorParallel: ${need} or more`,
    });
  }
}

/**
 * `serving.replicas`: each names a declared variant (with did-you-mean), once. Returns the served
 * variant ids in file order — every variant when `serving.replicas` is absent — or undefined when
 * they cannot be told (an unreadable entry or variant list).
 */
function servingIssues(
  data: Readonly<Record<string, unknown>>,
  known: Known,
  issues: Issue[],
): string[] | undefined {
  const serving = data['serving'];
  if (serving === undefined || (isRecord(serving) && serving['replicas'] === undefined))
    return known.allVariants && known.variants.size > 0 ? [...known.variants.keys()] : undefined;
  if (!isRecord(serving) || !Array.isArray(serving['replicas']) || serving['replicas'].length === 0)
    return undefined;
  const served: string[] = [];
  const firstAt = new Map<string, number>();
  let readable = true;
  serving['replicas'].forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry['variant'] !== 'string' || entry['variant'] === '') {
      readable = false;
      return;
    }
    const v = entry['variant'];
    const at: Path = ['serving', 'replicas', i, 'variant'];
    const first = firstAt.get(v);
    if (first !== undefined) {
      issues.push({
        code: 'scenario.duplicate-replica',
        path: at,
        message: `variant "${v}" is already served by serving.replicas[${first}]; give each variant one entry with its total count`,
      });
      return;
    }
    firstAt.set(v, i);
    served.push(v);
    if (!known.variants.has(v) && known.allVariants)
      issues.push({
        code: 'scenario.unknown-variant',
        path: at,
        message: `unknown variant "${v}"${suggestion(v, [...known.variants.keys()])}`,
      });
  });
  return readable ? served : undefined;
}

/** `workload.variants`: every weighted variant must be served (a declared but unserved one gets its own code). */
function workloadVariantIssues(
  data: Readonly<Record<string, unknown>>,
  known: Known,
  served: readonly string[] | undefined,
  issues: Issue[],
): void {
  const workload = data['workload'];
  const weights = isRecord(workload) ? workload['variants'] : undefined;
  if (!isRecord(weights) || served === undefined) return;
  for (const v of Object.keys(weights)) {
    if (served.includes(v)) continue;
    const at: Path = ['workload', 'variants', v];
    if (known.variants.has(v)) {
      issues.push({
        code: 'scenario.unserved-variant',
        path: at,
        message: `variant "${v}" has no replica: add it to serving.replicas or drop its weight (served: ${served.join(', ')})`,
      });
    } else if (known.allVariants) {
      issues.push({
        code: 'scenario.unknown-variant',
        path: at,
        message: `unknown variant "${v}"${suggestion(v, served)}`,
      });
    }
  }
}

/** Bad lines of a trace reported one by one; past this many, one issue counts the rest. */
const MAX_TRACE_LINE_ISSUES = 5;
/** `12.5 ms` and friends, read without mathjs (a trace may have millions of lines). */
const SIMPLE_TIME = /^([+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(ns|us|µs|μs|ms|s)$/;
const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
};

/** One trace line as ns (≥ 0, finite), or undefined when it is not a time. */
function traceTime(line: string): number | undefined {
  const m = SIMPLE_TIME.exec(line);
  if (m !== null) {
    const v = Number(m[1]) * (NS_PER_UNIT[m[2] ?? 's'] ?? 1);
    return Number.isFinite(v) ? Number(v.toPrecision(15)) : undefined;
  }
  try {
    return parseTime(line);
  } catch (e) {
    if (e instanceof UnitError) return undefined;
    throw e;
  }
}

/**
 * Reads the trace named by `workload.arrival.trace` (relative to `baseDir`): one time with a unit
 * per line, sorted; blank lines and `#` comments skipped. Every problem is an issue at
 * `workload.arrival.trace` whose message starts `file:line:`. Returns the arrival times in ns, or
 * undefined when the trace is absent or unusable.
 */
function traceIssues(
  data: Readonly<Record<string, unknown>>,
  baseDir: string,
  issues: Issue[],
): number[] | undefined {
  const workload = data['workload'];
  const arrival = isRecord(workload) ? workload['arrival'] : undefined;
  // Only a well-formed `{ trace: <file> }` is read (a mapping mixing forms is reported by the schema alone).
  const rel = isRecord(arrival) && Object.keys(arrival).length === 1 ? arrival['trace'] : undefined;
  if (typeof rel !== 'string' || rel === '') return undefined;
  const at: Path = ['workload', 'arrival', 'trace'];
  const full = resolvePath(baseDir, rel);
  if (!existsSync(full)) {
    issues.push({
      code: 'input.not-found',
      path: at,
      message: `no trace file "${rel}" (looked for ${full}; the path is relative to the scenario file)`,
    });
    return undefined;
  }
  let text: string;
  try {
    if (!statSync(full).isFile()) throw new Error('not a file');
    text = readFileSync(full, 'utf8');
  } catch (e) {
    issues.push({
      code: 'input.read',
      path: at,
      message: `cannot read the trace "${rel}": ${(e as Error).message}`,
    });
    return undefined;
  }
  const times: number[] = [];
  let bad = 0;
  let ok = true;
  let prev: { ns: number; line: number; text: string } | undefined;
  let order: Issue | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const ns = traceTime(line);
    if (ns === undefined) {
      ok = false;
      if (++bad <= MAX_TRACE_LINE_ISSUES)
        issues.push({
          code: 'workload.trace-line',
          path: at,
          message: `${rel}:${i + 1}: ${show(line)} is not a time (write one time with a unit per line, such as "12.5 ms")`,
        });
      continue;
    }
    if (prev !== undefined && ns < prev.ns && order === undefined) {
      ok = false;
      order = {
        code: 'workload.trace-order',
        path: at,
        message: `${rel}:${i + 1}: ${show(line)} comes before ${show(prev.text)} of line ${prev.line}; arrival times must be sorted (first decrease)`,
      };
    }
    prev = { ns, line: i + 1, text: line };
    times.push(ns);
  }
  if (bad > MAX_TRACE_LINE_ISSUES)
    issues.push({
      code: 'workload.trace-line',
      path: at,
      message: `${rel}: ${bad - MAX_TRACE_LINE_ISSUES} more lines are not times`,
    });
  if (order !== undefined) issues.push(order);
  if (ok && times.length === 0) {
    issues.push({
      code: 'workload.trace-empty',
      path: at,
      message: `${rel} has no arrival times; it needs at least one line such as "12.5 ms"`,
    });
    ok = false;
  }
  return ok ? times : undefined;
}

/**
 * The checks of {@link validateWorkload} on the workload as it would resolve, with its paths
 * mapped back to the file's keys. Run only when the section and the served variants are readable
 * (and a trace, if any, was read); trace problems are left to {@link traceIssues}.
 */
function workloadSemanticIssues(
  data: Readonly<Record<string, unknown>>,
  served: readonly string[] | undefined,
  trace: readonly number[] | undefined,
  issues: Issue[],
): void {
  const parsed = optional(workloadSchema).safeParse(data['workload']);
  if (!parsed.success || served === undefined) return;
  const w = parsed.data;
  if (w?.arrival !== undefined && 'trace' in w.arrival && trace === undefined) return;
  const spec = buildWorkload(w, served, trace);
  const weightIds = spec.variants.map((v) => v.id);
  for (const issue of validateWorkload(spec)) {
    if (issue.code.startsWith('workload.trace')) continue;
    issues.push({
      code: issue.code,
      path: workloadFilePath(issue.path, w, weightIds),
      message: issue.message.replace(FIELD_NAMES, (name) => FILE_KEYS[name] ?? name),
    });
  }
}

/** The resolved field names validateWorkload's messages use, as the file's keys. */
const FILE_KEYS: Readonly<Record<string, string>> = {
  requests: '`requests`',
  durationNs: '`duration`',
  ratePerSecond: 'the rate',
  medianTokens: 'median',
  p95Tokens: 'p95',
  minTokens: 'min',
  maxTokens: 'max',
};
const FIELD_NAMES =
  /\b(?:durationNs|ratePerSecond|medianTokens|p95Tokens|minTokens|maxTokens)\b|(?<=^set )requests\b/g;

/** A path of the resolved {@link WorkloadSpec} (from validateWorkload) as a path into the file. */
function workloadFilePath(
  p: Path,
  w: WorkloadFile | undefined,
  weightIds: readonly string[],
): Path {
  const [head, field, sub] = p;
  const at = (...rest: (string | number)[]): Path => ['workload', ...rest];
  switch (head) {
    case 'arrival': {
      const a = w?.arrival;
      if (a === undefined) return at('arrival');
      if ('poisson' in a) return at('arrival', 'poisson');
      if ('bursts' in a) return at('arrival', 'bursts', field === 'burstSize' ? 'size' : 'rate');
      return at('arrival', 'trace');
    }
    case 'durationNs':
      return at('duration');
    case 'contexts': {
      if (field !== 'length') return at('contexts', 'count');
      const key = {
        tokens: 'fixed',
        medianTokens: 'median',
        p95Tokens: 'p95',
        minTokens: 'min',
        maxTokens: 'max',
      }[String(sub)];
      return typeof w?.contexts?.length === 'object' && key !== undefined
        ? at('contexts', 'length', key)
        : at('contexts', 'length');
    }
    case 'popularity':
      return typeof w?.popularity === 'object' ? at('popularity', 'zipf') : at('popularity');
    case 'variants':
      return typeof field === 'number' && weightIds[field] !== undefined
        ? at('variants', weightIds[field])
        : at('variants');
    case 'output': {
      const o = w?.output;
      if (o === undefined) return at('output');
      if ('fixed' in o) return at('output', 'fixed');
      return field === 'minTokens'
        ? at('output', 'uniform', 0)
        : field === 'maxTokens'
          ? at('output', 'uniform', 1)
          : at('output', 'uniform');
    }
    default:
      return at(...p);
  }
}

// ---------------------------------------------------------------------------------------------
// Resolution
// ---------------------------------------------------------------------------------------------

function resolveModels(f: ScenarioFile): Record<string, ModelShape> {
  const models: Record<string, ModelShape> = {};
  for (const m of f.models) {
    if (typeof m === 'string') {
      const shape = BUILTIN_MODELS[m];
      if (shape !== undefined) models[m] = shape;
    } else {
      models[m.id] = Object.freeze(fillCustom(m)) as unknown as ModelShape;
    }
  }
  return models;
}

function resolvePlacement(p: z.output<typeof placementSchema> | undefined): PlacementPolicy {
  const v = p ?? SCENARIO_DEFAULTS.pool.placement;
  if (v === 'local' || v === 'stripe') return Object.freeze({ kind: v });
  if ('spread' in v) return Object.freeze({ kind: 'spread', devices: v.spread });
  if ('replicas' in v) return Object.freeze({ kind: 'replicas', count: v.replicas });
  return Object.freeze({ kind: 'host-memory', memory: v['host-memory'] });
}

/** {@link SCENARIO_DEFAULTS}' workload and SLO, read by the file's own schemas (so a default is written exactly as a file would write it). */
const DEFAULT_WORKLOAD = workloadSchema.parse(SCENARIO_DEFAULTS.workload);
const DEFAULT_SLO = sloSchema.parse(SCENARIO_DEFAULTS.slo);

function resolveArrival(
  a: NonNullable<WorkloadFile['arrival']>,
  traceNs: readonly number[] | undefined,
): ArrivalSpec {
  if ('poisson' in a) return Object.freeze({ kind: 'poisson', ratePerSecond: a.poisson });
  if ('bursts' in a)
    return Object.freeze({
      kind: 'bursts',
      ratePerSecond: a.bursts.rate,
      burstSize: a.bursts.size,
    });
  return Object.freeze({ kind: 'trace', arrivalsNs: Object.freeze([...(traceNs ?? [])]) });
}

function resolveLength(
  l: NonNullable<NonNullable<WorkloadFile['contexts']>['length']>,
): LengthSpec {
  if (typeof l === 'string') return LONGBENCH_PRESETS[l];
  if ('fixed' in l) return Object.freeze({ kind: 'fixed', tokens: l.fixed });
  const preset = LONGBENCH_PRESETS[SCENARIO_DEFAULTS.workload.contexts.length];
  return Object.freeze({
    kind: 'lognormal',
    medianTokens: l.median,
    p95Tokens: l.p95,
    minTokens: l.min ?? preset.minTokens,
    maxTokens: l.max ?? preset.maxTokens,
  });
}

function resolveOutput(o: NonNullable<WorkloadFile['output']>): OutputSpec {
  if ('fixed' in o) return Object.freeze({ kind: 'fixed', tokens: o.fixed });
  return Object.freeze({ kind: 'uniform', minTokens: o.uniform[0], maxTokens: o.uniform[1] });
}

function resolvePopularity(p: NonNullable<WorkloadFile['popularity']>): PopularitySpec {
  return p === 'uniform'
    ? Object.freeze({ kind: 'uniform' })
    : Object.freeze({ kind: 'zipf', exponent: p.zipf });
}

/**
 * The resolved workload of a file's `workload` section (absent: {@link SCENARIO_DEFAULTS}'
 * workload). Weights default to 1 per served variant; `crossVariantShare` defaults to 0.5, or 0
 * when fewer than two variants have a positive weight. A written section keeps its own stop
 * (`requests` and/or `duration`); only an absent section gets the default request count.
 */
function buildWorkload(
  w: WorkloadFile | undefined,
  served: readonly string[],
  traceNs: readonly number[] | undefined,
): WorkloadSpec {
  const d = DEFAULT_WORKLOAD as {
    readonly [K in keyof WorkloadFile]-?: NonNullable<WorkloadFile[K]>;
  };
  const variants = Object.freeze(
    w?.variants !== undefined
      ? Object.entries(w.variants).map(([id, weight]) => Object.freeze({ id, weight }))
      : served.map((id) => Object.freeze({ id, weight: 1 })),
  );
  const weighted = variants.filter((v) => v.weight > 0).length;
  const requests = w === undefined ? d.requests : w.requests;
  const durationNs = w?.duration;
  const contexts = w?.contexts;
  return Object.freeze({
    arrival: resolveArrival(w?.arrival ?? d.arrival, traceNs),
    ...(requests === undefined ? {} : { requests }),
    ...(durationNs === undefined ? {} : { durationNs: durationNs as number }),
    contexts: Object.freeze({
      count: contexts?.count ?? SCENARIO_DEFAULTS.workload.contexts.count,
      length: resolveLength(contexts?.length ?? SCENARIO_DEFAULTS.workload.contexts.length),
    }),
    popularity: resolvePopularity(w?.popularity ?? d.popularity),
    variants,
    crossVariantShare: w?.crossVariantShare ?? (weighted >= 2 ? d.crossVariantShare : 0),
    suffixTokens: w?.suffixTokens ?? d.suffixTokens,
    output: resolveOutput(w?.output ?? d.output),
  });
}

function resolveServing(f: ScenarioFile, variants: readonly Variant[]): ServingSpec {
  const d = SCENARIO_DEFAULTS.serving;
  const replicas =
    f.serving?.replicas ?? variants.map((v) => ({ variant: v.id, count: d.replicasPerVariant }));
  return Object.freeze({
    replicas: Object.freeze(
      replicas.map((r) => Object.freeze({ variant: r.variant, count: r.count })),
    ),
    routing: f.serving?.routing ?? d.routing,
    maxBatch: f.serving?.maxBatch ?? d.maxBatch,
  });
}

const freezePoint = (p: FrontierPoint): FrontierPoint =>
  Object.freeze({
    groups: Object.freeze(p.groups.map((g) => Object.freeze({ start: g.start, end: g.end }))),
    recomputedLayers: p.recomputedLayers,
    eCacheLoads: p.eCacheLoads,
    qualityLoss: p.qualityLoss,
  });

function resolve(f: ScenarioFile, file: string, traceNs: readonly number[] | undefined): Scenario {
  const seed = f.seed ?? SCENARIO_DEFAULTS.seed;
  const models = Object.freeze(resolveModels(f));
  const variants = Object.freeze(
    f.variants.map((v) => Object.freeze({ id: v.id, model: v.model })),
  );
  const modelOf = new Map(variants.map((v) => [v.id, models[v.model] as ModelShape]));
  const profiles = (f.profiles ?? []).map((p, k): PairProfile => {
    const layers = (modelOf.get(p.receiver) as ModelShape).layers;
    let profile: PairProfile;
    if (p.data !== undefined) {
      const model = {
        receiver: p.receiver,
        sender: p.sender,
        layers,
        layerSensitivity: p.data.layerSensitivity,
        fullReuseLoss: p.data.fullReuseLoss,
      };
      profile = { ...model, frontier: p.data.frontier ?? buildFrontier(model) };
    } else {
      const s = p.synthetic ?? {};
      try {
        profile = syntheticProfile({
          receiver: p.receiver,
          sender: p.sender,
          layers,
          seed: s.seed ?? seed,
          ...(s.criticalFraction === undefined ? {} : { criticalFraction: s.criticalFraction }),
        });
      } catch (e) {
        if (e instanceof GeneratorError)
          throw new InputError(
            e.issues.map((i) => ({ ...i, path: ['profiles', k, 'synthetic', ...i.path] })),
            file,
          );
        throw e;
      }
    }
    return Object.freeze({
      receiver: profile.receiver,
      sender: profile.sender,
      layers: profile.layers,
      layerSensitivity: Object.freeze([...profile.layerSensitivity]),
      fullReuseLoss: profile.fullReuseLoss,
      frontier: Object.freeze(profile.frontier.map(freezePoint)),
    });
  });
  const gpu = BUILTIN_GPUS[f.gpu ?? SCENARIO_DEFAULTS.gpu] as GpuProfile;
  const serving = resolveServing(f, variants);
  return Object.freeze({
    name: f.name ?? stem(file),
    description: (f.description ?? '').trim(),
    seed,
    gpu,
    tensorParallel: f.tensorParallel ?? SCENARIO_DEFAULTS.tensorParallel,
    models,
    variants,
    profiles: Object.freeze(profiles),
    qualityBudget: f.qualityBudget ?? SCENARIO_DEFAULTS.qualityBudget,
    planner: Object.freeze({
      policy: f.planner?.policy ?? SCENARIO_DEFAULTS.planner.policy,
      strategy: f.planner?.strategy ?? SCENARIO_DEFAULTS.planner.strategy,
    }),
    pool: Object.freeze({
      placement: resolvePlacement(f.pool?.placement),
      eviction: f.pool?.eviction ?? SCENARIO_DEFAULTS.pool.eviction,
      hostDramFraction: f.pool?.hostDramFraction ?? SCENARIO_DEFAULTS.pool.hostDramFraction,
      gpuCacheFraction: f.pool?.gpuCacheFraction ?? SCENARIO_DEFAULTS.pool.gpuCacheFraction,
    }),
    serving,
    workload: buildWorkload(
      f.workload,
      serving.replicas.map((r) => r.variant),
      traceNs,
    ),
    slo: Object.freeze({
      ttftNs: (f.slo?.ttft ?? DEFAULT_SLO.ttft) as number,
      e2eNs: (f.slo?.e2e ?? DEFAULT_SLO.e2e) as number,
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Options of {@link parseScenarioText}. */
export interface ParseScenarioOptions {
  /** Folder that relative paths in the file (an arrival trace) are read from; default: the folder of `file`. */
  readonly baseDir?: string;
}

/**
 * Parses and resolves a scenario from YAML or JSON text. An arrival trace the file names is read
 * from disk, relative to `options.baseDir`.
 * @param text the file's contents
 * @param file the name to report problems against (and the default scenario name, from its stem)
 * @throws InputError listing every problem at once (YAML syntax with line and column; or schema,
 *   references, model shapes, profile data, serving, workload, trace lines and GPU fit together),
 *   each message `file: path: …`
 * @example parseScenarioText('models: [llama-3.1-8b]\nvariants: [{ id: a, model: llama-3.1-8b }]\n', 's.yaml').gpu.name // 'A100-80GB'
 */
export function parseScenarioText(
  text: string,
  file: string,
  options: ParseScenarioOptions = {},
): Scenario {
  const data = readYaml(text, file);
  if (!isRecord(data)) {
    throw new InputError(
      [
        {
          code: 'input.type',
          path: [],
          message: `expected a scenario (a mapping with \`models\` and \`variants\`), got ${show(data)}`,
        },
      ],
      file,
    );
  }
  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : fromZodIssues(resolveUnions(parsed.error.issues));
  const models = modelIssues(Array.isArray(data['models']) ? data['models'] : [], issues);
  const variants = variantIssues(
    Array.isArray(data['variants']) ? data['variants'] : [],
    models,
    issues,
  );
  const known = { ...models, ...variants };
  profileIssues(Array.isArray(data['profiles']) ? data['profiles'] : [], known, issues);
  fitIssues(data, issues);
  const served = servingIssues(data, known, issues);
  workloadVariantIssues(data, known, served, issues);
  const trace = traceIssues(data, options.baseDir ?? dirname(file), issues);
  workloadSemanticIssues(data, served, trace, issues);
  if (!parsed.success || issues.length > 0) throw new InputError(dedupe(issues).sort(byPath), file);
  return resolve(parsed.data, file, trace);
}

function dedupe(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify([i.path, i.code, i.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The bundled `scenarios/` folder, found from this module's location (works from src/ under tsx and from dist/). */
export const SCENARIOS_DIR: string = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * The bundled scenario files (`scenarios/*.yaml`), sorted by name.
 * @returns name (file stem), absolute file path and the file's `description`
 */
export function listScenarioPresets(): { name: string; file: string; description: string }[] {
  return listBundled(SCENARIOS_DIR, 'scenarios');
}

/**
 * Loads a scenario from a file path, or from a bundled preset name (`droidspeak-8b` →
 * `scenarios/droidspeak-8b.yaml`). An existing file wins over a preset of the same name.
 * @returns the resolved scenario and the path that was read (absolute for presets)
 * @throws InputError when neither a file nor a preset has that name (listing the presets), when the
 *   file cannot be read, or anything {@link parseScenarioText} throws
 * @example loadScenario('droidspeak-8b').scenario.variants.length
 */
export function loadScenario(fileOrPreset: string): { scenario: Scenario; file: string } {
  const { text, path, display } = readFileOrPreset(
    fileOrPreset,
    SCENARIOS_DIR,
    'scenarios',
    'scenario',
  );
  return { scenario: parseScenarioText(text, display, { baseDir: dirname(path) }), file: path };
}
