/**
 * The cost layer: a hand-computed price of a tiny full pod, the cost laws Octopus's model rests on
 * (MHD cost grows with ports; retimers add cost; per host = total / hosts), RDMA fabric priced
 * from NICs/ToRs/spines only, the bundled presets, and catalogue overrides refused with every
 * problem and its path (docs/design.md convention §4).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../src/errors/index.ts';
import { loadTopology } from '../../src/io/index.ts';
import { DEFAULT_COMPONENTS } from '../../src/topology/defaults.ts';
import { TopologyBuilder } from '../../src/topology/builder.ts';
import { generate } from '../../src/topology/generators/index.ts';
import type { TopologyGraph } from '../../src/topology/types.ts';
import { metres, usd } from '../../src/units/index.ts';
import {
  COST_LINE_KINDS,
  DEFAULT_COST_CATALOGUE,
  MHD_PORT_EXPONENT_RANGE,
  mhdDeviceUsd,
  nicUsd,
  priceTopology,
  resolveCatalogue,
  validateCatalogue,
  type CostCatalogue,
  type TopologyPrice,
} from '../../src/cost/index.ts';
import { expectApprox } from '../helpers/approx.ts';

/** Round prices so the hand computation below is easy to follow. */
const ROUND = resolveCatalogue({
  serverBase: '$1,000',
  gpu: { 'a100-80gb': '$100' },
  dramPerGiB: '$1',
  mhdBase: '$50',
  mhdPerPort: '$10',
  mhdPortExponent: 1,
  cxlCableBase: '$5',
  cxlCablePerM: '$2',
  retimer: '$7',
});

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** Structural invariants every priced topology satisfies. */
function checkSums(p: TopologyPrice): void {
  expectApprox(
    p.totalUsd,
    p.lines.reduce((s, l) => s + l.totalUsd, 0),
  );
  expectApprox(
    p.fabricUsd,
    p.lines.filter((l) => l.fabric).reduce((s, l) => s + l.totalUsd, 0),
  );
  expectApprox(p.hostEquipmentUsd + p.fabricUsd, p.totalUsd);
  expectApprox(p.perHostUsd, p.totalUsd / p.hosts);
  expectApprox(p.fabricPerHostUsd, p.fabricUsd / p.hosts);
  for (const l of p.lines) expectApprox(l.totalUsd, l.count * l.unitUsd);
  const kindIndex = p.lines.map((l) => COST_LINE_KINDS.indexOf(l.kind));
  expect(kindIndex).toEqual([...kindIndex].sort((a, b) => a - b));
}

/** Two hosts and one 2-port MHD on one cable each, with declared length and retimers. */
function twoHostPod(retimers: number): TopologyGraph {
  const b = new TopologyBuilder({
    name: `two-host-${retimers}`,
    family: 'custom',
    description: 'test',
  });
  b.addHost('h0', { placement: { rack: 0, slotU: 0 }, gpus: 0, nics: 0 });
  b.addHost('h1', { placement: { rack: 0, slotU: 4 }, gpus: 0, nics: 0 });
  b.addMhd('d0', { placement: { rack: 0, slotU: 2 }, ports: 2 });
  b.connectCxl('h0', 'd0', { lengthM: metres(1), retimers });
  b.connectCxl('h1', 'd0', { lengthM: metres(1), retimers: 0 });
  return b.build();
}

