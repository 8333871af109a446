/**
 * The reuse planner (docs/design.md: "full prefill | exact reuse | partial reuse"). For one
 * request — a variant, a context of `tokens` tokens, a consuming host — it enumerates every
 * option and estimates its time to first token (TTFT) from the fabric's fetch costs and the GPU
 * compute model:
 *
 * - **full prefill**: every layer over context and suffix on the GPU.
 * - **exact reuse**: the variant's own cached KV for the context, fetched whole; then only the
 *   suffix (the new prompt tokens) is prefilled.
 * - **partial reuse** (DroidSpeak, docs/references.md §3): another variant's cache of the same
 *   context, with a recompute set from the pair profile's Pareto frontier inside the quality
 *   budget. Each recomputed group needs the sender's E cache at its first layer, except a group
 *   starting at layer 0 (its input is the token embeddings, computed from the tokens). Three ways to
 *   run it:
 *   - `send-all`: fetch every layer's KV and the E caches, then recompute;
 *   - `send-reused`: fetch only the reused layers' KV and the E caches, then recompute;
 *   - `pipelined`: fetch the E caches first and start recomputing as soon as they land, while
 *     the reused layers' KV streams behind them on the network: TTFT = max(E landed +
 *     recompute, everything landed). So pipelined ≤ send-reused ≤ send-all for the same point.
 *   A replica loads one request at a time (src/sim/loader.ts): send-all and send-reused hold the
 *   load slot through their GPU work (requests one after another), pipelined and exact reuse
 *   free it when their bytes land; every fetch starts after `loadWaitNs`.
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
 *   lowest **system cost** under the current bandwidth, load slot and GPU backlog, including
 *   full prefill: its TTFT plus its GPU work once for each request expected to wait behind it
 *   (`waitingBehind`; docs/planner.md "The system cost"), so an exact hit is left for recompute
 *   only when that is better for everyone, not just for this request; ties go to lower TTFT,
 *   then less quality loss, then fewer bytes fetched.
 * Every decision keeps all options it considered, so it can be explained.
 *
 * **One walker, two paths** (walker.ts): the simulator plans every request at up to 10⁵/s and
 * keeps only the winner, so {@link choose} walks the candidates keeping the best (exactly
 * `plan(policy, input).chosen`), while {@link plan} collects and sorts every option. Both price
 * with costs.ts, so their numbers are bit-identical.
 *
 * The mechanism lives in types.ts (the vocabulary), costs.ts (prices and option objects),
 * order.ts (the order of options) and walker.ts (the walk); this file holds the policies and
 * re-exports the public names.
 */
import type { PairProfile } from './profile-types.ts';
import { frontierWithin } from './frontier.ts';
import type {
  FetchEstimator,
  PartialReuseOption,
  PlanDecision,
  PlanInput,
  PlanOption,
  PolicyName,
} from './types.ts';
import { compareKeys, keysOf } from './order.ts';
import { CandidateWalk, checkBudget } from './walker.ts';

export {
  computeCosts,
  eFetchNs,
  partialTtftNs,
  planSizes,
  slotHoldNs,
  systemCostOf,
} from './costs.ts';
export { compareKeys, type OptionKeys } from './order.ts';
export {
  POLICIES,
  STRATEGIES,
  type ComputeCosts,
  type ExactReuseOption,
  type FetchEstimate,
  type FetchEstimator,
  type FullPrefillOption,
  type PartialReuseOption,
  type PlanDecision,
  type PlanInput,
  type PlannerScenario,
  type PlanOption,
  type PlanSizes,
  type PolicyName,
  type ReusableCache,
  type Strategy,
} from './types.ts';

/** Every option for the request, sorted by estimated TTFT (ties: quality loss, bytes, kind order). */
export function enumerateOptions(p: PlanInput): PlanOption[] {
  const options: PlanOption[] = [];
  const w = new CandidateWalk();
  w.start(p, options);
  w.offerFull();
  w.walkExact(p);
  w.walkRelated(p);
  return options
    .map((option) => ({ option, keys: keysOf(option) }))
    .sort((a, b) => compareKeys(a.keys, b.keys))
    .map((x) => x.option);
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
      return { policy, chosen, options, reason: fabricAwareReason(p, chosen, exacts[0], options) };
    }
    case 'droidspeak': {
      const firstExact = options.find((o) => o.kind === 'exact' && o.replica === 0) ?? exacts[0];
      if (firstExact !== undefined)
        return { policy, chosen: firstExact, options, reason: 'exact cache hit' };
      return droidspeakPartial(p, options, full);
    }
  }
}

/**
 * DroidSpeak's rule without an exact hit: partial reuse from the first related cache with a
 * profile, first replica, pipelined (or the only strategy allowed) — with requests queued the
 * fewest recomputed layers within the budget; with an idle queue the most recomputation whose
 * estimated TTFT meets the SLO.
 */
