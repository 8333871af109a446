/**
 * The capacity report (`podsim capacity <plan> --report DIR`, issue 14 item 7): the plan's
 * verdicts, the cost-vs-rate frontier chart with its data table, the capacity tables and any
 * sensitivity (tornado) charts, as one self-contained HTML page and as Markdown (tables only: in
 * Markdown a chart is its data table). Pure string builders (docs/design.md convention §6): the
 * CLI writes the files. No timestamps, so the same input gives byte-identical files
 * (docs/design.md convention §13).
 */
import { formatMoney, usd } from '../units/index.ts';
import { htmlHead, inlineHtml, tableHtml } from './html.ts';
import { frontierSvg, sustainedRateWords, type FrontierSeries } from './svg-frontier.ts';
import { escapeXml } from './svg-kit.ts';
import { renderMarkdown, type Table } from './table.ts';
import { formatRate } from './whatif-load.ts';

/** What the capacity report shows, in order. */
export interface CapacityReportInput {
  /** Page title, e.g. `Capacity plan: plans/droidspeak-8b.yaml`. */
  readonly title: string;
  /** The command line that wrote the report. */
  readonly generatedBy: string;
  /** Sentences (verdict lines) shown under the title; `code` spans allowed. */
  readonly intro?: readonly string[];
  /** The capacity tables, in order, each with a title (the HTML caption). */
  readonly tables: readonly Table[];
  /** The frontier chart's data; the section is left out without it. */
  readonly frontier?: {
    readonly series: readonly FrontierSeries[];
    /** The plan's target rate, requests per second. */
    readonly targetRatePerS?: number;
    /** The cheapest configuration meeting the plan. */
    readonly cheapest?: { readonly family: string; readonly hosts: number };
  };
  /**
   * Pre-rendered sensitivity charts (src/report/svg-tornado.ts), one per family; their ids must
   * be unique on the page and not start with `frontier` (the frontier chart's).
   */
  readonly tornadoes?: readonly { readonly family: string; readonly svg: string }[];
}

/** The frontier section's heading. */
const FRONTIER_HEADING = 'Cost vs highest sustainable rate';

/** What the frontier chart shows, in a sentence (both formats). */
const FRONTIER_INTRO =
  'Each configuration (fabric family × host count) at its total cost against the highest offered rate at which it still meets the SLOs; the Pareto frontier holds the configurations no other beats on both.';

/**
 * The frontier chart's data as a table: one row per configuration (family order, then hosts
 * ascending), with its total cost, highest rate meeting the SLOs and whether it is on the Pareto
 * frontier (`yes, cheapest` for the cheapest configuration meeting the plan); a family none of
 * whose sizes ran has one row saying so. The raw twin carries USD and requests per second.
 */
export function frontierTable(
  series: readonly FrontierSeries[],
  cheapest?: { readonly family: string; readonly hosts: number },
): Table {
  const rows: string[][] = [];
  const raw: (string | number)[][] = [];
  for (const s of series) {
    if (s.points.length === 0) {
      rows.push([s.family, '–', '–', 'no size ran', '–']);
      raw.push([s.family, '', '', '', '']);
    }
    for (const p of [...s.points].sort((a, b) => a.hosts - b.hosts)) {
      const isCheapest = cheapest?.family === s.family && cheapest.hosts === p.hosts;
      const front = p.onFrontier ? 'yes' : 'no';
      rows.push([
        s.family,
        String(p.hosts),
        formatMoney(usd(p.totalUsd)),
        sustainedRateWords(p.maxRatePerS),
        isCheapest ? `${front}, cheapest` : front,
      ]);
      raw.push([s.family, p.hosts, p.totalUsd, p.maxRatePerS, p.onFrontier ? 1 : 0]);
    }
  }
  return {
    title: 'Cost and highest rate meeting the SLOs per configuration',
    columns: [
      { header: 'family' },
      { header: 'hosts', align: 'right' },
      { header: 'total cost', align: 'right' },
      { header: 'highest rate meeting the SLOs', align: 'right' },
      { header: 'on frontier' },
    ],
    rows,
    raw: {
      headers: ['family', 'hosts', 'total_usd', 'max_rate_per_s', 'on_frontier'],
      rows: raw,
    },
  };
}

