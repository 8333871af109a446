/**
 * The reuse planner (docs/design.md: "full prefill | exact reuse | partial reuse"). For one
 * request — a variant, a context of `tokens` tokens, a consuming host — it enumerates every
 * option and estimates its time to first token (TTFT) from the fabric's fetch costs and the GPU
 * compute model:
 *
 * - **full prefill**: every layer over context and suffix on the GPU.
 * - **exact reuse**: the variant's own cached KV for the context, fetched whole; then only the
 *   suffix (the new prompt tokens) is prefilled.
 * - **partial reuse** (DroidSpeak, docs/references.md §3): another variant's cache of the same context,
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
 *
 * **Fast path.** The simulator plans every request and keeps only the chosen option, at up to
 * 10⁵ requests/s; building, sorting and discarding dozens of option objects per request was a
 * sixth of its time. {@link choose} returns exactly `plan(policy, input).chosen` without the list:
 * it walks the same candidates in the same order, prices them in plain numbers with the same
 * formulas (shared helpers below, so the arithmetic is bit-identical), keeps the best under the
 * same total order as the sort in {@link enumerateOptions} (strictly better replaces, so on a
 * complete tie the first enumerated wins, as in a stable sort) and builds an object only for the
 * winner. It skips a frontier point whose lower bound (GPU backlog + its GPU work) already
 * exceeds the best TTFT: such a point cannot win or tie. The GPU compute prices
 * ({@link computeCosts}) may come precomputed as `PlanInput.costs` (the simulator memoises
 * them per context), and the frontier points a related cache can run are memoised per (stored
 * E layers, profile, budget, layers) by object identity — profiles and `eLayers` arrays are
 * never mutated (they are readonly throughout podsim), and an equal array of another identity
 * is only a cache miss (the simulator hands over one array per variant).
 */
import type { FetchSource } from '../fabric/fetch.ts';
import { eCacheBytes, kvCacheBytes, kvLayerBytes, type ModelShape } from '../kv/models.ts';
import { prefillTimeNs } from '../kv/compute.ts';
import type { GpuProfile } from '../kv/gpu.ts';
import {
  frontierWithin,
  type FrontierPoint,
  type LayerGroup,
  type PairProfile,
} from './profiles.ts';

/** How a partial reuse is run. */
export type Strategy = 'send-all' | 'send-reused' | 'pipelined';
/** Strategies in a stable order. */
export const STRATEGIES: readonly Strategy[] = ['send-all', 'send-reused', 'pipelined'];
/** Planner policies. */
export type PolicyName = 'fabric-aware' | 'droidspeak' | 'exact-only' | 'full-prefill';
/** Policies in a stable order. */
export const POLICIES: readonly PolicyName[] = [
  'fabric-aware',
  'droidspeak',
  'exact-only',
  'full-prefill',
];

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
  /**
   * Compute prices, when the caller has them memoised (they depend only on model, GPU, tensor
   * parallelism and token counts); absent: {@link computeCosts} of this input. Must equal it.
   */
  readonly costs?: ComputeCosts;
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
 * GPU compute prices of one request (ns), everything {@link enumerateOptions} and
 * {@link choose} need from the compute model. They depend only on the model, GPU, tensor
 * parallelism and token counts, so a caller planning many requests may memoise them.
 */
export interface ComputeCosts {
  /** Prefill of the suffix (the new prompt tokens) over the context; 0 without a suffix. */
  readonly suffixNs: number;
  /** Full prefill: every layer over context and suffix, plus the LM head. */
  readonly fullNs: number;
  /** Fixed part of recomputing layers over the context: the LM head for the last token. */
  readonly headNs: number;
  /** One layer over the context: recomputing L ≥ 1 layers costs headNs + L × perLayerNs. */
  readonly perLayerNs: number;
}

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

// The formulas below are shared by partialTtftNs, enumerateOptions and choose, so the fast
// path's numbers are bit-identical to the option list's (its tie-breaking depends on it).

