/**
 * The RPC locality table (docs/rpc.md): round trips of the host pairs that share a device, of the
 * relayed pairs, of the pairs with only RDMA, and of all pairs, each with its pair share, its
 * share of the traffic matrix and weighted p50/p99. Pure: the CLI prints.
 */
import { RPC_LOCALITIES, RPC_MEDIA, type LocalityStats, type RpcLocality } from '../fabric/rpc.ts';
import { formatPercent, formatSize, formatTime, ns } from '../units/index.ts';
import type { RawCell, Table } from './table.ts';

/** How each locality class reads in tables. */
export const LOCALITY_LABEL: Readonly<Record<(typeof RPC_LOCALITIES)[number], string>> = {
  direct: 'sharing a device',
  relayed: 'relayed over CXL',
  rdmaOnly: 'no CXL path (RDMA)',
};

const time = (x: number | null): string => (x === null ? '–' : formatTime(ns(x)));
const pct = (x: number): string => formatPercent(x);

function row(label: string, s: LocalityStats): string[] {
  const media = RPC_MEDIA.filter((m) => (s.cheapestBy[m] ?? 0) > 0).join(', ');
  return [
    label,
    s.pairs.toLocaleString('en-US'),
    pct(s.pairShare),
    pct(s.trafficShare),
    time(s.p50Ns),
    time(s.p99Ns),
    time(s.maxNs),
    media === '' ? '–' : media,
  ];
}

function rawRow(label: string, s: LocalityStats): RawCell[] {
  const media = RPC_MEDIA.filter((m) => (s.cheapestBy[m] ?? 0) > 0).join(' ');
  return [
    label,
    s.pairs,
    s.pairShare,
    s.trafficShare,
    s.p50Ns ?? '',
    s.p99Ns ?? '',
    s.maxNs ?? '',
    media,
  ];
}

/** One row per locality class, then all pairs (and unreachable pairs, when there are any). */
export function rpcLocalityTable(loc: RpcLocality, topology: string): Table {
  const rows = RPC_LOCALITIES.map((c) => row(LOCALITY_LABEL[c], loc[c]));
  rows.push(row('all pairs', loc.all));
  if (loc.unreachable.pairs > 0 || loc.unreachable.trafficShare > 0)
    rows.push([
      'unreachable',
      loc.unreachable.pairs.toLocaleString('en-US'),
      pct(loc.hostPairs > 0 ? loc.unreachable.pairs / loc.hostPairs : 0),
      pct(loc.unreachable.trafficShare),
      '',
      '',
      '',
      '',
    ]);
  return {
    title: `RPC round trips by locality, ${topology}, ${formatSize(loc.payloadBytes)} each way, traffic ${loc.traffic} (p50/p99 weighted by traffic)`,
    columns: [
      { header: 'host pairs' },
      { header: 'pairs', align: 'right' },
      { header: 'share', align: 'right' },
      { header: 'traffic', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p99', align: 'right' },
      { header: 'max', align: 'right' },
      { header: 'cheapest medium' },
    ],
    rows,
    raw: {
      headers: [
        'host_pairs',
        'pairs',
        'pair_share',
        'traffic_share',
        'p50_ns',
        'p99_ns',
        'max_ns',
        'cheapest_medium',
      ],
      rows: [
        ...RPC_LOCALITIES.map((c) => rawRow(LOCALITY_LABEL[c], loc[c])),
        rawRow('all pairs', loc.all),
        ...(loc.unreachable.pairs > 0 || loc.unreachable.trafficShare > 0
          ? [
              [
                'unreachable',
                loc.unreachable.pairs,
                loc.hostPairs > 0 ? loc.unreachable.pairs / loc.hostPairs : 0,
                loc.unreachable.trafficShare,
                '',
                '',
                '',
                '',
              ],
            ]
          : []),
      ],
    },
  };
}
