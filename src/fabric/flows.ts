/**
 * Fluid (flow-level) bandwidth sharing with max-min fairness by progressive filling — the
 * semantics of SimGrid's default solver (the `lmm` "maxmin" system of Velho, Schnorr, Casanova
 * and Legrand, "On the validity of flow-level TCP network models for grid and cloud
 * simulations", ACM TOMACS 2013; `src/kernel/lmm/maxmin.cpp` in SimGrid). It knows no topology:
 * it shares numbered *resources* (one direction of a link, or an MHD's internal media bandwidth),
 * each with a capacity in bytes/ns (1 B/ns = 1 GB/s), among flows that each cross a list of them.
 *
 * Progressive filling: every unfrozen flow's rate rises at the same pace; when a resource
 * saturates, the flows crossing it freeze; when a flow reaches its rate cap, it freezes; repeat.
 * A flow that crosses a resource k times consumes k × its rate there; a flow may also carry a
 * weight per resource (SimGrid's consumption weight), e.g. k/n for a transfer striped in
 * lockstep over n paths of which k cross the resource. The result never exceeds a
 * capacity, and every flow is either at its cap or crosses a saturated resource on which no
 * flow has a larger rate (its bottleneck).
 *
 * {@link FluidNetwork} is the incremental core a discrete-event simulator drives: rates are
 * re-solved lazily, once per batch of starts/finishes at the same instant, and only for the
 * flows in the connected component (through shared resources) of what changed. Remaining
 * bytes are kept lazily (value at the last rate change + rate), and projected completions live
 * in an indexed heap. {@link simulateFlows} is a standalone driver for a fixed list of flows
 * that first wait their path latency (holding no bandwidth) and then move their bytes.
 */
import { InputError, type Issue } from '../errors/index.ts';
import {
  bytes as asBytes,
  bytesPerNs,
  ns,
  type Bytes,
  type BytesPerNs,
  type Nanoseconds,
} from '../units/index.ts';
import { IndexedMinHeap } from './heap.ts';

/**
 * Relative tolerance on times (dimensionless): projected finish times within
 * `FLOW_TIME_REL_TOLERANCE × max(|t|, 1 ns)` of the instant `t` finish together at `t`.
 * 1e-12 is ~4,500 ulps of a double: far above the rounding that lazy remaining-bytes updates
 * accumulate, far below any physical time scale of interest (1 ns at t = 1,000 s).
 */
export const FLOW_TIME_REL_TOLERANCE = 1e-12;

/**
 * Relative tolerance (dimensionless) under which a resource counts as saturated in
 * {@link FluidNetwork.isSaturated}: load ≥ capacity × (1 − 1e-9).
 */
export const SATURATION_REL_TOLERANCE = 1e-9;

/** A flow as handed to {@link FluidNetwork.start}. */
export interface FlowStart {
  /** Resource indices crossed; a repeated index consumes the rate once per occurrence. */
  readonly resources: ArrayLike<number>;
  /**
   * Optional weight of each occurrence in `resources` (same length; finite, > 0; default 1): a
   * flow consumes weight × its rate on a resource (summed over occurrences). Fractional weights
   * model a transfer striped in lockstep over several paths — k of its n stripes crossing a
   * resource put k/n of its rate there.
   */
  readonly weights?: ArrayLike<number>;
  /** Bytes to move, ≥ 0. */
  readonly bytes: number;
  /** Optional ceiling on the flow's rate, in bytes/ns (> 0; `Infinity` = no cap). */
  readonly rateCapBytesPerNs?: number;
}

/** A route checked and prepared by {@link FluidNetwork.prepare}, for {@link FluidNetwork.startOn}. */
export interface PreparedRoute {
  /** The network it was prepared for (capacities are baked into `limits`). */
  readonly network: FluidNetwork;
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

/** A flow for {@link simulateFlows}: when it is issued, its path latency, and what it moves. */
export interface FlowSpec {
  /** Unique id; ties (same move-start instant) are broken by id, so input order never matters. */
  readonly id: string;
  /** Resource indices crossed (a repeated index consumes the rate once per occurrence). */
  readonly resources: readonly number[];
  /** Optional weight of each occurrence in `resources` (see {@link FlowStart.weights}). */
  readonly weights?: readonly number[];
  /** Bytes to move, ≥ 0. */
  readonly bytes: number;
  /** Instant the flow is issued, in ns. */
  readonly startNs: number;
  /** One-way path latency in ns (≥ 0), waited before any byte moves, holding no bandwidth. */
  readonly latencyNs: number;
  /** Optional ceiling on the flow's rate, in bytes/ns (> 0). */
  readonly rateCapBytesPerNs?: number;
}

/** What happened to one {@link FlowSpec}. */
export interface FlowResult {
  /** The flow's id. */
  readonly id: string;
  /** Instant the flow was issued. */
  readonly startNs: Nanoseconds;
  /** Instant its bytes started moving (`startNs + latencyNs` of the spec). */
  readonly moveStartNs: Nanoseconds;
  /** Instant its last byte arrived. */
  readonly finishNs: Nanoseconds;
  /** End-to-end time, `finishNs − startNs`. */
  readonly latencyNs: Nanoseconds;
  /** Bytes moved. */
  readonly bytes: Bytes;
  /**
   * `bytes / (finishNs − moveStartNs)`; 0 for a zero-byte flow (nothing moved), `Infinity` for
   * bytes moved in zero time (an uncapped flow crossing no resource).
   */
  readonly averageRateBytesPerNs: BytesPerNs;
}

/** Work counters of a {@link FluidNetwork}, to judge how incremental the solves are. */
export interface FluidSolverStats {
  /** Number of max-min solves (one per batch of changes at one instant). */
  readonly solves: number;
  /** Sum over solves of the flows re-solved (size of the affected components). */
  readonly flowsSolved: number;
  /** Sum over solves of the shared resources re-solved (those crossed by one flow only act as its rate limit). */
  readonly resourcesSolved: number;
  /** Flows started so far. */
  readonly flowsStarted: number;
}

/** Options of a {@link FluidNetwork}. */
export interface FluidNetworkOptions {
  /** Initial value of the clock, in ns (default 0). */
  readonly startNs?: number;
  /**
   * Components of at most this many flows are solved by scans, larger ones with heaps (default
   * {@link SCAN_MAX_FLOWS}). Only a tuning knob: both give the same rates (tests compare them).
   */
  readonly scanMaxFlows?: number;
}

const FREE = 0;
const MOVING = 1;
const INSTANT = 2;
const EMPTY = new Int32Array(0);
/** Numbers per flow in a resource's member array: handle, weight, index in the flow's route. */
const MEMBER_STRIDE = 3;
const EMPTY_W = new Float64Array(0);
const NOTHING_DONE: readonly number[] = Object.freeze([]);

/**
 * Components of at most this many flows are solved by scanning their shared resources and
 * flow limits for the next event of progressive filling; larger ones keep heaps. A scan costs
 * O(flows + resources) per step, the heaps O((flows + resources) · log) to build plus O(log) per
 * step, so scans win for the few-flow components a serving simulation mostly solves.
 */
const SCAN_MAX_FLOWS = 8;

/**
 * Indices of `limits` in ascending order of limit, ties by index. An insertion sort without
 * closures: routes are short, and it runs once per route.
 */
function indicesByLimit(limits: Float64Array): Int32Array {
  const n = limits.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const q = limits[i] as number;
    let j = i;
    while (j > 0 && (limits[order[j - 1] as number] as number) > q) {
      order[j] = order[j - 1] as number;
      j--;
    }
    order[j] = i;
  }
  return order;
}

