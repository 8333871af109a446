/**
 * The planner's prices: the request's compute costs and cache sizes (computed once per request
 * shape, {@link computeCosts} and {@link planSizes}), the fetch and TTFT formulas of each kind of
 * option (planner.ts header), and the option objects built from them. Both the full enumeration
 * and the fast path price with these helpers, so their numbers are bit-identical (the fast path's
 * tie-breaking depends on it).
 */
import type { FetchSource } from '../fabric/fetch.ts';
import { prefillTimeNs } from '../kv/compute.ts';
import { eCacheBytes, kvCacheBytes, kvLayerBytes, type ModelShape } from '../kv/models.ts';
import type { FrontierPoint } from './profile-types.ts';
import type {
  ComputeCosts,
  ExactReuseOption,
  FetchEstimate,
  FullPrefillOption,
  PartialReuseOption,
  PlanInput,
  PlanSizes,
  Strategy,
} from './types.ts';

/**
 * The compute prices of a request (see {@link ComputeCosts}), as the planner computes them when
 * `PlanInput.costs` is absent.
 * @example computeCosts({ model, gpu, tensorParallel: 1, contextTokens: 10_933, suffixTokens: 64 }).fullNs // ≈ 7.5e8
 */
export function computeCosts(
  p: Pick<PlanInput, 'model' | 'gpu' | 'tensorParallel' | 'contextTokens' | 'suffixTokens'>,
): ComputeCosts {
  const m = p.model;
  const opts = { tp: p.tensorParallel };
  const tokens = p.contextTokens;
  const suffixNs =
    p.suffixTokens > 0
      ? prefillTimeNs(m, p.gpu, p.suffixTokens, { ...opts, contextTokens: tokens + p.suffixTokens })
      : 0;
  const fullNs = prefillTimeNs(m, p.gpu, tokens + p.suffixTokens, opts);
  // Recomputing L layers costs L × one layer plus the LM head once (kv/compute.ts), so two calls
  // price every frontier point.
  const headNs = prefillTimeNs(m, p.gpu, tokens, { ...opts, layers: 0 });
  const perLayerNs = prefillTimeNs(m, p.gpu, tokens, { ...opts, layers: 1 }) - headNs;
  return { suffixNs, fullNs, headNs, perLayerNs };
}

/**
 * The cache sizes of a context (see {@link PlanSizes}), as the planner computes them when
 * `PlanInput.sizes` is absent.
 * @example planSizes(getModel('llama-3.1-8b'), 10_933).kvBytes // 1,433,010,176
 */
export function planSizes(model: ModelShape, contextTokens: number): PlanSizes {
  return {
    kvBytes: kvCacheBytes(model, contextTokens),
    kvLayerBytes: kvLayerBytes(model, contextTokens),
    eLayerBytes: eCacheBytes(model, contextTokens),
  };
}

/** Bytes a partial reuse fetches under a strategy: send-all takes every layer's KV. */
export function partialFetchBytes(
  strategy: Strategy,
  eBytes: number,
  reusedKvBytes: number,
  allKvBytes: number,
): number {
  return strategy === 'send-all' ? allKvBytes + eBytes : reusedKvBytes + eBytes;
}

/** Time (ns) to fetch `fetchBytes` of a partial reuse; nothing to fetch costs nothing. */
export function partialFetchNs(f: FetchEstimate, fetchBytes: number): number {
  return fetchBytes === 0 ? 0 : f.latencyNs + fetchBytes / f.bandwidthBytesPerNs;
}

/** Time (ns) for a pipelined reuse's E caches (`eBytes`) to land once its load starts; none: 0. */
export function eFetchNs(f: FetchEstimate, eBytes: number): number {
  return eBytes === 0 ? 0 : f.latencyNs + eBytes / f.bandwidthBytesPerNs;
}

/**
 * TTFT (ns) of a partial reuse whose fetch takes `fetchNs` once its load starts, `waitNs` from
 * now, and whose GPU work takes `workNs` (planner.ts header, docs/planner.md): GPU work starts
 * once its inputs have landed and the backlog is done; send-all and send-reused need the whole
 * fetch, pipelined only the E caches (none to load: it starts at once, its input is the token
 * embeddings), and its first token also waits for the KV stream, which follows the E caches
 * without a second first-byte latency.
 */
export function partialTtftOf(
  strategy: Strategy,
  f: FetchEstimate,
  eBytes: number,
  fetchNs: number,
  workNs: number,
  backlogNs: number,
  waitNs = 0,
): number {
  const pipelined = strategy === 'pipelined';
  const ready = pipelined ? (eBytes === 0 ? 0 : waitNs + eFetchNs(f, eBytes)) : waitNs + fetchNs;
  const computed = workNs === 0 ? ready : Math.max(ready, backlogNs) + workNs;
  return pipelined ? Math.max(computed, waitNs + fetchNs) : computed;
}

/** Recompute time (ns) of a frontier point's layers over the context (0 layers: nothing). */
export function recomputeNsOf(recomputedLayers: number, c: ComputeCosts): number {
  return recomputedLayers === 0 ? 0 : c.headNs + recomputedLayers * c.perLayerNs;
}

/** Time (ns) to fetch a whole exact cache of `kvBytes`. */
export function exactFetchNs(f: FetchEstimate, kvBytes: number): number {
  return f.latencyNs + kvBytes / f.bandwidthBytesPerNs;
}

/**
 * TTFT (ns) of an exact reuse: the fetch starts after `waitNs` (the load slot), and the suffix
 * prefill waits for it and the GPU backlog.
 */
