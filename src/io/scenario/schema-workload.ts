/**
 * The scenario schema's run-side sections: serving (replicas, routing, batch cap), the workload
 * (arrivals, stop, contexts and their lengths, popularity, variant weights, outputs) and the SLOs.
 */
import { z } from 'zod';
import { show, tagged } from '../issues.ts';
import { integer, MAX_COUNT, optional, strict, unitString } from '../schema-fields.ts';
import { MAX_BATCH, MAX_BLOCK_TOKENS } from './defaults.ts';
import { LONGBENCH_DATASETS, ROUTING_POLICIES } from './enums.ts';
import { formsError, fraction, id, nearest, nonNegative, positiveCount, tokens } from './fields.ts';
import { rate } from './rates.ts';
import type { LongBenchDataset } from '../../sim/workload.ts';

const replicaSchema = strict({
  variant: id('the variant these replicas serve: an entry of `variants`'),
  count: integer(1, MAX_COUNT, 'replicas of the variant, each on tensorParallel GPUs of one host'),
}).meta({ id: 'replica', description: 'How many replicas serve one variant.' });

/** The `serving` section. */
export const servingSchema = strict({
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
  blockTokens: optional(
    integer(
      1,
      MAX_BLOCK_TOKENS,
      'tokens per KV block in HBM (a sequence holds whole blocks); default 16, vLLM’s',
    ),
  ),
  hbmUsableFraction: optional(
    fraction(
      'share of each GPU’s HBM usable for weights + KV (above 0); default 0.9, the compute model’s',
    ),
  ),
  prefixCache: optional(
    z
      .boolean()
      .describe(
        'keep each finished request’s context in its replica’s free KV blocks and serve the same variant and context there with no fetch (vLLM’s automatic prefix caching); default false, as in vLLM V0',
      ),
  ),
}).meta({
  id: 'serving',
  description:
    'Which variants are served, by how many replicas, how requests are routed, and the KV memory (HBM blocks) of each replica.',
});

// ---- workload --------------------------------------------------------------------------------

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

/** The per-row trace formats `workload.trace.format` names (docs/workloads.md). */
export const TRACE_FORMATS = ['podsim', 'azure', 'mooncake'] as const;
/** Mooncake's hash-block size in tokens (docs/references.md §9 "Mooncake"). */
export const MOONCAKE_BLOCK_TOKENS = 512;

const traceSchema = strict({
  file: z
    .string()
    .min(1)
    .describe(
      'per-row trace file, relative to the scenario file (docs/workloads.md): CSV or JSONL, one request per row',
    ),
  format: optional(
    z
      .enum(TRACE_FORMATS)
      .describe(
        'podsim (rows name arrival, variant, context and tokens; default), azure (Azure LLM inference trace CSV: TIMESTAMP, ContextTokens, GeneratedTokens) or mooncake (Mooncake JSONL: timestamp in ms, input_length, output_length, hash_ids)',
      ),
  ),
  blockTokens: optional(
    tokens(
      1,
      `mooncake: tokens per hash block; default ${MOONCAKE_BLOCK_TOKENS} (the Mooncake trace's block size, docs/references.md §9)`,
    ),
  ),
}).meta({
  id: 'trace',
  description:
    'A per-row trace replayed exactly: each row is one request with its arrival, variant, context and token counts (docs/workloads.md).',
});

const THINK_FORMS = '"<time>", { exponential: "<mean time>" } or { uniform: ["<time>", "<time>"] }';
const thinkTime = (what: string) => unitString('time', what);
const thinkSchema = z
  .union(
    [
      thinkTime('fixed think time'),
      strict({ exponential: thinkTime('mean of an exponential think time') }),
      strict({
        uniform: z
          .tuple([thinkTime('shortest think time'), thinkTime('longest think time')])
          .describe('[min, max], uniform'),
      }),
    ],
    { error: formsError(['exponential', 'uniform'], THINK_FORMS) },
  )
  .describe(
    `delay between the parent step's completion and this step's arrival: ${THINK_FORMS}; default "0 s" (the first step has none)`,
  );

const stepSchema = strict({
  id: id('the step’s name, unique in the pipeline'),
  variant: id('the variant serving this step: a served variant'),
  after: optional(
    id(
      'the earlier step whose completion releases this one (fan-out: several steps after one); default the step listed before it; the first step has none',
    ),
  ),
  think: optional(thinkSchema),
  suffixTokens: optional(
    tokens(0, 'the step’s own instructions after its context, tokens; default 64'),
  ),
  output: optional(outputSchema),
}).meta({ id: 'pipeline-step', description: 'One step of an agent pipeline.' });

const pipelineSchema = strict({
  steps: z
    .array(stepSchema)
    .min(1)
    .describe(
      'the steps of every task, in order: a chain, or a tree with `after` (each step’s context is its parent’s whole sequence)',
    ),
}).meta({
  id: 'pipeline',
  description:
    'An agent pipeline: every arrival is a task that runs these steps (docs/workloads.md "Agent pipelines").',
});

/** The `workload` section (src/sim/workload.ts). */
export const workloadSchema = strict({
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
  trace: optional(traceSchema),
  pipeline: optional(pipelineSchema),
}).meta({
  id: 'workload',
  description:
    'The request stream: arrivals, stop, contexts and their popularity, variants, output lengths (src/sim/workload.ts).',
});

// ---- slo -------------------------------------------------------------------------------------

/** The `slo` section. */
export const sloSchema = strict({
  ttft: optional(
    unitString('time', 'time-to-first-token target; default "3 s" (DroidSpeak, Llama-3-8B)', {
      positive: true,
    }),
  ),
  e2e: optional(
    unitString('time', 'end-to-end latency target; default "60 s" (estimate)', { positive: true }),
  ),
}).meta({ id: 'slo', description: 'Latency targets; a request meets the SLO when it meets both.' });

/** A parsed `workload` section. */
export type WorkloadFile = z.output<typeof workloadSchema>;
