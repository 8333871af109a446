/**
 * The max-min solver — SimGrid's `FairBottleneck::do_solve` to the system in `state.ts`:
 * progressive filling over the connected components (through shared resources) of what changed
 * since the last solve. Every unfrozen flow's rate rises at the same pace; when a shared
 * resource saturates, the flows crossing it freeze; when a flow reaches its limit (its cap
 * tightened by the resources it has to itself), it freezes; repeat. The keys of the shared
 * resources (the fill level at which each saturates: remaining capacity ÷ unfrozen weight) only
 * grow as flows freeze. Components of a few flows find the next event by a scan, larger ones
 * keep a heap of resources and one of flow limits. With many flows active, a solve can instead
 * fill only the flows a change moves, in rounds (`partial.ts`).
 */
import type { IndexedMinHeap } from '../heap.ts';
import { gather, gatherComponent, type SolverScratch } from './component.ts';
import { admitViolators, refreshStaleLimits } from './partial.ts';
import { MEMBER_STRIDE, MOVING, type FluidState } from './state.ts';
import { f64, i32, row } from './typed.ts';

/**
 * Components of at most this many flows are solved by scanning their shared resources and
 * flow limits for the next event of progressive filling; larger ones keep heaps. A scan costs
 * O(flows + resources) per step, the heaps O((flows + resources) · log) to build plus O(log) per
 * step, so scans win for the few-flow components a serving simulation mostly solves.
 */
export const SCAN_MAX_FLOWS = 8;

/**
 * From this many active flows on, `simulateFlows` asks for partial solves (`partial.ts`): with
 * hundreds of flows in one component (a pod under heavy load), re-filling only the flows whose
 * rate can change is much cheaper than re-filling the component. The serving simulator keeps
 * whole-component solves (its components are a few flows).
 */
export const PARTIAL_MIN_FLOWS = 64;
/**
 * Re-solves max-min rates for the components touched since the last solve and re-projects the
 * completions of the flows whose rate changed into `completions` (key: finish time, ns).
 */
export function solve(s: FluidState, sc: SolverScratch, completions: IndexedMinHeap): void {
  const epoch = ++sc.epoch;
  if (sc.compFlows.length < s.flowCapacity) {
    sc.compFlows = new Int32Array(s.flowCapacity);
    sc.oldRate = new Float64Array(s.flowCapacity);
    sc.roundRate = new Float64Array(s.flowCapacity);
  }
  sc.nF = 0;
  sc.nR = 0;
  sc.settled = 0;
  for (const f of s.dirtyFlows) {
    if (s.fState[f] === MOVING && s.fMark[f] !== epoch) {
      s.fMark[f] = epoch;
      sc.compFlows[sc.nF++] = f;
    }
  }
  if (s.active >= sc.partialMinFlows) solvePartial(s, sc);
  else {
    for (const r of s.dirtyRes) gather(s, sc, r, epoch, Number.NEGATIVE_INFINITY, false);
    gatherComponent(s, sc, epoch, Number.NEGATIVE_INFINITY);
    s.statSolves++;
    s.statFlowsSolved += sc.nF;
    s.statResourcesSolved += sc.nR;
    fill(s, sc, epoch);
  }
  s.dirtyRes.length = 0;
  s.dirtyFlows.length = 0;
  s.staleFlows.length = 0;
  s.dirty = false;
  project(s, sc, completions);
}

/**
 * A partial solve (`partial.ts`): rounds of filling S — the flows marked in `compFlows`, the new
 * ones to begin with — on what the kept flows leave, then admitting to S the flows the
 * characterisation check rejects, until none is rejected. Each round marks S with a fresh epoch
 * (resources are set up again, kept flows frozen again).
 */
function solvePartial(s: FluidState, sc: SolverScratch): void {
  refreshStaleLimits(s);
  let epoch = sc.epoch;
  for (let first = true; ; first = false) {
    sc.nR = 0;
    gatherComponent(s, sc, epoch, Number.POSITIVE_INFINITY);
    s.statSolves++;
    s.statFlowsSolved += sc.nF;
    s.statResourcesSolved += sc.nR;
    for (let i = 0; i < sc.nF; i++) sc.roundRate[i] = f64(s.fRate, i32(sc.compFlows, i));
    fill(s, sc, epoch);
    if (admitViolators(s, sc, epoch, first) === 0) return;
    epoch = ++sc.epoch;
    for (let i = 0; i < sc.nF; i++) s.fMark[i32(sc.compFlows, i)] = epoch;
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
