/**
 * The layout optimiser and its wiring into the Octopus generators (docs/layout.md): laws —
 * every item inside its rack, no two items in one rack slot, every cable within reach when the
 * pod fits, the same seed giving the same layout — and small geometries worked out by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeneratorError } from '../../src/errors/index.ts';
import { generate } from '../../src/topology/generators/index.ts';
import {
  DEFAULT_LAYOUT_GEOMETRY,
  cellGrid,
  routedLengthM,
} from '../../src/topology/layout-geometry.ts';
import { optimiseLayout } from '../../src/topology/layout-optimise.ts';
import { fitTable } from '../../src/topology/fit.ts';
import { topologyMetrics } from '../../src/topology/metrics.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';

const G = DEFAULT_LAYOUT_GEOMETRY;

/** Every U of every rack holds at most one item, and every item lies inside its rack. */
function expectNoOverlap(graph: TopologyGraph): void {
  const heightU = graph.getAttribute('layout').heightU;
  const taken = new Set<string>();
  graph.forEachNode((id, a) => {
    if (a.kind !== 'host' && a.kind !== 'mhd') return;
    const h = a.kind === 'host' ? G.hostHeightU : G.deviceHeightU;
    expect(a.placement.slotU, id).toBeGreaterThanOrEqual(0);
    expect(a.placement.slotU + h, id).toBeLessThanOrEqual(heightU);
    for (let u = a.placement.slotU; u < a.placement.slotU + h; u++) {
      const key = `${a.placement.rack}:${u}`;
      expect(taken.has(key), `${id} overlaps at ${key}`).toBe(false);
      taken.add(key);
    }
  });
}

describe('routed cable length', () => {
  it('is the vertical run in a rack, plus the horizontal run between racks, plus 0.3 m slack', () => {
    // Same rack, 10U apart: 10 × 0.04445 + 0.3 = 0.7445 m.
    expect(routedLengthM(0.6, 0, 0, 0, 10)).toBeCloseTo(0.7445, 10);
    // Two racks over, 4U apart: 2 × 0.6 + 4 × 0.04445 + 0.3 = 1.6778 m.
    expect(routedLengthM(0.6, 0, 4, 2, 0)).toBeCloseTo(1.6778, 10);
  });
});

describe('cell grid', () => {
  it('packs 2U hosts and pairs of 1U devices into 21 cells per 42U rack', () => {
    const g = cellGrid(25, 50, G);
    // 25 host cells + 25 device cells = 50 cells → 3 racks of 21.
    expect(g).toMatchObject({ racks: 3, cellsPerRack: 21, cellHeightU: 2, devicesPerCell: 2 });
  });
});

describe('optimiseLayout', () => {
  it('lays two hosts and one device out in one rack with the hand-computed cables', () => {
    // Cells bottom-up: host, device cell, host (interleaved). Host 0 at U0, device at U2 or U3,
    // host 1 at U4: the best device position is U2 or U3 — either way cables of 2U and 2U
    // (device at U2: 0.0889 + 0.3 = 0.3889 m to both) or 3U and 1U.
    const r = optimiseLayout({ hosts: 2, devices: [[0, 1]] }, G, 1.5);
    expect(r.racks).toBe(1);
    const lengths = [0, 1].map((h) =>
      routedLengthM(
        0.6,
        r.hostRack[h] ?? 0,
        r.hostSlotU[h] ?? 0,
        r.deviceRack[0] ?? 0,
        r.deviceSlotU[0] ?? 0,
      ),
    );
    // Two hosts 4U apart with the device between: the two vertical runs add up to 4U.
    expect(Math.abs((r.hostSlotU[0] ?? 0) - (r.hostSlotU[1] ?? 0))).toBe(4);
    expect(lengths[0]! + lengths[1]!).toBeCloseTo(4 * 0.04445 + 0.6, 10);
    expect(r.longestCableM).toBeLessThanOrEqual(3 * 0.04445 + 0.3 + 1e-4);
    expect(r.beyondReach).toBe(0);
  });

  it('is deterministic per seed', () => {
    const input = { hosts: 25, devices: generateIncidence() };
    const a = optimiseLayout(input, { ...G, seed: 7 }, 1.5);
    const b = optimiseLayout(input, { ...G, seed: 7 }, 1.5);
    expect(Array.from(a.hostSlotU)).toEqual(Array.from(b.hostSlotU));
    expect(Array.from(a.deviceRack)).toEqual(Array.from(b.deviceRack));
    expect(a.longestCableM).toBe(b.longestCableM);
  });
});

