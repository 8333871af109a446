/**
 * The what-if report (`podsim whatif --report DIR`): one scenario on several fabrics written as
 * `report.md` (tables only — in Markdown a chart is its data table) and one self-contained
 * `report.html` (the same tables plus inline SVG charts from ./svg.ts; inline CSS, no scripts,
 * no external fetches). Pure functions (docs/design.md convention §6): the CLI writes the files. The output has
 * no timestamps, so the same inputs give byte-identical files (golden-tested, docs/design.md convention §13).
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
import {
  costGoodputSvg,
  decisionMixSvg,
  escapeXml,
  topologySvg,
  ttftCdfSvg,
  utilisationHeatmapSvg,
} from './svg.ts';
import { renderMarkdown, type Table } from './table.ts';
import { whatIfTable } from './whatif.ts';

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
}

/** Number of busiest resources listed per column in the Markdown table. */
const TOP_RESOURCES = 5;

const t = (x: number): string => formatTime(ns(x));

/** A section of the report: heading, a sentence, the data table, and the chart (HTML only). */
interface Section {
  readonly heading: string;
  readonly intro: string;
  readonly table: Table;
  readonly chart?: (id: string) => string;
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
function notes(input: ReportInput): string[] {
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
function sections(input: ReportInput): Section[] {
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
  return [
    {
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
          { id },
        ),
    },
    {
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
    },
    {
      heading: 'Busiest resources',
      intro: `The ${TOP_RESOURCES} busiest resources (link directions \`a--b:fwd|rev\`, device media \`d:media\`) of each topology with their utilisation; the chart shows the 20 busiest.`,
      table: {
        columns: [{ header: 'rank' }, ...labels.map((l) => ({ header: l }))],
        rows: topRows,
      },
      chart: (id) =>
        utilisationHeatmapSvg(
          cols.map((c) => ({ label: c.label, top: c.run.utilisation.top })),
          { id },
        ),
    },
    {
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
          formatPercent(c.run.sloAttainment),
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
    },
    {
      heading: 'Topologies',
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
    },
  ];
}

const title = (input: ReportInput): string =>
  `What-if report: ${input.scenario} on ${input.columns.map((c) => c.label).join(', ')}`;

/**
 * The report as Markdown: title, the what-if table, per-column notes, then one section per
 * chart with its data table (TTFT percentiles, decision mix, busiest resources, cost vs
 * goodput, topology sizes). Ends with a newline.
 */
export function reportMarkdown(input: ReportInput): string {
  const out: string[] = [];
  out.push(
    `# ${title(input)}`,
    '',
    `Generated by \`${input.generatedBy}\`. The HTML version of this report has the charts.`,
    '',
  );
  out.push(
    '## Summary',
    '',
    renderMarkdown(whatIfTable(input.columns, input.scenario, input.costPerHostUsd)),
    '',
  );
  out.push('## Notes per topology', '', ...notes(input).map((n) => `- ${n}`), '');
  for (const s of sections(input))
    out.push(`## ${s.heading}`, '', s.intro, '', renderMarkdown(s.table), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** A table model as an HTML table (title as caption, alignment as a class). */
function tableHtml(table: Table): string {
  const cls = (i: number): string => (table.columns[i]?.align === 'right' ? ' class="num"' : '');
  return [
    '<table>',
    ...(table.title === undefined ? [] : [`<caption>${escapeXml(table.title)}</caption>`]),
    `<thead><tr>${table.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeXml(c.header)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map(
      (r) =>
        `<tr>${table.columns.map((_c, i) => (i === 0 ? `<th scope="row">${escapeXml(r[i] ?? '')}</th>` : `<td${cls(i)}>${escapeXml(r[i] ?? '')}</td>`)).join('')}</tr>`,
    ),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** Inline `code` spans of the intros as HTML. */
const inlineHtml = (s: string): string => escapeXml(s).replace(/`([^`]*)`/g, '<code>$1</code>');

const CSS = `
body { font-family: sans-serif; margin: 2rem auto; max-width: 1240px; padding: 0 1rem; color: #111; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figcaption { font-size: 0.9rem; color: #333; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
code { font-size: 0.9em; background: #f4f4f4; padding: 0 0.2em; }
`.trim();

/**
 * The report as one self-contained HTML page (XHTML-compatible markup: every element closed):
 * the Markdown report's content plus a TTFT CDF, a decision-mix bar chart, a utilisation heat
 * map, a cost–goodput scatter and one drawing per topology, all inline SVG; inline CSS, no
 * scripts, no external resources. Ends with a newline.
 */
export function reportHtml(input: ReportInput): string {
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
  );
  out.push(
    `<title>${escapeXml(title(input))}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
  );
  out.push(
    `<h1>${escapeXml(title(input))}</h1>`,
    `<p>Generated by <code>${escapeXml(input.generatedBy)}</code>.</p>`,
  );
  out.push(
    '<h2 id="summary">Summary</h2>',
    tableHtml(whatIfTable(input.columns, input.scenario, input.costPerHostUsd)),
  );
  out.push(
    '<h2 id="notes">Notes per topology</h2>',
    '<ul>',
    ...notes(input).map((n) => `<li>${escapeXml(n)}</li>`),
    '</ul>',
  );
  sections(input).forEach((s, i) => {
    const id = `chart${i + 1}`;
    out.push(
      `<h2 id="${id}-section">${escapeXml(s.heading)}</h2>`,
      `<p>${inlineHtml(s.intro)}</p>`,
    );
    if (s.chart !== undefined)
      out.push(
        '<figure>',
        s.chart(id),
        `<figcaption>${escapeXml(s.heading)} (data in the table below).</figcaption>`,
        '</figure>',
      );
    else {
      input.columns.forEach((c, k) => {
        const g = input.graphs[k];
        if (g === undefined) return;
        out.push(
          '<figure>',
          topologySvg(g, { id: `topo${k + 1}`, label: c.label }),
          `<figcaption>${escapeXml(c.label)}</figcaption>`,
          '</figure>',
        );
      });
    }
    out.push(tableHtml(s.table));
  });
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