/** Bytes a partial reuse fetches under a strategy: send-all takes every layer's KV. */
function partialFetchBytes(
  strategy: Strategy,
  eBytes: number,
  reusedKvBytes: number,
  allKvBytes: number,
): number {
  return strategy === 'send-all' ? allKvBytes + eBytes : reusedKvBytes + eBytes;
}

/** Time (ns) to fetch `fetchBytes` of a partial reuse; nothing to fetch costs nothing. */
function partialFetchNs(f: FetchEstimate, fetchBytes: number): number {
  return fetchBytes === 0 ? 0 : f.latencyNs + fetchBytes / f.bandwidthBytesPerNs;
}

/** TTFT (ns) of a partial reuse whose fetch takes `fetchNs` and whose GPU work takes `workNs` (see file header). */
function partialTtftOf(
  strategy: Strategy,
  f: FetchEstimate,
  eBytes: number,
  fetchNs: number,
  workNs: number,
  backlogNs: number,
): number {
  const ready =
    strategy === 'pipelined'
      ? eBytes === 0
        ? 0
        : f.latencyNs + eBytes / f.bandwidthBytesPerNs
      : fetchNs;
  const computed = workNs === 0 ? ready : Math.max(ready, backlogNs) + workNs;
  return strategy === 'pipelined' ? Math.max(computed, fetchNs) : computed;
}

/** Recompute time (ns) of a frontier point's layers over the context (0 layers: nothing). */
function recomputeNsOf(recomputedLayers: number, c: ComputeCosts): number {
  return recomputedLayers === 0 ? 0 : c.headNs + recomputedLayers * c.perLayerNs;
}

/** Time (ns) to fetch a whole exact cache of `kvBytes`. */
function exactFetchNs(f: FetchEstimate, kvBytes: number): number {
  return f.latencyNs + kvBytes / f.bandwidthBytesPerNs;
}

/** TTFT (ns) of an exact reuse: the suffix prefill waits for the fetch and the GPU backlog. */
function exactTtftNs(fetchNs: number, suffixNs: number, backlogNs: number): number {
  return suffixNs > 0 ? Math.max(fetchNs, backlogNs) + suffixNs : fetchNs;
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
  const fetchBytes = partialFetchBytes(
    strategy,
    bytes.eBytes,
    bytes.reusedKvBytes,
    bytes.allKvBytes,
  );
  const fetchNs = partialFetchNs(f, fetchBytes);
  return {
    ttftNs: partialTtftOf(strategy, f, bytes.eBytes, fetchNs, recomputeNs, backlogNs),
    fetchNs,
    fetchBytes,
  };
}

// Option objects, built in one place so that both paths give the same fields in the same order
// (absent fields are absent, not undefined).

function fullOption(m: ModelShape, c: ComputeCosts, backlogNs: number): PlanOption {
  return {
    kind: 'full-prefill',
    recomputedLayers: m.layers,
    groups: [{ start: 0, end: m.layers - 1 }],
    eCacheLoads: 0,
    fetchBytes: 0,
    fetchNs: 0,
    recomputeNs: c.fullNs,
    suffixNs: 0,
    ttftNs: backlogNs + c.fullNs,
    qualityLoss: 0,
  };
}

function exactOption(
  variant: string,
  replica: number,
  source: FetchSource,
  kvBytes: number,
  fetchNs: number,
  suffixNs: number,
  ttftNs: number,
): PlanOption {
  return {
    kind: 'exact',
    sourceVariant: variant,
    replica,
    source,
    recomputedLayers: 0,
    groups: [],
    eCacheLoads: 0,
    fetchBytes: kvBytes,
    fetchNs,
    recomputeNs: 0,
    suffixNs,
    ttftNs,
    qualityLoss: 0,
  };
}

