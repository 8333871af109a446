/**
 * `FluidNetwork`: the incremental max-min fair fluid engine a discrete-event simulator drives —
 * start flows, ask rates and the next completion, advance the clock. It owns the network state
 * (`state.ts`, which it extends), re-solves rates lazily through `solver.ts` (once per batch of
 * starts and finishes at one instant, only for the components touched — or, with
 * `partialSolveMinFlows`, only for the flows a change moves) and keeps the projected
 * completions in an indexed heap. Remaining bytes are kept lazily (value at the last rate change
 * + rate).
 */
import { InputError } from '../../errors/index.ts';
import {
  bytes as asBytes,
  bytesPerNs,
  ns,
  type Bytes,
  type BytesPerNs,
  type Nanoseconds,
} from '../../units/index.ts';
import { IndexedMinHeap } from '../heap.ts';
import { flowIssues } from './checks.ts';
import { estimateNewFlowRate, estimateRateOn } from './estimate.ts';
import { SolverScratch } from './component.ts';
import { SCAN_MAX_FLOWS, solve } from './solver.ts';
import { FluidState, INSTANT, MEMBER_STRIDE, MOVING, type PreparedRoute } from './state.ts';
import { f64, i32, row } from './typed.ts';
import {
  SATURATION_REL_TOLERANCE,
  timeSlackNs,
  type FlowStart,
  type FluidNetworkOptions,
  type FluidSolverStats,
} from './types.ts';

const NOTHING_DONE: readonly number[] = Object.freeze([]);

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
export class FluidNetwork extends FluidState {
  private readonly scratch: SolverScratch;
  private readonly completions = new IndexedMinHeap(64);

  /**
   * @param capacitiesBytesPerNs capacity of each resource in bytes/ns (finite, > 0); resource
   *   `r` is index `r` of this list.
   * @param options initial clock, and the component size up to which solves scan instead of keeping heaps.
   * @throws InputError (`resource.capacity`, path `['capacities', r]`) for a bad capacity.
   */
  constructor(capacitiesBytesPerNs: ArrayLike<number>, options: FluidNetworkOptions = {}) {
    super(capacitiesBytesPerNs, options.startNs ?? 0);
    this.scratch = new SolverScratch(
      this.resourceCountValue,
      options.scanMaxFlows ?? SCAN_MAX_FLOWS,
      options.partialSolveMinFlows ?? Number.POSITIVE_INFINITY,
    );
    this.trackStale = this.scratch.partialMinFlows < Number.POSITIVE_INFINITY;
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
    return this.startNow(
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
    return this.startNow(route, bytes, rateCapBytesPerNs);
  }

  /** Starts a checked flow; one that holds no bandwidth is due at once. */
  private startNow(route: PreparedRoute, bytes: number, capBpn: number): number {
    const h = this.startChecked(route, bytes, capBpn);
    if (this.fState[h] === INSTANT) this.completions.set(h, this.now);
    return h;
  }

  /** Stops a flow now without finishing it; its handle becomes free. */
  cancel(handle: number): void {
    this.checkHandle(handle);
    this.ensureSolved();
    this.completions.delete(handle);
    if (this.fState[handle] === MOVING)
      this.detach(handle, f64(this.fBytes, handle) - this.remaining(handle));
    this.release(handle);
  }

  /** Time of the next completion under current rates, in ns (`Infinity` if no flow is active). */
  nextCompletionNs(): Nanoseconds {
    this.ensureSolved();
    return ns(this.completions.peekKey());
  }

  /**
   * Moves time forward to `tNs` and returns the handles of the flows that finish at `tNs`
   * (within `FLOW_TIME_REL_TOLERANCE`), ordered by projected finish then handle. They are
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
      if (this.fState[h] === MOVING) this.detach(h, f64(this.fBytes, h));
      this.release(h);
    }
    return done;
  }

  /** Current rate of a flow in bytes/ns (0 for a zero-byte flow, `Infinity` for an uncapped one crossing nothing). */
  rateOf(handle: number): BytesPerNs {
    this.checkHandle(handle);
    this.ensureSolved();
    return bytesPerNs(f64(this.fRate, handle));
  }

  /** Bytes a flow still has to move at the current time (never negative). */
  remainingBytes(handle: number): Bytes {
    this.checkHandle(handle);
    return asBytes(this.remaining(handle));
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
   * @throws RangeError for an unknown resource.
   */
  estimateNewFlowRate(resources: ArrayLike<number>, weights?: ArrayLike<number>): BytesPerNs {
    this.ensureSolved();
    return bytesPerNs(estimateNewFlowRate(this, resources, weights));
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
    return bytesPerNs(estimateRateOn(this, route));
  }

  /** Capacity of resource `r` in bytes/ns. */
  capacityOf(r: number): BytesPerNs {
    this.checkResource(r);
    return bytesPerNs(f64(this.cap, r));
  }

  /** Cumulative bytes carried by resource `r` since construction (for utilisation). */
  carriedBytes(r: number): Bytes {
    this.checkResource(r);
    let carried = f64(this.carriedDone, r);
    const list = row(this.members, r);
    const n = i32(this.memberCount, r);
    for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
      const g = f64(list, at);
      carried += f64(list, at + 1) * (f64(this.fBytes, g) - this.remainingBytes(g));
    }
    return asBytes(carried);
  }

  /** Whether resource `r` is saturated under current rates (within `SATURATION_REL_TOLERANCE`). */
  isSaturated(r: number): boolean {
    return this.loadOf(r) >= f64(this.cap, r) * (1 - SATURATION_REL_TOLERANCE);
  }

  private ensureSolved(): void {
    if (this.dirty) solve(this, this.scratch, this.completions);
  }
}
