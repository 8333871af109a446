/**
 * The GPU and NIC attachment of a topology and what bounds a sample cache fetch, as the table
 * `podsim topology inspect` prints below its metrics (docs/hardware.md). Pure: data in, table out.
 */
import type { FetchBound } from '../fabric/fetch-bound.ts';
import { describeGpuLink, type HardwareSummary } from '../topology/hardware.ts';
import { bytesPerNs, formatBandwidth, formatSize, formatTime, ns } from '../units/index.ts';
import type { Table } from './table.ts';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Saturated resources grouped by role: `GPU PCIe link (h0--h0.gpu0:rev)`, `CXL link ×8 (h0--d0:rev, …)`. */
function boundText(bound: FetchBound['bound']): string {
  if (bound.length === 0) return '–';
  const byRole = new Map<string, string[]>();
  for (const b of bound) byRole.set(b.role, [...(byRole.get(b.role) ?? []), b.resource]);
  return [...byRole]
    .map(([role, ids]) =>
      ids.length === 1
        ? `${role} (${ids[0] ?? ''})`
        : `${role} ×${ids.length} (${ids[0] ?? ''}, …)`,
    )
    .join('; ');
}

/** GPU links, NICs and the sample fetch of one topology. */
export function hardwareTable(h: HardwareSummary, fetch: FetchBound | undefined): Table {
  const rows: string[][] = [['GPU model', h.gpuModels.length === 0 ? '–' : h.gpuModels.join(', ')]];
  for (const l of h.gpuLinks)
    rows.push([
      'GPU link',
      `${describeGpuLink(l)} (${int(l.gpus)} GPUs${l.gpuDirectGpus > 0 ? `, ${int(l.gpuDirectGpus)} with GPUDirect RDMA to their NIC` : ''})`,
    ]);
  if (h.gpuLinks.length === 0) rows.push(['GPU link', '–']);
  for (const n of h.nics)
    rows.push([
      'NIC',
      `${formatBandwidth(n.rateBytesPerNs)} (${int(n.rateBytesPerNs * 8)} Gb/s) on PCIe ${n.pcieGeneration} x${n.pcieLanes}, ${formatBandwidth(n.pcieBandwidthBytesPerNs)} per direction (${int(n.nics)} NICs)`,
    ]);
  if (h.nics.length === 0) rows.push(['NIC', 'none']);
  if (fetch !== undefined) {
    const r = fetch.result;
    rows.push(
      [
        'sample fetch',
        `${formatSize(r.bytes, { decimal: true })} into ${fetch.gpu} from ${fetch.source}: ${formatTime(ns(r.totalNs))}, ${formatBandwidth(bytesPerNs(r.effectiveBandwidthBytesPerNs))} once moving`,
      ],
      ['bounded by', boundText(fetch.bound)],
    );
  }
  return {
    title: 'GPU and NIC attachment, and what bounds a cache fetch (unloaded)',
    columns: [{ header: 'measure' }, { header: 'value' }],
    rows,
  };
}

/**
 * Rows for the side-by-side comparison, one column per topology: the GPU link and what bounds a
 * fetch into a GPU, so identical fetch columns show why they are identical.
 */
export function hardwareRows(
  hs: readonly HardwareSummary[],
  bounds: readonly (FetchBound | undefined)[],
): string[][] {
  return [
    ['GPU link', ...hs.map((h) => h.gpuLinks.map(shortLink).join(', ') || '–')],
    [
      'fetch bounded by',
      ...bounds.map((b) =>
        b === undefined || b.bound.length === 0
          ? '–'
          : [...new Set(b.bound.map((x) => x.role))].join(', '),
      ),
    ],
  ];
}

/** A GPU link in a few characters: `PCIe 4 x16` or `C2C 450 GB/s`. */
function shortLink(l: HardwareSummary['gpuLinks'][number]): string {
  return l.kind === 'c2c'
    ? `C2C ${formatBandwidth(l.bandwidthBytesPerNs)}`
    : `PCIe ${l.generation ?? '?'} x${l.lanes ?? '?'}`;
}
