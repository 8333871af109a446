/**
 * The what-if table: one column per fabric, one row per measure, the best value of each
 * comparable row marked with ★ (so the winner reads without colour). RPC rows are split by
 * locality under the traffic matrix the title names (docs/rpc.md). Pure: the CLI prints.
 */
import type { WhatIfColumn } from '../sim/whatif.ts';
import {
  bytes,
  bytesPerNs,
  formatBandwidth,
  formatMoney,
  formatSize,
  formatTime,
  ns,
  usd,
} from '../units/index.ts';
import type { Table } from './table.ts';
import {
  boundShort,
  busyPercent,
  percentDown,
  formatRate,
  reuseGainText,
  sustainableText,
} from './whatif-load.ts';

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
    label: 'hosts / GPUs (serving)',
    better: 'none',
    value: (c) => c.metrics.hosts,
    format: (_v, c) =>
      `${c.metrics.hosts} / ${c.metrics.gpus} (${c.run.utilisation.servingGpus} serving)`,
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
    // truncated, never rounded up: 0.9995 is 99.95 %, not 100 %
    format: (v) => percentDown(v),
  },
  {
    label: 'reuse: exact / partial / full prefill',
    better: 'none',
    value: () => 0,
    format: (_v, c) => {
      const d = c.run.decisions;
      const n = Math.max(1, d.exact + d.partial + d.fullPrefill);
      return `${busyPercent(d.exact / n, 2)} / ${busyPercent(d.partial / n, 2)} / ${busyPercent(d.fullPrefill / n, 2)}`;
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
    format: (v) => busyPercent(v),
  },
  {
    label: 'busiest device media utilisation',
    better: 'lower',
    value: (c) =>
      c.run.utilisation.busiestDevice.id === ''
        ? undefined
        : c.run.utilisation.busiestDevice.utilisation,
    format: (v) => busyPercent(v),
  },
  {
    label: 'GPU busy: mean / busiest replica',
    better: 'none',
    value: () => 0,
    format: (_v, c) =>
      `${busyPercent(c.bound.gpuMean)} / ${busyPercent(c.bound.gpuBusiest.utilisation)}`,
  },
  {
    label: 'what bounds the run (notes below)',
    better: 'none',
    value: () => 0,
    format: (_v, c) => boundShort(c.bound),
  },
  {
    label: 'pooled memory per host',
    better: 'higher',
    value: (c) => c.metrics.reachableMemory.meanBytes,
    format: (v) => formatSize(bytes(v)),
  },
];

/** A round trip of the locality split, or undefined when no pair of the class carries traffic. */
const rtt = (x: number | null): number | undefined => (x === null ? undefined : x);

/**
 * The RPC rows (docs/rpc.md): hosts sharing a device, relayed pairs and all pairs, each on the
 * cheapest medium and weighted by the traffic matrix, and where the traffic goes — so neither an
 * island pod (fast inside an island, relayed across) nor a switched pool (one cost for every
 * pair) is judged by one average.
 */
function rpcRows(traffic: string): Row[] {
  const all = traffic === 'uniform' ? 'uniform' : traffic.startsWith('file ') ? 'file' : traffic;
  return [
    {
      label: 'RPC p50, 64 B, hosts sharing a device',
      better: 'lower',
      value: (c) => rtt(c.rpcLocality.direct.p50Ns),
      format: t,
    },
    {
      label: 'RPC p50, 64 B, relayed over CXL',
      better: 'lower',
      value: (c) => rtt(c.rpcLocality.relayed.p50Ns),
      format: t,
    },
    {
      label: `RPC p50, 64 B, all pairs, ${all} traffic`,
      better: 'lower',
      value: (c) => rtt(c.rpcLocality.all.p50Ns),
      format: t,
    },
    {
      label: `RPC p99, 64 B, all pairs, ${all} traffic`,
      better: 'lower',
      value: (c) => rtt(c.rpcLocality.all.p99Ns),
      format: t,
    },
    {
      label: 'RPC traffic: sharing / relayed / RDMA',
      better: 'none',
      value: () => 0,
      format: (_v, c) => {
        const l = c.rpcLocality;
        const p = (x: number): string => busyPercent(x, 2);
        return `${p(l.direct.trafficShare)} / ${p(l.relayed.trafficShare)} / ${p(l.rdmaOnly.trafficShare)}`;
      },
    },
  ];
}

/** The rows of the what-if, in order; `costPerHostUsd[i]` is column i's fabric cost per host when priced. */
function rows(
  columns: readonly WhatIfColumn[],
  costPerHostUsd: readonly number[] | undefined,
  traffic: string,
): Row[] {
  const [hosts, ...rest] = ROWS;
  const list: Row[] = [...(hosts === undefined ? [] : [hosts]), ...rpcRows(traffic), ...rest];
  if (columns.some((c) => c.reuseGain !== undefined))
    list.push({
      label: `reuse gain: goodput ÷ full prefill's${columns[0]?.reuseGain?.ratePerS == null ? '' : ` at ${formatRate(columns[0].reuseGain.ratePerS)}`}`,
      better: 'none',
      value: () => 0,
      format: (_v, c) => reuseGainText(c),
    });
  if (columns.some((c) => c.reuseGain?.sustainable !== undefined))
    list.push({
      label: 'reuse gain: highest rate meeting the SLOs',
      better: 'none',
      value: () => 0,
      format: (_v, c) => sustainableText(c),
    });
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
  const traffic = columns[0]?.rpcLocality.traffic ?? 'uniform';
  for (const r of rows(columns, costPerHostUsd, traffic)) {
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
    title: `What-if: ${scenario} on ${columns.map((c) => c.label).join(', ')} (★ = best in row; RPC traffic: ${traffic})`,
    columns: [
      { header: 'measure' },
      ...columns.map((c) => ({ header: c.label, align: 'right' as const })),
    ],
    rows: out,
  };
}
