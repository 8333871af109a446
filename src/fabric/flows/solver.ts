/**
 * The max-min solver — SimGrid's `FairBottleneck::do_solve` to the system in `state.ts`:
 * progressive filling over the connected components (through shared resources) of what changed
 * since the last solve. Every unfrozen flow's rate rises at the same pace; when a shared
 * resource saturates, the flows crossing it freeze; when a flow reaches its limit (its cap
 * tightened by the resources it has to itself), it freezes; repeat. The keys of the shared
 * resources (the fill level at which each saturates: remaining capacity ÷ unfrozen weight) only
 * grow as flows freeze. Components of a few flows find the next event by a scan, larger ones
 * keep a heap of resources and one of flow limits.
 */
import { IndexedMinHeap } from '../heap.ts';
import { MEMBER_STRIDE, MOVING, type FluidState, type PreparedRoute } from './state.ts';
import { f64, i32, row } from './typed.ts';

/**
 * Components of at most this many flows are solved by scanning their shared resources and
 * flow limits for the next event of progressive filling; larger ones keep heaps. A scan costs
 * O(flows + resources) per step, the heaps O((flows + resources) · log) to build plus O(log) per
 * step, so scans win for the few-flow components a serving simulation mostly solves.
 */
export const SCAN_MAX_FLOWS = 8;

/** The solver's scratch arrays, sized for the resources, grown with the flows; reused by every solve. */
export class SolverScratch {
  readonly remCap: Float64Array;
  readonly unfrozenWeight: Float64Array;
  /** Unfrozen flows per resource: with fractional weights the weight sum may not reach 0 exactly. */
  readonly unfrozenCount: Int32Array;
  readonly resMark: Int32Array;
  readonly resHeap: IndexedMinHeap;
  /** Large components: flows by limit (frozen ones removed lazily). */
  readonly limitHeap = new IndexedMinHeap(64);
  /** Shared resources of the component being solved (first `nR`)… */
  readonly compRes: Int32Array;
  /** …and its flows (first `nF`). */
  compFlows = new Int32Array(64);
  /** Rates before the current solve, aligned with `compFlows`. */
  oldRate = new Float64Array(64);
  nF = 0;
  nR = 0;
  epoch = 0;

  /** @param resourceCount number of resources of the network. */
  constructor(
    resourceCount: number,
    readonly scanMaxFlows: number,
  ) {
    this.remCap = new Float64Array(resourceCount);
    this.unfrozenWeight = new Float64Array(resourceCount);
    this.unfrozenCount = new Int32Array(resourceCount);
    this.resMark = new Int32Array(resourceCount);
    this.resHeap = new IndexedMinHeap(resourceCount);
    this.compRes = new Int32Array(resourceCount);
  }
}

/**
 * Indices of `limits` in ascending order of limit, ties by index. An insertion sort without
 * closures: routes are short, and it runs once per route.
 */
function indicesByLimit(limits: Float64Array): Int32Array {
  const n = limits.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const q = f64(limits, i);
    let j = i;
    while (j > 0 && f64(limits, i32(order, j - 1)) > q) {
      order[j] = i32(order, j - 1);
      j--;
    }
    order[j] = i;
  }
  return order;
}

/**
 * Re-solves max-min rates for the components touched since the last solve and re-projects the
 * completions of the flows whose rate changed into `completions` (key: finish time, ns).
 */
export function solve(s: FluidState, sc: SolverScratch, completions: IndexedMinHeap): void {
  const epoch = ++sc.epoch;
  if (sc.compFlows.length < s.flowCapacity) {
    sc.compFlows = new Int32Array(s.flowCapacity);
    sc.oldRate = new Float64Array(s.flowCapacity);
  }
  sc.nF = 0;
  sc.nR = 0;
  for (const f of s.dirtyFlows) {
    if (s.fState[f] === MOVING && s.fMark[f] !== epoch) {
      s.fMark[f] = epoch;
      sc.compFlows[sc.nF++] = f;
    }
  }
  for (const r of s.dirtyRes) gather(s, sc, r, epoch);
  s.dirtyRes.length = 0;
  s.dirtyFlows.length = 0;
  s.dirty = false;
  gatherComponent(s, sc, epoch);
  s.statSolves++;
  s.statFlowsSolved += sc.nF;
  s.statResourcesSolved += sc.nR;
  fill(s, sc, epoch);
  project(s, sc, completions);
}

/** Appends to the component the flows on resource `r` not in it yet. */
function gather(s: FluidState, sc: SolverScratch, r: number, epoch: number): void {
  const list = row(s.members, r);
  const c = i32(s.memberCount, r);
  const { fMark } = s;
  const { compFlows } = sc;
  let nF = sc.nF;
  for (let i = 0; i < c; i++) {
    const g = f64(list, i * MEMBER_STRIDE);
    if (fMark[g] !== epoch) {
      fMark[g] = epoch;
      compFlows[nF++] = g;
    }
  }
  sc.nF = nF;
}

