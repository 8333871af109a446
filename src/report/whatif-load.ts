/**
 * The what-if's load axis and verdicts in words and tables (docs/whatif.md): what bounds each
 * column, the reuse gain over full prefill, goodput and TTFT vs offered rate with the knee, the
 * highest rate meeting the SLOs, and the raw-number CSV forms (base units, the unit in the
 * column name). Pure: the CLI prints.
 */
import {
  SLO_TARGET_SHARE,
  type BoundVerdict,
  type LoadCurve,
  type WhatIfColumn,
} from '../sim/whatif.ts';
import { bytesPerNs, formatBandwidth, formatTime, ns } from '../units/index.ts';
import type { Table } from './table.ts';

/**
 * A fraction as a percentage truncated (never rounded up) to `decimals` places, so a share just
 * under a threshold never prints as the threshold: 0.9995 → "99.95 %", 0.99999 → "99.99 %"; only
 * 1 prints as "100 %".
 */
export function percentDown(fraction: number, decimals = 2): string {
  if (fraction >= 1) return '100 %';
  const scale = 10 ** decimals;
  // the 1e-9 absorbs binary rounding (0.29 × 100 = 28.999…) without ever crossing a decimal
  const v = Math.floor(Math.max(0, fraction) * 100 * scale + 1e-9) / scale;
  return `${v.toFixed(decimals)} %`;
}

/**
 * A fraction as a percentage truncated to `digits` significant digits ("95.6 %", "5.71 %"; with
 * 2 digits "66 %", "8.3 %"); 0 is "0 %" and only 1 is "100 %".
 */
export function busyPercent(fraction: number, digits = 3): string {
  const v = fraction * 100;
  if (!(v > 0)) return '0 %';
  return percentDown(fraction, Math.max(0, digits - 1 - Math.floor(Math.log10(v))));
}

/** A rate in requests per second, to 4 significant digits without trailing zeros. */
export function formatRate(ratePerS: number): string {
  return `${Number(ratePerS.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 3 })} /s`;
}

/** The bound in a few words, for the table row. */
export function boundShort(b: BoundVerdict): string {
  switch (b.kind) {
    case 'gpu-compute':
      return `GPU compute (${busyPercent(b.gpuBusiest.utilisation)})`;
    case 'gpu-link':
      return `GPU's own link (${busyPercent(b.gpuLink?.utilisation ?? 0)})`;
    case 'fabric-link':
      return `fabric link (${busyPercent(b.fabricLink?.utilisation ?? 0)})`;
    case 'device-media':
      return `device media (${busyPercent(b.deviceMedia?.utilisation ?? 0)})`;
    case 'none':
      return 'nothing saturated';
  }
}

const busy = (r: { id: string; utilisation: number } | null): string =>
  r === null ? 'idle' : `${busyPercent(r.utilisation)} (${r.id})`;

/** The SLO attainment a run should reach, as on the load axis (docs/whatif.md "The knee"). */
const DEFAULT_TARGET_SHARE = SLO_TARGET_SHARE;

/**
 * One column's verdict in a sentence: the bound, the fetch cap, then every class's busiest. When
 * nothing is saturated yet the run misses the SLOs for more than 1 − `targetShare` of its
 * requests, it says the misses come from long requests and the queueing behind them.
 */
