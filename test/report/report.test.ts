/**
 * Tests of the what-if report (src/report/report.ts, src/report/svg.ts): the HTML is
 * self-contained and well-formed (every element closes — checked by a small tokenizer below —
 * no scripts, no URLs but the SVG namespace), holds one chart of each kind with `role="img"`,
 * `<title>` and `<desc>`; output is byte-identical across builds; hostile labels are escaped;
 * and the Markdown matches a golden file. Regenerate it with
 * `UPDATE_GOLDEN=1 npx vitest run test/report/report.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../../src/cost/index.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { reportHtml, reportMarkdown, type ReportInput } from '../../src/report/report.ts';
import {
  escapeXml,
  fmt,
  linearTicks,
  logTicks,
  MARKER_SHAPES,
  marker,
  topologySvg,
} from '../../src/report/svg.ts';
import { parseXml, type XmlElement } from '../helpers/xml.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { whatIf, type WhatIfColumn } from '../../src/app/whatif.ts';

// ---------------------------------------------------------------------------------------------
// Fixture: droidspeak-8b, 100 requests, on octopus-bibd-25 and rdma-32x1
// ---------------------------------------------------------------------------------------------

const TOPOLOGIES = ['octopus-bibd-25', 'rdma-32x1'] as const;

function buildInput(labels?: readonly string[]): ReportInput {
  const { scenario } = loadScenario('droidspeak-8b');
  const cfg: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 100 } };
  const graphs = TOPOLOGIES.map((n) => loadTopology(n).graph);
  const columns: WhatIfColumn[] = whatIf(
    graphs.map((g, i) => ({
      label: labels?.[i] ?? g.getAttribute('name'),
      graph: g,
      failures: {},
    })),
    cfg,
  );
  return {
    scenario: scenario.name,
    columns,
    costPerHostUsd: graphs.map((g) => priceTopology(g, DEFAULT_COST_CATALOGUE).fabricPerHostUsd),
    graphs,
    generatedBy: `podsim whatif droidspeak-8b --topologies ${TOPOLOGIES.join(' ')}`,
  };
}

let input: ReportInput;
let html: string;
beforeAll(() => {
  input = buildInput();
  html = reportHtml(input);
});

type El = XmlElement;
const parseMarkup = parseXml;

function all(el: El, name: string): El[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

/** Every `<svg>` element, with its title text and desc text. */
function charts(doc: El): { svg: El; title: string; desc: string }[] {
  return all(doc, 'svg').map((svg) => {
    const title = svg.children.find((c) => c.name === 'title');
    const desc = svg.children.find((c) => c.name === 'desc');
    return { svg, title: title?.text ?? '', desc: desc?.text ?? '' };
  });
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('reportHtml', () => {
  it('is well-formed, self-contained markup: every element closes, no script, no URL but the SVG namespace', () => {
    const doc = parseMarkup(html);
    expect(doc.name).toBe('html');
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect((html.match(/<svg[\s>]/g) ?? []).length).toBe((html.match(/<\/svg>/g) ?? []).length);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+\s*=/i); // no event handlers
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/url\((?!#)/); // only in-document references (hatch patterns)
  });

  it('holds one chart of each kind (and a drawing per topology), each with role="img", title, desc and aria-labelledby', () => {
    const found = charts(parseMarkup(html));
    const titles = found.map((c) => c.title);
    expect(titles).toEqual([
      'Time to first token: cumulative distribution per topology',
      'Reuse decision mix per topology',
      'Utilisation of the busiest resources per topology',
      'Fabric cost per host vs goodput',
      ...TOPOLOGIES.map((t) => `Topology ${t}`),
    ]);
    const ids = new Set<string>();
    for (const { svg, desc } of found) {
      expect(svg.attrs['role']).toBe('img');
      expect(svg.attrs['font-family']).toBe('sans-serif');
      expect(desc.length).toBeGreaterThan(20);
      const refs = (svg.attrs['aria-labelledby'] ?? '').split(' ');
      expect(refs).toHaveLength(2);
      for (const r of refs) {
        expect(
          all(svg, 'title')
            .concat(all(svg, 'desc'))
            .some((e) => e.attrs['id'] === r),
        ).toBe(true);
        expect(ids.has(r), `id ${r} unique on the page`).toBe(false);
        ids.add(r);
      }
    }
    // Every id on the page is unique (titles, descs, hatch patterns).
    const every = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(every).size).toBe(every.length);
  });

  it('CDF: one line per column, each with its own dash pattern and marker shape, named once by its direct label (the legend)', () => {
    const svg = charts(parseMarkup(html))[0]?.svg as El;
    const lines = all(svg, 'polyline');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.attrs['points']?.split(' ').length)).toEqual([51, 51]);
    expect(new Set(lines.map((l) => l.attrs['stroke-dasharray'] ?? 'solid')).size).toBe(2);
    const labels = all(svg, 'text').map((t) => t.text);
    for (const t of TOPOLOGIES) expect(labels.filter((s) => s === t)).toHaveLength(1); // the direct label is the legend: drawn once
    expect(labels).toContain('time to first token (log scale)');
    expect(labels).toContain('fraction of requests (0–1)');
    expect(labels.some((s) => / (ms|s)$/.test(s))).toBe(true);
    expect(svg.children.some((c) => c.name === 'g' && all(c, 'circle').length > 0)).toBe(true);
    expect(svg.children.some((c) => c.name === 'g' && all(c, 'rect').length > 0)).toBe(true); // squares for series 2
  });

  it('decision mix: hatch patterns, bars per column and percentages in the segments', () => {
    const svg = charts(parseMarkup(html))[1]?.svg as El;
    expect(all(svg, 'pattern')).toHaveLength(3);
    const segments = all(svg, 'rect').filter(
      (r) => r.attrs['fill']?.startsWith('url(#') === true && r.attrs['height'] === '28',
    );
    expect(segments.length).toBeGreaterThanOrEqual(2 * 2);
    expect(all(svg, 'text').some((t) => /^\d+(\.\d+)? %$/.test(t.text))).toBe(true);
  });

  it('heat map: a row per busy resource (10 per topology), named in print with its value', () => {
    const svg = charts(parseMarkup(html))[2]?.svg as El;
    const cells = svg.children.filter((c) => c.name === 'g' && c.children[0]?.name === 'title');
    const n = input.columns.reduce((s, c) => s + Math.min(10, c.run.utilisation.top.length), 0);
    expect(cells).toHaveLength(n);
    const first = input.columns[0]?.run.utilisation.top[0];
    expect(cells[0]?.children[0]?.text).toContain(first?.id ?? '?');
    const texts = all(cells[0] as El, 'text').map((t) => t.text);
    expect(texts[0]).toBe(`1. ${first?.id ?? '?'}`); // the name is printed, not only a tooltip
    expect(texts[1]).toMatch(/^\d+(\.\d+)? %$/);
  });

  it('cost vs goodput: one labelled point per column with different markers; topology drawings show hosts', () => {
    const found = charts(parseMarkup(html));
    const scatter = found[3]?.svg as El;
    const points = scatter.children.filter(
      (c) => c.name === 'g' && c.attrs['aria-label'] !== undefined,
    );
    expect(points.map((p) => p.attrs['aria-label'])).toEqual([...TOPOLOGIES]);
    expect(points[0]?.children[1]?.name).not.toBe(points[1]?.children[1]?.name);
    const octo = found[4]?.svg as El;
    const hosts = all(octo, 'title').filter((t) => /^h\d+$/.test(t.text));
    expect(hosts).toHaveLength(25);
    expect(all(octo, 'title').filter((t) => /^d\d+$/.test(t.text))).toHaveLength(50);
    const rdma = found[5]?.svg as El;
    expect(all(rdma, 'path').some((p) => p.attrs['stroke-dasharray'] !== undefined)).toBe(true); // network links dashed
  });

  it('escapes hostile column labels', () => {
    const hostile = buildInput(['pod <&> "one"', "pod 'two' </svg>"]);
    const text = reportHtml(hostile);
    expect(text).not.toContain('pod <&>');
    expect(text).toContain('pod &lt;&amp;&gt; &quot;one&quot;');
    expect(text).toContain('pod &#39;two&#39; &lt;/svg&gt;');
    parseMarkup(text);
    expect(reportMarkdown(hostile)).toContain('pod <&> "one"');
  });
});

