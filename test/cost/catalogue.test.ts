/**
 * The cost catalogue (src/cost/catalogue.ts) against its documentation and against fuzzed
 * overrides: every figure has a row in docs/costs.md with its override key and default value, and
 * a comment in the source citing docs/costs.md; random override mappings mixing good and bad
 * values are refused exactly on the bad keys, each with a named code and path, and accepted
 * values land in the resolved catalogue (docs/design.md convention §4).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.ts';
import {
  CATALOGUE_OVERRIDE_KEYS,
  DEFAULT_COST_CATALOGUE,
  MHD_PORT_EXPONENT_RANGE,
  overrideKeyOf,
  resolveCatalogue,
  validateCatalogue,
  type CostCatalogue,
} from '../../src/cost/index.ts';

const read = (path: string): string =>
  readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the catalogue and docs/costs.md', () => {
  const doc = read('docs/costs.md');
  const source = read('src/cost/catalogue.ts');

  it('documents every figure: key, override key and default value in one table row', () => {
    const rows = doc.split('\n').filter((l) => l.startsWith('| `'));
    for (const key of Object.keys(DEFAULT_COST_CATALOGUE) as (keyof CostCatalogue)[]) {
      const row = rows.find((r) => r.startsWith(`| \`${key}\``));
      expect(row, key).toBeDefined();
      expect(row, key).toContain(`(\`${overrideKeyOf(key)}\`)`);
      const value = DEFAULT_COST_CATALOGUE[key];
      if (typeof value === 'number') {
        const printed =
          key === 'mhdPortExponent' ? String(value) : `$${value.toLocaleString('en-US')}`;
        expect(row, key).toContain(`| ${printed} |`);
      }
    }
    for (const [model, price] of Object.entries(DEFAULT_COST_CATALOGUE.gpuUsd)) {
      const row = rows.find((r) => r.startsWith(`| \`gpuUsd\` ${model}`));
      expect(row, model).toContain(`| $${price.toLocaleString('en-US')} |`);
    }
  });

  it('cites docs/costs.md next to every default figure', () => {
    const body = source.slice(source.indexOf('export const DEFAULT_COST_CATALOGUE'));
    const block = body.slice(0, body.indexOf('});'));
    for (const key of Object.keys(DEFAULT_COST_CATALOGUE)) {
      if (key === 'gpuUsd') continue;
      const at = block.indexOf(`  ${key}:`);
      expect(at, key).toBeGreaterThan(-1);
      // The citation sits on the figure's line or in the comment just above it.
      const around = block.slice(
        Math.max(0, block.lastIndexOf('\n', at - 200)),
        block.indexOf('\n', at),
      );
      expect(around, key).toMatch(/docs\/costs\.md §\d/);
    }
  });

  it('accepts the new general-purpose server key and keeps every old override key', () => {
    expect(Object.keys(CATALOGUE_OVERRIDE_KEYS)).toEqual(
      expect.arrayContaining([
        'serverBase',
        'generalServerBase',
        'gpu',
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
      ]),
    );
    expect(resolveCatalogue({ generalServerBase: '$3,000' }).generalServerBaseUsd).toBe(3000);
  });
});

/** A value for one override key, with whether it is valid and, if so, what it resolves to. */
interface Drawn {
  readonly value: unknown;
  readonly ok: boolean;
  readonly resolved?: number;
}

const goodMoney: fc.Arbitrary<Drawn> = fc
  .integer({ min: 0, max: 10_000_000 })
  .map((cents) => ({ value: `$${(cents / 100).toFixed(2)}`, ok: true, resolved: cents / 100 }));
const badMoney: fc.Arbitrary<Drawn> = fc.oneof(
  fc.integer({ min: 1, max: 1e6 }).map((n) => ({ value: n, ok: false })), // bare number
  fc.integer({ min: 1, max: 1e6 }).map((n) => ({ value: `-$${n}`, ok: false })), // negative
  fc.constantFrom(null, true, [], {}, '', 'cheap', '12 kg').map((v) => ({ value: v, ok: false })),
);
const goodExponent: fc.Arbitrary<Drawn> = fc
  .double({ min: MHD_PORT_EXPONENT_RANGE.min, max: MHD_PORT_EXPONENT_RANGE.max, noNaN: true })
  .map((e) => ({ value: e, ok: true, resolved: e }));
const badExponent: fc.Arbitrary<Drawn> = fc.oneof(
  fc.double({ min: 3.01, max: 100, noNaN: true }).map((e) => ({ value: e, ok: false })),
  fc.double({ min: -5, max: 0.49, noNaN: true }).map((e) => ({ value: e, ok: false })),
  fc.constantFrom('1.2', null, Number.NaN, Infinity).map((v) => ({ value: v, ok: false })),
);

const FIGURES = Object.keys(CATALOGUE_OVERRIDE_KEYS).filter((k) => k !== 'gpu');

/** Random overrides: a subset of keys, each with a good or bad value, plus maybe an unknown key. */
const overridesArb = fc
  .tuple(
    fc.subarray(FIGURES),
    fc.array(fc.boolean(), { minLength: FIGURES.length, maxLength: FIGURES.length }),
    fc.option(fc.constantFrom('dramPerGb', 'serverBaseUsd', 'switchPerPort', 'zzz')),
  )
  .chain(([keys, good, unknown]) =>
    fc
      .tuple(
        ...keys.map((k, i) =>
          k === 'mhdPortExponent'
            ? good[i]
              ? goodExponent
              : badExponent
            : good[i]
              ? goodMoney
              : badMoney,
        ),
      )
      .map((drawn) => ({
        entries: keys.map((k, i) => [k, drawn[i] as Drawn] as const),
        unknown: unknown ?? undefined,
      })),
  );

describe('fuzzed overrides', () => {
  it('refuse exactly the bad keys, each with a named code and path, and resolve the rest', () => {
    fc.assert(
      fc.property(overridesArb, ({ entries, unknown }) => {
        const raw: Record<string, unknown> = Object.fromEntries(
          entries.map(([k, d]) => [k, d.value]),
        );
        if (unknown !== undefined) raw[unknown] = '$1';
        const issues = validateCatalogue(raw, ['prices']);
        const badKeys = [
          ...entries.filter(([, d]) => !d.ok).map(([k]) => k),
          ...(unknown === undefined ? [] : [unknown]),
        ].sort();
        expect([...new Set(issues.map((i) => i.path[1]))].sort()).toEqual(badKeys);
        for (const i of issues) {
          expect(i.path[0]).toBe('prices');
          expect(['input.type', 'input.range', 'input.unknown-key', 'unit.invalid']).toContain(
            i.code,
          );
          expect(i.message.length).toBeGreaterThan(0);
        }
        if (badKeys.length > 0) {
          expect(() => resolveCatalogue(raw, ['prices'], 'plan.yaml')).toThrow(InputError);
          return;
        }
        const c = resolveCatalogue(raw);
        for (const [k, d] of entries) {
          const key = CATALOGUE_OVERRIDE_KEYS[k] as keyof CostCatalogue;
          expect(c[key]).toBeCloseTo(d.resolved ?? Number.NaN, 9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throw anything but InputError for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        try {
          resolveCatalogue(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