/** The limit of flow `f` alone: min(its cap, its route's rate alone). */
function aloneLimit(s: FluidState, f: number): number {
  return Math.min(f64(s.fCap, f), (s.fRoute[f] as PreparedRoute).aloneRateBytesPerNs);
}

/** The limit of flow `f`: its cap tightened by the first resource by ascending limit it has to itself. */
function privateLimit(s: FluidState, f: number): number {
  const path = row(s.fRes, f);
  const limits = row(s.fRouteLimit, f);
  const len = i32(s.fLen, f);
  let limit = f64(s.fCap, f);
  const route = s.fRoute[f] as PreparedRoute;
  const byLimit = route.byLimit ?? (route.byLimit = indicesByLimit(limits));
  for (let i = 0; i < len; i++) {
    const k = i32(byLimit, i);
    if (i32(s.memberCount, i32(path, k)) === 1) {
      const q = f64(limits, k);
      if (q < limit) limit = q;
      break;
    }
  }
  return limit;
}

/**
 * Walks the component breadth-first from the gathered flows: brings each flow's remaining bytes
 * to now, refreshes its private limit if stale, and sets up each shared resource it crosses
 * (full capacity, unfrozen weight and count), gathering that resource's flows in turn.
 */
function gatherComponent(s: FluidState, sc: SolverScratch, epoch: number): void {
  const { fRem, fRate, fLastNs, fPrivateLimit, fPrivateStale, fShared, cap } = s;
  const { resMark, compRes, remCap, unfrozenWeight, unfrozenCount, compFlows, oldRate } = sc;
  const now = s.now;
  for (let pf = 0; pf < sc.nF; pf++) {
    const f = i32(compFlows, pf);
    const rate = f64(fRate, f);
    oldRate[pf] = rate;
    const rem = f64(fRem, f) - rate * (now - f64(fLastNs, f));
    fRem[f] = rem > 0 ? rem : 0;
    fLastNs[f] = now;
    const nShared = i32(fShared, f);
    if (fPrivateStale[f] === 1) {
      // Alone on all its resources: no pass needed.
      fPrivateLimit[f] = nShared === 0 ? aloneLimit(s, f) : privateLimit(s, f);
      fPrivateStale[f] = 0;
    }
    if (nShared === 0) continue;
    const path = row(s.fRes, f);
    const weight = row(s.fWeight, f);
    const sharedK = row(s.fSharedK, f);
    for (let j = 0; j < nShared; j++) {
      const k = i32(sharedK, j);
      const r = i32(path, k);
      if (resMark[r] !== epoch) {
        resMark[r] = epoch;
        compRes[sc.nR++] = r;
        remCap[r] = f64(cap, r);
        unfrozenWeight[r] = 0;
        unfrozenCount[r] = 0;
        gather(s, sc, r, epoch);
      }
      unfrozenWeight[r] = f64(unfrozenWeight, r) + f64(weight, k);
      unfrozenCount[r] = i32(unfrozenCount, r) + 1;
    }
  }
}

/** Loads the heaps of a large component: its shared resources by fill key, its flows by limit. */
function loadHeaps(s: FluidState, sc: SolverScratch): void {
  const { resHeap, limitHeap, compRes, compFlows, remCap, unfrozenWeight } = sc;
  resHeap.clear();
  limitHeap.clear();
  for (let i = 0; i < sc.nR; i++) {
    const r = i32(compRes, i);
    resHeap.set(r, f64(remCap, r) / f64(unfrozenWeight, r));
  }
  for (let i = 0; i < sc.nF; i++) {
    const f = i32(compFlows, i);
    const l = f64(s.fPrivateLimit, f);
    if (l < Number.POSITIVE_INFINITY) limitHeap.set(f, l);
  }
}

/** The next event of progressive filling, found by `nextByScan` or `nextByHeap`. */
interface NextEvent {
  /** Smallest unfrozen flow limit (Infinity: none) and its flow. */
  capKey: number;
  capFlow: number;
  /** Smallest shared-resource fill key (Infinity: none) and its resource. */
  resKey: number;
  resR: number;
}

