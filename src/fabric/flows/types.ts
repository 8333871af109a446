/**
 * Types and tolerances of the fluid flow engine (src/fabric/flows/): what a caller hands in (a
 * flow to start, a flow to simulate), what comes back (results, work counters) and the
 * tolerances on times and saturation. No behaviour here.
 */
import type { Bytes, BytesPerNs, Nanoseconds } from '../../units/index.ts';

/**
 * Relative tolerance on times (dimensionless): projected finish times within
 * `FLOW_TIME_REL_TOLERANCE × max(|t|, 1 ns)` of the instant `t` finish together at `t`.
 * 1e-12 is ~4,500 ulps of a double: far above the rounding that lazy remaining-bytes updates
 * accumulate, far below any physical time scale of interest (1 ns at t = 1,000 s).
 */
export const FLOW_TIME_REL_TOLERANCE = 1e-12;

/**
 * Relative tolerance (dimensionless) under which a resource counts as saturated in
 * `FluidNetwork.isSaturated`: load ≥ capacity × (1 − 1e-9).
 */
export const SATURATION_REL_TOLERANCE = 1e-9;

/** Slack around instant `tNs` within which finish times count as `tNs` (see FLOW_TIME_REL_TOLERANCE). */
export function timeSlackNs(tNs: number): number {
  return FLOW_TIME_REL_TOLERANCE * Math.max(Math.abs(tNs), 1);
}

/** A flow as handed to `FluidNetwork.start`. */
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

/** A flow for `simulateFlows`: when it is issued, its path latency, and what it moves. */
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

/** Work counters of a `FluidNetwork`, to judge how incremental the solves are. */
export interface FluidSolverStats {
  /** Number of progressive fillings: one per batch of changes at one instant (a partial solve may take several rounds). */
  readonly solves: number;
  /** Sum over fillings of the flows filled (size of the affected components, or of the partial sets). */
  readonly flowsSolved: number;
  /** Sum over fillings of the shared resources filled (those crossed by one flow only act as its rate limit). */
  readonly resourcesSolved: number;
  /** Flows started so far. */
  readonly flowsStarted: number;
}

/** Options of a `FluidNetwork`. */
export interface FluidNetworkOptions {
  /** Initial value of the clock, in ns (default 0). */
  readonly startNs?: number;
  /**
   * Components of at most this many flows are solved by scans, larger ones with heaps (default
   * 8). Only a tuning knob: both give the same rates (tests compare them).
   */
  readonly scanMaxFlows?: number;
  /**
   * From this many active flows on, a solve re-fills only the flows whose rate can change (the
   * part of a component above the first fill level a change reaches) instead of whole components
   * (default Infinity: never). Same rates up to rounding (tests compare them); worth it for
   * hundreds of flows in one component — `simulateFlows` sets it.
   */
  readonly partialSolveMinFlows?: number;
}

/** What `simulateFlowsWithStats` returns: the results and the engine's work counters. */
export interface FlowSimulation {
  /** One result per flow, in the order of the input. */
  readonly results: FlowResult[];
  /** Solver work counters of the run. */
  readonly stats: FluidSolverStats;
}