export function boundLine(c: WhatIfColumn, targetShare = DEFAULT_TARGET_SHARE): string {
  const b = c.bound;
  const misses =
    c.run.sloAttainment < targetShare
      ? `, yet only ${percentDown(c.run.sloAttainment)} of requests meet the SLOs: the misses come from long requests and the queueing behind them, not a saturated resource`
      : '';
  const head =
    b.kind === 'none'
      ? `nothing near saturation (no resource ≥ ${percentDown(b.thresholdShare, 0)} busy)${misses}`
      : `${boundShort(b)} bounds`;
  const fetch = b.fetchCappedByGpuLink
    ? `KV fetches capped by the GPU's own link (${formatBandwidth(bytesPerNs(b.gpuLinkBytesPerNs))})`
    : c.costs.fetch.reachable
      ? `KV fetches reach ${formatBandwidth(bytesPerNs(c.costs.fetch.effectiveBandwidthBytesPerNs))}, below the GPU's own link (${formatBandwidth(bytesPerNs(b.gpuLinkBytesPerNs))}): the fabric caps them`
      : 'no KV fetch path from the pool';
  return `${c.label}: ${head}; ${fetch}; GPUs ${busyPercent(b.gpuMean)} busy on average (busiest ${busyPercent(b.gpuBusiest.utilisation)}), GPU link ${busy(b.gpuLink)}, fabric link ${busy(b.fabricLink)}, device media ${busy(b.deviceMedia)}`;
}

/** Whether two numbers agree within 0.1 % (the table's tie rule). */
const same = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-3 * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);

/** Why columns with the same TTFT, goodput, bound and fetch cap agree, in one sentence. */
function agreement(columns: readonly WhatIfColumn[], first: WhatIfColumn): string {
  const b = first.bound;
  const who = columns.length === 2 ? 'both' : `all ${columns.length}`;
  const bound = b.kind === 'none' ? 'nothing is saturated' : `${boundShort(b)} bounds every one`;
  const fetch = b.fetchCappedByGpuLink
    ? ` and every KV fetch rides the GPU's own link (${formatBandwidth(bytesPerNs(b.gpuLinkBytesPerNs))}), which no fabric changes`
    : '';
  const links = Math.max(...columns.map((c) => c.bound.fabricLink?.utilisation ?? 0));
  return `${who} columns agree because ${bound}${fetch}; the busiest fabric link is ${busyPercent(links)} busy.`;
}

/**
 * The lines printed under the what-if table: why the columns agree (when TTFT p99, goodput, bound
 * and fetch cap agree on every column) or what differs between them, then one verdict per column.
 * @param targetShare SLO attainment below which an unsaturated column's misses are explained
 */
export function boundNotes(
  columns: readonly WhatIfColumn[],
  targetShare = DEFAULT_TARGET_SHARE,
): string[] {
  const lines = [
    `What bounds each column (a resource ≥ ${percentDown(columns[0]?.bound.thresholdShare ?? 0.8, 0)} busy over the run saturates; docs/whatif.md):`,
  ];
  const [first] = columns;
  if (first !== undefined && columns.length > 1) {
    const agree = columns.every(
      (c) =>
        same(c.run.ttft.p99, first.run.ttft.p99) &&
        same(c.run.goodputPerS, first.run.goodputPerS) &&
        c.bound.kind === first.bound.kind &&
        c.bound.fetchCappedByGpuLink === first.bound.fetchCappedByGpuLink,
    );
    lines.push(`  ${agree ? agreement(columns, first) : difference(columns)}`);
  }
  for (const c of columns) lines.push(`  ${boundLine(c, targetShare)}`);
  return lines;
}

/** The spread of a measure over the columns as "lo–hi" (or one value when they agree). */
function spreadOf(values: readonly number[], show: (v: number) => string): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return same(lo, hi) ? show(lo) : `${show(lo)}–${show(hi)}`;
}

/**
 * Why columns differ, from the measures that feed TTFT and goodput: the reuse mix (the pools
 * hold different caches), the KV fetch bandwidth, and the bound.
 */
