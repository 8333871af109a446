/**
 * The what-if table: one column per fabric, one row per measure, the best value of each
 * comparable row marked with ★ (so the winner reads without colour). Pure: the CLI prints.
 */
import type { WhatIfColumn } from '../sim/whatif.ts';
import {
  bytes,
  bytesPerNs,
  formatBandwidth,
  formatMoney,
  formatPercent,
  formatSize,
  formatTime,
  ns,
  usd,
} from '../units/index.ts';
import type { Table } from './table.ts';

/** Whether lower or higher is better for a row, or neither. */
type Better = 'lower' | 'higher' | 'none';

interface Row {
  readonly label: string;
  readonly better: Better;
  /** Raw value for comparison (undefined = not applicable). */
  readonly value: (c: WhatIfColumn, i: number) => number | undefined;
  readonly format: (v: number, c: WhatIfColumn) => string;
}

const t = (x: number): string => formatTime(ns(x));

/** The rows every what-if has, in order (a table of data: one entry per measure). */
const ROWS: readonly Row[] = [
  {
    label: 'hosts / GPUs',
    better: 'none',
    value: (c) => c.metrics.hosts,
    format: (_v, c) => `${c.metrics.hosts} / ${c.metrics.gpus}`,
  },
  {
    label: 'RPC p50, 64 B (cheapest medium)',
    better: 'lower',
    value: (c) => (c.costs.rpc.cheapest.pairs > 0 ? c.costs.rpc.cheapest.p50Ns : undefined),
    format: t,
  },
  {
    label: 'RPC p99, 64 B',
    better: 'lower',
    value: (c) => (c.costs.rpc.cheapest.pairs > 0 ? c.costs.rpc.cheapest.p99Ns : undefined),
    format: t,
  },
  {
    label: 'KV fetch into a GPU, bandwidth',
    better: 'higher',
    value: (c) =>
      c.costs.fetch.reachable ? c.costs.fetch.effectiveBandwidthBytesPerNs : undefined,
    format: (v) => formatBandwidth(bytesPerNs(v)),
  },
  { label: 'TTFT p50', better: 'lower', value: (c) => c.run.ttft.p50, format: t },
  { label: 'TTFT p99', better: 'lower', value: (c) => c.run.ttft.p99, format: t },
  {
    label: 'goodput under the SLOs',
    better: 'higher',
    value: (c) => c.run.goodputPerS,
    format: (v) => `${v.toFixed(2)} /s`,
  },
  {
    label: 'requests meeting the SLOs',
    better: 'higher',
    value: (c) => c.run.sloAttainment,
    format: (v) => formatPercent(v),
  },
  {
    label: 'reuse: exact / partial / full prefill',
    better: 'none',
    value: () => 0,
    format: (_v, c) => {
      const d = c.run.decisions;
      const n = Math.max(1, d.exact + d.partial + d.fullPrefill);
      return `${formatPercent(d.exact / n, 2)} / ${formatPercent(d.partial / n, 2)} / ${formatPercent(d.fullPrefill / n, 2)}`;
    },
  },
  {
    label: 'bytes fetched + written',
    better: 'none',
    value: (c) => c.run.bytesMoved.fetchCxl + c.run.bytesMoved.fetchRdma + c.run.bytesMoved.writes,
    format: (v) => formatSize(bytes(v), { decimal: true }),
  },
  {
    label: 'busiest link utilisation',
    better: 'lower',
    value: (c) => c.run.utilisation.busiestLink.utilisation,
    format: (v) => formatPercent(v),
  },
  {
    label: 'busiest device media utilisation',
    better: 'lower',
    value: (c) =>
      c.run.utilisation.busiestDevice.id === ''
        ? undefined
        : c.run.utilisation.busiestDevice.utilisation,
    format: (v) => formatPercent(v),
  },
  {
    label: 'pooled memory per host',
    better: 'higher',
    value: (c) => c.metrics.reachableMemory.meanBytes,
    format: (v) => formatSize(bytes(v)),
  },
];

/** The rows of the what-if, in order; `costPerHostUsd[i]` is column i's fabric cost per host when priced. */
function rows(costPerHostUsd: readonly number[] | undefined): Row[] {
  const list: Row[] = [...ROWS];
  if (costPerHostUsd !== undefined)
    list.push({
      label: 'fabric cost per host',
      better: 'lower',
      value: (_c, i) => costPerHostUsd[i],
      format: (v) => formatMoney(usd(v)),
    });
  return list;
}

/**
 * The what-if as a table; the best value of each comparable row carries ★.
 * @param costPerHostUsd fabric cost per host of each column (from the cost layer), when priced
 */
export function whatIfTable(
  columns: readonly WhatIfColumn[],
  scenario: string,
  costPerHostUsd?: readonly number[],
): Table {
  const out: string[][] = [];
  for (const r of rows(costPerHostUsd)) {
    const values = columns.map((c, i) => r.value(c, i));
    const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const best =
      r.better === 'none' || defined.length < 2
        ? undefined
        : r.better === 'lower'
          ? Math.min(...defined)
          : Math.max(...defined);
    // Values within 0.1 % of the best tie with it; a row where every value ties has no winner.
    const ties = (v: number): boolean =>
      best !== undefined && Math.abs(v - best) <= 1e-3 * Math.max(Math.abs(best), Number.MIN_VALUE);
    const distinct = defined.some((v) => !ties(v));
    out.push([
      r.label,
      ...columns.map((c, i) => {
        const v = values[i];
        if (v === undefined || !Number.isFinite(v)) return '–';
        const text = r.format(v, c);
        return distinct && ties(v) ? `${text} ★` : text;
      }),
    ]);
  }
  const losses = columns.filter((c) => c.reachLoss !== undefined);
  if (losses.length > 0) {
    out.push(
      [
        'hosts losing pooled memory (failures)',
        ...columns.map((c) =>
          c.reachLoss === undefined
            ? '–'
            : `${c.reachLoss.hostsAffected} hosts, ${formatSize(bytes(c.reachLoss.lostBytesTotal))}`,
        ),
      ],
      [
        'cached objects lost (failing at the end of an intact run)',
        ...columns.map((c) =>
          c.reachLoss === undefined
            ? '–'
            : `${c.reachLoss.objectsLost.toLocaleString('en-US')} objects, ${formatSize(bytes(c.reachLoss.bytesLost), { decimal: true })}`,
        ),
      ],
    );
  }
  return {
    title: `What-if: ${scenario} on ${columns.map((c) => c.label).join(', ')} (★ = best in row)`,
    columns: [
      { header: 'measure' },
      ...columns.map((c) => ({ header: c.label, align: 'right' as const })),
    ],
    rows: out,
  };
}
