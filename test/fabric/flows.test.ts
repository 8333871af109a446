/**
 * Tests of the max-min fair fluid engine (src/fabric/flows.ts): hand-computed cases first, then
 * fast-check laws over random resource sets and flows — capacities respected and every flow
 * bottlenecked at every solve, incremental re-solves equal to from-scratch solves, bytes
 * conserved, results independent of input order, and finish times no earlier than physics allows.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  FluidNetwork,
  simulateFlows,
  type FlowResult,
  type FlowSpec,
  type FluidNetworkOptions,
} from '../../src/fabric/flows.ts';
import { InputError } from '../../src/errors/index.ts';
import { mulberry32, shuffleInPlace } from '../../src/units/index.ts';
import { approxEqual, expectApprox } from '../helpers/approx.ts';
import { thrown } from '../helpers/errors.ts';

/** A flow spec with defaults for the fields a case does not care about. */
function spec(
  id: string,
  resources: number[],
  bytes: number,
  extra: Partial<FlowSpec> = {},
): FlowSpec {
  return { id, resources, bytes, startNs: 0, latencyNs: 0, ...extra };
}

function byId(results: readonly FlowResult[]): Map<string, FlowResult> {
  return new Map(results.map((r) => [r.id, r]));
}

function get(results: readonly FlowResult[], id: string): FlowResult {
  const r = byId(results).get(id);
  if (r === undefined) throw new Error(`no result for ${id}`);
  return r;
}

