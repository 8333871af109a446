/**
 * The reuse planner (architecture.md: "full prefill | exact reuse | partial reuse"). For one
 * request — a variant, a context of `tokens` tokens, a consuming host — it enumerates every
 * option and estimates its time to first token (TTFT) from the fabric's fetch costs and the GPU
 * compute model:
 *
 * - **full prefill**: every layer over context and suffix on the GPU.
 * - **exact reuse**: the variant's own cached KV for the context, fetched whole; then only the
 *   suffix (the new prompt tokens) is prefilled.
 * - **partial reuse** (DroidSpeak, reference.md §3): another variant's cache of the same context,
 *   with a recompute set from the pair profile's Pareto frontier inside the quality budget. Each
 *   recomputed group needs the sender's E cache at its first layer. Three ways to run it:
 *   - `send-all`: fetch every layer's KV and the E caches, then recompute;
 *   - `send-reused`: fetch only the reused layers' KV and the E caches, then recompute;
 *   - `pipelined`: fetch the E caches first and start recomputing as soon as they land, while
 *     the reused layers' KV streams behind them on the network: TTFT = max(E landed +
 *     recompute, everything landed). So pipelined ≤ send-reused ≤ send-all for the same point.
 *
 * A fetch of `b` bytes from a source costs `latency + b ÷ bandwidth`, with the source's unloaded
 * latency and bandwidth from `fetchCost` (or the simulator's current share of it under load).
 * GPU work starts once its inputs have landed and the work queued before it on the replica
 * (`gpuBacklogNs`) is done, so a busy GPU makes recompute-heavy options dearer.
 *
 * Policies:
 * - `full-prefill`, `exact-only` (an LMCache-like baseline: exact hits only);
 * - `droidspeak`: the paper's rule — exact reuse when cached; otherwise partial reuse from the
 *   first related cache, first replica, pipelined: with requests queued, the fewest recomputed
 *   layers within the budget; with an idle queue, the most recomputation whose estimated TTFT
 *   still meets the TTFT SLO. Bandwidth is not an input (the paper leaves that to future work);
 * - `fabric-aware` (podsim's): the option — source, replica, frontier point, strategy — with the
 *   lowest estimated TTFT under the current bandwidth and GPU backlog, including full prefill;
 *   ties go to less quality loss, then fewer bytes fetched.
 * Every decision keeps all options it considered, so it can be explained.
 */
import type { FetchSource } from '../fabric/fetch.ts';
import { eCacheBytes, kvCacheBytes, kvLayerBytes, type ModelShape } from '../kv/models.ts';
import { prefillTimeNs } from '../kv/compute.ts';
import type { GpuProfile } from '../kv/gpu.ts';
import { frontierWithin, type LayerGroup, type PairProfile } from './profiles.ts';

/** How a partial reuse is run. */
export type Strategy = 'send-all' | 'send-reused' | 'pipelined';
/** Strategies in a stable order. */
export const STRATEGIES: readonly Strategy[] = ['send-all', 'send-reused', 'pipelined'];
/** Planner policies. */
export type PolicyName = 'fabric-aware' | 'droidspeak' | 'exact-only' | 'full-prefill';
/** Policies in a stable order. */
export const POLICIES: readonly PolicyName[] = ['fabric-aware', 'droidspeak', 'exact-only', 'full-prefill'];

/** A cache the request could reuse, as the pool holds it. */
export interface ReusableCache {
  /** Variant that produced it (the receiver itself for an exact hit, a sender otherwise). */
  readonly variant: string;
  readonly key: string;
  /** Layers whose E cache is stored with the KV. */
  readonly eLayers: readonly number[];
  /** Where each replica lives, as fetch sources. */
  readonly replicas: readonly FetchSource[];
}

/** A source's fetch estimate: first-byte latency (ns) and bandwidth (bytes/ns). */
export interface FetchEstimate {
  readonly latencyNs: number;
  readonly bandwidthBytesPerNs: number;
}

/** Fetch estimate of a source for the consuming GPU, or undefined when unreachable. */
export type FetchEstimator = (source: FetchSource) => FetchEstimate | undefined;

/** What the planner needs to know about the request and its surroundings. */
export interface PlanInput {
  readonly variant: string;
  readonly model: ModelShape;
  readonly gpu: GpuProfile;
  readonly tensorParallel: number;
  /** Reusable prefix (context) tokens. */
  readonly contextTokens: number;
  /** New prompt tokens after the context, always prefilled. */
  readonly suffixTokens: number;
  readonly exact: ReusableCache | undefined;
  /** Other variants' caches of the same context and base model. */
  readonly related: readonly ReusableCache[];
  /** Pair profiles with this variant as receiver, by sender variant. */
  readonly profiles: ReadonlyMap<string, PairProfile>;
  readonly qualityBudget: number;
  readonly estimate: FetchEstimator;
  /** Strategies the policy may use (`best` = all three). */
  readonly strategies: readonly Strategy[];
  /** Requests waiting for this GPU (DroidSpeak's queue-aware rule). */
  readonly queueLength: number;
  /** GPU work (ns) queued ahead of this request on its replica: compute it needs waits for it. */
  readonly gpuBacklogNs?: number;
  /** TTFT SLO (ns), for DroidSpeak's idle-queue rule; Infinity when none. */
  readonly ttftSloNs: number;
}