function droidspeakPartial(
  p: PlanInput,
  options: readonly PlanOption[],
  full: PlanOption,
): PlanDecision {
  const policy = 'droidspeak';
  const sender = p.related.find((c) => p.profiles.has(c.variant))?.variant;
  const strategy = p.strategies.includes('pipelined') ? 'pipelined' : p.strategies[0];
  const candidates = options.filter(
    (o): o is PartialReuseOption =>
      o.kind === 'partial' &&
      o.sourceVariant === sender &&
      o.replica === 0 &&
      o.strategy === strategy,
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

// Reused rather than made per call: a fresh walk (two arrays and two records) per request
// measured 7 % slower on the 1 M-request simulator bench.
let spareWalk: CandidateWalk | undefined = new CandidateWalk();

/**
 * The option `plan(policy, p).chosen` returns — the same object content, field for field —
 * without building and sorting every option (see the file header): for the simulator, which
 * plans every request and needs only the choice. `fabric-aware`, `exact-only` and `full-prefill`
 * walk the candidates best-only; `droidspeak` defers to {@link plan}. The estimator is asked at
 * most once per replica of each cache (and not about caches the policy cannot pick, or related
 * caches with no runnable frontier point). Should any candidate's TTFT, loss or bytes be NaN,
 * the sort's comparator is no total order and only the sort can tell its first option, so
 * choose then defers to {@link plan}, replaying the estimates it already has. (`exact-only` does
 * not ask about related caches, so it cannot see a NaN there; those options never win it.)
 * A call that starts while another runs (an estimator that plans) gets a fresh walk.
 * @throws RangeError as {@link plan} does: an invalid quality budget with a related cache that
 * has a profile.
 * @example choose('fabric-aware', input).kind // 'partial'
 */
export function choose(policy: PolicyName, p: PlanInput): PlanOption {
  if (policy === 'droidspeak') return plan(policy, p).chosen;
  const w = spareWalk ?? new CandidateWalk();
  spareWalk = undefined;
  const chosen = bestOf(policy, p, w);
  // Not put back when the walk throws: the next call then makes a fresh one.
  spareWalk = w;
  return chosen;
}

/** {@link choose}'s walk for the policies that pick the best candidate they may use. */
function bestOf(
  policy: 'fabric-aware' | 'exact-only' | 'full-prefill',
  p: PlanInput,
  w: CandidateWalk,
): PlanOption {
  w.start(p, undefined);
  if (policy === 'full-prefill') {
    checkBudget(p);
    return w.fullOption();
  }
  if (policy === 'fabric-aware') w.offerFull();
  // exact-only never compares with full prefill, but a NaN there still unsettles the sort.
  if (w.nan || Number.isNaN(w.fullTtftNs)) return replay(policy, p, w);
  if (!w.walkExact(p)) return replay(policy, p, w);
  if (policy === 'exact-only') {
    checkBudget(p);
    return w.bestOption();
  }
  if (!w.walkRelated(p)) return replay(policy, p, w);
  return w.bestOption();
}

/** plan()'s choice, with the estimates already asked replayed (the estimator is asked once per source). */
function replay(policy: PolicyName, p: PlanInput, w: CandidateWalk): PlanOption {
  const sources = w.sources.slice(0, w.asked);
  const estimates = w.estimates.slice(0, w.asked);
  const estimate: FetchEstimator = (source) => {
    const i = sources.indexOf(source);
    return i >= 0 ? estimates[i] : p.estimate(source);
  };
  return plan(policy, { ...p, estimate }).chosen;
}

/** Why fabric-aware chose `chosen`: kept or left an exact hit, and by what system cost. */
function fabricAwareReason(
  p: PlanInput,
  chosen: PlanOption,
  exact: PlanOption | undefined,
  options: readonly PlanOption[],
): string {
  const behind = p.waitingBehind ?? 0;
  const term =
    behind > 0
      ? `system cost = TTFT + GPU work × ${formatBehind(behind)} requests behind`
      : 'nobody behind: system cost = TTFT';
  const ms = (x: number): string => `${(x / 1e6).toFixed(1)} ms`;
  if (exact !== undefined && chosen !== exact)
    return `left the exact hit (system cost ${ms(exact.systemCostNs)}) for ${describe(chosen)} (${ms(chosen.systemCostNs)}); ${term}`;
  if (exact !== undefined)
    return `kept the exact hit: lowest system cost of ${options.length} options; ${term}`;
  if (chosen.kind === 'full-prefill')
    return `recomputing costs the system less than any reuse at the current bandwidth; ${term}`;
  return `lowest system cost of ${options.length} options (${describe(chosen)}); ${term}`;
}

function formatBehind(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function describe(o: PlanOption): string {
  if (o.kind === 'exact') return `exact reuse, replica ${o.replica}`;
  if (o.kind === 'partial')
    return `reuse ${o.sourceVariant}'s cache, recompute ${o.recomputedLayers} layers, ${o.strategy}`;
  return 'full prefill';
}

/**
 * Layers whose E cache a sender's cached object must store so that every frontier point within
 * the budget of every receiver that reuses it can run: the union of the points' group starts,
 * bar layer 0 (a group starting there reads the token embeddings, not an E cache).
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
      for (const g of pt.groups)
        if (pt.recomputedLayers < pr.layers && g.start > 0) layers.add(g.start);
  }
  return [...layers].sort((a, b) => a - b);
}
