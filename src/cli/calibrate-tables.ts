/**
 * The compute half of `podsim calibrate` (docs/compute.md "Calibration points"): each published
 * or profiled compute figure beside the compute model's value, as a table for terminals and
 * Markdown (times formatted), and as a CSV table of raw numbers in base units with the unit in
 * the column name. The rows come from `src/kv/compute-calibration.ts`, the same rows the tests
 * hold to ±15 %.
 */
import type { ComputeCalibrationRow } from '../kv/compute-calibration.ts';
import { COMPUTE_CALIBRATION_TOLERANCE } from '../kv/compute-calibration.ts';
import type { Table } from '../report/table.ts';
import { formatNumber, formatTime, ns } from '../units/index.ts';

const band = `±${Math.round(COMPUTE_CALIBRATION_TOLERANCE * 100)} %`;

/** The compute rows for people: formatted times, the ratio and the verdict. */
export function computeCalibrationTable(rows: readonly ComputeCalibrationRow[]): Table {
  return {
    title: `Compute model beside published figures (prefill and decode times; within ${band}; fitted = used to fit the A100's efficiencies, docs/compute.md)`,
    columns: [
      { header: 'quantity' },
      { header: 'published', align: 'right' },
      { header: 'source' },
      { header: 'model', align: 'right' },
      { header: 'ratio', align: 'right' },
      { header: 'verdict' },
    ],
    rows: rows.map((r) => [
      r.quantity,
      formatTime(ns(r.publishedNs)),
      r.source,
      formatTime(ns(r.modelNs)),
      `${formatNumber(r.ratio, 3)}×`,
      `${r.within ? 'within' : 'OUTSIDE'} ${band}${r.fitted ? ' (fitted)' : ' (check)'}${r.note === undefined ? '' : `; ${r.note}`}`,
    ]),
  };
}

/** The compute rows for scripts: raw numbers, units in the column names. */
export function computeCalibrationCsvTable(rows: readonly ComputeCalibrationRow[]): Table {
  return {
    columns: [
      { header: 'id' },
      { header: 'quantity' },
      { header: 'gpu' },
      { header: 'source' },
      { header: 'published_ns' },
      { header: 'model_ns' },
      { header: 'ratio' },
      { header: 'within_15_percent' },
      { header: 'fitted' },
    ],
    rows: rows.map((r) => [
      r.id,
      r.quantity,
      r.gpu,
      r.source,
      String(r.publishedNs),
      String(r.modelNs),
      String(r.ratio),
      String(r.within),
      String(r.fitted),
    ]),
  };
}
