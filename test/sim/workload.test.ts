/**
 * The workload generator: determinism and stream independence, the arrival processes (Poisson,
 * bursts, trace), Zipf popularity, LongBench lengths, cross-variant share and weights, bounded
 * memory over a million requests, and validation codes and paths.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.ts';
import {
  contextLengths,
  generateRequests,
  LONGBENCH_PRESETS,
  validateWorkload,
  type Request,
  type WorkloadSpec,
} from '../../src/sim/workload.ts';
import { expectApprox } from '../helpers/approx.ts';

const BASE: WorkloadSpec = {
  arrival: { kind: 'poisson', ratePerSecond: 50 },
  requests: 1000,
  contexts: { count: 100, length: LONGBENCH_PRESETS.hotpotqa },
  popularity: { kind: 'zipf', exponent: 1 },
  variants: [
    { id: 'base', weight: 1 },
    { id: 'sft', weight: 2 },
    { id: 'agent', weight: 1 },
  ],
  crossVariantShare: 0.3,
  suffixTokens: 64,
  output: { kind: 'uniform', minTokens: 8, maxTokens: 256 },
};

const spec = (over: Partial<WorkloadSpec>): WorkloadSpec => ({ ...BASE, ...over });
const take = (s: WorkloadSpec, seed: number): Request[] => [...generateRequests(s, seed)];
/** The spec with no `requests` stop (exactOptionalPropertyTypes forbids `requests: undefined`). */
function withoutRequests(s: WorkloadSpec): WorkloadSpec {
  const out: { -readonly [K in keyof WorkloadSpec]: WorkloadSpec[K] } = { ...s };
  delete out.requests;
  return out;
}
const ctxIndex = (r: Request): number => Number(r.context.slice(1));

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** Small valid workloads for the property tests. */
const arbSpec: fc.Arbitrary<WorkloadSpec> = fc
  .record({
    arrival: fc.oneof(
      fc.record({
        kind: fc.constant('poisson' as const),
        ratePerSecond: fc.double({ min: 0.1, max: 1e4, noNaN: true }),
      }),
      fc.record({
        kind: fc.constant('bursts' as const),
        ratePerSecond: fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        burstSize: fc.integer({ min: 1, max: 8 }),
      }),
      fc
        .array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 60 })
        .map((t) => ({ kind: 'trace' as const, arrivalsNs: t.sort((x, y) => x - y) })),
    ),
    requests: fc.integer({ min: 1, max: 80 }),
    count: fc.integer({ min: 1, max: 50 }),
    lognormal: fc.boolean(),
    popularity: fc.oneof(
      fc.record({
        kind: fc.constant('zipf' as const),
        exponent: fc.double({ min: 0, max: 3, noNaN: true }),
      }),
      fc.constant({ kind: 'uniform' as const }),
    ),
    weights: fc
      .array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 5 })
      .filter((w) => w.filter((x) => x > 0).length >= 2),
    crossVariantShare: fc.double({ min: 0, max: 1, noNaN: true }),
    suffixTokens: fc.integer({ min: 0, max: 1000 }),
    output: fc.oneof(
      fc.record({ kind: fc.constant('fixed' as const), tokens: fc.integer({ min: 1, max: 500 }) }),
      fc.record({
        kind: fc.constant('uniform' as const),
        minTokens: fc.integer({ min: 1, max: 50 }),
        maxTokens: fc.integer({ min: 50, max: 500 }),
      }),
    ),
  })
  .map((r) => ({
    arrival: r.arrival,
    requests: r.requests,
    contexts: {
      count: r.count,
      length: r.lognormal ? LONGBENCH_PRESETS.lcc : { kind: 'fixed' as const, tokens: 4096 },
    },
    popularity: r.popularity,
    variants: r.weights.map((weight, i) => ({ id: `v${i}`, weight })),
    crossVariantShare: r.crossVariantShare,
    suffixTokens: r.suffixTokens,
    output: r.output,
  }));