/** Slack around instant `tNs` within which finish times count as `tNs` (see FLOW_TIME_REL_TOLERANCE). */
function timeSlackNs(tNs: number): number {
  return FLOW_TIME_REL_TOLERANCE * Math.max(Math.abs(tNs), 1);
}

/** Issues for a capacity vector: every entry must be a finite number > 0. */
function capacityIssues(
  capacities: ArrayLike<number>,
  path: readonly (string | number)[],
): Issue[] {
  const issues: Issue[] = [];
  for (let r = 0; r < capacities.length; r++) {
    const c = capacities[r] as number;
    if (!(Number.isFinite(c) && c > 0)) {
      issues.push({
        code: 'resource.capacity',
        path: [...path, r],
        message: `capacity must be a finite number of bytes/ns > 0, got ${c}`,
      });
    }
  }
  return issues;
}

/** Issues for one flow's bytes, resources and cap, with paths under `path`. */
function flowIssues(
  flow: FlowStart,
  resourceCount: number,
  path: readonly (string | number)[],
): Issue[] {
  const issues: Issue[] = [];
  if (!(Number.isFinite(flow.bytes) && flow.bytes >= 0)) {
    issues.push({
      code: 'flow.bytes',
      path: [...path, 'bytes'],
      message: `bytes must be a finite number ≥ 0, got ${flow.bytes}`,
    });
  }
  const res = flow.resources;
  for (let j = 0; j < res.length; j++) {
    const r = res[j] as number;
    if (!(Number.isInteger(r) && r >= 0 && r < resourceCount)) {
      issues.push({
        code: 'flow.unknown-resource',
        path: [...path, 'resources', j],
        message: `unknown resource ${r}: resources are integers in [0, ${resourceCount})`,
      });
    }
  }
  const w = flow.weights;
  if (w !== undefined) {
    if (w.length !== res.length) {
      issues.push({
        code: 'flow.weights',
        path: [...path, 'weights'],
        message: `weights must have one entry per resource (${res.length}), got ${w.length}`,
      });
    } else {
      for (let j = 0; j < w.length; j++) {
        const x = w[j] as number;
        if (!(Number.isFinite(x) && x > 0))
          issues.push({
            code: 'flow.weights',
            path: [...path, 'weights', j],
            message: `weight must be a finite number > 0, got ${x}`,
          });
      }
    }
  }
  const cap = flow.rateCapBytesPerNs;
  if (cap !== undefined && !(cap > 0)) {
    issues.push({
      code: 'flow.rate-cap',
      path: [...path, 'rateCapBytesPerNs'],
      message: `rate cap must be > 0 bytes/ns, got ${cap}`,
    });
  }
  return issues;
}

/**
 * The incremental max-min fair fluid engine. Resources are fixed at construction; flows start
 * and finish (or are cancelled) as time moves forward with {@link FluidNetwork.advanceTo}.
 * Handles are small integers recycled after the flow finishes or is cancelled.
 *
 * How a solve stays cheap when flows cross many resources (a relayed KV fetch crosses dozens):
 * a resource crossed by one flow only is that flow's private limit — it saturates exactly when
 * the flow reaches capacity ÷ weight — so it acts as a rate cap and never enters progressive
 * filling, which runs over the shared resources alone. Loads and carried bytes are not kept per
 * resource at every change; they are summed over a resource's flows when asked, and a flow
 * credits its bytes × weight to each resource when it leaves.
 *
 * @example
 * ```ts
 * const net = new FluidNetwork([10]); // one resource of 10 B/ns
 * const a = net.start({ resources: [0], bytes: 100 });
 * const b = net.start({ resources: [0], bytes: 50 });
 * net.rateOf(a); // 5
 * net.nextCompletionNs(); // 10 (b: 50 B at 5 B/ns)
 * net.advanceTo(10); // [b]; a now runs at 10 B/ns and finishes at 15
 * ```
 */
