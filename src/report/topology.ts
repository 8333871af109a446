/**
 * Pure renderers for topology metrics (docs/design.md convention §6): the detailed `topology inspect` view and
 * the side-by-side comparison `npm start` prints. They return tables and strings; the CLI
 * prints them.
 */
import type { FitResult } from '../topology/fit.ts';
import type { TopologyMetrics } from '../topology/metrics.ts';
import { formatLength, formatNumber, formatPercent, formatSize } from '../units/index.ts';
import { renderText, type Table } from './table.ts';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const free = (u: { used: number; total: number }): string =>
  u.total === 0 ? '–' : `${int(u.used)} / ${int(u.total)}`;

/** Relay-hop distribution as "0: 25.1 %, 1: 74.3 %, 2: 0.5 %" plus unreachable (RDMA only) pairs. */
export function relayHopsSummary(m: TopologyMetrics): string {
  const total = m.relayHops.byHops.reduce((s, x) => s + x, 0) + m.relayHops.unreachable;
  if (total === 0) return '–';
  const parts = m.relayHops.byHops.map((c, k) => ({ k: String(k), c })).filter((p) => p.c > 0);
  const shown =
    parts.length > 6 ? [...parts.slice(0, 4), { k: '…', c: -1 }, ...parts.slice(-1)] : parts;
  const text = shown.map((p) => (p.c < 0 ? '…' : `${p.k}: ${formatPercent(p.c / total)}`));
  if (m.relayHops.unreachable > 0)
    text.push(`no CXL path: ${formatPercent(m.relayHops.unreachable / total)}`);
  return (
    text.join(', ') +
    (m.relayHops.exact ? '' : ` (from ${int(m.relayHops.sampledSources)} sampled source hosts)`)
  );
}

/** The sections of `topology inspect` as tables, in print order. */
export function inspectTables(m: TopologyMetrics): Table[] {
  const cable = (s: TopologyMetrics['cables']['cxl']): string =>
    s.count === 0
      ? '–'
      : `${int(s.count)} cables, ${formatLength(s.minM)} / ${formatLength(s.medianM)} / ${formatLength(s.maxM)} (min / median / max), ${formatLength(s.totalM, 4)} in all`;
  const summary: Table = {
    title: `${m.name} (${m.family}): ${m.description}`,
    columns: [{ header: 'measure' }, { header: 'value' }],
    rows: [
      ['hosts', int(m.hosts)],
      ['GPUs', int(m.gpus)],
      [
        'memory devices',
        `${int(m.devices)} (${int(m.mhds)} multi-headed, ${int(m.memoryDevices)} behind switches)`,
      ],
      ['CXL switches', int(m.switches)],
      ['ToR / spine switches', `${int(m.tors)} / ${int(m.spines)}`],
      ['RDMA NICs', int(m.nics)],
      ['physical racks (layout, docs/layout.md)', int(m.racks)],
      [
        'host pairs sharing a device',
        `${formatPercent(m.pairSharingFraction)} (${int(m.sharingPairs)} of ${int(m.hostPairs)})`,
      ],
      ['relay hops between hosts', relayHopsSummary(m)],
      ['mean relay hops', formatNumber(m.relayHops.meanHops)],
      [
        'pooled memory reachable per host',
        `${formatSize(m.reachableMemory.minBytes)} / ${formatSize(m.reachableMemory.meanBytes)} / ${formatSize(m.reachableMemory.maxBytes)} (min / mean / max)`,
      ],
      [
        'devices reachable per host',
        `${int(m.reachableDevices.min)} / ${formatNumber(m.reachableDevices.mean)} / ${int(m.reachableDevices.max)} (min / mean / max)`,
      ],
      [
        'pooled capacity, local DRAM',
        `${formatSize(m.pooledCapacityBytes)}, ${formatSize(m.localDramBytes)}`,
      ],
      ['CXL cables', cable(m.cables.cxl)],
      [
        'beyond copper reach',
        `${int(m.cables.cxlBeyondCopperReach)} cables, ${int(m.cables.retimers)} retimers`,
      ],
      [
        'fits copper reach',
        `${m.fitsReach ? 'yes' : 'no'}: longest CXL cable ${m.cxlLinks === 0 ? '–' : formatLength(m.longestCableM)}, reach ${formatLength(m.copperReachM)}${!m.fitsReach && m.family === 'octopus' ? ' (podsim topology fit: the largest pod that fits; octopus-sparse wiring: reach fits by construction)' : ''}`,
      ],
      ['network cables', cable(m.cables.network)],
    ],
  };
  const ports: Table = {
    title: 'Ports',
    columns: [
      { header: 'equipment' },
      { header: 'used / total', align: 'right' },
      { header: 'free', align: 'right' },
    ],
    rows: (
      [
        ['host CXL ports', m.ports.hostCxl],
        ['memory device ports', m.ports.device],
        ['CXL switch ports', m.ports.cxlSwitch],
        ['ToR / spine ports', m.ports.network],
      ] as const
    )
      .filter(([, u]) => u.total > 0)
      .map(([name, u]) => [name, free(u), int(u.total - u.used)]),
  };
  const bom: Table = {
    title: 'Bill of materials',
    columns: [{ header: 'item' }, { header: 'count', align: 'right' }],
    rows: m.bom.map((l) => [l.item, int(l.count)]),
  };
  return [summary, ports, bom];
}

