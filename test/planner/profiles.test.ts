/**
 * DroidSpeak pair profiles (src/planner/profiles.ts, docs/references.md §3): the critical-layer
 * grouping example, synthetic profiles matching the paper's statistics, the loss model's
 * required properties (bounds, ends, monotone), the Pareto frontier, and the budgeted choice
 * (validation: validate-profile.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFrontier,
  choosePoint,
  criticalLayers,
  evaluateRecompute,
  frontierWithin,
  groupCritical,
  PROFILE_DEFAULTS,
  qualityLoss,
  syntheticProfile,
  validatePairProfile,
  type FrontierPoint,
  type LayerGroup,
  type PairProfile,
  type PairProfileModel,
} from '../../src/planner/index.ts';
import { GeneratorError, type Issue } from '../../src/errors/index.ts';
import { expectApprox } from '../helpers/approx.ts';

// ---- helpers -------------------------------------------------------------------------------

/** Maximal runs of `true` as groups. */
function groupsOf(mask: readonly boolean[]): LayerGroup[] {
  const groups: LayerGroup[] = [];
  let start = -1;
  for (let i = 0; i <= mask.length; i++) {
    const on = i < mask.length && mask[i] === true;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      groups.push({ start, end: i - 1 });
      start = -1;
    }
  }
  return groups;
}

const all = (layers: number): LayerGroup[] => [{ start: 0, end: layers - 1 }];

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const sensitivity = fc.oneof(
  fc.double({ min: 0, max: 0.01, noNaN: true }),
  fraction,
  fc.constantFrom(0, 0.1, 0.3, 1),
);

/** Arbitrary loss-model inputs: any sensitivities and any full-reuse loss, including edge values. */
const modelArb: fc.Arbitrary<PairProfileModel> = fc.integer({ min: 1, max: 24 }).chain((layers) =>
  fc.record({
    receiver: fc.constant('receiver'),
    sender: fc.constant('sender'),
    layers: fc.constant(layers),
    layerSensitivity: fc.array(sensitivity, { minLength: layers, maxLength: layers }),
    fullReuseLoss: fc.oneof(fraction, fc.constantFrom(0, 0.5, 1)),
  }),
);

/** A model with two recompute masks over its layers. */
const modelWithMasks = modelArb.chain((model) => {
  const mask = fc.array(fc.boolean(), { minLength: model.layers, maxLength: model.layers });
  return fc.tuple(fc.constant(model), mask, mask);
});

