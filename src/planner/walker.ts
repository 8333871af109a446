/**
 * The candidate walker: the one loop over a request's options (full prefill; each replica of the
 * exact cache; each replica × runnable frontier point × strategy of each related cache), in the
 * one enumeration order, priced with costs.ts. It serves both planner paths (planner.ts header):
 *
 * - **collecting** (`plan`, `enumerateOptions`, `podsim explain`): every candidate becomes an
 *   option object, sorted afterwards by {@link compareKeys};
 * - **best only** (`choose`, per simulated request): each candidate is a set of plain numbers in
 *   a reused record, compared with the best so far under the same order (strictly better
 *   replaces, so on a complete tie the first enumerated stays, as in a stable sort); only the
 *   winner becomes an object. A frontier point whose lower bound (GPU backlog + its GPU work)
 *   exceeds the best TTFT is skipped, and a related cache with no runnable point is not asked
 *   about. A NaN key stops the walk: the sort's comparator is then no total order, and only the
 *   sort can tell its first option.
 *
 * Hot path: the walker is a class with no closures, reused by `choose` from call to call.
 */
import type { FetchSource } from '../fabric/fetch.ts';
import { eCacheBytes, kvCacheBytes, kvLayerBytes } from '../kv/models.ts';
import {
  exactFetchNs,
  exactOption,
  exactTtftNs,
  fullOption,
  partialFetchBytes,
  partialFetchNs,
  partialOption,
  partialTtftOf,
  recomputeNsOf,
  computeCosts,
  slotHoldNs,
  systemCostOf,
  type PricedReuse,
} from './costs.ts';
import { frontierWithin } from './frontier.ts';
import type { FrontierPoint, PairProfile } from './profile-types.ts';
import { compareKeys, KIND_RANK, strategyRank, type OptionKeys } from './order.ts';
import type { ComputeCosts, FetchEstimate, PlanInput, PlanOption, Strategy } from './types.ts';

/**
 * Frontier points a related cache can run: within the budget, not recomputing every layer (that
 * is full prefill), every group's E cache stored (a group at layer 0 needs none). Memoised by identity of the `eLayers` array
 * (the simulator passes one array per sender variant), then a short list searched by identity
 * of the profile, budget and layer count — one WeakMap lookup per call, which matters because
 * the simulator asks for every related cache of every request. A WeakMap, so dropped arrays and
 * their profiles are not retained. Profiles and `eLayers` arrays are never mutated (readonly
 * throughout podsim); an equal array of another identity is only a cache miss. An invalid
 * budget throws in frontierWithin and is never memoised.
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

/** See {@link reusableMemo}. @throws RangeError for an invalid quality budget. */
export function reusablePoints(
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
    (pt) =>
      pt.recomputedLayers < layers && pt.groups.every((g) => g.start === 0 || stored.has(g.start)),
  );
  entries.push({ profile, budget: qualityBudget, layers, points });
  return points;
}

/**
 * `plan` validates the quality budget (in frontierWithin) whenever a related cache has a
 * profile, whatever the policy; `choose` must throw where plan throws. A memo hit after the first.
 */
export function checkBudget(p: PlanInput): void {
  for (const cache of p.related) {
    const profile = p.profiles.get(cache.variant);
    if (profile === undefined) continue;
    reusablePoints(profile, cache.eLayers, p.qualityBudget, p.model.layers);
    return;
  }
}

/** Placeholders of a candidate record before it is filled (never part of an option). */
const NO_SOURCE: FetchSource = Object.freeze({ kind: 'devices', devices: [] });
const NO_POINT: FrontierPoint = Object.freeze({
  groups: [],
  recomputedLayers: 0,
  eCacheLoads: 0,
  qualityLoss: 0,
});

/** One candidate as plain numbers: its sort keys and what it takes to build its option. */
class Candidate implements OptionKeys, PricedReuse {
  systemCostNs = 0;
  ttftNs = 0;
  qualityLoss = 0;
  fetchBytes = 0;
  kindRank = 0;
  variant = '';
  replica = 0;
  strategyRank = 0;
  source: FetchSource = NO_SOURCE;
  point: FrontierPoint = NO_POINT;
  strategy: Strategy = 'send-all';
  fetchNs = 0;
  recomputeNs = 0;

