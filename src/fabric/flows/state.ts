/**
 * The state of the fluid network — SimGrid's max-min *system* (docs/design.md, flow engine):
 * resources with their capacities and member flows, flows by handle in typed arrays, and the
 * membership operations (prepare a route, attach a flow to its resources, detach it, recycle its
 * handle). It solves nothing: `solver.ts` computes rates from it, `network.ts` drives it.
 *
 * Sharing is tracked as flows attach and detach: a resource crossed by one flow only is that
 * flow's private limit (it saturates exactly when the flow reaches capacity ÷ weight), so each
 * flow keeps the list of its resources other flows also cross, and the solver visits only those.
 */
import { InputError } from '../../errors/index.ts';
import { capacityIssues } from './checks.ts';
import { f64, i32, row } from './typed.ts';

/** A handle's state: free (recyclable), moving bytes, or finished at start (nothing to move). */
export const FREE = 0;
/** A flow moving its bytes through its resources. */
export const MOVING = 1;
/** A flow that finishes the instant it starts (zero bytes, or uncapped over no resource). */
export const INSTANT = 2;
/** Numbers per flow in a resource's member array: handle, weight, index in the flow's route. */
export const MEMBER_STRIDE = 3;
const EMPTY = new Int32Array(0);
const EMPTY_W = new Float64Array(0);

/** A route checked and prepared by `FluidNetwork.prepare`, for `FluidNetwork.startOn`. */
export interface PreparedRoute {
  /** The network it was prepared for (capacities are baked into `limits`). */
  readonly network: FluidState;
  /** Distinct resources, in first-appearance order. */
  readonly resources: Int32Array;
  /** Summed weight on each resource. */
  readonly weights: Float64Array;
  /** Capacity ÷ weight of each resource (bytes/ns): the rate at which it would saturate alone. */
  readonly limitsBytesPerNs: Float64Array;
  /** The smallest of `limits` (bytes/ns; Infinity for no resources): a flow's rate alone on an idle network. */
  readonly aloneRateBytesPerNs: number;
  /**
   * Indices into `resources` by ascending limit (ties by index): the first one a flow has to
   * itself is its tightest private one. Filled by the network on first need (a flow on the route
   * sharing a resource), so routes of flows that run alone never pay for it; callers leave it be.
   */
  byLimit: Int32Array | undefined;
}

/**
 * Resources, flows and who crosses what. Fields are the engine's internals, shared with the
 * solver and estimates of this folder; callers use `FluidNetwork`, which extends this class.
 */
export class FluidState {
  readonly resourceCountValue: number;
  readonly cap: Float64Array;
  /** Bytes × weight carried by flows that have left each resource (finished or cancelled). */
  readonly carriedDone: Float64Array;
  /**
   * Per resource: its moving flows, MEMBER_STRIDE numbers each — the flow's handle, its weight
   * there and the resource's index in the flow's route — for the first `memberCount[r]` flows.
   * One array per resource, not three: a start or finish touches every resource of a route.
   */
  readonly members: Float64Array[];
  readonly memberCount: Int32Array;
  private readonly dedupeMark: Int32Array;
  private readonly dedupeSlot: Int32Array;
  private dedupeEpoch = 0;

  // Flows, indexed by handle (typed arrays grown by doubling).
  flowCapacity = 0;
  fState = new Uint8Array(0);
  fRate = new Float64Array(0);
  /** Bytes the flow was started with. */
  fBytes = new Float64Array(0);
  /** Remaining bytes at `fLastNs` (the last time the rate changed). */
  fRem = new Float64Array(0);
  fLastNs = new Float64Array(0);
  fCap = new Float64Array(0);
  /** Solver marks: the epoch of the last solve that gathered / froze the flow. */
  fMark = new Int32Array(0);
  fFrozen = new Int32Array(0);
  /**
   * Per flow: its route's distinct resources, weights and capacity ÷ weight (the route's own
   * arrays, fLen entries; held per flow so the solver's inner loops skip a dereference)…
   */
  fRes: Int32Array[] = [];
  fWeight: Float64Array[] = [];
  fRouteLimit: Float64Array[] = [];
  /** …and its position in each resource's member list (its own array, possibly longer). */
  fPos: Int32Array[] = [];
  /** How many of the flow's resources other flows also cross (0: it is a component by itself)… */
  fShared = new Int32Array(0);
  /** …and which (indices into its route; first fShared entries, its own array): a solve visits only these. */
  fSharedK: Int32Array[] = [];
  /** Per flow: its route (for the route's limit order, sorted on first need). */
  fRoute: (PreparedRoute | undefined)[] = [];
  /**
   * Per flow: its cap tightened by its private resources (the progressive filling's limit for
   * it), valid while `fPrivateStale` is 0 — it changes only when one of its resources gains or
   * loses its other flows. For a flow alone on every resource: min(cap, the route's rate alone).
   */
  fPrivateLimit = new Float64Array(0);
  fPrivateStale = new Uint8Array(0);
  fLen = new Int32Array(0);
  private readonly freeHandles: number[] = [];
  nextHandle = 0;
  active = 0;

