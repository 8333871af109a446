/**
 * octopus-islands: the automatic island split (src/topology/generators/octopus-islands-split.ts)
 * and the two inter-island wirings (octopus-islands-wiring.ts); docs/octopus-generators.md
 * "Choosing the islands" and "Inter-island wiring".
 */
import { describe, expect, it } from 'vitest';
import { generate, GENERATORS } from '../../src/topology/generators/index.ts';
import {
  autoSplit,
  describeSplit,
  interIslandSpans,
  islandIncidence,
} from '../../src/topology/generators/octopus-islands.ts';
import type { OctopusIslandsParams } from '../../src/topology/generators/types.ts';
import { GeneratorError } from '../../src/errors/index.ts';
import { thrown } from '../helpers/errors.ts';
import { checkTopologyLaws, exportJson, generatedTopology } from '../../src/testing/index.ts';

type Mode = 'spread' | 'local';
const params = (hosts: number, X: number, N: number, interIsland?: Mode): OctopusIslandsParams =>
  ({
    hosts,
    hostPorts: X,
    devicePorts: N,
    seed: 1,
    ...(interIsland === undefined ? {} : { interIsland }),
  }) as OctopusIslandsParams;

/** Host degrees, device sizes and the most devices any host pair shares. */
function shape(devices: readonly (readonly number[])[], hosts: number) {
  const degree = new Array<number>(hosts).fill(0);
  const pair = new Map<number, number>();
  for (const d of devices)
    for (const a of d) {
      degree[a] = (degree[a] ?? 0) + 1;
      for (const b of d) if (a < b) pair.set(a * hosts + b, (pair.get(a * hosts + b) ?? 0) + 1);
    }
  return { degree, sizes: devices.map((d) => d.length), maxShared: Math.max(...pair.values()) };
}

describe('automatic island split', () => {
  it.each([
    // hosts, split, devices: intra (islands × design blocks) + inter (free ports / N)
    [32, '8 islands of 4', 8 * 1 + (32 * 7) / 4],
    [48, '12 islands of 4', 12 * 1 + (48 * 7) / 4],
    [64, '4 islands of 16', 4 * 20 + (64 * 3) / 4],
    [96, '6 islands of 16', 6 * 20 + (96 * 3) / 4],
  ])('X=8, N=4, %i hosts → %s (%i MHDs when every port is used)', (hosts, split, most) => {
    const inc = islandIncidence(params(hosts, 8, 4));
    expect(describeSplit(inc.split)).toBe(split);
    const s = shape(inc.devices, hosts);
    // at most every port used; at least 7 of 8 on every host (islands of 4 leave a few short devices)
    expect(s.sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(hosts * 8);
    expect(Math.min(...s.degree)).toBeGreaterThanOrEqual(7);
    expect(s.maxShared).toBe(1);
    expect(Math.max(...s.degree)).toBe(8);
    expect(Math.max(...s.sizes)).toBe(4);
    // 16 hosts on AG(2,4) use 5 ports, islands of 4 (one device) use 1: 96 and 64 fill every port
    if (hosts === 96 || hosts === 64) expect(inc.devices.length).toBe(most);
  });

  it('32 hosts were refused before (islands of 16 left 2 < N islands); now 8 islands of 4 pass the laws', () => {
    const p = params(32, 8, 4);
    expect(checkTopologyLaws(generatedTopology(GENERATORS['octopus-islands'], p))).toEqual({});
  });

  it('two sizes when no equal split has ≥ N islands: 26 hosts, X=4, N=3 → 2 Fano planes of 7 + 4 triples', () => {
    // 26 = 7a + 3b: (2, 4) is the only split with ≥ 3 islands; Fano islands keep 1 free port
    // each (7 per island), triples keep 3 each (9 per island): 2·7 + 4·9 = 50 ports, 50/3 > 9.
    const split = autoSplit(26, 4, 3);
    expect(split?.map((k) => k.size)).toEqual([7, 7, 3, 3, 3, 3]);
    const g = generate('octopus-islands', params(26, 4, 3));
    expect(g.getAttribute('description')).toContain('6 islands (2 islands of 7 + 4 of 3');
    expect(
      checkTopologyLaws(generatedTopology(GENERATORS['octopus-islands'], params(26, 4, 3))),
    ).toEqual({});
  });

  it('97 hosts (X=8, N=4) split as 2 islands of 16 + 5 of 13: the most pairs inside islands', () => {
    // 97 = 16a + 13b + …: 2·16 + 5·13 is the only two-size split; C(16,2)·2 + C(13,2)·5 = 630
    expect(describeSplit(autoSplit(97, 8, 4) ?? [])).toBe('2 islands of 16 + 5 of 13');
  });

  it('port balance: 16 + 4×4 = 32 is refused (the big island holds 48 of 160 ports > 1/4)', () => {
    expect(describeSplit(autoSplit(32, 8, 4) ?? [])).toBe('8 islands of 4');
  });

  it('no split: the error names the island sizes and the nearest host counts that split', () => {
    const e = thrown(GeneratorError, () => generate('octopus-islands', params(18, 8, 4)));
    expect(e.issues[0]?.code).toBe('generator.no-islands');
    expect(e.issues[0]?.path).toEqual(['params', 'hosts']);
    expect(e.message).toContain(
      '16 (uses 5 of 8 ports), 13 (uses 4 of 8 ports), 4 (uses 1 of 8 ports)',
    );
    expect(e.message).toContain(
      'Nearest host counts that split: 16 hosts (4 islands of 4), 20 hosts (5 islands of 4)',
    );
  });
});

describe('hand-checked toys', () => {
  it('two islands of a triangle (X=3, N=2): 3 + 3 intra devices and a perfect matching between them', () => {
    const inc = islandIncidence(params(6, 3, 2));
    expect(describeSplit(inc.split)).toBe('2 islands of 3');
    expect(inc.devices.slice(0, 6)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
      [3, 4],
      [3, 5],
      [4, 5],
    ]);
    const inter = inc.devices.slice(6);
    expect(inter).toHaveLength(3);
    for (const d of inter) expect(d.map((h) => inc.islandOf[h])).toEqual([0, 1]);
    expect(new Set(inter.flat()).size).toBe(6); // every host once: a matching
  });

  it('three Fano islands (X=4, N=3): 3 × 7 lines + 7 devices joining one host of each island', () => {
    const inc = islandIncidence(params(21, 4, 3));
    expect(describeSplit(inc.split)).toBe('3 islands of 7');
    expect(inc.devices).toHaveLength(28);
    const s = shape(inc.devices, 21);
    expect(s.degree.every((d) => d === 4)).toBe(true);
    expect(s.maxShared).toBe(1);
    for (const d of inc.devices.slice(21)) expect(d.map((h) => inc.islandOf[h])).toEqual([0, 1, 2]);
  });
});

