/**
 * A striped transfer as one flow (docs/design.md "Simulator": fetches and cache writes are
 * flows in the max-min fluid network). A KV cache striped over n memory devices is read by
 * issuing the stripes' requests round-robin — CXL interleaving, or a DMA engine walking the
 * stripes — so the stripes advance in lockstep: at transfer rate R each stripe moves R/n, and a
 * resource crossed by k of the n stripes carries k·R/n. That is one flow whose weight on each
 * resource is k/n (`FluidNetwork` consumption weights), instead of n flows.
 *
 * Once moving, a lockstep transfer of B bytes takes B ÷ R with R = min over resources of
 * capacity ÷ (k/n); independent stripes cannot do better, since every resource must carry its
 * k·B/n bytes either way, and on these fabrics (one bottleneck: the GPU's PCIe link, or a
 * relayed stripe's path) they do no worse. So a lone transfer lands when `fetchCost`'s
 * independent stripes do, up to the spread of the stripes' first-byte latencies (lockstep
 * stripes start together after the slowest; test/fabric/transfer.test.ts checks it on the
 * bundled pods: within 3e-5 of a 1.43 GB fetch). Under contention lockstep stripes cannot run
 * ahead on lightly loaded paths, which independent stripes would do only to wait for the slowest
 * one. The simulator uses one flow per transfer because the solver's work grows with the flows
 * in a component: n stripes as n flows cost n times more per solve and per completion event.
 */
import type { PlannedStripe } from './fetch.ts';

/** A transfer as one lockstep flow: its distinct resources, their weights and its start delay. */
export interface LockstepTransfer {
  /** Distinct flow resources crossed, in first-appearance order. */
  readonly resources: Int32Array;
  /** Weight on each resource (aligned with `resources`): the summed byte shares of the stripes crossing it (k/n for n equal stripes). */
  readonly weights: Float64Array;
  /** Largest stripe first-byte latency (ns): the stripes start moving together after it. */
  readonly latencyNs: number;
  /** Byte share of the stripes that pass through a relay (0…1). */
  readonly relayedShare: number;
}

/**
 * Merges the stripes of one transfer into a {@link LockstepTransfer}, each stripe weighing its
 * share of the bytes (equal shares when the stripes carry no byte counts).
 * @param stripes - the planned stripes (at least one).
 * @param isRelay - whether a node on a stripe's path is a relay (a host other than the consumer).
 * @throws RangeError for no stripes, or a negative or non-finite stripe size
 * @example lockstepTransfer(planFetch(f, 'h0', src, bytes(1e9)).stripes, (v) => f.nodeKind[v] === 'host' && v !== h0)
 */
export function lockstepTransfer(
  stripes: readonly Pick<PlannedStripe, 'resources' | 'latencyNs' | 'nodes' | 'bytes'>[],
  isRelay: (node: number) => boolean,
): LockstepTransfer {
  const n = stripes.length;
  if (n === 0) throw new RangeError('a transfer needs at least one stripe');
  let total = 0;
  for (const s of stripes) {
    if (!(Number.isFinite(s.bytes) && s.bytes >= 0))
      throw new RangeError(`stripe sizes must be finite and ≥ 0 bytes, got ${s.bytes}`);
    total += s.bytes;
  }
  // Equal stripes (or none sized): count occurrences and divide once, so k of n weigh exactly k/n.
  const equal = total === 0 || stripes.every((s) => s.bytes === stripes[0]?.bytes);
  const weightOf = new Map<number, number>();
  let latencyNs = 0;
  let relayed = 0;
  for (const s of stripes) {
    latencyNs = Math.max(latencyNs, s.latencyNs);
    const share = equal ? 1 : s.bytes;
    for (const r of s.resources) weightOf.set(r, (weightOf.get(r) ?? 0) + share);
    if (s.nodes.some(isRelay)) relayed += share;
  }
  const whole = equal ? n : total;
  const resources = new Int32Array(weightOf.size);
  const weights = new Float64Array(weightOf.size);
  let k = 0;
  for (const [r, w] of weightOf) {
    resources[k] = r;
    weights[k] = w / whole;
    k++;
  }
  return { resources, weights, latencyNs, relayedShare: relayed / whole };
}