function partialOption(
  strategy: Strategy,
  sender: string,
  replica: number,
  source: FetchSource,
  pt: FrontierPoint,
  fetchBytes: number,
  fetchNs: number,
  recomputeNs: number,
  suffixNs: number,
  ttftNs: number,
): PlanOption {
  return {
    kind: 'partial',
    strategy,
    sourceVariant: sender,
    replica,
    source,
    recomputedLayers: pt.recomputedLayers,
    groups: pt.groups,
    eCacheLoads: pt.eCacheLoads,
    fetchBytes,
    fetchNs,
    recomputeNs,
    suffixNs,
    ttftNs,
    qualityLoss: pt.qualityLoss,
  };
}

/**
 * Frontier points a related cache can run: within the budget, not recomputing every layer (that
 * is full prefill), every group's E cache stored. Memoised by identity of the `eLayers` array
 * (the simulator passes one array per sender variant), then a short list searched by identity
 * of the profile, budget and layer count — one WeakMap lookup per call, which matters because
 * the simulator asks for every related cache of every request. A WeakMap, so dropped arrays and
 * their profiles are not retained. An invalid budget throws in frontierWithin and is never
 * memoised.
 */
const reusableMemo = new WeakMap<
  readonly number[],
  {
    readonly profile: PairProfile;
    readonly budget: number;
    readonly layers: number;
    readonly points: readonly FrontierPoint[];
  }[]
>();

function reusablePoints(
  profile: PairProfile,
  eLayers: readonly number[],
  qualityBudget: number,
  layers: number,
): readonly FrontierPoint[] {
  let entries = reusableMemo.get(eLayers);
  if (entries === undefined) reusableMemo.set(eLayers, (entries = []));
  for (const e of entries)
    if (e.profile === profile && e.budget === qualityBudget && e.layers === layers) return e.points;
  const stored = new Set(eLayers);
  const points = frontierWithin(profile, qualityBudget).filter(
    (pt) => pt.recomputedLayers < layers && pt.groups.every((g) => stored.has(g.start)),
  );
  entries.push({ profile, budget: qualityBudget, layers, points });
  return points;
}

/** Sort rank of each kind on a complete TTFT / loss / bytes tie. */
const KIND_ORDER = { exact: 0, partial: 1, 'full-prefill': 2 } as const;

/** Every option for the request, sorted by estimated TTFT (ties: quality loss, bytes, kind order). */
export function enumerateOptions(p: PlanInput): PlanOption[] {
  const m = p.model;
  const c = p.costs ?? computeCosts(p);
  const tokens = p.contextTokens;
  const suffixNs = c.suffixNs;
  const options: PlanOption[] = [];
  const backlog = p.gpuBacklogNs ?? 0;
  options.push(fullOption(m, c, backlog));
  const kvAll = kvCacheBytes(m, tokens);
  p.exact?.replicas.forEach((source, replica) => {
    const e = p.estimate(source);
    if (e === undefined) return;
    const fetchNs = exactFetchNs(e, kvAll);
    options.push(
      exactOption(
        p.variant,
        replica,
        source,
        kvAll,
        fetchNs,
        suffixNs,
        exactTtftNs(fetchNs, suffixNs, backlog),
      ),
    );
  });
  const layerKv = kvLayerBytes(m, tokens);
  const eOne = eCacheBytes(m, tokens);
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    const points = reusablePoints(profile, cache.eLayers, p.qualityBudget, m.layers);
    cache.replicas.forEach((source, replica) => {
      const e = p.estimate(source);
      if (e === undefined) return;
      for (const pt of points) {
        const recomputeNs = recomputeNsOf(pt.recomputedLayers, c);
        const eBytes = pt.eCacheLoads * eOne;
        const reusedKvBytes = (m.layers - pt.recomputedLayers) * layerKv;
        for (const strategy of p.strategies) {
          const fetchBytes = partialFetchBytes(strategy, eBytes, reusedKvBytes, kvAll);
          const fetchNs = partialFetchNs(e, fetchBytes);
          const ttftNs = partialTtftOf(
            strategy,
            e,
            eBytes,
            fetchNs,
            recomputeNs + suffixNs,
            backlog,
          );
          options.push(
            partialOption(
              strategy,
              cache.variant,
              replica,
              source,
              pt,
              fetchBytes,
              fetchNs,
              recomputeNs,
              suffixNs,
              ttftNs,
            ),
          );
        }
      }
    });
  }
  return options.sort((a, b) =>
    compareKeys(
      a.ttftNs,
      a.qualityLoss,
      a.fetchBytes,
      KIND_ORDER[a.kind],
      a.sourceVariant ?? '',
      a.replica ?? 0,
      strategyRank(a.strategy ?? 'send-all'),
      b.ttftNs,
      b.qualityLoss,
      b.fetchBytes,
      KIND_ORDER[b.kind],
      b.sourceVariant ?? '',
      b.replica ?? 0,
      strategyRank(b.strategy ?? 'send-all'),
    ),
  );
}

