/**
 * The capacity search that scales (issue 14 item 7; docs/capacity.md "Scaling and the rate
 * search"): replicas sized to each candidate (largest remainder over the scenario's variant mix),
 * the offered rate of a scenario and the scenario at a rate, the highest rate meeting the SLOs per
 * configuration, the target-rate verdict, and the frontier over capacity. Counts and rates are
 * derived by hand in the comments; the simulated ones are checked against the search's own
 * contract (bracket within tolerance, the target verdict agreeing with the search).
 */
import { describe, expect, it } from 'vitest';
import { evaluateConfiguration, sizeServing } from '../../src/app/capacity-config.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { replicaRoom } from '../../src/sim/replicas.ts';
import {
  atRate,
  capacityOf,
  cheapestFeasible,
  offeredRatePerS,
  paretoFrontier,
  replicaCount,
  scaleReplicas,
  type CapacityRow,
} from '../../src/cost/capacity.ts';
import { DEFAULT_COST_CATALOGUE } from '../../src/cost/index.ts';
import { buildGeneratorDocument } from '../../src/app/generated-topology.ts';
import { loadScenario, type TopologyFileDocument } from '../../src/io/index.ts';
import type { SimConfig } from '../../src/sim/types.ts';
import { usd } from '../../src/units/index.ts';

const mix = [
  { variant: 'a', count: 8 },
  { variant: 'b', count: 8 },
  { variant: 'c', count: 4 },
  { variant: 'd', count: 4 },
  { variant: 'e', count: 4 },
  { variant: 'f', count: 4 },
];
const counts = (total: number): number[] | undefined =>
  scaleReplicas(mix, total)?.map((r) => r.count);

const rdma = (hosts: number, gpusPerHost?: number) =>
  buildGeneratorDocument(
    {
      name: `rdma-${hosts}`,
      generator: 'rdma-rack',
      params: { hosts, racks: 1 },
      ...(gpusPerHost === undefined ? {} : { options: { gpusPerHost } }),
    } as unknown as TopologyFileDocument,
    'test.yaml',
  );

