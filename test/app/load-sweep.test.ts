/**
 * The load axis (src/app/load-sweep.ts): the knee of a hand-made curve, the bracket + bisection
 * search on synthetic monotone functions (answers derived by hand below), the rate override and
 * its refusal of non-Poisson arrivals, and a small seeded curve and search on a real fabric.
 */
import { describe, expect, it } from 'vitest';
import {
  kneeIndex,
  loadCurve,
  maxSustainableRate,
  scenarioRatePerS,
  searchMaxRate,
  withPoissonRate,
  type LoadPoint,
} from '../../src/app/load-sweep.ts';
import { InputError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { loadScenario, loadTopology } from '../../src/io/index.ts';
import type { SimConfig } from '../../src/sim/types.ts';

/** A synthetic point: meets the SLOs iff `ratePerS <= limit`. */
const point = (ratePerS: number, limit: number): LoadPoint => ({
  ratePerS,
  goodputPerS: Math.min(ratePerS, limit),
  ttftP50Ns: 1e8,
  ttftP99Ns: ratePerS <= limit ? 1e9 : 1e10,
  sloAttainment: ratePerS <= limit ? 1 : 0.5,
  meetsSlo: ratePerS <= limit,
  gpuBusiest: Math.min(1, ratePerS / limit),
});

describe('kneeIndex', () => {
  it('is the last rate of the leading run of rates meeting the SLOs', () => {
    const m = (ratePerS: number, meetsSlo: boolean): Pick<LoadPoint, 'ratePerS' | 'meetsSlo'> => ({
      ratePerS,
      meetsSlo,
    });
    // 8 ✓, 16 ✓, 32 ✓, 64 ✗ → the knee is 32 (index 2)
    expect(kneeIndex([m(8, true), m(16, true), m(32, true), m(64, false)])).toBe(2);
    // a pass after the first miss (48 ✓ after 32 ✗) is noise past the knee: still 16 (index 1)
    expect(kneeIndex([m(8, true), m(16, true), m(32, false), m(48, true)])).toBe(1);
    // the lowest rate already misses: no knee
    expect(kneeIndex([m(8, false), m(16, true)])).toBe(-1);
    // every rate meets: the knee is the highest rate swept
    expect(kneeIndex([m(8, true), m(16, true)])).toBe(1);
    expect(kneeIndex([])).toBe(-1);
  });
});

describe('searchMaxRate', () => {
  it('brackets by doubling, then bisects to the tolerance (limit 37 /s, start 10, 5 %)', () => {
    // 10 ✓ → 20 ✓ → 40 ✗: bracket [20, 40]. Bisect while (hi − lo) > 0.05 × hi:
    //   20 > 2     → 30 ✓    [30, 40]
    //   10 > 2     → 35 ✓    [35, 40]
    //   5 > 2      → 37.5 ✗  [35, 37.5]
    //   2.5 > 1.875 → 36.25 ✓ [36.25, 37.5]
    //   1.25 ≤ 1.875: stop. 7 runs, answer 36.25, misses at 37.5.
    const seen: number[] = [];
    const r = searchMaxRate(
      (x) => {
        seen.push(x);
        return point(x, 37);
      },
      { startPerS: 10, relTolerance: 0.05 },
    );
    expect(seen).toEqual([10, 20, 40, 30, 35, 37.5, 36.25]);
    expect(r.ratePerS).toBe(36.25);
    expect(r.failsAtPerS).toBe(37.5);
    expect(r.points.map((p) => p.ratePerS)).toEqual([10, 20, 30, 35, 36.25, 37.5, 40]);
  });

  it('brackets by halving when the start rate misses (limit 7 /s, start 24, 10 %)', () => {
    // 24 ✗ → 12 ✗ → 6 ✓: bracket [6, 12]. 6 > 1.2 → 9 ✗ [6, 9]; 3 > 0.9 → 7.5 ✗ [6, 7.5];
    // 1.5 > 0.75 → 6.75 ✓ [6.75, 7.5]; 0.75 ≤ 0.75: stop.
    const r = searchMaxRate((x) => point(x, 7), { startPerS: 24, relTolerance: 0.1 });
    expect(r.ratePerS).toBe(6.75);
    expect(r.failsAtPerS).toBe(7.5);
    expect(r.points).toHaveLength(6);
  });

  it('reuses a point already measured at the start rate instead of running it again', () => {
    const seen: number[] = [];
    const r = searchMaxRate(
      (x) => {
        seen.push(x);
        return point(x, 37);
      },
      { startPerS: 10, relTolerance: 0.05, first: point(10, 37) },
    );
    expect(seen[0]).toBe(20);
    expect(r.ratePerS).toBe(36.25);
    expect(r.points).toHaveLength(7);
  });

  it('reports an open bracket: 0 when nothing meets, null when everything does', () => {
    // limit 0.5, start 8, 3 halvings: 8 ✗, 4 ✗, 2 ✗, 1 ✗ → none met
    const none = searchMaxRate((x) => point(x, 0.5), {
      startPerS: 8,
      relTolerance: 0.1,
      maxBracketSteps: 3,
    });
    expect(none).toMatchObject({ ratePerS: 0, failsAtPerS: 1 });
    // limit ∞, start 8, 2 doublings: 8 ✓, 16 ✓, 32 ✓ → at least 32, no failing rate
    const all = searchMaxRate((x) => point(x, Infinity), {
      startPerS: 8,
      relTolerance: 0.1,
      maxBracketSteps: 2,
    });
    expect(all).toMatchObject({ ratePerS: 32, failsAtPerS: null });
  });
});

const { scenario } = loadScenario('droidspeak-8b');
const small: SimConfig = { ...scenario, workload: { ...scenario.workload, requests: 60 } };

describe('withPoissonRate', () => {
  it('replaces the rate and keeps everything else, seed included', () => {
    const c = withPoissonRate(small, 50);
    expect(c.workload.arrival).toEqual({ kind: 'poisson', ratePerSecond: 50 });
    expect(c.seed).toBe(small.seed);
    expect(c.workload.requests).toBe(60);
    expect(scenarioRatePerS(small)).toBe(24);
  });

  it('refuses other arrival kinds and non-positive rates as usage mistakes naming the flag', () => {
    const bursts: SimConfig = {
      ...small,
      workload: {
        ...small.workload,
        arrival: { kind: 'bursts', ratePerSecond: 24, burstSize: 4 },
      },
    };
    for (const [cfg, rate] of [
      [bursts, 10],
      [small, 0],
      [small, Number.NaN],
    ] as const) {
      try {
        withPoissonRate(cfg, rate, '--rates');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).issues[0]).toMatchObject({ code: 'cli.rates', path: ['--rates'] });
      }
    }
    expect(() => scenarioRatePerS(bursts, '--max-rate')).toThrow(InputError);
  });
});