/**
 * The order of options (enumerateOptions' sort and choose's walk both use it, so they cannot
 * drift apart): estimated TTFT, then quality loss, bytes fetched, kind, source variant, replica
 * and strategy. A total order on the keys bar NaN.
 */
function compareKeys(
  aTtftNs: number,
  aLoss: number,
  aBytes: number,
  aKind: number,
  aVariant: string,
  aReplica: number,
  aStrategy: number,
  bTtftNs: number,
  bLoss: number,
  bBytes: number,
  bKind: number,
  bVariant: string,
  bReplica: number,
  bStrategy: number,
): number {
  return (
    aTtftNs - bTtftNs ||
    aLoss - bLoss ||
    aBytes - bBytes ||
    aKind - bKind ||
    // Same result as localeCompare (0 for equal strings) without calling into Intl on a tie.
    (aVariant === bVariant ? 0 : aVariant.localeCompare(bVariant)) ||
    aReplica - bReplica ||
    aStrategy - bStrategy
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
      if (firstExact !== undefined)
        return { policy, chosen: firstExact, options, reason: 'exact cache hit' };
      const sender = p.related.find((c) => p.profiles.has(c.variant))?.variant;
      const candidates = options.filter(
        (o) =>
          o.kind === 'partial' &&
          o.sourceVariant === sender &&
          o.replica === 0 &&
          o.strategy === (p.strategies.includes('pipelined') ? 'pipelined' : p.strategies[0]),
      );
      if (candidates.length === 0)
        return {
          policy,
          chosen: full,
          options,
          reason:
            sender === undefined
              ? 'no related cache with a pair profile'
              : 'no frontier point within the quality budget with its E caches stored',
        };
      const fewest = [...candidates].sort(
        (a, b) => a.recomputedLayers - b.recomputedLayers || a.qualityLoss - b.qualityLoss,
      )[0] as PlanOption;
      if (p.queueLength > 0)
        return {
          policy,
          chosen: fewest,
          options,
          reason: `${p.queueLength} queued: fewest recomputed layers within the quality budget`,
        };
      const meeting = candidates
        .filter((o) => o.ttftNs <= p.ttftSloNs)
        .sort((a, b) => b.recomputedLayers - a.recomputedLayers || a.qualityLoss - b.qualityLoss);
      return meeting[0] !== undefined
        ? {
            policy,
            chosen: meeting[0],
            options,
            reason: 'idle queue: most recomputation that meets the TTFT SLO',
          }
        : {
            policy,
            chosen: fewest,
            options,
            reason: 'idle queue, but no point meets the TTFT SLO: fewest recomputed layers',
          };
    }
  }
}

/**
 * Working state of one {@link choose} call: the best candidate so far, as plain numbers, and the
 * estimates asked so far (so a fallback to {@link plan} can replay them instead of asking the
 * estimator twice). One instance is reused from call to call so the fast path allocates nothing
 * but the winner (its log keeps the last call's few sources until overwritten); a call that
 * starts while another is running (an estimator that plans) gets a fresh one.
 */