/** One option the planner considered. */
export interface PlanOption {
  readonly kind: 'full-prefill' | 'exact' | 'partial';
  readonly strategy?: Strategy;
  /** Variant whose cache is used (exact: the receiver; partial: the sender). */
  readonly sourceVariant?: string;
  readonly replica?: number;
  readonly source?: FetchSource;
  readonly recomputedLayers: number;
  readonly groups: readonly LayerGroup[];
  readonly eCacheLoads: number;
  readonly fetchBytes: number;
  readonly fetchNs: number;
  readonly recomputeNs: number;
  readonly suffixNs: number;
  readonly ttftNs: number;
  readonly qualityLoss: number;
}

/** A decision with everything considered. */
export interface PlanDecision {
  readonly policy: PolicyName;
  readonly chosen: PlanOption;
  /** Every option enumerated, by estimated TTFT. */
  readonly options: readonly PlanOption[];
  readonly reason: string;
}

/**
 * TTFT of a partial reuse under a strategy (see file header); all times in ns. Recomputation
 * starts when its inputs have landed and the GPU has finished the `backlogNs` of work queued
 * before it (FIFO prefill queue).
 */
export function partialTtftNs(
  strategy: Strategy,
  f: FetchEstimate,
  bytes: { eBytes: number; reusedKvBytes: number; allKvBytes: number },
  recomputeNs: number,
  backlogNs = 0,
): { ttftNs: number; fetchNs: number; fetchBytes: number } {
  // Written without inner closures: this runs for every option of every simulated request.
  const b = strategy === 'send-all' ? bytes.allKvBytes + bytes.eBytes : bytes.reusedKvBytes + bytes.eBytes;
  const fetchNs = b === 0 ? 0 : f.latencyNs + b / f.bandwidthBytesPerNs;
  const ready = strategy === 'pipelined' ? (bytes.eBytes === 0 ? 0 : f.latencyNs + bytes.eBytes / f.bandwidthBytesPerNs) : fetchNs;
  const computed = recomputeNs === 0 ? ready : Math.max(ready, backlogNs) + recomputeNs;
  return { ttftNs: strategy === 'pipelined' ? Math.max(computed, fetchNs) : computed, fetchNs, fetchBytes: b };
}

/** Every option for the request, sorted by estimated TTFT (ties: quality loss, bytes, kind order). */
export function enumerateOptions(p: PlanInput): PlanOption[] {
  const m = p.model;
  const opts = { tp: p.tensorParallel };
  const tokens = p.contextTokens;
  const suffixNs = p.suffixTokens > 0 ? prefillTimeNs(m, p.gpu, p.suffixTokens, { ...opts, contextTokens: tokens + p.suffixTokens }) : 0;
  const options: PlanOption[] = [];
  const full = prefillTimeNs(m, p.gpu, tokens + p.suffixTokens, opts);
  const backlog = p.gpuBacklogNs ?? 0;
  options.push({ kind: 'full-prefill', recomputedLayers: m.layers, groups: [{ start: 0, end: m.layers - 1 }], eCacheLoads: 0, fetchBytes: 0, fetchNs: 0, recomputeNs: full, suffixNs: 0, ttftNs: backlog + full, qualityLoss: 0 });
  const kvAll = kvCacheBytes(m, tokens);
  p.exact?.replicas.forEach((source, replica) => {
    const e = p.estimate(source);
    if (e === undefined) return;
    const fetchNs = e.latencyNs + kvAll / e.bandwidthBytesPerNs;
    options.push({ kind: 'exact', sourceVariant: p.variant, replica, source, recomputedLayers: 0, groups: [], eCacheLoads: 0, fetchBytes: kvAll, fetchNs, recomputeNs: 0, suffixNs, ttftNs: suffixNs > 0 ? Math.max(fetchNs, backlog) + suffixNs : fetchNs, qualityLoss: 0 });
  });
  const layerKv = kvLayerBytes(m, tokens);
  const eOne = eCacheBytes(m, tokens);
  // Recomputing L layers costs L × one layer plus the LM head once (kv/compute.ts), so two calls
  // price every frontier point.
  const headNs = prefillTimeNs(m, p.gpu, tokens, { ...opts, layers: 0 });
  const perLayerNs = prefillTimeNs(m, p.gpu, tokens, { ...opts, layers: 1 }) - headNs;
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    const stored = new Set(cache.eLayers);
    const points = frontierWithin(profile, p.qualityBudget).filter((pt) => pt.recomputedLayers < m.layers && pt.groups.every((g) => stored.has(g.start)));
    cache.replicas.forEach((source, replica) => {
      const e = p.estimate(source);
      if (e === undefined) return;
      for (const pt of points) {
        const recomputeNs = pt.recomputedLayers === 0 ? 0 : headNs + pt.recomputedLayers * perLayerNs;
        const bytes = { eBytes: pt.eCacheLoads * eOne, reusedKvBytes: (m.layers - pt.recomputedLayers) * layerKv, allKvBytes: kvAll };
        for (const strategy of p.strategies) {
          const t = partialTtftNs(strategy, e, bytes, recomputeNs + suffixNs, backlog);
          options.push({
            kind: 'partial',
            strategy,
            sourceVariant: cache.variant,
            replica,
            source,
            recomputedLayers: pt.recomputedLayers,
            groups: pt.groups,
            eCacheLoads: pt.eCacheLoads,
            fetchBytes: t.fetchBytes,
            fetchNs: t.fetchNs,
            recomputeNs,
            suffixNs,
            ttftNs: t.ttftNs,
            qualityLoss: pt.qualityLoss,
          });
        }
      }
    });
  }
  const kindOrder = { exact: 0, partial: 1, 'full-prefill': 2 } as const;
  return options.sort(
    (a, b) =>
      a.ttftNs - b.ttftNs ||
      a.qualityLoss - b.qualityLoss ||
      a.fetchBytes - b.fetchBytes ||
      kindOrder[a.kind] - kindOrder[b.kind] ||
      (a.sourceVariant ?? '').localeCompare(b.sourceVariant ?? '') ||
      (a.replica ?? 0) - (b.replica ?? 0) ||
      STRATEGIES.indexOf(a.strategy ?? 'send-all') - STRATEGIES.indexOf(b.strategy ?? 'send-all'),
  );
}