describe('loadCurve and maxSustainableRate on a fabric', () => {
  const f = compileFabric(loadTopology('rdma-32x1').graph);

  it('gives one point per distinct rate, sorted, deterministic, with a knee among them', () => {
    const a = loadCurve(f, 'rdma-32x1', small, [64, 8, 8, 1000]);
    expect(a.points.map((p) => p.ratePerS)).toEqual([8, 64, 1000]);
    expect(a.policy).toBe(small.planner.policy);
    expect(a.ttftSloNs).toBe(small.slo.ttftNs);
    // 1000 /s on 32 GPUs is far past any knee: the SLOs are missed there
    expect(a.points.at(-1)?.meetsSlo).toBe(false);
    if (a.kneeRatePerS !== null) expect([8, 64]).toContain(a.kneeRatePerS);
    expect(loadCurve(f, 'rdma-32x1', small, [64, 8, 1000])).toEqual(a);
  });

  it('finds a rate that meets with a higher one that misses, within the tolerance', () => {
    const r = maxSustainableRate(f, small, { relTolerance: 0.25 });
    expect(r.failsAtPerS).not.toBeNull();
    const hi = r.failsAtPerS ?? 0;
    expect(r.ratePerS).toBeGreaterThan(0);
    expect(hi - r.ratePerS).toBeLessThanOrEqual(0.25 * hi);
    expect(r.points.find((p) => p.ratePerS === r.ratePerS)?.meetsSlo).toBe(true);
    expect(r.points.find((p) => p.ratePerS === hi)?.meetsSlo).toBe(false);
  });
});