describe('inter-island wiring: spread and local', () => {
  it('spread is the default and byte-identical when asked for', () => {
    const a = islandIncidence(params(96, 8, 4));
    const b = islandIncidence(params(96, 8, 4, 'spread'));
    expect(b.devices).toEqual(a.devices);
    expect(a.mode).toBe('spread');
    const ga = exportJson(generate('octopus-islands', params(96, 8, 4)));
    expect(ga).not.toContain('local inter-island wiring');
  });

  it('96 hosts, X=8, N=4: both wirings span at most 5 islands, local reaches the bound of 24 devices on both ends', () => {
    const spread = islandIncidence(params(96, 8, 4, 'spread'));
    const local = islandIncidence(params(96, 8, 4, 'local'));
    const sSpan = interIslandSpans(spread.devices, spread.islandOf);
    const lSpan = interIslandSpans(local.devices, local.islandOf);
    expect(Math.max(...sSpan)).toBe(5);
    expect(Math.max(...lSpan)).toBe(5);
    // islands 0 and 5 hold 48 inter-island ports each, 72 devices in all: ≥ 48 + 48 − 72 = 24 join both
    expect(lSpan.filter((s) => s === 5)).toHaveLength(24);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(lSpan)).toBeLessThan(mean(sSpan));
    // pooling reach kept: every host on 8 devices, every device 4 hosts, no pair twice
    const s = shape(local.devices, 96);
    expect(s.degree.every((d) => d === 8)).toBe(true);
    expect(s.sizes.every((d) => d === 4)).toBe(true);
    expect(s.maxShared).toBe(1);
    expect(local.devices).toHaveLength(spread.devices.length);
  });

  it('192 hosts (12 islands): local keeps devices near (max span 5 vs 11 for spread, measured)', () => {
    const spread = islandIncidence(params(192, 8, 4, 'spread'));
    const local = islandIncidence(params(192, 8, 4, 'local'));
    expect(Math.max(...interIslandSpans(spread.devices, spread.islandOf))).toBe(11);
    expect(Math.max(...interIslandSpans(local.devices, local.islandOf))).toBeLessThanOrEqual(6);
    expect(local.devices.length).toBe(spread.devices.length);
    expect(shape(local.devices, 192).maxShared).toBe(1);
  });

  it('local passes the law suite and is deterministic', () => {
    for (const hosts of [48, 96]) {
      const p = params(hosts, 8, 4, 'local');
      expect(checkTopologyLaws(generatedTopology(GENERATORS['octopus-islands'], p))).toEqual({});
      expect(exportJson(generate('octopus-islands', p))).toBe(
        exportJson(generate('octopus-islands', p)),
      );
    }
  });

  it('an unknown wiring is refused with the allowed values', () => {
    const bad = { ...params(96, 8, 4), interIsland: 'ring' } as unknown as OctopusIslandsParams;
    const e = thrown(GeneratorError, () => generate('octopus-islands', bad));
    expect(e.issues[0]?.path).toEqual(['params', 'interIsland']);
    expect(e.message).toContain("'spread'");
    expect(e.message).toContain("'local'");
  });
});
