/**
 * Pure renderers for the cost engine's answers: RPC options with a per-component breakdown,
 * the all-pairs RPC summary, fetch stripes, flow results and the calibration report. They
 * return tables (text/Markdown/CSV via `table.ts`); the CLI prints.
 */
import type { Calibration } from '../fabric/calibrate.ts';
import type { FetchResult } from '../fabric/fetch.ts';
import type { FlowResult } from '../fabric/flows.ts';
import { RPC_MEDIA, type RpcResult, type RpcSummary } from '../fabric/rpc.ts';
import {
  bytes,
  bytesPerNs,
  formatBandwidth,
  formatLength,
  formatNumber,
  formatSize,
  formatTime,
  metres,
  ns,
} from '../units/index.ts';
import type { FabricSummary } from '../fabric/summary.ts';
import type { RawCell, Table } from './table.ts';

const t = (x: number): string => formatTime(ns(x));
const bw = (x: number): string => (Number.isFinite(x) ? formatBandwidth(bytesPerNs(x)) : '∞');

/** What each RPC medium means, for table footers and `--help`. */
export const MEDIUM_LABEL: Readonly<Record<string, string>> = {
  'cxl-mhd': 'shared MHD (Octopus)',
  'cxl-switch': 'shared device behind CXL switches',
  'cxl-relay': 'relayed through hosts over shared devices',
  rdma: 'RDMA over NICs and ToR/spine',
};

/** The options of one RPC (cheapest first) and the breakdown of the cheapest one's request. */
export function rpcTables(r: RpcResult): Table[] {
  if (!r.reachable || r.best === undefined) {
    return [
      {
        title: `RPC ${r.from} ↔ ${r.to}: unreachable (no shared device, relay chain or network route)`,
        columns: [{ header: 'medium' }],
        rows: [],
      },
    ];
  }
  const options: Table = {
    title: `RPC ${r.from} ↔ ${r.to}, ${formatSize(r.payloadBytes)} each way (round trip = request + response)`,
    columns: [
      { header: 'medium' },
      { header: 'round trip', align: 'right' },
      { header: 'request', align: 'right' },
      { header: 'response', align: 'right' },
      { header: 'vs best', align: 'right' },
      { header: 'request path' },
    ],
    rows: r.options.map((o) => [
      o.medium,
      t(o.roundTripNs),
      t(o.request.ns),
      t(o.response.ns),
      `${formatNumber(o.roundTripNs / r.best!.roundTripNs)}×`,
      o.request.path.join(' → '),
    ]),
    raw: {
      headers: ['medium', 'round_trip_ns', 'request_ns', 'response_ns', 'vs_best', 'request_path'],
      rows: r.options.map((o) => [
        o.medium,
        o.roundTripNs,
        o.request.ns,
        o.response.ns,
        o.roundTripNs / r.best!.roundTripNs,
        o.request.path.join(' > '),
      ]),
    },
  };
  const breakdown: Table = {
    title: `Request breakdown, ${r.best.medium} (${MEDIUM_LABEL[r.best.medium] ?? ''})`,
    columns: [{ header: 'component' }, { header: 'time', align: 'right' }],
    rows: [
      ...r.best.request.breakdown.map((c) => [c.component, t(c.ns)]),
      ['total', t(r.best.request.ns)],
    ],
    raw: {
      headers: ['component', 'time_ns'],
      rows: [
        ...r.best.request.breakdown.map((c) => [c.component, c.ns]),
        ['total', r.best.request.ns],
      ],
    },
  };
  return [options, breakdown];
}