function difference(columns: readonly WhatIfColumn[]): string {
  const exact = columns.map((c) => {
    const d = c.run.decisions;
    return d.exact / Math.max(1, d.exact + d.partial + d.fullPrefill);
  });
  const fetch = columns.map((c) =>
    c.costs.fetch.reachable ? c.costs.fetch.effectiveBandwidthBytesPerNs : 0,
  );
  const kinds = new Set(columns.map((c) => c.bound.kind));
  const reasons: string[] = [];
  // half a percentage point of exact hits is more than run-to-run rounding (estimate)
  if (Math.max(...exact) - Math.min(...exact) > 0.005)
    reasons.push(
      `the reuse mix differs (exact hits ${spreadOf(exact, (v) => busyPercent(v))}): the pools hold different caches (capacity, placement or reach)`,
    );
  if (!same(Math.min(...fetch), Math.max(...fetch)))
    reasons.push(
      `the KV fetch bandwidth differs (${spreadOf(fetch, (v) => formatBandwidth(bytesPerNs(v)))})`,
    );
  if (kinds.size > 1) reasons.push(`the bound differs (${[...kinds].join(', ')})`);
  if (reasons.length === 0)
    reasons.push(
      'no single measure explains it: fetch paths differ in latency and contention (the busiest resources show where)',
    );
  return `the columns differ in TTFT p99 or goodput: ${reasons.join('; ')}.`;
}

/** The goodput gain of a column over full prefill at the scenario's rate, e.g. "×1.63 (23.17 vs 14.18 /s)". */
export function reuseGainText(c: WhatIfColumn): string {
  const g = c.reuseGain;
  if (g === undefined) return '–';
  const ratio = g.goodputRatio === null ? '∞' : `×${g.goodputRatio.toFixed(2)}`;
  return `${ratio} (${g.goodputPerS.toFixed(2)} vs ${g.baselineGoodputPerS.toFixed(2)} /s)`;
}

/** The sustainable-rate gain of a column, e.g. "×3.6 (54 vs 15 /s)", or '–' when not searched. */
export function sustainableText(c: WhatIfColumn): string {
  const s = c.reuseGain?.sustainable;
  if (s === undefined) return '–';
  const ratio = s.ratio === null ? '∞' : `×${s.ratio.toFixed(2)}`;
  return `${ratio} (${formatRate(s.policy.ratePerS)} vs ${formatRate(s.baseline.ratePerS)})`;
}

/** Every load curve of the what-if, in column order. */
const curvesOf = (columns: readonly WhatIfColumn[]): LoadCurve[] =>
  columns.flatMap((c) => c.loadCurves ?? []);

/** Goodput and TTFT vs offered rate, one row per fabric × policy × rate, the knee marked. */
export function loadTable(columns: readonly WhatIfColumn[]): Table {
  const curves = curvesOf(columns);
  const target = curves[0]?.targetShare ?? 0.99;
  return {
    title: `Load: goodput and TTFT p99 vs offered rate (◀ knee = highest rate with it and every lower rate meeting the SLOs for ≥ ${percentDown(target, 0)} of requests)`,
    columns: [
      { header: 'fabric' },
      { header: 'policy' },
      { header: 'offered', align: 'right' },
      { header: 'goodput', align: 'right' },
      { header: 'TTFT p50', align: 'right' },
      { header: 'TTFT p99', align: 'right' },
      { header: 'SLOs met', align: 'right' },
      { header: 'knee' },
    ],
    rows: curves.flatMap((k) =>
      k.points.map((p) => [
        k.label,
        k.policy,
        formatRate(p.ratePerS),
        `${p.goodputPerS.toFixed(2)} /s`,
        formatTime(ns(p.ttftP50Ns)),
        formatTime(ns(p.ttftP99Ns)),
        percentDown(p.sloAttainment),
        p.ratePerS === k.kneeRatePerS ? '◀ knee' : '',
      ]),
    ),
  };
}

/** The load points as CSV-ready raw numbers (base units, unit in the column name). */
export function loadCsvTable(columns: readonly WhatIfColumn[]): Table {
  const headers = [
    'fabric',
    'policy',
    'rate_per_s',
    'goodput_per_s',
    'ttft_p50_ns',
    'ttft_p99_ns',
    'slo_attainment',
    'meets_slo',
    'knee_rate_per_s',
  ];
  return {
    columns: headers.map((header) => ({ header })),
    rows: curvesOf(columns).flatMap((k) =>
      k.points.map((p) => [
        k.label,
        k.policy,
        String(p.ratePerS),
        String(p.goodputPerS),
        String(p.ttftP50Ns),
        String(p.ttftP99Ns),
        String(p.sloAttainment),
        p.meetsSlo ? '1' : '0',
        k.kneeRatePerS === null ? '' : String(k.kneeRatePerS),
      ]),
    ),
  };
}

