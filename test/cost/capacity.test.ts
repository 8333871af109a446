/**
 * Capacity planning (src/cost/capacity.ts) and plan files (src/io/plan-file.ts); the pooling
 * math is tested in test/cost/pooling*.test.ts. Here: the search (infeasible sizes, cheapest feasible, a frontier with no dominated
 * point) and the plan loader's errors (class + code + path).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateConfiguration } from '../../src/app/capacity.ts';
import {
  cheapestFeasible,
  finalGoodput,
  paretoFrontier,
  scaleArrival,
  type CapacityRow,
} from '../../src/cost/capacity.ts';
import { DEFAULT_COST_CATALOGUE } from '../../src/cost/index.ts';
import { InputError } from '../../src/errors/index.ts';
import {
  loadScenario,
  parsePlanText,
  parseTopologyText,
  renderTopologyFile,
  type TopologyFileDocument,
} from '../../src/io/index.ts';
import { GiB, usd } from '../../src/units/index.ts';

const build = (doc: Record<string, unknown>) =>
  parseTopologyText(renderTopologyFile(doc as unknown as TopologyFileDocument), 'test.yaml');

const row = (
  family: string,
  hosts: number,
  cost: number | undefined,
  goodput: number,
  feasible: boolean,
): CapacityRow => ({
  family,
  hosts,
  ran: cost !== undefined,
  feasible,
  ...(cost === undefined ? {} : { totalUsd: usd(cost), perHostUsd: usd(cost / hosts) }),
  steps:
    cost === undefined
      ? []
      : [{ growth: 1, goodputPerS: goodput, sloAttainment: feasible ? 1 : 0.5 }],
});

describe('capacity search', () => {
  const { scenario } = loadScenario('droidspeak-8b');
  const small = { ...scenario, workload: { ...scenario.workload, requests: 150 } };

  it('scales the arrival rate by the growth step', () => {
    const a = scaleArrival(small, 1.5).workload.arrival;
    expect(a.kind === 'poisson' ? a.ratePerSecond : NaN).toBe(36);
  });

  it('marks a size whose replicas do not fit as infeasible with the reason, and runs one that fits', () => {
    const tiny = build({ generator: 'rdma-rack', params: { hosts: 2, racks: 1 } });
    const r = evaluateConfiguration('rdma', tiny, DEFAULT_COST_CATALOGUE, small, {
      growth: [1, 1.5],
      attainment: 0.99,
    });
    expect(r.feasible).toBe(false);
    expect(r.ran).toBe(false);
    expect(r.reason).toMatch(/replicas/);
    const ok = evaluateConfiguration(
      'rdma',
      build({ generator: 'rdma-rack', params: { hosts: 4, racks: 1 } }),
      DEFAULT_COST_CATALOGUE,
      small,
      { growth: [1, 1.5], attainment: 0 },
    );
    expect(ok.ran).toBe(true);
    expect(ok.feasible).toBe(true);
    expect(ok.steps.map((s) => s.growth)).toEqual([1, 1.5]);
    const strict = evaluateConfiguration(
      'rdma',
      build({ generator: 'rdma-rack', params: { hosts: 4, racks: 1 } }),
      DEFAULT_COST_CATALOGUE,
      small,
      { growth: [1], attainment: 1.01 },
    );
    expect(strict.feasible).toBe(false);
    expect(strict.reason).toMatch(/SLO attainment/);
  });

  it('finds the cheapest feasible configuration', () => {
    const rows = [
      row('a', 8, 100, 5, false),
      row('b', 8, 200, 5, true),
      row('c', 4, 150, 6, true),
      row('d', 2, undefined, 0, false),
    ];
    expect(cheapestFeasible(rows)?.family).toBe('c');
    expect(cheapestFeasible([rows[0] as CapacityRow])).toBeUndefined();
  });

  it('the frontier has no dominated point and covers every row that ran', () => {
    const arb = fc.array(
      fc.record({
        cost: fc.integer({ min: 1, max: 20 }),
        goodput: fc.integer({ min: 0, max: 20 }),
        feasible: fc.boolean(),
      }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(arb, (xs) => {
        const rows = xs.map((x, i) => row(`f${i}`, i + 1, x.cost, x.goodput, x.feasible));
        const front = paretoFrontier(rows);
        for (const p of front) {
          for (const o of rows) {
            const dominated =
              (o.totalUsd ?? 0) <= (p.totalUsd ?? 0) &&
              finalGoodput(o) >= finalGoodput(p) &&
              ((o.totalUsd ?? 0) < (p.totalUsd ?? 0) || finalGoodput(o) > finalGoodput(p));
            expect(dominated).toBe(false);
          }
        }
        for (const o of rows)
          expect(
            front.some(
              (p) => (p.totalUsd ?? 0) <= (o.totalUsd ?? 0) && finalGoodput(p) >= finalGoodput(o),
            ),
          ).toBe(true);
        for (let i = 1; i < front.length; i++)
          expect(front[i]?.totalUsd ?? 0).toBeGreaterThanOrEqual(front[i - 1]?.totalUsd ?? 0);
      }),
    );
  });
});

describe('plan files', () => {
  const good = `scenario: droidspeak-8b
growth: [1, 1.5]
slo: { attainment: 99 % }
candidates:
  - { generator: rdma-rack, params: { racks: 1 }, hosts: [4, 8] }
memory: { perHostMean: "384 GiB", peakToMean: 1.6, localFraction: 0.75 }
`;

  it('resolves a good plan (defaults filled, prices resolved)', () => {
    const p = parsePlanText(`${good}prices: { serverBase: "$35,000" }\n`, 'p.yaml');
    expect(p.attainment).toBeCloseTo(0.99, 12);
    const d = p.memory.demand;
    expect(d.kind === 'lognormal' ? [d.samples, d.perHostMeanBytes] : []).toEqual([
      2000,
      384 * GiB,
    ]);
    expect(p.memory.risk).toBe(0.01);
    expect(p.memory.policy).toBe('balanced');
    expect(p.catalogue.serverBaseUsd).toBe(35_000);
    expect(p.candidates[0]?.label).toBe('rdma-rack');
    expect(p.scenario?.name).toBe('droidspeak-8b');
    expect(p.seed).toBe(p.scenario?.seed);
  });

  it('reports every bad field at once, with class, code and path', () => {
    const bad = `scenario: droidspeak-8b
growth: [1.5, 0]
slo: { attainment: 120 % }
candidates:
  - { generator: rdma-rak, hosts: [4] }
  - { generator: switched-cxl, params: { devices: 0, switchPorts: 32, hostLinks: 2 }, hosts: [] }
prices: { serverBse: "$1" }
memory: { perHostMean: 384, peakToMean: 40, localFraction: 0.5, sample: 3 }
`;
    let err: unknown;
    try {
      parsePlanText(bad, 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const issues = (err as InputError).issues.map((i) => `${i.code} ${i.path.join('.')}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'input.range growth.1',
        'input.range slo.attainment',
        'input.enum candidates.0.generator',
        'input.range candidates.1.hosts',
        'input.unknown-key prices.serverBse',
        'unit.invalid memory.perHostMean',
        'input.range memory.peakToMean',
        'input.unknown-key memory.sample',
      ]),
    );
    expect((err as InputError).message).toContain('bad.yaml');
  });

  it('checks candidate params through the topology schema at each size, and growth order', () => {
    const bad = good
      .replace('params: { racks: 1 }', 'params: { racks: 0 }')
      .replace('growth: [1, 1.5]', 'growth: [1.5, 1]');
    try {
      parsePlanText(bad, 'bad.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const issues = (e as InputError).issues.map((i) => `${i.code} ${i.path.join('.')}`);
      expect(issues).toContain('input.order growth.1');
      expect(issues).toContain('input.integer candidates.0.params.racks');
      expect(issues.filter((i) => i.endsWith('params.racks'))).toHaveLength(1);
    }
    const withHosts = good.replace('params: { racks: 1 }', 'params: { racks: 1, hosts: 3 }');
    expect(() => parsePlanText(withHosts, 'h.yaml')).toThrow(InputError);
  });
});