/** All-pairs summary: one row per medium, plus the cheapest per pair. */
export function rpcSummaryTable(s: RpcSummary, topology: string): Table {
  const row = (
    label: string,
    st: RpcSummary['cheapest'] | undefined,
    wins: number | undefined,
  ): string[] =>
    st === undefined
      ? [label, '0', '–', '–', '–', '–', '–']
      : [
          label,
          st.pairs.toLocaleString('en-US'),
          t(st.minNs),
          t(st.p50Ns),
          t(st.p99Ns),
          t(st.maxNs),
          wins === undefined ? '' : wins.toLocaleString('en-US'),
        ];
  return {
    title: `RPC round trips, all ${s.hostPairs.toLocaleString('en-US')} host pairs of ${topology}, ${formatSize(s.payloadBytes)} each way`,
    columns: [
      { header: 'medium' },
      { header: 'pairs', align: 'right' },
      { header: 'min', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'cheapest for', align: 'right' },
    ],
    rows: [
      ...RPC_MEDIA.filter((m) => s.perMedium[m] !== undefined).map((m) =>
        row(m, s.perMedium[m], s.cheapestBy[m] ?? 0),
      ),
      row('cheapest', s.cheapest.pairs > 0 ? s.cheapest : undefined, undefined),
      ...(s.unreachablePairs > 0
        ? [['unreachable', s.unreachablePairs.toLocaleString('en-US'), '', '', '', '', '']]
        : []),
    ],
    raw: rpcSummaryRaw(s),
  };
}

/** {@link rpcSummaryTable}'s rows as numbers (ns, pair counts), for CSV. */
function rpcSummaryRaw(s: RpcSummary): NonNullable<Table['raw']> {
  const row = (
    label: string,
    st: RpcSummary['cheapest'] | undefined,
    wins: number | string,
  ): RawCell[] =>
    st === undefined
      ? [label, 0, '', '', '', '', wins]
      : [label, st.pairs, st.minNs, st.p50Ns, st.p99Ns, st.maxNs, wins];
  return {
    headers: ['medium', 'pairs', 'min_ns', 'p50_ns', 'p99_ns', 'max_ns', 'cheapest_for_pairs'],
    rows: [
      ...RPC_MEDIA.filter((m) => s.perMedium[m] !== undefined).map((m) =>
        row(m, s.perMedium[m], s.cheapestBy[m] ?? 0),
      ),
      row('cheapest', s.cheapest.pairs > 0 ? s.cheapest : undefined, ''),
      ...(s.unreachablePairs > 0 ? [['unreachable', s.unreachablePairs, '', '', '', '', '']] : []),
    ],
  };
}

/** A fetch: summary line and one row per stripe. */
export function fetchTable(r: FetchResult): Table {
  if (!r.reachable)
    return {
      title: `Fetch ${formatSize(r.bytes, { decimal: true })} into ${r.gpu || r.consumer}: unreachable — ${r.reason ?? ''}`,
      columns: [{ header: 'stripe' }],
      rows: [],
    };
  return {
    title: `Fetch ${formatSize(r.bytes, { decimal: true })} into ${r.gpu}: ${t(r.totalNs)} (first byte ${t(r.latencyNs)}, ${bw(r.effectiveBandwidthBytesPerNs)} once moving, ${r.stripes.length} stripe${r.stripes.length > 1 ? 's' : ''})`,
    columns: [
      { header: 'source' },
      { header: 'bytes', align: 'right' },
      { header: 'first byte', align: 'right' },
      { header: 'bottleneck', align: 'right' },
      { header: 'done', align: 'right' },
      { header: 'path' },
    ],
    rows: r.stripes.map((s) => [
      s.source,
      formatSize(s.bytes, { decimal: true }),
      t(s.latencyNs),
      bw(s.bottleneckBytesPerNs),
      t(s.finishNs),
      s.path.join(' → '),
    ]),
    raw: {
      headers: ['source', 'bytes', 'first_byte_ns', 'bottleneck_bytes_per_ns', 'done_ns', 'path'],
      rows: r.stripes.map((s) => [
        s.source,
        s.bytes,
        s.latencyNs,
        s.bottleneckBytesPerNs,
        s.finishNs,
        s.path.join(' > '),
      ]),
    },
  };
}

