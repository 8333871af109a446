/**
 * octopus-sparse `wiring: reach` (docs/octopus-generators.md "Wired for the layout"): every cable
 * within copper reach for any host count, degrees bounded, the same seed giving the same pod, the
 * default coverage wiring unchanged, a small geometry worked out by hand, the refusals, the
 * bundled octopus-96-reach pod and `topology fit --wiring`.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeneratorError } from '../../src/errors/index.ts';
import { resolveProfile } from '../../src/io/topology/common.ts';
import { loadTopology } from '../../src/io/topology-file.ts';
import { exportJson } from '../../src/report/export-json.ts';
import { DEFAULT_COMPONENTS } from '../../src/topology/defaults.ts';
import { fitTable } from '../../src/topology/fit.ts';
import { generate } from '../../src/topology/generators/index.ts';
import { reachIncidence } from '../../src/topology/generators/octopus-sparse-reach.ts';
import type { OctopusSparseParams } from '../../src/topology/generators/types.ts';
import {
  DEFAULT_LAYOUT_GEOMETRY,
  type LayoutGeometry,
} from '../../src/topology/layout-geometry.ts';
import { metres } from '../../src/units/index.ts';
import { topologyMetrics } from '../../src/topology/metrics.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { runCli } from '../cli/run.ts';

const sparse = (
  hosts: number,
  hostPorts: number,
  devicePorts: number,
  seed = 1,
  wiring: NonNullable<OctopusSparseParams['wiring']> | 'unset' = 'reach',
): OctopusSparseParams => ({
  hosts,
  hostPorts,
  devicePorts,
  objective: 'pair-coverage',
  seed,
  ...(wiring === 'unset' ? {} : { wiring }),
});

/** CXL degree of every host and MHD, and the longest cable. */
function shape(g: TopologyGraph): { host: number[]; mhd: number[]; longestM: number } {
  const host: number[] = [];
  const mhd: number[] = [];
  g.forEachNode((id, a) => {
    const deg = g.edges(id).filter((e) => g.getEdgeAttribute(e, 'kind') === 'cxl').length;
    if (a.kind === 'host') host.push(deg);
    else if (a.kind === 'mhd') mhd.push(deg);
  });
  let longestM = 0;
  g.forEachEdge((_, l) => {
    if (l.kind === 'cxl') longestM = Math.max(longestM, l.lengthM);
  });
  return { host, mhd, longestM };
}