export function exactTtftNs(
  fetchNs: number,
  suffixNs: number,
  backlogNs: number,
  waitNs = 0,
): number {
  const landed = waitNs + fetchNs;
  return suffixNs > 0 ? Math.max(landed, backlogNs) + suffixNs : landed;
}

/**
 * TTFT of a partial reuse under a strategy (see planner.ts header); all times in ns.
 * Recomputation starts when its inputs have landed and the GPU has finished the `backlogNs` of
 * work queued before it (FIFO prefill queue); the fetch starts after `waitNs` (the load slot).
 */
export function partialTtftNs(
  strategy: Strategy,
  f: FetchEstimate,
  bytes: { eBytes: number; reusedKvBytes: number; allKvBytes: number },
  recomputeNs: number,
  backlogNs = 0,
  waitNs = 0,
): { ttftNs: number; fetchNs: number; fetchBytes: number } {
  const fetchBytes = partialFetchBytes(
    strategy,
    bytes.eBytes,
    bytes.reusedKvBytes,
    bytes.allKvBytes,
  );
  const fetchNs = partialFetchNs(f, fetchBytes);
  return {
    ttftNs: partialTtftOf(strategy, f, bytes.eBytes, fetchNs, recomputeNs, backlogNs, waitNs),
    fetchNs,
    fetchBytes,
  };
}

/**
 * The system cost of an option (ns; docs/planner.md "The system cost"): its TTFT, plus its GPU
 * work (`workNs`) once for each of the `behind` requests waiting for the GPU after it, plus the
 * time it holds its replica's load slot (`holdNs`) once for each of the `loadsBehind` loads
 * waiting for the slot after it. A term with nothing behind or nothing held adds nothing (no
 * rounding), so with nobody behind it is the TTFT itself.
 */
export function systemCostOf(
  ttftNs: number,
  workNs: number,
  behind: number,
  holdNs: number,
  loadsBehind: number,
): number {
  const gpu = behind === 0 || workNs === 0 ? ttftNs : ttftNs + workNs * behind;
  return loadsBehind === 0 || holdNs === 0 ? gpu : gpu + holdNs * loadsBehind;
}

/**
 * How long a reuse holds its replica's load slot (ns; src/sim/loader.ts): send-all and
 * send-reused from the start of their load to the end of their GPU work (TTFT − wait), the rest
 * for their fetch; nothing fetched, nothing held.
 */
export function slotHoldNs(
  holdsThroughCompute: boolean,
  ttftNs: number,
  waitNs: number,
  fetchNs: number,
): number {
  return holdsThroughCompute ? ttftNs - waitNs : fetchNs;
}

// Option objects, built in one place so that both paths give the same fields in the same order
// (`podsim explain --json` prints them as they are).

/**
 * The full-prefill option of a model of `layers` layers on a GPU with `backlogNs` of work queued
 * and `behind` requests expected behind it.
 */
export function fullOption(
  layers: number,
  c: ComputeCosts,
  backlogNs: number,
  behind: number,
): FullPrefillOption {
  const ttftNs = backlogNs + c.fullNs;
  return {
    kind: 'full-prefill',
    recomputedLayers: layers,
    groups: [{ start: 0, end: layers - 1 }],
    eCacheLoads: 0,
    fetchBytes: 0,
    fetchNs: 0,
    recomputeNs: c.fullNs,
    suffixNs: 0,
    ttftNs,
    systemCostNs: systemCostOf(ttftNs, c.fullNs, behind, 0, 0),
    qualityLoss: 0,
  };
}

/**
 * A priced reuse candidate: where it comes from and what it fetches, computes and costs (the
 * candidate walker's records satisfy it). Exact reuse fetches `fetchBytes` = the whole cache,
 * of the receiver's own `variant`; its `point` and `strategy` are not read.
 */
export interface PricedReuse {
  readonly variant: string;
  readonly replica: number;
  readonly source: FetchSource;
  readonly point: FrontierPoint;
  readonly strategy: Strategy;
  readonly fetchBytes: number;
  readonly fetchNs: number;
  readonly recomputeNs: number;
  readonly ttftNs: number;
  readonly systemCostNs: number;
}

/** The exact-reuse option of a priced candidate, its suffix prefill taking `suffixNs`. */
export function exactOption(c: PricedReuse, suffixNs: number): ExactReuseOption {
  return {
    kind: 'exact',
    sourceVariant: c.variant,
    replica: c.replica,
    source: c.source,
    recomputedLayers: 0,
    groups: [],
    eCacheLoads: 0,
    fetchBytes: c.fetchBytes,
    fetchNs: c.fetchNs,
    recomputeNs: 0,
    suffixNs,
    ttftNs: c.ttftNs,
    systemCostNs: c.systemCostNs,
    qualityLoss: 0,
  };
}

/** The partial-reuse option of a priced candidate, its suffix prefill taking `suffixNs`. */
export function partialOption(c: PricedReuse, suffixNs: number): PartialReuseOption {
  const pt = c.point;
  return {
    kind: 'partial',
    strategy: c.strategy,
    sourceVariant: c.variant,
    replica: c.replica,
    source: c.source,
    recomputedLayers: pt.recomputedLayers,
    groups: pt.groups,
    eCacheLoads: pt.eCacheLoads,
    fetchBytes: c.fetchBytes,
    fetchNs: c.fetchNs,
    recomputeNs: c.recomputeNs,
    suffixNs,
    ttftNs: c.ttftNs,
    systemCostNs: c.systemCostNs,
    qualityLoss: pt.qualityLoss,
  };
}
