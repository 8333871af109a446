/**
 * What `podsim reproduce <paper>` returns: each published figure podsim can compute, the setting
 * podsim ran to compute it, the value from the code (never a stored answer), and a verdict with
 * the reason — so a reader sees where the model agrees with a paper and, where it does not, why.
 */

/** How a computed figure compares with the published one. */
export type Verdict = 'reproduced' | 'close' | 'differs';

/** Verdicts in the order reports count them. */
export const VERDICTS: readonly Verdict[] = ['reproduced', 'close', 'differs'];

/** One published figure beside podsim's value. */
export interface ReproducedFigure {
  /** Stable key for scripts, e.g. `rpc.prototype.vs-rdma`. */
  readonly id: string;
  /** The paper's claim in words. */
  readonly figure: string;
  /** The published value in words, e.g. "3.2×" or "3–5.4 %". */
  readonly published: string;
  /** What podsim ran to compute its value (topologies, parameters). */
  readonly setting: string;
  /** podsim's value, in `unit`. */
  readonly value: number;
  /** Unit of `value`: `×`, `%` (a share in percent points), `ns`, `hosts`, `m`. */
  readonly unit: '×' | '%' | 'ns' | 'hosts' | 'm';
  /** Band around the published value that counts as reproduced, in `unit`; an open end is absent (so JSON never carries ±Infinity). */
  readonly low?: number;
  readonly high?: number;
  readonly verdict: Verdict;
  /**
   * `paper`: the paper's own setting, so the verdict tests the model; `beyond`: the claim carried
   * outside that setting, to show where it stops holding (a `differs` there is a finding).
   */
  readonly settingKind: 'paper' | 'beyond';
  /** Why the value lands where it does (always said when it is not `reproduced`). */
  readonly why: string;
}

/** A paper's figures, computed. */
export interface Reproduction {
  /** Short name, e.g. `octopus`. */
  readonly paper: string;
  /** Full citation. */
  readonly citation: string;
  readonly figures: readonly ReproducedFigure[];
  /** Count per verdict. */
  readonly verdicts: Readonly<Record<Verdict, number>>;
}

/** A figure before its verdict is derived from the band. */
export type FigureInput = Omit<ReproducedFigure, 'verdict'> & {
  /**
   * How far outside the band still counts as `close`, as a share of the band's nearer edge
   * (default 0.15: within 15 % of the band).
   */
  readonly closeShare?: number;
};

/**
 * The verdict for `value` against the band `[low, high]`: inside → reproduced; within
 * `closeShare` of the nearer edge (relative to that edge's magnitude) → close; otherwise differs.
 * A non-finite value always differs.
 */
export function verdictOf(
  value: number,
  low = Number.NEGATIVE_INFINITY,
  high = Number.POSITIVE_INFINITY,
  closeShare = 0.15,
): Verdict {
  if (!Number.isFinite(value)) return 'differs';
  if (value >= low && value <= high) return 'reproduced';
  const edge = value < low ? low : high;
  // an open band's only edge is 0 (e.g. "< 0 %"): nothing beyond it counts as close
  const slack = Math.abs(edge) * closeShare;
  return Math.abs(value - edge) <= slack ? 'close' : 'differs';
}

/** Attaches verdicts and counts them. */
export function reproduction(
  paper: string,
  citation: string,
  inputs: readonly FigureInput[],
): Reproduction {
  const figures = inputs.map(({ closeShare, ...f }) => ({
    ...f,
    verdict: verdictOf(f.value, f.low, f.high, closeShare),
  }));
  const verdicts = { reproduced: 0, close: 0, differs: 0 };
  for (const f of figures) verdicts[f.verdict]++;
  return { paper, citation, figures, verdicts };
}
