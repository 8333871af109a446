/**
 * The zod schema of a scenario file, assembled from its sections (./schema-models.ts,
 * ./schema-workload.ts); the loader's first check and the source of the JSON Schema for editors.
 * The file's types are inferred from it: {@link ScenarioFileInput} (what may be written) and
 * {@link ScenarioFile} (what the schema reads it into, before resolution).
 */
import { z } from 'zod';
import { integer, oneOfIntegers, optional, strict } from '../schema-fields.ts';
import { fraction } from './fields.ts';
import {
  gpuSchema,
  modelEntry,
  plannerSchema,
  poolSchema,
  profileSchema,
  variantSchema,
} from './schema-models.ts';
import { servingSchema, sloSchema, workloadSchema } from './schema-workload.ts';

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

/** A scenario file as it may be written (units as strings, sections optional): the schema's input type. */
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;
/** A parsed (not yet resolved) scenario file: the schema's output type (units read, defaults not yet filled). */
export type ScenarioFile = z.output<typeof scenarioFileSchema>;

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