/** The incidence of octopus-bibd X=8, N=4 read back from its graph. */
function generateIncidence(): number[][] {
  const g = generate('octopus-bibd', { hostPorts: 8, devicePorts: 4 });
  const out: number[][] = [];
  g.forEachNode((id, a) => {
    if (a.kind === 'mhd')
      out[Number(id.slice(1))] = g
        .neighbors(id)
        .map((h) => Number(h.slice(1)))
        .sort((x, y) => x - y);
  });
  return out;
}

describe('Octopus generators with the optimiser', () => {
  it('places sparse pods without overlaps, inside racks, deterministically, within reach when they fit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        (hosts, seed) => {
          const params = {
            hosts,
            hostPorts: 4,
            devicePorts: 4,
            objective: 'pair-coverage',
            seed,
          } as const;
          const g = generate('octopus-sparse', params, { layout: { seed } });
          expectNoOverlap(g);
          const m = topologyMetrics(g, { relayWorkBudget: 0 });
          if (m.fitsReach) {
            g.forEachEdge((_, l) => {
              if (l.kind === 'cxl') expect(l.lengthM).toBeLessThanOrEqual(m.copperReachM);
            });
            expect(m.retimers).toBe(0);
          } else expect(m.longestCableM).toBeGreaterThan(m.copperReachM);
          const again = generate('octopus-sparse', params, { layout: { seed } });
          expect(topologyMetrics(again, { relayWorkBudget: 0 }).cables).toEqual(m.cables);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('fits the 13-host block design (X=4, N=4) in one rack with no retimers, and the 96-host island pod does not', () => {
    const small = topologyMetrics(generate('octopus-bibd', { hostPorts: 4, devicePorts: 4 }));
    expect(small).toMatchObject({ racks: 1, retimers: 0, fitsReach: true });
    const big = topologyMetrics(
      generate('octopus-islands', { hosts: 96, hostPorts: 8, devicePorts: 4, seed: 1 }),
      { relayWorkBudget: 0 },
    );
    expect(big.fitsReach).toBe(false);
  });

  it('shortens cables against the old fill placement', () => {
    const params = { hosts: 96, hostPorts: 8, devicePorts: 4, seed: 1 };
    const opt = topologyMetrics(generate('octopus-islands', params), { relayWorkBudget: 0 });
    const fill = topologyMetrics(
      generate('octopus-islands', params, { layout: { placement: 'fill' } }),
      {
        relayWorkBudget: 0,
      },
    );
    expect(opt.cables.cxlBeyondCopperReach).toBeLessThan(fill.cables.cxlBeyondCopperReach);
    expect(opt.longestCableM).toBeLessThan(fill.longestCableM);
  });

  it('refuses a pod beyond reach under retimers: forbid, naming the longest cable and the largest pod that fits', () => {
    let error: unknown;
    try {
      generate(
        'octopus-bibd',
        { hostPorts: 8, devicePorts: 4 },
        { layout: { retimers: 'forbid' } },
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    const issue = (error as GeneratorError).issues[0];
    expect(issue?.code).toBe('layout.beyond-reach');
    expect(issue?.message).toMatch(/longest, h\d+--d\d+/);
    expect(issue?.message).toMatch(/has 16 hosts/);
  });

  it('refuses options.layout on generators that place equipment themselves', () => {
    expect(() => generate('rdma-rack', { hosts: 4, racks: 1 }, { layout: { seed: 2 } })).toThrow(
      GeneratorError,
    );
  });
});

describe('fitTable', () => {
  it('lists block designs up to X and names the largest that fits', () => {
    const r = fitTable('octopus-bibd', { hostPorts: 8, devicePorts: 4 });
    expect(r.rows.map((x) => x.hosts)).toEqual([13, 16, 25]);
    expect(r.largestFitting).toBe(16);
    // A longer reach fits the full design.
    const far = fitTable(
      'octopus-bibd',
      { hostPorts: 8, devicePorts: 4 },
      {
        components: { ...topologyMetricsProfile(), copperReachM: 3 as never },
      },
    );
    expect(far.largestFitting).toBe(25);
  });
});

function topologyMetricsProfile() {
  return generate('octopus-bibd', { hostPorts: 4, devicePorts: 4 }).getAttribute('components');
}