describe('replicas sized to the candidate', () => {
  it('keeps the variant mix by largest remainder, every variant served', () => {
    // 32 → 64: exact shares 16, 16, 8, 8, 8, 8 — whole already.
    expect(counts(64)).toEqual([16, 16, 8, 8, 8, 8]);
    // 32 → 10: exact 2.5, 2.5, 1.25 × 4 → floors 2, 2, 1, 1, 1, 1 (8); the 2 left go to the
    // largest remainders, 0.5 and 0.5 (a, b) → 3, 3, 1, 1, 1, 1.
    expect(counts(10)).toEqual([3, 3, 1, 1, 1, 1]);
    // 32 → 7: exact 1.75, 1.75, 0.875 × 4 → floors 1, 1, 0, 0, 0, 0 (2); the 5 left go to the
    // remainders 0.875 (c, d, e, f) then 0.75 (a, first in order) → 2, 1, 1, 1, 1, 1.
    expect(counts(7)).toEqual([2, 1, 1, 1, 1, 1]);
    // fewer replicas than variants: cannot serve them all
    expect(counts(5)).toBeUndefined();
    // 10 : 1 → 2: exact 1.82, 0.18 → floors 1, 0; the one left to 0.82 (x) → 2, 0; y has none,
    // so it takes one from x → 1, 1.
    expect(
      scaleReplicas(
        [
          { variant: 'x', count: 10 },
          { variant: 'y', count: 1 },
        ],
        2,
      )?.map((r) => r.count),
    ).toEqual([1, 1]);
  });

  it('sums to the total asked for, and no variant is more than one off its exact share (when none was empty)', () => {
    for (let total = 6; total <= 300; total += 7) {
      const c = counts(total) ?? [];
      expect(c.reduce((s, x) => s + x, 0)).toBe(total);
      c.forEach((x, i) => {
        const exact = ((mix[i]?.count ?? 0) * total) / 32;
        if (Math.floor(exact) >= 1) expect(Math.abs(x - exact)).toBeLessThan(1);
      });
    }
  });

  it('counts replicas per host, or a share of the GPU slots', () => {
    // 16 hosts × 3 per host = 48; 100 slots × 25 % = 25; 10 slots × 33 % = 3.3 → 3
    expect(replicaCount({ kind: 'per-host', perHost: 3 }, 16, 128, 32)).toBe(48);
    expect(replicaCount({ kind: 'gpu-share', share: 0.25 }, 16, 100, 32)).toBe(25);
    expect(replicaCount({ kind: 'gpu-share', share: 0.33 }, 16, 10, 32)).toBe(3);
    // 0.29 × 100 is 28.999999999999996 in floating point: still 29 slots
    expect(replicaCount({ kind: 'gpu-share', share: 0.29 }, 16, 100, 32)).toBe(29);
    expect(replicaCount({ kind: 'scenario' }, 16, 128, 32)).toBe(32);
  });

  it('counts GPU slots as GPUs per host ÷ tensor-parallel degree, rounded down per host', () => {
    // 2 hosts × 8 GPUs: 16 slots at tp 1, 2 × ⌊8 ÷ 3⌋ = 4 at tp 3; 3 hosts × 4 GPUs at tp 3: 3 × 1
    expect(replicaRoom(compileFabric(rdma(2), {}), 1)).toBe(16);
    expect(replicaRoom(compileFabric(rdma(2), {}), 3)).toBe(4);
    expect(replicaRoom(compileFabric(rdma(3, 4), {}), 3)).toBe(3);
  });

  it('sizes a scenario to a topology, or says why it cannot', () => {
    const { scenario } = loadScenario('droidspeak-8b');
    const four = compileFabric(rdma(4), {});
    const sized = sizeServing(four, scenario, { kind: 'per-host', perHost: 2 });
    // 4 hosts × 2 = 8 replicas of the 8 : 8 : 4 : 4 : 4 : 4 mix: exact 2, 2, 1, 1, 1, 1
    expect('cfg' in sized ? sized.cfg.serving.replicas.map((r) => r.count) : []).toEqual([
      2, 2, 1, 1, 1, 1,
    ]);
    const short = sizeServing(four, scenario, { kind: 'per-host', perHost: 1 });
    expect('reason' in short ? short.reason : '').toBe(
      "4 replicas at this size cannot serve the scenario's 6 variants (one each at least)",
    );
    // the scenario's own replicas are left as they are
    const own = sizeServing(four, scenario, { kind: 'scenario' });
    expect('cfg' in own ? own.cfg : undefined).toBe(scenario);
  });
});

describe('offered rates', () => {
  const { scenario } = loadScenario('droidspeak-8b');
  const traced = (arrivalsNs: number[]): SimConfig => ({
    ...scenario,
    workload: { ...scenario.workload, arrival: { kind: 'trace', arrivalsNs } },
  });

  it('reads a Poisson rate, or a trace’s arrivals over its span', () => {
    expect(offeredRatePerS(scenario)).toBe(24);
    // 4 arrivals at 0, 1, 2, 3 s: 3 gaps over 3 s = 1 /s
    expect(offeredRatePerS(traced([0, 1e9, 2e9, 3e9]))).toBe(1);
    expect(offeredRatePerS(traced([5e9]))).toBeNull();
    expect(offeredRatePerS(traced([5e9, 5e9]))).toBeNull();
  });

  it('offers a scenario at a rate: a Poisson rate set exactly, a trace compressed in time', () => {
    const a = atRate(scenario, 37.5).workload.arrival;
    expect(a.kind === 'poisson' ? a.ratePerSecond : NaN).toBe(37.5);
    // 1 /s offered at 2 /s: every arrival at half its time
    const t = atRate(traced([0, 1e9, 2e9, 3e9]), 2).workload.arrival;
    expect(t.kind === 'trace' ? t.arrivalsNs : []).toEqual([0, 0.5e9, 1e9, 1.5e9]);
  });
});