describe('FluidNetwork: hand-computed cases', () => {
  it('two flows on one link share it equally', () => {
    const net = new FluidNetwork([10]);
    const a = net.start({ resources: [0], bytes: 100 });
    const b = net.start({ resources: [0], bytes: 100 });
    expect(net.rateOf(a)).toBe(5);
    expect(net.rateOf(b)).toBe(5);
    expect(net.loadOf(0)).toBe(10);
    expect(net.nextCompletionNs()).toBe(20);
    expect([...net.advanceTo(20)].sort()).toEqual([a, b].sort());
    expect(net.activeFlowCount).toBe(0);
    expect(net.carriedBytes(0)).toBe(200);
    expect(net.nextCompletionNs()).toBe(Number.POSITIVE_INFINITY);
  });

  it('a flow capped below its fair share leaves the rest to the other', () => {
    const net = new FluidNetwork([10]);
    const a = net.start({ resources: [0], bytes: 100, rateCapBytesPerNs: 2 });
    const b = net.start({ resources: [0], bytes: 100 });
    expect(net.rateOf(a)).toBe(2);
    expect(net.rateOf(b)).toBe(8);
    expect(net.advanceTo(12.5)).toEqual([b]);
    expect(net.rateOf(a)).toBe(2); // still capped with the link to itself
    expectApprox(net.remainingBytes(a), 75);
    expect(net.nextCompletionNs()).toBe(50);
  });

  it('solves the classic max-min example over three resources', () => {
    // R0 = 10, R1 = 6, R2 = 20; a: R0+R1, b: R1, c: R0+R2, d: R2.
    // R1 saturates first at 3 (a, b); then R0 at 7 for c; then R2 gives d 20 − 7 = 13.
    const net = new FluidNetwork([10, 6, 20]);
    const a = net.start({ resources: [0, 1], bytes: 1e6 });
    const b = net.start({ resources: [1], bytes: 1e6 });
    const c = net.start({ resources: [0, 2], bytes: 1e6 });
    const d = net.start({ resources: [2], bytes: 1e6 });
    expect([a, b, c, d].map((h) => net.rateOf(h))).toEqual([3, 3, 7, 13]);
    expect([0, 1, 2].map((r) => net.isSaturated(r))).toEqual([true, true, true]);
  });

  it('counts a resource crossed twice as twice the consumption', () => {
    const net = new FluidNetwork([12, 100]);
    const a = net.start({ resources: [0, 1, 0], bytes: 80 });
    const b = net.start({ resources: [0], bytes: 80 });
    // 2x + x = 12 → x = 4; a consumes 8 of resource 0.
    expect(net.rateOf(a)).toBe(4);
    expect(net.rateOf(b)).toBe(4);
    expect(net.loadOf(0)).toBe(12);
    expect(net.loadOf(1)).toBe(4);
    net.advanceTo(20);
    expect(net.carriedBytes(0)).toBe(240); // a twice + b once
    expect(net.carriedBytes(1)).toBe(80);
  });

  it('a weight of 2 is a resource crossed twice; fractional weights model lockstep stripes', () => {
    const twice = new FluidNetwork([12, 100]);
    const weighted = new FluidNetwork([12, 100]);
    const a = twice.start({ resources: [0, 1, 0], bytes: 80 });
    const a2 = weighted.start({ resources: [0, 1], weights: [2, 1], bytes: 80 });
    twice.start({ resources: [0], bytes: 80 });
    weighted.start({ resources: [0], bytes: 80 });
    expect(weighted.rateOf(a2)).toBe(twice.rateOf(a));
    expect(weighted.loadOf(0)).toBe(twice.loadOf(0));
    // A transfer striped in lockstep over 4 devices (resources 0–3, 2 B/ns each) into one PCIe
    // link (resource 4, 6 B/ns): ¼ of its rate on each device, all of it on the link.
    const net = new FluidNetwork([2, 2, 2, 2, 6]);
    const t = net.start({
      resources: [0, 1, 2, 3, 4, 4, 4, 4],
      weights: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
      bytes: 600,
    });
    expect(net.rateOf(t)).toBe(6); // the link binds (devices could give 8)
    expect(net.loadOf(0)).toBe(1.5);
    expect(net.loadOf(4)).toBe(6);
    // A rival on device 0 takes what the transfer leaves there: max-min equalises rates.
    const r = net.start({ resources: [0], bytes: 1e6 });
    // device 0: x/4 + x = 2 → x = 1.6 for both; the transfer is then bound by device 0 at 1.6.
    expectApprox(net.rateOf(t), 1.6);
    expectApprox(net.rateOf(r), 1.6);
    net.advanceTo(net.nextCompletionNs());
    expectApprox(net.carriedBytes(4), 600);
    expectApprox(net.carriedBytes(1), 150);
  });

  it('flows on a prepared route behave as flows started from their resources', () => {
    const net = new FluidNetwork([2, 2, 2, 2, 6]);
    const route = net.prepare({
      resources: [0, 1, 2, 3, 4, 4, 4, 4],
      weights: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
    });
    expect([...route.resources]).toEqual([0, 1, 2, 3, 4]);
    expect([...route.weights]).toEqual([0.25, 0.25, 0.25, 0.25, 1]);
    expect(route.aloneRateBytesPerNs).toBe(6); // the link: 6 ÷ 1; each device would allow 2 ÷ ¼ = 8
    const a = net.startOn(route, 600);
    const b = net.startOn(route, 600, 1);
    expect(net.rateOf(b)).toBe(1);
    expect(net.rateOf(a)).toBe(5);
    const ref = new FluidNetwork([2, 2, 2, 2, 6]);
    const a2 = ref.start({
      resources: [0, 1, 2, 3, 4, 4, 4, 4],
      weights: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
      bytes: 600,
    });
    ref.start({
      resources: [0, 1, 2, 3, 4],
      weights: [0.25, 0.25, 0.25, 0.25, 1],
      bytes: 600,
      rateCapBytesPerNs: 1,
    });
    expect(ref.rateOf(a2)).toBe(net.rateOf(a));
    expect(() => new FluidNetwork([1]).startOn(route, 1)).toThrow(RangeError);
    // The estimate for a newcomer: the same figure from the prepared route as from its resources.
    expect(net.estimateRateOn(route)).toBe(net.estimateNewFlowRate(route.resources, route.weights));
    const idle = new FluidNetwork([2, 2, 2, 2, 6]);
    expect(idle.estimateRateOn(idle.prepare(route))).toBe(6);
    expect(() => idle.estimateRateOn(route)).toThrow(RangeError);
    expect(thrown(InputError, () => net.startOn(route, -1)).issues.map((i) => i.code)).toEqual([
      'flow.bytes',
    ]);
    expect(
      thrown(InputError, () => net.prepare({ resources: [0, 9] })).issues.map((i) => [
        i.code,
        i.path,
      ]),
    ).toEqual([['flow.unknown-resource', ['resources', 1]]]);
  });

  it('re-solves only when asked, and cancel releases the bandwidth', () => {
    const net = new FluidNetwork([10, 10]);
    const a = net.start({ resources: [0], bytes: 100 });
    const b = net.start({ resources: [0, 1], bytes: 100 });
    const c = net.start({ resources: [1], bytes: 100 });
    expect(net.rateOf(b)).toBe(5);
    net.advanceTo(4);
    net.cancel(a);
    expect(net.rateOf(b)).toBe(5); // still bottlenecked on resource 1 with c
    expectApprox(net.remainingBytes(b), 80);
    expect(net.carriedBytes(0)).toBe(40);
    net.cancel(c);
    expect(net.rateOf(b)).toBe(10);
    expect(() => net.rateOf(a)).toThrow(RangeError);
    expect(net.stats.solves).toBe(3);
  });

  it('finishes flows with nearly equal projected finish times together', () => {
    const net = new FluidNetwork([0.7]);
    const hs = [0, 1, 2].map(() => net.start({ resources: [0], bytes: 0.1 }));
    const t = net.nextCompletionNs();
    expect([...net.advanceTo(t)].sort()).toEqual(hs.sort());
    expect(net.activeFlowCount).toBe(0);
  });

  it('refuses to skip a completion or go back in time', () => {
    const net = new FluidNetwork([1]);
    net.start({ resources: [0], bytes: 10 });
    expect(() => net.advanceTo(11)).toThrow(RangeError);
    net.advanceTo(5);
    expect(() => net.advanceTo(4)).toThrow(RangeError);
  });

  it('validates capacities and flows with typed errors and paths', () => {
    expect(() => new FluidNetwork([1, 0, -2])).toThrow(InputError);
    try {
      new FluidNetwork([1, 0, Number.NaN]);
    } catch (e) {
      expect((e as InputError).issues.map((i) => i.path)).toEqual([
        ['capacities', 1],
        ['capacities', 2],
      ]);
    }
    const net = new FluidNetwork([1, 1]);
    expect(() => net.start({ resources: [0, 2], bytes: 1 })).toThrow(InputError);
    expect(() => net.start({ resources: [0], bytes: -1 })).toThrow(InputError);
    expect(() => net.start({ resources: [0], bytes: 1, rateCapBytesPerNs: 0 })).toThrow(InputError);
    const weights = thrown(InputError, () =>
      net.start({ resources: [0, 1], weights: [1, 0], bytes: 1 }),
    ).issues;
    expect(weights.map((i) => [i.code, i.path])).toEqual([['flow.weights', ['weights', 1]]]);
    const length = thrown(InputError, () =>
      net.start({ resources: [0, 1], weights: [1], bytes: 1 }),
    ).issues;
    expect(length[0]?.message).toMatch(/one entry per resource \(2\), got 1/);
    expect(net.activeFlowCount).toBe(0);
  });
});