export class FluidNetwork {
  private readonly resourceCountValue: number;
  private readonly cap: Float64Array;
  /** Bytes × weight carried by flows that have left each resource (finished or cancelled). */
  private readonly carriedDone: Float64Array;
  /**
   * Per resource: its moving flows, MEMBER_STRIDE numbers each — the flow's handle, its weight
   * there and the resource's index in the flow's route — for the first `memberCount[r]` flows.
   * One array per resource, not three: a start or finish touches every resource of a route.
   */
  private readonly members: Float64Array[];
  private readonly memberCount: Int32Array;
  // Solver scratch, per resource (valid for the shared resources of the component being solved).
  private readonly remCap: Float64Array;
  private readonly unfrozenWeight: Float64Array;
  /** Unfrozen flows per resource: with fractional weights the weight sum may not reach 0 exactly. */
  private readonly unfrozenCount: Int32Array;
  private readonly resMark: Int32Array;
  private readonly resHeap: IndexedMinHeap;
  private readonly compRes: Int32Array;
  private readonly dedupeMark: Int32Array;
  private readonly dedupeSlot: Int32Array;
  private dedupeEpoch = 0;

  // Flows, indexed by handle (typed arrays grown by doubling).
  private flowCapacity = 0;
  private fState = new Uint8Array(0);
  private fRate = new Float64Array(0);
  /** Bytes the flow was started with. */
  private fBytes = new Float64Array(0);
  /** Remaining bytes at `fLastNs` (the last time the rate changed). */
  private fRem = new Float64Array(0);
  private fLastNs = new Float64Array(0);
  private fCap = new Float64Array(0);
  private fMark = new Int32Array(0);
  private fFrozen = new Int32Array(0);
  /**
   * Per flow: its route's distinct resources, weights and capacity ÷ weight (the route's own
   * arrays, fLen entries; held per flow so the solver's inner loops skip a dereference)…
   */
  private fRes: Int32Array[] = [];
  private fWeight: Float64Array[] = [];
  private fRouteLimit: Float64Array[] = [];
  /** …and its position in each resource's member list (its own array, possibly longer). */
  private fPos: Int32Array[] = [];
  /** How many of the flow's resources other flows also cross (0: it is a component by itself)… */
  private fShared = new Int32Array(0);
  /** …and which (indices into its route; first fShared entries, its own array): a solve visits only these. */
  private fSharedK: Int32Array[] = [];
  /** Per flow: its route (for the route's limit order, sorted on first need). */
  private fRoute: (PreparedRoute | undefined)[] = [];
  /**
   * Per flow: its cap tightened by its private resources (the progressive filling's limit for
   * it), valid while `fPrivateStale` is 0 — it changes only when one of its resources gains or
   * loses its other flows. For a flow alone on every resource: min(cap, the route's rate alone).
   */
  private fPrivateLimit = new Float64Array(0);
  private fPrivateStale = new Uint8Array(0);
  private fLen = new Int32Array(0);
  private compFlows = new Int32Array(0);
  private readonly freeHandles: number[] = [];
  private nextHandle = 0;
  private active = 0;
  private readonly completions = new IndexedMinHeap(64);
  /** Large components: flows by limit (frozen ones removed lazily). */
  private readonly limitHeap = new IndexedMinHeap(64);

  private readonly dirtyFlows: number[] = [];
  private readonly dirtyRes: number[] = [];
  private dirty = false;
  private epoch = 0;
  private now: number;
  private readonly scanMaxFlows: number;
  /** Rates before the current solve, aligned with `compFlows`. */
  private oldRate = new Float64Array(64);
  private statSolves = 0;
  private statFlowsSolved = 0;
  private statResourcesSolved = 0;
  private statStarted = 0;

  /**
   * @param capacitiesBytesPerNs capacity of each resource in bytes/ns (finite, > 0); resource
   *   `r` is index `r` of this list.
   * @param options initial clock, and the component size up to which solves scan instead of keeping heaps.
   * @throws InputError (`resource.capacity`, path `['capacities', r]`) for a bad capacity.
   */
  constructor(capacitiesBytesPerNs: ArrayLike<number>, options: FluidNetworkOptions = {}) {
    const issues = capacityIssues(capacitiesBytesPerNs, ['capacities']);
    const startNs = options.startNs ?? 0;
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
    this.remCap = new Float64Array(n);
    this.unfrozenWeight = new Float64Array(n);
    this.unfrozenCount = new Int32Array(n);
    this.resMark = new Int32Array(n);
    this.resHeap = new IndexedMinHeap(n);
    this.compRes = new Int32Array(n);
    this.dedupeMark = new Int32Array(n);
    this.dedupeSlot = new Int32Array(n);
    this.now = startNs;
    this.scanMaxFlows = options.scanMaxFlows ?? SCAN_MAX_FLOWS;
    this.growFlows(64);
  }

  /** Current time, in ns. */
  get nowNs(): Nanoseconds {
    return ns(this.now);
  }

  /** Number of resources. */
  get resourceCount(): number {
    return this.resourceCountValue;
  }

  /** Number of flows started and not yet finished or cancelled. */
  get activeFlowCount(): number {
    return this.active;
  }

  /** Work counters (solves and their sizes). */
  get stats(): FluidSolverStats {
    return {
      solves: this.statSolves,
      flowsSolved: this.statFlowsSolved,
      resourcesSolved: this.statResourcesSolved,
      flowsStarted: this.statStarted,
    };
  }

  /**
   * Checks and prepares a route for many flows: its distinct resources (first-appearance order)
   * with summed weights, each resource's capacity ÷ weight, and the rate a flow on it gets
   * alone. A caller that starts many flows on a few routes (the simulator: one per fetch plan)
   * prepares each once and starts flows with {@link FluidNetwork.startOn}, so a start does no
   * validation, deduplication or allocation.
   * @throws InputError (`flow.unknown-resource`, `flow.weights`; paths like `['resources', 1]`).
   */
  prepare(route: Pick<FlowStart, 'resources' | 'weights'>): PreparedRoute {
    const issues = flowIssues({ ...route, bytes: 0 }, this.resourceCountValue, []);
    if (issues.length > 0) throw new InputError(issues);
    return this.prepareUnchecked(route);
  }