  /** Flows started and resources left since the last solve (what the next solve starts from). */
  readonly dirtyFlows: number[] = [];
  readonly dirtyRes: number[] = [];
  /** Flows whose private limit went stale since the last solve (kept when `trackStale`, for partial solves; may repeat). */
  readonly staleFlows: number[] = [];
  trackStale = false;
  dirty = false;
  now: number;
  statSolves = 0;
  statFlowsSolved = 0;
  statResourcesSolved = 0;
  statStarted = 0;

  /**
   * @param capacitiesBytesPerNs capacity of each resource in bytes/ns (finite, > 0).
   * @param startNs initial clock, in ns (finite).
   * @throws InputError (`resource.capacity` at `['capacities', r]`, `flow.start` at `['startNs']`).
   */
  constructor(capacitiesBytesPerNs: ArrayLike<number>, startNs: number) {
    const issues = capacityIssues(capacitiesBytesPerNs, ['capacities']);
    if (!Number.isFinite(startNs))
      issues.push({
        code: 'flow.start',
        path: ['startNs'],
        message: `start time must be finite, got ${startNs}`,
      });
    if (issues.length > 0) throw new InputError(issues);
    const n = capacitiesBytesPerNs.length;
    this.resourceCountValue = n;
    this.cap = Float64Array.from(capacitiesBytesPerNs);
    this.carriedDone = new Float64Array(n);
    this.members = Array.from({ length: n }, () => new Float64Array(4 * MEMBER_STRIDE));
    this.memberCount = new Int32Array(n);
    this.dedupeMark = new Int32Array(n);
    this.dedupeSlot = new Int32Array(n);
    this.now = startNs;
    this.growFlows(64);
  }

  /** A route's distinct resources, summed weights, limits and rate alone (resources already checked). */
  prepareUnchecked(route: {
    resources: ArrayLike<number>;
    weights?: ArrayLike<number>;
  }): PreparedRoute {
    const res = route.resources;
    const epoch = ++this.dedupeEpoch;
    let distinct = 0;
    for (let j = 0; j < res.length; j++) {
      const r = res[j] as number;
      if (this.dedupeMark[r] !== epoch) {
        this.dedupeMark[r] = epoch;
        this.dedupeSlot[r] = distinct++;
      }
    }
    const resources = new Int32Array(distinct);
    const weights = new Float64Array(distinct);
    const w = route.weights;
    for (let j = 0; j < res.length; j++) {
      const r = res[j] as number;
      const k = i32(this.dedupeSlot, r);
      resources[k] = r;
      weights[k] = f64(weights, k) + (w === undefined ? 1 : (w[j] as number));
    }
    const limits = new Float64Array(distinct);
    let aloneRate = Number.POSITIVE_INFINITY;
    for (let k = 0; k < distinct; k++) {
      const q = f64(this.cap, i32(resources, k)) / f64(weights, k);
      limits[k] = q;
      if (q < aloneRate) aloneRate = q;
    }
    return {
      network: this,
      resources,
      weights,
      limitsBytesPerNs: limits,
      aloneRateBytesPerNs: aloneRate,
      byLimit: undefined,
    };
  }

