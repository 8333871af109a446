/**
 * Current-generation hardware in topologies (docs/hardware.md): the builder's GPU and NIC links,
 * validation of host-internal links, the file loader's errors for bad values, the bundled
 * generations (each loads, compiles, and its sample fetch has the hand-derived bound), and the
 * hardware summary `topology inspect` shows.
 */
import { describe, expect, it } from 'vitest';
import { InputError, TopologyError } from '../../src/errors/index.ts';
import { compileFabric } from '../../src/fabric/compile.ts';
import { fetchBound } from '../../src/fabric/fetch-bound.ts';
import { checkGpuLink } from '../../src/fabric/gpu-link.ts';
import { loadTopology, parseTopologyText } from '../../src/io/index.ts';
import { TopologyBuilder, linkId } from '../../src/topology/builder.ts';
import { DEFAULT_COMPONENTS, type ComponentProfile } from '../../src/topology/defaults.ts';
import { hardwareSummary } from '../../src/topology/hardware.ts';
import { nodeKey } from '../../src/topology/keys.ts';
import { validateTopology } from '../../src/topology/validate.ts';
import { bytesPerNs } from '../../src/units/index.ts';
import { expectApprox } from '../helpers/approx.ts';
import { thrown } from '../helpers/errors.ts';

function twoHosts(over: Partial<ComponentProfile>) {
  const b = new TopologyBuilder({
    name: 't',
    family: 'custom',
    description: 'hand-built',
    components: { ...DEFAULT_COMPONENTS, ...over },
  });
  b.addTor('tor0', { placement: { rack: 0, slotU: 0 } });
  for (const [h, slotU] of [
    ['h0', 2],
    ['h1', 6],
  ] as const) {
    b.addHost(h, { placement: { rack: 0, slotU }, gpus: 4, nics: 2 });
    for (const n of [0, 1]) b.connectNetwork(`${h}.nic${n}`, 'tor0');
  }
  return b.build();
}

describe('builder: GPU and NIC links', () => {
  it('NIC links follow nicPcieGeneration × nicPcieLanes, independent of the GPU link', () => {
    // NIC PCIe 6 x8 = 8 × 7 = 56 GB/s; GPU PCIe 5 x16 = 16 × 3.5 = 56 GB/s.
    const g = twoHosts({ gpuPcieGeneration: 5, nicPcieGeneration: 6, nicPcieLanes: 8 });
    expect(g.getEdgeAttributes(linkId('h0', 'h0.nic0'))).toEqual({
      kind: 'pcie',
      generation: 6,
      lanes: 8,
      bandwidthBytesPerNs: 56,
    });
    expect(g.getEdgeAttributes(linkId('h0', 'h0.gpu0'))).toMatchObject({
      generation: 5,
      lanes: 16,
    });
  });

  it('GPUDirect pairs 4 GPUs with 2 NICs as gpu0,1 → nic0 and gpu2,3 → nic1', () => {
    const g = twoHosts({ gpuDirectRdma: true });
    for (const [gpu, nic] of [
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
    ])
      expect(g.hasEdge(linkId(`h0.nic${nic}`, `h0.gpu${gpu}`))).toBe(true);
    expect(g.hasEdge(linkId('h0.nic1', 'h0.gpu0'))).toBe(false);
    expect(validateTopology(g)).toEqual([]);
    const s = hardwareSummary(g);
    expect(s.gpuLinks).toEqual([
      expect.objectContaining({
        kind: 'pcie',
        generation: 4,
        lanes: 16,
        gpus: 8,
        gpuDirectGpus: 8,
      }),
    ]);
    expect(s.nics).toEqual([expect.objectContaining({ rateBytesPerNs: 25, nics: 4 })]);
  });
});

