/**
 * What the what-if report says (src/report/report.ts renders it): its input, the per-column
 * notes, and the chart sections in order — TTFT, reuse decisions, busiest resources, cost vs
 * goodput, topologies — each with its heading, a sentence, its data table and its chart.
 */
import type { WhatIfColumn } from '../sim/whatif.ts';
import type { TopologyGraph } from '../topology/types.ts';
import {
  bytes,
  formatMoney,
  formatPercent,
  formatSize,
  formatTime,
  ns,
  usd,
} from '../units/index.ts';
import { costGoodputSvg, decisionMixSvg, ttftCdfSvg, utilisationHeatmapSvg } from './svg.ts';
import { HEATMAP_RESOURCES } from './svg-heatmap.ts';
import { boundSection, loadSections } from './report-load-sections.ts';
import type { Table } from './table.ts';
import { percentDown } from './whatif-load.ts';

/** Everything the report shows. */
export interface ReportInput {
  /** Scenario name. */
  readonly scenario: string;
  readonly columns: readonly WhatIfColumn[];
  /** Fabric cost per host of each column (USD), same order as `columns`. */
  readonly costPerHostUsd: readonly number[];
  /** The topology of each column, same order as `columns`. */
  readonly graphs: readonly TopologyGraph[];
  /** The command that produced the report, e.g. `podsim whatif droidspeak-8b --topologies …` (no timestamps). */
  readonly generatedBy: string;
  /** The scenario's TTFT SLO (ns), drawn on the TTFT chart; none when absent. */
  readonly ttftSloNs?: number;
}

/** Number of busiest resources listed per column in the Markdown table. */
const TOP_RESOURCES = 5;

const t = (x: number): string => formatTime(ns(x));

/** A section of the report: heading, a sentence, the data table, and the chart (HTML only). */
export interface Section {
  readonly heading: string;
  readonly intro: string;
  readonly table: Table;
  readonly chart?: (id: string) => string;
  /** The HTML draws every column's topology under this section (the topologies section). */
  readonly topologies?: boolean;
}

/** Decision counts of a column and their total (at least 1). */
function decisionShares(c: WhatIfColumn): {
  exact: number;
  partial: number;
  full: number;
  n: number;
} {
  const d = c.run.decisions;
  const n = d.exact + d.partial + d.fullPrefill;
  const k = Math.max(1, n);
  return { exact: d.exact / k, partial: d.partial / k, full: d.fullPrefill / k, n };
}

/** Drawn-node counts of a topology. */
function topologyCounts(g: TopologyGraph): {
  hosts: number;
  devices: number;
  switches: number;
  network: number;
  cxlLinks: number;
  netLinks: number;
  groups: string;
} {
  let hosts = 0;
  let devices = 0;
  let switches = 0;
  let network = 0;
  const islands = new Set<number>();
  const racks = new Set<number>();
  g.forEachNode((_id, a) => {
    if (a.kind === 'host') {
      hosts++;
      if (a.island !== undefined) islands.add(a.island);
      racks.add(a.placement.rack);
    } else if (a.kind === 'mhd' || a.kind === 'memory-device') devices++;
    else if (a.kind === 'cxl-switch') switches++;
    else if (a.kind === 'tor' || a.kind === 'spine') network++;
  });
  let cxlLinks = 0;
  let netLinks = 0;
  g.forEachEdge((_e, a) => {
    if (a.kind === 'cxl') cxlLinks++;
    else if (a.kind === 'network') netLinks++;
  });
  return {
    hosts,
    devices,
    switches,
    network,
    cxlLinks,
    netLinks,
    groups: islands.size > 0 ? `${islands.size} islands` : `${racks.size} racks`,
  };
}

/** The per-column notes: size, and the pooled memory lost to failures when there are any. */
export function notes(input: ReportInput): string[] {
  return input.columns.map((c) => {
    const base = `${c.label}: ${c.metrics.hosts} hosts, ${c.metrics.gpus} GPUs, ${c.run.requests.completed.toLocaleString('en-US')} requests completed`;
    const r = c.reachLoss;
    if (r === undefined) return `${base}; no failed elements.`;
    if (r.hostsAffected === 0) return `${base}; with the failures no host loses pooled memory.`;
    const worst = r.worst.map((w) => `${w.host} (${formatSize(bytes(w.lostBytes))})`).join(', ');
    return `${base}; with the failures ${r.hostsAffected} hosts lose ${formatSize(bytes(r.lostBytesTotal))} of pooled memory in all — most affected: ${worst}.`;
  });
}

/** The chart sections, in order, with their data tables. */
export function sections(input: ReportInput): Section[] {
  return [
    ttftSection(input),
    decisionSection(input),
    boundSection(input.columns),
    ...loadSections(input.columns),
    busiestSection(input),
    costSection(input),
    topologiesSection(input),
  ];
}