describe('octopus-sparse wiring: reach', () => {
  it('fits copper reach with bounded degrees for any host count, port counts and seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 200 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (hosts, X, N, seed) => {
          // retimers: forbid — the generator itself refuses a pod with any cable beyond reach.
          const g = generate('octopus-sparse', sparse(hosts, X, N, seed), {
            layout: { retimers: 'forbid' },
          });
          const m = topologyMetrics(g);
          expect(m.fitsReach).toBe(true);
          expect(m.cables.cxlBeyondCopperReach).toBe(0);
          const s = shape(g);
          expect(s.longestM).toBeLessThanOrEqual(DEFAULT_COMPONENTS.copperReachM);
          expect(Math.max(...s.host)).toBeLessThanOrEqual(X);
          expect(Math.min(...s.host)).toBeGreaterThanOrEqual(1);
          expect(Math.max(...s.mhd)).toBeLessThanOrEqual(N);
          expect(Math.min(...s.mhd)).toBeGreaterThanOrEqual(2);
          expect(validateTopology(g)).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('keeps X = 2, N = 2 pods (one chain of hosts) in one piece', () => {
    // Was: preferring far-apart hosts left 45 hosts as 3 parallel chains that could not meet.
    for (const hosts of [45, 100, 200])
      expect(validateTopology(generate('octopus-sparse', sparse(hosts, 2, 2, 0)))).toEqual([]);
  });

  it('fits other reaches and geometries too (every cable ≤ the reach given)', () => {
    const cases: [number, Partial<LayoutGeometry>][] = [
      [1, {}],
      [2, { rackHeightU: 48, hostHeightU: 1 }],
      [1.5, { rackPitchM: metres(0.8), deviceHeightU: 2 }],
    ];
    for (const [reach, layout] of cases) {
      const components = resolveProfile({ copperReach: reach });
      const g = generate('octopus-sparse', sparse(120, 8, 4, 3), {
        components,
        layout: { ...layout, retimers: 'forbid' },
      });
      expect(shape(g).longestM).toBeLessThanOrEqual(components.copperReachM);
      expect(validateTopology(g)).toEqual([]);
    }
  });

  it('gives the same pod for the same seed, byte for byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 8, max: 120 }),
        fc.integer({ min: 0, max: 1000 }),
        (hosts, seed) => {
          const p = sparse(hosts, 8, 4, seed);
          expect(exportJson(generate('octopus-sparse', p))).toBe(
            exportJson(generate('octopus-sparse', p)),
          );
        },
      ),
      { numRuns: 10, seed: 5 },
    );
  });

  /** The export as 831d0bc wrote it: drops the component lines added since (none of them is last in its object). */
  const withoutLaterComponents = (json: string): string =>
    json.replace(
      /\n\s*"(gpuHostLink|gpuC2cBandwidthBytesPerNs|gpuC2cLatencyNs|nicPcieGeneration|nicPcieLanes|gpuDirectRdma)": [^\n]*?,(?=\n)/g,
      '',
    );

  it('leaves the default coverage wiring byte-identical to before (goldens from main 831d0bc)', () => {
    const golden: [number, number, number, number, string][] = [
      [96, 8, 4, 1, '911600c6c2dae36fdc75055639c9d7e6a14154b85eb0099e79e02ce73b4ecfce'],
      [50, 6, 3, 7, '37edeb6a9a49fef409c4fd53504947a828e18336a2f11f228d4404afbaff4c23'],
      [200, 8, 4, 2, '931a855ac72dccda83d60d12eca25c7ca935f703a5811e319c4ebcc9c6829982'],
    ];
    for (const [hosts, X, N, seed, hash] of golden) {
      const g = generate('octopus-sparse', sparse(hosts, X, N, seed, 'unset'));
      // Hashed without the GPU/NIC attachment fields the profile gained after 831d0bc (issue 12
      // item 5), which are host-internal and leave the wiring alone.
      expect(
        createHash('sha256')
          .update(withoutLaterComponents(exportJson(g)))
          .digest('hex'),
      ).toBe(hash);
      // wiring: coverage spelled out builds the same cables in the same places.
      const explicit = generate('octopus-sparse', sparse(hosts, X, N, seed, 'coverage'));
      expect(explicit.export().edges).toEqual(g.export().edges);
      expect(explicit.export().nodes).toEqual(g.export().nodes);
    }
  });

  it('wires a 4-host rack by hand: X = 2, N = 2, 2U MHDs, reach 0.45 m', () => {
    // Cells are 2U; ⌈4·2/2⌉ = 4 device positions; hosts and device cells alternate up the rack
    // (ties to hosts): h0 U0, p0 U2, h1 U4, p1 U6, h2 U8, p2 U10, h3 U12, p3 U14. A cable is
    // |ΔU| × 0.04445 m + 0.3 m: 2U → 0.3889 m fits 0.45 m, 4U → 0.4778 m does not. So p0 reaches
    // {h0, h1}, p1 {h1, h2}, p2 {h2, h3}, p3 only h3 (a device needs 2 hosts, so it stays empty):
    // the pod is the path h0–h1–h2–h3, 3 of the 6 pairs, every cable 0.3889 m.
    const g = { ...DEFAULT_LAYOUT_GEOMETRY, deviceHeightU: 2 };
    const w = reachIncidence(sparse(4, 2, 2), g, 0.45);
    expect(w.devices).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(w.placed.hosts.map((p) => p.slotU)).toEqual([0, 4, 8, 12]);
    expect(w.placed.devices.map((p) => p.slotU)).toEqual([2, 6, 10]);
    const graph = generate('octopus-sparse', sparse(4, 2, 2), {
      components: resolveProfile({ copperReach: 0.45 }),
      layout: { deviceHeightU: 2, retimers: 'forbid' },
    });
    const m = topologyMetrics(graph);
    expect(m.sharingPairs).toBe(3);
    expect(m.racks).toBe(1);
    expect(m.cables.cxl.minM).toBe(0.3889);
    expect(m.cables.cxl.maxM).toBe(0.3889);
  });

  it('refuses a reach too short to join the hosts, naming the reach and the way out', () => {
    // Below 0.3889 m (2U + slack) no position reaches any host.
    try {
      reachIncidence(sparse(4, 2, 2), { ...DEFAULT_LAYOUT_GEOMETRY, deviceHeightU: 2 }, 0.38);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GeneratorError);
      const issue = (e as GeneratorError).issues[0];
      expect(issue?.code).toBe('generator.disconnected');
      expect(issue?.path).toEqual(['params', 'wiring']);
      expect(issue?.message).toMatch(/0\.38 m copper reach leaves these 4 hosts in 4 separate/);
    }
  });

  it('refuses placement: fill and unknown wiring modes', () => {
    expect(() =>
      generate('octopus-sparse', sparse(24, 8, 4), { layout: { placement: 'fill' } }),
    ).toThrow(/placement: fill cannot be combined with wiring: reach/);
    expect(() =>
      generate('octopus-sparse', { ...sparse(24, 8, 4), wiring: 'near' as never }),
    ).toThrow(/wiring "near" is not a wiring mode; allowed: 'coverage'/);
  });

  it('beats coverage on reach at 96 hosts, X = 8, N = 4, and keeps most of its pooling', () => {
    const reach = topologyMetrics(generate('octopus-sparse', sparse(96, 8, 4)));
    const coverage = topologyMetrics(generate('octopus-sparse', sparse(96, 8, 4, 1, 'unset')));
    expect(coverage.fitsReach).toBe(false);
    expect(reach.fitsReach).toBe(true);
    // Bound: 96 · 8 · 3 / 2 = 1,152 pairs sharing a device.
    expect(reach.sharingPairs).toBeGreaterThanOrEqual(0.9 * 1152);
    expect(reach.relayHops.meanHops).toBeLessThan(1.25);
    expect(reach.reachableDevices.mean).toBeGreaterThan(7.5);
  });
});

