/**
 * The λ = 1 designs podsim builds beyond the planes (src/topology/designs/geometries.ts,
 * difference.ts) and the words it uses when a design cannot exist (existence.ts); see
 * docs/octopus-generators.md "Which designs exist".
 */
import { describe, expect, it } from 'vitest';
import {
  affineGeometry,
  bibdFor,
  hermitianUnital,
  knownNonExistent,
  nearestHostCounts,
  oneRotationalFamily,
  projectiveGeometry,
  tryBibd,
  verifyPairwiseBalanced,
  type BlockDesign,
} from '../../src/topology/designs/index.ts';
import { admissibleHostCounts, failedConditions } from '../../src/topology/designs/existence.ts';
import { GeneratorError } from '../../src/errors/index.ts';
import { thrown } from '../helpers/errors.ts';

/** Every pair in exactly one block, every point in r = (v−1)/(k−1) blocks, blocks of k distinct points. */
function expectDesign(d: BlockDesign, v: number, k: number): void {
  expect(d.points).toBe(v);
  expect(d.blockSize).toBe(k);
  const r = (v - 1) / (k - 1);
  expect(d.blocks.length).toBe((v * r) / k);
  for (const b of d.blocks) expect(new Set(b).size).toBe(k);
  const degree = new Array<number>(v).fill(0);
  for (const b of d.blocks) for (const p of b) degree[p] = (degree[p] ?? 0) + 1;
  expect(degree.every((x) => x === r)).toBe(true);
  expect(verifyPairwiseBalanced(v, d.blocks)).toBe(true);
}

describe('every 2-(v,4,1) with v ≤ 64 (v ≡ 1 or 4 mod 12) builds', () => {
  it.each([
    [4, 13, 13, 'projective-plane'],
    [5, 16, 20, 'affine-plane'],
    [8, 25, 50, 'difference-family'],
    [9, 28, 63, 'hermitian-unital'],
    [12, 37, 111, 'difference-family'],
    [13, 40, 130, 'projective-geometry'],
    [16, 49, 196, 'difference-family'],
    [17, 52, 221, 'one-rotational'],
    [20, 61, 305, 'difference-family'],
    [21, 64, 336, 'affine-geometry'],
  ] as const)('X=%i, N=4 → %i hosts, %i MHDs (%s)', (X, v, b, construction) => {
    const d = bibdFor(X, 4);
    expect(d.construction).toBe(construction);
    expect(d.blocks.length).toBe(b);
    expectDesign(d, v, 4);
  });

  it('the admissible host counts for N = 4 are v ≡ 1, 4 (mod 12)', () => {
    expect(admissibleHostCounts(4, 64)).toEqual([13, 16, 25, 28, 37, 40, 49, 52, 61, 64]);
  });
});

describe('constructions by hand', () => {
  it('Hermitian unital of order 2 is a 2-(9,3,1) design; order 3 is 2-(28,4,1), order 4 2-(65,5,1)', () => {
    expectDesign(hermitianUnital(2), 9, 3);
    expectDesign(hermitianUnital(3), 28, 4);
    expectDesign(hermitianUnital(4), 65, 5);
  });

  it('PG(3,2) lines: 15 points, 35 lines of 3 (the STS(15) of the projective space)', () => {
    expectDesign(projectiveGeometry(3, 2), 15, 3);
    expectDesign(projectiveGeometry(3, 3), 40, 4);
  });

  it('AG(3,3) lines: 27 points, 117 lines of 3; the line through 0 and 1 is {0, 1, 2}', () => {
    const d = affineGeometry(3, 3);
    expectDesign(d, 27, 3);
    // points are base-3 codes (x, y, z); 0 = (0,0,0), 1 = (0,0,1), so the line adds (0,0,2) = 2
    expect(d.blocks[0]).toEqual([0, 1, 2]);
  });

  it('1-rotational 2-(16,4,1): the short orbit {i, i+5, i+10, ∞} and 15 translates of one base block', () => {
    const d = oneRotationalFamily(16, 4);
    if (d === undefined) throw new Error('no 1-rotational 2-(16,4,1)');
    expectDesign(d, 16, 4);
    // Z_15 ∪ {∞ = 15}: the first 5 blocks are the short orbit
    expect(d.blocks.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((i) => [i, i + 5, i + 10, 15]));
  });

  it('1-rotational does not apply when v − 1 is not a multiple of k − 1 or leftovers do not divide', () => {
    expect(oneRotationalFamily(25, 4)).toBeUndefined(); // 24 − 3 = 21 not divisible by 12
    expect(oneRotationalFamily(20, 4)).toBeUndefined(); // 19 not divisible by 3
  });

  it('constructions are deterministic', () => {
    expect(bibdFor(9, 4).blocks).toEqual(bibdFor(9, 4).blocks);
    expect(hermitianUnital(3).blocks).toEqual(hermitianUnital(3).blocks);
  });
});

describe('designs that cannot exist say why, with the nearest sizes', () => {
  const err = (X: number, N: number): GeneratorError => thrown(GeneratorError, () => bibdFor(X, N));

  it('X=6, N=4 (19 hosts): names the failed divisibility, the admissible v and the nearest built sizes', () => {
    expect(failedConditions(6, 4)).toHaveLength(1);
    const e = err(6, 4);
    expect(e.issues[0]?.code).toBe('generator.no-design');
    expect(e.message).toContain('114 cable ends must divide into 4-port devices');
    expect(e.message).toContain('v = 13, 16, 25, 28, 37, 40');
    expect(nearestHostCounts(6, 4)).toEqual([
      { hostPorts: 5, hosts: 16 },
      { hostPorts: 8, hosts: 25 },
    ]);
    expect(e.message).toContain('16 hosts (hostPorts 5), 25 hosts (hostPorts 8)');
  });

  it('Fisher: X=3, N=4 fails hostPorts ≥ devicePorts', () => {
    expect(failedConditions(3, 4).join(' ')).toContain(
      "Fisher's inequality needs hostPorts ≥ devicePorts (3 < 4)",
    );
  });

  it('admissible but impossible shapes are no-design with the theorem: planes of order 6 and 10, 2-(46,6,1)', () => {
    expect(knownNonExistent(7, 7)).toContain('Bruck–Ryser');
    expect(knownNonExistent(7, 6)).toContain('no affine plane of order 6');
    expect(knownNonExistent(11, 11)).toContain('order 10');
    expect(knownNonExistent(9, 6)).toContain('2-(46,6,1)');
    expect(knownNonExistent(8, 8)).toBeUndefined(); // PG(2,7) exists
    expect(knownNonExistent(10, 10)).toBeUndefined(); // order 9 = 3², PG(2,9) exists
    for (const [X, N] of [
      [7, 6],
      [9, 6],
    ] as const) {
      expect(tryBibd(X, N)).toBeUndefined();
      expect(err(X, N).issues[0]?.code).toBe('generator.no-design');
    }
  });
});