describe('priceTopology', () => {
  it('prices a 3-host, 1-MHD full pod as computed by hand', () => {
    const graph = generate('full-pod', { hosts: 3, devices: 1 }, { gpusPerHost: 1 });
    const p = priceTopology(graph, ROUND);
    // Hosts at U0, U2, U5 and the MHD at U4 (generator layout); cable = |ΔU| × 0.04445 m + 0.3 m
    // slack → 0.4778 + 0.3889 + 0.3444 = 1.2111 m, all within copper reach (no retimers).
    //   servers     3 × $1,000                  = $3,000
    //   GPUs        3 × $100                    =   $300
    //   host DRAM   3 × 512 GiB × $1            = $1,536
    //   MHD 3-port  1 × ($50 + $10 × 3¹)        =    $80
    //   MHD DRAM    1 × 256 GiB × $1            =   $256
    //   CXL cables  3 × $5                      =    $15
    //   cable m     1.2111 m × $2               =     $2.4222
    // total $5,189.4222; fabric $353.4222; per host $1,729.8074; fabric per host $117.8074.
    expect(p.lines.map((l) => [l.kind, l.item, l.count, l.unitUsd])).toEqual([
      ['server', 'server', 3, 1000],
      ['gpu', 'GPU A100-80GB', 3, 100],
      ['host-dram', 'host DRAM 512 GiB', 3, 512],
      ['mhd', 'MHD 3-port', 1, 80],
      ['mhd-dram', 'MHD DRAM 256 GiB', 1, 256],
      ['cxl-cable', 'CXL cable', 3, 5],
      ['cxl-cable-length', 'CXL cable length (m)', 1.2111, 2],
    ]);
    expect(p.hosts).toBe(3);
    expectApprox(p.totalUsd, 5189.4222);
    expectApprox(p.fabricUsd, 353.4222);
    expectApprox(p.hostEquipmentUsd, 4836);
    expectApprox(p.perHostUsd, 5189.4222 / 3);
    expectApprox(p.fabricPerHostUsd, 353.4222 / 3);
    checkSums(p);
  });

  it('prices an MHD higher the more ports it has (any exponent in range)', () => {
    fc.assert(
      fc.property(
        fc.double({
          min: MHD_PORT_EXPONENT_RANGE.min,
          max: MHD_PORT_EXPONENT_RANGE.max,
          noNaN: true,
        }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 1, max: 16 }),
        (exponent, ports, more) => {
          const c = resolveCatalogue({ mhdPortExponent: exponent });
          expect(mhdDeviceUsd(c, ports + more)).toBeGreaterThan(mhdDeviceUsd(c, ports));
        },
      ),
    );
    // The default exponent (> 1) makes it superlinear: an 8-port device's port part is more than twice a 4-port one's.
    const portPart = (n: number): number =>
      mhdDeviceUsd(DEFAULT_COST_CATALOGUE, n) - DEFAULT_COST_CATALOGUE.mhdBaseUsd;
    expect(portPart(8)).toBeGreaterThan(2 * portPart(4));
    // And through the graph: the wider full pod's MHD line costs more per device.
    const mhdUnit = (hosts: number): number =>
      priceTopology(generate('full-pod', { hosts, devices: 1 }), DEFAULT_COST_CATALOGUE).lines.find(
        (l) => l.kind === 'mhd',
      )?.unitUsd ?? Number.NaN;
    expect(mhdUnit(8)).toBeGreaterThan(mhdUnit(4));
  });

  it('charges each retimer on a CXL cable', () => {
    const base = priceTopology(twoHostPod(0), ROUND);
    const withTwo = priceTopology(twoHostPod(2), ROUND);
    expect(base.lines.some((l) => l.kind === 'retimer')).toBe(false);
    expect(withTwo.lines.find((l) => l.kind === 'retimer')).toMatchObject({
      count: 2,
      unitUsd: 7,
      totalUsd: 14,
    });
    expectApprox(withTwo.totalUsd - base.totalUsd, 2 * ROUND.retimerUsd);
    expectApprox(withTwo.fabricUsd - base.fabricUsd, 2 * ROUND.retimerUsd);
  });

  it('prices an RDMA rack by NICs, ToRs, spines and cables, with no CXL equipment', () => {
    const graph = generate('rdma-rack', { hosts: 8, racks: 2 });
    const p = priceTopology(graph, DEFAULT_COST_CATALOGUE);
    const fabricKinds = new Set(p.lines.filter((l) => l.fabric).map((l) => l.kind));
    expect([...fabricKinds]).toEqual(['nic', 'tor', 'spine', 'network-cable']);
    let nics = 0;
    let switchPorts = 0;
    let cables = 0;
    let nicTotal = 0;
    graph.forEachNode((_, a) => {
      if (a.kind === 'nic') {
        nics++;
        nicTotal += nicUsd(DEFAULT_COST_CATALOGUE, a.rateBytesPerNs);
      } else if (a.kind === 'tor' || a.kind === 'spine') switchPorts += a.ports;
    });
    graph.forEachEdge((_, l) => {
      if (l.kind === 'network') cables++;
    });
    expect(nics).toBe(8 * DEFAULT_COMPONENTS.nicsPerHost);
    // Default ToR and spine per-port prices are equal, so switches cost ports × one price.
    expectApprox(
      p.fabricUsd,
      nicTotal +
        switchPorts * DEFAULT_COST_CATALOGUE.torUsdPerPort +
        cables * DEFAULT_COST_CATALOGUE.networkCableUsd,
    );
    // 200 Gb/s default NIC → 2 × $600.
    expectApprox(nicUsd(DEFAULT_COST_CATALOGUE, DEFAULT_COMPONENTS.nicRateBytesPerNs), 1200);
    checkSums(p);
  });

  it('prices the bundled 96-host presets', () => {
    // With DEFAULT_COST_CATALOGUE (docs/costs.md), fabric cost per host:
    //   octopus-96  ≈ $6,121  (192 4-port MHDs at $1,128 + their DRAM, 766 CXL cables, 404 retimers)
    //   switched-96 ≈ $3,833  (48 memory devices + DRAM, 8 32-port switches at $9,600, 248 cables, 154 retimers)
    //   rdma-96x3   ≈ $9,831  (192 400 Gb/s NICs, 3 ToRs + 2 spines of 128 ports, 198 cables)
    // Total cost per host ≈ $165.9–171.9k, dominated by 8 A100s and the server.
    const price = (preset: string): TopologyPrice =>
      priceTopology(loadTopology(preset).graph, DEFAULT_COST_CATALOGUE);
    const kinds = (p: TopologyPrice): string[] => p.lines.map((l) => l.kind);

    const octopus = price('octopus-96');
    expect(octopus.hosts).toBe(96);
    expect(Math.round(octopus.fabricPerHostUsd)).toBe(5980); // optimised layout: fewer retimers, shorter cables
    expect(Math.round(price('switched-96').fabricPerHostUsd)).toBe(3833);
    expect(Math.round(price('rdma-96x3').fabricPerHostUsd)).toBe(9831);
    expect(kinds(octopus)).toEqual(
      expect.arrayContaining(['mhd', 'mhd-dram', 'cxl-cable', 'retimer']),
    );
    expect(kinds(octopus)).not.toContain('cxl-switch');
    expect(octopus.lines.find((l) => l.kind === 'mhd')).toMatchObject({
      item: 'MHD 4-port',
      count: 192,
    });

    const switched = price('switched-96');
    expect(kinds(switched)).toEqual(
      expect.arrayContaining(['memory-device', 'memory-device-dram', 'cxl-switch']),
    );
    expect(kinds(switched)).not.toContain('mhd');

    const rdma = price('rdma-96x3');
    expect(
      kinds(rdma).filter((k) => k.startsWith('cxl') || k.startsWith('mhd') || k === 'retimer'),
    ).toEqual([]);
    expect(rdma.lines.find((l) => l.kind === 'nic')).toMatchObject({
      item: 'RDMA NIC 400 Gb/s',
      count: 192,
      unitUsd: 2400,
    });

    for (const p of [octopus, switched, rdma]) {
      checkSums(p);
      expect(p.fabricPerHostUsd).toBeGreaterThan(0);
      expect(p.fabricUsd).toBeLessThan(p.hostEquipmentUsd);
    }
    // Pooled DRAM is equal by design (48 TiB each), so it costs the same in both CXL pods.
    const dram = (p: TopologyPrice): number =>
      p.lines
        .filter((l) => l.kind.endsWith('-dram') && l.kind !== 'host-dram')
        .reduce((s, l) => s + l.totalUsd, 0);
    expectApprox(dram(octopus), dram(switched));
  });

  it('is deterministic and does not mutate the graph', () => {
    const graph = generate('full-pod', { hosts: 4, devices: 2 });
    const before = JSON.stringify(graph.export());
    const a = priceTopology(graph, DEFAULT_COST_CATALOGUE);
    const b = priceTopology(graph, DEFAULT_COST_CATALOGUE);
    expect(b).toEqual(a);
    expect(JSON.stringify(graph.export())).toBe(before);
  });

  it('refuses a GPU model without a price, naming the closest priced one', () => {
    const graph = generate(
      'full-pod',
      { hosts: 2, devices: 1 },
      { components: { ...DEFAULT_COMPONENTS, gpuModel: 'H100-80G' }, gpusPerHost: 2 },
    );
    const e = errorOf(() => priceTopology(graph, DEFAULT_COST_CATALOGUE));
    expect(e.issues).toEqual([
      expect.objectContaining({ code: 'cost.unknown-gpu', path: ['gpu', 'H100-80G'] }),
    ]);
    expect(e.issues[0]?.message).toContain('H100-80GB');
    // Adding the price fixes it.
    const c: CostCatalogue = resolveCatalogue({ gpu: { 'H100-80G': '$29,000' } });
    expect(priceTopology(graph, c).lines.find((l) => l.kind === 'gpu')).toMatchObject({
      count: 4,
      unitUsd: 29_000,
    });
  });
});

