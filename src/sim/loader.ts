/**
 * The per-replica loader (docs/planner.md "Strategies as the engine runs them"; docs/references.md
 * §3 "Three ways to run a partial reuse"): each serving replica loads one request's cache at a
 * time, first come first served, and the strategy decides when the next load may start:
 *
 * - `send-all` and `send-reused` run a request's load and its recompute back to back, and the
 *   replica serves such requests one after another: the load slot is held from the start of the
 *   load until the request's GPU work is done ({@link gpuWorkDone}, called by prefill-done.ts);
 * - `pipelined` loads the E caches first, starts recomputing when they land while the reused
 *   KV streams behind them (no second first-byte latency: the stream is already open), and
 *   frees the slot when the last byte lands — so request i+1's load overlaps request i's compute;
 * - exact reuse loads like pipelined (the network serves the next load while the GPU prefills
 *   this request's suffix; an LMCache-like pipeline, *(estimate)*: the paper's strategies are for
 *   partial reuse only).
 *
 * The planner prices the same rules (costs.ts): a fetch starts after `loadWaitNs`, which is
 * {@link loadWaitNs} — the planner's own estimate of when the slot frees, kept per replica as
 * each decision is made ({@link commit}), with the GPU's promised end beside it.
 */
import type { FetchSource } from '../fabric/fetch.ts';
import {
  slotHoldNs,
  type FetchEstimate,
  type FetchEstimator,
  type PlanOption,
} from '../planner/planner.ts';
import {
  E_FETCHED,
  FETCHED,
  KV_FETCHED,
  type InFlight,
  type Move,
  type Replica,
  type RunState,
} from './state.ts';
import { fetchTransfer, scheduleTransfer, startTransfer } from './transfers.ts';

/** Whether a request holds its replica's load slot until its GPU work is done (send-all, send-reused). */
export function holdsUntilComputed(o: PlanOption): boolean {
  return o.kind === 'partial' && o.strategy !== 'pipelined';
}

/**
 * Time (ns) from now until the replica's load slot is free for a new request: the current load's
 * expected end (not before now) plus the planned holds of the loads waiting before it.
 */
export function loadWaitNs(rep: Replica, nowNs: number): number {
  if (rep.loading === undefined) return 0;
  const left = rep.loadHoldEndNs > nowNs ? rep.loadHoldEndNs - nowNs : 0;
  return left + rep.queuedHoldNs;
}

/**
 * How long a decision will hold its replica's load slot (ns), as the planner priced it
 * (costs.ts `slotHoldNs`): send-all / send-reused from the start of their load to the end of
 * their GPU work, the others for their fetch; 0 when nothing is fetched.
 */
export function holdOf(o: PlanOption, waitNs: number): number {
  if (o.kind === 'full-prefill' || o.fetchBytes <= 0) return 0;
  return slotHoldNs(
    holdsUntilComputed(o) && o.recomputeNs + o.suffixNs > 0,
    o.ttftNs,
    waitNs,
    o.fetchNs,
  );
}

/**
 * GPU work (ns) ahead of a new request on the replica: the work queued and running, or what
 * the planner already promised to requests still loading, whichever ends later.
 */
export function gpuBacklogNs(rep: Replica, nowNs: number): number {
  const queued = rep.queuedNs + (rep.jobEndNs > nowNs ? rep.jobEndNs - nowNs : 0);
  const promised = rep.gpuPlannedEndNs - nowNs;
  return promised > queued ? promised : queued;
}

/**
 * Highest busy share {@link expectedBehind} reads: at 0.95 an option's hold on a resource is
 * charged to at most 19 requests behind it *(estimate: keeps the charge finite on a resource that
 * has been saturated so far; the queue itself takes over beyond it)*.
 */
export const MAX_BUSY_SHARE = 0.95;