/** The highest rate meeting the SLOs per fabric × policy (from the reuse gain's searches). */
export function maxRateTable(columns: readonly WhatIfColumn[]): Table {
  const rows: string[][] = [];
  let tolerance = 0;
  for (const c of columns) {
    const s = c.reuseGain?.sustainable;
    if (s === undefined || c.reuseGain === undefined) continue;
    tolerance = s.policy.relTolerance;
    const pairs = [
      [c.reuseGain.policy, s.policy],
      [c.reuseGain.baselinePolicy, s.baseline],
    ] as const;
    // a full-prefill scenario is its own baseline: one row
    for (const [policy, r] of s.policy === s.baseline ? pairs.slice(0, 1) : pairs)
      rows.push([
        c.label,
        policy,
        formatRate(r.ratePerS),
        r.failsAtPerS === null ? '–' : formatRate(r.failsAtPerS),
        String(r.points.length),
        r === s.policy ? sustainableText(c) : '',
      ]);
  }
  return {
    title: `Highest rate meeting the SLOs (bracket by doubling/halving, then bisection to ${percentDown(tolerance, 0)} of the rate; each point one seeded run)`,
    columns: [
      { header: 'fabric' },
      { header: 'policy' },
      { header: 'meets SLOs at', align: 'right' },
      { header: 'misses at', align: 'right' },
      { header: 'runs', align: 'right' },
      { header: 'reuse gain' },
    ],
    rows,
  };
}

/** One raw-number CSV row per column (base units, unit in the column name; empty = not measured). */
export function whatIfCsvTable(
  columns: readonly WhatIfColumn[],
  costPerHostUsd: readonly number[],
): Table {
  const headers = [
    'fabric',
    'ttft_p50_ns',
    'ttft_p99_ns',
    'goodput_per_s',
    'slo_attainment',
    'exact_share',
    'partial_share',
    'full_prefill_share',
    'bytes_moved',
    'busiest_link_utilisation',
    'busiest_device_utilisation',
    'gpu_busy_mean',
    'gpu_busy_max',
    'bound',
    'fetch_capped_by_gpu_link',
    'reuse_goodput_ratio',
    'max_rate_per_s',
    'baseline_max_rate_per_s',
    'fabric_cost_per_host_usd',
  ];
  const num = (v: number | null | undefined): string =>
    v === null || v === undefined ? '' : String(v);
  return {
    columns: headers.map((header) => ({ header })),
    rows: columns.map((c, i) => {
      const r = c.run;
      const d = r.decisions;
      const n = Math.max(1, d.exact + d.partial + d.fullPrefill);
      const m = r.bytesMoved;
      return [
        c.label,
        num(r.ttft.p50),
        num(r.ttft.p99),
        num(r.goodputPerS),
        num(r.sloAttainment),
        num(d.exact / n),
        num(d.partial / n),
        num(d.fullPrefill / n),
        num(m.fetchCxl + m.fetchRdma + m.writes),
        num(r.utilisation.busiestLink.utilisation),
        num(r.utilisation.busiestDevice.utilisation),
        num(c.bound.gpuMean),
        num(c.bound.gpuBusiest.utilisation),
        c.bound.kind,
        c.bound.fetchCappedByGpuLink ? '1' : '0',
        num(c.reuseGain?.goodputRatio),
        num(c.reuseGain?.sustainable?.policy.ratePerS),
        num(c.reuseGain?.sustainable?.baseline.ratePerS),
        num(costPerHostUsd[i]),
      ];
    }),
  };
}