describe('reportMarkdown', () => {
  it('has the what-if table, the notes and a data table per chart', () => {
    const md = reportMarkdown(input);
    for (const h of [
      '## Summary',
      '## Notes per topology',
      '## Time to first token',
      '## Reuse decisions',
      '## Busiest resources',
      '## Cost vs goodput',
      '## Topologies',
    ])
      expect(md).toContain(`\n${h}\n`);
    expect(md).toContain('| topology | p10 | p50 | p90 | p99 |');
    expect(md).not.toContain('<svg');
  });
  it('notes the pooled memory a column with failures loses', () => {
    const [first, second] = input.columns as [WhatIfColumn, WhatIfColumn];
    const failed: WhatIfColumn = {
      ...first,
      label: 'octopus-bibd-25 (fail device:d0)',
      reachLoss: {
        hostsAffected: 2,
        worst: [
          { host: 'h1', lostBytes: 2 ** 40 },
          { host: 'h7', lostBytes: 2 ** 39 },
        ],
        lostBytesTotal: 1.5 * 2 ** 40,
        objectsLost: 3,
        bytesLost: 4.2e9,
      },
    };
    const md = reportMarkdown({ ...input, columns: [failed, second] });
    expect(md).toContain(
      '- octopus-bibd-25 (fail device:d0): 25 hosts, 200 GPUs, 100 requests completed; with the failures 2 hosts lose 1.50 TiB of pooled memory in all — most affected: h1 (1.00 TiB), h7 (512 GiB).',
    );
    expect(md).toContain('| hosts losing pooled memory (failures) | 2 hosts, 1.50 TiB | – |');
  });
});