describe('bundled octopus-96-reach and topology fit --wiring', () => {
  it('octopus-96-reach: 96 hosts, X = 8, N = 4, every cable within 1.5 m', () => {
    const { graph } = loadTopology('octopus-96-reach');
    const m = topologyMetrics(graph);
    expect(m.hosts).toBe(96);
    expect(m.fitsReach).toBe(true);
    expect(m.longestCableM).toBeLessThanOrEqual(1.5);
    expect(Math.max(...shape(graph).host)).toBe(8);
    expect(Math.max(...shape(graph).mhd)).toBe(4);
  });

  it('fitTable with wiring reach fits at every size of the ladder', () => {
    const r = fitTable(
      'octopus-sparse',
      { hostPorts: 8, devicePorts: 4, wiring: 'reach' },
      {},
      128,
    );
    expect(r.wiring).toBe('reach');
    expect(r.rows.length).toBeGreaterThan(10);
    expect(r.rows.every((row) => row.fitsReach)).toBe(true);
    expect(r.largestFitting).toBe(128);
  });

  it('podsim topology fit octopus-sparse --wiring reach; --wiring refused elsewhere', async () => {
    const ok = await runCli([
      'topology',
      'fit',
      'octopus-sparse',
      '--wiring',
      'reach',
      '--max-hosts',
      '24',
    ]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/octopus-sparse \(wiring: reach\).*largest that fits: 24 hosts/);
    const bad = await runCli(['topology', 'fit', 'octopus-islands', '--wiring', 'reach']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toMatch(/--wiring: only octopus-sparse has a wiring choice/);
  });
});
