/**
 * The HTML report opened in headless Chromium (Debian's `chromium`, which `.ci/run` installs):
 * every chart renders with a real size and drawn content, and the page logs no errors. Skipped,
 * and shown as skipped, on a machine without Chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_CATALOGUE, priceTopology } from '../../src/cost/index.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import { capacityReportHtml } from '../../src/report/capacity-report.ts';
import { reportHtml } from '../../src/report/report.ts';
import { whatIf } from '../../src/app/whatif.ts';
import { CAPACITY_REPORT_INPUT, CROWDED_SERIES } from './capacity-report-input.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Headless Chromium with the flags the workplace's Chromium needs: no sandbox as root, no network chatter. */
const launch = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM ?? '',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });

/** Every chart of an HTML page opened in `browser`: its drawn size, shape count and title; the page's errors; the page. */
async function chartsOf(
  browser: Browser,
  file: string,
): Promise<{
  charts: { width: number; height: number; shapes: number; title: string }[];
  errors: string[];
  page: Page;
}> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pathToFileURL(file).href);
  const charts = await page.$$eval('svg[role="img"]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return {
        width: r.width,
        height: r.height,
        shapes: e.querySelectorAll('path, line, polyline, rect, circle, polygon').length,
        title: e.querySelector('title')?.textContent ?? '',
      };
    }),
  );
  return { charts, errors, page };
}

/** The frontier charts' point and target labels on `page` that overlap as Chromium lays them out, as `a / b` pairs. */
async function labelOverlaps(page: Page): Promise<string[]> {
  const boxes = await page.$$eval('svg g.labels text, svg g.target text', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { s: e.textContent ?? '', x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    }),
  );
  expect(boxes.length).toBeGreaterThan(1);
  const out: string[] = [];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1))
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) out.push(`${a.s} / ${b.s}`);
  return out;
}

describe.skipIf(CHROMIUM === undefined)('the HTML report in headless Chromium', () => {
  it('renders every chart with a size and drawn shapes, without page errors', async () => {
    const { scenario } = loadScenario('droidspeak-8b');
    const graphs = [
      loadTopology('octopus-bibd-25').graph,
      loadTopology('rdma-32x1').graph,
      loadTopology('octopus-96').graph, // drawn as a host × device matrix
    ];
    const columns = whatIf(
      graphs.map((graph) => ({ label: graph.getAttribute('name'), graph, failures: {} })),
      { ...scenario, workload: { ...scenario.workload, requests: 100 } },
    );
    const html = reportHtml({
      scenario: scenario.name,
      columns,
      costPerHostUsd: graphs.map((g) => priceTopology(g, DEFAULT_COST_CATALOGUE).fabricPerHostUsd),
      graphs,
      generatedBy: 'browser test',
    });
    const dir = mkdtempSync(join(tmpdir(), 'podsim-report-'));
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const browser = await launch();
    try {
      const { charts, errors } = await chartsOf(browser, file);
      expect(charts.length).toBeGreaterThanOrEqual(6);
      expect(charts.some((c) => c.title.includes('host × device matrix'))).toBe(true);
      for (const c of charts) {
        expect(c.width, c.title).toBeGreaterThan(200);
        expect(c.height, c.title).toBeGreaterThan(100);
        expect(c.shapes, c.title).toBeGreaterThan(5);
      }
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('renders the capacity report: the frontier chart and a tornado with a size and drawn shapes, without page errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podsim-capacity-report-'));
    const file = join(dir, 'capacity.html');
    writeFileSync(file, capacityReportHtml(CAPACITY_REPORT_INPUT));
    const crowded = join(dir, 'crowded.html');
    writeFileSync(
      crowded,
      capacityReportHtml({
        title: 'crowded',
        generatedBy: 'browser test',
        tables: [],
        frontier: {
          series: CROWDED_SERIES,
          targetRatePerS: 110,
          cheapest: { family: 'a', hosts: 16 },
        },
      }),
    );
    const browser = await launch();
    try {
      const { charts, errors, page } = await chartsOf(browser, file);
      expect(await labelOverlaps(page)).toEqual([]);
      expect(charts.map((c) => c.title)).toEqual([
        'Total cost vs highest rate meeting the SLOs',
        'Sensitivity of the net saving',
      ]);
      for (const c of charts) {
        expect(c.width, c.title).toBeGreaterThan(200);
        expect(c.height, c.title).toBeGreaterThan(100);
        expect(c.shapes, c.title).toBeGreaterThan(5);
      }
      expect(errors).toEqual([]);
      // the hard case for label placement: twelve points of three families close together
      const hard = await chartsOf(browser, crowded);
      expect(await labelOverlaps(hard.page)).toEqual([]);
      expect(hard.errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