  copy(c: Candidate): void {
    this.systemCostNs = c.systemCostNs;
    this.ttftNs = c.ttftNs;
    this.qualityLoss = c.qualityLoss;
    this.fetchBytes = c.fetchBytes;
    this.kindRank = c.kindRank;
    this.variant = c.variant;
    this.replica = c.replica;
    this.strategyRank = c.strategyRank;
    this.source = c.source;
    this.point = c.point;
    this.strategy = c.strategy;
    this.fetchNs = c.fetchNs;
    this.recomputeNs = c.recomputeNs;
  }
}

/**
 * One walk over a request's candidates (see the file header): {@link start}, then
 * {@link offerFull}, {@link walkExact}, {@link walkRelated} in that order (a caller may skip
 * steps its policy does not need). Collecting, `options` receives every candidate's option; best
 * only, `best` holds the winner ({@link bestOption}). The estimates asked are logged, so that a
 * fallback to the sort can replay them instead of asking the estimator twice.
 */
export class CandidateWalk {
  /** Collecting: every option so far, in enumeration order; best only: undefined. */
  options: PlanOption[] | undefined = undefined;
  /** Best only: no candidate yet. */
  empty = true;
  /** Best only: a key was NaN, so the walk stopped and only the sort can decide. */
  nan = false;
  readonly best = new Candidate();
  /** The candidate being priced. */
  private readonly cand = new Candidate();
  // The request, as start() resolved it.
  private layers = 0;
  private costs: ComputeCosts = { suffixNs: 0, fullNs: 0, headNs: 0, perLayerNs: 0 };
  // PlanSizes, as plain numbers: no record is made per call when the caller passes none.
  private kvBytes = 0;
  private kvLayerBytes = 0;
  private eLayerBytes = 0;
  private backlogNs = 0;
  private waitNs = 0;
  private behind = 0;
  private loadsBehind = 0;
  // Estimate log: sources[i] was answered estimates[i], for i < asked.
  readonly sources: FetchSource[] = [];
  readonly estimates: (FetchEstimate | undefined)[] = [];
  asked = 0;

  /** Begins a walk over `p`'s candidates, collecting into `options` or (undefined) best only. */
  start(p: PlanInput, options: PlanOption[] | undefined): void {
    this.options = options;
    this.empty = true;
    this.nan = false;
    this.asked = 0;
    this.layers = p.model.layers;
    this.costs = p.costs ?? computeCosts(p);
    // planSizes' figures without its record; the per-layer ones in walkRelated, which needs them.
    this.kvBytes = p.sizes?.kvBytes ?? kvCacheBytes(p.model, p.contextTokens);
    this.backlogNs = p.gpuBacklogNs ?? 0;
    this.waitNs = p.loadWaitNs ?? 0;
    this.behind = p.waitingBehind ?? 0;
    this.loadsBehind = p.loadsBehind ?? 0;
    this.best.source = NO_SOURCE;
    this.best.point = NO_POINT;
  }

  /** TTFT of full prefill (ns). */
  get fullTtftNs(): number {
    return this.backlogNs + this.costs.fullNs;
  }

  /** The full-prefill option of the request. */
  fullOption(): PlanOption {
    return fullOption(this.layers, this.costs, this.backlogNs, this.behind);
  }

  /** The winner's option (best only; full prefill when no candidate was offered). */
  bestOption(): PlanOption {
    const b = this.best;
    if (this.empty || b.kindRank === KIND_RANK['full-prefill']) return this.fullOption();
    const suffixNs = this.costs.suffixNs;
    return b.kindRank === KIND_RANK.exact ? exactOption(b, suffixNs) : partialOption(b, suffixNs);
  }

  /** Asks the estimator once about `source`, logging the answer. */
  private ask(p: PlanInput, source: FetchSource): FetchEstimate | undefined {
    const e = p.estimate(source);
    this.sources[this.asked] = source;
    this.estimates[this.asked] = e;
    this.asked++;
    return e;
  }

