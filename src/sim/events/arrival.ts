/**
 * The `arrival` event (docs/design.md "Simulator"): a request arrives, is routed to a replica,
 * and the reuse planner decides how to serve it — `choose` (the planner's pick without
 * enumerating every option) sees the pool's current contents, a contention-aware fetch estimate
 * (`FluidNetwork.estimateRateOn`: each resource's capacity shared with the flows already on it),
 * the replica's queue length, GPU backlog (what is queued, or what earlier decisions promised,
 * whichever ends later) and the wait for its load slot (../loader.ts), and the TTFT SLO. The
 * decision's own promises are then recorded on the replica, and the request either queues its
 * full prefill or joins the replica's loader (whole fetch, or E caches first for a pipelined
 * reuse). Arrivals are pulled from the workload stream one at a time.
 */
import type { ModelShape } from '../../kv/models.ts';
import type { CachedObject } from '../../kv/pool.ts';
import {
  choose,
  computeCosts,
  planSizes,
  type FetchEstimator,
  type ComputeCosts,
  type PlanOption,
  type PlanSizes,
} from '../../planner/planner.ts';
import {
  commit,
  gpuBacklogNs,
  loadWaitNs,
  plannerEstimator,
  gpuBehind,
  holdOf,
  loadsBehind,
  requestLoad,
} from '../loader.ts';
import { takePrefix } from '../hbm.ts';
import { recordDecision } from '../metrics.ts';
import { route, variantOf } from '../routing.ts';
import type { InFlight, Move, Replica, RunState, VariantInfo } from '../state.ts';
import { fetchTransfer, reusableOf } from '../transfers.ts';
import type { Request } from '../workload.ts';
import { startCompute } from './prefill-done.ts';

/** Schedules the workload's next arrival, if any. */
export function pullArrival(s: RunState): void {
  const req = s.requests.nextRequest();
  if (req !== undefined) s.queue.push(req.arrivalNs, { kind: 'arrival', req });
}

/** Handles a request's arrival: route, plan, then queue its compute or start its fetch. */
export function arrive(s: RunState, req: Request): void {
  const m = s.metrics;
  m.arrived++;
  m.inSystem++;
  const info = variantOf(s, req.variant);
  const own = s.pool.get(req.variant, req.context);
  const related = s.pool.related(info.model, req.context, req.variant);
  const rep = route(s, info, own, related, req.context);
  rep.load++;
  const sizes = sizesOf(info, rep.model, req.contextTokens);
  const local =
    s.cfg.serving.prefixCache === true &&
    s.cfg.planner.policy !== 'full-prefill' &&
    takePrefix(rep, req.variant, req.context);
  const o = local ? localHit(s, req, info, rep) : plan(s, req, info, rep, own, related, sizes);
  recordDecision(m, o);
  if (local) m.localHits++;
  else touchPool(s, o, own, related);
  const input = s.input;
  const waitNs = input.loadWaitNs ?? 0;
  const move = dispatch(s, req, rep, o, sizes, holdOf(o, waitNs));
  const latencyNs = move === undefined ? 0 : move.latencyNs;
  const eReadyNs = eReadyOf(o, sizes, waitNs, latencyNs);
  commit(rep, o, s.nowNs, input.gpuBacklogNs ?? 0, eReadyNs, latencyNs);
}

/**
 * A request its replica serves from its local prefix cache (`serving.prefixCache`): an exact
 * reuse that fetches nothing — only the suffix is prefilled, after the GPU backlog. Every policy
 * but full prefill takes it: no option is cheaper. The planner's input carries the backlog the
 * loader's bookkeeping reads (no load: no wait).
 */
function localHit(s: RunState, req: Request, info: VariantInfo, rep: Replica): PlanOption {
  const input = s.input;
  const backlogNs = gpuBacklogNs(rep, s.nowNs);
  input.gpuBacklogNs = backlogNs;
  input.loadWaitNs = 0;
  const suffixNs = costsOf(s, info, rep.model, req.contextTokens, req.suffixTokens).suffixNs;
  return {
    kind: 'exact',
    sourceVariant: req.variant,
    replica: -1,
    source: { kind: 'host', host: rep.host, memory: 'gpu' },
    recomputedLayers: 0,
    groups: [],
    eCacheLoads: 0,
    fetchBytes: 0,
    fetchNs: 0,
    recomputeNs: 0,
    suffixNs,
    ttftNs: backlogNs + suffixNs,
    systemCostNs: backlogNs + suffixNs, // nothing is ranked against it: its TTFT

    qualityLoss: 0,
  };
}

/** The planner's decision for a request routed to `rep` (one input object, refilled). */
function plan(
  s: RunState,
  req: Request,
  info: VariantInfo,
  rep: Replica,
  own: CachedObject | undefined,
  related: readonly CachedObject[],
  sizes: PlanSizes,
): PlanOption {
  const profiles = info.profiles;
  const relatedCaches = s.relatedCaches;
  relatedCaches.length = 0;
  for (const c of related) if (profiles.has(c.variant)) relatedCaches.push(reusableOf(s, c));
  const input = s.input;
  input.variant = req.variant;
  input.model = rep.model;
  input.contextTokens = req.contextTokens;
  input.suffixTokens = req.suffixTokens;
  input.exact = own === undefined ? undefined : reusableOf(s, own);
  input.related = relatedCaches;
  input.profiles = profiles;
  // The queued-load adjustment applies only while the slot is busy: the run's estimator as is otherwise.
  input.estimate =
    rep.loading === undefined
      ? (s.estimators[rep.index] as FetchEstimator)
      : plannerEstimator(s, rep);
  input.queueLength = rep.prefill.length;
  input.gpuBacklogNs = gpuBacklogNs(rep, s.nowNs);
  input.loadWaitNs = loadWaitNs(rep, s.nowNs);
  input.waitingBehind = gpuBehind(rep, s.nowNs);
  input.loadsBehind = loadsBehind(rep, s.nowNs);
  input.costs = costsOf(s, info, rep.model, req.contextTokens, req.suffixTokens);
  input.sizes = sizes;
  return choose(s.cfg.planner.policy, input);
}