/** Synthetic profiles of any size and seed. */
const syntheticArb: fc.Arbitrary<PairProfile> = fc
  .record({
    layers: fc.integer({ min: 1, max: 48 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  })
  .map(({ layers, seed }) =>
    syntheticProfile({ receiver: 'evolcode-3.1-8b', sender: 'toolace-3.1-8b', layers, seed }),
  );

/** Frontier laws: sorted, Pareto, both ends present, every point canonical and scored by the model. */
function expectFrontierLaws(model: PairProfileModel, frontier: readonly FrontierPoint[]): void {
  const first = frontier[0];
  const last = frontier[frontier.length - 1];
  expect(first?.recomputedLayers).toBe(0);
  expect(first?.groups).toEqual([]);
  expect(first?.qualityLoss).toBe(model.fullReuseLoss);
  expect(last?.recomputedLayers).toBe(model.layers);
  expect(last?.qualityLoss).toBe(0);
  frontier.forEach((p, i) => {
    // One E cache per group, except a group at layer 0 (it reads the token embeddings).
    expect(p.eCacheLoads).toBe(p.groups.filter((g) => g.start > 0).length);
    expect(p.recomputedLayers).toBe(p.groups.reduce((n, g) => n + g.end - g.start + 1, 0));
    expect(evaluateRecompute(model, p.groups)).toEqual(p); // canonical groups, modelled loss
    const next = frontier[i + 1];
    if (next === undefined) return;
    expect(next.recomputedLayers).toBeGreaterThan(p.recomputedLayers);
    // Loss strictly falls, except that the all-layers endpoint may tie at 0.
    if (i + 1 === frontier.length - 1) expect(next.qualityLoss).toBeLessThanOrEqual(p.qualityLoss);
    else expect(next.qualityLoss).toBeLessThan(p.qualityLoss);
  });
  // No point is dominated (more layers and more loss than another).
  for (const p of frontier) {
    for (const q of frontier)
      expect(q.recomputedLayers > p.recomputedLayers && q.qualityLoss > p.qualityLoss).toBe(false);
  }
}

function codesAt(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.code} ${JSON.stringify(i.path)}`);
}

// ---- grouping ------------------------------------------------------------------------------

describe('critical layers and grouping', () => {
  it('reproduces the reference example: critical 16–18, 20, 25–27 → one group 16–27 (gap 20 → 25 of 4 layers)', () => {
    expect(groupCritical([16, 17, 18, 20, 25, 26, 27], 4)).toEqual([{ start: 16, end: 27 }]);
    expect(groupCritical([16, 17, 18, 20, 25, 26, 27])).toEqual([{ start: 16, end: 27 }]); // default maxGap = 4
    expect(PROFILE_DEFAULTS.maxGapLayers).toBe(4);
  });

  it('splits where the gap exceeds maxGap', () => {
    const critical = [16, 17, 18, 20, 25, 26, 27];
    expect(groupCritical(critical, 3)).toEqual([
      { start: 16, end: 20 },
      { start: 25, end: 27 },
    ]);
    expect(groupCritical(critical, 0)).toEqual([
      { start: 16, end: 18 },
      { start: 20, end: 20 },
      { start: 25, end: 27 },
    ]);
  });

  it('accepts unsorted input with duplicates, and nothing', () => {
    expect(groupCritical([27, 16, 20, 16, 25], 4)).toEqual([{ start: 16, end: 27 }]);
    expect(groupCritical([], 4)).toEqual([]);
  });

  it('rejects a bad maxGap or layer index', () => {
    expect(() => groupCritical([1], -1)).toThrow(RangeError);
    expect(() => groupCritical([1], 1.5)).toThrow(RangeError);
    expect(() => groupCritical([-1], 2)).toThrow(RangeError);
  });

  it('finds critical layers: lone-reuse drop strictly above the threshold (default 10 %)', () => {
    const s = new Array<number>(32).fill(0.01);
    for (const i of [16, 17, 18, 20, 25, 26, 27]) s[i] = 0.2;
    s[5] = 0.1; // exactly the threshold: not critical
    const profile = { layerSensitivity: s };
    expect(criticalLayers(profile)).toEqual([16, 17, 18, 20, 25, 26, 27]);
    expect(groupCritical(criticalLayers(profile), 4)).toEqual([{ start: 16, end: 27 }]);
    expect(criticalLayers(profile, 0.05)).toEqual([5, 16, 17, 18, 20, 25, 26, 27]);
  });

  it('groups cover every critical layer, and groups are separated by more than maxGap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 79 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 8 }),
        (critical, maxGap) => {
          const groups = groupCritical(critical, maxGap);
          for (const c of critical)
            expect(groups.some((g) => g.start <= c && c <= g.end)).toBe(true);
          for (let i = 1; i < groups.length; i++) {
            expect(
              (groups[i] as LayerGroup).start - (groups[i - 1] as LayerGroup).end - 1,
            ).toBeGreaterThan(maxGap);
          }
          for (const g of groups) expect(critical).toContain(g.start);
          for (const g of groups) expect(critical).toContain(g.end);
        },
      ),
    );
  });
});

// ---- synthetic profiles --------------------------------------------------------------------

describe('syntheticProfile', () => {
  const SEEDS = 150;
  for (const layers of [32, 40, 80]) {
    it(`follows the paper's statistics for ${layers} layers over ${SEEDS} seeds`, () => {
      let criticalFraction = 0;
      let lossy = 0;
      for (let seed = 0; seed < SEEDS; seed++) {
        const p = syntheticProfile({
          receiver: 'llama-3-70b-instruct',
          sender: 'llama-3-70b',
          layers,
          seed,
        });
        expect(p.layers).toBe(layers);
        expect(p.layerSensitivity).toHaveLength(layers);
        criticalFraction += criticalLayers(p).length / layers;
        if (p.fullReuseLoss > 0.5) lossy++;
        // Clustered: a few contiguous runs (Finding 2 + the reference's example).
        expect(groupCritical(criticalLayers(p), 0).length).toBeLessThanOrEqual(
          PROFILE_DEFAULTS.maxCriticalRuns,
        );
        expect(validatePairProfile(p)).toEqual([]);
      }
      const mean = criticalFraction / SEEDS;
      expect(mean).toBeGreaterThanOrEqual(0.08);
      expect(mean).toBeLessThanOrEqual(0.14);
      expect(lossy / SEEDS).toBeGreaterThan(0.8); // Finding 1: most pairs lose > 50 %
    });
  }

  it('is deterministic for the seed, and different seeds (or pairs) give different profiles', () => {
    const base = { receiver: 'mistrallite', sender: 'mistral-7b', layers: 32 };
    for (let seed = 0; seed < 30; seed++) {
      const a = syntheticProfile({ ...base, seed });
      expect(syntheticProfile({ ...base, seed })).toEqual(a);
      expect(syntheticProfile({ ...base, seed: seed + 1 }).layerSensitivity).not.toEqual(
        a.layerSensitivity,
      );
      expect(
        syntheticProfile({ ...base, receiver: 'glue_sst2', seed }).layerSensitivity,
      ).not.toEqual(a.layerSensitivity);
    }
  });

  it('honours criticalFraction', () => {
    let total = 0;
    for (let seed = 0; seed < 100; seed++)
      total += criticalLayers(
        syntheticProfile({ receiver: 'a', sender: 'b', layers: 80, seed, criticalFraction: 0.25 }),
      ).length;
    expectApprox(total / 100 / 80, 0.25, 0.15);
    expect(
      criticalLayers(
        syntheticProfile({ receiver: 'a', sender: 'b', layers: 32, seed: 1, criticalFraction: 0 }),
      ),
    ).toEqual([]);
  });

  it('rejects bad options with GeneratorError codes and paths', () => {
    let error: unknown;
    try {
      syntheticProfile({ receiver: 'a', sender: 'a', layers: 0, seed: 1.5, criticalFraction: 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    expect(codesAt((error as GeneratorError).issues).sort()).toEqual(
      [
        'generator.out-of-range ["layers"]',
        'generator.out-of-range ["seed"]',
        'generator.out-of-range ["criticalFraction"]',
        'generator.out-of-range ["sender"]',
      ].sort(),
    );
  });
});

// ---- loss model ----------------------------------------------------------------------------

describe('qualityLoss', () => {
  it('is 0 when every layer is recomputed and fullReuseLoss when none is', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        expect(qualityLoss(model, all(model.layers))).toBe(0);
        expect(qualityLoss(model, [])).toBe(model.fullReuseLoss);
      }),
    );
  });

  it('stays in [0, 1] and never increases when more layers are recomputed', () => {
    fc.assert(
      fc.property(modelWithMasks, ([model, base, extra]) => {
        const superset = base.map((b, i) => b || extra[i] === true);
        const lossBase = qualityLoss(model, groupsOf(base));
        const lossSuper = qualityLoss(model, groupsOf(superset));
        expect(lossBase).toBeGreaterThanOrEqual(0);
        expect(lossBase).toBeLessThanOrEqual(1);
        expect(lossSuper).toBeLessThanOrEqual(lossBase);
      }),
    );
  });

  it('charges a lone reused layer its sensitivity (capped at the full-reuse loss)', () => {
    fc.assert(
      fc.property(
        modelArb.chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: 0, max: m.layers - 1 }))),
        ([model, i]) => {
          fc.pre(model.layers >= 2);
          const recompute = [
            ...(i > 0 ? [{ start: 0, end: i - 1 }] : []),
            ...(i < model.layers - 1 ? [{ start: i + 1, end: model.layers - 1 }] : []),
          ];
          expectApprox(
            qualityLoss(model, recompute),
            Math.min(model.fullReuseLoss, model.layerSensitivity[i] ?? 0),
            1e-9,
            1e-12,
          );
        },
      ),
    );
  });

  it('prefers recomputing after a critical layer: propagation is cut by a recomputed layer', () => {
    const s = new Array<number>(10).fill(0.001);
    s[3] = 0.3;
    const model: PairProfileModel = {
      receiver: 'r',
      sender: 's',
      layers: 10,
      layerSensitivity: s,
      fullReuseLoss: 0.8,
    };
    // Recomputing 4–9 stops layer 3's error at once; recomputing 0–2 leaves it to propagate.
    expect(qualityLoss(model, [{ start: 4, end: 9 }])).toBeLessThan(
      qualityLoss(model, [
        { start: 0, end: 2 },
        { start: 5, end: 7 },
      ]),
    );
    expect(qualityLoss(model, [{ start: 3, end: 3 }])).toBeLessThan(
      qualityLoss(model, [{ start: 4, end: 4 }]),
    );
  });

  it('treats overlapping or touching groups as their union', () => {
    const p = syntheticProfile({ receiver: 'r', sender: 's', layers: 32, seed: 7 });
    expect(
      qualityLoss(p, [
        { start: 3, end: 9 },
        { start: 5, end: 12 },
      ]),
    ).toBe(qualityLoss(p, [{ start: 3, end: 12 }]));
    expect(
      evaluateRecompute(p, [
        { start: 3, end: 5 },
        { start: 6, end: 8 },
      ]),
    ).toMatchObject({ groups: [{ start: 3, end: 8 }], eCacheLoads: 1, recomputedLayers: 6 });
  });

  it('rejects groups outside the layers', () => {
    const p = syntheticProfile({ receiver: 'r', sender: 's', layers: 8, seed: 1 });
    expect(() => qualityLoss(p, [{ start: 4, end: 8 }])).toThrow(RangeError);
    expect(() => qualityLoss(p, [{ start: 5, end: 4 }])).toThrow(RangeError);
    expect(() => qualityLoss(p, [{ start: -1, end: 2 }])).toThrow(RangeError);
  });
});