  /**
   * Best only: whether the candidate goes first — compareKeys < 0, strictly, so that on a
   * complete tie the earlier candidate stays. A NaN key is flagged and never leads.
   */
  private beats(c: Candidate): boolean {
    if (
      Number.isNaN(c.systemCostNs) ||
      Number.isNaN(c.ttftNs) ||
      Number.isNaN(c.qualityLoss) ||
      Number.isNaN(c.fetchBytes)
    ) {
      this.nan = true;
      return false;
    }
    return this.empty || compareKeys(c, this.best) < 0;
  }

  /** Best only: the priced candidate replaces the best when it beats it. */
  private offer(c: Candidate): void {
    if (this.beats(c)) {
      this.best.copy(c);
      this.empty = false;
    }
  }

  /** Offers full prefill. */
  offerFull(): void {
    if (this.options !== undefined) {
      this.options.push(this.fullOption());
      return;
    }
    const c = this.cand;
    c.ttftNs = this.fullTtftNs;
    c.systemCostNs = systemCostOf(c.ttftNs, this.costs.fullNs, this.behind, 0, 0);
    c.qualityLoss = 0;
    c.fetchBytes = 0;
    c.kindRank = KIND_RANK['full-prefill'];
    c.variant = '';
    c.replica = 0;
    c.strategyRank = 0;
    this.offer(c);
  }

  /** Offers each reachable replica of the exact cache. False when a NaN key stopped the walk. */
  walkExact(p: PlanInput): boolean {
    const exact = p.exact;
    if (exact === undefined) return true;
    const c = this.cand;
    const suffixNs = this.costs.suffixNs;
    c.qualityLoss = 0;
    c.fetchBytes = this.kvBytes;
    c.kindRank = KIND_RANK.exact;
    c.variant = p.variant;
    c.strategyRank = 0;
    c.recomputeNs = 0;
    const replicas = exact.replicas;
    for (let replica = 0; replica < replicas.length; replica++) {
      const source = replicas[replica];
      if (source === undefined) continue; // a hole, skipped like forEach does
      const e = this.ask(p, source);
      if (e === undefined) continue;
      c.replica = replica;
      c.source = source;
      c.fetchNs = exactFetchNs(e, c.fetchBytes);
      c.ttftNs = exactTtftNs(c.fetchNs, suffixNs, this.backlogNs, this.waitNs);
      c.systemCostNs = systemCostOf(c.ttftNs, suffixNs, this.behind, c.fetchNs, this.loadsBehind);
      if (this.options !== undefined) this.options.push(exactOption(c, suffixNs));
      else this.offer(c);
    }
    return !this.nan;
  }

  /**
   * Offers every replica × runnable frontier point × strategy of each related cache with a
   * profile. False when a NaN key stopped the walk (best only, after the replica that met it).
   * @throws RangeError for an invalid quality budget (frontierWithin).
   */
  walkRelated(p: PlanInput): boolean {
    const c = this.cand;
    this.kvLayerBytes = p.sizes?.kvLayerBytes ?? kvLayerBytes(p.model, p.contextTokens);
    this.eLayerBytes = p.sizes?.eLayerBytes ?? eCacheBytes(p.model, p.contextTokens);
    c.kindRank = KIND_RANK.partial;
    for (const cache of p.related) {
      const profile = p.profiles.get(cache.variant);
      if (profile === undefined) continue;
      const points = reusablePoints(profile, cache.eLayers, p.qualityBudget, p.model.layers);
      // Best only, a cache with no option is not asked about; collecting asks as it always did.
      if (points.length === 0 && this.options === undefined) continue;
      c.variant = cache.variant;
      const replicas = cache.replicas;
      for (let replica = 0; replica < replicas.length; replica++) {
        const source = replicas[replica];
        if (source === undefined) continue;
        const e = this.ask(p, source);
        if (e === undefined) continue;
        c.replica = replica;
        c.source = source;
        this.walkPoints(p, points, e);
        if (this.nan) return false;
      }
    }
    return true;
  }

