/**
 * The order of a request's options, shared by the planner's two paths (walker.ts) so they cannot
 * drift apart: system cost (TTFT plus the delay its GPU work adds to the requests behind it;
 * the TTFT itself with nobody behind), then estimated TTFT, quality loss, bytes fetched, kind,
 * source variant, replica and strategy ({@link compareKeys}).
 */
import { STRATEGIES, type PlanOption, type Strategy } from './types.ts';

/** Rank of each kind on a complete TTFT / loss / bytes tie. */
export const KIND_RANK = { exact: 0, partial: 1, 'full-prefill': 2 } as const;

/** Rank of each strategy in {@link STRATEGIES} (the order's last key). */
const STRATEGY_RANK: Readonly<Record<Strategy, number>> = Object.fromEntries(
  STRATEGIES.map((s, i) => [s, i]),
) as Record<Strategy, number>;

/** Rank of a strategy in {@link STRATEGIES}, −1 for none of them (as indexOf). */
export function strategyRank(s: Strategy): number {
  return STRATEGY_RANK[s] ?? -1;
}

/** The sort keys of an option, in the order's order (see {@link compareKeys}). */
export interface OptionKeys {
  readonly systemCostNs: number;
  readonly ttftNs: number;
  readonly qualityLoss: number;
  readonly fetchBytes: number;
  /** {@link KIND_RANK} of its kind. */
  readonly kindRank: number;
  /** Source variant; '' for full prefill. */
  readonly variant: string;
  /** Replica; 0 for full prefill. */
  readonly replica: number;
  /** Strategy's rank in {@link STRATEGIES}; 0 for full prefill and exact reuse. */
  readonly strategyRank: number;
}

/**
 * The order of options (the collecting walk's sort and the best-only walk's comparisons both use
 * it, so they cannot drift apart): system cost, then estimated TTFT, quality loss, bytes fetched,
 * kind, source variant, replica and strategy. A total order on the keys bar NaN.
 */
export function compareKeys(a: OptionKeys, b: OptionKeys): number {
  return (
    a.systemCostNs - b.systemCostNs ||
    a.ttftNs - b.ttftNs ||
    a.qualityLoss - b.qualityLoss ||
    a.fetchBytes - b.fetchBytes ||
    a.kindRank - b.kindRank ||
    // Same result as localeCompare (0 for equal strings) without calling into Intl on a tie.
    (a.variant === b.variant ? 0 : a.variant.localeCompare(b.variant)) ||
    a.replica - b.replica ||
    a.strategyRank - b.strategyRank
  );
}

/** The sort keys of an option object. */
export function keysOf(o: PlanOption): OptionKeys {
  const full = o.kind === 'full-prefill';
  return {
    systemCostNs: o.systemCostNs,
    ttftNs: o.ttftNs,
    qualityLoss: o.qualityLoss,
    fetchBytes: o.fetchBytes,
    kindRank: KIND_RANK[o.kind],
    variant: full ? '' : o.sourceVariant,
    replica: full ? 0 : o.replica,
    strategyRank: o.kind === 'partial' ? strategyRank(o.strategy) : 0,
  };
}
