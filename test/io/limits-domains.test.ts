/**
 * Domains at the file boundary (docs/limits.md "Domains"): every unit string within its
 * dimension's physical range, finite; cables that copper can reach; prices that print; ids
 * without control characters. A law per dimension: any value outside the range is refused with
 * the field's path, any inside accepted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, TopologyError } from '../../src/errors/index.ts';
import { validateCatalogue } from '../../src/cost/catalogue.ts';
import { readYaml } from '../../src/io/files.ts';
import { parseScenarioText, parseTopologyText } from '../../src/io/index.ts';
import { PHYSICAL_RANGE, unitString, type FileDimension } from '../../src/io/schema-fields.ts';
import { BASE as SCENARIO } from './scenario-helpers.ts';
import { BASE, thrown, where } from './topology-helpers.ts';

/** The canonical unit of each dimension, as a file writes it. */
const UNIT: Record<FileDimension, string> = {
  time: 'ns',
  size: 'B',
  bandwidth: 'GB/s',
  length: 'm',
  'time-per-length': 'ns/m',
};
const DIMS = Object.keys(UNIT) as FileDimension[];

describe('unit strings have a physical range', () => {
  it('law: inside the range is accepted, outside (or non-finite) refused as input.range', () => {
    for (const dim of DIMS) {
      const { min, max } = PHYSICAL_RANGE[dim];
      const schema = unitString(dim, 'x');
      const lo = Math.max(min, 1e-300) * 1.001;
      fc.assert(
        fc.property(fc.double({ min: lo, max: max * 0.999, noNaN: true }), (v) => {
          const r = schema.safeParse(`${v} ${UNIT[dim]}`);
          expect(r.success, `${dim} ${v}`).toBe(true);
        }),
        { numRuns: 60 },
      );
      const above = fc.double({ min: max * 1.001, max: 1e300, noNaN: true });
      const outside =
        min > 0
          ? fc.oneof(above, fc.double({ min: 1e-300, max: min * 0.999, noNaN: true }))
          : above;
      fc.assert(
        fc.property(outside, (v) => {
          const r = schema.safeParse(`${v} ${UNIT[dim]}`);
          expect(r.success, `${dim} ${v}`).toBe(false);
          expect(r.error?.issues[0]?.message, `${dim} ${v}`).toMatch(/out of range|finite/);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('a 1e-300 B/s NIC rate and a 1e308 m cable are refused, each with its path', () => {
    const text = BASE.replace(
      '{ a: h0, b: d0, kind: cxl }',
      '{ a: h0, b: d0, kind: cxl, length: "1e308 m" }',
    ).replace(
      '{ a: h0.nic0, b: tor0, kind: network }',
      '{ a: h0.nic0, b: tor0, kind: network, rate: "1e-300 B/s" }',
    );
    const e = thrown(InputError, () => parseTopologyText(text, 't.yaml'));
    expect(where(e)).toEqual(['input.range @ links[0].length', 'input.range @ links[2].rate']);
    expect(e.issues[0]?.message).toBe(
      '"1e308 m" is out of range: length must be between 0 and 100 m (docs/limits.md)',
    );
    expect(e.issues[1]?.message).toMatch(/bandwidth must be between 1 kB\/s and 10 TB\/s/);
  });

  it('a cable of zero length is refused', () => {
    const text = BASE.replace(
      '{ a: h0, b: d0, kind: cxl }',
      '{ a: h0, b: d0, kind: cxl, length: "0 m" }',
    );
    expect(where(thrown(InputError, () => parseTopologyText(text, 't.yaml')))).toEqual([
      'input.range @ links[0].length',
    ]);
  });

  it('100 m of copper (66 retimers) is refused; 30 m declared passive names the most it can be', () => {
    const text = BASE.replace(
      '{ a: h0, b: d0, kind: cxl }',
      '{ a: h0, b: d0, kind: cxl, length: "100 m" }',
    ).replace(
      '{ a: h1, b: d0, kind: cxl }',
      '{ a: h1, b: d0, kind: cxl, length: "30 m", retimers: 0 }',
    );
    const e = thrown(TopologyError, () => parseTopologyText(text, 't.yaml'));
    expect(where(e)).toEqual([
      'topology.cable-too-long @ links[0].length',
      'topology.cable-too-long @ links[1].length',
    ]);
    expect(e.issues[0]?.message).toMatch(/needs 66 retimers .* at most 16 on one cable/);
    expect(e.issues[1]?.message).toMatch(/shorten it to at most 25\.5 m \(16 retimers\)/);
  });

  it('a scenario duration of 1e30 s is refused at its field', () => {
    const e = thrown(InputError, () =>
      parseScenarioText(`${SCENARIO}workload: { duration: "1e30 s" }\n`, 's.yaml'),
    );
    expect(where(e)).toEqual(['input.range @ workload.duration']);
  });
});

describe('prices', () => {
  it('a price with enough digits to print Infinity, or above $1e9, is refused with its path', () => {
    const huge = `$${'9'.repeat(400)}`;
    const issues = validateCatalogue(
      { serverBase: huge, mhdBase: '$2,000,000,000', gpu: { A100: huge } },
      ['prices'],
    );
    expect(issues.map((i) => `${i.code} @ ${i.path.join('.')}`)).toEqual([
      'input.range @ prices.serverBase',
      'input.range @ prices.mhdBase',
      'input.range @ prices.gpu.A100',
    ]);
    expect(validateCatalogue({ serverBase: '$1,000,000,000' }, ['prices'])).toEqual([]);
    for (const i of issues) expect(i.message).toMatch(/up to \$1,000,000,000/);
  });
});

describe('ids', () => {
  it('a node id with a control character is refused at its path', () => {
    const text = BASE.replace('{ id: h1, kind: host', '{ id: "h\\u0001x", kind: host');
    const e = thrown(InputError, () => parseTopologyText(text, 't.yaml'));
    expect(where(e)).toContain('input.id @ nodes[2].id');
  });

  it('a variant id with a control character is refused at its path', () => {
    const text = SCENARIO.replace('{ id: toolace,', '{ id: "tool\\tace",');
    const e = thrown(InputError, () => parseScenarioText(text, 's.yaml'));
    expect(where(e)).toContain('input.id @ variants[1].id');
    expect(e.message).toMatch(/control characters/);
  });

  it('any mapping key with a control character is refused, wherever it is', () => {
    const e = thrown(InputError, () =>
      readYaml('workload:\n  variants:\n    "a\\u0001b": 1\n', 'k.yaml'),
    );
    expect(where(e)).toEqual(['input.id @ workload.variants.a\u0001b']);
  });

  it('a mapping key named __proto__ is refused at its path, not silently dropped', () => {
    const e = thrown(InputError, () =>
      readYaml('workload:\n  variants:\n    __proto__: 2\n    a: 1\n', 'k.yaml'),
    );
    expect(where(e)).toEqual(['input.reserved-key @ workload.variants.__proto__']);
    // constructor and prototype are ordinary keys
    expect(readYaml('variants: { constructor: 1, prototype: 2 }\n', 'k.yaml')).toEqual({
      variants: { constructor: 1, prototype: 2 },
    });
  });

  it('law: ids with any control character are refused; printable ones pass the key guard', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 31 }),
        (s, c) => {
          const bad = `${s}${String.fromCharCode(c)}`;
          expect(() => readYaml(JSON.stringify({ [bad]: 1 }), 'k.json')).toThrow(InputError);
        },
      ),
      { numRuns: 50 },
    );
  });
});