describe('the verdicts over capacity', () => {
  const row = (family: string, cost: number, maxRate: number, feasible: boolean): CapacityRow => ({
    family,
    hosts: 8,
    ran: true,
    feasible,
    totalUsd: usd(cost),
    steps: [{ growth: 1, goodputPerS: 5, sloAttainment: 1 }],
    search: { maxRatePerS: maxRate, failsAtPerS: maxRate * 1.05, runs: 6 },
  });

  it('measures a configuration by its highest rate meeting the SLOs, else its last goodput', () => {
    expect(capacityOf(row('a', 100, 42, true))).toBe(42);
    const { search: _s, ...plain } = row('b', 100, 42, true);
    expect(capacityOf(plain)).toBe(5);
  });

  it('keeps on the frontier only what no cheaper configuration outruns', () => {
    // a $100 → 10 /s; b $150 → 8 /s (a costs less and runs faster: dominated); c $200 → 20 /s;
    // d $200 → 20 /s (c's twin, later in plan order: dropped)
    const rows = [row('a', 100, 10, false), row('b', 150, 8, true), row('c', 200, 20, true)];
    expect(paretoFrontier([...rows, row('d', 200, 20, true)]).map((r) => r.family)).toEqual([
      'a',
      'c',
    ]);
    // the cheapest feasible is b: a is cheaper but not feasible
    expect(cheapestFeasible(rows)?.family).toBe('b');
  });
});

describe('evaluateConfiguration with scaling and the search', () => {
  const { scenario } = loadScenario('droidspeak-8b');
  const small: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 150 } };
  const four = rdma(4);
  const evaluate = (perHost: number, targetRatePerS?: number) =>
    evaluateConfiguration('rdma', four, DEFAULT_COST_CATALOGUE, small, {
      growth: [],
      attainment: 0.99,
      replicas: { kind: 'per-host', perHost },
      searchTolerance: 0.05,
      ...(targetRatePerS === undefined ? {} : { targetRatePerS }),
    });

  it('brackets the highest rate meeting the SLOs within the tolerance', () => {
    let runs = 0;
    const r = evaluateConfiguration(
      'rdma',
      four,
      DEFAULT_COST_CATALOGUE,
      small,
      {
        growth: [1],
        attainment: 0.99,
        replicas: { kind: 'per-host', perHost: 2 },
        searchTolerance: 0.05,
      },
      () => runs++,
    );
    expect(r.ran).toBe(true);
    expect(r.replicas).toBe(8);
    const s = r.search;
    expect(s?.maxRatePerS ?? 0).toBeGreaterThan(0);
    const fails = s?.failsAtPerS ?? 0;
    expect(fails).toBeGreaterThan(s?.maxRatePerS ?? Infinity);
    expect(fails - (s?.maxRatePerS ?? 0)).toBeLessThanOrEqual(0.05 * fails);
    // one growth run, then the search — which reuses the growth step's run at 24 /s as its start
    expect(runs).toBe(1 + (s?.runs ?? 0));
  });

  it('agrees with the search at the target rate, and says which rate missed', () => {
    const searched = evaluate(2);
    const max = searched.search?.maxRatePerS ?? 0;
    const below = evaluate(2, max / 2);
    expect([below.meetsTarget, below.feasible]).toEqual([true, true]);
    expect(below.search?.maxRatePerS ?? 0).toBeGreaterThanOrEqual(max / 2);
    const above = evaluate(2, max * 4);
    expect([above.meetsTarget, above.feasible]).toEqual([false, false]);
    expect(above.search?.maxRatePerS ?? Infinity).toBeLessThan(max * 4);
    expect(above.reason).toMatch(/^SLO attainment .* < 99\.00 % at the target [\d,.]+ \/s$/);
  });

  it('sustains more with more replicas on the same hosts (compute-bound)', () => {
    // 8 → 16 replicas: twice the GPUs; the rate roughly doubles (the fabric is idle here)
    const ratio = (evaluate(4).search?.maxRatePerS ?? 0) / (evaluate(2).search?.maxRatePerS ?? 1);
    expect(ratio).toBeGreaterThan(1.4);
    expect(ratio).toBeLessThan(2.6);
  });

  it('a size with fewer replicas than variants is infeasible with the reason, priced', () => {
    const r = evaluate(1);
    expect([r.ran, r.feasible]).toEqual([false, false]);
    expect(r.reason).toMatch(/4 replicas at this size cannot serve the scenario's 6 variants/);
    expect(r.totalUsd).toBeGreaterThan(0);
  });
});