/** The frontier section's closing sentences: target and cheapest configuration, when given; `chart` adds how the chart marks them. */
function frontierNotes(f: NonNullable<CapacityReportInput['frontier']>, chart: boolean): string[] {
  const out: string[] = [];
  if (f.targetRatePerS !== undefined)
    out.push(
      `The plan's target rate is ${formatRate(f.targetRatePerS)}${chart ? ' (the dashed line)' : ''}.`,
    );
  if (f.cheapest !== undefined)
    out.push(
      `The cheapest configuration meeting the plan is ${f.cheapest.family} with ${f.cheapest.hosts} hosts${chart ? ' (ringed)' : ''}.`,
    );
  return out;
}

/**
 * The report as Markdown: title, the command, the intro sentences, the frontier's data table
 * (with a note that the HTML report has the chart), every table, and the names of the
 * sensitivity charts the HTML has. Ends with a newline.
 */
export function capacityReportMarkdown(input: CapacityReportInput): string {
  const out: string[] = [
    `# ${input.title}`,
    '',
    `Generated by \`${input.generatedBy}\`. The HTML version of this report has the charts.`,
    '',
  ];
  for (const s of input.intro ?? []) out.push(s, '');
  const f = input.frontier;
  if (f !== undefined)
    out.push(
      `## ${FRONTIER_HEADING}`,
      '',
      [FRONTIER_INTRO, ...frontierNotes(f, false)].join(' '),
      '',
      renderMarkdown(frontierTable(f.series, f.cheapest)),
      '',
    );
  if (input.tables.length > 0) out.push('## Tables', '');
  for (const t of input.tables) out.push(renderMarkdown(t), '');
  const tornadoes = input.tornadoes ?? [];
  if (tornadoes.length > 0)
    out.push(
      '## Sensitivity',
      '',
      `The HTML report has a sensitivity (tornado) chart for ${tornadoes.map((t) => t.family).join(', ')}.`,
      '',
    );
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * The report as one self-contained HTML page (XHTML-compatible: every element closed; inline
 * CSS, no scripts, no external resources): title, the command, the intro sentences, the
 * frontier chart in a figure with its caption and data table, every table (its title as
 * caption), then the tornado charts. Ends with a newline.
 */
export function capacityReportHtml(input: CapacityReportInput): string {
  const out: string[] = [
    ...htmlHead(input.title),
    `<h1>${escapeXml(input.title)}</h1>`,
    `<p>Generated by <code>${escapeXml(input.generatedBy)}</code>.</p>`,
    ...(input.intro ?? []).map((s) => `<p>${inlineHtml(s)}</p>`),
  ];
  const f = input.frontier;
  if (f !== undefined) {
    const options = {
      id: 'frontier',
      ...(f.targetRatePerS === undefined ? {} : { targetRatePerS: f.targetRatePerS }),
      ...(f.cheapest === undefined ? {} : { cheapest: f.cheapest }),
    };
    out.push(
      `<h2 id="frontier-section">${escapeXml(FRONTIER_HEADING)}</h2>`,
      `<p>${escapeXml(FRONTIER_INTRO)}</p>`,
      '<figure>',
      frontierSvg(f.series, options),
      `<figcaption>${escapeXml([`${FRONTIER_HEADING} (data in the table below).`, ...frontierNotes(f, true)].join(' '))}</figcaption>`,
      '</figure>',
      tableHtml(frontierTable(f.series, f.cheapest)),
    );
  }
  if (input.tables.length > 0) out.push('<h2 id="tables">Tables</h2>');
  for (const t of input.tables) out.push(tableHtml(t));
  const tornadoes = input.tornadoes ?? [];
  if (tornadoes.length > 0) out.push('<h2 id="sensitivity">Sensitivity</h2>');
  for (const t of tornadoes)
    out.push(
      '<figure>',
      t.svg,
      `<figcaption>${escapeXml(`Sensitivity: ${t.family}`)}</figcaption>`,
      '</figure>',
    );
  out.push('</body>', '</html>');
  return `${out.join('\n')}\n`;
}
