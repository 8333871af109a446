/**
 * The fit of the A100's per-operator efficiencies (docs/compute.md "The fit"): a small,
 * deterministic search that reproduces `A100_FITTED_EFFICIENCIES` in `gpu.ts` from the
 * calibration points marked `fitted` (docs/references.md §8). Nothing calls it at run time;
 * `test/kv/compute-calibration.test.ts` re-runs it so the constants cannot drift from their derivation.
 *
 * Objective: the largest |ln(model ÷ published)| over the points (every point inside the band
 * matters, not the average), ties broken by the sum of squares. Search: alternate exhaustive
 * scans of two planes on a fixed lattice — (memoryEfficiency, layerOverheadNs), which the
 * decode steps pin, and (gemmEfficiency, attentionEfficiency), which the prefills pin — until a
 * full round changes nothing. Lattice: efficiencies in steps of 0.01, overhead in steps of
 * 1 µs, so the result is exactly representable in the constants.
 */
import { pointModelNs, type ComputeCalibrationPoint } from './compute-calibration.ts';
import { getGpu, type GpuProfile } from './gpu.ts';

/** The four fitted figures. */
export interface OperatorEfficiencies {
  readonly gemmEfficiency: number;
  readonly attentionEfficiency: number;
  readonly memoryEfficiency: number;
  readonly layerOverheadNs: number;
}

/** Largest and summed-square log error of a candidate over the points. */
interface Score {
  readonly worst: number;
  readonly squares: number;
}

/**
 * A point's GPU with the candidate figures: all four on the fitted GPU; on another GPU the
 * GEMM, memory and overhead figures (shared by assumption, docs/compute.md) but its own
 * attention efficiency.
 */
function candidateGpu(
  fitted: string,
  p: ComputeCalibrationPoint,
  e: OperatorEfficiencies,
): GpuProfile {
  const own = getGpu(p.gpuId);
  return p.gpuId === fitted
    ? { ...own, ...e }
    : { ...own, ...e, attentionEfficiency: own.attentionEfficiency };
}

function score(
  gpuId: string,
  e: OperatorEfficiencies,
  points: readonly ComputeCalibrationPoint[],
): Score {
  let worst = 0;
  let squares = 0;
  for (const p of points) {
    const err = Math.log(pointModelNs(p, candidateGpu(gpuId, p, e)) / p.publishedNs);
    worst = Math.max(worst, Math.abs(err));
    squares += err * err;
  }
  return { worst, squares };
}

const better = (a: Score, b: Score): boolean =>
  a.worst < b.worst - 1e-12 || (Math.abs(a.worst - b.worst) <= 1e-12 && a.squares < b.squares);

/** Integer lattice steps lo…hi (inclusive) mapped by `scale`. */
function lattice(lo: number, hi: number, scale: number): number[] {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i * scale);
  return out;
}

const percent = (lo: number, hi: number): number[] => lattice(lo, hi, 1).map((x) => x / 100);
/** Memory efficiency 20–95 %. */
const EFFICIENCY = percent(20, 95);
/** GEMM efficiency 20–80 % *(estimate: Vidur profiles the A100 GEMMs at 63–70 % of peak, docs/references.md §5; 80 % leaves headroom)*. */
const GEMM = percent(20, 80);
/** Attention efficiency 20–73 %: FlashAttention-2's best forward on an A100 is 73 % of peak (docs/references.md §8). */
const ATTENTION = percent(20, 73);
const OVERHEAD_NS = lattice(0, 100, 1000);

/** Best pair in one plane, the other two figures held. */
function scanPlane(
  gpuId: string,
  start: OperatorEfficiencies,
  points: readonly ComputeCalibrationPoint[],
  keys: readonly [keyof OperatorEfficiencies, keyof OperatorEfficiencies],
  values: readonly [readonly number[], readonly number[]],
): OperatorEfficiencies {
  let best = start;
  let bestScore = score(gpuId, start, points);
  for (const a of values[0]) {
    for (const b of values[1]) {
      const e = { ...start, [keys[0]]: a, [keys[1]]: b };
      const s = score(gpuId, e, points);
      if (better(s, bestScore)) {
        best = e;
        bestScore = s;
      }
    }
  }
  return best;
}

/**
 * Fits the four per-operator figures of `gpu` on `points` (see the file header).
 * @param gpu - the GPU's datasheet figures (its efficiencies are the starting point).
 * @returns the fitted figures on the lattice.
 */
export function fitOperatorEfficiencies(
  gpuId: string,
  points: readonly ComputeCalibrationPoint[],
): OperatorEfficiencies {
  let e: OperatorEfficiencies = {
    gemmEfficiency: 0.6,
    attentionEfficiency: 0.6,
    memoryEfficiency: 0.7,
    layerOverheadNs: 10_000,
  };
  for (let round = 0; round < 20; round++) {
    const before = e;
    e = scanPlane(
      gpuId,
      e,
      points,
      ['memoryEfficiency', 'layerOverheadNs'],
      [EFFICIENCY, OVERHEAD_NS],
    );
    e = scanPlane(gpuId, e, points, ['gemmEfficiency', 'attentionEfficiency'], [GEMM, ATTENTION]);
    if (
      e.gemmEfficiency === before.gemmEfficiency &&
      e.attentionEfficiency === before.attentionEfficiency &&
      e.memoryEfficiency === before.memoryEfficiency &&
      e.layerOverheadNs === before.layerOverheadNs
    )
      break;
  }
  return e;
}