  /** Starts a checked flow on `route` now: takes a handle and attaches it to the route's resources. */
  startChecked(route: PreparedRoute, bytes: number, capBpn: number): number {
    const h = this.freeHandles.pop() ?? this.nextHandle++;
    if (h >= this.flowCapacity) this.growFlows(h + 1);
    this.statStarted++;
    this.active++;
    this.fCap[h] = capBpn;
    this.fLastNs[h] = this.now;
    this.fMark[h] = 0;
    this.fFrozen[h] = 0;
    this.fBytes[h] = bytes;
    if (bytes === 0 || (route.resources.length === 0 && capBpn === Number.POSITIVE_INFINITY)) {
      this.fState[h] = INSTANT;
      this.fRate[h] = bytes === 0 ? 0 : Number.POSITIVE_INFINITY;
      this.fRem[h] = 0;
      this.fLen[h] = 0;
      return h;
    }
    this.attach(h, route);
    this.fRes[h] = route.resources;
    this.fWeight[h] = route.weights;
    this.fRouteLimit[h] = route.limitsBytesPerNs;
    this.fRoute[h] = route;
    this.fPrivateStale[h] = 1;
    this.fState[h] = MOVING;
    this.fRate[h] = 0;
    this.fRem[h] = bytes;
    this.fLen[h] = route.resources.length;
    this.dirtyFlows.push(h);
    this.dirty = true;
    return h;
  }

  /** Adds flow `h` to the member list of each resource of `route`, noting which it shares. */
  private attach(h: number, route: PreparedRoute): void {
    const { resources, weights } = route;
    const distinct = resources.length;
    // A recycled handle keeps its positions array: allocating small typed arrays per flow costs
    // more than the rest of a start, so it is reused whenever it is large enough.
    let pos = row(this.fPos, h);
    if (pos.length < distinct) {
      pos = new Int32Array(Math.max(distinct, 8));
      this.fPos[h] = pos;
      this.fSharedK[h] = new Int32Array(pos.length);
    }
    const sharedK = row(this.fSharedK, h);
    let shared = 0;
    for (let k = 0; k < distinct; k++) {
      const r = i32(resources, k);
      let list = row(this.members, r);
      const c = i32(this.memberCount, r);
      const at = c * MEMBER_STRIDE;
      if (at === list.length) {
        const bigger = new Float64Array(list.length * 2);
        bigger.set(list);
        this.members[r] = bigger;
        list = bigger;
      }
      if (c > 0) {
        sharedK[shared++] = k;
        if (c === 1) this.addShared(f64(list, 0), f64(list, 2)); // its only flow now shares it
      }
      list[at] = h;
      list[at + 1] = f64(weights, k);
      list[at + 2] = k;
      pos[k] = c;
      this.memberCount[r] = c + 1;
    }
    this.fShared[h] = shared;
  }

  /** Flow `g` now shares the resource at index `k` of its route. */
  private addShared(g: number, k: number): void {
    this.fPrivateStale[g] = 1;
    if (this.trackStale) this.staleFlows.push(g);
    const n = i32(this.fShared, g);
    row(this.fSharedK, g)[n] = k;
    this.fShared[g] = n + 1;
  }

  /** Flow `g` has the resource at index `k` of its route to itself again. */
  private removeShared(g: number, k: number): void {
    this.fPrivateStale[g] = 1;
    if (this.trackStale) this.staleFlows.push(g);
    const list = row(this.fSharedK, g);
    const n = i32(this.fShared, g) - 1;
    for (let i = 0; i <= n; i++) {
      if (list[i] === k) {
        list[i] = i32(list, n);
        break;
      }
    }
    this.fShared[g] = n;
  }

