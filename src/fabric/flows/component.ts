/**
 * Gathering a component for the solver (`solver.ts`): the scratch arrays a solve works in, the
 * flows' limits (cap tightened by the resources a flow has to itself), and the breadth-first
 * walk that collects the connected component of what changed through shared resources and sets
 * up each shared resource's remaining capacity and unfrozen weight.
 */
import { IndexedMinHeap } from '../heap.ts';
import { MEMBER_STRIDE, type FluidState, type PreparedRoute } from './state.ts';
import { f64, i32, row } from './typed.ts';

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
  /** Flows of `compFlows` already brought to now (partial solves gather in rounds). */
  settled = 0;
  epoch = 0;
  // Partial solves' checks (`partial.ts`): per resource, load and largest rate, valid while
  // `checkMark[r]` equals `checkEpoch`.
  readonly loadAt: Float64Array;
  readonly maxAt: Float64Array;
  readonly checkMark: Int32Array;
  checkEpoch = 0;
  /** Resources whose load moved in this round (first `nTouched`), marked in `touchMark`. */
  readonly touched: Int32Array;
  readonly touchMark: Int32Array;
  /** Rates of `compFlows` before this round's filling. */
  roundRate = new Float64Array(64);

  /**
   * @param resourceCount number of resources of the network.
   * @param scanMaxFlows components up to this many flows are solved by scans, larger by heaps.
   * @param partialMinFlows from this many active flows on, a solve re-fills only the flows whose
   *   rate can change (`partial.ts`); below it, whole components.
   */
  constructor(
    resourceCount: number,
    readonly scanMaxFlows: number,
    readonly partialMinFlows: number,
  ) {
    this.remCap = new Float64Array(resourceCount);
    this.unfrozenWeight = new Float64Array(resourceCount);
    this.unfrozenCount = new Int32Array(resourceCount);
    this.resMark = new Int32Array(resourceCount);
    this.resHeap = new IndexedMinHeap(resourceCount);
    this.compRes = new Int32Array(resourceCount);
    this.loadAt = new Float64Array(resourceCount);
    this.maxAt = new Float64Array(resourceCount);
    this.checkMark = new Int32Array(resourceCount);
    this.touched = new Int32Array(resourceCount);
    this.touchMark = new Int32Array(resourceCount);
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
 * Appends to the component the flows on resource `r` not in it yet whose rate is at least
 * `floor` (all of them for `floor` = −Infinity, a whole-component solve). With `fix`, `r` is a
 * resource of the component being set up: each flow below the floor keeps its rate, frozen for
 * this solve, and its consumption comes off `r`'s remaining capacity.
 */
export function gather(
  s: FluidState,
  sc: SolverScratch,
  r: number,
  epoch: number,
  floor: number,
  fix: boolean,
): void {
  const list = row(s.members, r);
  const c = i32(s.memberCount, r);
  const { fMark, fRate } = s;
  const { compFlows } = sc;
  let nF = sc.nF;
  if (floor === Number.NEGATIVE_INFINITY) {
    // Whole component (the common case): every flow joins, no rate to read.
    for (let i = 0; i < c; i++) {
      const g = f64(list, i * MEMBER_STRIDE);
      if (fMark[g] !== epoch) {
        fMark[g] = epoch;
        compFlows[nF++] = g;
      }
    }
    sc.nF = nF;
    return;
  }
  for (let i = 0, at = 0; i < c; i++, at += MEMBER_STRIDE) {
    const g = f64(list, at);
    if (fMark[g] === epoch) continue;
    const x = f64(fRate, g);
    if (x >= floor) {
      fMark[g] = epoch;
      compFlows[nF++] = g;
    } else if (fix) {
      s.fFrozen[g] = epoch;
      sc.remCap[r] = f64(sc.remCap, r) - f64(list, at + 1) * x;
    }
  }
  sc.nF = nF;
}

/** The limit of flow `f` alone: min(its cap, its route's rate alone). */
export function aloneLimit(s: FluidState, f: number): number {
  return Math.min(f64(s.fCap, f), (s.fRoute[f] as PreparedRoute).aloneRateBytesPerNs);
}

/** The limit of flow `f`: its cap tightened by the first resource by ascending limit it has to itself. */
export function privateLimit(s: FluidState, f: number): number {
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
 * to now (once per solve: from index `settled` on), refreshes its private limit if stale, and
 * sets up each shared resource it crosses
 * (full capacity, unfrozen weight and count), gathering that resource's flows in turn — those
 * at or above `floor` (see {@link gather}).
 */
export function gatherComponent(
  s: FluidState,
  sc: SolverScratch,
  epoch: number,
  floor: number,
): void {
  const { fRem, fRate, fLastNs, fPrivateLimit, fPrivateStale, fShared, cap } = s;
  const { resMark, compRes, remCap, unfrozenWeight, unfrozenCount, compFlows, oldRate } = sc;
  const now = s.now;
  for (let pf = 0; pf < sc.nF; pf++) {
    const f = i32(compFlows, pf);
    const nShared = i32(fShared, f);
    if (pf >= sc.settled) {
      const rate = f64(fRate, f);
      oldRate[pf] = rate;
      const rem = f64(fRem, f) - rate * (now - f64(fLastNs, f));
      fRem[f] = rem > 0 ? rem : 0;
      fLastNs[f] = now;
      if (fPrivateStale[f] === 1) {
        // Alone on all its resources: no pass needed.
        fPrivateLimit[f] = nShared === 0 ? aloneLimit(s, f) : privateLimit(s, f);
        fPrivateStale[f] = 0;
      }
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
        gather(s, sc, r, epoch, floor, true);
      }
      unfrozenWeight[r] = f64(unfrozenWeight, r) + f64(weight, k);
      unfrozenCount[r] = i32(unfrozenCount, r) + 1;
    }
  }
  sc.settled = sc.nF;
}