class Walk {
  /** No candidate yet. */
  empty = true;
  /** A key was NaN: the sort comparator is then no total order and only the sort itself can tell. */
  nan = false;
  // Sort keys of the best candidate, as in enumerateOptions' comparator.
  ttftNs = 0;
  qualityLoss = 0;
  fetchBytes = 0;
  kind = 0;
  variant = '';
  replica = 0;
  strategyRank = 0;
  // What it takes to build the winner.
  source: FetchSource | undefined = undefined;
  point: FrontierPoint | undefined = undefined;
  strategy: Strategy = 'send-all';
  fetchNs = 0;
  recomputeNs = 0;
  // Estimate log: sources[i] was answered estimates[i], for i < asked.
  readonly sources: FetchSource[] = [];
  readonly estimates: (FetchEstimate | undefined)[] = [];
  asked = 0;

  reset(): void {
    this.empty = true;
    this.nan = false;
    this.asked = 0;
    this.source = undefined;
    this.point = undefined;
  }

  /** Asks the estimator once about `source`, logging the answer. */
  ask(p: PlanInput, source: FetchSource): FetchEstimate | undefined {
    const e = p.estimate(source);
    this.sources[this.asked] = source;
    this.estimates[this.asked] = e;
    this.asked++;
    return e;
  }

  /**
   * Whether a candidate with these sort keys goes first: enumerateOptions' comparator, same
   * expression, < 0. Strictly, so that on a complete tie the earlier candidate stays, as in
   * the stable sort. A NaN key is flagged and never leads.
   */
  beats(
    ttftNs: number,
    qualityLoss: number,
    fetchBytes: number,
    kind: number,
    variant: string,
    replica: number,
    strategyRank: number,
  ): boolean {
    if (Number.isNaN(ttftNs) || Number.isNaN(qualityLoss) || Number.isNaN(fetchBytes)) {
      this.nan = true;
      return false;
    }
    if (this.empty) return true;
    return (
      compareKeys(
        ttftNs,
        qualityLoss,
        fetchBytes,
        kind,
        variant,
        replica,
        strategyRank,
        this.ttftNs,
        this.qualityLoss,
        this.fetchBytes,
        this.kind,
        this.variant,
        this.replica,
        this.strategyRank,
      ) < 0
    );
  }

  /** Makes the candidate whose keys were last accepted by `beats` the best. */
  lead(
    ttftNs: number,
    qualityLoss: number,
    fetchBytes: number,
    kind: number,
    variant: string,
    replica: number,
    strategyRank: number,
  ): void {
    this.empty = false;
    this.ttftNs = ttftNs;
    this.qualityLoss = qualityLoss;
    this.fetchBytes = fetchBytes;
    this.kind = kind;
    this.variant = variant;
    this.replica = replica;
    this.strategyRank = strategyRank;
  }
}

// Reused rather than made per call: a fresh Walk (two arrays and a dozen fields) per request
// measured 7 % slower on the 1 M-request simulator bench.
let spareWalk: Walk | undefined = new Walk();

/** Rank of each strategy in {@link STRATEGIES} (the order's last key). */
const STRATEGY_RANK: Readonly<Record<Strategy, number>> = Object.fromEntries(
  STRATEGIES.map((s, i) => [s, i]),
) as Record<Strategy, number>;

/** Rank of a strategy in {@link STRATEGIES}, −1 for none of them (as indexOf). */
function strategyRank(s: Strategy): number {
  return STRATEGY_RANK[s] ?? -1;
}

/**
 * The option `plan(policy, p).chosen` returns — the same object content, field for field —
 * without enumerating and sorting every option (see the file header's "Fast path"): for the
 * simulator, which plans every request and needs only the choice. `fabric-aware`, `exact-only`
 * and `full-prefill` walk the candidates; `droidspeak` defers to {@link plan}. The estimator is
 * asked at most once per replica of each cache (and not about caches the policy cannot pick, or
 * related caches with no runnable frontier point). Should any candidate's TTFT, loss or bytes be
 * NaN, the sort's comparator is no total order and only the sort can tell its first option, so
 * choose then defers to {@link plan}, replaying the estimates it already has. (`exact-only` does
 * not ask about related caches, so it cannot see a NaN there; those options never win it.)
 * @throws RangeError as {@link plan} does: an invalid quality budget with a related cache that
 * has a profile.
 * @example choose('fabric-aware', input).kind // 'partial'
 */
