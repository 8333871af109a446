/**
 * Block designs behind octopus-bibd (src/topology/designs): each construction gives a
 * 2-(v, k, 1) design with b = vr/k blocks, and impossible or unbuilt (X, N) fail with the right
 * GeneratorError code and nearest feasible suggestions (docs/references.md §1).
 */
import { describe, expect, it } from 'vitest';
import {
  affinePlane,
  bibdFor,
  designAdmissible,
  differenceFamily,
  nearestFeasible,
  projectivePlane,
  steinerTripleSystem,
  tryBibd,
  verifyPairwiseBalanced,
  type BlockDesign,
} from '../../src/topology/designs/index.ts';
import { GeneratorError } from '../../src/errors/index.ts';
import { thrown } from '../helpers/errors.ts';

/** Checks a 2-(v, k, 1) design: pairwise balanced, block sizes, b = vr/k and every point in r blocks. */
function expectDesign(d: BlockDesign, v: number, k: number): void {
  expect(d.points).toBe(v);
  expect(d.blockSize).toBe(k);
  const r = (v - 1) / (k - 1);
  expect(d.blocks.length).toBe((v * r) / k);
  for (const b of d.blocks) {
    expect(b.length).toBe(k);
    expect(new Set(b).size).toBe(k);
  }
  const replication = new Array<number>(v).fill(0);
  for (const b of d.blocks) for (const p of b) replication[p] = (replication[p] ?? 0) + 1;
  expect(replication.every((x) => x === r)).toBe(true);
  expect(verifyPairwiseBalanced(v, d.blocks)).toBe(true);
}

const generatorError = (f: () => unknown): GeneratorError => thrown(GeneratorError, f);

describe('projective planes PG(2,q)', () => {
  it.each([2, 3, 4, 5, 7, 8, 9])('q = %i: q²+q+1 points and lines, q+1 per line', (q) => {
    const d = projectivePlane(q);
    expectDesign(d, q * q + q + 1, q + 1);
    expect(d.construction).toBe('projective-plane');
  });
});

describe('affine planes AG(2,q)', () => {
  it.each([2, 3, 4, 5, 7, 8, 9])('q = %i: q² points, q²+q lines of q', (q) => {
    const d = affinePlane(q);
    expectDesign(d, q * q, q);
    expect(d.blocks.length).toBe(q * q + q);
  });
});

describe('Steiner triple systems', () => {
  it.each([7, 9, 13, 15, 19, 21])('STS(%i)', (v) => {
    const d = steinerTripleSystem(v);
    expectDesign(d, v, 3);
    expect(d.blocks.length).toBe((v * (v - 1)) / 6);
  });
  it('is deterministic for a seed (hill-climbing, v ≡ 1 mod 6)', () => {
    expect(steinerTripleSystem(19, 7).blocks).toEqual(steinerTripleSystem(19, 7).blocks);
  });
  it('refuses v ≢ 1, 3 (mod 6)', () => {
    expect(() => steinerTripleSystem(11)).toThrow(RangeError);
  });
});

describe('difference families', () => {
  it('2-(25,4,1): X = 8, N = 4 → 25 hosts, 50 MHDs (docs/references.md §1)', () => {
    const d = differenceFamily(25, 4);
    expect(d).toBeDefined();
    if (d === undefined) return;
    expectDesign(d, 25, 4);
    expect(d.blocks.length).toBe(50);
    expect(d.construction).toBe('difference-family');
  });
  it('2-(37,4,1) and 2-(41,5,1)', () => {
    for (const [v, k] of [
      [37, 4],
      [41, 5],
    ] as const) {
      const d = differenceFamily(v, k);
      expect(d, `2-(${v},${k},1)`).toBeDefined();
      if (d !== undefined) expectDesign(d, v, k);
    }
  });
  it('gives up on divisibility failures', () => {
    expect(differenceFamily(28, 4)).toBeUndefined();
  });
});

describe('tryBibd / bibdFor by host degree X and device ports N', () => {
  it.each([
    [3, 3, 7, 7, 'projective-plane'],
    [4, 4, 13, 13, 'projective-plane'],
    [4, 3, 9, 12, 'affine-plane'],
    [5, 4, 16, 20, 'affine-plane'],
    [6, 3, 13, 26, 'steiner-triple'],
    [7, 3, 15, 35, 'steiner-triple'],
    [8, 4, 25, 50, 'difference-family'],
    [4, 2, 5, 10, 'complete-graph'],
    [1, 4, 4, 1, 'single-block'],
  ] as const)('X=%i, N=%i → %i hosts, %i MHDs (%s)', (X, N, hosts, devices, construction) => {
    const d = bibdFor(X, N);
    expect(d.points).toBe(hosts);
    expect(d.blocks.length).toBe(devices);
    expect(d.blocks.length).toBe((hosts * X) / N);
    expect(d.construction).toBe(construction);
    expect(verifyPairwiseBalanced(d.points, d.blocks)).toBe(true);
  });

  it('infeasible (X, N) throws generator.no-design with nearest feasible suggestions', () => {
    // The brief's example X=5, N=4 is buildable (AG(2,4), 16 hosts); X=6, N=4 (19 hosts) is not: 19·6/4 is not whole.
    expect(tryBibd(5, 4)?.construction).toBe('affine-plane');
    expect(designAdmissible(6, 4)).toBe(false);
    expect(tryBibd(6, 4)).toBeUndefined();
    const e = generatorError(() => bibdFor(6, 4));
    expect(e.issues.map((i) => i.code)).toEqual(['generator.no-design']);
    expect(e.issues[0]?.path).toEqual(['params']);
    const near = nearestFeasible(6, 4);
    expect(near.length).toBeGreaterThan(0);
    for (const s of near) {
      const d = tryBibd(s.hostPorts, s.devicePorts);
      expect(d?.points).toBe(s.hosts);
      expect(d?.blocks.length).toBe(s.devices);
    }
    expect(e.message).toContain(
      `hostPorts ${near[0]?.hostPorts}, devicePorts ${near[0]?.devicePorts}`,
    );
  });

  it('admissible but unbuilt (2-(51,6,1): no podsim construction) throws generator.no-construction', () => {
    expect(designAdmissible(10, 6)).toBe(true);
    const e = generatorError(() => bibdFor(10, 6));
    expect(e.issues.map((i) => i.code)).toEqual(['generator.no-construction']);
    expect(nearestFeasible(10, 6).length).toBeGreaterThan(0);
  });

  it('rejects non-integer and out-of-range shapes without throwing', () => {
    expect(tryBibd(2.5, 3)).toBeUndefined();
    expect(tryBibd(0, 3)).toBeUndefined();
    expect(tryBibd(3, 1)).toBeUndefined();
  });
});

describe('verifyPairwiseBalanced', () => {
  it('rejects a design with a missing or repeated pair', () => {
    const fano = projectivePlane(2);
    expect(verifyPairwiseBalanced(7, fano.blocks.slice(1))).toBe(false);
    expect(verifyPairwiseBalanced(7, [...fano.blocks, fano.blocks[0] ?? []])).toBe(false);
    expect(verifyPairwiseBalanced(7, fano.blocks, 2)).toBe(false);
  });
});
