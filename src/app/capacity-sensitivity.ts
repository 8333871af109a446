/**
 * `podsim capacity --sensitivity`: which inputs decide a pod's pooling verdict. For each family with
 * a pool, every catalogue price is moved over its documented range (docs/costs.md §8) and, for a
 * lognormal demand, the peak-to-mean gap and the share kept local over theirs; each move re-prices
 * (prices) or re-sizes then re-prices (demand, local share) the pod's pool, and the rows say
 * which inputs flip the sign of the net saving. Also the break-even fabric cost per host: what
 * the pod's hardware may cost for the saving to be zero, or the paper's 3 %.
 */
import {
  PRICE_RANGES,
  priceInputs,
  priceTopology,
  scalarInputs,
  sensitivity,
  type CostCatalogue,
  type SensitivityInput,
  type SensitivityResult,
} from '../cost/index.ts';
import {
  OCTOPUS_NET_SAVING,
  poolReach,
  priceSizing,
  sizeFabric,
  type PoolingParams,
  type PoolingView,
  type PoolSizing,
} from '../cost/pooling.ts';
import type { TopologyGraph } from '../topology/types.ts';

/** The lower end of Octopus's published net saving (docs/references.md §1: 3–5.4 %). */
export const PAPER_SAVING_LOW = OCTOPUS_NET_SAVING.low;

/** Non-price inputs and their ranges (estimate: around the bundled plans' values, docs/pooling.md §6). */
const SCALAR_RANGES = {
  /** p99 ÷ mean of one host's demand: 1.15 (hosts near their peak) … 2 (bursty hosts). */
  peakToMean: { kind: 'absolute', low: 1.15, high: 2 },
  /** Share of the dedicated DRAM a pooled host keeps locally. */
  localFraction: { kind: 'absolute', low: 0.25, high: 0.75 },
} as const;

/** Break-even pod hardware per host (USD): the fabric cost at which the net saving is 0, and 3 %. */
export interface BreakEven {
  readonly zeroUsd: number;
  readonly paperLowUsd: number;
}

/**
 * The fabric cost per host at which `view`'s net saving would be 0 and 3 % (everything else as
 * priced): net = (saved − poolDram − fabric) ÷ server, solved for fabric. Negative values mean no
 * fabric is cheap enough.
 */
export function breakEven(view: PoolingView): BreakEven {
  const margin = view.dramSavedPerHostUsd - view.poolDramPerHostUsd;
  return { zeroUsd: margin, paperLowUsd: margin - PAPER_SAVING_LOW * view.serverUsd };
}

/** Pooling params with the scalar inputs applied. */
function withScalars(params: PoolingParams, s: Readonly<Record<string, number>>): PoolingParams {
  const localFraction = s['localFraction'] ?? params.localFraction;
  const d = params.demand;
  const demand =
    d.kind === 'lognormal' && s['peakToMean'] !== undefined
      ? { ...d, peakToMean: s['peakToMean'] }
      : d;
  return { ...params, localFraction, demand };
}

/**
 * Sensitivity of the net saving of `graph`'s pool: every price (re-priced, the sizing reused) and
 * the demand scalars (each value re-sized once, cached). Deterministic for `seed`.
 * @param sizing - the base sizing (already computed by the capacity run)
 */
export function poolingSensitivity(
  graph: TopologyGraph,
  catalogue: CostCatalogue,
  params: PoolingParams,
  sizing: PoolSizing,
  seed: number,
): SensitivityResult {
  const pod = poolReach(graph);
  const scalars: Record<string, number> = { localFraction: params.localFraction };
  if (params.demand.kind === 'lognormal') scalars['peakToMean'] = params.demand.peakToMean;
  const ranges: Record<string, (typeof SCALAR_RANGES)[keyof typeof SCALAR_RANGES]> = {};
  for (const k of Object.keys(scalars)) ranges[k] = SCALAR_RANGES[k as keyof typeof SCALAR_RANGES];
  const inputs: SensitivityInput[] = [
    ...priceInputs(catalogue, PRICE_RANGES).filter((i) => i.target.kind !== 'gpu'),
    ...scalarInputs(scalars, ranges),
  ];
  const baseKey = JSON.stringify(scalars);
  const sizings = new Map<string, PoolSizing>([[baseKey, sizing]]);
  return sensitivity(catalogue, scalars, inputs, (c, s) => {
    const key = JSON.stringify(s);
    let sized = sizings.get(key);
    if (sized === undefined) {
      sized = sizeFabric(pod, withScalars(params, s), seed);
      sizings.set(key, sized);
    }
    return priceSizing(sized, priceTopology(graph, c), c).netSavingsShare;
  });
}
