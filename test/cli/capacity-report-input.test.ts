/**
 * `capacity --report`'s input (src/cli/capacity-report-input.ts) from a hand-built run: the
 * frontier series per family, the verdict sentences, and when the chart is left out.
 */
import { describe, expect, it } from 'vitest';
import type { CapacityReport } from '../../src/app/capacity.ts';
import type { CapacityRow } from '../../src/cost/capacity.ts';
import {
  capacityReportInput,
  frontierSeries,
  verdictSentences,
} from '../../src/cli/capacity-report-input.ts';
import { usd } from '../../src/units/index.ts';

const row = (family: string, hosts: number, cost: number, rate: number | null): CapacityRow => ({
  family,
  hosts,
  ran: rate !== null,
  feasible: rate !== null && rate >= 100,
  totalUsd: usd(cost),
  steps: [],
  ...(rate === null ? {} : { search: { maxRatePerS: rate, failsAtPerS: rate * 1.05, runs: 5 } }),
});

// a: 8 hosts $1 M → 60 /s, 16 hosts $2 M → 120 /s; b: 8 hosts did not run, 16 hosts $1.9 M → 110 /s
const rows = [
  row('a', 8, 1e6, 60),
  row('a', 16, 2e6, 120),
  row('b', 8, 0.9e6, null),
  row('b', 16, 1.9e6, 110),
];
const report: CapacityReport = {
  plan: 'p.yaml',
  mode: 'serving',
  scenario: 's',
  growth: [],
  attainment: 0.99,
  replicas: { kind: 'per-host', perHost: 8 },
  targetRatePerS: 100,
  searchTolerance: 0.05,
  runs: 15,
  notes: ['a note'],
  rows,
  // the cheapest at ≥ 100 /s is b at 16 hosts ($1.9 M); the frontier: a-8, b-16, a-16
  cheapest: rows[3] ?? null,
  frontier: [rows[0], rows[3], rows[1]].filter((r): r is CapacityRow => r !== undefined),
  pooling: [],
};

describe('the capacity report input', () => {
  it('draws one series per family with the sizes that ran, frontier points marked', () => {
    expect(frontierSeries(report)).toEqual([
      {
        family: 'a',
        points: [
          { hosts: 8, totalUsd: 1e6, maxRatePerS: 60, onFrontier: true },
          { hosts: 16, totalUsd: 2e6, maxRatePerS: 120, onFrontier: true },
        ],
      },
      { family: 'b', points: [{ hosts: 16, totalUsd: 1.9e6, maxRatePerS: 110, onFrontier: true }] },
    ]);
  });

  it('says the verdict in a sentence, then the notes', () => {
    expect(verdictSentences(report)).toEqual([
      'Cheapest configuration sustaining 100 /s under the SLOs: b at 16 hosts, $1,900,000, which sustains up to 110 /s.',
      'a note',
    ]);
    const unbounded = {
      ...row('b', 16, 1.9e6, 110),
      search: { maxRatePerS: 110, failsAtPerS: null, runs: 12 },
    };
    expect(verdictSentences({ ...report, cheapest: unbounded })[0]).toBe(
      'Cheapest configuration sustaining 100 /s under the SLOs: b at 16 hosts, $1,900,000, which met the SLOs at every rate tried, up to 110 /s.',
    );
    expect(verdictSentences({ ...report, cheapest: null, targetRatePerS: null })[0]).toBe(
      'No configuration of the plan is feasible (meeting the SLOs at every growth step).',
    );
  });

  it('charts the frontier only when the plan searched the rate', () => {
    const input = capacityReportInput(report, [], 'podsim capacity p.yaml');
    expect(input.frontier?.targetRatePerS).toBe(100);
    expect(input.frontier?.cheapest).toEqual({ family: 'b', hosts: 16 });
    expect(
      capacityReportInput({ ...report, searchTolerance: null }, [], 'x').frontier,
    ).toBeUndefined();
    expect(capacityReportInput({ ...report, mode: 'pooling' }, [], 'x').intro).toEqual([]);
  });
});
