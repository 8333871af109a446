/**
 * Pricing laws and server classes (src/cost/price.ts, docs/costs.md §1, §7): a host without GPUs
 * is priced as a general-purpose server, by hand on a mixed pod; at the defaults DRAM is half of
 * such a server (Pond); raising any price never lowers a topology's total, its fabric or its host
 * equipment (fast-check over topologies of every family and random catalogues); and the
 * equal-bandwidth switched baseline gives each host the same CXL bandwidth, device count and
 * capacity as the Octopus pod it is compared with.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { generate } from '../../src/topology/generators/index.ts';
import { equalBandwidthParams } from '../../src/topology/generators/switched-cxl.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';
import { metres } from '../../src/units/index.ts';
import {
  DEFAULT_COST_CATALOGUE,
  MHD_PORT_EXPONENT_RANGE,
  PRICE_KEYS,
  priceTopology,
  resolveCatalogue,
  withTarget,
  type CostCatalogue,
  type SensitivityTarget,
} from '../../src/cost/index.ts';
import { expectApprox } from '../helpers/approx.ts';

/** Two hosts, one with a GPU and one without, on one 2-port MHD, 1 m cables, no retimers. */
function mixedPod(): TopologyGraph {
  const b = new TopologyBuilder({ name: 'mixed', family: 'custom', description: 'test' });
  b.addHost('h0', { placement: { rack: 0, slotU: 0 }, gpus: 1, nics: 0 });
  b.addHost('h1', { placement: { rack: 0, slotU: 4 }, gpus: 0, nics: 0 });
  b.addMhd('d0', { placement: { rack: 0, slotU: 2 }, ports: 2 });
  b.connectCxl('h0', 'd0', { lengthM: metres(1), retimers: 0 });
  b.connectCxl('h1', 'd0', { lengthM: metres(1), retimers: 0 });
  return b.build();
}

describe('server classes', () => {
  it('prices a GPU host as a GPU server and a GPU-less host as a general-purpose server, by hand', () => {
    const c = resolveCatalogue({
      serverBase: '$1,000',
      generalServerBase: '$400',
      gpu: { 'A100-80GB': '$100' },
      dramPerGiB: '$1',
      mhdBase: '$50',
      mhdPerPort: '$10',
      mhdPortExponent: 1,
      cxlCableBase: '$5',
      cxlCablePerM: '$2',
    });
    const p = priceTopology(mixedPod(), c);
    //   general-purpose server 1 × $400, GPU server 1 × $1,000, GPU 1 × $100,
    //   host DRAM 2 × 512 GiB × $1 = $1,024, MHD 2-port $50 + $10 × 2 = $70, MHD DRAM $256,
    //   cables 2 × $5 = $10, length 2 m × $2 = $4 → total $2,864, fabric $340.
    expect(p.lines.map((l) => [l.item, l.count, l.unitUsd])).toEqual([
      ['general-purpose server', 1, 400],
      ['server', 1, 1000],
      ['GPU A100-80GB', 1, 100],
      ['host DRAM 512 GiB', 2, 512],
      ['MHD 2-port', 1, 70],
      ['MHD DRAM 256 GiB', 1, 256],
      ['CXL cable', 1 + 1, 5],
      ['CXL cable length (m)', 2, 2],
    ]);
    expect(p.lines.filter((l) => l.kind === 'server').every((l) => !l.fabric)).toBe(true);
    expectApprox(p.totalUsd, 2864);
    expectApprox(p.fabricUsd, 340);
    expectApprox(p.hostEquipmentUsd, 2524);
  });

  it('makes DRAM half of a default general-purpose server (Pond), and ≈ 1.3 % of a GPU server', () => {
    const line = (graph: TopologyGraph, kind: string): number =>
      priceTopology(graph, DEFAULT_COST_CATALOGUE).lines.find((l) => l.kind === kind)?.unitUsd ??
      Number.NaN;
    const general = generate('full-pod', { hosts: 2, devices: 1 }, { gpusPerHost: 0 });
    const dram = line(general, 'host-dram');
    expectApprox(dram / (dram + line(general, 'server')), 0.5);
    // The GPU server: $40,000 + 8 × $15,000 + $2,048 → DRAM is 2,048 / 162,048.
    const gpu = generate('full-pod', { hosts: 2, devices: 1 });
    expectApprox(dram / (line(gpu, 'server') + 8 * line(gpu, 'gpu') + dram), 2048 / 162_048);
  });

  it('keeps `serverBase` overrides on GPU servers only, and `generalServerBase` on the others', () => {
    const c = resolveCatalogue({ serverBase: '$1', generalServerBase: '$2' });
    const items = priceTopology(mixedPod(), c)
      .lines.filter((l) => l.kind === 'server')
      .map((l) => [l.item, l.unitUsd]);
    expect(items).toEqual([
      ['general-purpose server', 2],
      ['server', 1],
    ]);
  });
});