/** Time to first token: percentiles and the CDF chart. */
function ttftSection(input: ReportInput): Section {
  const cols = input.columns;
  return {
    heading: 'Time to first token',
    intro:
      'Percentiles of the time to first token per topology (the chart is the full distribution, log-scaled).',
    table: {
      columns: [
        { header: 'topology' },
        { header: 'p10', align: 'right' },
        { header: 'p50', align: 'right' },
        { header: 'p90', align: 'right' },
        { header: 'p99', align: 'right' },
      ],
      rows: cols.map((c) => [
        c.label,
        t(c.run.ttftCdfNs[5] ?? 0),
        t(c.run.ttft.p50),
        t(c.run.ttft.p90),
        t(c.run.ttft.p99),
      ]),
    },
    chart: (id) =>
      ttftCdfSvg(
        cols.map((c) => ({ label: c.label, ttftCdfNs: c.run.ttftCdfNs })),
        input.ttftSloNs === undefined ? { id } : { id, ttftSloNs: input.ttftSloNs },
      ),
  };
}

/** Reuse decisions: the share of exact, partial and full-prefill requests. */
function decisionSection(input: ReportInput): Section {
  const cols = input.columns;
  return {
    heading: 'Reuse decisions',
    intro:
      'How each request was served: an exact cache hit, partial reuse of a related variant’s cache (some layers recomputed), or a full prefill.',
    table: {
      columns: [
        { header: 'topology' },
        { header: 'exact', align: 'right' },
        { header: 'partial', align: 'right' },
        { header: 'full prefill', align: 'right' },
        { header: 'requests', align: 'right' },
      ],
      rows: cols.map((c) => {
        const s = decisionShares(c);
        return [
          c.label,
          formatPercent(s.exact),
          formatPercent(s.partial),
          formatPercent(s.full),
          s.n.toLocaleString('en-US'),
        ];
      }),
    },
    chart: (id) =>
      decisionMixSvg(
        cols.map((c) => ({
          label: c.label,
          exact: c.run.decisions.exact,
          partial: c.run.decisions.partial,
          fullPrefill: c.run.decisions.fullPrefill,
        })),
        { id },
      ),
  };
}

/** Busiest resources: the top resources of each topology and the heat map. */
function busiestSection(input: ReportInput): Section {
  const cols = input.columns;
  const labels = cols.map((c) => c.label);
  const topRows: string[][] = [];
  for (let k = 0; k < TOP_RESOURCES; k++) {
    topRows.push([
      String(k + 1),
      ...cols.map((c) => {
        const r = c.run.utilisation.top[k];
        return r === undefined ? '–' : `${r.id} ${formatPercent(r.utilisation)}`;
      }),
    ]);
  }
  return {
    heading: 'Busiest resources',
    intro: `The ${TOP_RESOURCES} busiest resources (link directions \`a--b:fwd|rev\`, device media \`d:media\`) of each topology with their utilisation; the chart names the ${HEATMAP_RESOURCES} busiest.`,
    table: {
      columns: [{ header: 'rank' }, ...labels.map((l) => ({ header: l }))],
      rows: topRows,
    },
    chart: (id) =>
      utilisationHeatmapSvg(
        cols.map((c) => ({ label: c.label, top: c.run.utilisation.top })),
        { id },
      ),
  };
}

/** Cost vs goodput: fabric cost per host against requests per second meeting the SLOs. */
function costSection(input: ReportInput): Section {
  const cols = input.columns;
  return {
    heading: 'Cost vs goodput',
    intro:
      'Fabric cost per host (default cost catalogue) against requests per second meeting both SLOs.',
    table: {
      columns: [
        { header: 'topology' },
        { header: 'fabric cost per host', align: 'right' },
        { header: 'goodput', align: 'right' },
        { header: 'requests meeting the SLOs', align: 'right' },
      ],
      rows: cols.map((c, i) => [
        c.label,
        input.costPerHostUsd[i] === undefined
          ? '–'
          : formatMoney(usd(input.costPerHostUsd[i] ?? 0)),
        `${c.run.goodputPerS.toFixed(2)} /s`,
        percentDown(c.run.sloAttainment),
      ]),
    },
    chart: (id) =>
      costGoodputSvg(
        cols.map((c, i) => ({
          label: c.label,
          costPerHostUsd: input.costPerHostUsd[i] ?? Number.NaN,
          goodputPerS: c.run.goodputPerS,
        })),
        { id },
      ),
  };
}

/** Topologies: what each fabric is made of (counts of hosts, devices, switches and links). */
function topologiesSection(input: ReportInput): Section {
  const cols = input.columns;
  return {
    heading: 'Topologies',
    topologies: true,
    intro: 'What each fabric is made of (GPUs and NICs are inside the hosts and not drawn).',
    table: {
      columns: [
        { header: 'topology' },
        { header: 'hosts', align: 'right' },
        { header: 'grouped in' },
        { header: 'memory devices', align: 'right' },
        { header: 'CXL switches', align: 'right' },
        { header: 'ToR + spine', align: 'right' },
        { header: 'CXL links', align: 'right' },
        { header: 'network links', align: 'right' },
      ],
      rows: cols.map((c, i) => {
        const g = input.graphs[i];
        if (g === undefined) return [c.label, '–', '–', '–', '–', '–', '–', '–'];
        const k = topologyCounts(g);
        return [
          c.label,
          String(k.hosts),
          k.groups,
          String(k.devices),
          String(k.switches),
          String(k.network),
          String(k.cxlLinks),
          String(k.netLinks),
        ];
      }),
    },
  };
}
