/**
 * `simulateFlows`: a standalone driver of a `FluidNetwork` for a fixed list of flows (what
 * `podsim flows` and `podsim fetch` run). Each flow waits its path latency from its start
 * (holding no bandwidth), then moves its bytes under max-min fair sharing; the driver advances
 * the clock from event to event — the next flow to start moving or the next completion.
 */
import { InputError, type Issue } from '../../errors/index.ts';
import { bytes as asBytes, bytesPerNs, ns } from '../../units/index.ts';
import { capacityIssues, flowIssues } from './checks.ts';
import { FluidNetwork } from './network.ts';
import { PARTIAL_MIN_FLOWS } from './solver.ts';
import { f64, i32 } from './typed.ts';
import type { FlowResult, FlowSimulation, FlowSpec } from './types.ts';

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

/** Every problem of the input at once (see {@link simulateFlows}). */
function simulationIssues(
  capacitiesBytesPerNs: ArrayLike<number>,
  flows: readonly FlowSpec[],
): Issue[] {
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
  return issues;
}

/** Flow indices by move-start instant, ties by id. */
function moveOrder(flows: readonly FlowSpec[], moveStart: Float64Array): Int32Array {
  const order = Array.from({ length: flows.length }, (_, i) => i);
  order.sort((a, b) => {
    const d = f64(moveStart, a) - f64(moveStart, b);
    if (d !== 0) return d;
    const ia = (flows[a] as FlowSpec).id;
    const ib = (flows[b] as FlowSpec).id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  return Int32Array.from(order);
}

/** {@link simulateFlows}, also returning the solver's work counters (for benches and tuning). */
export function simulateFlowsWithStats(
  capacitiesBytesPerNs: ArrayLike<number>,
  flows: readonly FlowSpec[],
): FlowSimulation {
  const issues = simulationIssues(capacitiesBytesPerNs, flows);
  if (issues.length > 0) throw new InputError(issues);
  const n = flows.length;
  if (n === 0)
    return {
      results: [],
      stats: { solves: 0, flowsSolved: 0, resourcesSolved: 0, flowsStarted: 0 },
    };
  const moveStart = Float64Array.from(flows, (f) => f.startNs + f.latencyNs);
  const order = moveOrder(flows, moveStart);
  const finish = new Float64Array(n).fill(Number.NaN);
  const net = new FluidNetwork(capacitiesBytesPerNs, {
    startNs: f64(moveStart, i32(order, 0)),
    partialSolveMinFlows: PARTIAL_MIN_FLOWS,
  });
  const flowOfHandle: number[] = [];
  const record = (handles: readonly number[], tNs: number): void => {
    for (const h of handles) finish[flowOfHandle[h] as number] = tNs;
  };
  let next = 0;
  while (next < n || net.activeFlowCount > 0) {
    const completionNs = net.nextCompletionNs();
    const arrivalNs = next < n ? f64(moveStart, i32(order, next)) : Number.POSITIVE_INFINITY;
    if (arrivalNs <= completionNs) {
      record(net.advanceTo(arrivalNs), arrivalNs);
      while (next < n && moveStart[i32(order, next)] === arrivalNs) {
        const i = i32(order, next++);
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
  return { results: results(flows, moveStart, finish), stats: net.stats };
}

/** One result per flow, in input order. */
function results(
  flows: readonly FlowSpec[],
  moveStart: Float64Array,
  finish: Float64Array,
): FlowResult[] {
  return flows.map((f, i): FlowResult => {
    const moveNs = f64(moveStart, i);
    const finishNs = f64(finish, i);
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
}