/** Small topologies of every priced family: MHDs, memory devices, switches, retimers, NICs, ToRs, spines, GPUs or none. */
const GRAPHS: readonly TopologyGraph[] = [
  generate('full-pod', { hosts: 3, devices: 1 }, { gpusPerHost: 1 }),
  generate('full-pod', { hosts: 4, devices: 2 }, { gpusPerHost: 0 }),
  generate('switched-cxl', { hosts: 12, devices: 3, switchPorts: 8, hostLinks: 2 }),
  generate('rdma-rack', { hosts: 6, racks: 2 }),
  generate(
    'octopus-sparse',
    { hosts: 40, hostPorts: 4, devicePorts: 4, objective: 'pair-coverage', seed: 3 },
    { gpusPerHost: 0 },
  ),
];

/** Every numeric figure and every default GPU model, as sensitivity targets. */
const TARGETS: readonly SensitivityTarget[] = [
  ...PRICE_KEYS.map((key) => ({ kind: 'price' as const, key })),
  ...Object.keys(DEFAULT_COST_CATALOGUE.gpuUsd).map((model) => ({ kind: 'gpu' as const, model })),
];

/** A random catalogue: every figure scaled by its own factor, the exponent drawn within its range. */
const catalogueArb: fc.Arbitrary<CostCatalogue> = fc
  .tuple(
    fc.array(fc.double({ min: 0, max: 4, noNaN: true }), {
      minLength: TARGETS.length,
      maxLength: TARGETS.length,
    }),
    fc.double({ min: MHD_PORT_EXPONENT_RANGE.min, max: MHD_PORT_EXPONENT_RANGE.max, noNaN: true }),
  )
  .map(([factors, exponent]) =>
    TARGETS.reduce((c, t, i) => {
      const base =
        t.kind === 'price'
          ? t.key === 'mhdPortExponent'
            ? exponent / (factors[i] ?? 1)
            : c[t.key]
          : t.kind === 'gpu'
            ? (c.gpuUsd[t.model] ?? 0)
            : 0;
      const isExponent = t.kind === 'price' && t.key === 'mhdPortExponent';
      return withTarget(c, {}, t, isExponent ? exponent : base * (factors[i] ?? 1)).catalogue;
    }, DEFAULT_COST_CATALOGUE),
  );

