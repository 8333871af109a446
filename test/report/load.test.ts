/**
 * The load–latency chart (src/report/svg-load.ts) and the report's load and bound sections: on a
 * hand-made curve the chart is well-formed, marks the knee where the curve says (a vertical line,
 * a ring on the point and a `knee <rate>` label), draws the TTFT SLO, and matches a golden file;
 * a what-if run with a load axis puts one such chart per fabric in report.html and its table in
 * report.md. Regenerate the golden with `UPDATE_GOLDEN=1 npx vitest run test/report/load.test.ts`
 * and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { whatIf } from '../../src/app/whatif.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { reportHtml, reportMarkdown } from '../../src/report/report.ts';
import { loadLatencySvg } from '../../src/report/svg-load.ts';
import type { LoadCurve, LoadPoint } from '../../src/sim/whatif.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { parseXml, type XmlElement } from '../helpers/xml.ts';

const pt = (ratePerS: number, ttftP99Ns: number, meetsSlo: boolean): LoadPoint => ({
  ratePerS,
  goodputPerS: meetsSlo ? ratePerS : ratePerS / 2,
  ttftP50Ns: ttftP99Ns / 4,
  ttftP99Ns,
  sloAttainment: meetsSlo ? 1 : 0.5,
  meetsSlo,
  gpuBusiest: 0.5,
});

/** Hand-made curves: reuse meets the SLOs up to 32 /s (knee 32), full prefill up to 16 (knee 16). */
const CURVES: LoadCurve[] = [
  {
    label: 'pod',
    policy: 'droidspeak',
    targetShare: 0.99,
    ttftSloNs: 3e9,
    points: [pt(8, 1.5e9, true), pt(16, 1.6e9, true), pt(32, 2e9, true), pt(64, 4e9, false)],
    kneeRatePerS: 32,
  },
  {
    label: 'pod',
    policy: 'full-prefill',
    targetShare: 0.99,
    ttftSloNs: 3e9,
    points: [pt(8, 1.7e9, true), pt(16, 1.8e9, true), pt(32, 4.2e9, false), pt(64, 7e9, false)],
    kneeRatePerS: 16,
  },
];

const all = (el: XmlElement, name: string): XmlElement[] => [
  ...(el.name === name ? [el] : []),
  ...el.children.flatMap((c) => all(c, name)),
];

describe('loadLatencySvg', () => {
  const svg = loadLatencySvg('pod', CURVES, { id: 'load1' });
  const doc = parseXml(svg);

  it('is a titled, described chart with one line per policy and the SLO drawn', () => {
    expect(doc.name).toBe('svg');
    expect(doc.attrs['role']).toBe('img');
    expect(all(doc, 'title')[0]?.text).toBe('TTFT p99 vs offered load on pod');
    const desc = all(doc, 'desc')[0]?.text ?? '';
    expect(desc).toContain('droidspeak: knee 32 /s');
    expect(desc).toContain('full-prefill: knee 16 /s');
    expect(all(doc, 'polyline')).toHaveLength(2);
    expect(svg).toContain('TTFT SLO 3.00 s');
  });

  it('marks each knee at its rate: x of the knee line = x of that point', () => {
    const knees = all(doc, 'g').filter((g) => g.attrs['class'] === 'knee');
    expect(knees.map((g) => g.attrs['aria-label'])).toEqual([
      'knee 32 /s (droidspeak)',
      'knee 16 /s (full-prefill)',
    ]);
    // x axis 0–80 (linear ticks over 64) on a plot from x = 80 to 860 (780 wide):
    // 32 /s → 80 + 32 / 80 × 780 = 392; 16 /s → 80 + 16 / 80 × 780 = 236
    expect(knees.map((g) => all(g, 'line')[0]?.attrs['x1'])).toEqual(['392', '236']);
    expect(knees.map((g) => all(g, 'circle')[0]?.attrs['cx'])).toEqual(['392', '236']);
  });

  it('draws no knee for a curve whose lowest rate already misses, and says so', () => {
    const none: LoadCurve = { ...(CURVES[1] as LoadCurve), kneeRatePerS: null };
    const s = loadLatencySvg('pod', [none], { id: 'x' });
    expect(s).not.toContain('class="knee"');
    expect(s).toContain('full-prefill: knee below the lowest rate');
  });

  it('matches its golden file', () => {
    const golden = fileURLToPath(new URL('./__golden__/load-latency.svg', import.meta.url));
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, `${svg}\n`);
    }
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1`).toBe(true);
    expect(`${svg}\n`).toBe(readFileSync(golden, 'utf8'));
  });
});

describe('the report with a load axis', () => {
  it('has a load chart with its knee per fabric, and the load and bound tables', () => {
    const { scenario } = loadScenario('droidspeak-8b');
    const cfg: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 40 } };
    const graph = loadTopology('rdma-32x1').graph;
    const columns = whatIf([{ label: 'rdma-32x1', graph, failures: {} }], cfg, undefined, {
      ratesPerS: [4, 8],
      reuseGain: { search: false },
    });
    const input = {
      scenario: 'droidspeak-8b',
      columns,
      costPerHostUsd: [0],
      graphs: [graph],
      generatedBy: 'podsim whatif --rates 4,8',
    };
    const html = reportHtml(input);
    const doc = parseXml(html);
    const titles = all(doc, 'svg').map((s) => all(s, 'title')[0]?.text);
    expect(titles).toContain('TTFT p99 vs offered load on rdma-32x1');
    // a knee marker exactly when a curve has a knee
    const knees = columns[0]?.loadCurves?.filter((k) => k.kneeRatePerS !== null).length ?? 0;
    expect((html.match(/class="knee"/g) ?? []).length).toBe(knees);
    const md = reportMarkdown(input);
    expect(md).toContain('## What bounds each column');
    expect(md).toContain('## Load: TTFT p99 vs offered rate on rdma-32x1');
    expect(md).toContain('| policy | offered | goodput | TTFT p99 | SLOs met | knee |');
  });
});