describe('simulateFlows: hand-computed cases', () => {
  it('two flows on one link share it, then the survivor speeds up', () => {
    const res = simulateFlows([10], [spec('a', [0], 100), spec('b', [0], 50)]);
    expect(get(res, 'b').finishNs).toBe(10);
    expect(get(res, 'a').finishNs).toBe(15);
    expectApprox(get(res, 'a').averageRateBytesPerNs, 100 / 15);
  });

  it('a latency wait holds no bandwidth', () => {
    // a moves alone for 5 ns (50 B), then shares 5/5 for 10 ns (a done at 15), b alone for 5 ns.
    const res = simulateFlows([10], [spec('a', [0], 100), spec('b', [0], 100, { latencyNs: 5 })]);
    const a = get(res, 'a');
    const b = get(res, 'b');
    expectApprox(a.finishNs, 15);
    expect(b.moveStartNs).toBe(5);
    expectApprox(b.finishNs, 20);
    expectApprox(b.latencyNs, 20);
    expectApprox(b.averageRateBytesPerNs, 100 / 15);
  });

  it('a zero-byte flow finishes when it starts moving and disturbs nobody', () => {
    const res = simulateFlows(
      [10],
      [spec('a', [0], 100), spec('z', [0], 0, { startNs: 3, latencyNs: 2 })],
    );
    const z = get(res, 'z');
    expect(z.moveStartNs).toBe(5);
    expect(z.finishNs).toBe(5);
    expect(z.latencyNs).toBe(2);
    expect(z.averageRateBytesPerNs).toBe(0);
    expect(get(res, 'a').finishNs).toBe(10);
  });

  it('an uncapped flow crossing no resource is instantaneous; a capped one runs at its cap', () => {
    const res = simulateFlows(
      [10],
      [spec('free', [], 100, { startNs: 1 }), spec('capped', [], 100, { rateCapBytesPerNs: 4 })],
    );
    expect(get(res, 'free').finishNs).toBe(1);
    expect(get(res, 'free').averageRateBytesPerNs).toBe(Number.POSITIVE_INFINITY);
    expect(get(res, 'capped').finishNs).toBe(25);
  });

  it('reports every input problem at once, with paths', () => {
    let error: unknown;
    try {
      simulateFlows(
        [10, 0],
        [
          spec('a', [0, 5], -1),
          spec('a', [0], 1, { latencyNs: -1, rateCapBytesPerNs: -3 }),
          spec('c', [1], 1, { startNs: Number.NaN }),
        ],
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const issues = (error as InputError).issues.map((i) => [i.code, i.path]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['resource.capacity', ['capacities', 1]],
        ['flow.bytes', ['flows', 0, 'bytes']],
        ['flow.unknown-resource', ['flows', 0, 'resources', 1]],
        ['flow.latency', ['flows', 1, 'latencyNs']],
        ['flow.rate-cap', ['flows', 1, 'rateCapBytesPerNs']],
        ['flow.duplicate-id', ['flows', 1, 'id']],
        ['flow.start', ['flows', 2, 'startNs']],
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('returns nothing for no flows', () => {
    expect(simulateFlows([1], [])).toEqual([]);
  });
});

// ── Properties ────────────────────────────────────────────────────────────────────────────

interface Case {
  readonly capacities: readonly number[];
  readonly flows: readonly FlowSpec[];
}

/** Random resource sets (1–6 resources) and 1–14 flows with ties, repeats, caps and zero bytes. */
const caseArb: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 6 }).chain((nRes) =>
  fc.record({
    capacities: fc.array(
      fc.oneof(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0.25, max: 40, noNaN: true })),
      {
        minLength: nRes,
        maxLength: nRes,
      },
    ),
    flows: fc
      .array(
        fc.record({
          resources: fc.array(fc.nat({ max: nRes - 1 }), { minLength: 1, maxLength: 4 }),
          bytes: fc.oneof(
            { weight: 1, arbitrary: fc.constant(0) },
            { weight: 8, arbitrary: fc.double({ min: 1, max: 1e5, noNaN: true }) },
          ),
          startNs: fc.oneof(
            fc.integer({ min: 0, max: 50 }),
            fc.double({ min: 0, max: 2000, noNaN: true }),
          ),
          latencyNs: fc.oneof(
            fc.constant(0),
            fc.integer({ min: 0, max: 20 }),
            fc.double({ min: 0, max: 300, noNaN: true }),
          ),
          cap: fc.option(fc.double({ min: 0.1, max: 30, noNaN: true }), { nil: undefined }),
          // Per-occurrence weights (lockstep stripes): fractions like 1/8 and 3/8 as well as > 1.
          weights: fc.option(
            fc.array(
              fc.oneof(
                fc.constantFrom(0.125, 0.375, 1 / 3, 1, 2),
                fc.double({ min: 0.05, max: 3, noNaN: true }),
              ),
              { minLength: 4, maxLength: 4 },
            ),
            { nil: undefined },
          ),
        }),
        { minLength: 1, maxLength: 14 },
      )
      .map((raw) =>
        raw.map((f, i): FlowSpec => {
          const base = {
            id: `f${i}`,
            resources: f.resources,
            bytes: f.bytes,
            startNs: f.startNs,
            latencyNs: f.latencyNs,
            ...(f.weights === undefined ? {} : { weights: f.weights.slice(0, f.resources.length) }),
          };
          return f.cap === undefined ? base : { ...base, rateCapBytesPerNs: f.cap };
        }),
      ),
  }),
);

const REL = 1e-9;

/** Active flow as the test driver knows it. */
interface Tracked {
  readonly spec: FlowSpec;
  readonly distinct: readonly number[];
}

/**
 * Plays a case through a FluidNetwork like simulateFlows does, calling `check` after every
 * batch of starts or finishes (i.e. at every solve). Returns the network at the end.
 */
function drive(
  c: Case,
  check: (net: FluidNetwork, active: ReadonlyMap<number, Tracked>) => void,
  options: FluidNetworkOptions = {},
): FluidNetwork {
  const order = [...c.flows].sort(
    (a, b) => a.startNs + a.latencyNs - (b.startNs + b.latencyNs) || (a.id < b.id ? -1 : 1),
  );
  const net = new FluidNetwork(c.capacities, options);
  const active = new Map<number, Tracked>();
  let i = 0;
  for (let guard = 0; i < order.length || net.activeFlowCount > 0; guard++) {
    if (guard > 10 * order.length + 10) throw new Error('driver did not terminate');
    const tc = net.nextCompletionNs();
    const next = order[i];
    const ta = next === undefined ? Number.POSITIVE_INFINITY : next.startNs + next.latencyNs;
    const t = Math.min(ta, tc);
    for (const h of net.advanceTo(t)) active.delete(h);
    while (
      i < order.length &&
      (order[i] as FlowSpec).startNs + (order[i] as FlowSpec).latencyNs === t
    ) {
      const f = order[i++] as FlowSpec;
      const h = net.start(f);
      active.set(h, { spec: f, distinct: [...new Set(f.resources)] });
    }
    check(net, active);
  }
  return net;
}

/** Rates of the same active flows solved from scratch in a fresh network. */
function freshRates(c: Case, active: ReadonlyMap<number, Tracked>): Map<number, number> {
  const fresh = new FluidNetwork(c.capacities);
  const out = new Map<number, number>();
  const moving = [...active].filter(([, t]) => t.spec.bytes > 0); // zero-byte flows hold no bandwidth
  const pairs = moving.map(([h, t]) => {
    const f = t.spec;
    return [h, fresh.start({ ...f, bytes: 1 })] as const;
  });
  for (const [h, fh] of pairs) out.set(h, fresh.rateOf(fh));
  return out;
}

describe('FluidNetwork: max-min laws (fast-check)', () => {
  it('at every solve: no capacity exceeded, every flow capped or bottlenecked with the largest rate there', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        drive(c, (net, active) => {
          for (let r = 0; r < c.capacities.length; r++) {
            expect(net.loadOf(r)).toBeLessThanOrEqual((c.capacities[r] as number) * (1 + REL));
          }
          for (const [h, t] of active) {
            const rate = net.rateOf(h);
            expect(net.remainingBytes(h)).toBeGreaterThanOrEqual(0);
            if (t.spec.bytes === 0) continue; // holds no bandwidth
            expect(rate).toBeGreaterThan(0);
            const cap = t.spec.rateCapBytesPerNs;
            if (cap !== undefined && approxEqual(rate, cap, REL)) continue;
            if (cap !== undefined) expect(rate).toBeLessThan(cap);
            const bottleneck = t.distinct.some(
              (r) =>
                net.isSaturated(r) &&
                [...active].every(
                  ([g, u]) =>
                    u.spec.bytes === 0 ||
                    !u.distinct.includes(r) ||
                    net.rateOf(g) <= rate * (1 + REL),
                ),
            );
            expect(bottleneck, `flow ${t.spec.id} at rate ${rate} has no bottleneck`).toBe(true);
          }
        });
      }),
    );
  });

  it('incremental re-solves give the same rates as solving the active flows from scratch', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        drive(c, (net, active) => {
          const fresh = freshRates(c, active);
          for (const [h, t] of active) {
            if (t.spec.bytes === 0) continue;
            expect(
              approxEqual(net.rateOf(h), fresh.get(h) as number, 1e-9),
              `rate of ${t.spec.id}`,
            ).toBe(true);
          }
        });
      }),
    );
  });

  it('partial solves (re-filling only what a change reaches) give the rates of solves from scratch', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        drive(
          c,
          (net, active) => {
            const fresh = freshRates(c, active);
            for (const [h, t] of active) {
              if (t.spec.bytes === 0) continue;
              expect(
                approxEqual(net.rateOf(h), fresh.get(h) as number, 1e-9),
                `rate of ${t.spec.id}`,
              ).toBe(true);
            }
            for (let r = 0; r < c.capacities.length; r++)
              expect(net.loadOf(r)).toBeLessThanOrEqual((c.capacities[r] as number) * (1 + REL));
          },
          { partialSolveMinFlows: 0 },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('scans (small components) and heaps (large ones) give the same rates', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        drive(c, (_net, active) => {
          const scan = new FluidNetwork(c.capacities, { scanMaxFlows: Number.POSITIVE_INFINITY });
          const heap = new FluidNetwork(c.capacities, { scanMaxFlows: 0 });
          const pairs = [...active.values()]
            .filter((t) => t.spec.bytes > 0)
            .map(
              (t) =>
                [
                  t.spec.id,
                  scan.start({ ...t.spec, bytes: 1 }),
                  heap.start({ ...t.spec, bytes: 1 }),
                ] as const,
            );
          for (const [id, a, b] of pairs)
            expect(approxEqual(scan.rateOf(a), heap.rateOf(b), 1e-9), `rate of ${id}`).toBe(true);
        });
      }),
    );
  });

  it("a newcomer's estimate is the same from a prepared route as from its resources, and never above its rate alone", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        drive(c, (net, active) => {
          for (const t of active.values()) {
            const route = net.prepare(t.spec);
            const est = net.estimateRateOn(route);
            expect(est).toBe(net.estimateNewFlowRate(route.resources, route.weights));
            expect(est).toBeLessThanOrEqual(route.aloneRateBytesPerNs);
            expect(est).toBeGreaterThan(0);
          }
        });
      }),
    );
  });

  it('conserves bytes: each resource carries the sum of bytes × weight of its flows', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const net = drive(c, () => undefined);
        const expected = c.capacities.map(() => 0);
        for (const f of c.flows)
          f.resources.forEach(
            (r, j) => ((expected[r] as number) += f.bytes * (f.weights?.[j] ?? 1)),
          );
        expected.forEach((e, r) => {
          expectApprox(net.carriedBytes(r), e, 1e-9, 1e-6);
        });
      }),
    );
  });
});

