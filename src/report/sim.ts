/**
 * Renderers for serving-simulation results (`podsim run`): one table of what operators look at —
 * throughput, goodput under the SLOs, TTFT and end-to-end percentiles, the reuse decision mix,
 * bytes moved, the busiest link and device, the pool — and per-request records as CSV.
 */
import type { RequestRecord, SimResult } from '../sim/types.ts';
import type { ReachLoss } from '../sim/whatif.ts';
import { bytes, formatNumber, formatPercent, formatSize, formatTime, ns } from '../units/index.ts';
import type { Table } from './table.ts';

const t = (x: number): string => formatTime(ns(x));

/** The run summary as a two-column table. */
export function runTable(r: SimResult): Table {
  const d = r.decisions;
  const total = Math.max(1, d.fullPrefill + d.exact + d.partial);
  const strategies = Object.entries(d.byStrategy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    title: `${r.scenario} on ${r.topology}, policy ${r.policy}, seed ${r.seed}: ${r.requests.completed.toLocaleString('en-US')} requests over ${t(r.simulatedNs)} simulated`,
    columns: [{ header: 'measure' }, { header: 'value' }],
    rows: [
      ['throughput', `${formatNumber(r.throughputPerS)} requests/s`],
      [
        'goodput (both SLOs met, per second of the arrival window)',
        `${formatNumber(r.goodputPerS)} requests/s (${formatPercent(r.sloAttainment)} of requests; window ${t(r.arrivalWindowNs)})`,
      ],
      [
        'TTFT p50 / p90 / p99 / max',
        `${t(r.ttft.p50)} / ${t(r.ttft.p90)} / ${t(r.ttft.p99)} / ${t(r.ttft.max)}`,
      ],
      [
        'end-to-end p50 / p90 / p99 / max',
        `${t(r.e2e.p50)} / ${t(r.e2e.p90)} / ${t(r.e2e.p99)} / ${t(r.e2e.max)}`,
      ],
      [
        'decisions: full prefill / exact / partial',
        `${formatPercent(d.fullPrefill / total)} / ${formatPercent(d.exact / total)} / ${formatPercent(d.partial / total)}`,
      ],
      [
        'partial reuse: strategies, mean layers recomputed',
        d.partial === 0 ? '–' : `${strategies}; ${formatNumber(d.meanRecomputedLayers)} layers`,
      ],
      ['mean expected quality loss', formatPercent(r.meanQualityLoss)],
      [
        'bytes fetched over CXL (relayed) / RDMA, written to the pool',
        `${formatSize(bytes(r.bytesMoved.fetchCxl), { decimal: true })} (${formatSize(bytes(r.bytesMoved.fetchRelayed), { decimal: true })}) / ${formatSize(bytes(r.bytesMoved.fetchRdma), { decimal: true })}, ${formatSize(bytes(r.bytesMoved.writes), { decimal: true })}`,
      ],
      [
        'busiest link',
        r.utilisation.busiestLink.id === ''
          ? '–'
          : `${r.utilisation.busiestLink.id} ${formatPercent(r.utilisation.busiestLink.utilisation)}`,
      ],
      [
        'busiest device media',
        r.utilisation.busiestDevice.id === ''
          ? '–'
          : `${r.utilisation.busiestDevice.id} ${formatPercent(r.utilisation.busiestDevice.utilisation)}`,
      ],
      ['mean CXL link utilisation', formatPercent(r.utilisation.meanCxlLink)],
      ...memoryRows(r),
      [
        'pool: objects, occupancy',
        `${r.pool.objects.toLocaleString('en-US')}, ${formatPercent(r.pool.occupancy)}`,
      ],
      [
        'pool: hits exact / cross-variant / miss',
        `${r.pool.hits.exact} / ${r.pool.hits.crossVariant} / ${r.pool.hits.miss}`,
      ],
      ['pool: evictions, rejected', `${r.pool.evictions}, ${r.pool.rejected}`],
      [
        'requests arrived / completed / in flight',
        `${r.requests.arrived} / ${r.requests.completed} / ${r.requests.inFlight}`,
      ],
      [
        "Little's law: mean in system vs λ × mean time",
        `${formatNumber(r.littlesLaw.meanInSystem)} vs ${formatNumber(r.littlesLaw.arrivalRateTimesMeanTime)}`,
      ],
      ['events', r.events.toLocaleString('en-US')],
    ],
  };
}

/** The run table's rows on GPU time and KV memory: busy share, HBM blocks, cache writes, the local prefix cache. */
function memoryRows(r: SimResult): string[][] {
  return [
    [
      'GPU busy: mean / busiest replica',
      `${formatPercent(r.utilisation.gpu.mean)} / ${formatPercent(r.utilisation.gpu.busiest.utilisation)}`,
    ],
    [
      `KV memory (HBM): peak share, preemptions (${r.hbm.preemptionMode}), admission waits`,
      `${formatPercent(r.hbm.peakShare)}, ${r.hbm.preemptions.toLocaleString('en-US')}, ${r.hbm.admissionWaits.toLocaleString('en-US')}`,
    ],
    ['pool: full prefills store their cache', r.pool.storeOnFullPrefill ? 'yes' : 'no'],
    [
      'local prefix cache in HBM: hits, evictions',
      r.hbm.localPrefix.enabled
        ? `${r.hbm.localPrefix.hits.toLocaleString('en-US')}, ${r.hbm.localPrefix.evictions.toLocaleString('en-US')}`
        : 'off (serving.prefixCache)',
    ],
  ];
}

/** What the failed elements cost the pool (`run --fail`). */
export function failureTable(loss: ReachLoss, failed: string): Table {
  return {
    title: `Failure impact of ${failed}`,
    columns: [{ header: 'measure' }, { header: 'value' }],
    rows: [
      [
        'hosts losing pooled memory',
        `${loss.hostsAffected} (${formatSize(bytes(loss.lostBytesTotal))} in all)`,
      ],
      [
        'most affected hosts',
        loss.worst.map((w) => `${w.host} ${formatSize(bytes(w.lostBytes))}`).join(', ') || '–',
      ],
      [
        'cached objects destroyed (failing at the end of an intact run)',
        `${loss.objectsLost.toLocaleString('en-US')} objects, ${formatSize(bytes(loss.bytesLost), { decimal: true })}`,
      ],
    ],
  };
}

/** Column order of per-request CSV records. */
export const RECORD_COLUMNS: readonly (keyof RequestRecord)[] = [
  'id',
  'variant',
  'context',
  'contextTokens',
  'replica',
  'host',
  'arrivalNs',
  'ttftNs',
  'e2eNs',
  'decision',
  'strategy',
  'source',
  'recomputedLayers',
  'fetchBytes',
  'qualityLoss',
  'metSlo',
];

/** One record as a CSV line (no quoting needed: ids are plain tokens; strings with commas are quoted). */
export function recordCsvLine(r: RequestRecord): string {
  return RECORD_COLUMNS.map((k) => {
    const v = r[k];
    const s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');
}
