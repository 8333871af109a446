/**
 * Partial solves: re-filling only the flows whose rate has to change, for networks with hundreds
 * of flows in one component (a pod under heavy load), where re-filling the whole component at
 * every start and finish costs O(component) per event.
 *
 * A max-min fair allocation is characterised by bottlenecks: every flow is at its limit, or
 * crosses a saturated resource where no flow has a larger rate. After a change, the solver
 * keeps the old rates of all flows but a set S (the new flows to begin with), fills S
 * progressively on the capacity the kept flows leave, and then checks the characterisation
 * where loads moved: the kept flows on the resources of the S flows whose rate moved (and, the first round, on resources flows
 * left, and those whose private limit moved), and S's own flows against the kept ones. A kept
 * flow that lost its bottleneck joins S; so do kept flows with a larger rate than an S flow on a
 * resource that froze it. Repeat until nothing is violated: the allocation then meets the
 * characterisation everywhere (flows elsewhere kept their rates and their resources their
 * loads), so it is the max-min allocation (unique) — the one a whole-component solve finds, up
 * to rounding. Comparisons allow a relative 1e-12, far above rounding and far below what moves
 * a finish time.
 */
import { aloneLimit, privateLimit, type SolverScratch } from './component.ts';
import { MEMBER_STRIDE, MOVING, type FluidState } from './state.ts';
import { f64, i32, row } from './typed.ts';

/** Relative tolerance of the checks (saturation, equal rates). */
const CHECK_REL = 1e-12;

/** Load (Σ weight × rate) and largest rate on resource `r`, cached in the scratch for this round. */
function measure(s: FluidState, sc: SolverScratch, r: number): void {
  if (sc.checkMark[r] === sc.checkEpoch) return;
  sc.checkMark[r] = sc.checkEpoch;
  const list = row(s.members, r);
  const c = i32(s.memberCount, r);
  let load = 0;
  let max = 0;
  for (let i = 0, at = 0; i < c; i++, at += MEMBER_STRIDE) {
    const x = f64(s.fRate, f64(list, at));
    load += f64(list, at + 1) * x;
    if (x > max) max = x;
  }
  sc.loadAt[r] = load;
  sc.maxAt[r] = max;
}

/** Whether flow `g` is at its limit, or crosses a saturated shared resource where no rate is larger. */
function bottlenecked(s: FluidState, sc: SolverScratch, g: number): boolean {
  const x = f64(s.fRate, g);
  const limit = f64(s.fPrivateLimit, g);
  if (x > limit * (1 + CHECK_REL)) return false;
  if (x >= limit * (1 - CHECK_REL)) return true;
  const n = i32(s.fShared, g);
  const path = row(s.fRes, g);
  const sharedK = row(s.fSharedK, g);
  for (let j = 0; j < n; j++) {
    const r = i32(path, i32(sharedK, j));
    measure(s, sc, r);
    if (
      f64(sc.loadAt, r) >= f64(s.cap, r) * (1 - CHECK_REL) &&
      x >= f64(sc.maxAt, r) * (1 - CHECK_REL)
    )
      return true;
  }
  return false;
}

/** Adds flow `g` to S (marked `epoch`, its rate remembered as the old one). */
function admit(s: FluidState, sc: SolverScratch, g: number, epoch: number): void {
  s.fMark[g] = epoch;
  sc.compFlows[sc.nF++] = g;
}

/** Admits kept flow `g` (moving, not in S) when it has lost its bottleneck. */
function checkKept(s: FluidState, sc: SolverScratch, g: number, epoch: number): void {
  if (s.fMark[g] === epoch || s.fState[g] !== MOVING) return;
  if (!bottlenecked(s, sc, g)) admit(s, sc, g, epoch);
}

/** Admits the kept flows on resource `r` that lost their bottleneck. */
function checkMembers(s: FluidState, sc: SolverScratch, r: number, epoch: number): void {
  const list = row(s.members, r);
  const c = i32(s.memberCount, r);
  for (let i = 0, at = 0; i < c; i++, at += MEMBER_STRIDE) checkKept(s, sc, f64(list, at), epoch);
}

/** Admits the kept flows faster than S flow `f` on its shared resources (one of them froze it). */
function admitFaster(s: FluidState, sc: SolverScratch, f: number, epoch: number): void {
  const bar = f64(s.fRate, f) * (1 + CHECK_REL);
  const n = i32(s.fShared, f);
  const path = row(s.fRes, f);
  const sharedK = row(s.fSharedK, f);
  for (let j = 0; j < n; j++) {
    const r = i32(path, i32(sharedK, j));
    const list = row(s.members, r);
    const c = i32(s.memberCount, r);
    for (let i = 0, at = 0; i < c; i++, at += MEMBER_STRIDE) {
      const g = f64(list, at);
      if (s.fMark[g] !== epoch && f64(s.fRate, g) > bar) admit(s, sc, g, epoch);
    }
  }
}

/**
 * One round's checks after S was filled: admits to S (appending to `compFlows`) every flow that
 * breaks the characterisation, and returns how many. `first`: also check the members of the
 * resources flows left and the flows whose private limit moved since the last solve.
 */
export function admitViolators(
  s: FluidState,
  sc: SolverScratch,
  epoch: number,
  first: boolean,
): number {
  const mark = ++sc.checkEpoch;
  const before = sc.nF;
  // Resources whose load moved: the shared resources of the flows this round's filling moved.
  let nTouched = 0;
  for (let i = 0; i < before; i++) {
    const f = i32(sc.compFlows, i);
    if (f64(s.fRate, f) === sc.roundRate[i]) continue;
    const n = i32(s.fShared, f);
    const path = row(s.fRes, f);
    const sharedK = row(s.fSharedK, f);
    for (let j = 0; j < n; j++) {
      const r = i32(path, i32(sharedK, j));
      if (sc.touchMark[r] === mark) continue;
      sc.touchMark[r] = mark;
      sc.touched[nTouched++] = r;
    }
  }
  for (let i = 0; i < before; i++) {
    const f = i32(sc.compFlows, i);
    if (!bottlenecked(s, sc, f)) admitFaster(s, sc, f, epoch);
  }
  for (let i = 0; i < nTouched; i++) checkMembers(s, sc, i32(sc.touched, i), epoch);
  if (first) {
    for (const r of s.dirtyRes) checkMembers(s, sc, r, epoch);
    for (const g of s.staleFlows) checkKept(s, sc, g, epoch);
  }
  return sc.nF - before;
}

/** Refreshes the private limits of the kept flows whose limit went stale (before any check reads them). */
export function refreshStaleLimits(s: FluidState): void {
  for (const g of s.staleFlows) {
    if (s.fState[g] !== MOVING || s.fPrivateStale[g] === 0) continue;
    s.fPrivateStale[g] = 0;
    s.fPrivateLimit[g] = i32(s.fShared, g) === 0 ? aloneLimit(s, g) : privateLimit(s, g);
  }
}