/**
 * Requests expected to wait behind a new one for a resource (docs/planner.md "The system cost"):
 * the larger of those waiting for it now and the M/G/1 expectation ρ ÷ (1 − ρ), ρ being the
 * resource's busy share so far (`busyNs` of `nowNs`, capped at {@link MAX_BUSY_SHARE}). In a
 * stationary queue the requests that arrive while one is served are as many as it found waiting
 * (arrivals see time averages; Little's law), so both say how many a ns of added hold delays.
 */
export function expectedBehind(waiting: number, busyNs: number, nowNs: number): number {
  if (nowNs <= 0) return waiting;
  const share = busyNs / nowNs;
  const rho = share < MAX_BUSY_SHARE ? share : MAX_BUSY_SHARE;
  const expected = rho / (1 - rho);
  return expected > waiting ? expected : waiting;
}

/**
 * Requests expected to wait for the replica's GPU behind a new one: prefill jobs queued, and the
 * share of time the GPU's prefill work committed so far would fill (decode runs are left out:
 * a prefill cuts them at the end of a step, so they barely delay prefill work).
 */
export function gpuBehind(rep: Replica, nowNs: number): number {
  return expectedBehind(rep.prefill.length, rep.plannedWorkNs, nowNs);
}

/** Loads expected to wait for the replica's load slot behind a new one: loads queued, slot busy share. */
export function loadsBehind(rep: Replica, nowNs: number): number {
  const held = rep.loading === undefined ? 0 : nowNs - rep.loadStartNs;
  return expectedBehind(rep.loads.length, rep.loadBusyNs + held, nowNs);
}

/**
 * Records a decision's promises on its replica, from the planner's own figures (the option's
 * TTFT, priced with the `backlogNs` it was given): when its GPU work ends and how much prefill
 * work it adds (so the next request is priced behind it), and the fetch rate it expected (for
 * {@link queuedEstimate}; `latencyNs`: its fetch's first-byte latency). `eReadyNs`: for a
 * pipelined reuse, when its E caches land (from now, the wait included): its GPU work starts
 * then or when the backlog is done, and may end before its KV stream lands. (When its load
 * frees the slot is kept by {@link requestLoad}.)
 */
export function commit(
  rep: Replica,
  o: PlanOption,
  nowNs: number,
  backlogNs: number,
  eReadyNs: number,
  latencyNs: number,
): void {
  if (o.kind === 'full-prefill') {
    rep.gpuPlannedEndNs = nowNs + backlogNs + o.recomputeNs;
    rep.plannedWorkNs += o.recomputeNs;
    return;
  }
  const workNs = o.recomputeNs + o.suffixNs;
  rep.plannedWorkNs += workNs;
  if (o.fetchBytes > 0) rep.loadRateBytesPerNs = o.fetchBytes / (o.fetchNs - latencyNs);
  if (workNs > 0)
    rep.gpuPlannedEndNs =
      o.kind === 'partial' && o.strategy === 'pipelined'
        ? nowNs + Math.max(eReadyNs, backlogNs) + workNs
        : nowNs + o.ttftNs;
}

/**
 * The fetch estimator the planner uses for a replica (made once per replica): the run's
 * contention-aware estimate, adjusted by {@link queuedEstimate}.
 */
export function plannerEstimator(s: RunState, rep: Replica): FetchEstimator {
  let f = rep.plannerEstimate;
  if (f === undefined) {
    f = (source) =>
      queuedEstimate(s, rep, source, (s.estimators[rep.index] as FetchEstimator)(source));
    rep.plannerEstimate = f;
  }
  return f;
}

/**
 * A load queued behind the replica's current one starts when that one is done, so it does not
 * share the network with it — yet the contention-aware estimate `e` counts the current load's
 * flow as a competitor. While the slot is busy, the estimate is therefore the rate the planner
 * expected for the replica's latest load (the conditions it inherits), capped by this source's
 * route alone, when that is higher than `e` *(estimate: the loads ahead of it see the same
 * fabric)*.
 */