describe('generateRequests: determinism and invariants', () => {
  it('gives the same sequence for the same spec and seed, and a different one for another seed', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer(), (s, seed) => {
        expect(take(s, seed)).toEqual(take(s, seed));
      }),
      { numRuns: 50 },
    );
    expect(take(BASE, 1)).not.toEqual(take(BASE, 2));
  });

  it('keeps the streams apart: changing outputs, lengths or popularity leaves the other quantities alone', () => {
    const ref = take(BASE, 9);
    const outputs = take(spec({ output: { kind: 'fixed', tokens: 7 } }), 9);
    expect(outputs.map((r) => [r.arrivalNs, r.context, r.variant, r.contextTokens])).toEqual(
      ref.map((r) => [r.arrivalNs, r.context, r.variant, r.contextTokens]),
    );
    const lengths = take(spec({ contexts: { count: 100, length: LONGBENCH_PRESETS.lcc } }), 9);
    expect(lengths.map((r) => [r.arrivalNs, r.context, r.variant, r.outputTokens])).toEqual(
      ref.map((r) => [r.arrivalNs, r.context, r.variant, r.outputTokens]),
    );
    const popularity = take(spec({ popularity: { kind: 'uniform' } }), 9);
    expect(popularity.map((r) => [r.arrivalNs, r.outputTokens])).toEqual(
      ref.map((r) => [r.arrivalNs, r.outputTokens]),
    );
    const variants = take(spec({ crossVariantShare: 0.9 }), 9);
    expect(variants.map((r) => [r.arrivalNs, r.context, r.outputTokens])).toEqual(
      ref.map((r) => [r.arrivalNs, r.context, r.outputTokens]),
    );
  });

  it('numbers requests 0, 1, 2 … in arrival order, within every range of the spec', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer(), (s, seed) => {
        const rs = take(s, seed);
        const lengths = contextLengths(s, seed);
        const ids = new Set(s.variants.filter((v) => v.weight > 0).map((v) => v.id));
        expect(rs.length).toBeLessThanOrEqual(s.requests ?? Infinity);
        if (s.arrival.kind !== 'trace') expect(rs.length).toBe(s.requests);
        else expect(rs.length).toBe(Math.min(s.requests ?? Infinity, s.arrival.arrivalsNs.length));
        rs.forEach((r, i) => {
          expect(r.id).toBe(i);
          if (i > 0) expect(r.arrivalNs).toBeGreaterThanOrEqual((rs[i - 1] as Request).arrivalNs);
          const k = ctxIndex(r);
          expect(r.context).toBe(`c${k}`);
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThan(s.contexts.count);
          expect(r.contextTokens).toBe(lengths[k]);
          expect(ids.has(r.variant)).toBe(true);
          expect(r.suffixTokens).toBe(s.suffixTokens);
          if (s.output.kind === 'fixed') expect(r.outputTokens).toBe(s.output.tokens);
          else {
            expect(Number.isInteger(r.outputTokens)).toBe(true);
            expect(r.outputTokens).toBeGreaterThanOrEqual(s.output.minTokens);
            expect(r.outputTokens).toBeLessThanOrEqual(s.output.maxTokens);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe('arrivals', () => {
  it('Poisson: mean inter-arrival within 3 % of 1/rate and a coefficient of variation ≈ 1 over 100k requests', () => {
    const rate = 200;
    const rs = generateRequests(
      spec({ arrival: { kind: 'poisson', ratePerSecond: rate }, requests: 100_000 }),
      3,
    );
    let prev = 0;
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (const r of rs) {
      const gap = r.arrivalNs - prev;
      prev = r.arrivalNs;
      n++;
      sum += gap;
      sumSq += gap * gap;
    }
    const mean = sum / n;
    const cv = Math.sqrt(sumSq / n - mean * mean) / mean;
    expect(n).toBe(100_000);
    expectApprox(mean, 1e9 / rate, 0.03);
    expectApprox(cv, 1, 0.03);
  });

  it('bursts: groups of burstSize requests at equal times, burst starts Poisson at rate / burstSize', () => {
    const rate = 120;
    const burstSize = 6;
    const rs = take(
      spec({ arrival: { kind: 'bursts', ratePerSecond: rate, burstSize }, requests: 60_000 }),
      4,
    );
    const starts: number[] = [];
    for (let i = 0; i < rs.length; i += burstSize) {
      const group = rs.slice(i, i + burstSize);
      expect(group.every((r) => r.arrivalNs === (group[0] as Request).arrivalNs)).toBe(true);
      starts.push((group[0] as Request).arrivalNs);
    }
    for (let b = 1; b < starts.length; b++)
      expect(starts[b]).toBeGreaterThan(starts[b - 1] as number);
    expectApprox((starts.at(-1) as number) / starts.length, (1e9 * burstSize) / rate, 0.05);
  });

  it('trace: replays the given times exactly and stops at the end of the trace', () => {
    const arrivalsNs = [0, 0, 5, 1000, 1000, 123_456_789];
    const rs = take(spec({ arrival: { kind: 'trace', arrivalsNs }, requests: 100 }), 5);
    expect(rs.map((r) => r.arrivalNs)).toEqual(arrivalsNs);
    const open = withoutRequests(spec({ arrival: { kind: 'trace', arrivalsNs } }));
    expect(validateWorkload(open)).toEqual([]);
    expect(take(open, 5).map((r) => r.arrivalNs)).toEqual(arrivalsNs);
    expect(
      take(spec({ arrival: { kind: 'trace', arrivalsNs }, requests: 3 }), 5).map(
        (r) => r.arrivalNs,
      ),
    ).toEqual([0, 0, 5]);
    expect(
      take(spec({ arrival: { kind: 'trace', arrivalsNs }, durationNs: 1000 }), 5).map(
        (r) => r.arrivalNs,
      ),
    ).toEqual([0, 0, 5]);
  });

  it('durationNs: stops before the first arrival at or after it, whichever of requests and duration comes first', () => {
    const unbounded = take(spec({ requests: 5000 }), 6);
    const durationNs = (unbounded[1234] as Request).arrivalNs;
    const cut = take(spec({ requests: 5000, durationNs }), 6);
    expect(cut).toEqual(unbounded.slice(0, 1234));
    expect(take(withoutRequests(spec({ durationNs })), 6)).toEqual(cut);
    expect(take(spec({ requests: 10, durationNs }), 6)).toEqual(unbounded.slice(0, 10));
  });
});

describe('contexts', () => {
  it('Zipf: the most popular context c0 is requested with the Zipf pmf probability', () => {
    const count = 100;
    const exponent = 1.1;
    let h = 0;
    for (let k = 1; k <= count; k++) h += k ** -exponent;
    const n = 100_000;
    const freq = new Float64Array(count);
    for (const r of generateRequests(
      spec({
        requests: n,
        contexts: { count, length: { kind: 'fixed', tokens: 1000 } },
        popularity: { kind: 'zipf', exponent },
      }),
      7,
    )) {
      freq[ctxIndex(r)]! += 1 / n;
    }
    expectApprox(freq[0] as number, 1 / h, 0.03);
    expectApprox(freq[1] as number, 2 ** -exponent / h, 0.05);
    expect(freq[0]).toBeGreaterThan(freq[1] as number);
    expect(freq[1]).toBeGreaterThan(freq[9] as number);
  });

  it('uniform popularity and Zipf exponent 0 spread requests evenly', () => {
    for (const popularity of [
      { kind: 'uniform' as const },
      { kind: 'zipf' as const, exponent: 0 },
    ]) {
      const counts = new Array<number>(10).fill(0);
      for (const r of generateRequests(
        spec({
          requests: 50_000,
          contexts: { count: 10, length: { kind: 'fixed', tokens: 10 } },
          popularity,
        }),
        8,
      ))
        counts[ctxIndex(r)]!++;
      for (const c of counts) expectApprox(c, 5000, 0.06);
    }
  });

  it('LongBench hotpotqa: median within 3 % of 10,933 and P95 within 5 % of 18,650 over 20k contexts', () => {
    const lengths = contextLengths(
      spec({ contexts: { count: 20_000, length: LONGBENCH_PRESETS.hotpotqa } }),
      11,
    );
    const sorted = Float64Array.from(lengths).sort();
    expectApprox(quantile(sorted, 0.5), 10_933, 0.03);
    expectApprox(quantile(sorted, 0.95), 18_650, 0.05);
  });

  it('presets carry docs/references.md §3 (median, P95) and every draw is a whole number in [min, max]', () => {
    expect(LONGBENCH_PRESETS['repobench-p']).toEqual({
      kind: 'lognormal',
      medianTokens: 14_285,
      p95Tokens: 30_376,
      minTokens: 256,
      maxTokens: 131_072,
    });
    expect(Object.isFrozen(LONGBENCH_PRESETS.lcc)).toBe(true);
    const narrow = {
      kind: 'lognormal' as const,
      medianTokens: 1000,
      p95Tokens: 100_000,
      minTokens: 500,
      maxTokens: 2000,
    };
    const lengths = contextLengths(spec({ contexts: { count: 5000, length: narrow } }), 12);
    expect(lengths.every((t) => t >= 500 && t <= 2000)).toBe(true);
    expect(lengths.includes(500) && lengths.includes(2000)).toBe(true);
    expect(
      contextLengths(spec({ contexts: { count: 4, length: { kind: 'fixed', tokens: 77 } } }), 1),
    ).toEqual(Int32Array.from([77, 77, 77, 77]));
  });
});

describe('variants', () => {
  const many = (over: Partial<WorkloadSpec>): WorkloadSpec =>
    spec({
      requests: 100_000,
      contexts: { count: 5000, length: { kind: 'fixed', tokens: 100 } },
      popularity: { kind: 'uniform' },
      ...over,
    });

  /** The variant of each context's first request, and how many later requests disagreed with it. */
  function homesOf(rs: Iterable<Request>): { homes: Map<string, string>; disagreements: number } {
    const homes = new Map<string, string>();
    let disagreements = 0;
    for (const r of rs) {
      const h = homes.get(r.context);
      if (h === undefined) homes.set(r.context, r.variant);
      else if (r.variant !== h) disagreements++;
    }
    return { homes, disagreements };
  }

  it('crossVariantShare 0: every request of a context comes from its home variant', () => {
    const { homes, disagreements } = homesOf(
      generateRequests(many({ crossVariantShare: 0, requests: 30_000 }), 13),
    );
    expect(homes.size).toBeGreaterThan(4000);
    expect(disagreements).toBe(0);
  });

  it("crossVariantShare 1: no request comes from its context's home variant", () => {
    const { homes } = homesOf(generateRequests(many({ crossVariantShare: 0 }), 14));
    let n = 0;
    let atHome = 0;
    for (const r of generateRequests(many({ crossVariantShare: 1 }), 14)) {
      const home = homes.get(r.context);
      if (home === undefined) continue;
      n++;
      if (r.variant === home) atHome++;
    }
    expect(n).toBeGreaterThan(90_000);
    expect(atHome).toBe(0);
  });

  it('a fractional crossVariantShare sends that share of requests away from home', () => {
    const { homes } = homesOf(generateRequests(many({ crossVariantShare: 0 }), 15));
    let away = 0;
    let n = 0;
    for (const r of generateRequests(many({ crossVariantShare: 0.25 }), 15)) {
      const home = homes.get(r.context);
      if (home === undefined) continue;
      n++;
      if (r.variant !== home) away++;
    }
    expectApprox(away / n, 0.25, 0.03);
  });

  it("weights: homes follow the weights, cross-variant picks follow the others' weights, weight 0 never serves", () => {
    const variants = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 3 },
      { id: 'z', weight: 0 },
      { id: 'c', weight: 4 },
    ];
    const share: Record<string, number> = { a: 0, b: 0, z: 0, c: 0 };
    const rs = take(many({ variants, crossVariantShare: 0 }), 16);
    for (const r of rs) share[r.variant]! += 1 / rs.length;
    expectApprox(share['a'] as number, 1 / 8, 0.08);
    expectApprox(share['b'] as number, 3 / 8, 0.05);
    expectApprox(share['c'] as number, 4 / 8, 0.05);
    expect(share['z']).toBe(0);

    // Away from home 'c', requests go to a : b = 1 : 3 and never to z.
    const { homes } = homesOf(rs);
    const away: Record<string, number> = { a: 0, b: 0, z: 0, c: 0 };
    for (const r of generateRequests(many({ variants, crossVariantShare: 1 }), 16))
      if (homes.get(r.context) === 'c') away[r.variant]!++;
    expect(away['c']).toBe(0);
    expect(away['z']).toBe(0);
    expectApprox(
      (away['b'] as number) / ((away['a'] as number) + (away['b'] as number)),
      0.75,
      0.03,
    );
  });
});

describe('memory', () => {
  it('streams 1,000,000 requests with the heap growing by < 50 MB', () => {
    const s = spec({
      requests: 1_000_000,
      contexts: { count: 10_000, length: LONGBENCH_PRESETS.hotpotqa },
    });
    const before = process.memoryUsage().heapUsed;
    let n = 0;
    let maxGrowth = 0;
    for (const r of generateRequests(s, 17)) {
      n++;
      if ((r.id & 0xffff) === 0)
        maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - before);
    }
    maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - before);
    expect(n).toBe(1_000_000);
    expect(maxGrowth).toBeLessThan(50e6);
  });
});

describe('validateWorkload', () => {
  const problems = (s: WorkloadSpec): [string, string][] =>
    validateWorkload(s).map((i) => [i.code, i.path.join('.')]);

  it('accepts the base spec and every preset', () => {
    expect(validateWorkload(BASE)).toEqual([]);
    for (const length of Object.values(LONGBENCH_PRESETS))
      expect(validateWorkload(spec({ contexts: { count: 1, length } }))).toEqual([]);
  });

  it('reports every problem at once, each with a code and a path', () => {
    const bad: WorkloadSpec = {
      arrival: { kind: 'bursts', ratePerSecond: 0, burstSize: 2.5 },
      requests: 0,
      durationNs: -1,
      contexts: {
        count: 0,
        length: {
          kind: 'lognormal',
          medianTokens: 1000,
          p95Tokens: 900,
          minTokens: 4000,
          maxTokens: 300,
        },
      },
      popularity: { kind: 'zipf', exponent: -1 },
      variants: [
        { id: 'a', weight: -1 },
        { id: 'a', weight: 1 },
        { id: '', weight: Number.NaN },
      ],
      crossVariantShare: 1.5,
      suffixTokens: -3,
      output: { kind: 'uniform', minTokens: 0, maxTokens: 10 },
    };
    expect(problems(bad)).toEqual([
      ['input.range', 'arrival.ratePerSecond'],
      ['input.range', 'arrival.burstSize'],
      ['input.range', 'requests'],
      ['input.range', 'durationNs'],
      ['input.range', 'contexts.count'],
      ['workload.lognormal-fit', 'contexts.length.p95Tokens'],
      ['workload.min-max', 'contexts.length.maxTokens'],
      ['input.range', 'popularity.exponent'],
      ['input.range', 'variants.0.weight'],
      ['workload.duplicate-id', 'variants.1.id'],
      ['input.type', 'variants.2.id'],
      ['input.range', 'variants.2.weight'],
      ['input.range', 'crossVariantShare'],
      ['input.range', 'suffixTokens'],
      ['input.range', 'output.minTokens'],
    ]);
  });

  it('names stop conditions, weights, cross-variant feasibility, traces and kinds', () => {
    expect(problems(withoutRequests(BASE))).toEqual([['input.required', 'requests']]);
    expect(problems(spec({ variants: [] }))).toEqual([['input.required', 'variants']]);
    expect(
      problems(
        spec({
          variants: [
            { id: 'a', weight: 0 },
            { id: 'b', weight: 0 },
          ],
        }),
      ),
    ).toEqual([['workload.weights', 'variants']]);
    expect(
      problems(
        spec({
          variants: [
            { id: 'a', weight: 1 },
            { id: 'b', weight: 0 },
          ],
        }),
      ),
    ).toEqual([['workload.cross-variant', 'crossVariantShare']]);
    expect(problems(spec({ variants: [{ id: 'a', weight: 1 }], crossVariantShare: 0 }))).toEqual(
      [],
    );
    expect(problems(spec({ arrival: { kind: 'trace', arrivalsNs: [] } }))).toEqual([
      ['workload.trace-empty', 'arrival.arrivalsNs'],
    ]);
    expect(
      problems(spec({ arrival: { kind: 'trace', arrivalsNs: [0, 5, 3, -1, 2, Number.NaN] } })),
    ).toEqual([
      ['workload.trace-order', 'arrival.arrivalsNs.2'],
      ['input.range', 'arrival.arrivalsNs.3'],
    ]);
    expect(problems(spec({ output: { kind: 'uniform', minTokens: 10, maxTokens: 5 } }))).toEqual([
      ['workload.min-max', 'output.maxTokens'],
    ]);
    expect(problems(spec({ output: { kind: 'fixed', tokens: 0 } }))).toEqual([
      ['input.range', 'output.tokens'],
    ]);
    expect(
      problems(spec({ contexts: { count: 3, length: { kind: 'fixed', tokens: 1.5 } } })),
    ).toEqual([['input.range', 'contexts.length.tokens']]);
    const kinds = {
      ...BASE,
      arrival: { kind: 'gamma' },
      popularity: { kind: 'pareto' },
      output: { kind: 'normal' },
    } as unknown as WorkloadSpec;
    expect(problems(kinds)).toEqual([
      ['input.kind', 'arrival.kind'],
      ['input.kind', 'popularity.kind'],
      ['input.kind', 'output.kind'],
    ]);
    expect(validateWorkload(spec({ requests: -1 }), ['workload']).map((i) => i.path)).toEqual([
      ['workload', 'requests'],
    ]);
  });

  it('generateRequests and contextLengths refuse an invalid spec at the call, with InputError', () => {
    const bad = spec({ crossVariantShare: 2 });
    expect(() => generateRequests(bad, 1)).toThrow(InputError);
    expect(() => contextLengths(bad, 1)).toThrow(InputError);
    let caught: unknown;
    try {
      generateRequests(spec({ requests: 0, suffixTokens: -1 }), 1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).issues.map((i) => i.path.join('.'))).toEqual([
      'requests',
      'suffixTokens',
    ]);
  });
});