export function choose(policy: PolicyName, p: PlanInput): PlanOption {
  if (policy === 'droidspeak') return plan(policy, p).chosen;
  const w = spareWalk ?? new Walk();
  spareWalk = undefined;
  w.reset();
  const chosen = walk(policy, p, w);
  // Not put back when walk throws: the next call then makes a fresh one.
  spareWalk = w;
  return chosen;
}

function walk(
  policy: 'fabric-aware' | 'exact-only' | 'full-prefill',
  p: PlanInput,
  w: Walk,
): PlanOption {
  const m = p.model;
  const c = p.costs ?? computeCosts(p);
  const backlog = p.gpuBacklogNs ?? 0;
  if (policy === 'full-prefill') {
    checkBudget(p);
    return fullOption(m, c, backlog);
  }
  const fullTtftNs = backlog + c.fullNs;
  const fullRank = KIND_ORDER['full-prefill'];
  if (policy === 'fabric-aware' && w.beats(fullTtftNs, 0, 0, fullRank, '', 0, 0))
    w.lead(fullTtftNs, 0, 0, fullRank, '', 0, 0);
  // exact-only never compares with full prefill, but a NaN there still unsettles the sort.
  if (w.nan || Number.isNaN(fullTtftNs)) return replay(policy, p, w);
  const tokens = p.contextTokens;
  const suffixNs = c.suffixNs;
  const kvAll = kvCacheBytes(m, tokens);
  const exactRank = KIND_ORDER.exact;
  const exact = p.exact;
  if (exact !== undefined) {
    const replicas = exact.replicas;
    for (let replica = 0; replica < replicas.length; replica++) {
      const source = replicas[replica];
      if (source === undefined) continue; // a hole, skipped like forEach does
      const e = w.ask(p, source);
      if (e === undefined) continue;
      const fetchNs = exactFetchNs(e, kvAll);
      const ttftNs = exactTtftNs(fetchNs, suffixNs, backlog);
      if (w.beats(ttftNs, 0, kvAll, exactRank, p.variant, replica, 0)) {
        w.lead(ttftNs, 0, kvAll, exactRank, p.variant, replica, 0);
        w.source = source;
        w.fetchNs = fetchNs;
      }
    }
    if (w.nan) return replay(policy, p, w);
  }
  if (policy === 'exact-only') {
    checkBudget(p);
    if (w.empty) return fullOption(m, c, backlog);
    return exactOption(
      p.variant,
      w.replica,
      w.source as FetchSource,
      kvAll,
      w.fetchNs,
      suffixNs,
      w.ttftNs,
    );
  }
  const partialRank = KIND_ORDER.partial;
  const layerKv = kvLayerBytes(m, tokens);
  const eOne = eCacheBytes(m, tokens);
  const strategies = p.strategies;
  // Pruning: a point with GPU work to do has every strategy's TTFT ≥ backlog + work (max(ready,
  // backlog) ≥ backlog and rounding is monotone), so once that bound exceeds the best TTFT, none
  // of its candidates can win or even tie on the first key. Only with every input finite, where
  // no candidate can have a NaN key: a skipped NaN would hide that the sort must decide.
  const backlogFinite = Number.isFinite(backlog);
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    const points = reusablePoints(profile, cache.eLayers, p.qualityBudget, m.layers);
    if (points.length === 0) continue; // no option from this cache: no need to ask about its replicas
    const replicas = cache.replicas;
    for (let replica = 0; replica < replicas.length; replica++) {
      const source = replicas[replica];
      if (source === undefined) continue;
      const e = w.ask(p, source);
      if (e === undefined) continue;
      const prunable =
        backlogFinite &&
        Number.isFinite(e.latencyNs) &&
        e.bandwidthBytesPerNs > 0 &&
        Number.isFinite(e.bandwidthBytesPerNs);
      for (const pt of points) {
        const recomputeNs = recomputeNsOf(pt.recomputedLayers, c);
        const eBytes = pt.eCacheLoads * eOne;
        const reusedKvBytes = (m.layers - pt.recomputedLayers) * layerKv;
        const workNs = recomputeNs + suffixNs;
        if (
          prunable &&
          workNs !== 0 &&
          backlog + workNs > w.ttftNs &&
          Number.isFinite(workNs + eBytes + reusedKvBytes + kvAll + pt.qualityLoss)
        )
          continue;
        for (const strategy of strategies) {
          const fetchBytes = partialFetchBytes(strategy, eBytes, reusedKvBytes, kvAll);
          const fetchNs = partialFetchNs(e, fetchBytes);
          const ttftNs = partialTtftOf(strategy, e, eBytes, fetchNs, workNs, backlog);
          const rank = strategyRank(strategy);
          if (
            w.beats(ttftNs, pt.qualityLoss, fetchBytes, partialRank, cache.variant, replica, rank)
          ) {
            w.lead(ttftNs, pt.qualityLoss, fetchBytes, partialRank, cache.variant, replica, rank);
            w.source = source;
            w.point = pt;
            w.strategy = strategy;
            w.fetchNs = fetchNs;
            w.recomputeNs = recomputeNs;
          }
        }
      }
      if (w.nan) return replay(policy, p, w);
    }
  }
  if (w.kind === fullRank) return fullOption(m, c, backlog);
  if (w.kind === exactRank)
    return exactOption(
      p.variant,
      w.replica,
      w.source as FetchSource,
      kvAll,
      w.fetchNs,
      suffixNs,
      w.ttftNs,
    );
  return partialOption(
    w.strategy,
    w.variant,
    w.replica,
    w.source as FetchSource,
    w.point as FrontierPoint,
    w.fetchBytes,
    w.fetchNs,
    w.recomputeNs,
    suffixNs,
    w.ttftNs,
  );
}