export function queuedEstimate(
  s: RunState,
  rep: Replica,
  source: FetchSource,
  e: FetchEstimate | undefined,
): FetchEstimate | undefined {
  if (e === undefined || rep.loading === undefined) return e;
  if (!(rep.loadRateBytesPerNs > e.bandwidthBytesPerNs)) return e;
  const move = fetchTransfer(s, rep, source);
  const alone = move === undefined ? e.bandwidthBytesPerNs : move.route.aloneRateBytesPerNs;
  const bw = alone < rep.loadRateBytesPerNs ? alone : rep.loadRateBytesPerNs;
  return bw > e.bandwidthBytesPerNs ? { latencyNs: e.latencyNs, bandwidthBytesPerNs: bw } : e;
}

/** Queues a request's load on its replica (`holdNs`: {@link holdOf}), starting it when the slot is free. */
export function requestLoad(s: RunState, x: InFlight, holdNs: number): void {
  const rep = x.replica;
  if (rep.loading === undefined) startLoad(s, x, holdNs);
  else {
    rep.loads.push(x);
    rep.loadHoldsNs.push(holdNs);
    rep.queuedHoldNs += holdNs;
  }
}

/**
 * Starts a request's load: for a pipelined reuse its E caches, or its KV stream straight away
 * when it loads no E cache (its GPU work started at dispatch); else the whole fetch.
 */
function startLoad(s: RunState, x: InFlight, holdNs: number): void {
  const rep = x.replica;
  rep.loading = x;
  rep.loadStartNs = s.nowNs;
  rep.loadHoldEndNs = s.nowNs + holdNs;
  const o = x.option;
  const move = x.move as Move;
  if (o.kind === 'partial' && o.strategy === 'pipelined') {
    const eBytes = o.fetchBytes - x.kvBytes;
    if (eBytes > 0) scheduleTransfer(s, move, eBytes, x, E_FETCHED);
    else scheduleTransfer(s, move, x.kvBytes, x, KV_FETCHED);
    return;
  }
  scheduleTransfer(s, move, o.fetchBytes, x, FETCHED);
}

/**
 * A pipelined reuse's E caches have landed: the reused KV streams behind them at once, without
 * a second first-byte latency (the stream is open). False when there is no KV to stream (the
 * slot is then free, and the caller counts the stream done).
 */
export function eLanded(s: RunState, x: InFlight): boolean {
  if (x.kvBytes <= 0) {
    freeSlot(s, x.replica);
    return false;
  }
  startTransfer(s, x.move as Move, x.kvBytes, x, KV_FETCHED, undefined);
  return true;
}

/** A whole fetch (not pipelined) has landed: the slot frees unless the request holds it to its GPU work's end. */
export function fetchLanded(s: RunState, x: InFlight): void {
  if (!(holdsUntilComputed(x.option) && x.computeNs > 0)) freeSlot(s, x.replica);
}

/** A pipelined reuse's KV stream has landed: the slot frees. */
export function streamLanded(s: RunState, x: InFlight): void {
  freeSlot(s, x.replica);
}

/** A request's GPU work is done (prefill-done.ts): a send-all / send-reused load frees its slot. */
export function gpuWorkDone(s: RunState, x: InFlight): void {
  if (x.replica.loading === x && holdsUntilComputed(x.option)) freeSlot(s, x.replica);
}

/** Frees the replica's load slot and starts the next queued load. */
function freeSlot(s: RunState, rep: Replica): void {
  rep.loading = undefined;
  rep.loadBusyNs += s.nowNs - rep.loadStartNs;
  const next = rep.loads.shift();
  if (next === undefined) return;
  const holdNs = rep.loadHoldsNs.shift() as number;
  // Back to exactly 0 when the queue empties, so the running sum cannot drift.
  rep.queuedHoldNs = rep.loads.length === 0 ? 0 : rep.queuedHoldNs - holdNs;
  startLoad(s, next, holdNs);
}
