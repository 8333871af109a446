/**
 * Tests of the one-at-a-time sensitivity analysis (src/cost/sensitivity.ts): swings, ordering and
 * sign flips derived by hand for an evaluator linear in two prices and one scalar; the default
 * ranges of docs/costs.md §8; bad inputs refused with every issue and its path; and laws over
 * random linear evaluators (swing = |Δ| for a monotone result, ordering, purity).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.ts';
import {
  DEFAULT_COST_CATALOGUE,
  PRICE_KEYS,
  PRICE_RANGES,
  priceInputs,
  scalarInputs,
  resolveCatalogue,
  sensitivity,
  validateSensitivityInputs,
  withTarget,
  type CostCatalogue,
  type Scalars,
  type SensitivityInput,
} from '../../src/cost/index.ts';
import { expectApprox } from '../helpers/approx.ts';

/** DRAM at $4/GiB, retimers at $100 (the defaults), used by the hand-computed evaluator below. */
const C = resolveCatalogue({ dramPerGiB: '$4', retimer: '$100' });

/**
 * A saving share linear in two prices and one scalar:
 *   saving = (peakGiB × dram − 10 × retimer − 200) / 10,000
 * At base (peakGiB 100): (400 − 1,000 − 200) / 10,000 = −0.08.
 */
const evaluate = (c: CostCatalogue, s: Scalars): number =>
  ((s['peakGiB'] ?? 0) * c.dramUsdPerGiB - 10 * c.retimerUsd - 200) / 10_000;