  /**
   * Starts moving a flow now and returns its handle (a small integer, recycled once the flow
   * finishes or is cancelled). A zero-byte flow, or an uncapped flow crossing no resource,
   * holds no bandwidth and finishes now. Rates are re-solved lazily, on the next query.
   *
   * @throws InputError (`flow.bytes`, `flow.unknown-resource`, `flow.weights`, `flow.rate-cap`;
   *   paths relative to the flow, e.g. `['resources', 1]`).
   */
  start(flow: FlowStart): number {
    const issues = flowIssues(flow, this.resourceCountValue, []);
    if (issues.length > 0) throw new InputError(issues);
    return this.startChecked(
      this.prepareUnchecked(flow),
      flow.bytes,
      flow.rateCapBytesPerNs ?? Number.POSITIVE_INFINITY,
    );
  }

  /**
   * {@link FluidNetwork.start} on a route from {@link FluidNetwork.prepare} of this network.
   * @throws InputError (`flow.bytes`, `flow.rate-cap`); RangeError for another network's route.
   */
  startOn(
    route: PreparedRoute,
    bytes: number,
    rateCapBytesPerNs = Number.POSITIVE_INFINITY,
  ): number {
    if (route.network !== this)
      throw new RangeError('the route was prepared for another FluidNetwork');
    if (!(Number.isFinite(bytes) && bytes >= 0) || !(rateCapBytesPerNs > 0)) {
      throw new InputError(
        flowIssues({ resources: [], bytes, rateCapBytesPerNs }, this.resourceCountValue, []),
      );
    }
    return this.startChecked(route, bytes, rateCapBytesPerNs);
  }

