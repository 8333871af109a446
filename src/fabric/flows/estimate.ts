/**
 * Estimates for a flow not started yet — what a scheduler asks before choosing where to fetch
 * from: an optimistic one-look figure per resource, not a solve (the simulator's fabric-aware
 * planning, docs/design.md). Reads the network state and current rates; changes nothing.
 */
import { MEMBER_STRIDE, type FluidState, type PreparedRoute } from './state.ts';
import { f64, i32, row } from './typed.ts';

/**
 * A newcomer's figure on resource `r` at weight `w`: the larger of the capacity the current flows
 * leave unused (÷ w) and its max-min fair share, capacity ÷ (weights already there + w);
 * `alone` (= capacity ÷ w) when no flow crosses `r`.
 */
function newcomerRate(s: FluidState, r: number, w: number, alone: number): number {
  const n = i32(s.memberCount, r);
  if (n === 0) return alone;
  const list = row(s.members, r);
  let load = 0;
  let weightThere = 0;
  for (let i = 0, at = 0; i < n; i++, at += MEMBER_STRIDE) {
    const x = f64(list, at + 1);
    load += x * f64(s.fRate, f64(list, at));
    weightThere += x;
  }
  const c = f64(s.cap, r);
  const unused = (c - load) / w;
  const fair = c / (weightThere + w);
  return unused > fair ? unused : fair;
}

/**
 * The smallest newcomer figure over `resources` (checked one by one) with `weights` (default 1
 * each); Infinity for no resources. Rates must be solved.
 * @throws RangeError for an unknown resource.
 */
export function estimateNewFlowRate(
  s: FluidState,
  resources: ArrayLike<number>,
  weights?: ArrayLike<number>,
): number {
  let rate = Number.POSITIVE_INFINITY;
  for (let k = 0; k < resources.length; k++) {
    const r = resources[k] as number;
    s.checkResource(r);
    const w = weights === undefined ? 1 : (weights[k] as number);
    const here = newcomerRate(s, r, w, f64(s.cap, r) / w);
    if (here < rate) rate = here;
  }
  return rate;
}

/**
 * {@link estimateNewFlowRate} for a route prepared on `s`: the route's capacity ÷ weight taken
 * as is on every resource no flow crosses, and its rate alone when no flow moves at all.
 */
export function estimateRateOn(s: FluidState, route: PreparedRoute): number {
  if (s.active === 0) return route.aloneRateBytesPerNs;
  const { resources, weights, limitsBytesPerNs: limits } = route;
  let rate = Number.POSITIVE_INFINITY;
  for (let k = 0; k < resources.length; k++) {
    const here = newcomerRate(s, i32(resources, k), f64(weights, k), f64(limits, k));
    if (here < rate) rate = here;
  }
  return rate;
}