/**
 * plan() validates the quality budget (in frontierWithin) whenever a related cache has a
 * profile, whatever the policy; choose must throw where plan throws. A memo hit after the first.
 */
function checkBudget(p: PlanInput): void {
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    reusablePoints(profile, cache.eLayers, p.qualityBudget, p.model.layers);
    return;
  }
}

/** plan()'s choice, with the estimates already asked replayed (the estimator is asked once per source). */
function replay(policy: PolicyName, p: PlanInput, w: Walk): PlanOption {
  const sources = w.sources.slice(0, w.asked);
  const estimates = w.estimates.slice(0, w.asked);
  const estimate: FetchEstimator = (source) => {
    const i = sources.indexOf(source);
    return i >= 0 ? estimates[i] : p.estimate(source);
  };
  return plan(policy, { ...p, estimate }).chosen;
}

function describe(o: PlanOption): string {
  if (o.kind === 'exact') return `exact reuse, replica ${o.replica}`;
  if (o.kind === 'partial')
    return `reuse ${o.sourceVariant}'s cache, recompute ${o.recomputedLayers} layers, ${o.strategy}`;
  return 'full prefill';
}

/**
 * Layers whose E cache a sender's cached object must store so that every frontier point within
 * the budget of every receiver that reuses it can run: the union of the points' group starts.
 */
export function eLayersFor(
  sender: string,
  profiles: readonly PairProfile[],
  qualityBudget: number,
): number[] {
  const layers = new Set<number>();
  for (const pr of profiles) {
    if (pr.sender !== sender) continue;
    for (const pt of frontierWithin(pr, qualityBudget))
      for (const g of pt.groups) if (pt.recomputedLayers < pr.layers) layers.add(g.start);
  }
  return [...layers].sort((a, b) => a - b);
}