  private prepareUnchecked(route: Pick<FlowStart, 'resources' | 'weights'>): PreparedRoute {
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
      const k = this.dedupeSlot[r] as number;
      resources[k] = r;
      (weights[k] as number) += w === undefined ? 1 : (w[j] as number);
    }
    const limits = new Float64Array(distinct);
    let aloneRate = Number.POSITIVE_INFINITY;
    for (let k = 0; k < distinct; k++) {
      const q = (this.cap[resources[k] as number] as number) / (weights[k] as number);
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

  private startChecked(route: PreparedRoute, bytes: number, capBpn: number): number {
    const h = this.freeHandles.pop() ?? this.nextHandle++;
    if (h >= this.flowCapacity) this.growFlows(h + 1);
    this.statStarted++;
    this.active++;
    this.fCap[h] = capBpn;
    this.fLastNs[h] = this.now;
    this.fMark[h] = 0;
    this.fFrozen[h] = 0;
    this.fBytes[h] = bytes;
    const distinct = route.resources.length;
    if (bytes === 0 || (distinct === 0 && capBpn === Number.POSITIVE_INFINITY)) {
      this.fState[h] = INSTANT;
      this.fRate[h] = bytes === 0 ? 0 : Number.POSITIVE_INFINITY;
      this.fRem[h] = 0;
      this.fLen[h] = 0;
      this.completions.set(h, this.now);
      return h;
    }
    const { resources, weights } = route;
    // A recycled handle keeps its positions array: allocating small typed arrays per flow costs
    // more than the rest of a start, so it is reused whenever it is large enough.
    let pos = this.fPos[h] as Int32Array;
    if (pos.length < distinct) {
      pos = new Int32Array(Math.max(distinct, 8));
      this.fPos[h] = pos;
      this.fSharedK[h] = new Int32Array(pos.length);
    }
    const sharedK = this.fSharedK[h] as Int32Array;
    let shared = 0;
    for (let k = 0; k < distinct; k++) {
      const r = resources[k] as number;
      let list = this.members[r] as Float64Array;
      const c = this.memberCount[r] as number;
      const at = c * MEMBER_STRIDE;
      if (at === list.length) {
        const bigger = new Float64Array(list.length * 2);
        bigger.set(list);
        this.members[r] = bigger;
        list = bigger;
      }
      if (c > 0) {
        sharedK[shared++] = k;
        if (c === 1) this.addShared(list[0] as number, list[2] as number); // its only flow now shares it
      }
      list[at] = h;
      list[at + 1] = weights[k] as number;
      list[at + 2] = k;
      pos[k] = c;
      this.memberCount[r] = c + 1;
    }
    this.fRes[h] = resources;
    this.fWeight[h] = weights;
    this.fRouteLimit[h] = route.limitsBytesPerNs;
    this.fRoute[h] = route;
    this.fShared[h] = shared;
    this.fPrivateStale[h] = 1;
    this.fState[h] = MOVING;
    this.fRate[h] = 0;
    this.fRem[h] = bytes;
    this.fLen[h] = distinct;
    this.dirtyFlows.push(h);
    this.dirty = true;
    return h;
  }

  /** Flow `g` now shares the resource at index `k` of its route. */
  private addShared(g: number, k: number): void {
    this.fPrivateStale[g] = 1;
    const n = this.fShared[g] as number;
    (this.fSharedK[g] as Int32Array)[n] = k;
    this.fShared[g] = n + 1;
  }

  /** Flow `g` has the resource at index `k` of its route to itself again. */
  private removeShared(g: number, k: number): void {
    this.fPrivateStale[g] = 1;
    const list = this.fSharedK[g] as Int32Array;
    const n = (this.fShared[g] as number) - 1;
    for (let i = 0; i <= n; i++) {
      if (list[i] === k) {
        list[i] = list[n] as number;
        break;
      }
    }
    this.fShared[g] = n;
  }

  /** Stops a flow now without finishing it; its handle becomes free. */
  cancel(handle: number): void {
    this.checkHandle(handle);
    this.ensureSolved();
    this.completions.delete(handle);
    if (this.fState[handle] === MOVING)
      this.detach(handle, (this.fBytes[handle] as number) - this.remainingBytes(handle));
    this.release(handle);
  }

  /** Time of the next completion under current rates, in ns (`Infinity` if no flow is active). */
  nextCompletionNs(): Nanoseconds {
    this.ensureSolved();
    return ns(this.completions.peekKey());
  }

  /**
   * Moves time forward to `tNs` and returns the handles of the flows that finish at `tNs`
   * (within {@link FLOW_TIME_REL_TOLERANCE}), ordered by projected finish then handle. They are
   * removed (handles freed) and the rates of the rest are re-solved on the next query. When none
   * finishes the result is one shared, frozen empty array (most calls: a driver advances the
   * clock at every event).
   *
   * @param tNs new time in ns, with `nowNs ≤ tNs ≤ nextCompletionNs()` (+ tolerance).
   * @throws RangeError when `tNs` goes backwards or skips a completion (a driver bug).
   */
  advanceTo(tNs: number): readonly number[] {
    if (!(tNs >= this.now))
      throw new RangeError(`advanceTo(${tNs}): time cannot go back from ${this.now} ns`);
    this.ensureSolved();
    const next = this.completions.peekKey();
    if (tNs > next + timeSlackNs(next)) {
      throw new RangeError(
        `advanceTo(${tNs}): skips the completion at ${next} ns; advance to nextCompletionNs() first`,
      );
    }
    this.now = tNs;
    const limit = tNs + timeSlackNs(tNs);
    if (!(this.completions.size > 0 && this.completions.peekKey() <= limit)) return NOTHING_DONE;
    const done: number[] = [];
    while (this.completions.size > 0 && this.completions.peekKey() <= limit)
      done.push(this.completions.pop());
    for (const h of done) {
      // A finished flow credits all its bytes (× weight) to its resources, whatever rounding the
      // lazy remaining-bytes updates accumulated.
      if (this.fState[h] === MOVING) this.detach(h, this.fBytes[h] as number);
      this.release(h);
    }
    return done;
  }

  /** Current rate of a flow in bytes/ns (0 for a zero-byte flow, `Infinity` for an uncapped one crossing nothing). */
  rateOf(handle: number): BytesPerNs {
    this.checkHandle(handle);
    this.ensureSolved();
    return bytesPerNs(this.fRate[handle] as number);
  }

  /** Bytes a flow still has to move at the current time (never negative). */
  remainingBytes(handle: number): Bytes {
    this.checkHandle(handle);
    const rem =
      (this.fRem[handle] as number) -
      (this.fRate[handle] as number) * (this.now - (this.fLastNs[handle] as number));
    return asBytes(this.fState[handle] === MOVING && rem > 0 ? rem : 0);
  }

  /** Current total rate through resource `r` in bytes/ns (a flow counts its weight there, e.g. twice when it crosses `r` twice). */
  loadOf(r: number): BytesPerNs {
    this.checkResource(r);
    this.ensureSolved();
    return bytesPerNs(this.sumOver(r, true));
  }

  /**
   * The rate a new flow over `resources` with `weights` (default 1 each; distinct resources)
   * could expect now, in bytes/ns — an optimistic one-look estimate, not a solve: on each
   * resource, the larger of the capacity the current flows leave unused (÷ its weight) and its
   * max-min fair share, capacity ÷ (weights already there + its weight); the smallest over its
   * resources. Infinity for no resources.
   */
  estimateNewFlowRate(resources: ArrayLike<number>, weights?: ArrayLike<number>): BytesPerNs {
    this.ensureSolved();
    let rate = Number.POSITIVE_INFINITY;
    for (let k = 0; k < resources.length; k++) {
      const r = resources[k] as number;
      this.checkResource(r);
      const w = weights === undefined ? 1 : (weights[k] as number);
      const here = this.newcomerRate(r, w, (this.cap[r] as number) / w);
      if (here < rate) rate = here;
    }
    return bytesPerNs(rate);
  }

  /**
   * {@link FluidNetwork.estimateNewFlowRate} for a route prepared on this network: the same
   * figure, with the route's capacity ÷ weight taken as is on every resource no flow crosses
   * (and the rate alone when no flow moves at all).
   * @throws RangeError for another network's route.
   */
  estimateRateOn(route: PreparedRoute): BytesPerNs {
    if (route.network !== this)
      throw new RangeError('the route was prepared for another FluidNetwork');
    this.ensureSolved();
    if (this.active === 0) return bytesPerNs(route.aloneRateBytesPerNs);
    const { resources, weights, limitsBytesPerNs: limits } = route;
    let rate = Number.POSITIVE_INFINITY;
    for (let k = 0; k < resources.length; k++) {
      const here = this.newcomerRate(
        resources[k] as number,
        weights[k] as number,
        limits[k] as number,
      );
      if (here < rate) rate = here;
    }
    return bytesPerNs(rate);
  }

  /** A newcomer's figure on resource `r` at weight `w` (see estimateNewFlowRate); `alone` = capacity ÷ w. */
  private newcomerRate(r: number, w: number, alone: number): number {
    const n = this.memberCount[r] as number;
    if (n === 0) return alone;
    const list = this.members[r] as Float64Array;
    let load = 0;
    let weightThere = 0;
    for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
      const x = list[at + 1] as number;
      load += x * (this.fRate[list[at] as number] as number);
      weightThere += x;
    }
    const c = this.cap[r] as number;
    const unused = (c - load) / w;
    const fair = c / (weightThere + w);
    return unused > fair ? unused : fair;
  }

  /** Capacity of resource `r` in bytes/ns. */
  capacityOf(r: number): BytesPerNs {
    this.checkResource(r);
    return bytesPerNs(this.cap[r] as number);
  }

