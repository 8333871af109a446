/**
 * The checks of what a scenario file serves, on the raw data so they are reported together with
 * the schema's issues: whether each served model's weights fit `tensorParallel` GPUs, the
 * variants `serving.replicas` names, and the variants `workload.variants` weights.
 */
import { z } from 'zod';
import type { Issue } from '../../errors/index.ts';
import { minTensorParallel } from '../../kv/compute.ts';
import { BUILTIN_GPUS } from '../../kv/gpu.ts';
import { isRecord } from '../files.ts';
import { suggestion } from '../issues.ts';
import { optional } from '../schema-fields.ts';
import type { Known } from './checks-models.ts';
import { SCENARIO_DEFAULTS } from './defaults.ts';
import { gpuSchema, variantSchema } from './schema-models.ts';

type Path = readonly (string | number)[];

/**
 * The weights of every variant's model must fit `tensorParallel` GPUs (docs/references.md §3 model
 * shapes: a 70B model needs at least 2 × 80 GB). Checked whenever `gpu`, `tensorParallel`,
 * `models` and `variants` are readable, whatever else is wrong; a custom model whose shape is
 * invalid (reported by ./checks-models.ts) is left out.
 */
export function fitIssues(
  data: Readonly<Record<string, unknown>>,
  known: Known,
  issues: Issue[],
): void {
  const gpuId = optional(gpuSchema).safeParse(data['gpu']);
  const tpRead = z.literal([1, 2, 4, 8]).optional().safeParse(data['tensorParallel']);
  const variantsRead = z.array(variantSchema).safeParse(data['variants']);
  const shapes = known.shapes;
  if (!gpuId.success || !tpRead.success || shapes === undefined || !variantsRead.success) return;
  const gpu = BUILTIN_GPUS[gpuId.data ?? SCENARIO_DEFAULTS.gpu];
  if (gpu === undefined) return;
  const tp = tpRead.data ?? SCENARIO_DEFAULTS.tensorParallel;
  const used = new Set(variantsRead.data.map((v) => v.model));
  for (const [modelId, shape] of shapes) {
    if (!used.has(modelId) || shape === undefined) continue;
    const need = minTensorParallel(shape, gpu);
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
export function servingIssues(
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
export function workloadVariantIssues(
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
