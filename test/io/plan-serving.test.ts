/**
 * A capacity plan's serving search (src/io/plan/serving.ts; docs/capacity.md "Scaling and the
 * rate search"): `replicas`, `targetRate` and `search` resolved, their defaults, and every
 * mistake reported with its code and path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError, PodsimError } from '../../src/errors/index.ts';
import { parsePlanText } from '../../src/io/index.ts';
import { SEARCH_DEFAULTS } from '../../src/io/plan/serving.ts';

const base = `scenario: droidspeak-8b
slo: { attainment: 99 % }
candidates:
  - { generator: rdma-rack, params: { racks: 1 }, hosts: [4, 8] }
memory: { perHostMean: "384 GiB", peakToMean: 1.6, localFraction: 0.75 }
`;

/** The `code path` of every issue the text raises (none: `[]`). */
function issuesOf(text: string): string[] {
  try {
    parsePlanText(text, 'p.yaml');
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.issues.map((i) => `${i.code} ${i.path.join('.')}`);
  }
}

describe('plan serving fields', () => {
  it('defaults: the scenario’s replicas, no target, growth ×1, a 5 % search', () => {
    const p = parsePlanText(base, 'p.yaml');
    expect(p.serving).toEqual({ replicas: { kind: 'scenario' }, searchTolerance: 0.05 });
    expect(SEARCH_DEFAULTS.tolerance).toBe(0.05);
    expect(p.growth).toEqual([1]);
  });

  it('resolves replicas per host or a GPU share, a target rate and a tolerance', () => {
    // 600 per minute = 10 per second; with a target and no growth, no growth steps are run
    const p = parsePlanText(
      `${base}replicas: { perHost: 4 }\ntargetRate: "600 /min"\nsearch: { tolerance: 2 % }\n`,
      'p.yaml',
    );
    expect(p.serving).toEqual({
      replicas: { kind: 'per-host', perHost: 4 },
      targetRatePerS: 10,
      searchTolerance: 0.02,
    });
    expect(p.growth).toEqual([]);
    const q = parsePlanText(
      `${base}replicas: { gpuShare: 50 % }\nsearch: false\ngrowth: [1, 2]\n`,
      'p.yaml',
    );
    expect(q.serving).toEqual({
      replicas: { kind: 'gpu-share', share: 0.5 },
      searchTolerance: null,
    });
    expect(q.growth).toEqual([1, 2]);
  });

  it('reports each mistake with its code and path', () => {
    const cases: [string, string][] = [
      ['replicas: { perHost: 0 }', 'input.integer replicas.perHost'],
      ['replicas: { perHost: 2.5 }', 'input.integer replicas.perHost'],
      ['replicas: { perHost: 65 }', 'input.integer replicas.perHost'],
      ['replicas: { gpuShare: 150 % }', 'input.range replicas.gpuShare'],
      ['replicas: { perHost: 2, gpuShare: 1 }', 'input.form replicas'],
      ['replicas: { perGpu: 1 }', 'input.kind replicas'],
      ['replicas: 8', 'input.type replicas'],
      ['targetRate: 200', 'unit.invalid targetRate'],
      ['targetRate: "200 GB/s"', 'unit.invalid targetRate'],
      ['targetRate: "0 /s"', 'input.range targetRate'],
      ['search: true', 'input.type search'],
      ['search: { tolerance: 0 }', 'input.range search.tolerance'],
      ['search: { tolerance: 80 % }', 'input.range search.tolerance'],
      ['search: { tolerence: 5 % }', 'input.unknown-key search'],
    ];
    for (const [line, want] of cases) expect(issuesOf(`${base}${line}\n`), line).toContain(want);
  });

  it('says what is allowed', () => {
    try {
      parsePlanText(`${base}replicas: { perGpu: 1 }\n`, 'p.yaml');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).message).toContain('p.yaml');
      expect((e as InputError).message).toContain('{ perHost: <n> }');
      expect((e as InputError).message).toContain('{ gpuShare: <share> }');
    }
  });

  it('refuses the serving fields in a pooling-only plan', () => {
    const pooling = base.replace('scenario: droidspeak-8b\nslo: { attainment: 99 % }\n', '');
    expect(
      issuesOf(`${pooling}targetRate: "5 /s"\nreplicas: { perHost: 1 }\nsearch: false\n`),
    ).toEqual(['input.conflict replicas', 'input.conflict targetRate', 'input.conflict search']);
  });

  it('fuzzed serving fields give a plan or a PodsimError naming the file, never a throw', () => {
    const leaf = fc.oneof(
      fc.constantFrom('5 /s', '0 /s', '1e9 /s', '200', '50 %', '0 %', 'x', 'perHost'),
      fc.double({ min: -2, max: 100, noNaN: true }),
      fc.integer({ min: -1, max: 70 }),
      fc.boolean(),
      fc.constant(null),
    );
    const form = fc.oneof(
      leaf,
      fc.dictionary(fc.constantFrom('perHost', 'gpuShare', 'tolerance', 'other'), leaf, {
        maxKeys: 3,
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ replicas: form, targetRate: form, search: form }, { requiredKeys: [] }),
        (fields) => {
          const text = `${base}${Object.keys(fields).length === 0 ? '' : stringify(fields)}`;
          try {
            const p = parsePlanText(text, 'fz.yaml');
            expect(p.serving.searchTolerance === null || p.serving.searchTolerance > 0).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(PodsimError);
            expect((e as Error).message).toContain('fz.yaml');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