  /** Cumulative bytes carried by resource `r` since construction (for utilisation). */
  carriedBytes(r: number): Bytes {
    this.checkResource(r);
    let carried = this.carriedDone[r] as number;
    const list = this.members[r] as Float64Array;
    const n = this.memberCount[r] as number;
    for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
      const g = list[at] as number;
      carried += (list[at + 1] as number) * ((this.fBytes[g] as number) - this.remainingBytes(g));
    }
    return asBytes(carried);
  }

  /** Whether resource `r` is saturated under current rates (within {@link SATURATION_REL_TOLERANCE}). */
  isSaturated(r: number): boolean {
    return this.loadOf(r) >= (this.cap[r] as number) * (1 - SATURATION_REL_TOLERANCE);
  }

  /** Σ over the flows on `r` of weight × rate (`withRate`) or of weight. */
  private sumOver(r: number, withRate: boolean): number {
    const list = this.members[r] as Float64Array;
    const n = this.memberCount[r] as number;
    let sum = 0;
    for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
      const w = list[at + 1] as number;
      sum += withRate ? w * (this.fRate[list[at] as number] as number) : w;
    }
    return sum;
  }

  private checkHandle(handle: number): void {
    if (!(
      Number.isInteger(handle) &&
      handle >= 0 &&
      handle < this.nextHandle &&
      this.fState[handle] !== FREE
    )) {
      throw new RangeError(`unknown or finished flow handle ${handle}`);
    }
  }

  private checkResource(r: number): void {
    if (!(Number.isInteger(r) && r >= 0 && r < this.resourceCountValue))
      throw new RangeError(`unknown resource ${r}`);
  }

  /** Frees a handle (after its flow left the resources and the completion heap); it keeps its arrays for reuse. */
  private release(h: number): void {
    this.fState[h] = FREE;
    this.fLen[h] = 0;
    this.fRoute[h] = undefined;
    this.active--;
    this.freeHandles.push(h);
  }

  /**
   * Removes a moving flow from its resources, crediting each with `movedBytes` × its weight
   * there. A resource other flows still cross is marked for re-solving; one left empty needs
   * nothing, so a flow that was alone costs no solve when it leaves.
   */
  private detach(h: number, movedBytes: number): void {
    const path = this.fRes[h] as Int32Array;
    const weight = this.fWeight[h] as Float64Array;
    const pos = this.fPos[h] as Int32Array;
    const len = this.fLen[h] as number;
    for (let k = 0; k < len; k++) {
      const r = path[k] as number;
      const p = pos[k] as number;
      (this.carriedDone[r] as number) += (weight[k] as number) * movedBytes;
      const list = this.members[r] as Float64Array;
      const last = (this.memberCount[r] as number) - 1;
      this.memberCount[r] = last;
      if (p !== last) {
        const to = p * MEMBER_STRIDE;
        const from = last * MEMBER_STRIDE;
        const g = list[from] as number;
        const gk = list[from + 2] as number;
        list[to] = g;
        list[to + 1] = list[from + 1] as number;
        list[to + 2] = gk;
        (this.fPos[g] as Int32Array)[gk] = p;
      }
      if (last === 1) this.removeShared(list[0] as number, list[2] as number); // its last flow has it to itself
      if (last > 0) {
        this.dirtyRes.push(r);
        this.dirty = true;
      }
    }
  }

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
    this.compFlows = grow(this.compFlows, (k) => new Int32Array(k));
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

  private ensureSolved(): void {
    if (this.dirty) this.solve();
  }

  /**
   * Re-solves max-min rates for the connected components touched since the last solve. One
   * pass over each affected flow's resources gathers the component (breadth-first through the
   * resources it shares), brings the flow's remaining bytes to now and turns its private
   * resources into a limit; then progressive filling over the shared resources, whose keys (the
   * fill level at which each saturates: remaining capacity ÷ unfrozen weight) only grow as flows
   * freeze.
   */
  private solve(): void {
    const epoch = ++this.epoch;
    const {
      resMark,
      fMark,
      compRes,
      members,
      memberCount,
      remCap,
      unfrozenWeight,
      unfrozenCount,
      cap,
      fRem,
      fRate,
      fLastNs,
      fCap,
      fPrivateLimit: fLimit,
      fFrozen,
    } = this;
    const compFlows = this.compFlows;
    let nF = 0;
    let nR = 0;
    for (const f of this.dirtyFlows) {
      if (this.fState[f] === MOVING && fMark[f] !== epoch) {
        fMark[f] = epoch;
        compFlows[nF++] = f;
      }
    }
    for (const r of this.dirtyRes) nF = this.gather(r, epoch, nF);
    this.dirtyRes.length = 0;
    this.dirtyFlows.length = 0;
    this.dirty = false;

    const now = this.now;
    if (this.oldRate.length < this.flowCapacity) this.oldRate = new Float64Array(this.flowCapacity);
    const oldRate = this.oldRate;
    for (let pf = 0; pf < nF; pf++) {
      const f = compFlows[pf] as number;
      oldRate[pf] = fRate[f] as number;
      const rem = (fRem[f] as number) - (fRate[f] as number) * (now - (fLastNs[f] as number));
      fRem[f] = rem > 0 ? rem : 0;
      fLastNs[f] = now;
      if ((this.fShared[f] as number) === 0) {
        // Alone on all its resources: no pass needed.
        if (this.fPrivateStale[f] === 1) {
          fLimit[f] = Math.min(
            fCap[f] as number,
            (this.fRoute[f] as PreparedRoute).aloneRateBytesPerNs,
          );
          this.fPrivateStale[f] = 0;
        }
        continue;
      }
      const path = this.fRes[f] as Int32Array;
      const weight = this.fWeight[f] as Float64Array;
      const limits = this.fRouteLimit[f] as Float64Array;
      const len = this.fLen[f] as number;
      // The private limit: the first resource by ascending limit that the flow has to itself.
      if (this.fPrivateStale[f] === 1) {
        let limit = fCap[f] as number;
        const route = this.fRoute[f] as PreparedRoute;
        const byLimit = route.byLimit ?? (route.byLimit = indicesByLimit(limits));
        for (let i = 0; i < len; i++) {
          const k = byLimit[i] as number;
          if ((memberCount[path[k] as number] as number) === 1) {
            const q = limits[k] as number;
            if (q < limit) limit = q;
            break;
          }
        }
        fLimit[f] = limit;
        this.fPrivateStale[f] = 0;
      }
      // The shared resources: only those the flow's list names.
      const sharedK = this.fSharedK[f] as Int32Array;
      const nShared = this.fShared[f] as number;
      for (let j = 0; j < nShared; j++) {
        const k = sharedK[j] as number;
        const r = path[k] as number;
        const w = weight[k] as number;
        if (resMark[r] !== epoch) {
          resMark[r] = epoch;
          compRes[nR++] = r;
          remCap[r] = cap[r] as number;
          unfrozenWeight[r] = 0;
          unfrozenCount[r] = 0;
          nF = this.gather(r, epoch, nF);
        }
        (unfrozenWeight[r] as number) += w;
        (unfrozenCount[r] as number) += 1;
      }
    }
    this.statSolves++;
    this.statFlowsSolved += nF;
    this.statResourcesSolved += nR;

    // A component of a few flows finds its next limit or saturating resource by a scan, cheaper
    // than keeping heaps; larger ones keep a heap of resources and one of flow limits.
    const useHeap = nF > this.scanMaxFlows;
    const heap = this.resHeap;
    const limits = this.limitHeap;
    if (useHeap) {
      heap.clear();
      limits.clear();
      for (let i = 0; i < nR; i++) {
        const r = compRes[i] as number;
        heap.set(r, (remCap[r] as number) / (unfrozenWeight[r] as number));
      }
      for (let i = 0; i < nF; i++) {
        const f = compFlows[i] as number;
        const l = fLimit[f] as number;
        if (l < Number.POSITIVE_INFINITY) limits.set(f, l);
      }
    }

    // Progressive filling.
    let unfrozen = nF;
    let level = 0;
    while (unfrozen > 0) {
      let capKey = Number.POSITIVE_INFINITY;
      let capFlow = -1;
      let resKey = Number.POSITIVE_INFINITY;
      let resR = -1;
      if (useHeap) {
        // Flows frozen by a resource stay in the limit heap until they surface (lazy deletion).
        while (limits.size > 0 && fFrozen[limits.peek()] === epoch) limits.pop();
        if (limits.size > 0) {
          capKey = limits.peekKey();
          capFlow = limits.peek();
        }
        if (heap.size > 0) {
          resKey = heap.peekKey();
          resR = heap.peek();
        }
      } else {
        for (let i = 0; i < nF; i++) {
          const f = compFlows[i] as number;
          if (fFrozen[f] === epoch) continue;
          const l = fLimit[f] as number;
          if (l < capKey || (l === capKey && f < capFlow)) {
            capKey = l;
            capFlow = f;
          }
        }
        for (let i = 0; i < nR; i++) {
          const r = compRes[i] as number;
          if ((unfrozenCount[r] as number) === 0) continue;
          const rc = remCap[r] as number;
          const uw = unfrozenWeight[r] as number;
          const key = rc > 0 && uw > 0 ? rc / uw : 0;
          if (key < resKey) {
            resKey = key;
            resR = r;
          }
        }
      }
      if (capKey === Number.POSITIVE_INFINITY && resKey === Number.POSITIVE_INFINITY) break; // unreachable: every moving flow is bounded
      if (capKey <= resKey) {
        if (capKey > level) level = capKey;
        this.freeze(capFlow, capKey, epoch, useHeap);
        unfrozen--;
      } else {
        if (useHeap) heap.pop();
        if (resKey > level) level = resKey;
        const list = members[resR] as Float64Array;
        const c = memberCount[resR] as number;
        for (let i = 0; i < c; i++) {
          const f = list[i * MEMBER_STRIDE] as number;
          if (fFrozen[f] !== epoch) {
            this.freeze(f, level, epoch, useHeap);
            unfrozen--;
          }
        }
      }
    }

    // Projected completions.
    for (let i = 0; i < nF; i++) {
      const f = compFlows[i] as number;
      const rate = fRate[f] as number;
      // Same rate as before: the projected finish is unchanged, keep the key (no heap work, no drift).
      if (rate === oldRate[i] && this.completions.has(f)) continue;
      this.completions.set(
        f,
        rate > 0 ? now + (fRem[f] as number) / rate : Number.POSITIVE_INFINITY,
      );
    }
  }

  /** Appends to the component (from index `nF`) the flows on resource `r` not in it yet; returns the new count. */
  private gather(r: number, epoch: number, nF: number): number {
    const list = this.members[r] as Float64Array;
    const c = this.memberCount[r] as number;
    const { fMark, compFlows } = this;
    for (let i = 0; i < c; i++) {
      const g = list[i * MEMBER_STRIDE] as number;
      if (fMark[g] !== epoch) {
        fMark[g] = epoch;
        compFlows[nF++] = g;
      }
    }
    return nF;
  }

  /** Progressive filling step: fixes flow `f` at `rate` and updates its shared resources' saturation levels. */
  private freeze(f: number, rate: number, epoch: number, useHeap: boolean): void {
    const { remCap, unfrozenWeight, unfrozenCount, resHeap: heap } = this;
    this.fFrozen[f] = epoch;
    this.fRate[f] = rate;
    const nShared = this.fShared[f] as number;
    if (nShared === 0) return;
    const path = this.fRes[f] as Int32Array;
    const weight = this.fWeight[f] as Float64Array;
    const sharedK = this.fSharedK[f] as Int32Array;
    for (let j = 0; j < nShared; j++) {
      const k = sharedK[j] as number;
      const r = path[k] as number;
      const w = weight[k] as number;
      const rc = (remCap[r] as number) - w * rate;
      remCap[r] = rc;
      const left = (unfrozenCount[r] as number) - 1;
      unfrozenCount[r] = left;
      const uw = left === 0 ? 0 : (unfrozenWeight[r] as number) - w;
      unfrozenWeight[r] = uw;
      if (!useHeap) continue;
      if (left === 0) heap.delete(r);
      else if (heap.has(r)) heap.set(r, rc > 0 && uw > 0 ? rc / uw : 0);
    }
  }
}