/** Next event of a small component, by scanning its flows and shared resources. */
function nextByScan(s: FluidState, sc: SolverScratch, epoch: number, ev: NextEvent): void {
  const { fFrozen, fPrivateLimit } = s;
  const { compFlows, compRes, unfrozenCount, remCap, unfrozenWeight } = sc;
  let capKey = Number.POSITIVE_INFINITY;
  let capFlow = -1;
  let resKey = Number.POSITIVE_INFINITY;
  let resR = -1;
  for (let i = 0; i < sc.nF; i++) {
    const f = i32(compFlows, i);
    if (fFrozen[f] === epoch) continue;
    const l = f64(fPrivateLimit, f);
    if (l < capKey || (l === capKey && f < capFlow)) {
      capKey = l;
      capFlow = f;
    }
  }
  for (let i = 0; i < sc.nR; i++) {
    const r = i32(compRes, i);
    if (i32(unfrozenCount, r) === 0) continue;
    const rc = f64(remCap, r);
    const uw = f64(unfrozenWeight, r);
    const key = rc > 0 && uw > 0 ? rc / uw : 0;
    if (key < resKey) {
      resKey = key;
      resR = r;
    }
  }
  ev.capKey = capKey;
  ev.capFlow = capFlow;
  ev.resKey = resKey;
  ev.resR = resR;
}

/** Next event of a large component, from its heaps (flows frozen by a resource leave the limit heap lazily). */
function nextByHeap(s: FluidState, sc: SolverScratch, epoch: number, ev: NextEvent): void {
  const { limitHeap, resHeap } = sc;
  while (limitHeap.size > 0 && s.fFrozen[limitHeap.peek()] === epoch) limitHeap.pop();
  ev.capKey = limitHeap.peekKey();
  ev.capFlow = limitHeap.peek();
  ev.resKey = resHeap.peekKey();
  ev.resR = resHeap.peek();
}

/** Progressive filling of the gathered component: sets `fRate` of each of its flows. */
function fill(s: FluidState, sc: SolverScratch, epoch: number): void {
  const useHeap = sc.nF > sc.scanMaxFlows;
  if (useHeap) loadHeaps(s, sc);
  const ev: NextEvent = { capKey: 0, capFlow: -1, resKey: 0, resR: -1 };
  let unfrozen = sc.nF;
  let level = 0;
  while (unfrozen > 0) {
    if (useHeap) nextByHeap(s, sc, epoch, ev);
    else nextByScan(s, sc, epoch, ev);
    const { capKey, resKey } = ev;
    if (capKey === Number.POSITIVE_INFINITY && resKey === Number.POSITIVE_INFINITY) break; // unreachable: every moving flow is bounded
    if (capKey <= resKey) {
      if (capKey > level) level = capKey;
      freeze(s, sc, ev.capFlow, capKey, epoch, useHeap);
      unfrozen--;
    } else {
      if (useHeap) sc.resHeap.pop();
      if (resKey > level) level = resKey;
      const list = row(s.members, ev.resR);
      const c = i32(s.memberCount, ev.resR);
      for (let i = 0; i < c; i++) {
        const f = f64(list, i * MEMBER_STRIDE);
        if (s.fFrozen[f] !== epoch) {
          freeze(s, sc, f, level, epoch, useHeap);
          unfrozen--;
        }
      }
    }
  }
}

/** Progressive filling step: fixes flow `f` at `rate` and updates its shared resources' saturation levels. */
function freeze(
  s: FluidState,
  sc: SolverScratch,
  f: number,
  rate: number,
  epoch: number,
  useHeap: boolean,
): void {
  const { remCap, unfrozenWeight, unfrozenCount, resHeap: heap } = sc;
  s.fFrozen[f] = epoch;
  s.fRate[f] = rate;
  const nShared = i32(s.fShared, f);
  if (nShared === 0) return;
  const path = row(s.fRes, f);
  const weight = row(s.fWeight, f);
  const sharedK = row(s.fSharedK, f);
  for (let j = 0; j < nShared; j++) {
    const k = i32(sharedK, j);
    const r = i32(path, k);
    const w = f64(weight, k);
    const rc = f64(remCap, r) - w * rate;
    remCap[r] = rc;
    const left = i32(unfrozenCount, r) - 1;
    unfrozenCount[r] = left;
    const uw = left === 0 ? 0 : f64(unfrozenWeight, r) - w;
    unfrozenWeight[r] = uw;
    if (!useHeap) continue;
    if (left === 0) heap.delete(r);
    else if (heap.has(r)) heap.set(r, rc > 0 && uw > 0 ? rc / uw : 0);
  }
}

/** Re-projects the finish time of each solved flow whose rate changed (unchanged rates keep their key: no drift). */
function project(s: FluidState, sc: SolverScratch, completions: IndexedMinHeap): void {
  const now = s.now;
  for (let i = 0; i < sc.nF; i++) {
    const f = i32(sc.compFlows, i);
    const rate = f64(s.fRate, f);
    if (rate === sc.oldRate[i] && completions.has(f)) continue;
    completions.set(f, rate > 0 ? now + f64(s.fRem, f) / rate : Number.POSITIVE_INFINITY);
  }
}
