/**
 * validatePairProfile (src/planner/validate-profile.ts): every problem of a pair profile read
 * from a file, with its code and path — and nothing for valid or synthetic profiles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticProfile, validatePairProfile } from '../../src/planner/index.ts';
import type { Issue } from '../../src/errors/index.ts';

function codesAt(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.code} ${JSON.stringify(i.path)}`);
}

describe('validatePairProfile', () => {
  const valid = syntheticProfile({
    receiver: 'phi3.5-mini-v2',
    sender: 'phi-3.5-mini-task15',
    layers: 8,
    seed: 11,
  });
  /** A mutable deep copy of the valid profile, as a file would give it. */
  const raw = (): Record<string, unknown> & {
    frontier: Record<string, unknown>[];
    layerSensitivity: unknown[];
  } =>
    JSON.parse(JSON.stringify(valid)) as Record<string, unknown> & {
      frontier: Record<string, unknown>[];
      layerSensitivity: unknown[];
    };
  const point = (r: ReturnType<typeof raw>, i: number): Record<string, unknown> =>
    r.frontier[i] as Record<string, unknown>;

  it('accepts a valid profile', () => {
    expect(valid.frontier.length).toBeGreaterThanOrEqual(2);
    expect(validatePairProfile(valid)).toEqual([]);
    expect(validatePairProfile(raw())).toEqual([]);
  });

  it('reports wrong types, missing and unknown keys', () => {
    expect(codesAt(validatePairProfile(42, ['pairs', 0]))).toEqual(['input.type ["pairs",0]']);
    expect(codesAt(validatePairProfile([], []))).toEqual(['input.type []']);
    const r = raw();
    delete r['receiver'];
    r['sendr'] = 'x';
    r['layers'] = '8';
    expect(codesAt(validatePairProfile(r)).sort()).toEqual(
      [
        'input.required ["receiver"]',
        'input.type ["layers"]',
        'input.unknown-key ["sendr"]',
      ].sort(),
    );
  });

  it('reports receiver = sender', () => {
    const r = raw();
    r['sender'] = r['receiver'];
    expect(codesAt(validatePairProfile(r))).toEqual(['profile.same-model ["sender"]']);
  });

  it('reports bad layers, sensitivities and full-reuse loss', () => {
    const r = raw();
    r['layers'] = 2.5;
    expect(codesAt(validatePairProfile(r))).toEqual(['input.integer ["layers"]']);
    const s = raw();
    s.layerSensitivity.push(0.01);
    s.layerSensitivity[3] = 1.5;
    s.layerSensitivity[4] = 'high';
    s['fullReuseLoss'] = -0.1;
    expect(codesAt(validatePairProfile(s)).sort()).toEqual(
      [
        'profile.length ["layerSensitivity"]',
        'input.range ["layerSensitivity",3]',
        'input.type ["layerSensitivity",4]',
        'input.range ["fullReuseLoss"]',
      ].sort(),
    );
  });

  it('reports groups out of range, overlapping or touching', () => {
    const r = raw();
    const last = r.frontier.length - 1;
    point(r, last)['groups'] = [{ start: 0, end: 8 }];
    expect(codesAt(validatePairProfile(r))).toContain(
      `profile.group-range ["frontier",${last},"groups",0]`,
    );
    const o = raw();
    point(o, 1)['groups'] = [
      { start: 0, end: 3 },
      { start: 2, end: 5 },
    ];
    expect(codesAt(validatePairProfile(o))).toContain(
      'profile.group-order ["frontier",1,"groups",1]',
    );
    const t = raw();
    point(t, 1)['groups'] = [
      { start: 4, end: 5 },
      { start: 1, end: 2 },
    ];
    expect(codesAt(validatePairProfile(t))).toContain(
      'profile.group-order ["frontier",1,"groups",1]',
    );
    const u = raw();
    point(u, 1)['groups'] = [{ start: 1.5, end: 2, first: 1 }];
    expect(codesAt(validatePairProfile(u)).sort()).toEqual(
      [
        'input.integer ["frontier",1,"groups",0,"start"]',
        'input.unknown-key ["frontier",1,"groups",0,"first"]',
      ].sort(),
    );
  });

  it('reports counts that disagree with the groups', () => {
    const r = raw();
    const p = point(r, 1);
    p['recomputedLayers'] = (p['recomputedLayers'] as number) + 1;
    p['eCacheLoads'] = (p['eCacheLoads'] as number) + 1;
    expect(
      codesAt(validatePairProfile(r)).filter((c) => c.startsWith('profile.point-mismatch')),
    ).toEqual([
      'profile.point-mismatch ["frontier",1,"recomputedLayers"]',
      'profile.point-mismatch ["frontier",1,"eCacheLoads"]',
    ]);
  });

  it('reports a frontier out of order', () => {
    const r = raw();
    const [a, b] = [r.frontier[1], r.frontier[2]];
    r.frontier[1] = b as Record<string, unknown>;
    r.frontier[2] = a as Record<string, unknown>;
    const codes = codesAt(validatePairProfile(r));
    expect(codes).toContain('profile.frontier-order ["frontier",2,"recomputedLayers"]');
    expect(codes).toContain('profile.frontier-order ["frontier",2,"qualityLoss"]');
  });

  it('reports missing or wrong ends', () => {
    const r = raw();
    r.frontier.pop();
    expect(codesAt(validatePairProfile(r))).toEqual([
      `profile.frontier-ends ["frontier",${r.frontier.length - 1},"recomputedLayers"]`,
    ]);
    const f = raw();
    point(f, 0)['qualityLoss'] = valid.fullReuseLoss / 2;
    expect(codesAt(validatePairProfile(f))).toContain(
      'profile.frontier-ends ["frontier",0,"qualityLoss"]',
    );
    const e = raw();
    e.frontier = [];
    expect(codesAt(validatePairProfile(e))).toEqual(['profile.frontier-ends ["frontier"]']);
  });

  it('reports every problem at once, under the given path', () => {
    const r = raw();
    r['layers'] = 0;
    r['fullReuseLoss'] = 2;
    r['sender'] = '';
    const issues = validatePairProfile(r, ['pairs', 3]);
    expect(issues.length).toBeGreaterThanOrEqual(3);
    for (const issue of issues) expect(issue.path.slice(0, 2)).toEqual(['pairs', 3]);
    expect(codesAt(issues)).toEqual(
      expect.arrayContaining([
        'input.type ["pairs",3,"sender"]',
        'input.integer ["pairs",3,"layers"]',
        'input.range ["pairs",3,"fullReuseLoss"]',
      ]),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(Array.isArray(validatePairProfile(x))).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          layers: fc.anything(),
          layerSensitivity: fc.anything(),
          fullReuseLoss: fc.anything(),
          frontier: fc.anything(),
        }),
        (x) => {
          const issues = validatePairProfile(x);
          expect(issues.length).toBeGreaterThan(0); // receiver and sender are missing
        },
      ),
    );
  });
});