  /** The frontier points × strategies of one replica answering `e` (cand's cache and replica set). */
  private walkPoints(p: PlanInput, points: readonly FrontierPoint[], e: FetchEstimate): void {
    const c = this.cand;
    const layers = this.layers;
    const kvAll = this.kvBytes;
    const layerKv = this.kvLayerBytes;
    const eOne = this.eLayerBytes;
    const suffixNs = this.costs.suffixNs;
    const backlog = this.backlogNs;
    const wait = this.waitNs;
    const behind = this.behind;
    const loadsBehind = this.loadsBehind;
    const options = this.options;
    const strategies = p.strategies;
    const best = this.best;
    // The walk has a best (full prefill, offered first) from here on.
    const bestOnly = options === undefined && !this.empty;
    // Pruning: a point with GPU work to do has every strategy's TTFT ≥ backlog + work
    // (max(ready, backlog) ≥ backlog and rounding is monotone), so its system cost is ≥
    // (backlog + work) + work × behind (the load slot's term adds ≥ 0), and once that bound
    // exceeds the best system cost none
    // of its candidates can win or even tie on the first key. Only with every input finite,
    // where no candidate can have a NaN key: a skipped NaN would hide that the sort must decide.
    const prunable =
      bestOnly &&
      Number.isFinite(backlog) &&
      Number.isFinite(wait) &&
      Number.isFinite(behind) &&
      Number.isFinite(loadsBehind) &&
      Number.isFinite(e.latencyNs) &&
      e.bandwidthBytesPerNs > 0 &&
      Number.isFinite(e.bandwidthBytesPerNs);
    for (const pt of points) {
      const recomputeNs = recomputeNsOf(pt.recomputedLayers, this.costs);
      const eBytes = pt.eCacheLoads * eOne;
      const reusedKvBytes = (layers - pt.recomputedLayers) * layerKv;
      const workNs = recomputeNs + suffixNs;
      if (
        prunable &&
        workNs !== 0 &&
        systemCostOf(backlog + workNs, workNs, behind, 0, 0) > best.systemCostNs &&
        Number.isFinite(workNs + eBytes + reusedKvBytes + kvAll + pt.qualityLoss)
      )
        continue;
      const loss = pt.qualityLoss;
      // Best only, most candidates are settled by the first key: with no NaN key to flag, one
      // that loses (compareKeys > 0) needs no record and one that wins needs no comparison.
      // Equal TTFTs, infinite ones included, and NaN ones go the whole way.
      const shortcut = bestOnly && !Number.isNaN(eBytes + reusedKvBytes + kvAll + loss);
      for (const strategy of strategies) {
        const fetchBytes = partialFetchBytes(strategy, eBytes, reusedKvBytes, kvAll);
        const fetchNs = partialFetchNs(e, fetchBytes);
        const ttftNs = partialTtftOf(strategy, e, eBytes, fetchNs, workNs, backlog, wait);
        const holdNs = slotHoldNs(strategy !== 'pipelined' && workNs !== 0, ttftNs, wait, fetchNs);
        const systemCostNs = systemCostOf(ttftNs, workNs, behind, holdNs, loadsBehind);
        if (shortcut && systemCostNs > best.systemCostNs) continue;
        if (shortcut && systemCostNs < best.systemCostNs) {
          // Wins on the first key (compareKeys < 0): straight into the best record.
          best.systemCostNs = systemCostNs;
          best.ttftNs = ttftNs;
          best.qualityLoss = loss;
          best.fetchBytes = fetchBytes;
          best.kindRank = c.kindRank;
          best.variant = c.variant;
          best.replica = c.replica;
          best.strategyRank = strategyRank(strategy);
          best.source = c.source;
          best.point = pt;
          best.strategy = strategy;
          best.fetchNs = fetchNs;
          best.recomputeNs = recomputeNs;
          continue;
        }
        c.point = pt;
        c.qualityLoss = loss;
        c.recomputeNs = recomputeNs;
        c.strategy = strategy;
        c.strategyRank = strategyRank(strategy);
        c.fetchBytes = fetchBytes;
        c.fetchNs = fetchNs;
        c.ttftNs = ttftNs;
        c.systemCostNs = systemCostNs;
        if (options !== undefined) options.push(partialOption(c, suffixNs));
        else this.offer(c);
      }
    }
  }
}
