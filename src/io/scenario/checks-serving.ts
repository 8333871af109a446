/**
 * The checks of what a scenario file serves, on the raw data so they are reported together with
 * the schema's issues: whether each served model's weights fit `tensorParallel` GPUs and leave
 * KV space beside them and the pool's GPU tier, the
 * variants `serving.replicas` names, and the variants `workload.variants` weights.
 */
import { z } from 'zod';
import type { Issue } from '../../errors/index.ts';
import { maxBatchTokens, minTensorParallel } from '../../kv/compute.ts';
import { BUILTIN_GPUS, type GpuProfile } from '../../kv/gpu.ts';
import { kvBytesPerToken, type ModelShape } from '../../kv/models.ts';
import { isRecord } from '../files.ts';
import { suggestion } from '../issues.ts';
import { optional } from '../schema-fields.ts';
import type { Known } from './checks-models.ts';
import { SCENARIO_DEFAULTS } from './defaults.ts';
import { fraction } from './fields.ts';
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
  const space = kvSpaceReader(data);
  for (const [modelId, shape] of shapes) {
    if (!used.has(modelId) || shape === undefined) continue;
    const need = minTensorParallel(shape, gpu);
    if (need !== undefined && need <= tp) {
      if (space !== undefined) kvSpaceIssue(modelId, shape, gpu, tp, space, issues);
      continue;
    }
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

/** What the KV-space check reads besides the model: HBM share, block size and the pool's GPU tier. */
interface SpaceSettings {
  readonly usable: number | undefined;
  readonly blockTokens: number;
  /** Share of HBM the pool's GPU tier takes (0 unless placement is host-memory: gpu). */
  readonly tier: number;
  /** Where the binding setting lives, for the message. */
  readonly tierPath: Path | undefined;
}

/** The settings of the KV-space check, or undefined when one is unreadable (its own issue says so). */
function kvSpaceReader(data: Readonly<Record<string, unknown>>): SpaceSettings | undefined {
  const serving = isRecord(data['serving']) ? data['serving'] : {};
  const pool = isRecord(data['pool']) ? data['pool'] : {};
  const usable = optional(fraction('')).safeParse(serving['hbmUsableFraction']);
  const block = z.number().int().min(1).optional().safeParse(serving['blockTokens']);
  const tier = optional(fraction('')).safeParse(pool['gpuCacheFraction']);
  if (!usable.success || !block.success || !tier.success) return undefined;
  const placement = pool['placement'];
  const onGpu = isRecord(placement) && placement['host-memory'] === 'gpu';
  return {
    usable: usable.data,
    blockTokens: block.data ?? SCENARIO_DEFAULTS.serving.blockTokens,
    tier: onGpu ? (tier.data ?? SCENARIO_DEFAULTS.pool.gpuCacheFraction) : 0,
    tierPath: onGpu ? ['pool', 'gpuCacheFraction'] : undefined,
  };
}

/**
 * A replica must keep at least one KV block after its weights and the pool's GPU tier (the
 * engine's KV space, src/sim/hbm.ts): HBM × usable share × tp − weights − tier × HBM × tp.
 */
function kvSpaceIssue(
  modelId: string,
  shape: ModelShape,
  gpu: GpuProfile,
  tp: number,
  c: SpaceSettings,
  issues: Issue[],
): void {
  if (c.usable === 0) {
    issues.push({
      code: 'scenario.hbm-usable',
      path: ['serving', 'hbmUsableFraction'],
      message: 'hbmUsableFraction must be above 0: the weights and KV need some HBM',
    });
    return;
  }
  const tokens = maxBatchTokens(shape, gpu, {
    tp,
    ...(c.usable === undefined ? {} : { hbmUsableFraction: c.usable }),
  });
  const tierTokens = Math.ceil((c.tier * gpu.hbmBytes * tp) / kvBytesPerToken(shape));
  if (tokens - tierTokens >= c.blockTokens) return;
  issues.push({
    code: 'scenario.no-kv-space',
    path: c.tierPath ?? ['serving', 'hbmUsableFraction'],
    message: `${tp} × ${gpu.name} leave no KV block for ${modelId}: ${tokens} tokens fit beside the weights${c.tier > 0 ? `, and the pool's GPU tier (gpuCacheFraction ${c.tier}) takes ${tierTokens}` : ''}; lower pool.gpuCacheFraction, raise serving.hbmUsableFraction or tensorParallel`,
  });
}