const INPUTS: SensitivityInput[] = [
  {
    name: 'dramPerGiB',
    target: { kind: 'price', key: 'dramUsdPerGiB' },
    low: 2,
    high: 12,
    unit: 'usd',
  },
  {
    name: 'retimer',
    target: { kind: 'price', key: 'retimerUsd' },
    low: 50,
    high: 150,
    unit: 'usd',
  },
  { name: 'peakGiB', target: { kind: 'scalar', name: 'peakGiB' }, low: 50, high: 150 },
];

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('sensitivity', () => {
  it('gives the swings and sign flips derived by hand, largest swing first', () => {
    const r = sensitivity(C, { peakGiB: 100 }, INPUTS, evaluate);
    expectApprox(r.base, -0.08);
    // dram $2:  (200 − 1,000 − 200) / 10⁴ = −0.10;  $12: (1,200 − 1,000 − 200) / 10⁴ = 0     → swing 0.10, no flip (0 is not across)
    // retimer $50: (400 − 500 − 200) / 10⁴ = −0.03; $150: (400 − 1,500 − 200) / 10⁴ = −0.13 → swing 0.10, no flip
    // peak 50 GiB: (200 − 1,200) / 10⁴ = −0.10;     150 GiB: (600 − 1,200) / 10⁴ = −0.06   → swing 0.04
    // dram and retimer tie at 0.10: input order breaks the tie.
    expect(r.rows.map((row) => row.name)).toEqual(['dramPerGiB', 'retimer', 'peakGiB']);
    const [dram, retimer, peak] = r.rows;
    expectApprox(dram?.atLow ?? NaN, -0.1);
    expectApprox(dram?.atHigh ?? NaN, 0);
    expectApprox(dram?.swing ?? NaN, 0.1);
    expect(dram?.flipsSign).toBe(false);
    expectApprox(retimer?.atLow ?? NaN, -0.03);
    expectApprox(retimer?.atHigh ?? NaN, -0.13);
    expectApprox(retimer?.swing ?? NaN, 0.1);
    expectApprox(peak?.atLow ?? NaN, -0.1);
    expectApprox(peak?.atHigh ?? NaN, -0.06);
    expectApprox(peak?.swing ?? NaN, 0.04);
    expect(dram).toMatchObject({ baseValue: 4, low: 2, high: 12, unit: 'usd' });
    expect(peak).toMatchObject({ baseValue: 100, unit: 'number' });
  });

  it('flags an input whose range crosses zero, and ranks it by its swing', () => {
    // DRAM up to $20: (2,000 − 1,200) / 10⁴ = +0.08 → the saving turns positive: a flip, swing 0.18.
    const inputs = [...INPUTS.slice(1), { ...INPUTS[0], high: 20 } as SensitivityInput];
    const r = sensitivity(C, { peakGiB: 100 }, inputs, evaluate);
    expect(r.rows.map((row) => [row.name, row.flipsSign])).toEqual([
      ['dramPerGiB', true],
      ['retimer', false],
      ['peakGiB', false],
    ]);
    expectApprox(r.rows[0]?.swing ?? NaN, 0.18);
  });

  it('measures the span including the base when the result is not monotone', () => {
    // |dram − 4| peaks away from base on both sides: the bar spans base … the farther end.
    const vee = (c: CostCatalogue): number => -Math.abs(c.dramUsdPerGiB - 4) / 100;
    const r = sensitivity(C, {}, [INPUTS[0] as SensitivityInput], vee);
    // low $2 → −0.02, high $12 → −0.08, base 0: span 0.08 (|atHigh − atLow| would say 0.06).
    expectApprox(r.rows[0]?.swing ?? NaN, 0.08);
    expect(r.rows[0]?.flipsSign).toBe(false); // a base of 0 has no sign to flip
  });

  it('varies a GPU price and leaves the catalogue and scalars it was given untouched', () => {
    const before = JSON.stringify(DEFAULT_COST_CATALOGUE);
    const scalars = Object.freeze({ k: 1 });
    const gpuShare = (c: CostCatalogue, s: Scalars): number =>
      (c.gpuUsd['A100-80GB'] ?? 0) / 100_000 - (s['k'] ?? 0) / 10;
    const r = sensitivity(
      DEFAULT_COST_CATALOGUE,
      scalars,
      [
        { name: 'a100', target: { kind: 'gpu', model: 'A100-80GB' }, low: 10_000, high: 20_000 },
        { name: 'k', target: { kind: 'scalar', name: 'k' }, low: 0, high: 2 },
      ],
      gpuShare,
    );
    // base 0.15 − 0.1 = 0.05; a100 → 0.0 … 0.1 (swing 0.1); k → 0.15 … −0.05 (swing 0.2, flips)
    expectApprox(r.base, 0.05);
    expect(r.rows.map((x) => [x.name, x.flipsSign])).toEqual([
      ['k', true],
      ['a100', false],
    ]);
    expect(JSON.stringify(DEFAULT_COST_CATALOGUE)).toBe(before);
  });

  it('refuses bad inputs with every issue and its path', () => {
    const bad: SensitivityInput[] = [
      { name: 'x', target: { kind: 'price', key: 'nope' as 'retimerUsd' }, low: 1, high: 2 },
      { name: 'x', target: { kind: 'scalar', name: 'missing' }, low: 0, high: 1 },
      { name: 'g', target: { kind: 'gpu', model: 'B300' }, low: 0, high: 1 },
      { name: 'o', target: { kind: 'price', key: 'retimerUsd' }, low: 5, high: 1 },
      { name: 'n', target: { kind: 'price', key: 'retimerUsd' }, low: -1, high: 1 },
      { name: 'e', target: { kind: 'price', key: 'mhdPortExponent' }, low: 0.2, high: 1.2 },
      { name: 'f', target: { kind: 'price', key: 'dramUsdPerGiB' }, low: Number.NaN, high: 1 },
    ];
    const e = errorOf(() => sensitivity(C, { peakGiB: 1 }, bad, evaluate));
    expect(e.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['input.unknown-key', 'sensitivity.0.target'],
      ['input.unknown-key', 'sensitivity.1.target'],
      ['input.duplicate', 'sensitivity.1.name'],
      ['input.unknown-key', 'sensitivity.2.target'],
      ['input.order', 'sensitivity.3.low'],
      ['input.range', 'sensitivity.4.low'],
      ['input.range', 'sensitivity.5.low'],
      ['input.type', 'sensitivity.6.low'],
    ]);
    expect(validateSensitivityInputs(C, { peakGiB: 1 }, bad)).toEqual(e.issues);
    expect(validateSensitivityInputs(C, { peakGiB: 1 }, INPUTS)).toEqual([]);
  });

  it('refuses an evaluator that returns a non-finite value (a programming error)', () => {
    expect(() => sensitivity(C, {}, [], () => Number.NaN)).toThrow(RangeError);
  });
});