describe('cost catalogue', () => {
  it('is frozen and resolves overrides over the defaults', () => {
    expect(Object.isFrozen(DEFAULT_COST_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(DEFAULT_COST_CATALOGUE.gpuUsd)).toBe(true);
    expect(resolveCatalogue()).toEqual(DEFAULT_COST_CATALOGUE);
    expect(Object.keys(DEFAULT_COST_CATALOGUE.gpuUsd)).toEqual(
      expect.arrayContaining(['A100-80GB', 'H100-80GB']),
    );
    const c = resolveCatalogue({
      dramPerGiB: '$3.50',
      serverBase: '35,000 USD',
      gpu: { 'h100-80gb': '$28,000', B200: '$40,000' },
    });
    expect(c.dramUsdPerGiB).toBe(3.5);
    expect(c.serverBaseUsd).toBe(35_000);
    expect(c.gpuUsd).toEqual({
      ...DEFAULT_COST_CATALOGUE.gpuUsd,
      'H100-80GB': usd(28_000),
      B200: usd(40_000),
    });
    expect(c.mhdBaseUsd).toBe(DEFAULT_COST_CATALOGUE.mhdBaseUsd);
    expect(Object.isFrozen(c)).toBe(true);
    expect(validateCatalogue({ retimer: '$250', mhdPortExponent: 1 })).toEqual([]);
  });

  it('reports every bad override at once, with paths', () => {
    const raw = {
      retimer: '-$300',
      serverBase: 40000,
      torPerPrt: '$600',
      nicUsdPer100Gbps: '$600',
      mhdPortExponent: '1.2',
      gpu: { 'A100-80GB': '15000' },
    };
    const e = errorOf(() => resolveCatalogue(raw, ['cost'], 'scenario.yaml'));
    expect(e.file).toBe('scenario.yaml');
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path.join('.'), i]));
    expect(Object.keys(byPath).sort()).toEqual([
      'cost.gpu.A100-80GB',
      'cost.mhdPortExponent',
      'cost.nicUsdPer100Gbps',
      'cost.retimer',
      'cost.serverBase',
      'cost.torPerPrt',
    ]);
    expect(byPath['cost.retimer']?.code).toBe('input.range');
    expect(byPath['cost.serverBase']?.code).toBe('unit.invalid'); // bare number: dollars? cents?
    expect(byPath['cost.gpu.A100-80GB']?.code).toBe('unit.invalid');
    expect(byPath['cost.torPerPrt']).toMatchObject({ code: 'input.unknown-key' });
    expect(byPath['cost.torPerPrt']?.message).toContain('"torPerPort"');
    expect(byPath['cost.nicUsdPer100Gbps']?.message).toContain('`nicPer100Gbps`');
    expect(byPath['cost.mhdPortExponent']?.code).toBe('input.type');
    expect(validateCatalogue(raw, ['cost'])).toEqual(e.issues);
  });

  it('refuses a non-mapping, an out-of-range exponent and a non-mapping gpu table', () => {
    expect(validateCatalogue([])).toEqual([
      expect.objectContaining({ code: 'input.type', path: [] }),
    ]);
    expect(validateCatalogue({ mhdPortExponent: 5, gpu: '$1' })).toEqual([
      expect.objectContaining({ code: 'input.range', path: ['mhdPortExponent'] }),
      expect.objectContaining({ code: 'input.type', path: ['gpu'] }),
    ]);
  });
});
