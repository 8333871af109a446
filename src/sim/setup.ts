/**
 * Building a run's state (docs/design.md "Simulator"): replicas placed on the fabric's GPUs, the
 * variants' lookups (pair profiles by sender, replicas, E layers), an empty pool and flow
 * network, the workload stream, the planner's reusable input object, and an empty metrics store.
 */
import { InputError } from '../errors/index.ts';
import type { Fabric } from '../fabric/compile.ts';
import { checkGpuLink } from '../fabric/gpu-link.ts';
import { FluidNetwork } from '../fabric/flows.ts';
import type { ModelShape } from '../kv/models.ts';
import { KvPool } from '../kv/pool.ts';
import { ownEntry } from '../kv/lookup.ts';
import { eLayersFor, STRATEGIES, type Strategy } from '../planner/planner.ts';
import type { PairProfile } from '../planner/profiles.ts';
import { HBM_DEFAULTS } from './constants.ts';
import { createMetrics } from './metrics.ts';
import { EventQueue } from './queue.ts';
import { placeReplicas } from './replicas.ts';
import type { Ev, MutablePlanInput, Replica, RunState, VariantInfo } from './state.ts';
import { fetchEstimator } from './transfers.ts';
import type { RunOptions, SimConfig } from './types.ts';
import { generateRequests } from './workload.ts';

const NO_PROFILES: ReadonlyMap<string, PairProfile> = new Map();

/** Each variant's lookups, by variant id. */
function variantLookups(cfg: SimConfig, replicas: readonly Replica[]): Map<string, VariantInfo> {
  const byVariant = new Map<string, Replica[]>();
  for (const r of replicas) byVariant.set(r.variant, [...(byVariant.get(r.variant) ?? []), r]);
  const profilesByReceiver = new Map<string, Map<string, PairProfile>>();
  for (const p of cfg.profiles) {
    const m = profilesByReceiver.get(p.receiver) ?? new Map<string, PairProfile>();
    m.set(p.sender, p);
    profilesByReceiver.set(p.receiver, m);
  }
  return new Map<string, VariantInfo>(
    cfg.variants.map((v) => [
      v.id,
      {
        model: v.model,
        profiles: profilesByReceiver.get(v.id) ?? NO_PROFILES,
        replicas: byVariant.get(v.id) ?? [],
        next: 0,
        eLayers: eLayersFor(v.id, cfg.profiles, cfg.qualityBudget),
        costs: new Map(),
        sizes: new Map(),
      },
    ]),
  );
}

/** The planner's input with the run's constant fields set; the per-request ones are refilled. */
function plannerInput(
  cfg: SimConfig,
  replicas: readonly Replica[],
  strategies: readonly Strategy[],
): MutablePlanInput {
  return {
    variant: '',
    model: replicas[0]?.model as ModelShape, // set per request before use (no request reaches the planner without a replica)
    gpu: cfg.gpu,
    tensorParallel: cfg.tensorParallel,
    contextTokens: 0,
    suffixTokens: 0,
    exact: undefined,
    related: [],
    profiles: NO_PROFILES,
    qualityBudget: cfg.qualityBudget,
    estimate: () => undefined,
    strategies,
    queueLength: 0,
    gpuBacklogNs: 0,
    ttftSloNs: cfg.slo.ttftNs,
    costs: { suffixNs: 0, fullNs: 0, headNs: 0, perLayerNs: 0 }, // set per request
    sizes: { kvBytes: 0, kvLayerBytes: 0, eLayerBytes: 0 }, // set per request
  };
}

/**
 * The state a run starts from.
 * @throws InputError when the scenario's GPU does not match the topology's GPU link, the serving
 *   spec does not fit the topology's GPUs or names unknown variants, or the workload is invalid
 */
export function createRunState(f: Fabric, cfg: SimConfig, options: RunOptions): RunState {
  // The scenario's GPU must be the one the topology wires (H100 compute on an A100's PCIe 4 link
  // would price compute and fetches for two different machines).
  const gpuIssues = checkGpuLink(f, cfg.gpu, ['gpu']);
  if (gpuIssues.length > 0) throw new InputError(gpuIssues);
  const modelOf = new Map(cfg.variants.map((v) => [v.id, ownEntry(cfg.models, v.model)]));
  const replicas = placeReplicas(f, cfg, modelOf);
  const strategies: readonly Strategy[] =
    cfg.planner.strategy === 'best' ? STRATEGIES : [cfg.planner.strategy];
  // In this order, so a run with several problems reports the same one first as always.
  const pool = new KvPool(f, cfg.pool);
  const variants = variantLookups(cfg, replicas);
  const requests = options.requests ?? generateRequests(cfg.workload, cfg.seed);
  const s: RunState = {
    f,
    cfg,
    options,
    nowNs: 0,
    queue: new EventQueue<Ev>(),
    net: new FluidNetwork(f.resourceCapacityBytesPerNs),
    pool,
    requests,
    replicas,
    variants,
    strategies,
    flowReq: [],
    flowStage: [],
    flowObj: [],
    blockTokens: cfg.serving.blockTokens ?? HBM_DEFAULTS.blockTokens,
    storeOnFullPrefill: cfg.storeOnFullPrefill ?? cfg.planner.policy !== 'full-prefill',
    caches: {
      planCache: new Map(),
      transferTo: new WeakMap(),
      sourceOfReplica: new WeakMap(),
      reusable: new WeakMap(),
      writeRoutes: new Map(),
      writeMoves: new Map(),
    },
    estimators: [],
    input: plannerInput(cfg, replicas, strategies),
    relatedCaches: [],
    metrics: createMetrics(cfg.workload.requests ?? 0),
    trace: options.onSpan === undefined ? undefined : { startNs: [], bytes: [] },
  };
  for (const rep of replicas) s.estimators.push(fetchEstimator(s, rep));
  return s;
}