/**
 * When a pipelined reuse's E caches land, from now (the load wait included), as the planner
 * priced it: its fetch of `fetchBytes` takes `fetchNs` = λ + bytes ÷ rate (λ: the move's
 * first-byte latency), so the E caches' share takes λ + eBytes ÷ rate. Read off the option
 * rather than asking the estimator again (a second contention estimate per request cost the
 * bench measurably). 0 for anything else, or when it loads no E cache.
 */
function eReadyOf(o: PlanOption, sizes: PlanSizes, waitNs: number, latencyNs: number): number {
  if (o.kind !== 'partial' || o.strategy !== 'pipelined' || o.eCacheLoads === 0) return 0;
  const eBytes = o.eCacheLoads * sizes.eLayerBytes;
  return waitNs + latencyNs + (eBytes * (o.fetchNs - latencyNs)) / o.fetchBytes;
}

/** Compute costs of a variant's model per (context, suffix) tokens: contexts recur, so most requests hit. */
function costsOf(
  s: RunState,
  info: VariantInfo,
  model: ModelShape,
  contextTokens: number,
  suffixTokens: number,
): ComputeCosts {
  const key = contextTokens * 1_000_003 + suffixTokens; // distinct for suffixes < 1,000,003 tokens
  let c = info.costs.get(key);
  if (c === undefined) {
    const { gpu, tensorParallel } = s.cfg;
    c = computeCosts({ model, gpu, tensorParallel, contextTokens, suffixTokens });
    info.costs.set(key, c);
  }
  return c;
}

/** Cache sizes of a variant's model per context tokens, memoised like its compute costs. */
function sizesOf(info: VariantInfo, model: ModelShape, contextTokens: number): PlanSizes {
  let z = info.sizes.get(contextTokens);
  if (z === undefined) info.sizes.set(contextTokens, (z = planSizes(model, contextTokens)));
  return z;
}

/** Tells the pool what the decision used: a hit on the own copy, a cross-variant hit, or a miss. */
function touchPool(
  s: RunState,
  o: PlanOption,
  own: CachedObject | undefined,
  related: readonly CachedObject[],
): void {
  const pool = s.pool;
  if (o.kind === 'exact' && own !== undefined) pool.touch(own.key, s.nowNs, 'exact');
  else if (o.kind === 'partial') {
    const src = related.find((r) => r.variant === o.sourceVariant);
    if (src !== undefined) pool.touch(src.key, s.nowNs, 'cross-variant');
  } else pool.recordMiss();
}

/**
 * Queues the request's compute, or its load on the replica's loader (../loader.ts; compute
 * follows when the load lets it: the E caches of a pipelined reuse, else the whole fetch; a
 * pipelined reuse that loads no E cache starts computing at once). The in-flight records are
 * written out at each site rather than made by one factory: V8 decides per allocation site
 * whether to allocate straight into the old generation, and one shared site raised the
 * 1 M-request bench's peak RSS by about a third.
 */
function dispatch(
  s: RunState,
  req: Request,
  rep: Replica,
  o: PlanOption,
  sizes: PlanSizes,
  holdNs: number,
): Move | undefined {
  const computeNs = o.kind === 'full-prefill' ? o.recomputeNs : o.recomputeNs + o.suffixNs;
  if (o.kind === 'full-prefill' || o.source === undefined || o.fetchBytes <= 0) {
    startCompute(s, {
      req,
      replica: rep,
      option: o,
      pending: 1,
      ttftNs: 0,
      remainingTokens: req.outputTokens,
      computeNs,
      move: undefined,
      kvBytes: 0,
    });
    return undefined;
  }
  const move = fetchTransfer(s, rep, o.source);
  if (move === undefined)
    throw new Error(`planner chose an unreachable source for replica ${rep.index}`); // an internal invariant, not user input: the estimator gave a figure, so it is reachable
  const total = o.fetchBytes;
  const moved = s.metrics.moved;
  if (o.source.kind === 'host') moved.fetchRdma += total;
  else {
    moved.fetchCxl += total;
    moved.fetchRelayed += total * move.relayedShare;
  }
  if (o.kind === 'partial' && o.strategy === 'pipelined') {
    // Compute and the KV stream both gate the first token.
    const eBytes = o.eCacheLoads * sizes.eLayerBytes;
    const x: InFlight = {
      req,
      replica: rep,
      option: o,
      pending: 2,
      ttftNs: 0,
      remainingTokens: req.outputTokens,
      computeNs,
      move,
      kvBytes: total - eBytes,
    };
    if (eBytes <= 0) startCompute(s, x); // its input is the token embeddings: nothing to wait for
    requestLoad(s, x, holdNs);
    return move;
  }
  requestLoad(
    s,
    {
      req,
      replica: rep,
      option: o,
      pending: 1,
      ttftNs: 0,
      remainingTokens: req.outputTokens,
      computeNs,
      move,
      kvBytes: 0,
    },
    holdNs,
  );
  return move;
}