/** Flow results with their routes. */
export function flowsTable(
  results: readonly (FlowResult & { path: readonly string[]; medium: string })[],
): Table {
  return {
    title: `${results.length} flow${results.length === 1 ? '' : 's'} (max-min fair sharing; each waits its path latency, then moves)`,
    columns: [
      { header: 'id' },
      { header: 'medium' },
      { header: 'bytes', align: 'right' },
      { header: 'start', align: 'right' },
      { header: 'finish', align: 'right' },
      { header: 'latency', align: 'right' },
      { header: 'avg rate', align: 'right' },
      { header: 'path (resources)' },
    ],
    rows: results.map((r) => [
      r.id,
      r.medium,
      formatSize(r.bytes, { decimal: true }),
      t(r.startNs),
      t(r.finishNs),
      t(r.latencyNs),
      bw(r.averageRateBytesPerNs),
      r.path.join(' → '),
    ]),
    raw: {
      headers: [
        'id',
        'medium',
        'bytes',
        'start_ns',
        'finish_ns',
        'latency_ns',
        'avg_rate_bytes_per_ns',
        'path',
      ],
      rows: results.map((r) => [
        r.id,
        r.medium,
        r.bytes,
        r.startNs,
        r.finishNs,
        r.latencyNs,
        r.averageRateBytesPerNs,
        r.path.join(' > '),
      ]),
    },
  };
}

/** A profile value in its own unit, read from the field name's suffix. */
function componentValue(key: string, v: number | string | boolean): string {
  if (typeof v !== 'number') return String(v);
  if (key.endsWith('NsPerM')) return `${formatNumber(v)} ns/m`;
  if (key.endsWith('BytesPerNs')) return bw(v);
  if (key.endsWith('Bytes')) return formatSize(bytes(v));
  if (key.endsWith('Ns')) return t(v);
  if (key.endsWith('M')) return formatLength(metres(v));
  return String(v);
}

/** Calibration: published figure vs model, and the component profile with estimates marked. */
export function calibrationTables(c: Calibration): Table[] {
  const value = (v: number, unit: string): string =>
    unit === 'ns' ? t(v) : unit === 'GB/s' ? bw(v) : `${formatNumber(v)}×`;
  return [
    {
      title:
        'Published figures beside the model (default component profile; bundled prototype-3, prototype-3-switched, prototype-3-rdma)',
      columns: [
        { header: 'quantity' },
        { header: 'published' },
        { header: 'source' },
        { header: 'model', align: 'right' },
        { header: 'verdict' },
      ],
      rows: c.rows.map((r) => [
        r.quantity,
        r.published,
        r.source,
        value(r.model, r.unit),
        `${r.within ? 'within' : 'OUTSIDE'} ${value(r.low, r.unit)}–${value(r.high, r.unit)}${r.note === undefined ? '' : `; ${r.note}`}`,
      ]),
    },
    {
      title:
        'Component profile (estimate = no published figure; override per topology file under `components:`)',
      columns: [{ header: 'component' }, { header: 'value', align: 'right' }, { header: 'basis' }],
      rows: c.components.map((r) => [
        r.component,
        componentValue(r.component, r.value),
        r.estimate ? 'estimate' : 'published (source in src/topology/defaults.ts)',
      ]),
    },
  ];
}

/** Comparison rows from each fabric's headline costs (columns in the order given). */
export function costRows(costs: readonly FabricSummary[]): string[][] {
  const rtt = (c: FabricSummary, k: 'p50Ns' | 'p99Ns'): string =>
    c.rpc.cheapest.pairs === 0 ? '–' : t(c.rpc.cheapest[k]);
  const media = (c: FabricSummary): string =>
    RPC_MEDIA.filter((m) => (c.rpc.cheapestBy[m] ?? 0) > 0)
      .map(
        (m) =>
          `${m} ${Math.round(((c.rpc.cheapestBy[m] ?? 0) / Math.max(1, c.rpc.hostPairs)) * 100)}%`,
      )
      .join(', ');
  return [
    ['RPC p50, 64 B (cheapest medium)', ...costs.map((c) => rtt(c, 'p50Ns'))],
    ['RPC p99, 64 B (cheapest medium)', ...costs.map((c) => rtt(c, 'p99Ns'))],
    ['RPC medium used', ...costs.map(media)],
    [
      'fetch 1.43 GB KV into a GPU',
      ...costs.map((c) => (c.fetch.reachable ? t(c.fetch.totalNs) : 'unreachable')),
    ],
    [
      'fetch bandwidth once moving',
      ...costs.map((c) => (c.fetch.reachable ? bw(c.fetch.effectiveBandwidthBytesPerNs) : '–')),
    ],
  ];
}
