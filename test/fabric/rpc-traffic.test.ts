/**
 * Traffic matrix names and pair weights (src/fabric/rpc-traffic.ts): `uniform`, `local`,
 * `local:F` and their errors, labels, the pair index, and weights folded onto unordered pairs.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors/index.ts';
import { pairIndex, pairWeights, trafficMatrixOf } from '../../src/fabric/rpc-traffic.ts';
import { trafficLabel, TRAFFIC_DEFAULTS } from '../../src/fabric/rpc.ts';
import { thrown } from '../helpers/errors.ts';

describe('traffic matrices', () => {
  it('names: uniform, local, local:F; anything else is left to be a file', () => {
    expect(trafficMatrixOf('uniform', [])).toEqual({ kind: 'uniform' });
    expect(trafficMatrixOf('local', [])).toEqual({
      kind: 'local',
      localShare: TRAFFIC_DEFAULTS.localShare,
    });
    expect(trafficMatrixOf('local:0.75', [])).toEqual({ kind: 'local', localShare: 0.75 });
    expect(trafficMatrixOf('local:0', [])).toEqual({ kind: 'local', localShare: 0 });
    expect(trafficMatrixOf('pairs.csv', [])).toBeUndefined();
    for (const bad of ['local:', 'local:1.5', 'local:-0.1', 'local:x'])
      expect(
        thrown(InputError, () => trafficMatrixOf(bad, ['--traffic'])).issues.map((i) => [
          i.code,
          i.path,
        ]),
      ).toEqual([['traffic.bad-share', ['--traffic']]]);
  });

  it('labels', () => {
    expect(trafficLabel({ kind: 'uniform' })).toBe('uniform');
    expect(trafficLabel({ kind: 'local', localShare: 0.9 })).toBe('local:0.9');
    expect(trafficLabel({ kind: 'pairs', source: 'a.csv', entries: [] })).toBe('file a.csv');
  });

  it('pairIndex walks (i < j) row order', () => {
    const n = 5;
    const seen: number[] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) seen.push(pairIndex(i, j, n));
    expect(seen).toEqual([...Array(10).keys()]);
  });

  it('explicit entries: both directions and repeats add up on the pair', () => {
    const hosts = ['a', 'b', 'c'];
    const { weights, toHostsDownWeight } = pairWeights(
      {
        kind: 'pairs',
        source: 'x',
        entries: [
          { src: 'a', dst: 'b', weight: 1 },
          { src: 'b', dst: 'a', weight: 2 },
          { src: 'c', dst: 'b', weight: 4 },
          { src: 'c', dst: 'b', weight: 0.5 },
          { src: 'a', dst: 'z', weight: 7 },
        ],
      },
      hosts,
      new Uint8Array(9),
      [...hosts, 'z'], // z exists but is out of service
    );
    expect([...weights]).toEqual([3, 0, 4.5]); // ab, ac, bc
    expect(toHostsDownWeight).toBe(7);
  });

  it('local: a host with peers of one kind only sends everything to them', () => {
    // a–b share a device; c shares one with nobody
    const direct = new Uint8Array(9);
    direct[0 * 3 + 1] = direct[1 * 3 + 0] = 1;
    const { weights } = pairWeights({ kind: 'local', localShare: 0.9 }, ['a', 'b', 'c'], direct, [
      'a',
      'b',
      'c',
    ]);
    // a: .9 to b, .1 to c; b: .9 to a, .1 to c; c: no near peer, .5 to a and .5 to b
    expect(weights[0]).toBeCloseTo(1.8, 12); // ab
    expect(weights[1]).toBeCloseTo(0.6, 12); // ac
    expect(weights[2]).toBeCloseTo(0.6, 12); // bc
  });
});
