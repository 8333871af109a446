/**
 * Pooling-only plans and demand traces (src/io/plan-file.ts, src/io/plan/*): a trace in both
 * header forms, bad rows → named errors (code, file:line), cross-field rules of `memory:`, fuzzed
 * plan and trace files (only PodsimErrors naming the file), the bundled sample trace reproducible
 * from its generator, and a pooling-only plan run end to end.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCapacityPlan } from '../../src/app/capacity.ts';
import { InputError, type Issue } from '../../src/errors/index.ts';
import { loadPlan, parsePlanText } from '../../src/io/index.ts';
import { parseDemandTrace } from '../../src/io/plan/trace.ts';
import { GiB } from '../../src/units/index.ts';
import { parsesOrPodsimError, thrown } from '../helpers/errors.ts';

const trace = (text: string) => {
  const issues: Issue[] = [];
  const t = parseDemandTrace(text, 't.csv', ['memory', 'trace'], issues);
  return { t, codes: issues.map((i) => i.code), messages: issues.map((i) => i.message) };
};

describe('demand traces', () => {
  it('reads values with units, or bare numbers under a unit in the header', () => {
    const a = trace('time,host,memory\n0,a,1 GiB\n0,b,2 GiB\n60,a,3 GiB\n60,b,4 GiB\n');
    expect(a.t?.hostIds).toEqual(['a', 'b']);
    expect(a.t?.times).toEqual(['0', '60']);
    expect([...(a.t?.bytes ?? [])]).toEqual([1, 2, 3, 4].map((x) => x * GiB));
    const b = trace('# comment\ntime,host,memory_GiB\n0,a,1.5\n');
    expect([...(b.t?.bytes ?? [])]).toEqual([1.5 * GiB]);
  });

  it('names each bad row by file and line, with a code', () => {
    const r = trace('time,host,memory\n0,a,12\n0,b\n0,,1 GiB\n0,c,-1 GiB\n');
    expect(r.t).toBeUndefined();
    expect(r.codes).toEqual([
      'memory.trace-line',
      'memory.trace-line',
      'memory.trace-line',
      'memory.trace-line',
    ]);
    expect(r.messages[0]).toMatch(/^t\.csv:2: column "memory"/);
    expect(r.messages[1]).toMatch(/^t\.csv:3: expected 3 columns/);
    expect(trace('tme,host,memory\n').codes).toEqual(['memory.trace-header']);
    expect(trace('time,host,memory_GB\n0,a,1 GB\n').codes).toEqual(['memory.trace-line']);
    expect(trace('time,host,memory\n0,a,1 GiB\n0,a,2 GiB\n').codes).toEqual([
      'memory.trace-duplicate',
    ]);
    expect(trace('time,host,memory\n0,a,1 GiB\n1,b,2 GiB\n').codes).toEqual([
      'memory.trace-missing',
    ]);
    expect(trace('').codes).toEqual(['memory.trace-empty']);
    expect(trace('time,host,memory\n').codes).toEqual(['memory.trace-empty']);
  });

  it('fuzzed traces give a trace or issues, never a throw', () => {
    const row = fc.tuple(
      fc.constantFrom('0', '1', '', 'x'),
      fc.constantFrom('a', 'b', ''),
      fc.constantFrom('1 GiB', '2.5 TB', '-3 GiB', '7', 'GiB', 'x', '1e3 MiB'),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('time,host,memory', 'time,host,memory_GiB', 'a,b'),
        fc.array(row, { maxLength: 8 }),
        (head, rows) => {
          const r = trace([head, ...rows.map((x) => x.join(','))].join('\n'));
          expect(r.t === undefined).toBe(r.codes.length > 0);
        },
      ),
    );
  });

  it('the bundled sample trace is what its generator writes (synthetic, reproducible)', () => {
    const made = execFileSync('npx', ['tsx', 'plans/traces/generate-sample.ts'], {
      encoding: 'utf8',
    });
    expect(made).toBe(readFileSync('plans/traces/sample-demand.csv', 'utf8'));
  });
});

const pooling = `seed: 3
candidates:
  - { generator: switched-cxl, params: { devices: 2, switchPorts: 16, hostLinks: 1 }, options: { gpusPerHost: 0 }, hosts: [4, 6] }
memory: { perHostMean: "64 GiB", peakToMean: 1.5, localFraction: 0.5, samples: 200, curve: [0, 1] }
`;

describe('pooling-only plans', () => {
  it('resolve without a scenario and run: priced sizes, a pooling view and a curve', () => {
    const p = parsePlanText(pooling, 'p.yaml');
    expect(p.scenario).toBeUndefined();
    expect(p.seed).toBe(3);
    expect(p.curve).toEqual([0, 1]);
    const r = runCapacityPlan(p);
    expect(r.mode).toBe('pooling');
    expect(r.rows.map((x) => x.hosts)).toEqual([4, 6]);
    expect(r.cheapest).toBeNull();
    const v = r.pooling[0];
    expect(v?.view?.poolKind).toBe('switched');
    expect(v?.curve.map((c) => c.localFraction)).toEqual([0, 1]);
    // Keeping everything local needs no pool: the net is minus the fabric.
    const last = v?.curve[1];
    expect(last?.poolPerHostBytes).toBe(0);
    expect(v?.verdict).not.toMatch(/GPUs dominate/);
    expect(JSON.stringify(runCapacityPlan(p))).toBe(JSON.stringify(r));
  });

  it('report every cross-field problem with its code and path', () => {
    const e = thrown(InputError, () =>
      parsePlanText(
        `${pooling.replace('perHostMean: "64 GiB", ', 'trace: x.csv, ')}growth: [1]\nslo: { attainment: 99 % }\n`,
        'bad.yaml',
      ),
    );
    const got = e.issues.map((i) => `${i.code} ${i.path.join('.')}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'input.conflict growth',
        'input.conflict slo',
        'input.conflict memory.peakToMean',
        'input.conflict memory.samples',
      ]),
    );
    const none = thrown(InputError, () =>
      parsePlanText(pooling.replace('perHostMean: "64 GiB", ', ''), 'b.yaml'),
    );
    expect(none.issues.map((i) => `${i.code} ${i.path.join('.')}`)).toEqual([
      'input.required memory.perHostMean',
    ]);
    const policy = thrown(InputError, () =>
      parsePlanText(pooling.replace('curve: [0, 1]', 'policy: best-fit, risk: 60 %'), 'c.yaml'),
    );
    expect(policy.issues.map((i) => `${i.code} ${i.path.join('.')}`).sort()).toEqual([
      'input.enum memory.policy',
      'input.range memory.risk',
    ]);
  });

  it('fuzzed memory sections give a plan or a PodsimError naming the file', () => {
    const value = fc.oneof(
      fc.constantFrom('64 GiB', '1 %', '50 %', 'x', 'balanced', 'first-fit', 'shifted'),
      fc.double({ min: -1, max: 3, noNaN: true }),
      fc.integer({ min: -2, max: 5 }),
    );
    const key = fc.constantFrom(
      'perHostMean',
      'peakToMean',
      'localFraction',
      'risk',
      'policy',
      'samples',
      'correlation',
      'trace',
      'traceMapping',
      'curve',
      'other',
    );
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (memory) => {
        const doc = {
          candidates: [
            {
              generator: 'switched-cxl',
              params: { devices: 2, switchPorts: 16, hostLinks: 1 },
              hosts: [4],
            },
          ],
          memory: { ...memory, samples: 20 },
        };
        parsesOrPodsimError(parsePlanText, JSON.stringify(doc), 'fuzz.yaml');
      }),
      { numRuns: 60 },
    );
  });

  it('the bundled octopus plans load: general-purpose servers, 96 hosts, pooling only', () => {
    for (const name of ['octopus-paper', 'octopus-trace']) {
      const { plan } = loadPlan(name);
      expect(plan.scenario).toBeUndefined();
      expect(plan.candidates.every((c) => c.hosts.includes(96))).toBe(true);
    }
    const d = loadPlan('octopus-trace').plan.memory.demand;
    expect(d.kind === 'trace' ? [d.trace.hostIds.length, d.trace.times.length] : []).toEqual([
      24, 96,
    ]);
  });
});
