/**
 * The capacity report page (src/report/capacity-report.ts): well-formed, self-contained HTML
 * with the frontier chart in a figure, its data table, every table captioned by its title and
 * the tornado charts; Markdown with the same tables and the frontier's data; the frontier table
 * and its raw twin; both pinned by goldens for a small fixed input. Regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/report/capacity-report.test.ts` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  capacityReportHtml,
  capacityReportMarkdown,
  frontierTable,
} from '../../src/report/capacity-report.ts';
import { renderCsv } from '../../src/report/table.ts';
import { parseXml, type XmlElement } from '../helpers/xml.ts';
import { CAPACITY_REPORT_INPUT } from './capacity-report-input.ts';

function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

describe('capacityReportHtml', () => {
  const html = capacityReportHtml(CAPACITY_REPORT_INPUT);
  const doc = parseXml(html);

  it('is well-formed, self-contained markup ending with a newline: no script, no URL but the SVG namespace', () => {
    expect(doc.name).toBe('html');
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    const urls = html.match(/https?:\/\/[^\s"'<>)]*/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows title, command, intro, the frontier figure with its data table, the tables and the tornado, in that order', () => {
    expect(all(doc, 'h1')[0]?.text).toBe('Capacity plan: plans/example.yaml');
    expect(all(doc, 'h2').map((h) => h.text)).toEqual([
      'Cost vs highest sustainable rate',
      'Tables',
      'Sensitivity',
    ]);
    expect(html).toContain(
      '<p>Run <code>podsim capacity --help</code> for the search options.</p>',
    );
    const figures = all(doc, 'figure');
    expect(figures).toHaveLength(2);
    const titles = figures.map((f) => all(f, 'title')[0]?.text);
    expect(titles).toEqual([
      'Total cost vs highest rate meeting the SLOs',
      'Sensitivity of the net saving',
    ]);
    expect(all(figures[0] as XmlElement, 'figcaption')[0]?.text).toContain('beta with 16 hosts');
    expect(all(doc, 'caption').map((c) => c.text)).toEqual([
      'Cost and highest rate meeting the SLOs per configuration',
      'Candidates',
    ]);
    expect(html.indexOf('<figure>')).toBeLessThan(html.indexOf('<caption>Candidates'));
  });

  it('without a frontier or tornadoes, has neither section', () => {
    const bare = capacityReportHtml({ title: 't', generatedBy: 'g', tables: [] });
    parseXml(bare);
    expect(bare).not.toContain('<svg');
    expect(bare).not.toContain('<h2');
  });

  it('escapes hostile text', () => {
    const out = capacityReportHtml({
      ...CAPACITY_REPORT_INPUT,
      title: 'plan <&> "x"',
      intro: ['a </p> b'],
    });
    expect(out).toContain('<h1>plan &lt;&amp;&gt; &quot;x&quot;</h1>');
    expect(out).toContain('<p>a &lt;/p&gt; b</p>');
    parseXml(out);
  });
});

describe('frontierTable', () => {
  it('one row per configuration in family order, hosts ascending; a family that did not run says so; the raw twin has numbers', () => {
    const f = CAPACITY_REPORT_INPUT.frontier;
    const t = frontierTable(f?.series ?? [], f?.cheapest);
    expect(t.rows).toEqual([
      ['alpha', '8', '$100,000', '50 /s', 'yes'],
      ['alpha', '16', '$300,000', '150 /s', 'yes'],
      ['beta', '8', '$200,000', '40 /s', 'no'],
      ['beta', '16', '$400,000', '200 /s', 'yes, cheapest'],
      ['gamma', '–', '–', 'no size ran', '–'],
    ]);
    expect(renderCsv(t).split('\n').slice(0, 3)).toEqual([
      'family,hosts,total_usd,max_rate_per_s,on_frontier',
      'alpha,8,100000,50,1',
      'alpha,16,300000,150,1',
    ]);
    const zero = frontierTable([
      { family: 'z', points: [{ hosts: 8, totalUsd: 5, maxRatePerS: 0, onFrontier: false }] },
    ]);
    expect(zero.rows[0]?.[3]).toBe('below the lowest rate tried');
    expect(zero.raw?.rows[0]?.[3]).toBe(0);
  });
});

describe('capacityReportMarkdown', () => {
  it('has the frontier data as a table, every table, and says the HTML has the charts', () => {
    const md = capacityReportMarkdown(CAPACITY_REPORT_INPUT);
    expect(md).toContain('The HTML version of this report has the charts.');
    expect(md).toContain(
      '| family | hosts | total cost | highest rate meeting the SLOs | on frontier |',
    );
    expect(md).toContain('| beta | 16 | $400,000 | 200 /s | yes, cheapest |');
    expect(md).toContain('**Candidates**');
    expect(md).toContain('tornado) chart for beta.');
    expect(md).not.toContain('<svg');
    expect(md.endsWith('\n')).toBe(true);
  });
});

describe('golden capacity report', () => {
  for (const [name, render] of [
    ['capacity-report.html', capacityReportHtml],
    ['capacity-report.md', capacityReportMarkdown],
  ] as const) {
    const golden = fileURLToPath(new URL(`./__golden__/${name}`, import.meta.url));
    it(`${name} (regenerate with UPDATE_GOLDEN=1, review the diff)`, () => {
      const text = render(CAPACITY_REPORT_INPUT);
      expect(render(CAPACITY_REPORT_INPUT)).toBe(text); // deterministic
      if (process.env['UPDATE_GOLDEN'] === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, text);
      }
      expect(
        existsSync(golden),
        `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/report/capacity-report.test.ts`,
      ).toBe(true);
      expect(text).toBe(readFileSync(golden, 'utf8'));
    });
  }
});