describe('cost is monotonic in every price', () => {
  it('raising any one price never lowers the total, the fabric or the host equipment', () => {
    fc.assert(
      fc.property(
        catalogueArb,
        fc.integer({ min: 0, max: TARGETS.length - 1 }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.integer({ min: 0, max: GRAPHS.length - 1 }),
        (c, t, raise, g) => {
          const target = TARGETS[t] as SensitivityTarget;
          const graph = GRAPHS[g] as TopologyGraph;
          const now =
            target.kind === 'price'
              ? c[target.key]
              : target.kind === 'gpu'
                ? (c.gpuUsd[target.model] ?? 0)
                : 0;
          const isExponent = target.kind === 'price' && target.key === 'mhdPortExponent';
          const next = isExponent
            ? Math.min(MHD_PORT_EXPONENT_RANGE.max, now + raise / 5_000)
            : now + raise;
          const raised = withTarget(c, {}, target, next).catalogue;
          const a = priceTopology(graph, c);
          const b = priceTopology(graph, raised);
          const slack = 1e-9 * Math.max(1, a.totalUsd);
          expect(b.totalUsd).toBeGreaterThanOrEqual(a.totalUsd - slack);
          expect(b.fabricUsd).toBeGreaterThanOrEqual(a.fabricUsd - slack);
          expect(b.hostEquipmentUsd).toBeGreaterThanOrEqual(a.hostEquipmentUsd - slack);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('equal-bandwidth switched baseline (docs/costs.md §7)', () => {
  /** Sum of CXL link bandwidth at each host, in host order. */
  function hostCxlBandwidth(graph: TopologyGraph): number[] {
    const out: number[] = [];
    graph.forEachNode((id, a) => {
      if (a.kind !== 'host') return;
      let sum = 0;
      graph.forEachEdge(id, (_e, l) => {
        if (l.kind === 'cxl') sum += l.bandwidthBytesPerNs;
      });
      out.push(sum);
    });
    return out;
  }
  const count = (graph: TopologyGraph, kind: string): number =>
    graph.filterNodes((_id, a) => a.kind === kind).length;

  it('gives each host X links of x8, and as many devices as the Octopus pod has MHDs', () => {
    expect(equalBandwidthParams({ hosts: 96, hostPorts: 8, devicePorts: 4 })).toEqual({
      hosts: 96,
      devices: 192,
      switchPorts: 32,
      hostLinks: 8,
    });
    expect(equalBandwidthParams({ hosts: 10, hostPorts: 3, devicePorts: 4 }, 16)).toEqual({
      hosts: 10,
      devices: 8, // ⌈30 / 4⌉
      switchPorts: 16,
      hostLinks: 3,
    });
    // The λ = 1 design with X = 8, N = 4: 25 hosts, each on 8 MHDs, 50 MHDs.
    const pod = { hosts: 25, hostPorts: 8, devicePorts: 4 };
    const octopus = generate('octopus-bibd', { hostPorts: 8, devicePorts: 4 });
    const switched = generate('switched-cxl', equalBandwidthParams(pod));
    // 8 × x8 × 3.5 GB/s per lane = 224 GB/s at every host of both.
    expect(new Set(hostCxlBandwidth(octopus))).toEqual(new Set([224]));
    expect(new Set(hostCxlBandwidth(switched))).toEqual(new Set([224]));
    expect(count(switched, 'memory-device')).toBe(count(octopus, 'mhd'));
    const dram = (g: TopologyGraph): number =>
      priceTopology(g, DEFAULT_COST_CATALOGUE)
        .lines.filter((l) => l.kind === 'mhd-dram' || l.kind === 'memory-device-dram')
        .reduce((s, l) => s + l.totalUsd, 0);
    expectApprox(dram(switched), dram(octopus));
  });

  it('prices a tiny equal-bandwidth pool by hand: ports, devices and cables counted', () => {
    // 2 hosts, X = 2, N = 2 → 2 devices, 2 links per host, one 32-port switch (6 endpoints).
    const g = generate(
      'switched-cxl',
      equalBandwidthParams({ hosts: 2, hostPorts: 2, devicePorts: 2 }),
    );
    const p = priceTopology(g, DEFAULT_COST_CATALOGUE);
    const of = (kind: string): [number, number] => {
      const l = p.lines.find((x) => x.kind === kind);
      return [l?.count ?? 0, l?.unitUsd ?? 0];
    };
    expect(of('cxl-switch')).toEqual([1, 32 * 300]);
    expect(of('memory-device')).toEqual([2, 700]);
    expect(of('cxl-cable')).toEqual([2 + 2, 100]);
  });
});