/**
 * Plays a fixed list of flows through a {@link FluidNetwork}: each flow waits its path latency
 * from `startNs` (holding no bandwidth), then moves its bytes under max-min fair sharing.
 * Deterministic and independent of the order of `flows` (flows that start moving at the same
 * instant are started in id order). Results are returned in the order of `flows`.
 *
 * @param capacitiesBytesPerNs capacity of each resource in bytes/ns.
 * @param flows the flows; ids must be unique.
 * @throws InputError listing every problem: `resource.capacity` (`['capacities', r]`),
 *   `flow.bytes`, `flow.unknown-resource`, `flow.weights`, `flow.rate-cap`, `flow.start`, `flow.latency`,
 *   `flow.duplicate-id` (paths like `['flows', 3, 'resources', 1]`).
 *
 * @example
 * ```ts
 * simulateFlows([10], [
 *   { id: 'a', resources: [0], bytes: 100, startNs: 0, latencyNs: 0 },
 *   { id: 'b', resources: [0], bytes: 50, startNs: 0, latencyNs: 0 },
 * ]); // b finishes at 10 ns, a at 15 ns
 * ```
 */
export function simulateFlows(
  capacitiesBytesPerNs: ArrayLike<number>,
  flows: readonly FlowSpec[],
): FlowResult[] {
  return simulateFlowsWithStats(capacitiesBytesPerNs, flows).results;
}

