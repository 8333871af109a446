/**
 * A small fixed capacity report input, built by hand (no simulation), shared by the report's
 * golden test (capacity-report.test.ts) and the browser test (browser.test.ts).
 */
import type { CapacityReportInput } from '../../src/report/capacity-report.ts';
import { tornadoSvg, type FrontierSeries } from '../../src/report/svg.ts';

/** A small fixed input: two families that ran (the frontier test's), one that did not, one table, one tornado. */
export const CAPACITY_REPORT_INPUT: CapacityReportInput = {
  title: 'Capacity plan: plans/example.yaml',
  generatedBy: 'podsim capacity plans/example.yaml --report out',
  intro: [
    'The cheapest configuration sustaining 180 /s is beta with 16 hosts ($400,000).',
    'Run `podsim capacity --help` for the search options.',
  ],
  tables: [
    {
      title: 'Candidates',
      columns: [{ header: 'family' }, { header: 'hosts', align: 'right' }],
      rows: [
        ['alpha', '8'],
        ['beta', '16'],
      ],
    },
  ],
  frontier: {
    series: [
      {
        family: 'alpha',
        points: [
          { hosts: 8, totalUsd: 100_000, maxRatePerS: 50, onFrontier: true },
          { hosts: 16, totalUsd: 300_000, maxRatePerS: 150, onFrontier: true },
        ],
      },
      {
        family: 'beta',
        points: [
          { hosts: 16, totalUsd: 400_000, maxRatePerS: 200, onFrontier: true },
          { hosts: 8, totalUsd: 200_000, maxRatePerS: 40, onFrontier: false },
        ],
      },
      { family: 'gamma', points: [] },
    ],
    targetRatePerS: 180,
    cheapest: { family: 'beta', hosts: 16 },
  },
  tornadoes: [
    {
      family: 'beta',
      svg: tornadoSvg(
        0.1,
        [
          { name: 'memory price', low: 2, high: 6, atLow: 0.2, atHigh: -0.05, flipsSign: true },
          { name: 'cable price', low: 50, high: 150, atLow: 0.12, atHigh: 0.08, flipsSign: false },
        ],
        { id: 'tornado1' },
      ),
    },
  ],
};

/**
 * Twelve configurations of three families packed into a small region (costs $1.0–1.34 M, rates
 * 100–139 /s), the first family on the frontier: the hard case for label placement.
 */
export const CROWDED_SERIES: readonly FrontierSeries[] = ['a', 'b', 'c'].map((family, k) => ({
  family,
  points: [8, 16, 24, 32].map((hosts, j) => ({
    hosts,
    totalUsd: 1_000_000 + 100_000 * j + 20_000 * k,
    maxRatePerS: 100 + 10 * j + 3 * k,
    onFrontier: k === 0,
  })),
}));