/** `topology inspect` as aligned text. */
export function renderInspect(m: TopologyMetrics): string {
  return inspectTables(m)
    .map((t) => renderText(t))
    .join('\n\n');
}

/** Rows of the side-by-side comparison: one column per topology. */
export function compareTable(
  ms: readonly TopologyMetrics[],
  extraRows: readonly (readonly string[])[] = [],
): Table {
  const row = (label: string, f: (m: TopologyMetrics) => string): string[] => [label, ...ms.map(f)];
  return {
    title: 'Topologies side by side',
    columns: [
      { header: 'measure' },
      ...ms.map((m) => ({ header: m.name, align: 'right' as const })),
    ],
    rows: [
      row('family', (m) => m.family),
      row('hosts', (m) => int(m.hosts)),
      row('GPUs', (m) => int(m.gpus)),
      row('memory devices', (m) => int(m.devices)),
      row('CXL switches', (m) => int(m.switches)),
      row('ToR + spine switches', (m) => int(m.tors + m.spines)),
      row('physical racks (layout)', (m) => int(m.racks)),
      row('pairs sharing a device', (m) => formatPercent(m.pairSharingFraction)),
      row('mean relay hops', (m) =>
        m.sharingPairs === 0 ? '–' : formatNumber(m.relayHops.meanHops),
      ),
      row('max relay hops', (m) => (m.sharingPairs === 0 ? '–' : int(m.relayHops.maxHops))),
      row('pairs with no CXL path', (m) =>
        formatPercent(
          m.hostPairs === 0
            ? 0
            : m.relayHops.unreachable / Math.max(1, m.relayHops.sampledSources * (m.hosts - 1)),
        ),
      ),
      row('pooled memory per host', (m) => formatSize(m.reachableMemory.meanBytes)),
      row('pooled capacity', (m) => formatSize(m.pooledCapacityBytes)),
      row('CXL cables', (m) => int(m.cxlLinks)),
      row('network cables', (m) => int(m.networkLinks)),
      row('retimers', (m) => int(m.cables.retimers)),
      row('longest CXL cable', (m) => (m.cxlLinks === 0 ? '–' : formatLength(m.cables.cxl.maxM))),
      ...extraRows.map((r) => [...r]),
    ],
  };
}

/** `topology fit` as a table: one row per pod size tried, the largest that fits in the title. */
export function fitTableView(r: FitResult): Table {
  const largest =
    r.largestFitting === undefined
      ? 'none of the sizes tried fits'
      : `largest that fits: ${int(r.largestFitting)} hosts`;
  return {
    title: `${r.generator}${r.wiring === undefined ? '' : ` (wiring: ${r.wiring})`}, X=${r.hostPorts}, N=${r.devicePorts}, copper reach ${formatLength(r.reachM)} (sizes up to ${int(r.maxHosts)} hosts): ${largest}`,
    columns: [
      { header: 'hosts', align: 'right' },
      { header: 'host ports', align: 'right' },
      { header: 'MHDs', align: 'right' },
      { header: 'physical racks', align: 'right' },
      { header: 'longest cable', align: 'right' },
      { header: 'beyond reach', align: 'right' },
      { header: 'fits' },
    ],
    rows: r.rows.map((x) => [
      int(x.hosts),
      int(x.hostPorts),
      int(x.devices),
      int(x.racks),
      formatLength(x.longestCableM),
      int(x.cablesBeyondReach),
      x.fitsReach ? 'yes' : 'no',
    ]),
  };
}