/** What {@link simulateFlowsWithStats} returns: the results and the engine's work counters. */
export interface FlowSimulation {
  /** One result per flow, in the order of the input. */
  readonly results: FlowResult[];
  /** Solver work counters of the run. */
  readonly stats: FluidSolverStats;
}

/** {@link simulateFlows}, also returning the solver's work counters (for benches and tuning). */
export function simulateFlowsWithStats(
  capacitiesBytesPerNs: ArrayLike<number>,
  flows: readonly FlowSpec[],
): FlowSimulation {
  const issues = capacityIssues(capacitiesBytesPerNs, ['capacities']);
  const seen = new Map<string, number>();
  flows.forEach((f, i) => {
    issues.push(...flowIssues(f, capacitiesBytesPerNs.length, ['flows', i]));
    if (!Number.isFinite(f.startNs))
      issues.push({
        code: 'flow.start',
        path: ['flows', i, 'startNs'],
        message: `start time must be finite, got ${f.startNs}`,
      });
    if (!(Number.isFinite(f.latencyNs) && f.latencyNs >= 0)) {
      issues.push({
        code: 'flow.latency',
        path: ['flows', i, 'latencyNs'],
        message: `latency must be a finite number of ns ≥ 0, got ${f.latencyNs}`,
      });
    }
    const previous = seen.get(f.id);
    if (previous !== undefined) {
      issues.push({
        code: 'flow.duplicate-id',
        path: ['flows', i, 'id'],
        message: `id "${f.id}" is already used by flows[${previous}]`,
      });
    } else seen.set(f.id, i);
  });
  if (issues.length > 0) throw new InputError(issues);

  const n = flows.length;
  const moveStart = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = flows[i] as FlowSpec;
    moveStart[i] = f.startNs + f.latencyNs;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const d = (moveStart[a] as number) - (moveStart[b] as number);
    if (d !== 0) return d;
    const ia = (flows[a] as FlowSpec).id;
    const ib = (flows[b] as FlowSpec).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  const finish = new Float64Array(n).fill(Number.NaN);
  if (n === 0)
    return {
      results: [],
      stats: { solves: 0, flowsSolved: 0, resourcesSolved: 0, flowsStarted: 0 },
    };

  const net = new FluidNetwork(capacitiesBytesPerNs, {
    startNs: moveStart[order[0] as number] as number,
  });
  const flowOfHandle: number[] = [];
  const record = (handles: readonly number[], tNs: number): void => {
    for (const h of handles) finish[flowOfHandle[h] as number] = tNs;
  };
  let next = 0;
  while (next < n || net.activeFlowCount > 0) {
    const completionNs = net.nextCompletionNs();
    const arrivalNs =
      next < n ? (moveStart[order[next] as number] as number) : Number.POSITIVE_INFINITY;
    if (arrivalNs <= completionNs) {
      record(net.advanceTo(arrivalNs), arrivalNs);
      while (next < n && moveStart[order[next] as number] === arrivalNs) {
        const i = order[next++] as number;
        const f = flows[i] as FlowSpec;
        const h = net.start({
          resources: f.resources,
          bytes: f.bytes,
          ...(f.weights === undefined ? {} : { weights: f.weights }),
          ...(f.rateCapBytesPerNs === undefined ? {} : { rateCapBytesPerNs: f.rateCapBytesPerNs }),
        });
        flowOfHandle[h] = i;
      }
    } else if (completionNs < Number.POSITIVE_INFINITY) {
      record(net.advanceTo(completionNs), completionNs);
    } else {
      throw new Error(
        'simulateFlows: active flows but no projected completion (solver invariant broken)',
      );
    }
  }

  const results = flows.map((f, i): FlowResult => {
    const moveNs = moveStart[i] as number;
    const finishNs = finish[i] as number;
    const durationNs = finishNs - moveNs;
    const avg = durationNs > 0 ? f.bytes / durationNs : f.bytes > 0 ? Number.POSITIVE_INFINITY : 0;
    return {
      id: f.id,
      startNs: ns(f.startNs),
      moveStartNs: ns(moveNs),
      finishNs: ns(finishNs),
      latencyNs: ns(finishNs - f.startNs),
      bytes: asBytes(f.bytes),
      averageRateBytesPerNs: bytesPerNs(avg),
    };
  });
  return { results, stats: net.stats };
}