  /**
   * Removes a moving flow from its resources, crediting each with `movedBytes` × its weight
   * there. A resource other flows still cross is marked for re-solving; one left empty needs
   * nothing, so a flow that was alone costs no solve when it leaves.
   */
  detach(h: number, movedBytes: number): void {
    const path = row(this.fRes, h);
    const weight = row(this.fWeight, h);
    const pos = row(this.fPos, h);
    const len = i32(this.fLen, h);
    for (let k = 0; k < len; k++) {
      const r = i32(path, k);
      const p = i32(pos, k);
      this.carriedDone[r] = f64(this.carriedDone, r) + f64(weight, k) * movedBytes;
      const list = row(this.members, r);
      const last = i32(this.memberCount, r) - 1;
      this.memberCount[r] = last;
      if (p !== last) {
        const to = p * MEMBER_STRIDE;
        const from = last * MEMBER_STRIDE;
        const g = f64(list, from);
        const gk = f64(list, from + 2);
        list[to] = g;
        list[to + 1] = f64(list, from + 1);
        list[to + 2] = gk;
        row(this.fPos, g)[gk] = p;
      }
      if (last === 1) this.removeShared(f64(list, 0), f64(list, 2)); // its last flow has it to itself
      if (last > 0) {
        this.dirtyRes.push(r);
        this.dirty = true;
      }
    }
  }

  /** Frees a handle (after its flow left the resources and the completion heap); it keeps its arrays for reuse. */
  release(h: number): void {
    this.fState[h] = FREE;
    this.fLen[h] = 0;
    this.fRoute[h] = undefined;
    this.active--;
    this.freeHandles.push(h);
  }

  /** Bytes a flow still has to move at the current time (never negative; 0 unless moving). */
  remaining(h: number): number {
    const rem = f64(this.fRem, h) - f64(this.fRate, h) * (this.now - f64(this.fLastNs, h));
    return this.fState[h] === MOVING && rem > 0 ? rem : 0;
  }

  /** Σ over the flows on `r` of weight × rate (`withRate`) or of weight. */
  sumOver(r: number, withRate: boolean): number {
    const list = row(this.members, r);
    const n = i32(this.memberCount, r);
    let sum = 0;
    for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
      const w = f64(list, at + 1);
      sum += withRate ? w * f64(this.fRate, f64(list, at)) : w;
    }
    return sum;
  }

  /** @throws RangeError unless `handle` is a started flow not yet finished or cancelled. */
  checkHandle(handle: number): void {
    if (!(
      Number.isInteger(handle) &&
      handle >= 0 &&
      handle < this.nextHandle &&
      this.fState[handle] !== FREE
    )) {
      throw new RangeError(`unknown or finished flow handle ${handle}`);
    }
  }

  /** @throws RangeError unless `r` is a resource index. */
  checkResource(r: number): void {
    if (!(Number.isInteger(r) && r >= 0 && r < this.resourceCountValue))
      throw new RangeError(`unknown resource ${r}`);
  }

  /** Grows the per-flow arrays to at least `min` handles (doubling). */
  private growFlows(min: number): void {
    const n = Math.max(min, this.flowCapacity * 2, 16);
    const grow = <A extends Float64Array | Int32Array | Uint8Array>(
      old: A,
      make: (k: number) => A,
    ): A => {
      const a = make(n);
      a.set(old);
      return a;
    };
    this.fState = grow(this.fState, (k) => new Uint8Array(k));
    this.fRate = grow(this.fRate, (k) => new Float64Array(k));
    this.fBytes = grow(this.fBytes, (k) => new Float64Array(k));
    this.fRem = grow(this.fRem, (k) => new Float64Array(k));
    this.fLastNs = grow(this.fLastNs, (k) => new Float64Array(k));
    this.fCap = grow(this.fCap, (k) => new Float64Array(k));
    this.fMark = grow(this.fMark, (k) => new Int32Array(k));
    this.fFrozen = grow(this.fFrozen, (k) => new Int32Array(k));
    this.fLen = grow(this.fLen, (k) => new Int32Array(k));
    this.fShared = grow(this.fShared, (k) => new Int32Array(k));
    this.fPrivateLimit = grow(this.fPrivateLimit, (k) => new Float64Array(k));
    this.fPrivateStale = grow(this.fPrivateStale, (k) => new Uint8Array(k));
    for (let i = this.fRes.length; i < n; i++) {
      this.fRes.push(EMPTY);
      this.fWeight.push(EMPTY_W);
      this.fRouteLimit.push(EMPTY_W);
      this.fPos.push(EMPTY);
      this.fSharedK.push(EMPTY);
      this.fRoute.push(undefined);
    }
    this.flowCapacity = n;
  }
}
