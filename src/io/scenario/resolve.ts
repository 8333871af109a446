/**
 * Resolving a checked scenario file into a {@link Scenario}: defaults from SCENARIO_DEFAULTS,
 * built-in and custom models, synthetic profiles generated and missing frontiers built, the
 * placement, serving and workload in the kv and sim layers' own types — all frozen, so nothing
 * downstream re-checks or defaults. Runs only on a file that passed every check.
 */
import { GeneratorError, InputError } from '../../errors/index.ts';
import { BUILTIN_GPUS, type GpuProfile } from '../../kv/gpu.ts';
import { BUILTIN_MODELS, type ModelShape } from '../../kv/models.ts';
import type { PlacementPolicy } from '../../kv/pool.ts';
import {
  buildFrontier,
  syntheticProfile,
  type FrontierPoint,
  type PairProfile,
} from '../../planner/profiles.ts';
import type { ServingSpec } from '../../sim/types.ts';
import { stem } from '../files.ts';
import { SCENARIO_DEFAULTS } from './defaults.ts';
import { buildWorkload } from './resolve-workload.ts';
import type { TraceData } from './trace.ts';
import type { ScenarioFile } from './schema.ts';
import { fillCustom } from './schema-models.ts';
import { sloSchema } from './schema-workload.ts';
import type { Scenario, Variant } from './types.ts';

type ProfileFile = NonNullable<ScenarioFile['profiles']>[number];

/** `models` by id: built-in shapes, and custom entries with their defaults filled in. */
function resolveModels(f: ScenarioFile): Record<string, ModelShape> {
  // No prototype: a model id `__proto__` or `constructor` is an ordinary key (issue 15).
  const models = Object.create(null) as Record<string, ModelShape>;
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

function resolvePlacement(p: NonNullable<ScenarioFile['pool']>['placement']): PlacementPolicy {
  const v = p ?? SCENARIO_DEFAULTS.pool.placement;
  if (v === 'local' || v === 'stripe') return Object.freeze({ kind: v });
  if ('spread' in v) return Object.freeze({ kind: 'spread', devices: v.spread });
  if ('replicas' in v) return Object.freeze({ kind: 'replicas', count: v.replicas });
  return Object.freeze({ kind: 'host-memory', memory: v['host-memory'] });
}

/** {@link SCENARIO_DEFAULTS}' SLO, read by the file's own schema. */
const DEFAULT_SLO = sloSchema.parse(SCENARIO_DEFAULTS.slo);

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
    blockTokens: f.serving?.blockTokens ?? d.blockTokens,
    ...(f.serving?.hbmUsableFraction === undefined
      ? {}
      : { hbmUsableFraction: f.serving.hbmUsableFraction }),
    ...(f.serving?.prefixCache === undefined ? {} : { prefixCache: f.serving.prefixCache }),
  });
}

const freezePoint = (p: FrontierPoint): FrontierPoint =>
  Object.freeze({
    groups: Object.freeze(p.groups.map((g) => Object.freeze({ start: g.start, end: g.end }))),
    recomputedLayers: p.recomputedLayers,
    eCacheLoads: p.eCacheLoads,
    qualityLoss: p.qualityLoss,
  });

/** One profile entry as a frozen {@link PairProfile}: data with its frontier (built when absent), or synthetic. */
function resolveProfile(
  p: ProfileFile,
  k: number,
  layers: number,
  seed: number,
  file: string,
): PairProfile {
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
}

/**
 * The resolved scenario of a checked file.
 * @param traceNs the trace the workload names (arrival times, and rows for a per-row trace)
 * @throws InputError when a synthetic profile cannot be generated (paths under `profiles[k].synthetic`)
 */
export function resolve(f: ScenarioFile, file: string, traceNs: TraceData | undefined): Scenario {
  const seed = f.seed ?? SCENARIO_DEFAULTS.seed;
  const models = Object.freeze(resolveModels(f));
  const variants = Object.freeze(
    f.variants.map((v) => Object.freeze({ id: v.id, model: v.model })),
  );
  const modelOf = new Map(variants.map((v) => [v.id, models[v.model] as ModelShape]));
  const profiles = (f.profiles ?? []).map((p, k) =>
    resolveProfile(p, k, (modelOf.get(p.receiver) as ModelShape).layers, seed, file),
  );
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
    // Absent unless the file sets it: the engine then follows the policy a run uses (a what-if
    // that switches the policy switches the default with it).
    ...(f.pool?.storeOnFullPrefill === undefined
      ? {}
      : { storeOnFullPrefill: f.pool.storeOnFullPrefill }),
  });
}
