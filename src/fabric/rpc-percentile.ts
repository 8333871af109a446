/**
 * Weighted percentiles of round trips over host pairs (docs/rpc.md "Weighted percentiles"): each
 * pair counts as often as a traffic matrix sends RPCs over it. The definition is the weighted
 * form of the nearest-rank percentile the all-pairs summary uses (src/fabric/rpc-all-pairs.ts),
 * so equal weights give exactly the unweighted answer.
 */

/**
 * Relative tolerance when a running weight is compared with `p × total`: sums of equal floats
 * are not exact, and without it equal weights could miss the unweighted rank by one (estimate:
 * far below any meaningful difference in traffic weights, far above double rounding).
 */
const TIE_TOLERANCE = 1e-9;

/** Min, p50, p99 and max of a weighted sample (`null` when no entry has positive weight). */
export interface WeightedStats {
  readonly minNs: number | null;
  readonly p50Ns: number | null;
  readonly p99Ns: number | null;
  readonly maxNs: number | null;
}

/** Entry indices with positive weight, sorted by value (ties by index, so the order is deterministic). */
function sortedOrder(values: ArrayLike<number>, weights: ArrayLike<number>): number[] {
  const order: number[] = [];
  for (let i = 0; i < values.length; i++) if ((weights[i] ?? 0) > 0) order.push(i);
  return order.sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0) || a - b);
}

/** Quantile `p` over entries already in `order`, whose weights sum to `total`. */
function quantileOf(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  order: readonly number[],
  total: number,
  p: number,
): number | null {
  if (order.length === 0) return null;
  const threshold = p * total * (1 - TIE_TOLERANCE);
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i] ?? 0;
    if (cumulative >= threshold) return values[i] ?? null;
  }
  return values[order[order.length - 1] ?? 0] ?? null;
}

/**
 * The weighted nearest-rank percentile: the smallest value whose entries, with every smaller
 * value's, carry at least `p` of the total weight. Entries of weight 0 never count.
 * @param values one value per entry (e.g. a pair's round trip, ns)
 * @param weights one weight ≥ 0 per entry, same length as `values`
 * @param p the quantile in [0, 1] (0.5 = median)
 * @returns the value, or `null` when no entry has positive weight
 * @throws Error (a programming error) when the lengths differ or `p` is outside [0, 1]
 * @example weightedPercentile([1, 2, 3], [1, 1, 2], 0.5) // 2: weights 1 + 1 reach half of 4
 */
export function weightedPercentile(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
  p: number,
): number | null {
  check(values, weights, p);
  const order = sortedOrder(values, weights);
  return quantileOf(values, weights, order, totalOf(weights, order), p);
}

/**
 * Min, p50, p99 and max of `values` weighted by `weights` (one sort for all four).
 * @throws Error (a programming error) when the lengths differ
 */
export function weightedStats(
  values: ArrayLike<number>,
  weights: ArrayLike<number>,
): WeightedStats {
  check(values, weights, 0);
  const order = sortedOrder(values, weights);
  const total = totalOf(weights, order);
  const at = (k: number): number | null => (order.length === 0 ? null : (values[k] ?? null));
  return {
    minNs: at(order[0] ?? 0),
    p50Ns: quantileOf(values, weights, order, total, 0.5),
    p99Ns: quantileOf(values, weights, order, total, 0.99),
    maxNs: at(order[order.length - 1] ?? 0),
  };
}

function totalOf(weights: ArrayLike<number>, order: readonly number[]): number {
  let total = 0;
  for (const i of order) total += weights[i] ?? 0;
  return total;
}

function check(values: ArrayLike<number>, weights: ArrayLike<number>, p: number): void {
  if (values.length !== weights.length)
    throw new Error(`${values.length} values but ${weights.length} weights`);
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile ${p} is outside [0, 1]`);
}
