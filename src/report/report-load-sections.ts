/**
 * The what-if report's sections on bounds and load (docs/whatif.md): what bounds each column,
 * and — with a load axis — one load–latency section per fabric (TTFT p99 vs offered rate with
 * the knee, chart in src/report/svg-load.ts). Listed by src/report/report-sections.ts.
 */
import type { WhatIfColumn } from '../sim/whatif.ts';
import { formatTime, ns } from '../units/index.ts';
import { loadLatencySvg } from './svg-load.ts';
import type { Table } from './table.ts';
import {
  boundNotes,
  boundShort,
  busyPercent,
  formatRate,
  percentDown,
  reuseGainText,
  sustainableText,
} from './whatif-load.ts';

/** A report section (the shape of `Section` in ./report-sections.ts, which lists these; declared here so the two files do not import each other). */
export interface Section {
  readonly heading: string;
  readonly intro: string;
  readonly table: Table;
  readonly chart?: (id: string) => string;
}

const busy = (r: { id: string; utilisation: number } | null): string =>
  r === null ? 'idle' : `${busyPercent(r.utilisation)} (${r.id})`;

/** What bounds each column: the verdict and every class's busiest resource, plus the reuse gain. */
export function boundSection(columns: readonly WhatIfColumn[]): Section {
  // with two or more columns, the line after the heading says why they agree or differ
  const [why] = columns.length > 1 ? boundNotes(columns).slice(1, 2) : [];
  const said = why?.trim() ?? '';
  const agree = said === '' ? '' : ` ${said[0]?.toUpperCase() ?? ''}${said.slice(1)}`;
  return {
    heading: 'What bounds each column',
    intro: `A resource busy at least ${percentDown(columns[0]?.bound.thresholdShare ?? 0.8, 0)} of the run bounds the column (GPU compute by the busiest replica; links and device media by the busiest of the run's top resources); the reuse gain compares the scenario's policy with full prefill on the same fabric and seed.${agree}`,
    table: {
      columns: [
        { header: 'topology' },
        { header: 'bound' },
        { header: 'GPUs busy (mean)', align: 'right' },
        { header: 'GPU link' },
        { header: 'fabric link' },
        { header: 'device media' },
        { header: 'KV fetch capped by GPU link' },
        { header: 'reuse gain (goodput)' },
        { header: 'reuse gain (highest rate)' },
      ],
      rows: columns.map((c) => [
        c.label,
        boundShort(c.bound),
        busyPercent(c.bound.gpuMean),
        busy(c.bound.gpuLink),
        busy(c.bound.fabricLink),
        busy(c.bound.deviceMedia),
        c.bound.fetchCappedByGpuLink ? 'yes' : 'no',
        reuseGainText(c),
        sustainableText(c),
      ]),
    },
  };
}

/** One load–latency section per column that has load curves. */
export function loadSections(columns: readonly WhatIfColumn[]): Section[] {
  return columns
    .filter((c) => (c.loadCurves?.length ?? 0) > 0)
    .map((c) => {
      const curves = c.loadCurves ?? [];
      const target = curves[0]?.targetShare ?? 0.99;
      return {
        heading: `Load: TTFT p99 vs offered rate on ${c.label}`,
        intro: `Each point is one seeded run at that Poisson rate. The knee is the highest rate such that it and every lower rate meet both SLOs for at least ${percentDown(target, 0)} of requests.`,
        table: {
          columns: [
            { header: 'policy' },
            { header: 'offered', align: 'right' },
            { header: 'goodput', align: 'right' },
            { header: 'TTFT p99', align: 'right' },
            { header: 'SLOs met', align: 'right' },
            { header: 'knee' },
          ],
          rows: curves.flatMap((k) =>
            k.points.map((p) => [
              k.policy,
              formatRate(p.ratePerS),
              `${p.goodputPerS.toFixed(2)} /s`,
              formatTime(ns(p.ttftP99Ns)),
              percentDown(p.sloAttainment),
              p.ratePerS === k.kneeRatePerS ? '◀ knee' : '',
            ]),
          ),
        },
        chart: (id: string) => loadLatencySvg(c.label, curves, { id }),
      };
    });
}