describe('validation of host-internal links', () => {
  it('refuses a GPUDirect link between a NIC and a GPU of another host', () => {
    const g = twoHosts({});
    g.addEdgeWithKey(linkId('h0.nic0', 'h1.gpu0'), nodeKey('h0.nic0'), nodeKey('h1.gpu0'), {
      kind: 'pcie',
      generation: 5,
      lanes: 16,
      bandwidthBytesPerNs: bytesPerNs(56),
    });
    const codes = validateTopology(g).map(
      (i) => `${i.code} ${'link' in i.subject ? i.subject.link : ''}`,
    );
    expect(codes).toContain('topology.bad-link h0.nic0--h1.gpu0');
  });

  it('refuses a C2C link that does not join a host to its GPU', () => {
    const g = twoHosts({});
    g.addEdgeWithKey('c2c-nic', nodeKey('h0.gpu0'), nodeKey('h0.nic1'), {
      kind: 'c2c',
      bandwidthBytesPerNs: bytesPerNs(450),
    });
    expect(validateTopology(g).map((i) => i.code)).toContain('topology.bad-link');
  });
});

describe('topology files', () => {
  it('names the file, the field and the allowed values for bad hardware fields', () => {
    const text = [
      'generator: rdma-rack',
      'params: { hosts: 4, racks: 1 }',
      'components:',
      '  gpuHostLink: nvlink',
      '  gpuDirectRdma: "yes"',
      '  nicPcieGeneration: 7',
      '  nicPcieLanes: 12',
      '  gpuC2cBandwidth: 450',
    ].join('\n');
    const e = thrown(InputError, () => parseTopologyText(text, 'bad.yaml'));
    expect(e.message.startsWith('4 problems in bad.yaml') || e.message.includes('bad.yaml')).toBe(
      true,
    );
    const at = Object.fromEntries(e.issues.map((i) => [i.path.join('.'), i]));
    expect(Object.keys(at).sort()).toEqual(
      [
        'components.gpuHostLink',
        'components.gpuDirectRdma',
        'components.nicPcieGeneration',
        'components.nicPcieLanes',
        'components.gpuC2cBandwidth',
      ].sort(),
    );
    expect(at['components.gpuHostLink']?.message).toContain('"pcie", "c2c"');
    expect(at['components.nicPcieGeneration']?.message).toContain('4, 5, 6');
    expect(at['components.gpuDirectRdma']?.message).toContain('true or false');
  });
});

describe('explicit files', () => {
  const explicit = (nics: string) =>
    [
      'components: { gpuHostLink: c2c, gpuDirectRdma: true, nicRate: "400 Gb/s" }',
      'nodes:',
      '  - { id: tor0, kind: tor }',
      `  - { id: h0, kind: host, gpus: 2, nics: ${nics} }`,
      '  - { id: h1, kind: host, gpus: 2, nics: 2 }',
      'links:',
      '  - { a: h0.nic0, b: tor0, kind: network }',
      '  - { a: h1.nic0, b: tor0, kind: network }',
      '  - { a: h1.nic1, b: tor0, kind: network }',
    ].join('\n');

  it('apply the attachment fields to every host: C2C GPUs with GPUDirect links', () => {
    const g = parseTopologyText(explicit('1'), 'x.yaml');
    expect(g.getEdgeAttributes(linkId('h0', 'h0.gpu1')).kind).toBe('c2c');
    expect(g.hasEdge(linkId('h0.nic0', 'h0.gpu1'))).toBe(true);
    expect(g.hasEdge(linkId('h1.nic1', 'h1.gpu1'))).toBe(true);
  });

  it('point a problem with a derived NIC at the host that declares it', () => {
    // h0 declares 2 NICs but only h0.nic0 is cabled: the issue is at nodes[1].nics.
    const e = thrown(TopologyError, () => parseTopologyText(explicit('2'), 'x.yaml'));
    expect(e.issues.map((i) => `${i.code} @ ${i.path.join('.')}`)).toContain(
      'topology.uncabled-nic @ nodes.1.nics',
    );
  });
});

