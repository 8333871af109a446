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
import type { FetchEstimate, FetchEstimator, PlanOption } from '../planner/planner.ts';
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

/** Time (ns) from now until the replica's load slot is free for a new request, as planned. */
export function loadWaitNs(rep: Replica, nowNs: number): number {
  return rep.loadFreeNs > nowNs ? rep.loadFreeNs - nowNs : 0;
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
 * Highest GPU busy share {@link waitingBehind} reads: at 0.95 a request's GPU work is charged
 * to at most 19 requests behind it *(estimate: keeps the charge finite when a replica has been
 * saturated so far; the queue itself takes over beyond it)*.
 */
export const MAX_BUSY_SHARE = 0.95;

/**
 * Requests expected to wait behind a new request's GPU work on the replica (docs/planner.md "The
 * system cost"): the larger of those queued now — prefill jobs and loads waiting for the slot,
 * whose GPU work comes after — and the M/G/1 expectation ρ ÷ (1 − ρ), ρ being the replica's GPU
 * busy share so far (capped at {@link MAX_BUSY_SHARE}). In a stationary queue the requests that
 * arrive while a request is served are as many as it found waiting (PASTA with Little's law),
 * so both say how many a ns of added GPU work delays.
 */
export function waitingBehind(rep: Replica, nowNs: number): number {
  const queued = rep.prefill.length + rep.loads.length;
  if (nowNs <= 0) return queued;
  const share = rep.busyNs / nowNs;
  const rho = share < MAX_BUSY_SHARE ? share : MAX_BUSY_SHARE;
  const expected = rho / (1 - rho);
  return expected > queued ? expected : queued;
}

/**
 * Records a decision's promises on its replica: when its load frees the slot and when its GPU
 * work ends, from the planner's own figures (the option's TTFT and fetch time, priced with the
 * `waitNs` and `backlogNs` it was given), so the next request is priced behind it. `eReadyNs`:
 * for a pipelined reuse, when its E caches land (from now, the wait included): its GPU work
 * starts then or when the backlog is done, and may end before its KV stream lands.
 */
export function commit(
  rep: Replica,
  o: PlanOption,
  nowNs: number,
  waitNs: number,
  backlogNs: number,
  eReadyNs: number,
  latencyNs: number,
): void {
  if (o.kind === 'full-prefill') {
    rep.gpuPlannedEndNs = nowNs + backlogNs + o.recomputeNs;
    return;
  }
  const workNs = o.recomputeNs + o.suffixNs;
  if (o.fetchBytes > 0) {
    // send-* hold the slot until their GPU work is done: their TTFT is that moment.
    rep.loadFreeNs =
      holdsUntilComputed(o) && workNs > 0 ? nowNs + o.ttftNs : nowNs + waitNs + o.fetchNs;
    rep.loadRateBytesPerNs = o.fetchBytes / (o.fetchNs - latencyNs);
  }
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

/** Queues a request's load on its replica, starting it when the slot is free. */
export function requestLoad(s: RunState, x: InFlight): void {
  const rep = x.replica;
  if (rep.loading === undefined) startLoad(s, x);
  else rep.loads.push(x);
}

/**
 * Starts a request's load: for a pipelined reuse its E caches, or its KV stream straight away
 * when it loads no E cache (its GPU work started at dispatch); else the whole fetch.
 */
function startLoad(s: RunState, x: InFlight): void {
  x.replica.loading = x;
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
  startTransfer(s, x.move as Move, x.kvBytes, x, KV_FETCHED);
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
  const next = rep.loads.shift();
  if (next !== undefined) startLoad(s, next);
}