describe('simulateFlows: laws (fast-check)', () => {
  it('results do not depend on the order of the input', () => {
    fc.assert(
      fc.property(caseArb, fc.integer(), (c, seed) => {
        const shuffled = shuffleInPlace(mulberry32(seed), [...c.flows]);
        fc.pre(shuffled.some((f, i) => f !== c.flows[i]));
        const a = byId(simulateFlows(c.capacities, c.flows));
        const b = byId(simulateFlows(c.capacities, shuffled));
        for (const f of c.flows) expect(b.get(f.id)).toEqual(a.get(f.id));
      }),
    );
  });

  it('no flow finishes before start + latency + bytes / (its slowest resource or cap)', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const res = byId(simulateFlows(c.capacities, c.flows));
        for (const f of c.flows) {
          const r = res.get(f.id) as FlowResult;
          const weightOn = new Map<number, number>();
          f.resources.forEach((x, j) =>
            weightOn.set(x, (weightOn.get(x) ?? 0) + (f.weights?.[j] ?? 1)),
          );
          const fastest = Math.min(
            f.rateCapBytesPerNs ?? Number.POSITIVE_INFINITY,
            ...[...weightOn].map(([x, w]) => (c.capacities[x] as number) / w),
          );
          const bound = f.startNs + f.latencyNs + f.bytes / fastest;
          expect(r.finishNs).toBeGreaterThanOrEqual(bound * (1 - REL) - 1e-9);
          expect(r.moveStartNs).toBe(f.startNs + f.latencyNs);
          expectApprox(r.latencyNs, r.finishNs - r.startNs);
          expect(Number.isFinite(r.finishNs)).toBe(true);
        }
      }),
    );
  });
});