describe('determinism', () => {
  it('the report is byte-identical across two builds', () => {
    const again = buildInput();
    expect(reportHtml(again)).toBe(html);
    expect(reportMarkdown(again)).toBe(reportMarkdown(input));
  });
  it('no number in a chart has more than one decimal', () => {
    for (const m of html.matchAll(/\s(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height)="([^"]+)"/g))
      expect(m[1]).toMatch(/^-?\d+(\.\d)?$/);
  });
});

describe('svg helpers', () => {
  it('escapeXml escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
  it('fmt rounds to 0.1 without -0', () => {
    expect([fmt(1.26), fmt(-0.04), fmt(3), fmt(0.15)]).toEqual(['1.3', '0', '3', '0.2']);
  });
  it('ticks: linear steps of 1/2/5 × 10^k covering the max; log ticks inside the range', () => {
    expect(linearTicks(23.2)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(linearTicks(9300, 5)).toEqual([0, 2000, 4000, 6000, 8000, 10000]);
    expect(logTicks(2e5, 3e9)).toEqual([1e6, 1e7, 1e8, 1e9]);
    expect(logTicks(2e7, 3e8)).toEqual([2e7, 5e7, 1e8, 2e8]);
  });
  it('every marker shape is one element', () => {
    for (const s of MARKER_SHAPES)
      expect(parseMarkup(marker(s, 10, 10, 4, '#000')).children).toHaveLength(0);
  });
  it('draws the 96-host island pod as a host × device matrix: hosts by island, devices under their island', () => {
    const g = loadTopology('octopus-96').graph;
    const svg = parseMarkup(topologySvg(g, { id: 'o96' }));
    expect(svg.attrs['viewBox']).toMatch(/^0 0 1200 \d+$/);
    const titles = all(svg, 'title').map((t) => t.text);
    expect(titles.filter((t) => /^h\d+$/.test(t))).toHaveLength(96);
    // Every device a row, with its number of hosts: one per CXL link of the graph.
    const devices = titles.filter((t) => /^d\d+: /.test(t));
    expect(devices).toHaveLength(192);
    let cxl = 0;
    g.forEachEdge((_e, a) => {
      if (a.kind === 'cxl') cxl++;
    });
    const hosts = devices.map((t) => Number(/: (\d+) hosts$/.exec(t)?.[1]));
    expect(hosts.reduce((a, b) => a + b, 0)).toBe(cxl);
    const labels = all(svg, 'text').map((t) => t.text);
    expect(labels.filter((t) => /^island \d+$/.test(t))).toHaveLength(6);
    // 6 islands × 20 devices of their own (full overlap inside) and 72 joining islands: 192.
    expect(labels.filter((t) => /^island \d+ devices \(20\)$/.test(t))).toHaveLength(6);
    expect(labels).toContain('between islands (72)');
  });
  it('a graph drawing lists in its legend only the kinds it draws', () => {
    const legend = (name: string): string[] =>
      all(parseMarkup(topologySvg(loadTopology(name).graph, { id: 'x' })), 'text').map(
        (t) => t.text,
      );
    const rdma = legend('rdma-32x1');
    expect(rdma).toContain('network link');
    expect(rdma).not.toContain('CXL link');
    expect(rdma).not.toContain('CXL switch');
    const switched = legend('switched-96');
    expect(switched).toContain('CXL switch');
    expect(switched).toContain('CXL link');
  });
});

describe('golden Markdown', () => {
  const golden = fileURLToPath(new URL('./__golden__/whatif-report.md', import.meta.url));
  it('droidspeak-8b on octopus-bibd-25 and rdma-32x1 (regenerate with UPDATE_GOLDEN=1, review the diff)', () => {
    const text = reportMarkdown(input);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(
      existsSync(golden),
      `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/report/report.test.ts`,
    ).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
