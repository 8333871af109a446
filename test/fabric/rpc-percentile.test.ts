/**
 * Weighted percentiles (src/fabric/rpc-percentile.ts): hand cases and laws — equal weights give
 * the unweighted nearest-rank percentile, scaling every weight changes nothing, repeating an
 * entry is the same as doubling its weight, the answer is one of the values and grows with p.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weightedPercentile, weightedStats } from '../../src/fabric/rpc.ts';

/** The unweighted nearest-rank percentile, as src/fabric/rpc-all-pairs.ts computes it. */
function nearestRank(values: readonly number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] ?? NaN;
}

const values = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 60 });
const quantile = fc.constantFrom(0, 0.01, 0.25, 0.5, 0.9, 0.99, 1);
const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });

describe('weightedPercentile', () => {
  it('hand cases', () => {
    // weights 1, 1, 2 of 4: half (2) is reached at the second value
    expect(weightedPercentile([1, 2, 3], [1, 1, 2], 0.5)).toBe(2);
    expect(weightedPercentile([1, 2, 3], [1, 1, 2], 0.51)).toBe(3);
    // order of entries does not matter; zero weights never count
    expect(weightedPercentile([30, 10, 20], [0, 5, 0], 0.99)).toBe(10);
    expect(weightedPercentile([1, 2], [0, 0], 0.5)).toBeNull();
    expect(weightedStats([5, 1, 9], [1, 0, 1])).toEqual({
      minNs: 5,
      p50Ns: 5,
      p99Ns: 9,
      maxNs: 9,
    });
    expect(() => weightedPercentile([1], [1, 2], 0.5)).toThrow();
    expect(() => weightedPercentile([1], [1], 1.5)).toThrow();
  });

  it('equal weights give the unweighted nearest-rank percentile', () => {
    fc.assert(
      fc.property(values, positive, quantile, (v, w, p) => {
        expect(
          weightedPercentile(
            v,
            v.map(() => w),
            p,
          ),
        ).toBe(nearestRank(v, p));
      }),
    );
  });

  it('scaling every weight changes nothing', () => {
    fc.assert(
      fc.property(
        values.chain((v) =>
          fc.tuple(
            fc.constant(v),
            fc.array(positive, { minLength: v.length, maxLength: v.length }),
          ),
        ),
        positive,
        quantile,
        ([v, w], c, p) => {
          expect(
            weightedPercentile(
              v,
              w.map((x) => x * c),
              p,
            ),
          ).toBe(weightedPercentile(v, w, p));
        },
      ),
    );
  });

  it('an entry repeated is an entry of double weight', () => {
    fc.assert(
      fc.property(
        values.chain((v) =>
          fc.tuple(
            fc.constant(v),
            fc.array(fc.integer({ min: 0, max: 20 }), { minLength: v.length, maxLength: v.length }),
            fc.nat(v.length - 1),
          ),
        ),
        quantile,
        ([v, w, k], p) => {
          const doubled = w.map((x, i) => (i === k ? 2 * x : x));
          expect(weightedPercentile([...v, v[k] ?? 0], [...w, w[k] ?? 0], p)).toBe(
            weightedPercentile(v, doubled, p),
          );
        },
      ),
    );
  });

  it('is one of the values with positive weight, and never falls as p grows', () => {
    fc.assert(
      fc.property(
        values.chain((v) =>
          fc.tuple(
            fc.constant(v),
            fc.array(fc.double({ min: 0, max: 100, noNaN: true }), {
              minLength: v.length,
              maxLength: v.length,
            }),
          ),
        ),
        ([v, w]) => {
          fc.pre(w.some((x) => x > 0));
          let last = -Infinity;
          for (const p of [0, 0.1, 0.5, 0.9, 0.99, 1]) {
            const q = weightedPercentile(v, w, p);
            expect(v.some((x, i) => x === q && (w[i] ?? 0) > 0)).toBe(true);
            expect(q ?? -Infinity).toBeGreaterThanOrEqual(last);
            last = q ?? last;
          }
        },
      ),
    );
  });
});