// ---- frontier ------------------------------------------------------------------------------

describe('buildFrontier', () => {
  it('is a sorted Pareto frontier with both ends, for any model', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        expectFrontierLaws(model, buildFrontier(model));
      }),
    );
  });

  it('is at least as good as every single contiguous group (the O(l²) enumeration)', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const frontier = buildFrontier(model);
        for (let a = 0; a < model.layers; a++) {
          for (let b = a; b < model.layers; b++) {
            const loss = qualityLoss(model, [{ start: a, end: b }]);
            expect(
              frontier.some((p) => p.recomputedLayers <= b - a + 1 && p.qualityLoss <= loss),
            ).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('holds for synthetic profiles, which validate cleanly', () => {
    fc.assert(
      fc.property(syntheticArb, (p) => {
        expectFrontierLaws(p, p.frontier);
        expect(validatePairProfile(p)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('choosePoint and frontierWithin', () => {
  it('picks the fewest recomputed layers within the budget', () => {
    fc.assert(
      fc.property(syntheticArb, fc.oneof(fraction, fc.constantFrom(0, 0.05, 0.1)), (p, budget) => {
        const chosen = choosePoint(p, budget);
        expect(chosen.qualityLoss).toBeLessThanOrEqual(budget);
        const within = frontierWithin(p, budget);
        expect(within[0]).toEqual(chosen);
        for (const q of within) {
          expect(q.qualityLoss).toBeLessThanOrEqual(budget);
          expect(q.recomputedLayers).toBeGreaterThanOrEqual(chosen.recomputedLayers);
        }
        expect(within).toEqual(p.frontier.filter((q) => q.qualityLoss <= budget));
      }),
      { numRuns: 60 },
    );
  });

  it('recomputes nothing when the budget covers full reuse, and needs loss 0 for budget 0', () => {
    fc.assert(
      fc.property(syntheticArb, fc.double({ min: 0, max: 1, noNaN: true }), (p, extra) => {
        const budget = p.fullReuseLoss + extra * (1 - p.fullReuseLoss);
        fc.pre(budget >= p.fullReuseLoss);
        expect(choosePoint(p, budget).recomputedLayers).toBe(0);
        expect(choosePoint(p, 0).qualityLoss).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("defaults to DroidSpeak's 5 % budget and rejects a negative one", () => {
    const p = syntheticProfile({ receiver: 'r', sender: 's', layers: 32, seed: 3 });
    expect(choosePoint(p)).toEqual(choosePoint(p, 0.05));
    expect(choosePoint(p).qualityLoss).toBeLessThanOrEqual(0.05);
    expect(() => choosePoint(p, -0.01)).toThrow(RangeError);
    expect(() => frontierWithin(p, Number.NaN)).toThrow(RangeError);
  });
});

// ---- validation ----------------------------------------------------------------------------