/**
 * Plans one request under a policy.
 * @example plan('fabric-aware', input).chosen.kind // 'partial'
 */
export function plan(policy: PolicyName, p: PlanInput): PlanDecision {
  const options = enumerateOptions(p);
  const full = options.find((o) => o.kind === 'full-prefill') as PlanOption;
  const exacts = options.filter((o) => o.kind === 'exact');
  switch (policy) {
    case 'full-prefill':
      return { policy, chosen: full, options, reason: 'policy full-prefill: never reuse' };
    case 'exact-only':
      return exacts[0] !== undefined
        ? { policy, chosen: exacts[0], options, reason: 'exact cache hit, cheapest replica' }
        : { policy, chosen: full, options, reason: 'no exact cache of this variant and context' };
    case 'fabric-aware': {
      const chosen = options[0] as PlanOption;
      const why =
        chosen.kind === 'full-prefill'
          ? 'recomputing is faster than any reuse at the current bandwidth'
          : `lowest estimated TTFT among ${options.length} options (${describe(chosen)})`;
      return { policy, chosen, options, reason: why };
    }
    case 'droidspeak': {
      const firstExact = options.find((o) => o.kind === 'exact' && o.replica === 0) ?? exacts[0];
      if (firstExact !== undefined) return { policy, chosen: firstExact, options, reason: 'exact cache hit' };
      const sender = p.related.find((c) => p.profiles.has(c.variant))?.variant;
      const candidates = options.filter((o) => o.kind === 'partial' && o.sourceVariant === sender && o.replica === 0 && o.strategy === (p.strategies.includes('pipelined') ? 'pipelined' : p.strategies[0]));
      if (candidates.length === 0) return { policy, chosen: full, options, reason: sender === undefined ? 'no related cache with a pair profile' : 'no frontier point within the quality budget with its E caches stored' };
      const fewest = [...candidates].sort((a, b) => a.recomputedLayers - b.recomputedLayers || a.qualityLoss - b.qualityLoss)[0] as PlanOption;
      if (p.queueLength > 0) return { policy, chosen: fewest, options, reason: `${p.queueLength} queued: fewest recomputed layers within the quality budget` };
      const meeting = candidates.filter((o) => o.ttftNs <= p.ttftSloNs).sort((a, b) => b.recomputedLayers - a.recomputedLayers || a.qualityLoss - b.qualityLoss);
      return meeting[0] !== undefined
        ? { policy, chosen: meeting[0], options, reason: 'idle queue: most recomputation that meets the TTFT SLO' }
        : { policy, chosen: fewest, options, reason: 'idle queue, but no point meets the TTFT SLO: fewest recomputed layers' };
    }
  }
}

function describe(o: PlanOption): string {
  if (o.kind === 'exact') return `exact reuse, replica ${o.replica}`;
  if (o.kind === 'partial') return `reuse ${o.sourceVariant}'s cache, recompute ${o.recomputedLayers} layers, ${o.strategy}`;
  return 'full prefill';
}

/**
 * Layers whose E cache a sender's cached object must store so that every frontier point within
 * the budget of every receiver that reuses it can run: the union of the points' group starts.
 */
export function eLayersFor(sender: string, profiles: readonly PairProfile[], qualityBudget: number): number[] {
  const layers = new Set<number>();
  for (const pr of profiles) {
    if (pr.sender !== sender) continue;
    for (const pt of frontierWithin(pr, qualityBudget)) for (const g of pt.groups) if (pt.recomputedLayers < pr.layers) layers.add(g.start);
  }
  return [...layers].sort((a, b) => a - b);
}