describe('priceInputs and PRICE_RANGES', () => {
  it('cover every catalogue figure and GPU model, named by override key, within the documented ranges', () => {
    const inputs = priceInputs(DEFAULT_COST_CATALOGUE);
    expect(inputs.map((i) => i.name)).toEqual([
      'serverBase',
      'generalServerBase',
      'dramPerGiB',
      'mhdBase',
      'mhdPerPort',
      'mhdPortExponent',
      'memoryDevice',
      'cxlSwitchPerPort',
      'retimer',
      'cxlCableBase',
      'cxlCablePerM',
      'nicPer100Gbps',
      'torPerPort',
      'spinePerPort',
      'networkCable',
      'gpu.A100-80GB',
      'gpu.H100-80GB',
      'gpu.L40S',
    ]);
    const byName = Object.fromEntries(inputs.map((i) => [i.name, i]));
    // docs/costs.md §8: DRAM $2–11/GiB, the exponent 1–1.5, retimers $50–300, A100 $10–20k.
    expect(byName['dramPerGiB']).toMatchObject({ low: 2, high: 11, unit: 'usd' });
    expect(byName['mhdPortExponent']).toMatchObject({ low: 1, high: 1.5, unit: 'number' });
    expect(byName['retimer']).toMatchObject({ low: 50, high: 300 });
    expectApprox(byName['gpu.A100-80GB']?.low ?? NaN, 10_000);
    expectApprox(byName['gpu.A100-80GB']?.high ?? NaN, 20_000);
    for (const i of inputs) expect(i.low).toBeLessThanOrEqual(i.high);
    expect(validateSensitivityInputs(DEFAULT_COST_CATALOGUE, {}, inputs)).toEqual([]);
    expect(Object.keys(PRICE_RANGES).sort()).toEqual([...PRICE_KEYS, 'gpu'].sort());
  });

  it('follows overrides (factor ranges scale with the value) and can pick a subset', () => {
    const c = resolveCatalogue({ dramPerGiB: '$8' });
    expect(priceInputs(c, PRICE_RANGES, ['dramUsdPerGiB'])).toEqual([
      {
        name: 'dramPerGiB',
        target: { kind: 'price', key: 'dramUsdPerGiB' },
        low: 4,
        high: 22,
        unit: 'usd',
      },
    ]);
  });

  it('scalarInputs makes one input per named scalar; an unknown scalar is refused by name', () => {
    const scalars = { peakToMean: 1.6, localFraction: 0.75 };
    const inputs = scalarInputs(scalars, {
      peakToMean: { kind: 'absolute', low: 1.2, high: 3 },
      localFraction: { kind: 'factor', low: 0.5, high: 1.25 },
    });
    expect(inputs).toEqual([
      { name: 'peakToMean', target: { kind: 'scalar', name: 'peakToMean' }, low: 1.2, high: 3 },
      {
        name: 'localFraction',
        target: { kind: 'scalar', name: 'localFraction' },
        low: 0.375,
        high: 0.9375,
      },
    ]);
    const missing = scalarInputs(scalars, { samples: { kind: 'factor', low: 0.5, high: 2 } });
    expect(validateSensitivityInputs(DEFAULT_COST_CATALOGUE, scalars, missing)).toEqual([
      expect.objectContaining({ code: 'input.unknown-key', path: ['sensitivity', 0, 'target'] }),
    ]);
  });

  it('withTarget changes only the target, returning frozen copies', () => {
    const moved = withTarget(
      DEFAULT_COST_CATALOGUE,
      { a: 1 },
      { kind: 'price', key: 'retimerUsd' },
      7,
    );
    expect(moved.catalogue.retimerUsd).toBe(7);
    expect({ ...moved.catalogue, retimerUsd: DEFAULT_COST_CATALOGUE.retimerUsd }).toEqual(
      DEFAULT_COST_CATALOGUE,
    );
    expect(Object.isFrozen(moved.catalogue)).toBe(true);
    expect(DEFAULT_COST_CATALOGUE.retimerUsd).not.toBe(7);
  });
});

describe('sensitivity laws', () => {
  it('for any linear evaluator: swing = |slope| × (high − low), sorted descending, flip iff a side crosses zero', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.array(fc.double({ min: -1e-3, max: 1e-3, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (intercept, slopes) => {
          const keys = ['dramUsdPerGiB', 'retimerUsd', 'mhdBaseUsd'] as const;
          const f = (c: CostCatalogue): number =>
            intercept + keys.reduce((s, k, i) => s + (slopes[i] ?? 0) * c[k], 0);
          const inputs = priceInputs(DEFAULT_COST_CATALOGUE, PRICE_RANGES, [...keys]);
          const r = sensitivity(DEFAULT_COST_CATALOGUE, {}, inputs, f);
          for (const row of r.rows) {
            const i = keys.findIndex((k) => row.target.kind === 'price' && row.target.key === k);
            expectApprox(row.swing, Math.abs((slopes[i] ?? 0) * (row.high - row.low)), 1e-9);
            const crosses = (v: number): boolean => (r.base > 0 && v < 0) || (r.base < 0 && v > 0);
            expect(row.flipsSign).toBe(crosses(row.atLow) || crosses(row.atHigh));
          }
          for (let k = 1; k < r.rows.length; k++)
            expect(r.rows[k - 1]?.swing ?? 0).toBeGreaterThanOrEqual(r.rows[k]?.swing ?? 0);
          expect(sensitivity(DEFAULT_COST_CATALOGUE, {}, inputs, f)).toEqual(r);
        },
      ),
    );
  });
});