describe('per-host attachment (explicit form)', () => {
  // h0 keeps the profile (A100: PCIe 4 x16, 200 Gb/s NIC on PCIe 4); h1 is an H100 host: PCIe 5
  // GPUs, a 400 Gb/s NIC on PCIe 5 with GPUDirect. Its cable takes the NIC's rate (50 GB/s).
  const text = [
    'nodes:',
    '  - { id: tor0, kind: tor }',
    '  - { id: h0, kind: host, gpus: 2, nics: 1 }',
    '  - id: h1',
    '    kind: host',
    '    gpus: 2',
    '    nics: 1',
    '    gpuPcieGeneration: 5',
    '    nicRate: "400 Gb/s"',
    '    nicPcieGeneration: 5',
    '    gpuDirectRdma: true',
    'links:',
    '  - { a: h0.nic0, b: tor0, kind: network }',
    '  - { a: h1.nic0, b: tor0, kind: network }',
  ].join('\n');

  it('builds each host with its own GPU and NIC links', () => {
    const g = parseTopologyText(text, 'mixed.yaml');
    expect(g.getEdgeAttributes(linkId('h0', 'h0.gpu0'))).toMatchObject({
      generation: 4,
      bandwidthBytesPerNs: 28,
    });
    expect(g.getEdgeAttributes(linkId('h1', 'h1.gpu0'))).toMatchObject({
      generation: 5,
      bandwidthBytesPerNs: 56,
    });
    expect(g.getEdgeAttributes(linkId('h0.nic0', 'tor0')).bandwidthBytesPerNs).toBe(25);
    expect(g.getEdgeAttributes(linkId('h1.nic0', 'tor0')).bandwidthBytesPerNs).toBe(50);
    expect(g.hasEdge(linkId('h1.nic0', 'h1.gpu1'))).toBe(true);
    expect(g.hasEdge(linkId('h0.nic0', 'h0.gpu1'))).toBe(false);
    expect(hardwareSummary(g).gpuLinks.map((l) => [l.generation, l.gpus, l.gpuDirectGpus])).toEqual(
      [
        [4, 2, 0],
        [5, 2, 2],
      ],
    );
  });

  it('refuses a bad per-host value at its field', () => {
    const e = thrown(InputError, () =>
      parseTopologyText(text.replace('gpuPcieGeneration: 5', 'gpuPcieGeneration: 3'), 'mixed.yaml'),
    );
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['nodes.2.gpuPcieGeneration']);
  });

  it('checkGpuLink reports only the host links that differ from the scenario GPU', () => {
    const f = compileFabric(parseTopologyText(text, 'mixed.yaml'));
    const issues = checkGpuLink(f, { name: 'H100-80GB', pcieGeneration: 5 });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('e.g. h0.gpu0');
  });
});

describe('bundled current-generation topologies', () => {
  // Sample fetch: 1 GB into h0.gpu0, hand-derived bound (default lane rates: PCIe 4 1.75, PCIe 5
  // 3.5, PCIe 6 7 GB/s):
  // - A100 (PCIe 4 x16 = 28): 28 on every fabric, the GPU link.
  // - H100 octopus/switched: GPU PCIe 5 x16 = 56 below 8 or 2 CXL x16 cables (≥ 112): 56.
  // - H100 RDMA with GPUDirect: one 400 Gb/s NIC = 50 GB/s (its PCIe 5 x16 link is 56): 50.
  // - GH200 octopus: C2C 450 above 8 CXL x16 cables = 8 × 56 = 448: 448, the CXL links.
  // - GH200 switched: 2 host CXL x16 links to the switches = 112: 112.
  // - GH200 RDMA: one 800 Gb/s NIC = 100 GB/s (PCIe 6 x16 link 112): 100.
  const cases: [string, number, string][] = [
    ['octopus-96', 28, 'GPU PCIe link'],
    ['octopus-96-h100', 56, 'GPU PCIe link'],
    ['switched-96-h100', 56, 'GPU PCIe link'],
    ['rdma-96x3-h100', 50, 'NIC line rate'],
    ['octopus-96-gh200', 448, 'CXL link'],
    ['switched-96-gh200', 112, 'CXL link'],
    ['rdma-96x3-gh200', 100, 'NIC line rate'],
  ];
  for (const [name, gbps, role] of cases)
    it(`${name} loads, validates, compiles and fetches at ${gbps} GB/s, bounded by the ${role}`, () => {
      const { graph } = loadTopology(name);
      expect(validateTopology(graph)).toEqual([]);
      const b = fetchBound(compileFabric(graph));
      // Stripes' first bytes differ by ≤ 0.2 µs of a ≥ 2 ms fetch: equal to 1e-3.
      expectApprox(b?.result.effectiveBandwidthBytesPerNs ?? 0, gbps, 1e-3);
      expect(b?.bound.map((x) => x.role)).toContain(role);
    });
});
